"""Interval kernels for one binomial proportion.

Each kernel takes successes ``x`` and trials ``n`` (float arrays of one shape, already
validated, ``n > 0``) and the two-sided tail probability ``alpha``, and returns the bounds
before clipping. The references are Newcombe (1998a) and Brown, Cai and DasGupta (2001).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy import special

from vpt_monitor.stats import _distributions
from vpt_monitor.stats._roots import bisect

FloatArray = NDArray[np.float64]
Bounds = tuple[FloatArray, FloatArray]
Kernel = Callable[[FloatArray, FloatArray, float], Bounds]


def z_quantile(alpha: float) -> float:
    """Upper ``alpha / 2`` quantile of the standard normal, accurate for tiny ``alpha``."""
    return float(-special.ndtri(alpha / 2.0))


def wald(x: FloatArray, n: FloatArray, alpha: float) -> Bounds:
    """Return the normal-approximation (Laplace) bounds around ``x / n``; poor near 0 and 1."""
    z = z_quantile(alpha)
    p = x / n
    half = z * np.sqrt(p * (1.0 - p) / n)
    return p - half, p + half


def wilson(x: FloatArray, n: FloatArray, alpha: float) -> Bounds:
    """Score interval of Wilson (1927): the ``p`` whose score test is not rejected."""
    z = z_quantile(alpha)
    z2 = z * z
    p = x / n
    centre = (x + z2 / 2.0) / (n + z2)
    half = z * np.sqrt(n * p * (1.0 - p) + z2 / 4.0) / (n + z2)
    return centre - half, centre + half


def wilson_cc(x: FloatArray, n: FloatArray, alpha: float) -> Bounds:
    """Wilson's score interval with continuity correction (Newcombe 1998a, method 4)."""
    z = z_quantile(alpha)
    z2 = z * z
    p = x / n
    q = 1.0 - p
    denominator = 2.0 * (n + z2)
    with np.errstate(invalid="ignore"):
        low = (2 * n * p + z2 - 1 - z * np.sqrt(z2 - 2 - 1 / n + 4 * p * (n * q + 1))) / denominator
        high = (
            2 * n * p + z2 + 1 + z * np.sqrt(z2 + 2 - 1 / n + 4 * p * (n * q - 1))
        ) / denominator
    return np.where(x == 0, 0.0, low), np.where(x == n, 1.0, high)


def agresti_coull(x: FloatArray, n: FloatArray, alpha: float) -> Bounds:
    """Wald interval around Wilson's centre with ``z**2`` added trials (Agresti-Coull 1998)."""
    z = z_quantile(alpha)
    n_tilde = n + z * z
    p_tilde = (x + z * z / 2.0) / n_tilde
    half = z * np.sqrt(p_tilde * (1.0 - p_tilde) / n_tilde)
    return p_tilde - half, p_tilde + half


def jeffreys(x: FloatArray, n: FloatArray, alpha: float) -> Bounds:
    """Equal-tailed Jeffreys interval, with the ends set to 0 and 1 at x = 0 and x = n."""
    a, b = x + 0.5, n - x + 0.5
    low = _distributions.beta_ppf(alpha / 2.0, a, b)
    high = _distributions.beta_isf(alpha / 2.0, a, b)
    return np.where(x == 0, 0.0, low), np.where(x == n, 1.0, high)


def clopper_pearson(x: FloatArray, n: FloatArray, alpha: float) -> Bounds:
    """Exact interval of Clopper and Pearson (1934), by inverting two one-sided tests."""
    with np.errstate(invalid="ignore"):
        low = _distributions.beta_ppf(alpha / 2.0, x, n - x + 1.0)
        high = _distributions.beta_isf(alpha / 2.0, x + 1.0, n - x)
    return np.where(x == 0, 0.0, low), np.where(x == n, 1.0, high)


def mid_p(x: FloatArray, n: FloatArray, alpha: float) -> Bounds:
    """Mid-p interval: exact tails with half the probability of the observed count.

    The lower bound solves ``P(X > x) + P(X = x) / 2 = alpha / 2``, the upper bound
    ``P(X < x) + P(X = x) / 2 = alpha / 2``. Each lies between the Clopper-Pearson bounds of
    neighbouring counts, which serve as brackets.
    """
    exact_low, exact_high = clopper_pearson(x, n, alpha)
    next_low = np.where(x < n, clopper_pearson(np.minimum(x + 1, n), n, alpha)[0], 1.0)
    prev_high = np.where(x > 0, clopper_pearson(np.maximum(x - 1, 0), n, alpha)[1], 0.0)

    log_choose = special.gammaln(n + 1) - special.gammaln(x + 1) - special.gammaln(n - x + 1)
    tiny = np.finfo(np.float64).tiny

    def half_pmf(p: FloatArray) -> FloatArray:
        log_pmf = log_choose + special.xlogy(x, p) + special.xlog1py(n - x, -p)
        value: FloatArray = 0.5 * np.exp(log_pmf)
        return value

    def lower_tail(p: FloatArray) -> FloatArray:
        # P(X > x) = I_p(x + 1, n - x), zero at x = n
        above = np.where(x < n, special.betainc(x + 1, np.maximum(n - x, tiny), p), 0.0)
        value: FloatArray = above + half_pmf(p) - alpha / 2.0
        return value

    def upper_tail(p: FloatArray) -> FloatArray:
        # P(X < x) = I_(1-p)(n - x + 1, x), zero at x = 0
        below = np.where(x > 0, special.betainc(n - x + 1, np.maximum(x, tiny), 1 - p), 0.0)
        value: FloatArray = below + half_pmf(p) - alpha / 2.0
        return value

    low = bisect(lower_tail, exact_low, next_low, increasing=True)
    high = bisect(upper_tail, prev_high, exact_high, increasing=False)
    return np.where(x == 0, 0.0, low), np.where(x == n, 1.0, high)


def likelihood(x: FloatArray, n: FloatArray, alpha: float) -> Bounds:
    """Likelihood-ratio interval: ``2 [l(p_hat) - l(p)] <= chi2_1(1 - alpha)``."""
    z = z_quantile(alpha)
    p_hat = x / n

    def log_lik(p: FloatArray) -> FloatArray:
        value: FloatArray = special.xlogy(x, p) + special.xlog1py(n - x, -p)
        return value

    top = log_lik(p_hat)

    def excess(p: FloatArray) -> FloatArray:
        return 2.0 * (top - log_lik(p)) - z * z

    low = bisect(excess, np.zeros_like(p_hat), p_hat, increasing=False)
    high = bisect(excess, p_hat, np.ones_like(p_hat), increasing=True)
    return np.where(x == 0, 0.0, low), np.where(x == n, 1.0, high)


KERNELS: dict[str, Kernel] = {
    "wilson": wilson,
    "wald": wald,
    "wilson_cc": wilson_cc,
    "agresti_coull": agresti_coull,
    "jeffreys": jeffreys,
    "clopper_pearson": clopper_pearson,
    "mid_p": mid_p,
    "likelihood": likelihood,
}
