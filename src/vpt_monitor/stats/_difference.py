"""Interval kernels for the difference of two independent binomial proportions.

Each kernel takes ``x1, n1, x2, n2`` (float arrays of one shape, validated, ``n > 0``) and
``alpha`` and returns bounds for ``p1 - p2`` before clipping. Method numbers refer to
Newcombe (1998b), which compares eleven methods.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats import _binomial
from vpt_monitor.stats._roots import bisect

FloatArray = NDArray[np.float64]
Bounds = tuple[FloatArray, FloatArray]
Kernel = Callable[[FloatArray, FloatArray, FloatArray, FloatArray, float], Bounds]


def wald(x1: FloatArray, n1: FloatArray, x2: FloatArray, n2: FloatArray, alpha: float) -> Bounds:
    """Return the normal-approximation bounds with the unrestricted variance (method 1)."""
    z = _binomial.z_quantile(alpha)
    p1, p2 = x1 / n1, x2 / n2
    half = z * np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return p1 - p2 - half, p1 - p2 + half


def _hybrid(
    x1: FloatArray,
    n1: FloatArray,
    x2: FloatArray,
    n2: FloatArray,
    alpha: float,
    single: _binomial.Kernel,
) -> Bounds:
    """Square-and-add the distances from each estimate to its own single-sample bounds."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = single(x1, n1, alpha)
    l2, u2 = single(x2, n2, alpha)
    d = p1 - p2
    return (
        d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def newcombe(
    x1: FloatArray, n1: FloatArray, x2: FloatArray, n2: FloatArray, alpha: float
) -> Bounds:
    """Hybrid score interval from two Wilson intervals (Newcombe method 10)."""
    return _hybrid(x1, n1, x2, n2, alpha, _binomial.wilson)


def newcombe_cc(
    x1: FloatArray, n1: FloatArray, x2: FloatArray, n2: FloatArray, alpha: float
) -> Bounds:
    """Hybrid score interval from continuity-corrected Wilson intervals (method 11)."""
    return _hybrid(x1, n1, x2, n2, alpha, _binomial.wilson_cc)


def agresti_caffo(
    x1: FloatArray, n1: FloatArray, x2: FloatArray, n2: FloatArray, alpha: float
) -> Bounds:
    """Wald interval after adding one success and one failure to each sample (2000)."""
    return wald(x1 + 1, n1 + 2, x2 + 1, n2 + 2, alpha)


def restricted_mle(
    x1: FloatArray, n1: FloatArray, x2: FloatArray, n2: FloatArray, delta: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Maximum-likelihood ``(p1, p2)`` under the restriction ``p1 - p2 = delta``.

    The closed-form root of the likelihood equation's cubic (Miettinen and Nurminen 1985;
    Farrington and Manning 1990), with ``theta = n2 / n1``.
    """
    p1, p2 = x1 / n1, x2 / n2
    theta = n2 / n1
    a = 1.0 + theta
    b = -(1.0 + theta + p1 + theta * p2 + delta * (theta + 2.0))
    c = delta * delta + delta * (2.0 * p1 + theta + 1.0) + p1 + theta * p2
    d = -p1 * delta * (1.0 + delta)
    v = b**3 / (3.0 * a) ** 3 - b * c / (6.0 * a * a) + d / (2.0 * a)
    u = np.sign(v) * np.sqrt(np.maximum(b * b / (3.0 * a) ** 2 - c / (3.0 * a), 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.clip(np.where(u == 0, 0.0, v / u**3), -1.0, 1.0)
    w = (np.pi + np.arccos(cosine)) / 3.0
    q1 = np.clip(2.0 * u * np.cos(w) - b / (3.0 * a), 0.0, 1.0)
    q2 = np.clip(q1 - delta, 0.0, 1.0)
    return q1, q2


def _score(
    x1: FloatArray,
    n1: FloatArray,
    x2: FloatArray,
    n2: FloatArray,
    alpha: float,
    factor: FloatArray,
) -> Bounds:
    """Invert the score test of ``p1 - p2 = delta`` with variance inflated by ``factor``."""
    z = _binomial.z_quantile(alpha)
    d = x1 / n1 - x2 / n2

    def statistic(delta: FloatArray) -> FloatArray:
        q1, q2 = restricted_mle(x1, n1, x2, n2, delta)
        variance = factor * (q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2)
        value: FloatArray = (d - delta) / np.sqrt(variance)
        return value

    low = bisect(lambda delta: statistic(delta) - z, -np.ones_like(d), d, increasing=False)
    high = bisect(lambda delta: statistic(delta) + z, d, np.ones_like(d), increasing=False)
    return low, high


def mee(x1: FloatArray, n1: FloatArray, x2: FloatArray, n2: FloatArray, alpha: float) -> Bounds:
    """Score interval of Mee (1984), restricted-MLE variance (Newcombe method 5)."""
    return _score(x1, n1, x2, n2, alpha, np.ones_like(x1))


def miettinen_nurminen(
    x1: FloatArray, n1: FloatArray, x2: FloatArray, n2: FloatArray, alpha: float
) -> Bounds:
    """Score interval of Miettinen and Nurminen (1985): Mee's variance times N / (N - 1)."""
    total = n1 + n2
    return _score(x1, n1, x2, n2, alpha, total / (total - 1.0))


KERNELS: dict[str, Kernel] = {
    "newcombe": newcombe,
    "wald": wald,
    "newcombe_cc": newcombe_cc,
    "agresti_caffo": agresti_caffo,
    "mee": mee,
    "miettinen_nurminen": miettinen_nurminen,
}
