"""Write ``mutants_data.csv``, the sample that ``mutants.R`` and ``test_mutants_reference.py`` read.

Run:  python tests/reference/make_mutants_data.py   (deterministic; the output is committed)

One wave of an agency's delivery, shaped to reach the corners of the variance formulas that
a hand-made mutation test found unchecked: stratum labels are words and PSU labels "1", "2",
... are reused in every stratum (``nest=True``); "Caribisch" is a census of its only PSU
(fpc = 1 PSU of 1), "Rijk" a census of its three, "Eiland" a single sampled PSU of five (a
lonely PSU), the others two to five PSUs sampled out of 6 to 40. Weights vary within a PSU
and add up to nothing in particular; ``y`` is a 0/1 answer, ``x`` a score, ``dom`` a domain
whose level "x" lies in a few PSUs only. Replicate weights as a public-use file supplies
them, one factor per PSU: ``fay_1`` .. ``fay_8`` (Fay's 0.3 / 1.7) and ``boot_1`` ..
``boot_10`` (times a PSU is drawn, 0-3), each the full-sample weight times the factor.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

rng = np.random.default_rng(20240611)
layout = {  # stratum: (PSUs sampled, PSUs in the population)
    "Noord": (4, 12),
    "Oost": (3, 9),
    "Zuid": (5, 40),
    "West": (2, 6),
    "Caribisch": (1, 1),
    "Rijk": (3, 3),
    "Eiland": (1, 5),
}
rows = []
k = 0
for s, (n_psu, N_psu) in layout.items():
    for p in range(1, n_psu + 1):
        m = int(rng.integers(3, 9))
        for _ in range(m):
            k += 1
            w = (N_psu / n_psu) * float(rng.uniform(2.0, 9.0))
            x = float(np.round(rng.gamma(2.5, 2.0), 3))
            lin = -0.8 + 0.2 * x + {"Noord": 0.3, "Zuid": -0.4}.get(s, 0.0)
            y = int(rng.random() < 1 / (1 + np.exp(-lin)))
            dom = rng.choice(["man", "vrouw"], p=[0.5, 0.5])
            rows.append(dict(id=f"r{k}", stratum=s, psu=str(p), fpc=N_psu, weight=round(w, 4),
                             y=y, x=x, dom=dom))  # fmt: skip
# a small domain "x": a few rows in two PSUs of Noord and one of the census stratum Rijk
small = {("Noord", "1"), ("Noord", "3"), ("Rijk", "2")}
for i, row in enumerate(rows):
    if (row["stratum"], row["psu"]) in small and i % 3 == 0:
        row["dom"] = "x"
psus = sorted({(row["stratum"], row["psu"]) for row in rows})
fay = np.where(rng.random((len(psus), 8)) < 0.5, 0.3, 1.7)
boot = rng.integers(0, 4, (len(psus), 10)).astype(float)
for row in rows:
    i = psus.index((row["stratum"], row["psu"]))
    row.update({f"fay_{r + 1}": round(row["weight"] * fay[i, r], 4) for r in range(8)})
    row.update({f"boot_{r + 1}": round(row["weight"] * boot[i, r], 4) for r in range(10)})
with open(Path(__file__).parent / "mutants_data.csv", "w", newline="") as handle:
    writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
