"""Write ``factsheet_provinces.csv``: a province for every respondent of the monitor test data.

Run:  python tests/reference/make_factsheet_data.py   (deterministic; the output is committed)

One row per respondent of ``monitor_respondents.csv`` (by ``id``) with a province code of
:class:`vpt_monitor.Province`, or an empty cell (unknown) for about 3%. Provinces are drawn
per respondent, not per first-stage unit, so that a province and the rest of the country
share PSUs (the case where a domain's covariance with the rest matters); victims are more
often in the two Hollands, and Zeeland is rare. Read by ``factsheets.R`` and
``tests/test_factsheets.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

here = Path(__file__).parent
rng = np.random.default_rng(20261129)
provinces = [
    "groningen",
    "fryslan",
    "drenthe",
    "overijssel",
    "flevoland",
    "gelderland",
    "utrecht",
    "noord-holland",
    "zuid-holland",
    "zeeland",
    "noord-brabant",
    "limburg",
]
base = np.array([6, 6, 5, 9, 4, 12, 8, 15, 18, 1.5, 13, 7], dtype=float)
tilted = base.copy()
tilted[[7, 8]] *= 1.8  # the Hollands, for victims
with open(here / "monitor_respondents.csv", newline="") as handle:
    rows = list(csv.DictReader(handle))
forms = ["verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel"]
out = []
for row in rows:
    victim = any(row[f"incidents:{f}"] not in ("", "0") for f in forms)
    weights = tilted if victim else base
    province = str(rng.choice(provinces, p=weights / weights.sum()))
    if rng.random() < 0.03:
        province = ""
    out.append([row["id"], province])
with open(here / "factsheet_provinces.csv", "w", newline="") as handle:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["id", "province"])
    writer.writerows(out)
