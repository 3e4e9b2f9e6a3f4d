r"""A domain against the national figure: the difference, its interval and its test.

A province is part of the nation, so its estimate and the national one share respondents
and are correlated; a test that treats them as independent samples is wrong. Both are
estimated here on the full design, in one call, so that their covariance is the design's.

For an indicator that is a ratio of weighted totals, :math:`\theta = Y / X` (every headline
indicator: a share among those who answered, a share of incidents), the difference of domain
:math:`d` from the nation is

.. math::

    \hat D = \hat\theta_d - \hat\theta = \frac{\hat Y_d}{\hat X_d} - \frac{\hat Y}{\hat X},
    \qquad
    z_i = \frac{1_d(i)\,(y_i - \hat\theta_d x_i)}{\hat X_d} - \frac{y_i - \hat\theta x_i}{\hat X},

:math:`z_i` being its linearised (influence) value: the domain's minus the nation's. Its
variance is the design's variance of :math:`\sum_i w_i z_i`: PSU totals of :math:`z`, centred
within strata, with both stages and the finite-population corrections. To get it from the
indicators themselves, every respondent is entered twice with the same weight, stratum, PSU
and second-stage unit: once with their value of the domain variable and once as
``"national"``. The domains of that stacked sample on the unchanged design have exactly these
PSU and second-stage totals, so the covariance :math:`v` of
:math:`(\hat\theta_d, \hat\theta)` from one estimate by the stacked variable gives
:math:`\widehat V(\hat D) = v_{dd} + v_{nn} - 2 v_{dn}` (R:
``svycontrast(svytotal(~yd + xd + y + x, design), quote(yd / xd - y / x))``), and the
t-test of :math:`D = 0` uses the degrees of freedom of the wave's sample (PSUs minus strata).

The stacked design is rebuilt from the data's columns (weights, strata, clusters, fpc and
fpc2 per wave), so this needs the design the data build themselves. With another design
(calibrated weights from :meth:`~vpt_monitor.MonitorData.with_design`, a design given
explicitly) the comparison goes through the rest of the country: :math:`\hat\theta_d` and
:math:`\hat\theta_r` are two domains of one estimate on the data's own design, and since
:math:`\hat\theta = \hat s\,\hat\theta_d + (1 - \hat s)\,\hat\theta_r` with
:math:`\hat s = \hat X_d / \hat X`,

.. math::

    \hat D = (1 - \hat s)(\hat\theta_d - \hat\theta_r) = (1 - \hat s)\,\hat\Delta .

The domain differs from the nation exactly when it differs from the rest, so the test is the
t-test of :math:`\Delta = 0` (R: ``svyby(~y, ~part, design, svyratio, covmat = TRUE)`` and
``svycontrast(., c(-1, 1))``); the interval of :math:`D` is :math:`(1 - \hat s)` times that
of :math:`\Delta`, which holds the domain's share fixed (right when the weights are
calibrated to population counts by domain, as such designs usually are). The committed R
fixture (``tests/reference/factsheets.R``) checks both routes.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor.attributes import Attribute
from vpt_monitor.data import MonitorData
from vpt_monitor.data.container import Fresh
from vpt_monitor.indicators._common import Unit
from vpt_monitor.stats import (
    ConfidenceInterval,
    Estimate,
    EstimateTable,
    SurveyDesign,
    _distributions,
)
from vpt_monitor.stats._design_ci import t_quantile
from vpt_monitor.stats._match import did_you_mean, match
from vpt_monitor.stats._validation import check_choice, check_level
from vpt_monitor.stats.design import factorize

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
        The estimate in the rest of the country (NaN when stacked).
    difference, standard_error : numpy.ndarray
        :math:`\hat D` (domain minus national) and its standard error.
    contrast, contrast_error : numpy.ndarray
        :math:`\hat\Delta` (domain minus rest) and its standard error (NaN when stacked).
    share : numpy.ndarray
        :math:`\hat s`, the domain's share of the indicator's denominator (NaN when
        stacked).
    df, p_value : numpy.ndarray
        Degrees of freedom and the two-sided p-value of the test of no difference.
    method : str
        ``"stacked"`` (the full linearisation of the difference) or ``"rest"`` (through the
        rest of the country, the share held fixed); see :mod:`vpt_monitor.report.compare`.
    level : float
        Default confidence level.
    shares : bool
        Whether the indicator is a share: a domain's share lies in [0, 1], so its difference
        from the national one in [-national, 1 - national], and the intervals are clipped
        to that range.
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
    method: str = "stacked"
    level: float = 0.95
    shares: bool = False

    def confidence_interval(self, level: float | None = None) -> ConfidenceInterval:
        """Student-t intervals of the differences from the national figure.

        For a share, clipped to the differences a domain's share can make (see ``shares``).
        """
        chosen = self.level if level is None else check_level(level)
        with np.errstate(invalid="ignore"):
            half = t_quantile(chosen, self.df) * self.standard_error
        low, high = self.difference - half, self.difference + half
        if self.shares:
            low, high = np.maximum(low, -self.national), np.minimum(high, 1.0 - self.national)
        return ConfidenceInterval(low, high, chosen, "t")

    def to_pandas(self, level: float | None = None, *, labels: str | None = None) -> Any:
        """Return the comparison as a :class:`pandas.DataFrame`, one row per domain.

        The index holds the domain values (or their labels in ``"en"`` or ``"nl"``); the
        columns ``estimate``, ``national``, ``difference``, ``standard_error``, ``low``,
        ``high`` (the difference's interval at ``level``), ``df``, ``p_value`` and ``wave``.
        """
        import pandas as pd

        from vpt_monitor import _format

        ci = self.confidence_interval(level)
        index = [d if labels is None else _format.label(d, labels) for d in self.domains]
        return pd.DataFrame(
            {
                "estimate": self.estimate,
                "national": self.national,
                "difference": self.difference,
                "standard_error": self.standard_error,
                "low": ci.low,
                "high": ci.high,
                "df": self.df,
                "p_value": self.p_value,
                "wave": self.wave,
            },
            index=pd.Index(index, name="domain"),
        )

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


def domain_name(data: MonitorData, by: str) -> str:
    """Return the domain variable ``by`` names, whatever its case (``"Province"``).

    Raises
    ------
    ValueError
        If ``by`` is not a domain variable of the respondents (or is ``"wave"``).
    """
    unit = Unit(data)
    names = [n for n in unit.allowed if n != "wave" and n not in unit.numbers]
    k = match(by, names) if isinstance(by, str) else -1
    if k < 0:
        valid = ", ".join(repr(n) for n in names)
        hint = did_you_mean(by, names) if isinstance(by, str) else ""
        raise ValueError(
            f"'by' must name a domain variable of the respondents ({valid}); got {by!r}{hint}"
        )
    return names[k]


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

#: The code of the national copy in a stacked sample.
NATIONAL = "national"


def _paired(
    wave_codes: NDArray[np.intp], values: NDArray[Any], n: int, name: str
) -> NDArray[np.int64]:
    """Return codes of the pairs (wave, value): a label reused in another wave is new."""
    codes, labels = factorize(name, values, n)
    return np.asarray(wave_codes.astype(np.int64) * max(len(labels), 1) + codes)


Labels = tuple[NDArray[Any], NDArray[Any] | None]


def _labels(columns: Mapping[str, NDArray[Any]]) -> Labels:
    """Codes of the strata and clusters (None: none given) the data's columns build, per wave."""
    n = columns["wave"].shape[0]
    wave_codes, _ = factorize("wave", columns["wave"], n)
    strata = (
        _paired(wave_codes, columns["stratum"], n, "stratum")
        if "stratum" in columns
        else wave_codes
    )
    clusters = (
        _paired(wave_codes, columns["cluster"], n, "cluster") if "cluster" in columns else None
    )
    return strata, clusters


def _design(
    columns: Mapping[str, NDArray[Any]], lonely_psu: str, copies: int, labels: Labels
) -> SurveyDesign:
    """Build the design the data build from their columns, for ``copies`` copies of each row.

    ``labels`` are :func:`_labels` of the columns. The copies of a respondent share the
    weight, stratum, PSU and second-stage unit, so the design has the same strata, PSUs and
    units as the data's own.
    """
    n = columns["wave"].shape[0]
    strata, clusters = labels
    fpc2 = columns.get("fpc2")

    def copied(values: NDArray[Any] | None) -> NDArray[Any] | None:
        return None if values is None else np.tile(values, copies)

    return SurveyDesign(
        weights=np.tile(columns["weight"], copies),
        strata=copied(strata),
        clusters=copied(clusters if clusters is not None else np.arange(n)),
        fpc=copied(columns.get("fpc")),
        fpc2=copied(fpc2),
        ssu=None if fpc2 is None else np.tile(np.arange(n), copies),
        lonely_psu=lonely_psu,
    )


def _same(one: SurveyDesign, other: SurveyDesign) -> bool:
    """Whether two designs have the same rows, weights, strata, PSUs and stages."""
    return (
        one.n == other.n
        and not one.calibrated
        and not other.calibrated
        and one.n_psu == other.n_psu
        and np.array_equal(one.weights, other.weights)
        and np.array_equal(one.strata, other.strata)
        and np.array_equal(one.psu, other.psu)
        and np.array_equal(one.psu_scale, other.psu_scale)
        and (one.second_stage is None) == (other.second_stage is None)
    )


#: Stacked data kept by :func:`reusing_stacks`: (id of the data, by) -> (data, stacked).
_STACKS: contextvars.ContextVar[
    dict[tuple[int, str], tuple[MonitorData, tuple[MonitorData, str, tuple[Any, ...]] | None]]
    | None
] = contextvars.ContextVar("_STACKS", default=None)


@contextlib.contextmanager
def reusing_stacks() -> Iterator[None]:
    """Within the block, stack each data and domain variable once for all indicators.

    :func:`compare_with_national` enters every respondent twice (a copy of every column and
    the design built again from the labels); a caller comparing many indicators on the same
    data and domain variable (the factsheets) does that once. The stacked data are dropped
    when the block ends.
    """
    token = _STACKS.set({})
    try:
        yield
    finally:
        _STACKS.reset(token)


def _stack(
    data: MonitorData, by: str, values: tuple[Any, ...]
) -> tuple[MonitorData, str, tuple[str, ...]] | None:
    """Enter every respondent twice: with their domain value, and as ``"national"``.

    Returns the stacked data, the name of the stacked domain variable and the codes of
    ``values`` in it; None when the data's design is not the one their columns build
    (calibrated or given), which the stacked design could not repeat.
    """
    kept = _STACKS.get()
    found = None if kept is None else kept.get((id(data), by))
    if found is not None and found[0] is data:
        stacked = found[1]
    else:
        stacked = _stacked(data, by)
        if kept is not None:
            kept[(id(data), by)] = (data, stacked)
    if stacked is None:
        return None
    both, name, known = stacked
    position = {value: k for k, value in enumerate(known)}
    return both, name, tuple(str(position[v]) for v in values)


def _stacked(data: MonitorData, by: str) -> tuple[MonitorData, str, tuple[Any, ...]] | None:
    """Return the stacked data of :func:`_stack`, its domain variable and the values of ``by``."""
    own = data.design
    if not isinstance(own, SurveyDesign):
        return None
    columns = data.respondents
    try:
        labels = _labels(columns)  # once for both designs: text labels take a sort
        if not _same(own, _design(columns, data.lonely_psu, 1, labels)):
            return None
        design = _design(columns, data.lonely_psu, 2, labels)
    except (ValueError, KeyError):
        return None
    unit = Unit(data)
    known = tuple(unit.labels(by))
    column = unit.column(by).astype(np.int32)  # -1: unknown, in no domain
    name = _free_name(data)
    n = len(data)
    # columns made here for the stacked data alone: kept without another copy
    stacked = Fresh({key: np.concatenate([array, array]) for key, array in columns.items()})
    stacked[name] = np.concatenate([column, np.full(n, len(known), dtype=np.int32)])
    incidents = Fresh(
        {key: np.concatenate([array, array]) for key, array in data.incidents.items()}
    )
    incidents["respondent"] = np.concatenate(
        [data.incidents["respondent"], data.incidents["respondent"] + n]
    )
    stacked_codes: tuple[Any, ...] = (*(str(k) for k in range(len(known))), NATIONAL)
    spec = Attribute(name, "category", stacked_codes)
    both = MonitorData(
        stacked,
        incidents,
        data.organisations,
        data.violations,
        lonely_psu=data.lonely_psu,
        design=design,
        organisation_design=(
            data.organisation_design if data.organisations["wave"].shape[0] else None
        ),
        synthetic=data.synthetic,
        source=data.source,
        supplied=data.supplied,
        attributes={**data.attributes, name: spec},
    )
    return both, name, known


def _untestable(table: EstimateTable, label: Hashable) -> bool:
    """Whether a domain's estimate has no variance to test a difference with.

    A share of 0% or 100% (flagged ``boundary``) and a zero standard error of an outcome
    that varies (``zero_variance``) leave only the national figure's variance: 0 victims
    of 9 would differ from the nation's 10% at p < 0.001. Such a difference has no
    standard error, interval or test, as a change from such an estimate has none.
    """
    flags = table.flags[table.index(label)]
    return "boundary" in flags or "zero_variance" in flags


def compare_with_national(
    data: MonitorData,
    indicator: Indicator,
    *,
    by: str,
    wave: int,
    domains: tuple[Any, ...] | None = None,
    within: str | None = None,
    method: str = "auto",
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
    within : str, optional
        A second domain variable (``"group"``) to compare within: each domain in each class
        of ``within`` against the national figure of that class (the political office
        holders of a province against those of the nation, its employees against the
        nation's employees), never against a figure that pools the classes. The result's
        domains are then the pairs ``(value, class)``, all of them, empty ones as NaN.
    method : {"auto", "stacked", "rest"}, default "auto"
        ``"stacked"``: the full linearisation of the difference (needs the design the data
        build from their columns); ``"rest"``: through the rest of the country (any
        design); ``"auto"``: stacked where possible.
    level : float, default 0.95
        Default confidence level of the intervals.
    **options
        Passed to the indicator (``form=``, ``channel=``, ``to=``).

    Returns
    -------
    Comparison

    Notes
    -----
    See :mod:`vpt_monitor.report.compare` for the derivation. Stacked, the difference
    :math:`\hat\theta_d - \hat\theta` and its design-based variance
    :math:`v_{dd} + v_{nn} - 2 v_{dn}` come from one estimate in which every respondent is
    in their domain and in the nation (R's ``svycontrast`` of ``yd / xd - y / x``). Through
    the rest of the country, the test is the t-test of the domain against the rest
    (equivalent to the test against the national figure) and the interval of the difference
    is that contrast's interval times :math:`1 - \hat s`. With ``within``, the same holds
    within each class :math:`g`: :math:`\hat\theta_{dg} - \hat\theta_g` on the full
    design (R: ``svyby(~yd + xd + y + x, ~group, design, svytotal, covmat = TRUE)`` and
    ``svycontrast`` of ```g:yd` / `g:xd` - `g:y` / `g:x```), with the degrees of freedom
    of the class's rows of the wave.

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
    >>> by_group = compare_with_national(data, victimisation, by="layer", within="group",
    ...                                  wave=2016)
    >>> [(str(layer), str(group)) for layer, group in by_group.domains[:2]]
    [('rijk', 'politiek-ambtsdrager'), ('rijk', 'medewerker')]
    """
    method = check_choice("method", method, ("auto", "stacked", "rest"))
    values = domain_values(data, by) if domains is None else tuple(domains)
    classes: tuple[Any, ...] = (None,)
    if within is not None:
        if within == by:
            raise ValueError(f"'within' must differ from 'by'; got within={within!r}")
        classes = domain_values(data, within)
    stacked = None if method == "rest" else _stack(data, by, values)
    if stacked is None:
        if method == "stacked":
            raise ValueError(
                "method='stacked' needs the design the data build from their columns; these "
                "data have another (calibrated or given) design: use method='rest'"
            )
        return _through_rest(data, indicator, by, wave, values, within, classes, level, options)
    both, name, codes = stacked
    table = indicator(both, by=name if within is None else (name, within), wave=wave, **options)
    assert isinstance(table, EstimateTable)

    def key(code: Any, group: Any) -> Any:
        return code if within is None else (code, group)

    pairs = [
        (value, code, group) for value, code in zip(values, codes, strict=True) for group in classes
    ]
    n = len(pairs)
    estimate, national, error, df = (np.full(n, np.nan) for _ in range(4))
    for i, (_, code, group) in enumerate(pairs):
        whole = key(NATIONAL, group)
        if whole not in table.domains:
            continue
        national[i] = table.estimate[table.index(whole)]
        if key(code, group) not in table.domains:
            continue
        cov = table.covariance_of([key(code, group), whole])
        estimate[i] = table.estimate[table.index(key(code, group))]
        if _untestable(table, key(code, group)):
            continue  # no standard error, interval or test (see _untestable)
        error[i] = np.sqrt(max(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1], 0.0))
        df[i] = table.degrees_of_freedom([key(code, group), whole])
    with np.errstate(invalid="ignore", divide="ignore"):
        difference = estimate - national
        p = 2 * _distributions.t_sf(np.abs(difference / error), df)
    p = np.where((error > 0) & (df > 0), p, np.nan)
    missing = np.full(n, np.nan)
    return Comparison(
        domains=tuple(key(value, group) for value, _, group in pairs),
        wave=int(wave),
        estimate=estimate,
        national=national,
        rest=missing,
        difference=difference,
        standard_error=error,
        contrast=missing,
        contrast_error=missing,
        share=missing,
        df=df,
        p_value=p,
        method="stacked",
        level=level,
        shares=table.kind == "proportion",
    )


def _through_rest(
    data: MonitorData,
    indicator: Indicator,
    by: str,
    wave: int,
    values: tuple[Any, ...],
    within: str | None,
    classes: tuple[Any, ...],
    level: float,
    options: Mapping[str, Any],
) -> Comparison:
    """Compare each domain with the nation through the rest of the country (any design)."""
    if within is None:
        whole = indicator(data, wave=wave, **options)
        assert isinstance(whole, Estimate)
        nationals = {None: whole.estimate}
        kind = whole.kind
    else:
        per_class = indicator(data, by=within, wave=wave, **options)
        assert isinstance(per_class, EstimateTable)
        kind = per_class.kind
        nationals = {
            g: float(per_class.estimate[per_class.index(g)]) if g in per_class.domains else np.nan
            for g in classes
        }
    n = len(values) * len(classes)
    out = {
        k: np.full(n, np.nan)
        for k in ("estimate", "rest", "contrast", "error", "df", "share", "national")
    }
    for v, value in enumerate(values):
        parts, name = split(data, by, value)
        table = indicator(
            parts, by=name if within is None else (name, within), wave=wave, **options
        )
        assert isinstance(table, EstimateTable)
        for c, group in enumerate(classes):
            i = v * len(classes) + c
            national = nationals[group]
            out["national"][i] = national
            labels = list(PARTS) if within is None else [(part, group) for part in PARTS]
            if not all(label in table.domains for label in labels):
                continue
            estimates = np.array([table.estimate[table.index(label)] for label in labels])
            rows = np.array([table.n[table.index(label)] for label in labels], dtype=np.float64)
            cov = table.covariance_of(labels)
            out["estimate"][i], out["rest"][i] = estimates[0], estimates[1]
            out["contrast"][i] = estimates[0] - estimates[1]
            if not _untestable(table, labels[0]):  # else no standard error or test
                out["error"][i] = np.sqrt(max(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1], 0.0))
                out["df"][i] = table.degrees_of_freedom(labels)
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
        difference = out["estimate"] - out["national"]
        statistic = out["contrast"] / out["error"]
        p = 2 * _distributions.t_sf(np.abs(statistic), out["df"])
    p = np.where((out["error"] > 0) & (out["df"] > 0), p, np.nan)
    return Comparison(
        domains=tuple(
            value if within is None else (value, group) for value in values for group in classes
        ),
        wave=int(wave),
        estimate=out["estimate"],
        national=out["national"],
        rest=out["rest"],
        difference=difference,
        standard_error=(1.0 - share) * out["error"],
        contrast=out["contrast"],
        contrast_error=out["error"],
        share=share,
        df=out["df"],
        p_value=p,
        method="rest",
        level=level,
        shares=kind == "proportion",
    )
