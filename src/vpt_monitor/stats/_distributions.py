"""Tail probabilities and quantiles of the t, F, chi-square and beta distributions.

Thin names over :mod:`scipy.special`, which computes what :mod:`scipy.stats` computes for
these distributions (``scipy.stats.t.isf`` is ``-stdtrit(df, q)``, and so on) without
importing :mod:`scipy.stats`, which takes about a second. Invalid parameters (``df <= 0``,
a beta shape of 0) give NaN, as in :mod:`scipy.stats`.
"""

from __future__ import annotations

from typing import Any

from scipy import special

__all__ = ["beta_isf", "beta_ppf", "chi2_sf", "f_sf", "t_isf", "t_ppf", "t_sf"]


def t_sf(x: Any, df: Any) -> Any:
    """``P(T > x)`` for Student's t with ``df`` degrees of freedom (``scipy.stats.t.sf``)."""
    return special.stdtr(df, -x)


def t_ppf(p: Any, df: Any) -> Any:
    """Return the ``p`` quantile of Student's t (``scipy.stats.t.ppf``)."""
    return special.stdtrit(df, p)


def t_isf(q: Any, df: Any) -> Any:
    """Return the value exceeded with probability ``q`` (``scipy.stats.t.isf``)."""
    return -special.stdtrit(df, q)


def beta_ppf(p: Any, a: Any, b: Any) -> Any:
    """Return the ``p`` quantile of the beta distribution (``scipy.stats.beta.ppf``)."""
    return special.betaincinv(a, b, p)


def beta_isf(q: Any, a: Any, b: Any) -> Any:
    """Return the value a beta variable exceeds with probability ``q`` (``beta.isf``)."""
    return special.betainccinv(a, b, q)


def f_sf(x: Any, dfn: Any, dfd: Any) -> Any:
    """``P(F > x)`` for the F distribution (``scipy.stats.f.sf``)."""
    return special.fdtrc(dfn, dfd, x)


def chi2_sf(x: Any, df: Any) -> Any:
    """``P(X > x)`` for the chi-square distribution (``scipy.stats.chi2.sf``)."""
    return special.chdtrc(df, x)
