"""Actual coverage of the count-interval methods over a grid of n and p.

Coverage is computed exactly, not by simulation: for a given ``n`` and true ``p`` it is the
binomial probability of the counts ``x`` whose interval contains ``p``. The study prints, per
method, the mean and the minimum coverage over the grid and the share of the grid where the
coverage falls below 93% for a nominal 95%, and draws coverage against ``p`` for each ``n``.

Run:  python benchmarks/coverage_study.py [--out benchmarks/out]   (needs matplotlib)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy import stats

from vpt_monitor.stats import proportion_ci
from vpt_monitor.stats.intervals import PROPORTION_METHODS

SIZES = (10, 20, 50, 100, 250, 500)
P_GRID = np.linspace(0.005, 0.995, 397)


def coverage(method: str, n: int, p: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Exact coverage at each true ``p`` for sample size ``n``."""
    x = np.arange(n + 1)
    ci = proportion_ci(x, n, method=method, level=level)
    inside = (ci.low[:, None] <= p[None, :]) & (p[None, :] <= ci.high[:, None])
    weights = stats.binom.pmf(x[:, None], n, p[None, :])
    return (weights * inside).sum(axis=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    table = {m: np.array([coverage(m, n, P_GRID) for n in SIZES]) for m in PROPORTION_METHODS}
    print(f"{'method':<18}{'mean':>8}{'min':>8}{'< 93%':>8}   (nominal 95%, n in {SIZES})")
    lines = ["method,n,p,coverage"]
    for method, cov in table.items():
        print(f"{method:<18}{cov.mean():8.3f}{cov.min():8.3f}{(cov < 0.93).mean():8.1%}")
        for i, n in enumerate(SIZES):
            lines += [f"{method},{n},{p:.4f},{c:.6f}" for p, c in zip(P_GRID, cov[i], strict=True)]
    (args.out / "coverage.csv").write_text("\n".join(lines) + "\n")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        len(PROPORTION_METHODS), len(SIZES), figsize=(16, 18), sharex=True, sharey=True
    )
    for row, (method, cov) in enumerate(table.items()):
        for col, n in enumerate(SIZES):
            ax = axes[row, col]
            ax.plot(P_GRID, cov[col], lw=0.6, color="#1f4e79")
            ax.axhline(0.95, color="#c0392b", lw=0.8)
            ax.set_ylim(0.80, 1.0)
            if row == 0:
                ax.set_title(f"n = {n}")
            if col == 0:
                ax.set_ylabel(method)
    fig.supxlabel("true proportion p")
    fig.suptitle("Actual coverage of nominal 95% intervals (red line: 95%)")
    fig.tight_layout(rect=(0, 0, 1, 0.98))
    fig.savefig(args.out / "coverage.png", dpi=90)
    print(f"wrote {args.out / 'coverage.png'} and {args.out / 'coverage.csv'}")


if __name__ == "__main__":
    main()
