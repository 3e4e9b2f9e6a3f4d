r"""A domain against the national figure: the difference, its interval and its test.

A province is part of the nation, so its estimate and the national one share respondents
and are correlated; a test that treats them as independent samples is wrong. The comparison
here is made on the full design, through the domain and the rest of the country estimated as
two domains of one call (so their covariance is the design's).

For an indicator that is a ratio of weighted totals, :math:`\theta = Y / X` (every headline
indicator: a share among those who answered, a share of incidents), let :math:`\hat\theta_d`
be the estimate in domain :math:`d`, :math:`\hat\theta_r` the estimate in the rest of the
country (everyone in the indicator's population outside :math:`d`, including those whose value
of the domain variable is unknown), and :math:`\hat s = \hat X_d / \hat X` the domain's share
of the denominator. The national estimate is :math:`\hat\theta = \hat s\,\hat\theta_d +
(1 - \hat s)\,\hat\theta_r`, so the difference from the national figure is

.. math::

    \hat D = \hat\theta_d - \hat\theta = (1 - \hat s)\,(\hat\theta_d - \hat\theta_r)
    = (1 - \hat s)\,\hat\Delta .

Because :math:`\hat s < 1`, the domain differs from the nation exactly when it differs from
the rest of the country: the test of :math:`D = 0` is the t-test of :math:`\Delta = 0`,

.. math::

    t = \hat\Delta / \sqrt{v_{dd} + v_{rr} - 2 v_{dr}},

with :math:`v` the design-based covariance of :math:`(\hat\theta_d, \hat\theta_r)` (Taylor
linearisation with both stages and the finite-population corrections, or replicates) and the
degrees of freedom of the rows of the two domains (PSUs minus strata of the wave's sample);
R: ``svyby(~y, ~part, design, svymean, covmat = TRUE)`` and ``svycontrast(., c(1, -1))``.
The interval of :math:`D` is :math:`(1 - \hat s)` times the interval of :math:`\Delta`, which
treats the domain's share as fixed. The full linearisation of :math:`\hat D` adds
:math:`-\hat\Delta\,\mathrm{d}\hat s`, whose variance :math:`\Delta^2 V(\hat s)` is zero under
the null hypothesis and small otherwise, because a domain's share of the population is
estimated far more precisely than a difference of shares within it (and is known exactly
when the weights are calibrated to population counts by domain); the committed R fixture
(``tests/reference/factsheets.R``) measures the difference. :math:`\hat s` itself is read off
the three estimates, :math:`1 - \hat s = \hat D / \hat\Delta`; where :math:`\hat\Delta` is
zero, it is the domain's share of the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray
from scipy import stats as scipy_stats

from vpt_monitor.attributes import Attribute
from vpt_monitor.data import MonitorData
from vpt_monitor.indicators._common import Unit
from vpt_monitor.stats import ConfidenceInterval, Estimate, EstimateTable
from vpt_monitor.stats._design_ci import t_quantile
from vpt_monitor.stats._validation import check_level

__all__ = ["Comparison", "compare_with_national", "domain_values", "split"]

#: The codes of the two parts of a split: the domain and the rest of the country.
PARTS: tuple[Any, ...] = ("domain", "rest")

FloatArray = NDArray[np.float64]


@attrs.frozen(eq=False)
class Comparison:
    r"""Domains against the national figure in one wave.

    Attributes
    ----------
    domains : tuple
        The domain values, as in the data.
    wave : int
        The wave compared.
    estimate, national : numpy.ndarray
        The domain's estimate and the national one (the same for every domain).
    rest : numpy.ndarray
        The estimate in the rest of the country.
    difference, standard_error : numpy.ndarray
        :math:`\hat D` (domain minus national) and its standard error with the share held
        fixed, :math:`(1 - \hat s)\,\mathrm{se}(\hat\Delta)`.
    contrast, contrast_error : numpy.ndarray
        :math:`\hat\Delta` (domain minus rest) and its standard error.
    share : numpy.ndarray
        :math:`\hat s`, the domain's share of the indicator's denominator.
    df, p_value : numpy.ndarray
        Degrees of freedom and the two-sided p-value of the test of no difference.
    level : float
        Default confidence level.
    """

    domains: tuple[Hashable, ...]
    wave: int
    estimate: FloatArray
    national: FloatArray
    rest: FloatArray
    difference: FloatArray
    standard_error: FloatArray
    contrast: FloatArray
    contrast_error: FloatArray
    share: FloatArray
    df: FloatArray
    p_value: FloatArray
    level: float = 0.95

    def confidence_interval(self, level: float | None = None) -> ConfidenceInterval:
        """Student-t intervals of the differences from the national figure."""
        chosen = self.level if level is None else check_level(level)
        with np.errstate(invalid="ignore"):
            half = t_quantile(chosen, self.df) * self.standard_error
        return ConfidenceInterval(self.difference - half, self.difference + half, chosen, "t")

    def __getitem__(self, domain: Hashable) -> dict[str, float]:
        """Return the comparison of one domain as a dictionary."""
        from vpt_monitor import _format

        i = _format.find(self.domains, domain)
        ci = self.confidence_interval()
        return {
            "estimate": float(self.estimate[i]),
            "national": float(self.national[i]),
            "difference": float(self.difference[i]),
            "standard_error": float(self.standard_error[i]),
            "low": float(np.asarray(ci.low)[i]),
            "high": float(np.asarray(ci.high)[i]),
            "p_value": float(self.p_value[i]),
        }


def domain_values(data: MonitorData, by: str) -> tuple[Any, ...]:
    """Return the values of the domain variable ``by`` (offices, provinces, declared codes).

    Raises
    ------
    ValueError
        If ``by`` is not a domain variable of the respondents (or is ``"wave"``).
    """
    unit = Unit(data)
    if not isinstance(by, str) or by == "wave" or by not in unit.allowed or by in unit.numbers:
        valid = ", ".join(repr(n) for n in unit.allowed if n != "wave")
        raise ValueError(
            f"'by' must name a domain variable of the respondents ({valid}); got {by!r}"
        )
    return tuple(unit.labels(by))


def _free_name(data: MonitorData) -> str:
    name = "factsheet_part"
    while name in data.respondents or name in data.attributes:
        name += "_"
    return name


def split(data: MonitorData, by: str, value: Any) -> tuple[MonitorData, str]:
    """Return the data with one more attribute that splits it in two, and the attribute's name.

    The attribute is ``"domain"`` where ``by`` is ``value`` and ``"rest"`` elsewhere (unknown
    values of ``by`` included).

    The design is the data's own (calibrated or replicate designs stay as they are).
    """
    unit = Unit(data)
    values = domain_values(data, by)
    codes = unit.column(by)
    inside = codes == values.index(value)
    name = _free_name(data)
    column = np.where(inside, 0, 1).astype(np.int32)
    return (
        MonitorData(
            {**data.respondents, name: column},
            data.incidents,
            data.organisations,
            data.violations,
            lonely_psu=data.lonely_psu,
            design=data.design,
            organisation_design=(
                data.organisation_design if data.organisations["wave"].shape[0] else None
            ),
            synthetic=data.synthetic,
            source=data.source,
            supplied=data.supplied,
            attributes={**data.attributes, name: Attribute(name, "category", PARTS)},
        ),
        name,
    )


Indicator = Callable[..., Estimate | EstimateTable]


def compare_with_national(
    data: MonitorData,
    indicator: Indicator,
    *,
    by: str,
    wave: int,
    domains: tuple[Any, ...] | None = None,
    level: float = 0.95,
    **options: Any,
) -> Comparison:
    r"""Compare each domain of ``by`` with the national figure of ``wave``, on the full design.

    Parameters
    ----------
    data : MonitorData
        The monitor data.
    indicator : callable
        An indicator of :mod:`vpt_monitor` that estimates a ratio of weighted totals
        (:func:`~vpt_monitor.victimisation`, :func:`~vpt_monitor.reporting_propensity`, ...).
    by : str
        The domain variable (``"province"``, ``"office"``, a declared attribute).
    wave : int
        The wave.
    domains : tuple, optional
        The domain values to compare; all of them by default.
    level : float, default 0.95
        Default confidence level of the intervals.
    **options
        Passed to the indicator (``form=``, ``channel=``, ``to=``).

    Returns
    -------
    Comparison

    Notes
    -----
    See :mod:`vpt_monitor.report.compare` for the derivation: the test is the t-test of the
    domain against the rest of the country (equivalent to the test against the national
    figure), the interval of the difference from the national figure is that contrast's
    interval times :math:`1 - \hat s`.

    Examples
    --------
    >>> from vpt_monitor import victimisation
    >>> from vpt_monitor.report.compare import compare_with_national
    >>> from vpt_monitor.synth import simulate
    >>> data = simulate(waves=(2016,), scale=0.3)
    >>> result = compare_with_national(data, victimisation, by="group", wave=2016)
    >>> row = result["political office holders"]
    >>> round(row["estimate"] - row["national"], 10) == round(row["difference"], 10)
    True
    """
    values = domain_values(data, by) if domains is None else tuple(domains)
    national_result = indicator(data, wave=wave, **options)
    assert isinstance(national_result, Estimate)
    national = national_result.estimate
    n = len(values)
    out = {k: np.full(n, np.nan) for k in ("estimate", "rest", "contrast", "error", "df", "share")}
    for i, value in enumerate(values):
        parts, name = split(data, by, value)
        table = indicator(parts, by=name, wave=wave, **options)
        assert isinstance(table, EstimateTable)
        estimates = table.estimate
        cov = table.covariance_of(list(PARTS))
        out["estimate"][i], out["rest"][i] = estimates[0], estimates[1]
        out["contrast"][i] = estimates[0] - estimates[1]
        out["error"][i] = np.sqrt(max(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1], 0.0))
        out["df"][i] = table.degrees_of_freedom(list(PARTS))
        rows = table.n.astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            fallback = rows[0] / rows.sum()
        gap = out["contrast"][i]
        scale = max(abs(estimates[0]), abs(estimates[1]), 1e-300)
        if np.isfinite(gap) and abs(gap) > 1e-9 * scale:
            out["share"][i] = 1.0 - (estimates[0] - national) / gap
        else:
            out["share"][i] = fallback
    share = np.clip(out["share"], 0.0, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        difference = out["estimate"] - national
        statistic = out["contrast"] / out["error"]
        p = 2 * scipy_stats.t.sf(np.abs(statistic), out["df"])
    p = np.where((out["error"] > 0) & (out["df"] > 0), p, np.nan)
    return Comparison(
        domains=values,
        wave=int(wave),
        estimate=out["estimate"],
        national=np.full(n, national),
        rest=out["rest"],
        difference=difference,
        standard_error=(1.0 - share) * out["error"],
        contrast=out["contrast"],
        contrast_error=out["error"],
        share=share,
        df=out["df"],
        p_value=p,
        level=level,
    )
