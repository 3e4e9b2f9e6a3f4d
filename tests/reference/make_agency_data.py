"""Write ``agency_data.csv``, the sample that ``agency.R`` and ``test_agency_reference.py`` read.

Run:  python tests/reference/make_agency_data.py   (deterministic; the output is committed)

Shaped like an agency's delivery over three waves (2014, 2016, 2018): stratum labels A-E
and PSU labels 1-3 reused in every wave and stratum, stratum A a census of its three PSUs
(fpc = 3), stratum B a single PSU of six (a lonely PSU), people sampled within each PSU
(``fpc2``: the people of the organisation), weights that vary within a PSU, a 0/1 answer
missing for about one in ten (with the incident count), a category ``cls`` with a rare
level "r" (two rows, both in 2018) and a domain ``dom`` whose level "one" has a single row.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

rng = np.random.default_rng(7)
rows = []
layout = {"A": (3, 3), "B": (1, 6), "C": (2, 12), "D": (3, 25), "E": (2, 9)}  # sampled, all
k = 0
for wave in (2014, 2016, 2018):
    for s, (n_psu, N_psu) in layout.items():
        for p in range(1, n_psu + 1):
            m = int(rng.integers(4, 14))
            M = m * int(rng.integers(2, 6))
            for _ in range(m):
                k += 1
                w = (N_psu / n_psu) * (M / m) * float(rng.uniform(0.7, 1.4))
                x = float(np.round(rng.gamma(3, 2), 3))
                cls = rng.choice(["a", "b", "c"], p=[0.5, 0.3, 0.2])
                shift = {"a": 0.0, "b": 0.5, "c": -0.4}[cls]
                lin = -1.2 + 0.15 * x + shift + 0.2 * (wave - 2014) / 2
                y = float(rng.random() < 1 / (1 + np.exp(-lin)))
                answer = "" if rng.random() < 0.1 else str(int(y))
                incidents = int(rng.poisson(1.5 * y + 0.1)) if answer != "" else ""
                dom = rng.choice(["p", "q"], p=[0.6, 0.4])
                post = rng.choice(["m", "v"], p=[0.55, 0.45])
                rows.append(
                    dict(id=f"r{k}", wave=wave, stratum=s, psu=str(p), fpc=N_psu, fpc2=M,
                         weight=round(w, 4), y=answer, x=x, cls=cls, dom=dom,
                         incidents=incidents, post=post)
                )  # fmt: skip
rows[-5].update(cls="r", y="1", incidents=2)  # the rare category: one yes, one no
rows[-40].update(cls="r", y="0", incidents=0)
rows[-7]["dom"] = "one"  # a domain of one respondent
with open(Path(__file__).parent / "agency_data.csv", "w", newline="") as handle:
    writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
