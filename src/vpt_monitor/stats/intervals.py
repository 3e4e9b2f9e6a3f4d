"""Confidence intervals for counts without a survey design.

Three functions, each broadcasting over numpy arrays so that a whole table is one call:

- :func:`~vpt_monitor.stats.proportion_ci` for a binomial proportion ``successes / trials``;
- :func:`~vpt_monitor.stats.difference_ci` for the difference of two independent proportions;
- :func:`~vpt_monitor.stats.rate_ci` for a Poisson rate ``events / exposure``.

A ``method=`` string selects the interval; ``level`` is the confidence level.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from vpt_monitor.stats import _binomial, _difference, _poisson
from vpt_monitor.stats._interval import ConfidenceInterval
from vpt_monitor.stats._validation import (
    FloatArray,
    as_counts,
    as_positive,
    broadcast,
    check_choice,
    check_level,
    check_not_above,
)

__all__ = ["difference_ci", "proportion_ci", "rate_ci"]

PROPORTION_METHODS = tuple(_binomial.KERNELS)
DIFFERENCE_METHODS = tuple(_difference.KERNELS)
RATE_METHODS = tuple(_poisson.KERNELS)


def _binomial_counts(
    successes: ArrayLike, trials: ArrayLike, suffix: str = ""
) -> tuple[FloatArray, FloatArray]:
    """Validate successes and trials and broadcast them to one shape."""
    s_name, t_name = f"successes{suffix}", f"trials{suffix}"
    x = as_counts(s_name, successes)
    n = as_counts(t_name, trials)
    x, n = broadcast(**{s_name: x, t_name: n})
    check_not_above(s_name, x, t_name, n)
    return x, n


def _blank_empty(
    bounds: tuple[FloatArray, FloatArray], empty: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Set the bounds to NaN where there is no observation at all."""
    low, high = bounds
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def proportion_ci(
    successes: ArrayLike,
    trials: ArrayLike,
    *,
    method: str = "wilson",
    level: float = 0.95,
) -> ConfidenceInterval:
    r"""Confidence interval for a binomial proportion.

    Parameters
    ----------
    successes : int or array_like of int
        Number of successes, ``0 <= successes <= trials``.
    trials : int or array_like of int
        Number of trials; broadcast against ``successes``. Zero trials give NaN bounds.
    method : str, default "wilson"
        ``"wilson"`` (score), ``"wald"``, ``"wilson_cc"`` (score with continuity
        correction), ``"agresti_coull"``, ``"jeffreys"``, ``"clopper_pearson"`` (exact),
        ``"mid_p"`` or ``"likelihood"`` (likelihood ratio).
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    ConfidenceInterval
        Bounds clipped to ``[0, 1]``; floats for scalar input, arrays otherwise.

    Raises
    ------
    ValueError
        For negative or non-whole counts, ``successes > trials``, a level outside (0, 1) or
        an unknown method; the message names the argument, the value and its index.
    TypeError
        For non-numeric input.

    See Also
    --------
    difference_ci : interval for the difference of two proportions.

    Notes
    -----
    With :math:`\hat p = x / n`, :math:`z = \Phi^{-1}(1 - \alpha / 2)` and
    :math:`\alpha = 1 - \text{level}`, Wilson's score interval is

    .. math::

        \frac{x + z^2 / 2}{n + z^2} \pm \frac{z}{n + z^2}
        \sqrt{n \hat p (1 - \hat p) + z^2 / 4}.

    It is the default because its coverage stays close to the nominal level for all ``n`` and
    ``p`` (Brown, Cai and DasGupta 2001), while the Wald interval
    :math:`\hat p \pm z \sqrt{\hat p(1 - \hat p) / n}` collapses to a point at 0 of n and
    undercovers badly near 0 and 1. Clopper-Pearson inverts two exact one-sided binomial
    tests, :math:`B(\alpha/2; x, n - x + 1)` and :math:`B(1 - \alpha/2; x + 1, n - x)` (beta
    quantiles), and is conservative; mid-p counts half the probability of the observed
    count in each tail and solves :math:`P(X > x) + P(X = x)/2 = \alpha / 2` (lower) and
    :math:`P(X < x) + P(X = x)/2 = \alpha / 2` (upper) numerically; the likelihood-ratio
    interval is :math:`\{p : 2[\ell(\hat p) - \ell(p)] \le z^2\}`. Jeffreys takes the
    equal-tailed quantiles of :math:`\mathrm{Beta}(x + 1/2, n - x + 1/2)`, with the bound set
    to 0 at :math:`x = 0` and to 1 at :math:`x = n`. Agresti-Coull is a Wald interval around
    :math:`\tilde p = (x + z^2/2) / (n + z^2)` with :math:`\tilde n = n + z^2`.

    At ``successes == 0`` every method except Wald returns a lower bound of exactly 0 and a
    positive upper bound (for Wilson :math:`z^2 / (n + z^2)`), and symmetrically at
    ``successes == trials``. With ``trials == 0`` nothing is known: both bounds are NaN.

    The mid-p, Jeffreys and Agresti-Coull intervals are not centred on :math:`\hat p`; at
    confidence levels far below the usual ones the mid-p and Jeffreys intervals can exclude
    :math:`\hat p`.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
       comparison of seven methods. *Statistics in Medicine* 17, 857-872.
    .. [2] Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a
       binomial proportion. *Statistical Science* 16, 101-133.

    Examples
    --------
    Newcombe's (1998) first example, 81 of 263:

    >>> from vpt_monitor.stats import proportion_ci
    >>> ci = proportion_ci(81, 263)
    >>> print(f"{ci.low:.4f} {ci.high:.4f}")
    0.2553 0.3662

    One call for a whole table; here the exact (Clopper-Pearson) upper bounds of Newcombe's
    0 of 20 and 15 of 148:

    >>> proportion_ci([0, 15], [20, 148], method="clopper_pearson").high.round(4)
    array([0.1684, 0.1617])
    """
    check_level(level)
    method = check_choice("method", method, PROPORTION_METHODS)
    kernel = _binomial.KERNELS[method]
    x, n = _binomial_counts(successes, trials)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_safe = np.where(n == 0, 1.0, n)
        low, high = _blank_empty(kernel(np.where(n == 0, 0.0, x), n_safe, 1.0 - level), n == 0)
    return ConfidenceInterval(
        low=np.clip(low, 0.0, 1.0), high=np.clip(high, 0.0, 1.0), level=level, method=method
    )


def difference_ci(
    successes1: ArrayLike,
    trials1: ArrayLike,
    successes2: ArrayLike,
    trials2: ArrayLike,
    *,
    method: str = "newcombe",
    level: float = 0.95,
) -> ConfidenceInterval:
    r"""Confidence interval for the difference ``p1 - p2`` of two independent proportions.

    Parameters
    ----------
    successes1, trials1 : int or array_like of int
        Successes and trials in the first sample.
    successes2, trials2 : int or array_like of int
        Successes and trials in the second sample. All four broadcast together; zero trials in
        either sample give NaN bounds.
    method : str, default "newcombe"
        ``"newcombe"`` (hybrid score), ``"wald"``, ``"newcombe_cc"`` (hybrid score with
        continuity correction), ``"agresti_caffo"``, ``"mee"`` or ``"miettinen_nurminen"``.
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    ConfidenceInterval
        Bounds clipped to ``[-1, 1]``.

    Raises
    ------
    ValueError
        For invalid counts, a level outside (0, 1) or an unknown method.

    See Also
    --------
    proportion_ci : interval for one proportion.

    Notes
    -----
    With :math:`\hat p_i = x_i / n_i`, :math:`\hat d = \hat p_1 - \hat p_2` and Wilson
    intervals :math:`(l_i, u_i)`, Newcombe's hybrid score interval (his method 10) is

    .. math::

        \left(\hat d - \sqrt{(\hat p_1 - l_1)^2 + (u_2 - \hat p_2)^2},\;
        \hat d + \sqrt{(u_1 - \hat p_1)^2 + (\hat p_2 - l_2)^2}\right);

    ``"newcombe_cc"`` (method 11) uses continuity-corrected Wilson intervals. The score
    intervals of Mee (method 5) and Miettinen-Nurminen (method 6) are the
    :math:`\delta` with :math:`|\hat d - \delta| \le z \sqrt{V(\delta)}`, where
    :math:`V(\delta) = \tilde p_1 \tilde q_1 / n_1 + \tilde p_2 \tilde q_2 / n_2` uses the
    maximum-likelihood estimates under :math:`p_1 - p_2 = \delta` (a cubic's closed-form
    root), times :math:`N / (N - 1)` with :math:`N = n_1 + n_2` for Miettinen-Nurminen; their
    bounds are found numerically. Agresti-Caffo is the Wald interval after adding one
    success and one failure to each sample.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Interval estimation for the difference between independent
       proportions: comparison of eleven methods. *Statistics in Medicine* 17, 873-890.
    .. [2] Miettinen, O. and Nurminen, M. (1985). Comparative analysis of two rates.
       *Statistics in Medicine* 4, 213-226.
    .. [3] Agresti, A. and Caffo, B. (2000). Simple and effective confidence intervals for
       proportions and differences of proportions result from adding two successes and two
       failures. *The American Statistician* 54, 280-288.

    Examples
    --------
    Newcombe's (1998) example (a), 56/70 against 48/80:

    >>> from vpt_monitor.stats import difference_ci
    >>> ci = difference_ci(56, 70, 48, 80)
    >>> print(f"{ci.low:.4f} {ci.high:.4f}")
    0.0524 0.3339
    >>> ci = difference_ci(5, 56, 0, 29, method="miettinen_nurminen")
    >>> print(f"{ci.low:.4f} {ci.high:.4f}")
    -0.0326 0.1933
    """
    check_level(level)
    method = check_choice("method", method, DIFFERENCE_METHODS)
    kernel = _difference.KERNELS[method]
    x1, n1 = _binomial_counts(successes1, trials1, "1")
    x2, n2 = _binomial_counts(successes2, trials2, "2")
    x1, n1, x2, n2 = broadcast(successes1=x1, trials1=n1, successes2=x2, trials2=n2)
    empty = (n1 == 0) | (n2 == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        bounds = kernel(
            np.where(empty, 0.0, x1),
            np.where(empty, 1.0, n1),
            np.where(empty, 0.0, x2),
            np.where(empty, 1.0, n2),
            1.0 - level,
        )
    low, high = _blank_empty(bounds, empty)
    return ConfidenceInterval(
        low=np.clip(low, -1.0, 1.0), high=np.clip(high, -1.0, 1.0), level=level, method=method
    )


def rate_ci(
    events: ArrayLike,
    exposure: ArrayLike = 1.0,
    *,
    method: str = "exact",
    level: float = 0.95,
) -> ConfidenceInterval:
    r"""Confidence interval for a Poisson rate ``events / exposure``.

    Parameters
    ----------
    events : int or array_like of int
        Observed number of events, a whole number ``>= 0``.
    exposure : float or array_like, default 1.0
        Person-time, persons or another denominator, ``> 0``; broadcast against ``events``.
        With the default the interval is for the Poisson mean itself.
    method : str, default "exact"
        ``"exact"`` (Garwood), ``"mid_p"``, ``"byar"``, ``"wald"`` or ``"score"``.
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    ConfidenceInterval
        Bounds for the rate, never below 0.

    Raises
    ------
    ValueError
        For negative or non-whole event counts, exposure ``<= 0``, a level outside (0, 1),
        an unknown method, or an exposure so small that a bound of the rate is beyond the
        largest float (about 1.8e308): express the rate per a larger unit instead (a
        rate per person rather than per thousand persons, say), because an infinite bound
        says nothing.

    Notes
    -----
    Garwood's exact limits for a count :math:`x` invert the Poisson tails and have the
    closed form

    .. math::

        \mu_L = \tfrac12 \chi^2_{2x}(\alpha / 2), \qquad
        \mu_U = \tfrac12 \chi^2_{2x + 2}(1 - \alpha / 2),

    with :math:`\mu_L = 0` at :math:`x = 0`; the rate's bounds are :math:`\mu / E` for
    exposure :math:`E`. Mid-p solves :math:`P(X > x) + P(X = x)/2 = \alpha/2` (and the mirror
    for the upper bound) numerically. Byar's approximation is
    :math:`x (1 - \frac{1}{9x} - \frac{z}{3\sqrt x})^3` and
    :math:`(x + 1)(1 - \frac{1}{9(x + 1)} + \frac{z}{3\sqrt{x + 1}})^3`; the score interval
    is :math:`x + z^2/2 \pm z \sqrt{x + z^2/4}` and Wald :math:`x \pm z \sqrt{x}`, cut at 0.

    References
    ----------
    .. [1] Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika* 28,
       437-442.
    .. [2] Rothman, K. J. and Boice, J. D. (1979). *Epidemiologic analysis with a programmable
       calculator*. NIH Publication 79-1649 (Byar's method).
    .. [3] Ulm, K. (1990). A simple method to calculate the confidence interval of a
       standardized mortality ratio. *American Journal of Epidemiology* 131, 373-375.

    Examples
    --------
    Twelve registered violations in an organisation of 3,000 employees, per 1,000 employees:

    >>> from vpt_monitor.stats import rate_ci
    >>> ci = rate_ci(12, 3.0)
    >>> print(f"{ci.low:.3f} {ci.high:.3f}")
    2.067 6.987
    """
    check_level(level)
    method = check_choice("method", method, RATE_METHODS)
    kernel = _poisson.KERNELS[method]
    x = as_counts("events", events)
    t = as_positive("exposure", exposure)
    x, t = broadcast(events=x, exposure=t)
    low, high = kernel(x, 1.0 - level)
    with np.errstate(over="ignore"):
        low, high = np.maximum(low, 0.0) / t, np.asarray(high) / t
    overflow = np.isinf(high) & np.isfinite(t)
    if overflow.any():
        index = tuple(np.argwhere(overflow)[0])
        where = f" at index {index[0] if len(index) == 1 else index}" if overflow.ndim else ""
        raise ValueError(
            f"'exposure' is too small for the rate to be represented: events="
            f"{x[index].item():g} over exposure={t[index].item():g} has an upper bound beyond "
            f"the largest float{where}; express the rate per a larger unit"
        )
    return ConfidenceInterval(low=low, high=high, level=level, method=method)
