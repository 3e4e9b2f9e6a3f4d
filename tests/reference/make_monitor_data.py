"""Write the monitor test data: ``monitor_respondents.csv`` and ``monitor_incidents.csv``.

Run:  python tests/reference/make_monitor_data.py   (deterministic; the output is committed)

Two waves of a small monitor: offices in their layers as strata, organisations as clusters
with their own effect, finite populations of organisations (fpc), unequal weights, counts of
incidents per form, channels, consequences, aftercare, and incident records for a subset of
victims (one respondent reports many incidents). Water-board chairs have no victims, so that
a domain with 0 of n is present. Read by ``monitor.R`` and by the tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

rng = np.random.default_rng(20161129)
FORMS = ["verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel"]
CHANNELS = ["persoonlijk", "telefoon-post", "sociale-media"]
# office, layer, organisations in population, organisations sampled, respondents each, risk
OFFICES = [
    ("ambtenaar", "rijk", 40, 12, 12, 0.25),
    ("ambtenaar", "provincie", 12, 6, 10, 0.22),
    ("ambtenaar", "gemeente", 390, 25, 10, 0.35),
    ("ambtenaar", "waterschap", 22, 6, 8, 0.15),
    ("burgemeester", "gemeente", 390, 60, 1, 0.55),
    ("wethouder", "gemeente", 390, 40, 3, 0.45),
    ("raadslid", "gemeente", 390, 40, 6, 0.30),
    ("statenlid", "provincie", 12, 10, 5, 0.22),
    ("dijkgraaf", "waterschap", 22, 8, 1, 0.0),
]
resp_rows = []
inc_rows = []
rid = 0
for wave, shift in ((2014, -0.3), (2016, 0.0)):
    for office, layer, population, sampled, size, risk in OFFICES:
        for org in rng.choice(population, size=sampled, replace=False):
            effect = rng.normal(0, 0.5)
            for _ in range(size):
                rid += 1
                p = (
                    0.0
                    if risk == 0
                    else 1 / (1 + np.exp(-(np.log(risk / (1 - risk)) + effect + shift)))
                )
                victim = rng.random() < p
                counts = [0] * 5
                if victim:
                    counts[0] = int(rng.geometric(0.4))
                    if rng.random() < 0.4:
                        counts[1] = int(rng.geometric(0.5))
                    if rng.random() < 0.08:
                        counts[2] = 1
                    if rng.random() < 0.05:
                        counts[3] = int(rng.integers(1, 3))
                    if rng.random() < 0.15:
                        counts[0] += int(rng.integers(10, 60))  # series victims
                channels = [int(victim and rng.random() < q) for q in (0.7, 0.35, 0.25)]
                if victim and not any(channels):
                    channels[0] = 1
                consequences = [int(victim and rng.random() < q) for q in (0.3, 0.12, 0.2)]
                influence = int(office != "ambtenaar" and rng.random() < (0.2 if victim else 0.03))
                aftercare = "" if not victim or rng.random() < 0.2 else int(rng.random() < 0.5)
                weight = population * size / sampled * rng.uniform(0.7, 1.3)
                resp_rows.append(
                    [
                        f"r{rid}",
                        wave,
                        layer,
                        office,
                        round(weight, 4),
                        f"{wave}-{layer}-{office}",
                        f"{wave}-{layer}-{office}-{org}",
                        population,
                        *counts,
                        *channels,
                        *consequences,
                        influence,
                        aftercare,
                    ]
                )
                if victim and rng.random() < 0.8:
                    many = 6 if rng.random() < 0.05 else 1
                    for _ in range(many):
                        form = FORMS[int(np.argmax(counts))] if rng.random() < 0.8 else "bedreiging"
                        internal = "" if rng.random() < 0.1 else int(rng.random() < 0.55)
                        police = "" if rng.random() < 0.1 else int(rng.random() < 0.12)
                        inc_rows.append(
                            [
                                f"r{rid}",
                                wave,
                                form,
                                CHANNELS[int(rng.integers(0, 3))],
                                internal,
                                police,
                            ]
                        )

here = Path(__file__).parent
header = (
    "id,wave,layer,office,weight,stratum,cluster,fpc,"
    + ",".join(f"incidents:{f}" for f in FORMS)
    + ","
    + ",".join(f"channel:{c}" for c in CHANNELS)
    + ","
    + "consequence:minder-werkplezier,consequence:psychische-klachten,"
    + "consequence:gedrag-aangepast,consequence:besluitvorming-beinvloed,aftercare"
)
with (here / "monitor_respondents.csv").open("w") as handle:
    handle.write(header + "\n")
    for row in resp_rows:
        handle.write(",".join(str(v) for v in row) + "\n")
with (here / "monitor_incidents.csv").open("w") as handle:
    handle.write("respondent_id,wave,form,channel,reported_internally,police_report\n")
    for row in inc_rows:
        handle.write(",".join(str(v) for v in row) + "\n")
print(f"wrote {len(resp_rows)} respondents and {len(inc_rows)} incidents")
