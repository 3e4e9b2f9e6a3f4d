"""Write the monitor test data: ``monitor_respondents.csv`` and ``monitor_incidents.csv``.

Run:  python tests/reference/make_monitor_data.py   (deterministic; the output is committed)

Two independent waves (2014, 2016) shaped like the files a research agency delivers, not like
the library's own generator:

- Stratum labels are reused across waves ("rijk", "provincie", "gemeente-groot",
  "gemeente-klein", "waterschap" for employees; the office code for political office
  holders), and so are cluster labels: municipality codes such as "gm0344" are sampled in
  both waves as independent samples. The fpc is given per wave and stratum and differs
  between the waves for the same label (403 municipalities in 2014, 390 in 2016).
- Employees are sampled in two stages: organisations, then people within them (``fpc2`` is
  the organisation's employees). The 12 provinces and the 22 water boards are a census of
  first-stage units (``fpc`` = 12 and 22), so only the second stage carries variance.
  Political office holders are their own first-stage units (``cluster`` = ``id``,
  ``fpc`` = the office's population, ``fpc2`` = 1).
- Questions are missing: empty cells (item non-response) in counts, yes/no answers and set
  members; perceived violations (``violation:<type>``) and sexual intimidation
  (``incidents:seksueel``) were not asked in 2014 (empty for the whole wave); questions
  that are routed (channels, consequences, aftercare) are empty for respondents who were not
  asked them (non-victims; employees for the decision-influence question); the King's
  Commissioners were not surveyed in 2014 (an empty domain) and no water-board chair was
  victimised in 2016 (a domain with 0 of n).
- Every code of every vocabulary occurs: all offices and layers, five forms, three channels,
  six consequences (victims whose only adverse consequence is ``verzuim``, or
  ``lichamelijk-letsel``, exist in both waves), nine violation types.

Read by ``monitor.R`` and by the tests. Vocabulary codes are typed in here, not imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

rng = np.random.default_rng(20161129)
WAVES = (2014, 2016)
FORMS = ["verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel"]
CHANNELS = ["persoonlijk", "telefoon-post", "sociale-media"]
ADVERSE = [
    "minder-werkplezier",
    "psychische-klachten",
    "gedrag-aangepast",
    "lichamelijk-letsel",
    "verzuim",
]
CONSEQUENCES = [*ADVERSE, "besluitvorming-beinvloed"]
VIOLATIONS = [
    "belangenverstrengeling",
    "vertrouwelijke-informatie",
    "stemmen-eigen-belang",
    "adviseur-geschil",
    "geschenken",
    "nevenfuncties",
    "fraude",
    "misbruik-middelen",
    "ongewenst-gedrag",
]
NOT_ASKED_IN_2014 = {"incidents:seksueel"} | {f"violation:{v}" for v in VIOLATIONS}


# ---- the populations of organisations (labels reused across waves) ----------------------


def _codes(prefix: str, numbers: np.ndarray) -> list[str]:
    return [f"{prefix}{int(k):04d}" for k in numbers]


# municipalities: 403 on 1 January 2014, 390 on 1 January 2016 (13 merged away)
_all = rng.choice(np.arange(3, 2000), size=403, replace=False)
_all = _all[~np.isin(_all, [344, 363, 599, 518])]
_large = [344, 363, 599, 518, *_all[:58].tolist()]  # 62 large municipalities in 2014
_small = _all[58:399].tolist()  # 341 small ones in 2014
MUNICIPALITIES = {
    2014: {"gemeente-groot": _codes("gm", _large), "gemeente-klein": _codes("gm", _small)},
    2016: {
        "gemeente-groot": _codes("gm", _large[:60]),
        "gemeente-klein": _codes("gm", _small[:330]),
    },
}
STATE = {2014: [f"rk{k:02d}" for k in range(1, 45)], 2016: [f"rk{k:02d}" for k in range(1, 43)]}
PROVINCES = [f"pv{k}" for k in range(20, 32)]  # the 12 provinces (CBS codes PV20-PV31)
WATER_BOARDS = [f"ws{k:02d}" for k in range(1, 23)]  # the 22 water boards

employees_of: dict[str, int] = {}
for code in _codes("gm", _large):
    employees_of[code] = int(rng.integers(800, 4500))
for code in _codes("gm", _small):
    employees_of[code] = int(rng.integers(90, 600))
for code in STATE[2014]:
    employees_of[code] = int(rng.integers(400, 12000))
for code in PROVINCES:
    employees_of[code] = int(rng.integers(450, 1600))
for code in WATER_BOARDS:
    employees_of[code] = int(rng.integers(150, 900))

# employee strata: (layer, organisations sampled per wave, people sampled per organisation)
EMPLOYEE_STRATA = {
    "rijk": ("rijk", 12, (6, 10)),
    "provincie": ("provincie", 12, (4, 7)),  # census: all 12
    "gemeente-groot": ("gemeente", 10, (5, 9)),
    "gemeente-klein": ("gemeente", 24, (2, 5)),
    "waterschap": ("waterschap", 22, (2, 4)),  # census: all 22
}
# political offices: layer, population per wave, sample per wave (None: not surveyed)
POLITICAL = {
    "burgemeester": ("gemeente", {2014: 400, 2016: 388}, {2014: 70, 2016: 75}),
    "wethouder": ("gemeente", {2014: 1530, 2016: 1420}, {2014: 90, 2016: 95}),
    "raadslid": ("gemeente", {2014: 9050, 2016: 8780}, {2014: 170, 2016: 180}),
    "cdk": ("provincie", {2014: 12, 2016: 12}, {2014: None, 2016: 7}),
    "gedeputeerde": ("provincie", {2014: 80, 2016: 78}, {2014: 25, 2016: 28}),
    "statenlid": ("provincie", {2014: 566, 2016: 570}, {2014: 60, 2016: 65}),
    "dijkgraaf": ("waterschap", {2014: 22, 2016: 22}, {2014: 11, 2016: 12}),
    "db-lid": ("waterschap", {2014: 110, 2016: 104}, {2014: 25, 2016: 27}),
    "ab-lid": ("waterschap", {2014: 680, 2016: 650}, {2014: 60, 2016: 65}),
}
RISK = {
    ("ambtenaar", "rijk"): 0.22,
    ("ambtenaar", "provincie"): 0.20,
    ("ambtenaar", "gemeente"): 0.33,
    ("ambtenaar", "waterschap"): 0.15,
    ("burgemeester", "gemeente"): 0.50,
    ("wethouder", "gemeente"): 0.42,
    ("raadslid", "gemeente"): 0.27,
    ("cdk", "provincie"): 0.45,
    ("gedeputeerde", "provincie"): 0.30,
    ("statenlid", "provincie"): 0.20,
    ("dijkgraaf", "waterschap"): 0.15,
    ("db-lid", "waterschap"): 0.12,
    ("ab-lid", "waterschap"): 0.10,
}

COLUMNS = [
    "id",
    "wave",
    "layer",
    "office",
    "weight",
    "stratum",
    "cluster",
    "fpc",
    "fpc2",
    *(f"incidents:{f}" for f in FORMS),
    *(f"channel:{c}" for c in CHANNELS),
    *(f"consequence:{c}" for c in CONSEQUENCES),
    *(f"violation:{v}" for v in VIOLATIONS),
    "aftercare",
]


class Unit(NamedTuple):
    """A sampled person: wave, layer, office, design columns and the cluster's effect."""

    wave: int
    layer: str
    office: str
    stratum: str
    cluster: str | None  # None: the person is the cluster (filled in with the id)
    fpc: int
    fpc2: int
    weight: float
    effect: float


def _sampling_units() -> list[Unit]:
    """One entry per respondent, wave by wave."""
    units: list[Unit] = []
    for wave in WAVES:
        for stratum, (layer, sampled, (low, high)) in EMPLOYEE_STRATA.items():
            if layer == "rijk":
                population = STATE[wave]
            elif layer == "provincie":
                population = PROVINCES
            elif layer == "waterschap":
                population = WATER_BOARDS
            else:
                population = MUNICIPALITIES[wave][stratum]
            chosen = list(rng.choice(population, size=sampled, replace=False))
            if stratum == "gemeente-groot" and "gm0344" not in chosen:
                chosen[0] = "gm0344"  # Utrecht is sampled in both waves
            for org in chosen:
                people = int(rng.integers(low, high + 1))
                staff = employees_of[org] + int(rng.integers(-30, 31)) * (wave == 2016)
                effect = rng.normal(0, 0.5)
                for _ in range(people):
                    weight = len(population) / sampled * staff / people
                    units.append(
                        Unit(
                            wave,
                            layer,
                            "ambtenaar",
                            stratum,
                            str(org),
                            len(population),
                            staff,
                            weight,
                            effect,
                        )
                    )
        for office, (layer, population, sample) in POLITICAL.items():
            n = sample[wave]
            if n is None:
                continue
            for _ in range(n):
                units.append(
                    Unit(
                        wave,
                        layer,
                        office,
                        office,
                        None,
                        population[wave],
                        1,
                        population[wave] / n,
                        float(rng.normal(0, 0.3)),
                    )
                )
    return units


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def _chance(p: float) -> bool:
    return bool(rng.random() < p)


resp_rows: list[dict[str, object]] = []
inc_rows: list[list[object]] = []
serial = {2014: 0, 2016: 0}
for unit in _sampling_units():
    wave, office, layer = unit.wave, unit.office, unit.layer
    serial[wave] += 1
    rid = f"{wave % 100}-{serial[wave]:04d}"
    political = office != "ambtenaar"
    risk = RISK[(office, layer)]
    if office == "dijkgraaf" and wave == 2016:
        risk = 0.0  # no water-board chair victimised in 2016: a domain with 0 of n
    shift = -0.25 if wave == 2014 else 0.0
    p = 0.0 if risk == 0 else 1 / (1 + np.exp(-(_logit(risk) + unit.effect + shift)))
    victim = _chance(p)
    counts = [0] * 5
    if victim:
        chosen = [_chance(q) for q in (0.85, 0.4, 0.07, 0.08, 0.07 if wave == 2016 else 0.0)]
        if not any(chosen):
            chosen[0] = True
        for k, on in enumerate(chosen):
            if on:
                counts[k] = int(rng.geometric(0.45))
        if _chance(0.09):  # series victims, above the cap of 10
            k = 0 if counts[1] == 0 or _chance(0.6) else 1
            counts[k] += int(rng.integers(9, 50))
        if counts[3] and _chance(0.3):
            counts[3] += int(rng.integers(10, 20))
    row: dict[str, object] = {c: "" for c in COLUMNS}
    row.update(
        {
            "id": rid,
            "wave": wave,
            "layer": layer,
            "office": office,
            "weight": round(unit.weight * rng.uniform(0.8, 1.25), 4),
            "stratum": unit.stratum,
            "cluster": unit.cluster if unit.cluster is not None else rid,
            "fpc": unit.fpc,
            "fpc2": unit.fpc2,
        }
    )
    # counts: a whole block unanswered, or one form unanswered
    skipped_counts = _chance(0.025)
    for k, form in enumerate(FORMS):
        row[f"incidents:{form}"] = "" if skipped_counts else counts[k]
    if not skipped_counts and _chance(0.035):
        row[f"incidents:{FORMS[int(rng.integers(0, 5))]}"] = ""
    # routed questions: asked of victims (who told of an incident)
    told = victim and not skipped_counts
    if told:
        ways = [_chance(q) for q in (0.7, 0.35, 0.35 if political else 0.15)]
        if not any(ways):
            ways[0] = True
        for channel, on in zip(CHANNELS, ways, strict=True):
            row[f"channel:{channel}"] = int(on)
        if _chance(0.04):
            for channel in CHANNELS:
                row[f"channel:{channel}"] = ""
        elif _chance(0.04):
            row[f"channel:{CHANNELS[int(rng.integers(0, 3))]}"] = ""
        injured = bool(counts[2])
        shares = (0.3, 0.12, 0.2, 0.4 if injured else 0.02, 0.05)
        effects = [_chance(q) for q in shares]
        if _chance(0.04):  # only absence, or only an injury: the set must include them
            effects = [False] * 4 + [True] if _chance(0.5) else [False] * 3 + [True, False]
        for consequence, on in zip(ADVERSE, effects, strict=True):
            row[f"consequence:{consequence}"] = int(on)
        if _chance(0.04):
            for consequence in ADVERSE:
                row[f"consequence:{consequence}"] = ""
        elif _chance(0.04):
            row[f"consequence:{ADVERSE[int(rng.integers(0, 5))]}"] = ""
        row["aftercare"] = "" if _chance(0.12) else int(_chance(0.45))
    if political:  # asked of every political office holder
        influence = _chance(0.2 if victim else 0.03)
        row["consequence:besluitvorming-beinvloed"] = "" if _chance(0.06) else int(influence)
    if wave == 2016:  # perceived violations: not asked in 2014
        shares = (0.12, 0.08, 0.05, 0.03, 0.07, 0.06, 0.03, 0.05, 0.1)
        lift = 1.5 if political else 1.0
        seen = [_chance(min(q * lift, 0.9)) for q in shares]
        for kind, on in zip(VIOLATIONS, seen, strict=True):
            row[f"violation:{kind}"] = int(on)
        if _chance(0.04):
            for kind in VIOLATIONS:
                row[f"violation:{kind}"] = ""
        elif _chance(0.03):
            row[f"violation:{VIOLATIONS[int(rng.integers(0, 9))]}"] = ""
    for column in NOT_ASKED_IN_2014:
        if wave == 2014:
            assert row[column] in ("", 0), column
            row[column] = ""
    resp_rows.append(row)

    # incident records: the most recent incident, for some victims several
    if victim and _chance(0.75):
        many = 1
        if _chance(0.06):
            many = int(rng.integers(2, 7))
        forms = [f for f, c in zip(FORMS, counts, strict=True) if c]
        weights = np.array([float(counts[FORMS.index(f)]) for f in forms])
        unanswered = _chance(0.03)  # every record without the reporting answers
        for _ in range(many):
            form = str(rng.choice(forms, p=weights / weights.sum()))
            serious = form in ("bedreiging", "fysiek")
            internal: object = "" if unanswered or _chance(0.07) else int(_chance(0.55))
            police: object = (
                "" if unanswered or _chance(0.07) else int(_chance(0.3 if serious else 0.06))
            )
            channel = "" if _chance(0.05) else CHANNELS[int(rng.integers(0, 3))]
            inc_rows.append([rid, wave, form, channel, internal, police])

# one victim who reports many incidents (12 records)
many_victim = next(
    r for r in resp_rows if r["wave"] == 2016 and r["incidents:verbaal"] not in ("", 0)
)
for k in range(12):
    inc_rows.append([many_victim["id"], 2016, "verbaal", "persoonlijk", int(k % 3 == 0), 0])

here = Path(__file__).parent
with (here / "monitor_respondents.csv").open("w") as handle:
    handle.write(",".join(COLUMNS) + "\n")
    for row in resp_rows:
        handle.write(",".join(str(row[c]) for c in COLUMNS) + "\n")
with (here / "monitor_incidents.csv").open("w") as handle:
    handle.write("respondent_id,wave,form,channel,reported_internally,police_report\n")
    for values in inc_rows:
        handle.write(",".join(str(v) for v in values) + "\n")
print(f"wrote {len(resp_rows)} respondents and {len(inc_rows)} incidents")
