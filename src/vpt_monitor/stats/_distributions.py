"""Tail probabilities and quantiles of the t, F, chi-square and beta distributions.

Thin names over :mod:`scipy.special`, the functions :mod:`scipy.stats` itself evaluates
for these distributions (``scipy.stats.t.isf`` is ``-stdtrit(df, q)``), so that estimates,
intervals, the publication rules and tests never import :mod:`scipy.stats`, which takes
about a second. The beta quantiles use ``betaincinv``/``betainccinv``, which
``scipy.stats.beta`` wraps with another error policy; they agree on float64 input for
shapes up to about 1e10 (far beyond any effective sample size), and the project needs
scipy 1.15, where ``betaincinv``'s NaN results (scipy issue 21426) were fixed. Invalid
parameters (``df <= 0``, a beta shape of 0) give NaN, as in :mod:`scipy.stats`; a negative
statistic has an upper tail of 1, and the quantiles of 0 and 1 are the infinities of the
right sign.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

__all__ = ["beta_isf", "beta_ppf", "chi2_sf", "f_sf", "t_isf", "t_ppf", "t_sf"]


def _signed_infinity(p: Any, quantile: Any, low: float) -> Any:
    """``quantile`` with ``low`` where ``p`` is 0 and ``-low`` where it is 1."""
    p = np.asarray(p, dtype=np.float64)
    fixed = np.where(p == 0.0, low, np.where(p == 1.0, -low, quantile))
    return fixed if fixed.ndim else fixed[()]


def t_sf(x: Any, df: Any) -> Any:
    """``P(T > x)`` for Student's t with ``df`` degrees of freedom (``scipy.stats.t.sf``)."""
    return special.stdtr(df, -x)


def t_ppf(p: Any, df: Any) -> Any:
    """Return the ``p`` quantile of Student's t (``scipy.stats.t.ppf``)."""
    return _signed_infinity(p, special.stdtrit(df, p), -np.inf)


def t_isf(q: Any, df: Any) -> Any:
    """Return the value exceeded with probability ``q`` (``scipy.stats.t.isf``)."""
    return _signed_infinity(q, -special.stdtrit(df, q), np.inf)


def beta_ppf(p: Any, a: Any, b: Any) -> Any:
    """Return the ``p`` quantile of the beta distribution (``scipy.stats.beta.ppf``)."""
    return special.betaincinv(a, b, p)


def beta_isf(q: Any, a: Any, b: Any) -> Any:
    """Return the value a beta variable exceeds with probability ``q`` (``beta.isf``)."""
    return special.betainccinv(a, b, q)


def f_sf(x: Any, dfn: Any, dfd: Any) -> Any:
    """``P(F > x)`` for the F distribution (``scipy.stats.f.sf``)."""
    return special.fdtrc(dfn, dfd, np.maximum(x, 0.0))  # P(F > x) = 1 below 0


def chi2_sf(x: Any, df: Any) -> Any:
    """``P(X > x)`` for the chi-square distribution (``scipy.stats.chi2.sf``)."""
    return special.chdtrc(df, np.maximum(x, 0.0))  # P(X > x) = 1 below 0
