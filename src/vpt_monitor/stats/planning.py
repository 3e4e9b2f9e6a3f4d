r"""Planning a sample: the size a margin of error needs, and the change a sample can detect.

Two textbook calculations (Valliant, Dever and Kreuter 2018, chapters 3 and 4), vectorised:

- :func:`sample_size_proportion`: the respondents a proportion needs for a target half-width
  of its confidence interval, with a design effect and the finite-population correction of a
  small population (twelve King's commissioners, about 390 mayors). With a design effect of
  1 it is R PracTools' ``nPropMoe``.
- :func:`detectable_difference`: the smallest difference between two independent estimates
  that a two-sided test at ``level`` finds with probability ``power``, from their standard
  errors.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from vpt_monitor.stats._validation import _first, _where, check_level

__all__ = ["detectable_difference", "sample_size_proportion"]

FloatArray = NDArray[np.float64]


def _refuse(name: str, rule: str, array: FloatArray, bad: NDArray[np.bool_]) -> None:
    """Raise for the first bad value: its number, and its index when ``array`` has several."""
    if bad.any():
        raise ValueError(f"'{name}' must be {rule}; got {_first(array, bad)!r}{_where(bad)}")


def _in_open_unit(name: str, value: ArrayLike) -> FloatArray:
    array = np.asarray(value, dtype=np.float64)
    _refuse(name, "in (0, 1)", array, ~((array > 0) & (array < 1)))
    return array


def sample_size_proportion(
    p: ArrayLike,
    margin: ArrayLike,
    *,
    level: float = 0.95,
    population: ArrayLike = np.inf,
    deff: ArrayLike = 1.0,
    relative: bool = False,
) -> FloatArray:
    r"""Return the respondents a proportion needs for an interval of half-width ``margin``.

    Parameters
    ----------
    p : array_like of float
        The expected proportion, in (0, 1).
    margin : array_like of float
        The half-width of the interval, in (0, 1): absolute (0.03 is plus or minus three
        percentage points) or, with ``relative=True``, as a fraction of ``p``.
    level : float, default 0.95
        Confidence level.
    population : array_like of float, default inf
        Size :math:`N` of the population the proportion is of; a small one needs fewer
        respondents (finite-population correction).
    deff : array_like of float, default 1
        Design effect against simple random sampling without replacement, as measured on a
        previous wave (:attr:`Estimate.deff <vpt_monitor.stats.Estimate>`).
    relative : bool, default False
        Whether ``margin`` is relative to ``p``.

    Returns
    -------
    numpy.ndarray
        The number of respondents (not rounded; broadcast over the arguments).

    Notes
    -----
    With :math:`z` the normal quantile of ``level``, :math:`a = N/(N - 1)` and
    :math:`d` the design effect, the variance of the estimate from :math:`n` respondents is
    :math:`d\,a\,(1/n - 1/N)\,p(1 - p)`; setting :math:`z^2` times it to :math:`e^2` gives

    .. math::

        n = \frac{d\,a\,z^2 p(1 - p)}{e^2 + d\,z^2 p(1 - p)/(N - 1)},

    with :math:`(1 - p)/p` for :math:`p(1 - p)` when the margin is relative. With
    :math:`d = 1` this is PracTools' ``nPropMoe`` (Valliant, Dever and Kreuter 2018,
    equations 3.5 and 3.6); for :math:`N = \infty` it is :math:`d z^2 p(1 - p)/e^2`.

    References
    ----------
    .. [1] Valliant, R., Dever, J. A. and Kreuter, F. (2018). *Practical Tools for Designing
       and Weighting Survey Samples*, 2nd ed., chapter 3. Springer.

    Examples
    --------
    The PracTools help example: half-width 0.01 of a 95% interval for a share of 4% in a
    large population needs 1,475 respondents; for 390 mayors and 0.05 around 55%, with a
    design effect of 1.2:

    >>> from vpt_monitor.stats import sample_size_proportion
    >>> round(float(sample_size_proportion(0.04, 0.01)), 2)
    1475.12
    >>> round(float(sample_size_proportion(0.55, 0.05, population=390, deff=1.2)), 1)
    210.5
    """
    check_level(level)
    share = _in_open_unit("p", p)
    half = _in_open_unit("margin", margin)
    size = np.asarray(population, dtype=np.float64)
    _refuse("population", "> 1", size, ~(size > 1))
    effect = np.asarray(deff, dtype=np.float64)
    _refuse("deff", "finite and > 0", effect, ~(np.isfinite(effect) & (effect > 0)))
    z = -special.ndtri((1.0 - level) / 2.0)
    spread = (1.0 - share) / share if relative else share * (1.0 - share)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(np.isinf(size), 1.0, size / (size - 1.0))
        finite = np.where(np.isinf(size), 0.0, 1.0 / (size - 1.0))
    result: FloatArray = effect * a * z**2 * spread / (half**2 + effect * z**2 * spread * finite)
    return result


def detectable_difference(
    standard_error: ArrayLike,
    other: ArrayLike | None = None,
    *,
    level: float = 0.95,
    power: float = 0.8,
) -> FloatArray:
    r"""Return the smallest difference between two independent estimates a test detects.

    Parameters
    ----------
    standard_error : array_like of float
        Standard error of the first estimate.
    other : array_like of float, optional
        Standard error of the second; by default the same (a second wave like the first).
    level : float, default 0.95
        Confidence level of the two-sided test.
    power : float, default 0.8
        Probability of detecting a difference of the size returned.

    Returns
    -------
    numpy.ndarray

    Notes
    -----
    :math:`\delta = (z_{1 - \alpha/2} + z_{\text{power}})\sqrt{\mathrm{se}_1^2 +
    \mathrm{se}_2^2}`, the normal approximation (Valliant, Dever and Kreuter 2018, section
    4.4): a true difference :math:`\delta` gives a test statistic centred at
    :math:`z_{1-\alpha/2} + z_{\text{power}}`, above the critical value with probability
    ``power``.

    References
    ----------
    .. [1] Valliant, R., Dever, J. A. and Kreuter, F. (2018). *Practical Tools for Designing
       and Weighting Survey Samples*, 2nd ed., section 4.4. Springer.

    Examples
    --------
    Two waves with a standard error of 2 points each detect a change of about 7.8 points:

    >>> from vpt_monitor.stats import detectable_difference
    >>> round(float(detectable_difference(0.02)), 4)
    0.0792
    """
    check_level(level)
    if not 0.0 < power < 1.0:
        raise ValueError(f"'power' must be in (0, 1); got {power!r}")
    first = np.asarray(standard_error, dtype=np.float64)
    second = first if other is None else np.asarray(other, dtype=np.float64)
    _refuse("standard_error", ">= 0", first, first < 0)  # NaN (no estimate) gives NaN
    _refuse("other", ">= 0", second, second < 0)
    z = -special.ndtri((1.0 - level) / 2.0) + special.ndtri(power)
    result: FloatArray = z * np.sqrt(first**2 + second**2)
    return result
