"""Interval kernels for a Poisson count; :func:`rate_ci` divides them by the exposure.

Each kernel takes the observed events ``x`` (a float array of whole numbers >= 0) and
``alpha`` and returns bounds for the Poisson mean. References: Garwood (1936), Byar's
approximation as given by Rothman and Boice (1979), and Ulm (1990).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy import special

from vpt_monitor.stats._binomial import z_quantile
from vpt_monitor.stats._roots import bisect

FloatArray = NDArray[np.float64]
Bounds = tuple[FloatArray, FloatArray]
Kernel = Callable[[FloatArray, float], Bounds]


def exact(x: FloatArray, alpha: float) -> Bounds:
    """Garwood's exact limits: ``chi2(alpha/2, 2x) / 2`` and ``chi2(1 - alpha/2, 2x + 2) / 2``."""
    with np.errstate(invalid="ignore"):
        low = special.gammaincinv(x, alpha / 2.0)
    high = special.gammainccinv(x + 1.0, alpha / 2.0)
    return np.where(x == 0, 0.0, low), high


def mid_p(x: FloatArray, alpha: float) -> Bounds:
    """Mid-p limits: ``P(X > x) + P(X = x) / 2 = alpha / 2`` and its mirror for the upper.

    The roots lie between the exact limits of neighbouring counts, used as brackets.
    """
    exact_low, exact_high = exact(x, alpha)
    next_low = exact(x + 1.0, alpha)[0]
    prev_high = np.where(x > 0, exact(np.maximum(x - 1.0, 0.0), alpha)[1], 0.0)

    log_factorial = special.gammaln(x + 1.0)

    def half_pmf(mu: FloatArray) -> FloatArray:
        value: FloatArray = 0.5 * np.exp(special.xlogy(x, mu) - mu - log_factorial)
        return value

    def lower_tail(mu: FloatArray) -> FloatArray:
        # P(X > x) = P(x + 1, mu), the regularised lower incomplete gamma function
        value: FloatArray = special.gammainc(x + 1.0, mu) + half_pmf(mu) - alpha / 2.0
        return value

    def upper_tail(mu: FloatArray) -> FloatArray:
        # P(X < x) = Q(x, mu), the regularised upper incomplete gamma function; 0 at x = 0
        below = np.where(x > 0, special.gammaincc(np.maximum(x, 1.0), mu), 0.0)
        value: FloatArray = below + half_pmf(mu) - alpha / 2.0
        return value

    low = bisect(lower_tail, exact_low, next_low, increasing=True)
    high = bisect(upper_tail, prev_high, exact_high, increasing=False)
    return np.where(x == 0, 0.0, low), high


def byar(x: FloatArray, alpha: float) -> Bounds:
    """Byar's approximation to the exact limits (Wilson-Hilferty cube-root transform)."""
    z = z_quantile(alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * np.sqrt(x))) ** 3
    upper = x + 1.0
    high = upper * (1.0 - 1.0 / (9.0 * upper) + z / (3.0 * np.sqrt(upper))) ** 3
    return np.where(x == 0, 0.0, low), high


def wald(x: FloatArray, alpha: float) -> Bounds:
    """Return the normal-approximation bounds ``x -/+ z sqrt(x)``; zero width at ``x = 0``."""
    z = z_quantile(alpha)
    half = z * np.sqrt(x)
    return x - half, x + half


def score(x: FloatArray, alpha: float) -> Bounds:
    """Score interval: the means whose score test ``(x - mu) / sqrt(mu)`` is not rejected."""
    z = z_quantile(alpha)
    centre = x + z * z / 2.0
    half = z * np.sqrt(x + z * z / 4.0)
    return centre - half, centre + half


KERNELS: dict[str, Kernel] = {
    "exact": exact,
    "mid_p": mid_p,
    "byar": byar,
    "wald": wald,
    "score": score,
}
