"""Write ``panel_data.csv``, a panel of organisations that ``contrasts.R`` and the tests read.

Run:  python tests/reference/make_panel_data.py   (deterministic; the output is committed)

Organisations (the PSUs) in four layers (strata) are surveyed in the waves 2012, 2014 and
2016, with the same organisation labels in every wave: a panel, so waves share PSUs and their
estimates are correlated. Wave 2016 covers every organisation, 2014 all but every fifth, and
2012 only part of the municipalities and provinces, so pairs of waves have different degrees
of freedom. The "rijk" layer is a census of its
three organisations (fpc equal to the sample), so its estimates have no sampling variance.
Respondents per organisation and wave vary; a binary outcome ("victim") and a continuous one
("score") carry an organisation effect.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

rng = np.random.default_rng(20240611)
layers = {  # layer: (organisations sampled, organisations in the population)
    "gemeente": (10, 340),
    "provincie": (6, 12),
    "waterschap": (4, 21),
    "rijk": (3, 3),
}
rows = []
organisation = 0
for layer, (sampled, population) in layers.items():
    for _ in range(sampled):
        organisation += 1
        effect = rng.normal(0.0, 0.8)
        for wave in (2012, 2014, 2016):
            if wave == 2012 and (layer in ("waterschap", "rijk") or organisation % 3 == 0):
                continue
            if wave == 2014 and organisation % 5 == 0:
                continue
            for _ in range(int(rng.integers(3, 12))):
                logit = -1.0 + effect + 0.3 * (wave == 2016)
                victim = int(rng.random() < 1.0 / (1.0 + np.exp(-logit)))
                score = 50.0 + 10.0 * effect + rng.normal(0.0, 8.0) + 2.0 * (wave == 2016)
                weight = float(np.round(rng.uniform(5.0, 40.0), 3))
                rows.append((wave, layer, organisation, population, weight, victim, score))

out = Path(__file__).with_name("panel_data.csv")
with out.open("w") as handle:
    handle.write("wave,layer,org,fpc,weight,victim,score\n")
    for r in rows:
        handle.write(f"{r[0]},{r[1]},{r[2]},{r[3]},{r[4]:.3f},{r[5]},{r[6]:.4f}\n")
print(f"wrote {len(rows)} rows to {out}")
