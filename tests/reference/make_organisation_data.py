"""Write ``organisations.csv`` and ``violations.csv``, the organisation-survey test data.

Run:  python tests/reference/make_organisation_data.py   (deterministic; output committed)

Two independent waves (2014, 2016) shaped like an agency's delivery: stratum labels reused
across waves ("rijk", "provincie", "gemeente", "waterschap") with the population per wave
(44 and 42 state organisations, 403 and 390 municipalities, 23 and 22 water boards), the
same organisation codes in both waves (``gm0344`` is sampled twice, independently), a
census stratum (all 12 provinces, ``fpc`` = 12), unequal weights, the twenty policy measures
with empty cells (an organisation that skipped an item, one that skipped them all), and
registered violations that cluster by organisation (most register none or a few, some many)
with every type and every status. Read by ``policy.R`` and the tests. Codes are typed in.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

rng = np.random.default_rng(125)
MEASURES = [
    "integriteitsbeleid",
    "gedragscode",
    "eed-belofte",
    "kwetsbare-functies",
    "risicoanalyse",
    "functiescheiding",
    "vog",
    "nevenwerkzaamheden",
    "financiele-belangen",
    "vertrouwenspersoon",
    "meldprocedure",
    "registratie-schendingen",
    "training-integriteit",
    "agressiebeleid",
    "norm-gecommuniceerd",
    "registratie-incidenten",
    "aangifte-werkgever",
    "nazorg",
    "training-agressie",
    "schadeverhaal",
]
KINDS = [
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
STATUSES = ["vermoeden", "onderzocht", "vastgesteld"]

_numbers = rng.choice(np.arange(3, 2000), size=410, replace=False)
_numbers = _numbers[_numbers != 344][:402]
MUNICIPALITIES = ["gm0344", *(f"gm{int(k):04d}" for k in _numbers)]  # 403 in 2014
POPULATION = {
    "rijk": {
        2014: [f"rk{k:02d}" for k in range(1, 45)],
        2016: [f"rk{k:02d}" for k in range(1, 43)],
    },
    "provincie": {w: [f"pv{k}" for k in range(20, 32)] for w in (2014, 2016)},
    "gemeente": {2014: MUNICIPALITIES, 2016: MUNICIPALITIES[:390]},
    "waterschap": {
        2014: [f"ws{k:02d}" for k in range(1, 24)],
        2016: [f"ws{k:02d}" for k in range(1, 23)],
    },
}
# layer: (organisations sampled per wave, base take-up of measures, size range)
LAYERS = {
    "rijk": ({2014: 16, 2016: 15}, 0.75, (300, 12000)),
    "provincie": ({2014: 12, 2016: 12}, 0.7, (450, 1600)),  # census
    "gemeente": ({2014: 55, 2016: 60}, 0.6, (90, 4500)),
    "waterschap": ({2014: 9, 2016: 10}, 0.55, (150, 900)),
}
size_of = {
    org: int(rng.integers(*LAYERS[layer][2]))
    for layer, waves in POPULATION.items()
    for org in waves[2014]
}

rows = []
violations = []
for wave, lift in ((2014, -0.1), (2016, 0.0)):
    for layer, (sampled, base, _) in LAYERS.items():
        population = POPULATION[layer][wave]
        chosen = list(rng.choice(population, size=sampled[wave], replace=False))
        if layer == "gemeente" and "gm0344" not in chosen:
            chosen[0] = "gm0344"  # sampled in both waves, independently
        for org in chosen:
            strength = rng.normal(0, 0.8)
            logit = np.log(base / (1 - base)) + lift + strength
            have: list[object] = [
                int(rng.random() < 1 / (1 + np.exp(-(logit + 0.3 * (j % 3 - 1)))))
                for j in range(len(MEASURES))
            ]
            if rng.random() < 0.1:  # an item or two left unanswered
                for j in rng.choice(len(MEASURES), size=int(rng.integers(1, 3)), replace=False):
                    have[j] = ""
            employees = size_of[org] + int(rng.integers(-25, 26)) * (wave == 2016)
            weight = len(population) / sampled[wave] * rng.uniform(0.85, 1.15)
            rows.append(
                [org, wave, layer, employees, round(weight, 4), layer, len(population), *have]
            )
            # registrations cluster: an organisation's policy decides what it registers
            propensity = rng.gamma(0.6, 1 / 0.6)
            for _ in range(int(rng.poisson(employees / 1000 * 1.5 * propensity))):
                violations.append(
                    [
                        org,
                        wave,
                        str(rng.choice(KINDS)),
                        str(rng.choice(STATUSES, p=[0.3, 0.2, 0.5])),
                    ]
                )
rows[3][7:] = [""] * len(MEASURES)  # one organisation answered no question on measures

here = Path(__file__).parent
with (here / "organisations.csv").open("w") as handle:
    handle.write(
        "id,wave,layer,employees,weight,stratum,fpc,"
        + ",".join(f"measure:{m}" for m in MEASURES)
        + "\n"
    )
    for row in rows:
        handle.write(",".join(str(v) for v in row) + "\n")
with (here / "violations.csv").open("w") as handle:
    handle.write("organisation_id,wave,kind,status\n")
    for row in violations:
        handle.write(",".join(str(v) for v in row) + "\n")
print(f"wrote {len(rows)} organisations and {len(violations)} violations")
