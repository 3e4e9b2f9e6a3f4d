r"""Publication rules: whether an estimate is reliable enough to publish.

The rules follow the NCHS data presentation standards (Parker et al. 2017 for proportions;
the relative-standard-error rule for other statistics), which statistical agencies use to
suppress or mark small cells:

Proportions
    - the Korn-Graubard effective sample size is at least 30 (Kish's effective sample size
      where the proportion is 0 or 1);
    - the Korn-Graubard 95% interval is at most 0.30 wide;
    - where that interval is wider than 0.05, its width relative to the proportion is at most
      130%;
    - at least 8 degrees of freedom.

Rates
    - at least 20 events, and a relative standard error of at most 30%.

Means, totals, ratios and contrasts
    - a relative standard error of at most 30% and at least 8 degrees of freedom.

An estimate that breaks a rule is not reliable; the reasons say which rules it broke.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats import _design_ci

MIN_EFFECTIVE_N = 30.0
MAX_ABSOLUTE_WIDTH = 0.30
RELATIVE_WIDTH_FROM = 0.05
MAX_RELATIVE_WIDTH = 1.30
MIN_DF = 8.0
MAX_RSE = 0.30
MIN_EVENTS = 20.0


def rules(
    kind: str,
    estimate: NDArray[np.float64],
    se: NDArray[np.float64],
    df: NDArray[np.float64],
    n: NDArray[np.float64],
    n_kish: NDArray[np.float64],
) -> list[tuple[NDArray[np.bool_], str]]:
    """Return the broken-rule masks, each with its reason, for arrays of estimates."""
    broken: list[tuple[NDArray[np.bool_], str]] = []
    empty = n <= 0
    broken.append((empty, "no observations"))
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "proportion":
            low, high, boundary = _design_ci.proportion_ci(
                estimate, se, df, n, n_kish, 0.95, "beta"
            )
            t = _design_ci.t_quantile(0.95, df)
            korn_graubard = (
                estimate * (1 - estimate) / se**2 * (_design_ci.t_quantile(0.95, n - 1.0) / t) ** 2
            )
            effective = np.where(boundary, n_kish, korn_graubard)
            width = high - low
            broken.append(
                (~empty & ~(effective >= MIN_EFFECTIVE_N), "effective sample size below 30")
            )
            broken.append((~empty & ~(width <= MAX_ABSOLUTE_WIDTH), "interval wider than 0.30"))
            relative = width / estimate
            broken.append(
                (
                    ~empty & (width > RELATIVE_WIDTH_FROM) & ~(relative <= MAX_RELATIVE_WIDTH),
                    "interval wider than 130% of the estimate",
                )
            )
            broken.append((~empty & ~(df >= MIN_DF), "fewer than 8 degrees of freedom"))
        else:
            rse = se / np.abs(estimate)
            broken.append((~empty & ~(rse <= MAX_RSE), "relative standard error above 30%"))
            if kind == "rate":
                broken.append((~empty & (n < MIN_EVENTS), "fewer than 20 events"))
            else:
                broken.append((~empty & ~(df >= MIN_DF), "fewer than 8 degrees of freedom"))
    return broken


def assess(
    kind: str, estimate: Any, se: Any, df: Any, n: Any, n_kish: Any
) -> tuple[NDArray[np.bool_], list[tuple[str, ...]]]:
    """Reliable flags and the reasons per estimate."""
    arrays = [np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in (estimate, se, df, n, n_kish)]
    broken = rules(kind, *arrays)
    size = arrays[0].shape[0]
    failed = np.zeros(size, dtype=bool)
    reasons: list[list[str]] = [[] for _ in range(size)]
    for mask, reason in broken:
        failed |= mask
        for i in np.flatnonzero(mask):
            reasons[i].append(reason)
    return ~failed, [tuple(r) for r in reasons]
