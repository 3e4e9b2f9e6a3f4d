"""Vectorised root finding for interval bounds defined by an equation.

Interval methods such as mid-p, likelihood ratio and the score intervals of Mee and of
Miettinen and Nurminen define each bound as the root of a monotone function. Their roots are
found for a whole array at once by bisection on brackets that the caller proves: only interior
points are evaluated, so a function that is infinite or undefined at a bracket's end is fine.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

_MAX_ITERATIONS = 2000
_RTOL = 4.0 * np.finfo(np.float64).eps


def bisect(
    func: Callable[[FloatArray], FloatArray],
    lo: FloatArray,
    hi: FloatArray,
    *,
    increasing: bool,
) -> FloatArray:
    """Find, element-wise, the root of a monotone ``func`` between ``lo`` and ``hi``.

    Parameters
    ----------
    func : callable
        Vectorised function of one array; it must be monotone on each bracket, increasing
        when ``increasing`` is true, and change sign inside it.
    lo, hi : numpy.ndarray
        Brackets, ``lo <= hi``, one per element. Their ends are never evaluated.
    increasing : bool
        Whether ``func`` increases from ``lo`` to ``hi``.

    Returns
    -------
    numpy.ndarray
        The roots, to a relative accuracy of a few units in the last place. Where ``func``
        keeps one sign on the whole bracket the result is the bracket's end on the side of
        the missing root.
    """
    lo = np.array(lo, dtype=np.float64, copy=True)
    hi = np.array(hi, dtype=np.float64, copy=True)
    for _ in range(_MAX_ITERATIONS):
        mid = 0.5 * (lo + hi)
        scale = np.maximum(np.abs(lo), np.abs(hi))
        open_ = (hi - lo > _RTOL * scale) & (mid > lo) & (mid < hi)
        if not open_.any():
            break
        with np.errstate(all="ignore"):
            value = func(mid)
        above = value > 0 if increasing else value < 0
        hi = np.where(open_ & above, mid, hi)
        lo = np.where(open_ & ~above, mid, lo)
    result: FloatArray = 0.5 * (lo + hi)
    return result
