"""Write ``agency_replicate_respondents.csv`` and ``agency_replicate_rscales.csv``.

Run:  python tests/reference/make_agency_replicate_data.py   (deterministic; output committed)

Read by ``agency_replicate.R`` and ``test_replicate_model_df.py``. An agency's delivery with
replicate weights: three waves whose stratum (R, G, P, B) and cluster labels are reused,
stratum R a census of its three ministries, political office holders in stratum B, a
contact frequency asked of employees only (unknown for some, "nooit" empty in 2014), gender
and training missing for some, incident counts missing for some and "seksueel" not asked in
2014, and JKn replicate weights (one replicate per PSU of every wave and stratum; the census
stratum's replicates have scale 0).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

rng = np.random.default_rng(2018)
FORMS = ["verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel"]
CONTACT = ["dagelijks", "wekelijks", "maandelijks", "minder-vaak", "nooit"]
# stratum: (layer, office choices, sampled PSUs, population PSUs, cluster prefix)
LAYOUT = {
    "R": ("rijk", ["ambtenaar"], 3, 3, "min"),  # census of three ministries
    "G": ("gemeente", ["ambtenaar"], 6, 40, "gm"),
    "P": ("provincie", ["ambtenaar"], 4, 12, "pv"),
    "B": ("gemeente", ["wethouder", "raadslid"], 5, 30, "bs"),  # office holders
}
rows = []
k = 0
for wave in (2014, 2016, 2018):
    for s, (layer, offices, n_psu, N_psu, prefix) in LAYOUT.items():
        for p in range(1, n_psu + 1):
            m = int(rng.integers(5, 11))
            M = m * int(rng.integers(3, 9))
            for _ in range(m):
                k += 1
                office = str(rng.choice(offices))
                employee = office == "ambtenaar"
                w = (N_psu / n_psu) * (M / m) * float(rng.uniform(0.7, 1.4))
                gender = str(rng.choice(["m", "v", "x", ""], p=[0.5, 0.44, 0.02, 0.04]))
                if employee:
                    p_c = (
                        [0.45, 0.25, 0.12, 0.1, 0.08]
                        if wave < 2018
                        else [0.3, 0.3, 0.15, 0.13, 0.12]
                    )
                    contact = str(rng.choice(CONTACT, p=p_c))
                    if wave == 2014 and contact == "nooit":
                        contact = "minder-vaak"  # the class "nooit" empty in 2014
                    if rng.random() < 0.05:
                        contact = ""  # unknown
                else:
                    contact = ""
                training = "" if rng.random() < 0.06 else str(int(rng.random() < 0.4))
                lin = (
                    -0.6
                    + 0.5 * (gender == "v")
                    - 0.2 * CONTACT.index(contact or "wekelijks")
                    - 0.25 * (wave - 2014) / 2
                    + 0.2 * (not employee)
                    - 0.15 * (training == "1")
                )
                victim = rng.random() < 1 / (1 + np.exp(-lin))
                counts = {}
                for f_i, form in enumerate(FORMS):
                    if form == "seksueel" and wave == 2014:
                        counts[form] = ""  # not asked in 2014
                    elif rng.random() < 0.04:
                        counts[form] = ""  # no answer
                    else:
                        c = int(rng.poisson([1.5, 0.7, 0.3, 0.3, 0.2][f_i])) if victim else 0
                        counts[form] = str(c)
                ident = f"{wave % 100}-{k:04d}"
                row = dict(
                    id=ident,
                    wave=wave,
                    layer=layer,
                    office=office,
                    weight=round(w, 4),
                    stratum=s,
                    cluster=f"{prefix}{p}",
                    fpc=N_psu,
                    gender=gender,
                    contact=contact,
                    training=training,
                )
                row.update({f"incidents:{f}": counts[f] for f in FORMS})
                rows.append(row)
                # the draws of incident records (not written: the models need none), kept so
                # that the committed sample stays the one these lines make
                n_records = sum(min(int(c), 2) for c in counts.values() if c not in ("", "0"))
                rng.random(3 * n_records)
# JKn replicate weights: one per PSU of every stratum and wave; the census stratum's
# replicates get rscale 0 (fpc: nothing to estimate there)
wave_a = np.array([r["wave"] for r in rows])
strat = np.array([r["stratum"] for r in rows])
clus = np.array([r["cluster"] for r in rows])
wt = np.array([r["weight"] for r in rows])
reps, rscales = [], []
for wave in (2014, 2016, 2018):
    for s, (_, _, n_psu, N_psu, prefix) in LAYOUT.items():
        for p in range(1, n_psu + 1):
            inh = (wave_a == wave) & (strat == s)
            rw = wt.copy()
            rw[inh] *= n_psu / (n_psu - 1)
            rw[inh & (clus == f"{prefix}{p}")] = 0.0
            reps.append(rw)
            rscales.append((n_psu - 1) / n_psu * (1 - n_psu / N_psu))
for j, rw in enumerate(reps):
    for i, r in enumerate(rows):
        r[f"rep{j + 1:02d}"] = round(float(rw[i]), 6)
here = Path(__file__).parent
with open(here / "agency_replicate_respondents.csv", "w", newline="") as h:
    wr = csv.DictWriter(h, fieldnames=list(rows[0]), lineterminator="\n")
    wr.writeheader()
    wr.writerows(rows)
with open(here / "agency_replicate_rscales.csv", "w") as h:
    h.write("rscale\n" + "\n".join(repr(x) for x in rscales) + "\n")
