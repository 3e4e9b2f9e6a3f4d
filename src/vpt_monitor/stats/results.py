"""Result types of the design-based estimators: :class:`Estimate` and :class:`EstimateTable`."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor._frozen import FrozenMap
from vpt_monitor.stats import _design_ci, _print, _reliability
from vpt_monitor.stats._arrays import read_only
from vpt_monitor.stats._incidence import DomainPSUs
from vpt_monitor.stats._interval import ConfidenceInterval
from vpt_monitor.stats._validation import check_choice, check_level

if TYPE_CHECKING:
    from vpt_monitor.stats.variance import CrossProducts

__all__ = ["FLAGS", "ConfidenceInterval", "Estimate", "EstimateTable"]

FloatArray = NDArray[np.float64]
#: An interval that is not ``estimate -/+ t se``: ``(level, method) -> (low, high, method)``
#: for every domain of a table (the Woodruff interval of a quantile needs the data).
IntervalFunction = Callable[[float, str | None], tuple[FloatArray, FloatArray, str]]

#: Names of the flags an estimate can carry, in the column order of ``flag_array``:
#:
#: - ``"boundary"``: a proportion of exactly 0 or 1; its interval is the one-sided exact
#:   bound on Kish's effective sample size;
#: - ``"no_df"``: fewer than one degree of freedom, or a replicate design with a replicate
#:   that has no estimate for the domain (it drops all the domain's PSUs): no interval;
#: - ``"empty"``: no rows;
#: - ``"zero_variance"``: more than one row and an outcome that varies, yet a standard error
#:   of zero (all its PSUs in strata sampled completely, a single PSU, a total fixed by
#:   calibration): never reliable, see ``flag_detail`` for the cause;
#: - ``"zero_denominator"``: a ratio whose denominator total is zero; estimate and standard
#:   error are NaN;
#: - ``"not_measured"``: the domain has rows but none answered the question (it was not
#:   asked there); estimate and standard error are NaN.
FLAGS = (
    "boundary",
    "no_df",
    "empty",
    "zero_variance",
    "zero_denominator",
    "not_measured",
    "unanswered",
)


def _default_method(kind: str) -> str:
    return {"proportion": "logit", "rate": "exact"}.get(kind, "t")


def _readonly_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return FrozenMap(dict(value))


def _optional_codes(value: Any) -> NDArray[np.intp] | None:
    return None if value is None else np.asarray(value, dtype=np.intp).ravel()


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


def _counts(value: Any) -> NDArray[np.int64]:
    return read_only(np.rint(np.asarray(value, dtype=np.float64)), np.int64)


def _array(value: Any) -> FloatArray:
    array: FloatArray = read_only(value, np.float64)
    return array


def _optional_array(value: Any) -> FloatArray | None:
    return None if value is None else _array(value)


def _bounds(value: Any) -> tuple[float, float] | None:
    """Check ``bounds``: None or a pair ``(low, high)`` of numbers with ``low < high``."""
    if value is None:
        return None
    try:
        low, high = (float(v) for v in value)
    except (TypeError, ValueError):
        raise TypeError(f"'bounds' must be a pair (low, high) of numbers; got {value!r}") from None
    if not low < high:  # also refuses NaN
        raise ValueError(f"'bounds' must have low < high; got bounds={value!r}")
    return low, high


def _clip(low: Any, high: Any, bounds: tuple[float, float] | None) -> tuple[FloatArray, FloatArray]:
    if bounds is None:
        return low, high
    return np.clip(low, *bounds), np.clip(high, *bounds)


@attrs.frozen(eq=False, repr=False)
class Estimate:
    r"""One design-based estimate with its standard error.

    Attributes
    ----------
    estimate : float
        The point estimate.
    standard_error : float
        Its Taylor-linearised (or replicate) standard error.
    df : float
        Degrees of freedom for intervals: PSUs minus strata among the rows that take part
        (R's ``degf`` of the domain's subset design); for a replicate design the rank of
        those rows' replicate weights minus one.
    n : int
        Number of sample rows in the estimate's domain.
    deff : float
        Design effect against simple random sampling without replacement of the same number
        of rows (R's ``deff=TRUE``); where the domain's weights add up to no more than its
        rows (weights scaled to the sample, such as to mean 1, rather than to a population),
        against sampling with replacement (R's ``deff="replace"``; R's ``deff=TRUE`` gives
        Inf or NA there). NaN where it does not apply.
    n_effective : float
        Kish's effective sample size of the domain, :math:`(\sum w)^2 / \sum w^2`.
    kind : str
        What was estimated: ``"mean"``, ``"total"``, ``"ratio"``, ``"proportion"``,
        ``"contrast"`` or ``"rate"``; it selects the interval methods. For a Poisson
        ``"rate"``, ``n`` is the number of events and ``exposure`` the denominator.
    flags : tuple of str
        Warnings a reader needs, names from :data:`~vpt_monitor.stats.results.FLAGS`:
        ``"boundary"`` (a proportion of exactly 0 or 1, whose interval is the one-sided exact
        bound on the effective sample size), ``"no_df"`` (fewer than one degree of freedom,
        or a replicate that drops all the domain's PSUs: no interval), ``"empty"`` (no
        rows), ``"zero_variance"`` (a standard error of zero although the outcome varies:
        never reliable), ``"zero_denominator"`` (a ratio over a zero total: NaN) and
        ``"not_measured"`` (rows but no answers: the question was not asked there) and
        ``"unanswered"`` (more than 30% of the domain's rows without an answer, set by the
        monitor's indicators: the answers may not stand for the others; never reliable).
    method : str or None
        Interval method used when :meth:`confidence_interval` is not given one.
    level : float
        Confidence level used when :meth:`confidence_interval` is not given one.
    notes : mapping
        What the estimator wants a reader to know, such as how many counts were capped.
    bounds : tuple of float or None
        ``(low, high)`` range of a bounded quantity, such as ``(0, 100)`` for a maturity
        score; intervals are clipped to it. None (the default) clips nothing.
    logit_standard_error : float
        For a proportion from a replicate design, the replicate standard error of
        :math:`\operatorname{logit}\hat p` (the spread of the replicates' log-odds), which
        the ``"logit"`` interval uses as R's ``svyciprop``; NaN otherwise.
    flag_detail : str
        Why the flags were raised, in words (for example which replicate dropped all the
        domain's PSUs); empty when there is nothing to explain.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, proportion
    >>> design = SurveyDesign(weights=[1.0, 2.0, 1.0, 3.0], strata=[1, 1, 2, 2])
    >>> est = proportion([1, 0, 1, 1], design)
    >>> round(est.estimate, 4), round(est.standard_error, 4)
    (0.7143, 0.2581)
    >>> est.confidence_interval(level=0.9, method="mean").method
    'mean'
    """

    estimate: float = attrs.field(converter=float)
    standard_error: float = attrs.field(converter=float)
    df: float = attrs.field(converter=float)
    n: int = attrs.field(converter=int)
    deff: float = attrs.field(converter=float, default=float("nan"))
    n_effective: float = attrs.field(converter=float, default=float("nan"))
    kind: str = attrs.field(default="mean")
    exposure: float = attrs.field(converter=float, default=float("nan"), kw_only=True)
    flags: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    method: str | None = attrs.field(default=None)
    level: float = attrs.field(default=0.95, converter=float)
    notes: Mapping[str, Any] = attrs.field(factory=dict, converter=_readonly_mapping, repr=False)
    bounds: tuple[float, float] | None = attrs.field(default=None, converter=_bounds, kw_only=True)
    logit_standard_error: float = attrs.field(
        converter=float, default=float("nan"), kw_only=True, repr=False
    )
    flag_detail: str = attrs.field(default="", converter=str, kw_only=True, repr=False)
    interval: IntervalFunction | None = attrs.field(default=None, kw_only=True, repr=False)

    @property
    def variance(self) -> float:
        """Square of the standard error."""
        return self.standard_error**2

    @property
    def reliable(self) -> bool:
        """Whether the estimate meets the publication rules (see :meth:`reliability`)."""
        return self.reliability()[0]

    def reliability(self) -> tuple[bool, tuple[str, ...]]:
        """Check the publication rules; return ``(reliable, reasons it is not)``.

        The rules (after the NCHS data presentation standards): for a proportion, a
        Korn-Graubard effective sample size of at least 30, a 95% Korn-Graubard interval at
        most 0.30 wide and, where wider than 0.05, at most 130% of the estimate, and 8 or more
        degrees of freedom; for a rate at least 20 events and a relative standard error of
        at most 30%; for other estimates a relative standard error of at most 30% and 8 or
        more degrees of freedom. An estimate flagged ``"zero_variance"`` is never reliable,
        whatever the other rules say: its reason gives the cause (``flag_detail``); nor is
        one flagged ``"unanswered"`` (more than 30% of its rows without an answer).

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, proportion
        >>> small = proportion([1, 0, 0, 1, 0], SurveyDesign(weights=[1] * 5))
        >>> small.reliable
        False
        >>> small.reliability()[1][0]
        'effective sample size below 30'
        """
        ok, reasons = _reliability.assess(
            self.kind,
            self.estimate,
            self.standard_error,
            self.df,
            self.n,
            self.n_effective,
            "zero_variance" in self.flags,
            (self.flag_detail,),
            unanswered="unanswered" in self.flags,
        )
        return bool(ok[0]), reasons[0]

    @property
    def cv(self) -> float:
        """Coefficient of variation, ``standard_error / |estimate|``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.float64(self.standard_error) / abs(self.estimate))

    def to_records(
        self, level: float | None = None, method: str | None = None
    ) -> list[dict[str, Any]]:
        """Return the estimate as one dictionary, as :meth:`EstimateTable.to_records` does.

        Parameters
        ----------
        level, method : optional
            The interval's level and method (by default the estimate's own).

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, mean
        >>> record = mean([1.0, 2.0, 4.0], SurveyDesign(weights=[1.0, 1.0, 2.0])).to_records()[0]
        >>> sorted(record)[:4], record["estimate"]
        (['deff', 'df', 'estimate', 'flags'], 2.75)
        """
        ci = self.confidence_interval(level, method)
        return [
            {
                "estimate": self.estimate,
                "standard_error": self.standard_error,
                "low": float(ci.low),
                "high": float(ci.high),
                "df": self.df,
                "n": self.n,
                "deff": self.deff,
                "reliable": self.reliable,
                "flags": ",".join(self.flags),
            }
        ]

    def to_pandas(self, level: float | None = None, method: str | None = None) -> Any:
        """Return the estimate as a one-row :class:`pandas.DataFrame` (needs pandas).

        The columns of :meth:`EstimateTable.to_pandas`, so that an estimate and a table of
        them can be put together with ``pandas.concat``.

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, proportion
        >>> est = proportion([1, 0, 1, 1], SurveyDesign(weights=[1.0, 2.0, 1.0, 3.0]))
        >>> est.to_pandas()[["estimate", "n", "reliable"]].round(4)
           estimate  n  reliable
        0    0.7143  4     False
        """
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records(level, method))

    def to_polars(self, level: float | None = None, method: str | None = None) -> Any:
        """Return the estimate as a one-row ``polars.DataFrame`` (needs polars).

        The columns of :meth:`to_pandas`; ``level`` and ``method`` choose the interval.
        """
        import polars as pl

        return pl.DataFrame(self.to_records(level, method))

    def confidence_interval(
        self, level: float | None = None, method: str | None = None
    ) -> ConfidenceInterval:
        r"""Confidence interval at ``level``, by ``method``.

        Parameters
        ----------
        level : float, optional
            Confidence level in (0, 1); by default the estimate's ``level`` (0.95).
        method : str, optional
            For a proportion: ``"logit"`` (default), ``"xlogit"``, ``"likelihood"``,
            ``"asin"``, ``"beta"`` (Korn-Graubard), ``"mean"``, ``"wilson"`` or
            ``"clopper_pearson"``; for a rate the methods of
            :func:`~vpt_monitor.stats.rate_ci` (``"exact"`` by default); for other
            estimates ``"t"`` (default, Student t with ``df``), ``"normal"``, or ``"log"``
            for a positive quantity such as a ratio of two waves:
            :math:`\exp(\log\hat\theta \mp t\,\mathrm{se}/\hat\theta)`, the t interval
            of :math:`\log\hat\theta` by the delta method, back-transformed (NaN where the
            estimate is not positive).

        Notes
        -----
        With ``bounds`` set, both ends are clipped to it. For a proportion from a replicate
        design, ``"logit"`` uses the replicate standard error of the log-odds (R's
        ``svyciprop(method="logit")``, which refits ``svyglm`` on every replicate) and
        ``"xlogit"`` the delta method on :math:`\hat p`,
        :math:`\mathrm{se}/(\hat p(1 - \hat p))` (R's ``"xlogit"``); for a Taylor design
        the two coincide.
        """
        if self.interval is not None:
            chosen_level = check_level(self.level if level is None else level)
            low_q, high_q, how = self.interval(chosen_level, method)
            low_q, high_q = _clip(low_q, high_q, self.bounds)
            return ConfidenceInterval(float(low_q[0]), float(high_q[0]), chosen_level, how)
        ci = _interval(
            self.kind,
            np.float64(self.estimate),
            np.float64(self.standard_error),
            np.float64(self.df),
            np.float64(self.n),
            np.float64(self.n_effective),
            self.level if level is None else level,
            self.method if method is None else method,
            np.float64(self.exposure),
            np.float64(self.logit_standard_error),
        )
        low, high = _clip(ci[0], ci[1], self.bounds)
        return ConfidenceInterval(float(low), float(high), ci[3], ci[2])

    def __repr__(self) -> str:
        extra = f", flags={self.flags}" if self.flags else ""
        # fixed notation, never 3.2e-05 (see vpt_monitor.stats._print)
        return (
            f"Estimate({self.kind}: {_print.fixed_one(self.estimate, 6)}, "
            f"se={_print.fixed_one(self.standard_error)}, df={_print.count(self.df)}, "
            f"n={self.n}, deff={_print.fixed_one(self.deff, 3)}{extra})"
        )


def _pick(function: IntervalFunction, positions: NDArray[np.intp]) -> IntervalFunction:
    """Restrict an interval function to the domains at ``positions`` (-1: a new one)."""

    def picked(level: float, method: str | None) -> tuple[FloatArray, FloatArray, str]:
        low, high, how = function(level, method)
        safe = np.maximum(positions, 0)
        known = positions >= 0
        return np.where(known, low[safe], np.nan), np.where(known, high[safe], np.nan), how

    return picked


def _interval(
    kind: str,
    estimate: Any,
    se: Any,
    df: Any,
    n: Any,
    n_effective: Any,
    level: float,
    method: str | None,
    exposure: Any = np.nan,
    logit_se: Any = None,
) -> tuple[FloatArray, FloatArray, str, float]:
    check_level(level)
    chosen = _default_method(kind) if method is None else method
    if kind == "rate":
        from vpt_monitor.stats.intervals import RATE_METHODS, rate_ci

        chosen = check_choice("method", chosen, RATE_METHODS)
        positive = np.asarray(exposure) > 0
        ci = rate_ci(n, np.where(positive, exposure, 1.0), method=chosen, level=level)
        low = np.where(positive, ci.low, np.nan)
        high = np.where(positive, ci.high, np.nan)
    elif kind == "proportion":
        chosen = check_choice("method", chosen, _design_ci.PROPORTION_METHODS)
        low, high, _ = _design_ci.proportion_ci(
            estimate, se, df, n, n_effective, level, chosen, logit_se
        )
    else:
        chosen = check_choice("method", chosen, _design_ci.ESTIMATE_METHODS)
        low, high = _design_ci.estimate_ci(estimate, se, df, level, chosen)
    return low, high, chosen, level


@attrs.frozen(eq=False, repr=False)
class EstimateTable:
    """Estimates for several domains, with the covariance between them.

    Domains are estimated on the full design, so their covariance is known and a contrast
    between them (a change between waves, a difference between offices) gets the right
    standard error.

    Attributes
    ----------
    domains : tuple
        Domain labels, one per row of the table; tuples of labels when ``by`` was a tuple.
    by : tuple of str
        Names of the domain variables, where known.
    estimate, standard_error, df, n, deff, n_effective : numpy.ndarray
        One value per domain, as in :class:`Estimate`.
    covariance : numpy.ndarray
        ``D x D`` covariance matrix of the estimates, computed when first asked for (from
        ``covariance_factor`` where the estimator left one).
    kind : str
        What was estimated.
    exposure : numpy.ndarray or None
        For rates, the denominator of each domain (``n`` is then the number of events).
    flags : tuple of tuple of str
        Flags per domain, as in :class:`Estimate`, read from ``flag_array``.
    flag_array : numpy.ndarray of bool
        ``D x len(FLAGS)`` table of the flags, one column per name in
        :data:`vpt_monitor.stats.results.FLAGS`.
    design_df : float
        Degrees of freedom of the whole design, used for contrasts.
    method, level
        Interval method and level used when :meth:`confidence_interval` is not given them.
    notes : mapping
        What the estimator wants a reader to know, such as how many counts were capped.
    covariance_factor : numpy.ndarray or None
        A matrix ``X`` with ``covariance = X.T @ X`` (PSU deviations or scaled replicate
        deviations), kept so that many domains cost no ``D x D`` product until needed.
    covariance_cross : CrossProducts or None
        The covariance as cross products of (sparse) tables, kept instead of a factor or
        a matrix for many domains of a design with occupied cells only or a second stage
        (see :class:`vpt_monitor.stats.variance.CrossProducts`): memory linear in ``D``,
        and :meth:`covariance_of` forms only the block asked for.
    bounds : tuple of float or None
        ``(low, high)`` range of a bounded quantity; intervals are clipped to it.
    logit_standard_error : numpy.ndarray or None
        For proportions from a replicate design, the replicate standard errors of the
        log-odds (see :class:`Estimate`).
    flag_detail : tuple of str
        Per domain, why its flags were raised, in words ("" when nothing to explain).
    domain_psus : object or None
        Which PSUs each domain touches and the stratum of each PSU, kept by the estimators
        for :meth:`degrees_of_freedom`; it follows :meth:`reindex` and a relabelling with
        ``attrs.evolve(table, domains=...)``. None for tables built by hand.
    row_sets : numpy.ndarray of int or None
        Which domains count the same rows: one number per domain, equal for domains whose
        ``n`` are the same respondents (several variables over one domain, the predictions
        or coefficients of one model). A contrast counts such rows once. None when every
        domain has rows of its own (domains of a ``by``, which never overlap).
    labeller : callable or None
        ``labeller(domain) -> str``: how a domain is named when the table is printed
        (:meth:`to_string`, ``repr``); None prints ``str(domain)``. Only printing uses it:
        ``domains``, indexing and the frames keep the labels themselves. The monitor's
        indicators attach one that names offices, layers and attributes in the language
        of :func:`vpt_monitor.set_language`.

    Notes
    -----
    Printing (``repr``, :meth:`to_string`) writes numbers in fixed notation, never as
    ``3.2e-05``: each column gets one number of decimals, enough to show its largest value
    to 4 significant digits (at most 12 decimals), less the trailing zeros every value of
    the column has; the estimate and its bounds share their decimals. A value far below its
    column's largest prints as zero there; the attributes and :meth:`to_pandas` keep every
    digit. :class:`Estimate`, :class:`ConfidenceInterval`, fitted models, weight
    diagnostics and the monitor's change, trend and plan tables print by the same rule.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, mean
    >>> design = SurveyDesign(weights=[1.0, 2.0, 1.0, 3.0, 2.0, 1.0])
    >>> table = mean([3.0, 5.0, 2.0, 4.0, 6.0, 1.0], design, by=["a", "a", "b", "b", "b", "a"])
    >>> table.domains
    ('a', 'b')
    >>> round(table["b"].estimate, 4)
    4.3333
    """

    domains: tuple[Hashable, ...] = attrs.field(converter=_tuple)
    estimate: FloatArray = attrs.field(converter=_array)
    standard_error: FloatArray = attrs.field(converter=_array)
    df: FloatArray = attrs.field(converter=_array)
    n: NDArray[np.int64] = attrs.field(converter=_counts)
    deff: FloatArray = attrs.field(converter=_array)
    n_effective: FloatArray = attrs.field(converter=_array)
    kind: str = attrs.field(default="mean")
    exposure: FloatArray | None = attrs.field(default=None, kw_only=True)
    flag_array: NDArray[np.bool_] | None = attrs.field(default=None)
    by: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    design_df: float = attrs.field(default=float("nan"), converter=float)
    method: str | None = attrs.field(default=None)
    level: float = attrs.field(default=0.95, converter=float)
    notes: Mapping[str, Any] = attrs.field(factory=dict, converter=_readonly_mapping, repr=False)
    covariance_factor: FloatArray | None = attrs.field(default=None, repr=False)
    _covariance: list[FloatArray] | FloatArray = attrs.field(
        factory=list, repr=False, alias="covariance"
    )
    bounds: tuple[float, float] | None = attrs.field(default=None, converter=_bounds, kw_only=True)
    logit_standard_error: FloatArray | None = attrs.field(
        default=None, converter=_optional_array, kw_only=True, repr=False
    )
    flag_detail: tuple[str, ...] = attrs.field(
        default=(), converter=_tuple, kw_only=True, repr=False
    )
    domain_psus: DomainPSUs | None = attrs.field(default=None, kw_only=True, repr=False)
    interval: IntervalFunction | None = attrs.field(default=None, kw_only=True, repr=False)
    covariance_cross: CrossProducts | None = attrs.field(default=None, kw_only=True, repr=False)
    labeller: Callable[[Hashable], str] | None = attrs.field(default=None, kw_only=True, repr=False)
    row_sets: NDArray[np.intp] | None = attrs.field(
        default=None, converter=_optional_codes, kw_only=True, repr=False
    )

    def __attrs_post_init__(self) -> None:
        size = len(self.domains)
        if self.flag_array is None:
            object.__setattr__(self, "flag_array", np.zeros((size, len(FLAGS)), bool))
        if not isinstance(self._covariance, list):
            object.__setattr__(self, "_covariance", [_array(self._covariance)])
        if (
            not self._covariance
            and self.covariance_factor is None
            and self.covariance_cross is None
        ):
            raise ValueError(
                "an EstimateTable needs a covariance, a covariance_factor or a covariance_cross"
            )
        if not self.flag_detail:
            object.__setattr__(self, "flag_detail", ("",) * size)
        for name, value in (
            ("flag_detail", self.flag_detail),
            ("domain_psus", self.domain_psus),
            ("row_sets", self.row_sets),
        ):
            if value is not None and len(value) != size:
                raise ValueError(
                    f"'{name}' describes {len(value)} domains but the table has {size}; "
                    "use reindex() to change the domains of a table"
                )

    def covariance_of(self, labels: Iterable[Hashable]) -> FloatArray:
        """Covariance matrix of the estimates of the domains ``labels``, in that order.

        Only the columns of those domains are used: nothing of size ``D x D`` is formed
        when the table keeps a covariance factor, and empty domains elsewhere in the table
        do not spill NaN into it.

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, mean
        >>> design = SurveyDesign(weights=[1.0] * 6, clusters=[1, 1, 2, 2, 3, 3])
        >>> table = mean([1.0, 2.0, 4.0, 3.0, 5.0, 6.0], design, by=[2014, 2016] * 3)
        >>> table.reindex([2012, 2014, 2016]).covariance_of([2016, 2014]).round(4).tolist()
        [[1.4444, 1.2222], [1.2222, 1.4444]]
        """
        positions = np.array([self.index(label) for label in labels], dtype=np.intp)
        return self._covariance_at(positions)

    def _covariance_at(self, positions: NDArray[np.intp]) -> FloatArray:
        cache = self._covariance
        assert isinstance(cache, list)
        if not cache and self.covariance_factor is not None:
            columns = self.covariance_factor[:, positions]
            result: FloatArray = columns.T @ columns
            return result
        if not cache and self.covariance_cross is not None:
            return self.covariance_cross.block(positions)
        return np.asarray(self.covariance[np.ix_(positions, positions)], dtype=np.float64)

    def _contrast_variances(self, weights: Any) -> FloatArray:
        r"""Variances :math:`c_r^\top \Sigma c_r` of the contrasts in the rows of ``weights``.

        ``weights`` is a ``rows x D`` scipy sparse array of coefficients on this table's
        domains. Only the domains a contrast uses enter, so a table of many domains never
        forms its ``D x D`` covariance (a contrast on a domain without a covariance, such as
        one added by :meth:`reindex`, has a NaN variance).
        """
        from scipy import sparse

        weights = sparse.csc_array(weights)
        used = np.flatnonzero(np.diff(weights.indptr))  # the domains some contrast uses
        part = weights[:, used]
        cache = self._covariance
        assert isinstance(cache, list)
        if not cache and self.covariance_cross is not None:
            return self.covariance_cross.contrast_variances(part, used)
        if not cache and self.covariance_factor is not None:
            # sparse times dense: a contrast meets only its own domains' columns, so the
            # NaN column of a domain without a covariance spoils only the contrasts on it
            projected = np.asarray(part @ self.covariance_factor[:, used].T)
            result: FloatArray = np.einsum("ij,ij->i", projected, projected)
            return result
        dense = part.toarray()
        block = self._covariance_at(used)
        unknown = np.isnan(block)
        variance = np.einsum("rd,de,re->r", dense, np.where(unknown, 0.0, block), dense)
        touched = dense != 0
        spoiled = ((touched.astype(np.int64) @ unknown.astype(np.int64)) * touched).any(axis=1)
        return np.asarray(np.where(spoiled, np.nan, variance), dtype=np.float64)

    def degrees_of_freedom(self, labels: Iterable[Hashable]) -> float:
        """Degrees of freedom of the domains ``labels`` taken together.

        For a Taylor design, the PSUs minus the strata among the rows of the union of those
        domains: R's ``degf(subset(design, domain %in% labels))``. This is the df for a
        contrast of those domains, such as the change between two waves. For a replicate
        design, the rank of those rows' replicate weights minus one (R's ``degf`` of their
        subset, as :meth:`ReplicateDesign.subset` gives). A table built by hand, without
        the record of which PSUs its domains touch, answers ``design_df``.

        Parameters
        ----------
        labels : iterable
            Domain labels of this table.

        Returns
        -------
        float
            Degrees of freedom; 0 when only empty domains are named.

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, mean
        >>> design = SurveyDesign(weights=[1.0] * 8, strata=[1, 1, 1, 1, 2, 2, 2, 2],
        ...                       clusters=[1, 1, 2, 3, 4, 5, 6, 6])
        >>> y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
        >>> table = mean(y, design, by=["a", "a", "b", "b", "c", "c", "c", "a"])
        >>> table.df.tolist(), design.df
        ([0.0, 1.0, 2.0], 4)
        >>> table.degrees_of_freedom(["a", "b"]), table.degrees_of_freedom(["b", "c"])
        (2.0, 3.0)
        """
        positions = np.array([self.index(label) for label in labels], dtype=np.intp)
        return self._df_at(positions)

    def _df_of_sets(
        self, sets: NDArray[np.intp], positions: NDArray[np.intp], n_sets: int
    ) -> FloatArray:
        """:meth:`degrees_of_freedom` of many sets of domains at once (see DomainPSUs)."""
        if self.domain_psus is None:
            return np.full(n_sets, float(self.design_df))
        return self.domain_psus.degrees_of_freedom_of_sets(sets, positions, n_sets)

    def _df_at(self, positions: NDArray[np.intp]) -> float:
        if self.domain_psus is None:
            return float(self.design_df)
        return self.domain_psus.degrees_of_freedom(positions)

    @property
    def covariance(self) -> FloatArray:
        """``D x D`` covariance matrix of the domain estimates."""
        cache = self._covariance
        assert isinstance(cache, list)
        if not cache and self.covariance_cross is not None:
            cache.append(self.covariance_cross.block())
        if not cache:
            assert self.covariance_factor is not None
            factor = self.covariance_factor
            cache.append(_array(factor.T @ factor))
        return cache[0]

    @property
    def reliable(self) -> NDArray[np.bool_]:
        """Per domain, whether the estimate meets the publication rules."""
        return self.reliability()[0]

    def reliability(self) -> tuple[NDArray[np.bool_], list[tuple[str, ...]]]:
        """Check the publication rules per domain; see :meth:`Estimate.reliability`."""
        assert self.flag_array is not None
        return _reliability.assess(
            self.kind,
            self.estimate,
            self.standard_error,
            self.df,
            self.n,
            self.n_effective,
            self.flag_array[:, FLAGS.index("zero_variance")],
            self.flag_detail,
            unanswered=self.flag_array[:, FLAGS.index("unanswered")],
        )

    def _flags_of(self, i: int) -> tuple[str, ...]:
        assert self.flag_array is not None
        return tuple(name for name, on in zip(FLAGS, self.flag_array[i], strict=True) if on)

    @property
    def flags(self) -> tuple[tuple[str, ...], ...]:
        """Flags per domain, such as ``("boundary",)``; see :class:`Estimate`."""
        assert self.flag_array is not None
        return tuple(
            tuple(name for name, on in zip(FLAGS, row, strict=True) if on)
            for row in self.flag_array.tolist()
        )

    def __len__(self) -> int:
        return len(self.domains)

    def index(self, label: Hashable) -> int:
        """Position of domain ``label``; raises `KeyError` naming the known domains.

        Text is matched exactly, else ignoring case where only one domain matches
        (``"Burgemeester"`` finds ``"burgemeester"``); a label that matches nothing gets
        the closest domain as a suggestion.
        """
        from vpt_monitor.stats._match import closest_label, find_label

        try:
            return self.domains.index(label)
        except ValueError:
            k = find_label(self.domains, label)  # "Drenthe" is "drenthe", when unambiguous
            if k >= 0:
                return k
            hint = closest_label(self.domains, label)
            shown = ", ".join(repr(d) for d in self.domains[:12])
            more = ", ..." if len(self.domains) > 12 else ""
            raise KeyError(
                f"{label!r} is not a domain of this table{hint}; domains: {shown}{more}"
            ) from None

    def __getitem__(self, label: Hashable) -> Estimate:
        i = self.index(label)
        return Estimate(
            estimate=self.estimate[i],
            standard_error=self.standard_error[i],
            df=self.df[i],
            n=self.n[i],
            deff=self.deff[i],
            n_effective=self.n_effective[i],
            kind=self.kind,
            exposure=np.nan if self.exposure is None else self.exposure[i],
            flags=self._flags_of(i),
            method=self.method,
            level=self.level,
            notes=self.notes,
            bounds=self.bounds,
            logit_standard_error=(
                np.nan if self.logit_standard_error is None else self.logit_standard_error[i]
            ),
            flag_detail=self.flag_detail[i],
            interval=None if self.interval is None else _pick(self.interval, np.array([i])),
        )

    def __iter__(self) -> Iterator[tuple[Hashable, Estimate]]:
        for label in self.domains:
            yield label, self[label]

    def reindex(self, labels: Sequence[Hashable]) -> EstimateTable:
        """Return the table with exactly ``labels`` as domains, in that order.

        Domains of this table keep their estimates and covariance; labels that are not
        domains of it are added as empty domains (NaN estimate, ``n`` 0, flag ``"empty"``),
        so that a table can list every office or layer even where nobody answered.

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, mean
        >>> table = mean([1.0, 2.0, 4.0], SurveyDesign(weights=[1, 1, 1]), by=["a", "a", "b"])
        >>> wide = table.reindex(["b", "c", "a"])
        >>> wide.domains, wide.n.tolist(), wide.flags[1]
        (('b', 'c', 'a'), [1, 0, 2], ('empty',))
        """
        wanted = tuple(labels)
        where = {label: i for i, label in enumerate(self.domains)}
        take = np.array([where.get(label, -1) for label in wanted], dtype=np.intp)
        known = take >= 0
        safe = np.where(known, take, 0)

        empty_table = len(self.domains) == 0

        def pick(values: NDArray[Any], fill: float) -> NDArray[Any]:
            if empty_table:
                return np.full(len(wanted), fill)
            return np.where(known, values[safe], fill)

        assert self.flag_array is not None
        flags = np.zeros((len(wanted), len(FLAGS)), dtype=bool)
        if not empty_table:
            flags = np.where(known[:, None], self.flag_array[safe], False)
        flags[:, FLAGS.index("empty")] |= ~known
        factor = None
        cross = None
        covariance: list[FloatArray] = []
        if self.covariance_cross is not None and not self._covariance:
            cross = self.covariance_cross.take(np.where(known, safe, -1))
        elif self.covariance_factor is not None:
            factor = (
                np.full((self.covariance_factor.shape[0], len(wanted)), np.nan)
                if empty_table
                else np.where(known[None, :], self.covariance_factor[:, safe], np.nan)
            )
        elif empty_table:
            covariance = [np.full((len(wanted), len(wanted)), np.nan)]
        else:
            both = known[:, None] & known[None, :]
            covariance = [np.where(both, self.covariance[np.ix_(safe, safe)], np.nan)]
        details = np.array(("", *self.flag_detail), dtype=object)
        detail = tuple(details[np.where(known, safe + 1, 0)].tolist())
        return attrs.evolve(
            self,
            domains=wanted,
            estimate=pick(self.estimate, np.nan),
            standard_error=pick(self.standard_error, np.nan),
            df=pick(self.df, np.nan),
            n=pick(self.n, 0),
            deff=pick(self.deff, np.nan),
            n_effective=pick(self.n_effective, 0.0),
            exposure=None if self.exposure is None else pick(self.exposure, 0.0),
            flag_array=flags,
            covariance_factor=factor,
            covariance=covariance,
            covariance_cross=cross,
            logit_standard_error=(
                None
                if self.logit_standard_error is None
                else pick(self.logit_standard_error, np.nan)
            ),
            flag_detail=detail,
            domain_psus=(
                None
                if self.domain_psus is None
                else self.domain_psus.take(np.where(known, take, -1))
            ),
            interval=None if self.interval is None else _pick(self.interval, take),
            row_sets=(
                None
                if self.row_sets is None
                else np.where(
                    known,
                    self.row_sets[safe] if not empty_table else 0,
                    int(self.row_sets.max(initial=-1)) + 1 + np.arange(len(wanted)),
                )
            ),
        )

    def rows_of(self, positions: NDArray[np.intp]) -> int:
        """Count the rows of the domains at ``positions``, each row once (see ``row_sets``).

        Domains of one row set count the same rows, so the ``n`` of the first of them
        stands for all: the estimators keep a row in every variable of a table or in none
        (a row missing one variable is left out of all), and a model's predictions rest
        on the rows of its fit.

        Parameters
        ----------
        positions : numpy.ndarray of int
            Positions of domains in the table.

        Returns
        -------
        int
            The number of distinct rows among those domains.

        Examples
        --------
        >>> import numpy as np
        >>> from vpt_monitor.stats import SurveyDesign, total
        >>> table = total({"y": [1.0, 2, 3, 4], "n": [1.0] * 4}, SurveyDesign(weights=[1.0] * 4),
        ...               by=["a", "a", "b", "b"])
        >>> table.domains
        (('y', 'a'), ('y', 'b'), ('n', 'a'), ('n', 'b'))
        >>> table.rows_of(np.array([0, 2])), table.rows_of(np.array([0, 1]))
        (2, 4)
        """
        positions = np.asarray(positions, dtype=np.intp)
        if self.row_sets is None or positions.size == 0:
            return int(self.n[positions].sum())
        _, first = np.unique(self.row_sets[positions], return_index=True)
        return int(self.n[positions[first]].sum())

    def confidence_interval(
        self, level: float | None = None, method: str | None = None
    ) -> ConfidenceInterval:
        """Intervals for all domains at once; see :meth:`Estimate.confidence_interval`."""
        if self.interval is not None:
            chosen_level = check_level(self.level if level is None else level)
            low_q, high_q, how = self.interval(chosen_level, method)
            low_q, high_q = _clip(low_q, high_q, self.bounds)
            return ConfidenceInterval(low_q, high_q, chosen_level, how)
        low, high, chosen, chosen_level = _interval(
            self.kind,
            self.estimate,
            self.standard_error,
            self.df,
            self.n.astype(np.float64),
            self.n_effective,
            self.level if level is None else level,
            self.method if method is None else method,
            np.nan if self.exposure is None else self.exposure,
            self.logit_standard_error,
        )
        low, high = _clip(low, high, self.bounds)
        return ConfidenceInterval(low, high, chosen_level, chosen)

    def to_records(
        self, level: float | None = None, method: str | None = None
    ) -> list[dict[str, Any]]:
        """One dictionary per domain with the estimate, its interval and the counts."""
        ci = self.confidence_interval(level, method)
        names = self.by or ("domain",)
        flags = self.flags
        reliable = self.reliable
        records = []
        for i, label in enumerate(self.domains):
            key = label if isinstance(label, tuple) and len(names) > 1 else (label,)
            record: dict[str, Any] = dict(zip(names, key, strict=False))
            record.update(
                estimate=float(self.estimate[i]),
                standard_error=float(self.standard_error[i]),
                low=float(np.asarray(ci.low)[i]),
                high=float(np.asarray(ci.high)[i]),
                df=float(self.df[i]),
                n=int(self.n[i]),
                deff=float(self.deff[i]),
                reliable=bool(reliable[i]),
                flags=",".join(flags[i]),
            )
            records.append(record)
        return records

    def to_pandas(self, level: float | None = None, method: str | None = None) -> Any:
        """Return the table as a :class:`pandas.DataFrame` indexed by domain (needs pandas).

        The index has one level per domain variable, named as the variables of ``by``
        (the frame's column names when ``by`` named columns); ``reset_index()`` turns them
        into columns.
        """
        import pandas as pd

        frame = pd.DataFrame.from_records(self.to_records(level, method))
        return frame.set_index(list(self.by or ("domain",)))

    def to_polars(self, level: float | None = None, method: str | None = None) -> Any:
        """Return the table as a ``polars.DataFrame`` (needs polars).

        One column per domain variable, named as the variables of ``by``, then the columns
        of :meth:`to_records`. A domain variable whose labels mix types (numbers and text)
        becomes a column of text.

        Examples
        --------
        >>> import polars as pl
        >>> from vpt_monitor.stats import SurveyDesign, mean
        >>> frame = pl.DataFrame({"w": [1.0, 1.0, 2.0], "office": ["mayor", "alderman", "mayor"],
        ...                       "score": [60.0, 75.0, 90.0]})
        >>> design = SurveyDesign.from_frame(frame, weights="w")
        >>> mean("score", design, by="office").to_polars().select("office", "estimate", "n")
        shape: (2, 3)
        ┌──────────┬──────────┬─────┐
        │ office   ┆ estimate ┆ n   │
        │ ---      ┆ ---      ┆ --- │
        │ str      ┆ f64      ┆ i64 │
        ╞══════════╪══════════╪═════╡
        │ alderman ┆ 75.0     ┆ 1   │
        │ mayor    ┆ 80.0     ┆ 2   │
        └──────────┴──────────┴─────┘
        """
        import polars as pl

        records = self.to_records(level, method)
        names = list(self.by or ("domain",))
        columns: dict[str, Any] = {}
        for name in names:
            values = [record[name] for record in records]
            if len({type(v) for v in values}) > 1:
                values = [str(v) for v in values]
            columns[name] = values
        for key in records[0] if records else ():
            if key not in columns:
                columns[key] = [record[key] for record in records]
        return pl.DataFrame(columns)

    def _repr_html_(self) -> str | None:
        """Show the table as HTML in notebooks (through pandas, when installed).

        A table with a ``labeller`` (the monitor's indicators) shows each domain's label in
        a first column, in the labeller's language, beside the codes of the index: the
        notebook names the domains as the printed table does.
        """
        labels = None
        if self.labeller is not None:
            title = getattr(self.labeller, "heading", None)
            column = title("label") if callable(title) else "label"
            if column not in (self.by or ("domain",)):
                labels = (column, [self.labeller(domain) for domain in self.domains])
        return _print.notebook(self, self.to_pandas, labels=labels)

    def to_string(self, *, labeller: Callable[[Hashable], str] | None = None) -> str:
        """Return the table as printed: one row per domain (the first 30).

        Parameters
        ----------
        labeller : callable, optional
            ``labeller(domain) -> str`` names each domain; by default the table's own
            ``labeller``, else ``str`` (parts of a tuple joined by ", ").
        """
        ci = self.confidence_interval()
        name = labeller if labeller is not None else self.labeller
        # a labeller may give the words of the title line, flags and the rows not shown in
        # its language (the indicators' tables print Dutch after set_language("nl"))
        words = getattr(name, "words", None)
        domains = "domain" if len(self) == 1 else "domains"
        header = (
            words("title", kind=self.kind, count=len(self), method=ci.method, level=ci.level)
            if callable(words)
            else f"EstimateTable({self.kind}, {len(self)} {domains}, {ci.method} "
            f"{_print.level(ci.level)} intervals)"
        )
        texts = [
            name(label)
            if name is not None
            else ", ".join(str(p) for p in label)
            if isinstance(label, tuple)
            else str(label)
            for label in self.domains[:30]
        ]
        width = min(max([len("domain") + 1, *(len(t) for t in texts)]) + 2, 42)
        shown = len(texts)
        # fixed notation (see vpt_monitor.stats._print): estimate and bounds share decimals
        values = [self.estimate[:shown], np.asarray(ci.low)[:shown], np.asarray(ci.high)[:shown]]
        digits = _print.decimals(np.concatenate(values))
        cells = [
            [_print.write(v, digits) for v in values[0]],
            _print.fixed(self.standard_error[:shown]),
            [_print.write(v, digits) for v in values[1]],
            [_print.write(v, digits) for v in values[2]],
            [str(int(v)) for v in self.n[:shown]],
        ]
        # a labeller may also give the decimal mark and the column titles of its language
        mark = getattr(name, "decimal_mark", None)
        if callable(mark) and mark() != ".":
            cells[:4] = [[c.replace(".", mark()) for c in column] for column in cells[:4]]
        title = getattr(name, "heading", None)
        heads = tuple(
            title(h) if callable(title) else h for h in ("estimate", "se", "low", "high", "n")
        )
        domain_head = title("domain") if callable(title) else "domain"
        widths = [
            max(len(h), *(len(c) for c in column)) + 2
            for h, column in zip(heads, cells, strict=True)
        ]
        rows = [
            header,
            f"  {domain_head:<{width}}"
            + "".join(f"{h:>{w}}" for h, w in zip(heads, widths, strict=True)),
        ]
        flags = self.flags
        for i, text in enumerate(texts):
            shown_flags = (
                words("flags", flags=flags[i]) if callable(words) else f"[{','.join(flags[i])}]"
            )
            note = f"  {shown_flags}" if flags[i] else ""
            rows.append(
                f"  {text[: width - 1]:<{width}}"
                + "".join(f"{c[i]:>{w}}" for c, w in zip(cells, widths, strict=True))
                + note
            )
        if len(self) > 30:
            rest = len(self) - 30
            rows.append(
                f"  {words('more', count=rest)}"
                if callable(words)
                else f"  ... {rest} more {'domain' if rest == 1 else 'domains'}"
            )
        return "\n".join(rows)

    def __repr__(self) -> str:
        return self.to_string()
