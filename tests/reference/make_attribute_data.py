"""Write ``monitor_attributes.csv``: respondent attributes for the monitor test data.

Run:  python tests/reference/make_attribute_data.py   (deterministic; the output is committed)

One row per respondent of ``monitor_respondents.csv`` (by ``id``): the built-in ``gender``
(m, v, x; some unknown), a declared category ``region`` (four codes, one of them never
used, some unknown), a whole number ``team_size`` (1 to 5, some unknown) and a yes/no
``works_shifts`` (some unknown). Victims are women somewhat more often. Read by
``attributes.R`` and the tests.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

here = Path(__file__).parent
rng = np.random.default_rng(20240101)
with open(here / "monitor_respondents.csv", newline="") as handle:
    rows = list(csv.DictReader(handle))
forms = ["verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel"]
out = []
for row in rows:
    victim = any(row[f"incidents:{f}"] not in ("", "0") for f in forms)
    woman = rng.random() < (0.55 if victim else 0.4)
    gender = "v" if woman else ("x" if rng.random() < 0.02 else "m")
    if rng.random() < 0.03:
        gender = ""
    region = rng.choice(["noord", "zuid", "west"], p=[0.3, 0.3, 0.4])  # "oost" never occurs
    if rng.random() < 0.02:
        region = ""
    team = str(rng.integers(1, 6)) if rng.random() > 0.04 else ""
    shifts = ("ja" if rng.random() < 0.3 else "nee") if rng.random() > 0.05 else ""
    out.append([row["id"], gender, region, team, shifts])
with open(here / "monitor_attributes.csv", "w", newline="") as handle:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["id", "gender", "region", "team_size", "works_shifts"])
    writer.writerows(out)
