"""Write ``organisations.csv`` and ``violations.csv``, the organisation-survey test data.

Run:  python tests/reference/make_organisation_data.py   (deterministic; output committed)

Two waves; organisations stratified by wave and layer with finite populations (40 state
organisations, 12 provinces, 390 municipalities, 22 water boards), unequal weights, the
twenty policy measures with layer-specific take-up (somewhat higher in 2016), employees, and
registered violations. Read by ``policy.R`` and the tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vpt_monitor.vocab import Measure

rng = np.random.default_rng(125)
LAYERS = {
    "rijk": (40, 18, 0.75),
    "provincie": (12, 10, 0.7),
    "gemeente": (390, 60, 0.6),
    "waterschap": (22, 9, 0.55),
}
measures = list(Measure)
rows = []
violations = []
for wave, lift in ((2014, -0.1), (2016, 0.0)):
    for layer, (population, sampled, base) in LAYERS.items():
        for k in rng.choice(population, size=sampled, replace=False):
            org = f"{layer}-{k}"
            strength = rng.normal(0, 0.8)
            have = [
                int(
                    rng.random()
                    < 1
                    / (
                        1
                        + np.exp(-(np.log(base / (1 - base)) + lift + strength + 0.3 * (j % 3 - 1)))
                    )
                )
                for j in range(len(measures))
            ]
            employees = int(rng.integers(50, 4000))
            weight = population / sampled * rng.uniform(0.8, 1.2)
            rows.append(
                [
                    org,
                    wave,
                    layer,
                    employees,
                    round(weight, 4),
                    f"{wave}-{layer}",
                    population,
                    *have,
                ]
            )
            for _ in range(int(rng.poisson(employees / 1000 * 1.5))):
                violations.append(
                    [
                        org,
                        wave,
                        str(rng.choice(["fraude", "geschenken", "belangenverstrengeling"])),
                        str(rng.choice(["vermoeden", "vastgesteld"])),
                    ]
                )

here = Path(__file__).parent
with (here / "organisations.csv").open("w") as handle:
    handle.write(
        "id,wave,layer,employees,weight,stratum,fpc,"
        + ",".join(f"measure:{m.value}" for m in measures)
        + "\n"
    )
    for row in rows:
        handle.write(",".join(str(v) for v in row) + "\n")
with (here / "violations.csv").open("w") as handle:
    handle.write("organisation_id,wave,kind,status\n")
    for row in violations:
        handle.write(",".join(str(v) for v in row) + "\n")
print(f"wrote {len(rows)} organisations and {len(violations)} violations")
