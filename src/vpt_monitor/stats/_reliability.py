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

Every estimate
    - has a standard error (a quantile near 0 or 1 whose interval reaches beyond the data
      has none, as in R; a domain that a replicate drops has none);
    - has observations, and its standard error is not zero where the estimator flagged
      ``"zero_variance"`` (more than one row and an outcome that varies, yet no variance:
      for example all its PSUs lie in strata sampled completely). A zero standard error
      there says that the design cannot measure the uncertainty, not that there is none.

The rules are declared as data (:data:`RULES`): each names the quantity it checks, the limit
and the direction, so that a limit is stated once and tested at its boundary.
An estimate that breaks a rule is not reliable; the reasons say which rules it broke.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats import _design_ci

FloatArray = NDArray[np.float64]

MIN_EFFECTIVE_N = 30.0
MAX_ABSOLUTE_WIDTH = 0.30
RELATIVE_WIDTH_FROM = 0.05
MAX_RELATIVE_WIDTH = 1.30
MIN_DF = 8.0
MAX_RSE = 0.30
MIN_EVENTS = 20.0
#: Largest share of a domain's rows without an answer that still makes a publishable
#: estimate (the monitor's indicators flag more as ``"unanswered"``).
MAX_UNANSWERED = 0.30
UNANSWERED_REASON = "more than 30% of the domain did not answer"


@attrs.frozen
class Rule:
    """One publication rule: ``quantity >= limit`` (``at_least``) or ``quantity <= limit``."""

    quantity: str
    limit: float
    at_least: bool
    kinds: frozenset[str]
    reason: str

    def broken(self, value: FloatArray) -> NDArray[np.bool_]:
        """Where the rule is broken; a NaN quantity breaks it."""
        with np.errstate(invalid="ignore"):
            kept = value >= self.limit if self.at_least else value <= self.limit
        return np.asarray(~kept)


PROPORTION = frozenset({"proportion"})
RATE = frozenset({"rate"})
OTHER = frozenset({"mean", "total", "ratio", "contrast"})

#: The publication rules, in the order their reasons are reported.
RULES: tuple[Rule, ...] = (
    Rule("effective_n", MIN_EFFECTIVE_N, True, PROPORTION, "effective sample size below 30"),
    Rule("width", MAX_ABSOLUTE_WIDTH, False, PROPORTION, "interval wider than 0.30"),
    Rule(
        "relative_width",
        MAX_RELATIVE_WIDTH,
        False,
        PROPORTION,
        "interval wider than 130% of the estimate",
    ),
    Rule("df", MIN_DF, True, PROPORTION, "fewer than 8 degrees of freedom"),
    Rule("rse", MAX_RSE, False, RATE | OTHER, "relative standard error above 30%"),
    Rule("events", MIN_EVENTS, True, RATE, "fewer than 20 events"),
    Rule("df", MIN_DF, True, OTHER, "fewer than 8 degrees of freedom"),
)


#: Quantities computed from the standard error (NaN without one).
_OF_THE_STANDARD_ERROR = frozenset({"rse", "effective_n", "width", "relative_width"})


def quantities(
    kind: str,
    estimate: FloatArray,
    se: FloatArray,
    df: FloatArray,
    n: FloatArray,
    n_kish: FloatArray,
) -> dict[str, FloatArray]:
    """Compute the quantities the rules check, for arrays of estimates of one kind."""
    with np.errstate(divide="ignore", invalid="ignore"):
        values = {"df": df, "rse": se / np.abs(estimate), "events": n}
        if kind == "proportion":
            low, high, boundary = _design_ci.proportion_ci(
                estimate, se, df, n, n_kish, 0.95, "beta"
            )
            t = _design_ci.t_quantile(0.95, df)
            korn_graubard = (
                estimate * (1 - estimate) / se**2 * (_design_ci.t_quantile(0.95, n - 1.0) / t) ** 2
            )
            width = high - low
            values["effective_n"] = np.where(boundary, n_kish, korn_graubard)
            values["width"] = width
            # the relative rule applies only where the interval is wider than 0.05
            values["relative_width"] = np.where(width > RELATIVE_WIDTH_FROM, width / estimate, 0.0)
    return values


def rules(
    kind: str,
    estimate: FloatArray,
    se: FloatArray,
    df: FloatArray,
    n: FloatArray,
    n_kish: FloatArray,
    zero_variance: NDArray[np.bool_] | None = None,
    detail: Sequence[str] = (),
) -> list[tuple[NDArray[np.bool_], str | list[str]]]:
    """Return the broken-rule masks, each with its reason, for arrays of estimates.

    The reason of the zero-variance rule is a list, one text per estimate, that includes the
    estimator's explanation from ``detail``.
    """
    empty = n <= 0
    broken: list[tuple[NDArray[np.bool_], str | list[str]]] = [(empty, "no observations")]
    # a zero standard error where the outcome varies (a census, one PSU) says the estimate
    # has no measured uncertainty; the rules on the standard error would add reasons that
    # contradict it (an interval of width 0 "wider than 0.30", from a NaN)
    unmeasured = np.zeros(len(estimate), dtype=bool)
    if zero_variance is not None and zero_variance.any():
        unmeasured |= ~empty & zero_variance
        why = [
            "zero standard error" + (f": {text}" if text else "")
            for text in (detail or [""] * len(estimate))
        ]
        broken.append((~empty & zero_variance, why))
    # an estimate without a standard error (a quantile whose interval leaves the data) has
    # no uncertainty to publish with; the rules on the standard error would only repeat that
    with np.errstate(invalid="ignore"):
        without = ~empty & np.isnan(se) & np.isfinite(estimate)
    if without.any():
        why = [
            "no standard error" + (f": {text}" if text else "")
            for text in (detail or [""] * len(estimate))
        ]
        broken.append((without, why))
    unmeasured |= without
    values = quantities(kind, estimate, se, df, n, n_kish)
    for rule in RULES:
        if kind in rule.kinds:
            mask = ~empty & rule.broken(values[rule.quantity])
            if rule.quantity in _OF_THE_STANDARD_ERROR:
                mask &= ~unmeasured
            broken.append((mask, rule.reason))
    return broken


def assess(
    kind: str,
    estimate: Any,
    se: Any,
    df: Any,
    n: Any,
    n_kish: Any,
    zero_variance: Any = None,
    detail: Sequence[str] = (),
    *,
    unanswered: Any = None,
) -> tuple[NDArray[np.bool_], list[tuple[str, ...]]]:
    """Reliable flags and the reasons per estimate.

    ``unanswered`` marks the estimates whose domains lack too many answers
    (:data:`MAX_UNANSWERED`): unreliable, the first reason after an empty domain's.
    """
    e, s, d, m, k = (
        np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in (estimate, se, df, n, n_kish)
    )
    zero = None if zero_variance is None else np.atleast_1d(np.asarray(zero_variance, dtype=bool))
    broken = rules(kind, e, s, d, m, k, zero_variance=zero, detail=detail)
    if unanswered is not None:
        lacking = np.atleast_1d(np.asarray(unanswered, dtype=bool)) & (m > 0)
        broken.insert(1, (lacking, UNANSWERED_REASON))
    size = e.shape[0]
    failed = np.zeros(size, dtype=bool)
    reasons: list[list[str]] = [[] for _ in range(size)]
    for mask, reason in broken:
        failed |= mask
        for i in np.flatnonzero(mask):
            reasons[i].append(reason if isinstance(reason, str) else reason[i])
    return ~failed, [tuple(r) for r in reasons]
