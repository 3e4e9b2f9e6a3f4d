r"""Change between waves and trends over waves, with multiplicity adjustment and method breaks.

Every monitor report asks whether a figure went up since the previous wave. The answer needs
the difference's design-based standard error (from the covariance of the domain estimates,
see :func:`vpt_monitor.stats.contrast`), a test, an adjustment when many rows are tested at
once, and a warning where the questionnaire or fieldwork changed between the waves.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray
from scipy import stats as scipy_stats

from vpt_monitor.stats import ConfidenceInterval, EstimateTable
from vpt_monitor.stats._design_ci import t_quantile
from vpt_monitor.stats._validation import check_choice, check_level

__all__ = [
    "ADJUSTMENTS",
    "METHOD_BREAKS",
    "ChangeTable",
    "TrendTable",
    "adjust_p_values",
    "change",
    "method_breaks",
    "trend",
]

#: Known changes of method between waves of the monitor: ``{(wave before, wave after): note}``.
#: Add your own, or pass ``breaks=`` to :func:`change` and :func:`trend`.
METHOD_BREAKS: dict[tuple[int, int], str] = {
    (2010, 2012): "VPT questions changed from a frequency scale to yes/no per form (2011)",
    (2012, 2014): "fieldwork by a new research agency (I&O Research) with a revised questionnaire",
}

ADJUSTMENTS = ("holm", "bonferroni", "benjamini-hochberg", "none")


def method_breaks(
    first: int, last: int, breaks: Mapping[tuple[int, int], str] | None = None
) -> tuple[str, ...]:
    """Return the notes of the method breaks between waves ``first`` and ``last``."""
    registry = METHOD_BREAKS if breaks is None else breaks
    low, high = min(first, last), max(first, last)
    return tuple(
        note
        for (before, after), note in sorted(registry.items())
        if low <= before and after <= high
    )


def adjust_p_values(p: NDArray[np.float64], method: str = "holm") -> NDArray[np.float64]:
    """Adjust p-values for multiple testing; NaN entries are left out and stay NaN.

    Parameters
    ----------
    p : numpy.ndarray
        Unadjusted p-values.
    method : {"holm", "bonferroni", "benjamini-hochberg", "none"}
        Holm's step-down (family-wise error), Bonferroni, Benjamini-Hochberg (false discovery
        rate), or none.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor.indicators.change import adjust_p_values
    >>> adjust_p_values(np.array([0.01, 0.04, 0.03]), "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_p_values(np.array([0.01, 0.04, 0.03]), "benjamini-hochberg").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    check_choice("adjust", method, ADJUSTMENTS)
    p = np.asarray(p, dtype=np.float64)
    result = np.full_like(p, np.nan)
    known = np.flatnonzero(~np.isnan(p))
    m = known.size
    if m == 0 or method == "none":
        result[known] = p[known]
        return result
    values = p[known]
    if method == "bonferroni":
        adjusted = np.minimum(values * m, 1.0)
    elif method == "holm":
        order = np.argsort(values, kind="stable")
        stepped = np.maximum.accumulate(values[order] * (m - np.arange(m)))
        adjusted = np.empty(m)
        adjusted[order] = np.minimum(stepped, 1.0)
    else:  # Benjamini-Hochberg
        order = np.argsort(values, kind="stable")
        ranked = values[order] * m / np.arange(1, m + 1)
        stepped = np.minimum.accumulate(ranked[::-1])[::-1]
        adjusted = np.empty(m)
        adjusted[order] = np.minimum(stepped, 1.0)
    result[known] = adjusted
    return result


@attrs.frozen(eq=False, repr=False)
class ChangeTable:
    """Differences between two waves, one row per combination of the other domains.

    Attributes
    ----------
    rows : tuple
        Labels of the other domains (``("all",)`` when the table was by wave only).
    between : tuple of int
        The two waves; the difference is the second minus the first.
    estimate, standard_error, df : numpy.ndarray
        The differences, their design-based standard errors and degrees of freedom.
    p_value, p_adjusted : numpy.ndarray
        Two-sided t-test of no change, unadjusted and adjusted across the rows.
    adjust : str
        The adjustment used.
    method_breaks : tuple of str
        Known method breaks between the two waves (also in ``notes``): compare with care.
    level : float
        Default confidence level.

    Examples
    --------
    >>> from vpt_monitor import change, victimisation
    >>> from vpt_monitor.synth import simulate
    >>> result = change(victimisation(simulate(), by=("wave", "group")), between=(2014, 2016))
    >>> result.rows[0].label, bool(result.significant()[0])
    ('political office holders', True)
    """

    rows: tuple[Hashable, ...]
    between: tuple[int, int]
    estimate: NDArray[np.float64]
    standard_error: NDArray[np.float64]
    df: NDArray[np.float64]
    p_value: NDArray[np.float64]
    p_adjusted: NDArray[np.float64]
    adjust: str
    method_breaks: tuple[str, ...]
    level: float = 0.95

    def confidence_interval(self, level: float | None = None) -> ConfidenceInterval:
        """Student-t intervals of the differences."""
        chosen = self.level if level is None else check_level(level)
        q = t_quantile(chosen, self.df)
        return ConfidenceInterval(
            self.estimate - q * self.standard_error,
            self.estimate + q * self.standard_error,
            chosen,
            "t",
        )

    def significant(self, alpha: float | None = None) -> NDArray[np.bool_]:
        """Rows whose adjusted p-value is below ``alpha`` (by default ``1 - level``)."""
        threshold = 1 - self.level if alpha is None else alpha
        return np.asarray(self.p_adjusted < threshold)

    def __getitem__(self, row: Hashable) -> dict[str, Any]:
        i = self.rows.index(row)
        ci = self.confidence_interval()
        return {
            "estimate": float(self.estimate[i]),
            "standard_error": float(self.standard_error[i]),
            "low": float(np.asarray(ci.low)[i]),
            "high": float(np.asarray(ci.high)[i]),
            "p_value": float(self.p_value[i]),
            "p_adjusted": float(self.p_adjusted[i]),
        }

    def to_pandas(self, level: float | None = None) -> Any:
        """Return the table as a :class:`pandas.DataFrame` (needs pandas)."""
        import pandas as pd

        ci = self.confidence_interval(level)
        return pd.DataFrame(
            {
                "change": self.estimate,
                "standard_error": self.standard_error,
                "low": ci.low,
                "high": ci.high,
                "p_value": self.p_value,
                "p_adjusted": self.p_adjusted,
                "significant": self.significant(),
            },
            index=pd.Index([str(r) for r in self.rows], name="domain"),
        )

    def __repr__(self) -> str:
        ci = self.confidence_interval()
        lines = [
            f"ChangeTable({self.between[1]} - {self.between[0]}, {len(self.rows)} rows, "
            f"p adjusted by {self.adjust})"
        ]
        lines += [f"  method break: {note}" for note in self.method_breaks]
        lines.append(f"  {'domain':<28}{'change':>10}{'low':>10}{'high':>10}{'p adj':>9}")
        for i, row in enumerate(self.rows[:30]):
            lines.append(
                f"  {str(row)[:27]:<28}{self.estimate[i]:10.4g}{np.asarray(ci.low)[i]:10.4g}"
                f"{np.asarray(ci.high)[i]:10.4g}{self.p_adjusted[i]:9.3g}"
            )
        return "\n".join(lines)


def _wave_axis(table: EstimateTable) -> int:
    if not isinstance(table, EstimateTable):
        raise TypeError(f"'table' must be an EstimateTable; got {type(table).__name__}")
    if "wave" not in table.by:
        raise ValueError(
            f"'table' has no wave domain (its domains are by {table.by or 'nothing named'}); "
            "estimate it with by='wave' or by=('wave', ...)"
        )
    return table.by.index("wave")


def _split(label: Hashable, axis: int, width: int) -> tuple[Any, Hashable]:
    parts = label if width > 1 else (label,)
    assert isinstance(parts, tuple)
    wave = parts[axis]
    rest = parts[:axis] + parts[axis + 1 :]
    return wave, (rest[0] if len(rest) == 1 else rest) if rest else "all"


def change(
    table: EstimateTable,
    *,
    between: tuple[int, int] = (2014, 2016),
    adjust: str = "holm",
    breaks: Mapping[tuple[int, int], str] | None = None,
) -> ChangeTable:
    r"""Change of an indicator between two waves, per domain, with adjusted p-values.

    Parameters
    ----------
    table : EstimateTable
        Estimates by wave, or by wave and other domains (``by=("wave", "office")``).
    between : tuple of int, default (2014, 2016)
        The earlier and the later wave.
    adjust : {"holm", "bonferroni", "benjamini-hochberg", "none"}, default "holm"
        Multiplicity adjustment across the rows.
    breaks : mapping, optional
        Method breaks to check instead of :data:`METHOD_BREAKS`.

    Returns
    -------
    ChangeTable

    Notes
    -----
    For each combination of the other domains, the difference
    :math:`\hat\theta_{w_2} - \hat\theta_{w_1}` has variance
    :math:`v_{22} + v_{11} - 2 v_{12}` from the table's covariance, which is not zero when
    the waves share PSUs. The test is Student's t with the design's degrees of freedom.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Respondent, victimisation, change
    >>> people = [Respondent(f"{w}-{i}", w, "gemeente", "raadslid",
    ...                      victimisations={"verbaal": 1} if i < (3 if w == 2014 else 6) else {})
    ...           for w in (2014, 2016) for i in range(20)]
    >>> shift = change(victimisation(MonitorData.from_records(people), by="wave"))
    >>> round(shift["all"]["estimate"], 2)
    0.15
    """
    axis = _wave_axis(table)
    check_choice("adjust", adjust, ADJUSTMENTS)
    first, last = between
    width = len(table.by)
    rows: list[Hashable] = []
    positions: dict[Hashable, dict[Any, int]] = {}
    for i, label in enumerate(table.domains):
        wave, rest = _split(label, axis, width)
        if rest not in positions:
            positions[rest] = {}
            rows.append(rest)
        positions[rest][wave] = i
    for wave in (first, last):
        if not any(wave in p for p in positions.values()):
            known = sorted({w for p in positions.values() for w in p})
            raise ValueError(f"wave {wave} is not in the table; waves: {known}")
    i1 = np.array([positions[r].get(first, -1) for r in rows])
    i2 = np.array([positions[r].get(last, -1) for r in rows])
    present = (i1 >= 0) & (i2 >= 0)
    a, b = np.where(present, i1, 0), np.where(present, i2, 0)
    cov = table.covariance
    with np.errstate(invalid="ignore", divide="ignore"):  # se = 0: a census, no test
        difference = np.where(present, table.estimate[b] - table.estimate[a], np.nan)
        variance = cov[b, b] + cov[a, a] - 2 * cov[a, b]
        se = np.where(present, np.sqrt(np.maximum(variance, 0.0)), np.nan)
        df = np.full(len(rows), float(table.design_df))
        t = difference / se
        p = 2 * scipy_stats.t.sf(np.abs(t), df)
    p = np.where(se > 0, p, np.nan)
    return ChangeTable(
        rows=tuple(rows),
        between=(first, last),
        estimate=difference,
        standard_error=se,
        df=df,
        p_value=p,
        p_adjusted=adjust_p_values(p, adjust),
        adjust=adjust,
        method_breaks=method_breaks(first, last, breaks),
        level=table.level,
    )


@attrs.frozen(eq=False, repr=False)
class TrendTable:
    """Linear trend per year over all waves, per combination of the other domains.

    Attributes
    ----------
    rows : tuple
        Labels of the other domains.
    waves : tuple of int
        The waves used.
    slope, standard_error, df, p_value : numpy.ndarray
        Change per year (least-squares slope over the waves), its standard error, degrees of
        freedom and two-sided p-value.
    direction : tuple of str
        ``"up"``, ``"down"`` or ``"no clear trend"`` at the table's level.
    method_breaks : tuple of str
        Known method breaks within the span of waves.

    Examples
    --------
    >>> from vpt_monitor import trend, victimisation
    >>> from vpt_monitor.synth import simulate
    >>> result = trend(victimisation(simulate(), by=("wave", "group")))
    >>> result.waves, len(result.method_breaks)
    ((2010, 2012, 2014, 2016), 2)
    """

    rows: tuple[Hashable, ...]
    waves: tuple[int, ...]
    slope: NDArray[np.float64]
    standard_error: NDArray[np.float64]
    df: NDArray[np.float64]
    p_value: NDArray[np.float64]
    direction: tuple[str, ...]
    method_breaks: tuple[str, ...]

    def __repr__(self) -> str:
        lines = [f"TrendTable(waves {self.waves[0]}-{self.waves[-1]}, {len(self.rows)} rows)"]
        lines += [f"  method break: {note}" for note in self.method_breaks]
        for i, row in enumerate(self.rows[:30]):
            lines.append(
                f"  {str(row)[:27]:<28}{self.slope[i]:+10.4g} per year  p={self.p_value[i]:.3g}"
                f"  {self.direction[i]}"
            )
        return "\n".join(lines)


def trend(
    table: EstimateTable,
    *,
    level: float | None = None,
    breaks: Mapping[tuple[int, int], str] | None = None,
) -> TrendTable:
    r"""Direction of an indicator over all waves, with a design-based test of the slope.

    Parameters
    ----------
    table : EstimateTable
        Estimates by wave, or by wave and other domains.
    level : float, optional
        Level for calling a direction; the table's level by default.
    breaks : mapping, optional
        Method breaks to report instead of :data:`METHOD_BREAKS`.

    Notes
    -----
    With the waves :math:`x_j` of a row and their estimates :math:`\hat\theta_j`, the slope
    is the contrast :math:`\sum_j c_j \hat\theta_j` with
    :math:`c_j = (x_j - \bar x) / \sum_k (x_k - \bar x)^2`, whose variance
    :math:`c^\top \hat\Sigma c` comes from the covariance of the table. A method break between
    waves means part of the slope may be an artefact of the change.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Respondent, victimisation, trend
    >>> people = [Respondent(f"{w}-{i}", w, "rijk", "ambtenaar",
    ...                      victimisations={"verbaal": 1} if i < k else {})
    ...           for w, k in ((2012, 16), (2014, 10), (2016, 5)) for i in range(40)]
    >>> result = trend(victimisation(MonitorData.from_records(people), by="wave"))
    >>> result.direction
    ('down',)
    """
    axis = _wave_axis(table)
    chosen = table.level if level is None else check_level(level)
    width = len(table.by)
    rows: list[Hashable] = []
    members: dict[Hashable, list[tuple[int, int]]] = {}
    for i, label in enumerate(table.domains):
        wave, rest = _split(label, axis, width)
        if rest not in members:
            members[rest] = []
            rows.append(rest)
        if np.isfinite(table.estimate[i]):
            members[rest].append((int(wave), i))
    d = len(table.domains)
    contrasts = np.zeros((len(rows), d))
    for r, row in enumerate(rows):  # one contrast vector per row of the result
        if len(members[row]) >= 2:
            x = np.array([w for w, _ in members[row]], dtype=np.float64)
            idx = np.array([i for _, i in members[row]])
            contrasts[r, idx] = (x - x.mean()) / ((x - x.mean()) ** 2).sum()
    enough = np.array([len(members[row]) >= 2 for row in rows])
    estimate = np.nan_to_num(table.estimate)
    slope = np.where(enough, contrasts @ estimate, np.nan)
    variance = np.einsum("rd,de,re->r", contrasts, np.nan_to_num(table.covariance), contrasts)
    se = np.where(enough, np.sqrt(np.maximum(variance, 0.0)), np.nan)
    df = np.full(len(rows), float(table.design_df))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = 2 * scipy_stats.t.sf(np.abs(slope / se), df)
    alpha = 1 - chosen
    direction = tuple(
        "no clear trend" if not (pv < alpha) else ("up" if s > 0 else "down")
        for s, pv in zip(slope, p, strict=True)
    )
    waves = tuple(sorted({w for row in rows for w, _ in members[row]}))
    return TrendTable(
        rows=tuple(rows),
        waves=waves,
        slope=slope,
        standard_error=se,
        df=df,
        p_value=p,
        direction=direction,
        method_breaks=method_breaks(waves[0], waves[-1], breaks) if waves else (),
    )
