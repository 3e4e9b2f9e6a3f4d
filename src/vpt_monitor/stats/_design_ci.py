"""Confidence intervals for design-based estimates, vectorised over domains.

Two families: a Student-t interval for any estimate (mean, total, ratio, contrast), and the
interval methods of R ``survey``'s ``svyciprop`` for a proportion, plus Wilson and
Clopper-Pearson on the effective sample size. Where an estimated proportion is exactly 0 or
1 the variance estimate is 0 and the usual intervals do not exist; there the one-sided exact
(Clopper-Pearson) bound on Kish's effective sample size is returned and the estimate is
flagged ``"boundary"``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import special

from vpt_monitor.stats import _distributions
from vpt_monitor.stats._roots import bisect
from vpt_monitor.stats._validation import check_choice

FloatArray = NDArray[np.float64]

PROPORTION_METHODS = (
    "logit",
    "xlogit",
    "likelihood",
    "asin",
    "beta",
    "mean",
    "wilson",
    "clopper_pearson",
)
ESTIMATE_METHODS = ("t", "normal", "log", "logit")


def t_quantile(level: float, df: FloatArray) -> FloatArray:
    """Two-sided quantile of Student's t; the normal one where ``df`` is infinite."""
    alpha = 1.0 - level
    with np.errstate(invalid="ignore"):
        q: FloatArray = np.where(
            np.isinf(df), -special.ndtri(alpha / 2.0), _distributions.t_isf(alpha / 2.0, df)
        )
    return np.where(df > 0, q, np.nan)


def estimate_ci(
    estimate: FloatArray, se: FloatArray, df: FloatArray, level: float, method: str
) -> tuple[FloatArray, FloatArray]:
    """Interval ``estimate -/+ q se`` with a t (or normal) quantile, or on the log scale.

    ``"log"``: ``exp(log(estimate) -/+ q se / estimate)`` for a positive estimate (the delta
    method's standard error of the log), NaN for an estimate that is not positive.
    ``"logit"``: ``expit(logit(estimate) -/+ q se / (estimate (1 - estimate)))`` for an
    estimate strictly between 0 and 1 (such as a predicted probability), NaN otherwise.
    """
    method = check_choice("method", method, ESTIMATE_METHODS)
    q = t_quantile(level, np.full_like(se, np.inf) if method == "normal" else df)
    if method == "log":
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            positive = estimate > 0
            safe = np.where(positive, estimate, 1.0)
            half = q * se / safe
            low = np.where(positive, safe * np.exp(-half), np.nan)
            high = np.where(positive, safe * np.exp(half), np.nan)
        return low, high
    if method == "logit":
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            inside = (estimate > 0) & (estimate < 1)
            safe = np.where(inside, estimate, 0.5)
            centre = np.log(safe / (1.0 - safe))
            half = q * se / (safe * (1.0 - safe))
            low = np.where(inside, special.expit(centre - half), np.nan)
            high = np.where(inside, special.expit(centre + half), np.nan)
        return low, high
    return estimate - q * se, estimate + q * se


def proportion_ci(
    p: FloatArray,
    se: FloatArray,
    df: FloatArray,
    n: FloatArray,
    n_kish: FloatArray,
    level: float,
    method: str,
    logit_se: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """Interval for a design-based proportion; returns ``(low, high, at_boundary)``.

    ``logit_se``, where given and not NaN, is a replicate standard error of the log-odds that
    the ``"logit"`` method uses instead of the delta method's (``"xlogit"`` always uses the
    delta method).
    """
    method = check_choice("method", method, PROPORTION_METHODS)
    alpha = 1.0 - level
    t = t_quantile(level, df)
    boundary = (p <= 0.0) | (p >= 1.0)
    inner = np.where(boundary, 0.5, p)
    pq = inner * (1.0 - inner)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method in ("logit", "xlogit"):
            centre = np.log(inner / (1.0 - inner))
            half = t * se / pq
            if method == "logit" and logit_se is not None:
                half = np.where(np.isnan(logit_se), half, t * logit_se)
            low, high = special.expit(centre - half), special.expit(centre + half)
        elif method == "asin":
            centre = np.arcsin(np.sqrt(inner))
            half = t * se / (2.0 * np.sqrt(pq))
            low = np.sin(np.clip(centre - half, 0.0, np.pi / 2)) ** 2
            high = np.sin(np.clip(centre + half, 0.0, np.pi / 2)) ** 2
        elif method == "mean":
            low, high = inner - t * se, inner + t * se
        elif method == "likelihood":
            low, high = _likelihood(inner, se, t, n)
        else:
            n_eff = pq / se**2
            if method == "beta":
                # Korn and Graubard (1998): effective n scaled by (t_{n-1} / t_df)^2
                n_eff = n_eff * (t_quantile(level, n - 1.0) / t) ** 2
            x = inner * n_eff
            if method == "wilson":
                t2 = t * t
                centre = (x + t2 / 2.0) / (n_eff + t2)
                half = t * np.sqrt(n_eff * pq + t2 / 4.0) / (n_eff + t2)
                low, high = centre - half, centre + half
            else:  # beta, clopper_pearson
                low = _distributions.beta_ppf(alpha / 2.0, x, n_eff - x + 1.0)
                high = _distributions.beta_isf(alpha / 2.0, x + 1.0, n_eff - x)
        # one-sided exact bound at 0 or 1 on Kish's effective sample size
        edge = 1.0 - alpha ** (1.0 / n_kish)
    low = np.where(boundary, np.where(p <= 0.0, 0.0, 1.0 - edge), low)
    high = np.where(boundary, np.where(p <= 0.0, edge, 1.0), high)
    return np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0), boundary


def _likelihood(
    p: FloatArray, se: FloatArray, t: FloatArray, n: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Design-scaled likelihood-ratio interval of a proportion (R's svyciprop "likelihood").

    R profiles the quasi-binomial deviance of ``svyglm(y ~ 1)`` with weights scaled to mean 1
    and keeps the ``p`` whose deviance rise, divided by the dispersion ``n / (n - 1)``, stays
    within ``t^2`` times the ratio of the design to the model-based variance. For one
    proportion that is ``2 KL(p_hat || p) <= t^2 se^2 n / ((n - 1) p_hat (1 - p_hat))``,
    solved here exactly (R interpolates a spline through a coarse profile).
    """
    limit = t * t * se * se * n / ((n - 1.0) * p * (1.0 - p)) / 2.0

    def excess(q: FloatArray) -> FloatArray:
        kl = special.xlogy(p, p / q) + special.xlogy(1.0 - p, (1.0 - p) / (1.0 - q))
        value: FloatArray = kl - limit
        return value

    low = bisect(excess, np.zeros_like(p), p, increasing=False)
    high = bisect(excess, p, np.ones_like(p), increasing=True)
    return low, high
