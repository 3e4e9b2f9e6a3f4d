"""Write ``frames_data.csv``, the sample that ``frames.R`` and the frame tests both read.

Run:  python tests/reference/make_frames_data.py   (deterministic; the output is committed)

A survey file as agencies publish them: 48 clusters in 8 strata of 3 to 8 clusters (stratum
labels as text), unequal weights, a continuous outcome, a binary one and a positive
denominator, a domain variable with four levels and a second one with two, and the same
variables with missing values (empty cells) in a fixed pattern. Replicate weights come with
the file, made here from their textbook definitions (not by vpt_monitor):

- ``jk1_01`` .. ``jk1_48``: delete-one-cluster jackknife, the others times 48/47;
- ``jkn_01`` .. ``jkn_48``: stratified jackknife, replicate ``k`` drops cluster ``k`` and
  multiplies the other clusters of its stratum by ``n_h / (n_h - 1)``;
- ``brr_01`` .. ``brr_24`` and ``fay_01`` .. ``fay_24``: half-samples of the 24 pairs of
  clusters (clusters 2j-1 and 2j), from Sylvester's Hadamard matrix of order 32 (rows 1 to
  24, columns 1 to 24 of 32); Fay's with rho = 0.3;
- ``boot_01`` .. ``boot_30``: Rao-Wu rescaling bootstrap within strata, n_h - 1 clusters
  drawn with replacement, weight factor n_h / (n_h - 1) times the number of draws.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.linalg import hadamard

rng = np.random.default_rng(20240616)
sizes = [3, 4, 5, 6, 7, 8, 7, 8]
stratum_of = np.repeat(np.arange(8), sizes)  # cluster k (0-based) -> stratum
n_clusters = len(stratum_of)
rows = []
for k in range(n_clusters):
    effect = rng.normal(0, 1.0)
    for _ in range(int(rng.integers(3, 8))):
        g = rng.choice(["a", "b", "c", "d"], p=[0.35, 0.3, 0.2, 0.15])
        g2 = rng.choice(["x", "y"])
        y = 20 + 3 * effect + rng.normal(0, 4) + (g == "c") * 3
        b = int(rng.random() < 1 / (1 + np.exp(-(-0.5 + 0.5 * effect + 0.8 * (g == "a")))))
        x = float(rng.integers(1, 8))
        w = float(np.round(rng.uniform(10, 90), 3))
        rows.append((f"s{stratum_of[k] + 1}", k + 1, w, y, b, x, g, g2))

n = len(rows)
cluster = np.array([r[1] for r in rows]) - 1
weight = np.array([r[2] for r in rows])
row = np.arange(n)

# missing values in a fixed pattern
y_na = np.where(row % 11 == 3, np.nan, [r[3] for r in rows])
x_na = np.where(row % 13 == 5, np.nan, [r[5] for r in rows])
b_na = np.where(row % 9 == 2, np.nan, [float(r[4]) for r in rows])
g_na = np.where(row % 17 == 7, "", [r[6] for r in rows])

columns: dict[str, np.ndarray] = {}
factor = n_clusters / (n_clusters - 1)
for k in range(n_clusters):
    columns[f"jk1_{k + 1:02d}"] = np.where(cluster == k, 0.0, weight * factor)
n_h = np.bincount(stratum_of)
for k in range(n_clusters):
    h = stratum_of[k]
    same = stratum_of[cluster] == h
    scale = n_h[h] / (n_h[h] - 1)
    columns[f"jkn_{k + 1:02d}"] = np.where(
        cluster == k, 0.0, np.where(same, weight * scale, weight)
    )
H = hadamard(32)
pair = cluster // 2
first = cluster % 2 == 0
for r in range(24):
    high = np.where(first, H[pair + 1, r] == 1, H[pair + 1, r] != 1)
    columns[f"brr_{r + 1:02d}"] = weight * np.where(high, 2.0, 0.0)
    columns[f"fay_{r + 1:02d}"] = weight * np.where(high, 1.7, 0.3)
starts = np.concatenate([[0], np.cumsum(n_h)[:-1]])
for r in range(30):
    times = np.zeros(n_clusters)
    for h in range(8):
        draws = rng.integers(0, n_h[h], n_h[h] - 1) + starts[h]
        np.add.at(times, draws, 1.0)
    multiplier = times * (n_h / (n_h - 1))[stratum_of]
    columns[f"boot_{r + 1:02d}"] = weight * multiplier[cluster]

out = Path(__file__).with_name("frames_data.csv")
header = ["stratum", "cluster", "weight", "y", "b", "x", "g", "g2", "y_na", "x_na", "b_na", "g_na"]
with out.open("w") as handle:
    handle.write(",".join([*header, *columns]) + "\n")
    for i, r in enumerate(rows):
        cells = [
            r[0],
            str(r[1]),
            f"{r[2]:.3f}",
            f"{r[3]:.6f}",
            str(r[4]),
            f"{r[5]:.0f}",
            r[6],
            r[7],
            "" if np.isnan(y_na[i]) else f"{y_na[i]:.6f}",
            "" if np.isnan(x_na[i]) else f"{x_na[i]:.0f}",
            "" if np.isnan(b_na[i]) else f"{b_na[i]:.0f}",
            str(g_na[i]),
        ]
        cells += [f"{values[i]:.8g}" for values in columns.values()]
        handle.write(",".join(cells) + "\n")
print(f"wrote {n} rows and {len(columns)} replicate-weight columns to {out}")
