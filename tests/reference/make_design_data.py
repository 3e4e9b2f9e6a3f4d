"""Write ``design_data.csv``, the sample that ``design.R`` and the tests both read.

Run:  python tests/reference/make_design_data.py   (deterministic; the output is committed)

Six strata with 1 to 9 clusters each (stratum "h6" has a single PSU), unequal weights, a
continuous outcome with a cluster effect, a binary outcome, a positive denominator, a domain
variable with four levels (level "d" has no positive outcome) and a second, crossed one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

rng = np.random.default_rng(20161129)
psu_per_stratum = {"h1": 6, "h2": 9, "h3": 4, "h4": 2, "h5": 7, "h6": 1}
population_psu = {"h1": 30, "h2": 20, "h3": 4, "h4": 50, "h5": 8, "h6": 5}
rows = []
cluster_id = 0
for stratum, k in psu_per_stratum.items():
    for _ in range(k):
        cluster_id += 1
        size = int(rng.integers(3, 15))
        effect = rng.normal(0, 1.0)
        for _ in range(size):
            g = rng.choice(["a", "b", "c", "d"], p=[0.4, 0.3, 0.2, 0.1])
            g2 = rng.choice(["x", "y"])
            y = 10 + 2 * effect + rng.normal(0, 3) + (g == "b") * 2
            p = 0.0 if g == "d" else 1 / (1 + np.exp(-(-0.8 + 0.6 * effect + (g == "a"))))
            b = int(rng.random() < p)
            x = float(rng.integers(1, 6))
            w = float(np.round(rng.uniform(5, 60), 3))
            rows.append((stratum, cluster_id, population_psu[stratum], w, y, b, x, g, g2))

out = Path(__file__).with_name("design_data.csv")
with out.open("w") as handle:
    handle.write("stratum,cluster,fpc,weight,y,b,x,g,g2\n")
    for r in rows:
        handle.write(
            f"{r[0]},{r[1]},{r[2]},{r[3]:.3f},{r[4]:.6f},{r[5]},{r[6]:.0f},{r[7]},{r[8]}\n"
        )
print(f"wrote {len(rows)} rows to {out}")
