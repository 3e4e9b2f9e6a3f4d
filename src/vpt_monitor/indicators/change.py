r"""Change between waves and trends over waves, with multiplicity adjustment and method breaks.

Every monitor report asks whether a figure went up since the previous wave. The answer needs
the difference's design-based standard error (from the covariance of the domain estimates,
see :func:`vpt_monitor.stats.contrast`), a test, an adjustment when many rows are tested at
once, and a warning where the questionnaire or fieldwork changed between the waves.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor import _format
from vpt_monitor._codes import GROUPS
from vpt_monitor.stats import ConfidenceInterval, EstimateTable, _distributions, _print
from vpt_monitor.stats._design_ci import t_quantile
from vpt_monitor.stats._validation import check_choice, check_level
from vpt_monitor.vocab import Channel, Consequence, Form, Group, Office, ViolationType

__all__ = [
    "ADJUSTMENTS",
    "METHOD_BREAKS",
    "METHOD_BREAKS_NL",
    "ChangeTable",
    "TrendTable",
    "adjust_p_values",
    "change",
    "method_breaks",
    "trend",
]

#: Known changes of method between waves of the monitor: ``{(wave before, wave after): note}``.
#: Read-only; pass ``breaks=`` to :func:`change` and :func:`trend` to use others (for example
#: ``{**METHOD_BREAKS, (2018, 2020): "..."}``).
METHOD_BREAKS: Mapping[tuple[int, int], str] = MappingProxyType(
    {
        (2010, 2012): "VPT questions changed from a frequency scale to yes/no per form (2011)",
        (2012, 2014): (
            "fieldwork by a new research agency (I&O Research) with a revised questionnaire"
        ),
    }
)

#: The notes of :data:`METHOD_BREAKS` in Dutch, for output in Dutch (same keys).
METHOD_BREAKS_NL: Mapping[tuple[int, int], str] = MappingProxyType(
    {
        (2010, 2012): "VPT-vragen veranderd van een frequentieschaal naar ja/nee per vorm (2011)",
        (2012, 2014): (
            "veldwerk door een nieuw onderzoeksbureau (I&O Research) met een herziene vragenlijst"
        ),
    }
)

ADJUSTMENTS = ("holm", "bonferroni", "benjamini-hochberg", "none")


def break_note(note: str, language: str | None = None) -> str:
    """Return a method-break note (``"2012-2014: note"``) in ``language`` ("en" or "nl").

    The notes of :data:`METHOD_BREAKS` have Dutch texts (:data:`METHOD_BREAKS_NL`); other
    notes (breaks passed with ``breaks=``) are shown as given.

    Examples
    --------
    >>> from vpt_monitor.indicators.change import break_note
    >>> break_note("2012-2014: " + METHOD_BREAKS[(2012, 2014)], "nl")[:38]
    '2012-2014: veldwerk door een nieuw ond'
    """
    chosen = _format.check_language(language)
    span, _, text = note.partition(": ")
    if ASKED_NOT in text:  # a wave that did not ask some forms (decompose_change)
        return f"{span}: {question_note(text, chosen)}"
    if chosen != "nl":
        return note
    for key, english in METHOD_BREAKS.items():
        if span == f"{key[0]}-{key[1]}" and text == english:
            return f"{span}: {METHOD_BREAKS_NL[key]}"
    return note


#: How a change's reason says that a wave did not ask some forms (``"2014: did not ask ..."``).
ASKED_NOT = ": did not ask "
#: The same in Dutch, as :func:`question_note` writes it (``"2014: niet gevraagd naar ..."``).
ASKED_NOT_NL = ": niet gevraagd naar "


def question_note(note: str, language: str | None = None) -> str:
    """Return a reason ``"2014: did not ask fysiek"`` in words of ``language`` ("en", "nl").

    The codes of the questions (forms, channels, consequences, violations) and of the
    group are shown by their labels.

    Examples
    --------
    >>> from vpt_monitor.indicators.change import question_note
    >>> question_note("2014: did not ask fysiek, bedreiging", "nl")
    '2014: niet gevraagd naar fysiek geweld, bedreiging en intimidatie'
    >>> question_note("2016: did not ask fysiek (medewerker)", "en")
    '2016: did not ask physical violence (employees)'
    """
    chosen = _format.check_language(language)
    wave, _, rest = note.partition(ASKED_NOT)
    codes, _, group = rest.partition(" (")
    words = ", ".join(_question_label(code, chosen) for code in codes.split(", "))
    whose = f" ({_question_label(group.removesuffix(')'), chosen)})" if group else ""
    if chosen == "nl":
        return f"{wave}{ASKED_NOT_NL}{words}{whose}"
    return f"{wave}{ASKED_NOT}{words}{whose}"


def _question_label(code: str, language: str) -> str:
    """Return the label of a question's or group's code in ``language`` (the code if none)."""
    for kind in (Form, Channel, Consequence, ViolationType, Group):
        try:
            return _format.label(kind(code), language)
        except ValueError:
            continue
    return code


def _question_lines(reasons: Sequence[str], language: str) -> list[str]:
    """Return the lines of a printed table that say which wave did not ask which forms."""
    nl = language == "nl"
    unasked = sorted({part for why in reasons for part in why.split("; ") if ASKED_NOT in part})
    after = (
        "niet vergelijkbaar: de rijen onbetrouwbaar"
        if nl
        else "not comparable: its rows unreliable"
    )
    title = "vragenlijst" if nl else "questionnaire"
    return [f"  {title}: {question_note(part, language)} ({after})" for part in unasked]


def method_breaks(
    first: int, last: int, breaks: Mapping[tuple[int, int], str] | None = None
) -> tuple[str, ...]:
    """Return the method breaks between waves ``first`` and ``last``, as ``"2012-2014: note"``."""
    registry = METHOD_BREAKS if breaks is None else breaks
    low, high = min(first, last), max(first, last)
    return tuple(
        f"{before}-{after}: {note}"
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

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics*, 6(2), 65-70.
    .. [2] Benjamini, Y., and Hochberg, Y. (1995). Controlling the false discovery rate.
       *Journal of the Royal Statistical Society B*, 57(1), 289-300.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor.indicators.change import adjust_p_values
    >>> adjust_p_values(np.array([0.01, 0.04, 0.03]), "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_p_values(np.array([0.01, 0.04, 0.03]), "benjamini-hochberg").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    method = check_choice("adjust", method, ADJUSTMENTS)
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


CHANGE_KINDS = ("difference", "ratio")


@attrs.frozen(eq=False, repr=False)
class ChangeTable:
    """Changes between two waves, one row per combination of the other domains.

    Attributes
    ----------
    rows : tuple
        Labels of the other domains (``("all",)`` when the table was by wave only).
    between : tuple of int
        The two waves; the change is the second against the first.
    kind : str
        ``"difference"`` (later minus earlier) or ``"ratio"`` (later over earlier).
    estimate, standard_error, df : numpy.ndarray
        The changes, their design-based standard errors (delta method for ratios) and
        degrees of freedom: PSUs minus strata among the rows of the two domains compared.
    p_value, p_adjusted : numpy.ndarray
        Two-sided t-test of no change (difference 0, ratio 1: on the log scale),
        unadjusted and adjusted across the rows.
    adjust : str
        The adjustment used.
    method_breaks : tuple of str
        Known method breaks between the two waves; when there is one, every row is
        unreliable (the waves measured differently).
    level : float
        Default confidence level.
    by : tuple of str
        Names of the other domain variables (the table's ``by`` without ``"wave"``).
    estimate_kind : str
        What the table estimated (``"proportion"``, ``"mean"``, ...): a change of a
        proportion prints in percentage points.

    Examples
    --------
    >>> from vpt_monitor import change, victimisation
    >>> from vpt_monitor.synth import simulate
    >>> result = change(victimisation(simulate(), by=("wave", "group")), between=(2014, 2016))
    >>> result.rows[0].label, bool(result.significant()[0])
    ('political office holders', True)
    >>> round(result["employees"]["estimate"], 3)   # a row by its code, member or label
    -0.007
    >>> result.to_pandas(labels="en").iloc[:, :3].round(3)
                              change  standard_error      df
    group
    political office holders   0.046           0.007  9079.0
    employees                 -0.007           0.018   360.0
    >>> result
    ChangeTable(2016 - 2014, 2 rows, p adjusted by Holm)
      domain                       change (points)          95% interval     p (adj.)
      political office holders                +4.6               3.2–5.9      < 0.001
      employees                               -0.7           -4.2 to 2.9        0.705
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
    kind: str = "difference"
    by: tuple[str, ...] = ()
    estimate_kind: str = "mean"
    reliable: NDArray[np.bool_] | None = None
    reasons: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.reliable is None:
            object.__setattr__(self, "reliable", np.ones(len(self.rows), dtype=bool))
        if not self.reasons:
            object.__setattr__(self, "reasons", ("",) * len(self.rows))

    def confidence_interval(self, level: float | None = None) -> ConfidenceInterval:
        """Student-t intervals of the changes; for ratios on the log scale, then exponentiated.

        A change of a share lies between -1 and 1 (-100 and +100 points): its interval is
        clipped to that range, where a small domain's wide interval would pass it.
        """
        chosen = self.level if level is None else check_level(level)
        q = t_quantile(chosen, self.df)
        if self.kind == "ratio":
            with np.errstate(divide="ignore", invalid="ignore"):
                half = q * self.standard_error / self.estimate
                log = np.log(self.estimate)
            return ConfidenceInterval(np.exp(log - half), np.exp(log + half), chosen, "log")
        low = self.estimate - q * self.standard_error
        high = self.estimate + q * self.standard_error
        if self.estimate_kind == "proportion":
            low, high = np.maximum(low, -1.0), np.minimum(high, 1.0)
        return ConfidenceInterval(low, high, chosen, "t")

    def significant(self, alpha: float | None = None) -> NDArray[np.bool_]:
        """Rows whose adjusted p-value is below ``alpha`` (by default ``1 - level``).

        A row whose estimates do not both meet the publication rules is never significant:
        its test rests on an estimate nobody may publish (see ``reasons``).
        """
        threshold = 1 - self.level if alpha is None else alpha
        assert self.reliable is not None
        return np.asarray((self.p_adjusted < threshold) & self.reliable)

    def __getitem__(self, row: Hashable) -> dict[str, Any]:
        """Return the change of one row, found by its label, code or member (``"mayor"``)."""
        i = _format.find(self.rows, row)
        ci = self.confidence_interval()
        return {
            "estimate": float(self.estimate[i]),
            "standard_error": float(self.standard_error[i]),
            "df": float(self.df[i]),
            "low": float(np.asarray(ci.low)[i]),
            "high": float(np.asarray(ci.high)[i]),
            "p_value": float(self.p_value[i]),
            "p_adjusted": float(self.p_adjusted[i]),
        }

    def to_pandas(self, level: float | None = None, *, labels: str | None = None) -> Any:
        """Return the table as a :class:`pandas.DataFrame` (needs pandas).

        Parameters
        ----------
        level : float, optional
            Level of the interval columns ``low`` and ``high``; the table's by default.
        labels : {None, "en", "nl"}, default None
            Keep the domain values as they are in the data (vocabulary members, which equal
            their Dutch codes), or write them as labels in English or Dutch.

        Returns
        -------
        pandas.DataFrame
            Indexed by the other domain variables, one index level each (``"domain"`` with
            the single row ``"all"`` when the table was by wave only); columns ``change`` (or
            ``ratio``), ``standard_error``, ``df``, ``low``, ``high``, ``p_value``,
            ``p_adjusted``, ``significant``, ``reliable`` and ``reasons`` (why a row is
            not: an estimate of either wave that breaks a publication rule, has no
            variance to test with, or a method break between the waves), ``first_wave``,
            ``last_wave`` and ``method_breaks`` (the breaks between the two waves, ``"; "``
            between them, in English; ``""`` when none).
        """
        import pandas as pd

        ci = self.confidence_interval(level)
        frame = pd.DataFrame(
            {
                "change" if self.kind == "difference" else "ratio": self.estimate,
                "standard_error": self.standard_error,
                "df": self.df,
                "low": ci.low,
                "high": ci.high,
                "p_value": self.p_value,
                "p_adjusted": self.p_adjusted,
                "significant": self.significant(),
                "reliable": self.reliable,
                "reasons": list(self.reasons),
                "first_wave": self.between[0],
                "last_wave": self.between[1],
                "method_breaks": "; ".join(self.method_breaks),
            }
        )
        frame.index = _domain_index(self.rows, self.by, labels)
        return frame

    def to_string(self, language: str | None = None) -> str:
        """Return the table as printed, labels and numbers in ``language`` ("en" or "nl")."""
        chosen = _format.check_language(language)
        nl = chosen == "nl"
        ci = self.confidence_interval()
        sign = "-" if self.kind == "difference" else "/"
        points = self.kind == "difference" and self.estimate_kind == "proportion"
        scale = 100.0 if points else 1.0
        digits = 1 if points else _decimals(self.estimate)
        rows = _row_count(len(self.rows), nl)
        lines = [
            f"ChangeTable({self.between[1]} {sign} {self.between[0]}, {rows}, "
            f"{_adjusted(self.adjust, nl)})"
        ]
        lines += [
            f"  {'methodebreuk' if nl else 'method break'}: {break_note(note, chosen)}"
            for note in self.method_breaks
        ]
        lines += _question_lines(self.reasons, chosen)
        names = [_format.label(row, chosen) for row in self.rows[:30]]
        width = min(max([len(_format.variable("domain", chosen)), *map(len, names)]) + 2, 40)
        if self.kind == "difference":
            what = (
                ("verschil (%-punt)" if nl else "change (points)")
                if points
                else ("verschil" if nl else "change")
            )
        else:
            what = "verhouding" if nl else "ratio"
        shown = _print.level(self.level, "," if nl else ".")  # 95%, 99.5% (not 100%)
        interval_title = f"{shown}-interval" if nl else f"{shown} interval"
        lines.append(
            f"  {_format.variable('domain', chosen):<{width}}{what:>18}"
            f"{interval_title:>22}{'p (gecorr.)' if nl else 'p (adj.)':>13}"
        )
        for i, name in enumerate(names):
            if self.kind == "difference":
                value = _format.signed(scale * self.estimate[i], chosen, digits=digits)
            else:
                value = _format.number(self.estimate[i], chosen, digits=digits)
            bounds = _format.interval(
                np.asarray(ci.low)[i], np.asarray(ci.high)[i], chosen, scale=scale, digits=digits
            )
            p = _format.p_value(self.p_adjusted[i], chosen, prefix=False)
            assert self.reliable is not None
            mark = "" if self.reliable[i] else ("  (onbetrouwbaar)" if nl else "  (unreliable)")
            lines.append(f"  {name[: width - 1]:<{width}}{value:>18}{bounds:>22}{p:>13}{mark}")
        if len(self.rows) > 30:
            more = "meer rijen" if nl else "more rows"
            lines.append(f"  ... {len(self.rows) - 30} {more}")
        return "\n".join(lines)

    def _repr_html_(self) -> str | None:
        """Show the table in a notebook, domains labelled as printed (session's language)."""
        return _print.notebook(self, lambda: self.to_pandas(labels=_format.get_language()))

    def __repr__(self) -> str:
        return self.to_string()


def _decimals(values: NDArray[np.float64], significant: int = 4) -> int:
    """Decimals that show ``significant`` digits of the largest finite value.

    The rule of every printed result (see ``vpt_monitor.stats._print``).
    """
    return _print.decimals(values, significant)


def _parts(row: Hashable) -> tuple[Any, ...]:
    return row if isinstance(row, tuple) else (row,)


def _domain_index(rows: Sequence[Hashable], by: tuple[str, ...], labels: str | None) -> Any:
    """Return a pandas index with a level per domain variable, values as codes or labels."""
    import pandas as pd

    if labels is not None:
        _format.check_language(labels)

    def shown(value: Any) -> Any:
        return value if labels is None else _format.label(value, labels)

    if not by or len(by) == 1:
        return pd.Index([shown(r) for r in rows], name=by[0] if by else "domain")
    return pd.MultiIndex.from_tuples(
        [tuple(shown(part) for part in _parts(row)) for row in rows],
        names=list(by),
    )


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


def _rows(table: EstimateTable) -> tuple[list[Hashable], dict[Hashable, dict[int, int]]]:
    """Return the other domains of a table by wave, and the position of each (row, wave)."""
    axis = _wave_axis(table)
    width = len(table.by)
    rows: list[Hashable] = []
    positions: dict[Hashable, dict[int, int]] = {}
    for i, label in enumerate(table.domains):
        wave, rest = _split(label, axis, width)
        if rest not in positions:
            positions[rest] = {}
            rows.append(rest)
        positions[rest][_wave_year(wave)] = i
    return rows, positions


def _wave_year(value: Any) -> int:
    """Return a wave label as a year; raise a ValueError naming a label that is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"the table's wave {value!r} is not a year; waves must be whole numbers")
    if not float(value).is_integer():
        raise ValueError(f"the table's wave {value!r} is not a whole year")
    return int(value)


def change(
    table: EstimateTable,
    *,
    between: tuple[int, int] | None = None,
    kind: str = "difference",
    adjust: str = "holm",
    breaks: Mapping[tuple[int, int], str] | None = None,
) -> ChangeTable:
    r"""Change of an indicator between two waves, per domain, with adjusted p-values.

    Parameters
    ----------
    table : EstimateTable
        Estimates by wave, or by wave and other domains (``by=("wave", "office")``).
    between : tuple of int, optional
        The earlier and the later wave; by default the table's last two waves.
    kind : {"difference", "ratio"}, default "difference"
        The later estimate minus the earlier, or over it ("doubled via social media" is a
        claim about a ratio).
    adjust : {"holm", "bonferroni", "benjamini-hochberg", "none"}, default "holm"
        Multiplicity adjustment across the rows.
    breaks : mapping, optional
        Method breaks to check instead of :data:`METHOD_BREAKS`.

    Returns
    -------
    ChangeTable
        When a method break lies between the two waves, every row is unreliable (never
        significant), with the break as its reason: the two estimates measure different
        things (another question, another agency), so their difference is not a change.
        A row with an estimate that has no usable variance (flagged ``boundary``,
        ``zero_variance``, ``no_df``, ``empty`` or ``not_measured``) has no test (NaN) and
        is unreliable, with that wave and flag as its reason. Where that estimate's standard
        error of 0 is not known to be right (``boundary``: 0% or 100%; all its rows in one
        PSU) the row has no standard error or interval either (NaN): the other wave's
        variance alone would make the interval look sure. A census's 0 stands.
        So is a row whose groups were asked different forms in the two waves (the table's
        ``notes["not_asked_by_group"]``, from the monitor's indicators): its reason names
        the wave and the forms it did not ask (``"2014: did not ask fysiek"``).

    Notes
    -----
    For each combination of the other domains, the difference
    :math:`\hat\theta_{w_2} - \hat\theta_{w_1}` has variance
    :math:`v_{22} + v_{11} - 2 v_{12}` from the table's covariance, which is not zero when
    the waves share PSUs (a panel of organisations). The ratio
    :math:`r = \hat\theta_{w_2} / \hat\theta_{w_1}` has, by the delta method (R's
    ``svycontrast(stat, quote(w2 / w1))``),

    .. math::

        \widehat{V}(r) = r^2 \left(\frac{v_{22}}{\hat\theta_{w_2}^2}
        + \frac{v_{11}}{\hat\theta_{w_1}^2}
        - \frac{2 v_{12}}{\hat\theta_{w_1}\hat\theta_{w_2}}\right),

    and its interval is :math:`\exp(\log r \pm t\,\mathrm{se}(r)/r)`, which stays positive.
    The interval of a difference of shares is :math:`d \pm t\,\mathrm{se}(d)`, clipped to
    :math:`[-1, 1]`, the range such a difference can take (R's ``svycontrast`` does not clip;
    only small domains' intervals reach it). The tests are Student's t on the degrees of
    freedom of the two domains compared (PSUs minus strata among their rows, as for a single
    domain), not the whole design's.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    .. [2] Korn, E. L., and Graubard, B. I. (1999). *Analysis of Health Surveys*. Wiley.
    .. [3] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics*, 6(2), 65-70.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Respondent, victimisation, change
    >>> people = [Respondent(f"{w}-{i}", w, "gemeente", "raadslid",
    ...                      victimisations={"verbaal": 1} if i < (3 if w == 2014 else 6) else {})
    ...           for w in (2014, 2016) for i in range(20)]
    >>> table = victimisation(MonitorData.from_records(people), by="wave")
    >>> shift = change(table)
    >>> round(shift["all"]["estimate"], 2), shift["all"]["df"]
    (0.15, 38.0)
    >>> round(change(table, kind="ratio")["all"]["estimate"], 2)
    2.0
    """
    rows, positions = _rows(table)
    adjust = check_choice("adjust", adjust, ADJUSTMENTS)
    kind = check_choice("kind", kind, CHANGE_KINDS)
    waves = sorted({w for p in positions.values() for w in p})
    if between is None:
        if len(waves) < 2:
            raise ValueError(f"a change needs two waves; the table has {waves}")
        between = (waves[-2], waves[-1])
    first, last = _waves_between(between)
    for wave in (first, last):
        if wave not in waves:
            raise ValueError(f"wave {wave} is not in the table; waves: {waves}")
    i1 = np.array([positions[r].get(first, -1) for r in rows], dtype=np.intp)
    i2 = np.array([positions[r].get(last, -1) for r in rows], dtype=np.intp)
    present = (i1 >= 0) & (i2 >= 0)
    a, b = np.where(present, i1, 0), np.where(present, i2, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        before, after = table.estimate[a], table.estimate[b]
        # each row a contrast of its two estimates: v22 + v11 - 2 v12 for the difference,
        # v22 / after^2 + v11 / before^2 - 2 v12 / (before after) for the ratio
        if kind == "difference":
            ca, cb = -np.ones(a.size), np.ones(b.size)
        else:
            ca, cb = -1.0 / before, 1.0 / after
        variance = _contrast_variances(table, present, (a, ca), (b, cb))
        if kind == "difference":
            value = after - before
            se = np.sqrt(np.maximum(variance, 0.0))
            statistic = value / se
        else:
            value = after / before
            se = np.abs(value) * np.sqrt(np.maximum(variance, 0.0))
            statistic = np.log(value) / (se / value)
        value = np.where(present, value, np.nan)
        se = np.where(present, se, np.nan)
        picked = np.flatnonzero(present)
        df = np.full(len(rows), np.nan)
        df[picked] = table._df_of_sets(
            np.concatenate([picked, picked]),
            np.concatenate([a[picked], b[picked]]),
            len(rows),
        )[picked]
        p = 2 * _distributions.t_sf(np.abs(statistic), df)
    reliable, reasons, testable = _judged(table, a, b, present, (first, last))
    if kind == "ratio":  # a ratio to an estimate of 0 does not exist
        to_zero = present & (table.estimate[a] == 0)
        value = np.where(to_zero, np.nan, value)
        se = np.where(to_zero, np.nan, se)
        reliable = reliable & ~to_zero
        reasons = tuple(
            "; ".join(filter(None, (why, f"{first}: 0, no ratio to it"))) if zero else why
            for why, zero in zip(reasons, to_zero, strict=True)
        )
    p = np.where(present & testable & (se > 0) & (df > 0), p, np.nan)
    # an estimate whose standard error is 0 without being known to be (0% or 100%; all rows
    # in one PSU) leaves the change's variance unknown: the other wave's alone would make its
    # interval look sure. (A census has no sampling error: its 0 stands.)
    flags = table.flags
    unknown = np.array(
        [
            ok and (_unknown_variance(flags[int(i)]) or _unknown_variance(flags[int(j)]))
            for ok, i, j in zip(present, a, b, strict=True)
        ],
        dtype=bool,
    )
    se = np.where(unknown, np.nan, se)
    crossed = method_breaks(first, last, breaks)
    if crossed:  # the two waves measured differently: their difference is no change
        reliable = np.zeros_like(reliable)
        reasons = tuple(
            "; ".join(filter(None, (why, *(f"method break {b}" for b in crossed))))
            for why in reasons
        )
    unlike = _unlike_questions(table, rows, (first, last))
    if any(unlike):  # the waves asked different forms of the rows' groups: not comparable
        reliable = reliable & ~np.array([bool(u) for u in unlike])
        reasons = tuple(
            "; ".join(filter(None, (why, u))) for why, u in zip(reasons, unlike, strict=True)
        )
    return ChangeTable(
        rows=tuple(rows),
        between=(first, last),
        estimate=value,
        standard_error=se,
        df=df,
        p_value=p,
        p_adjusted=adjust_p_values(p, adjust),
        adjust=adjust,
        method_breaks=crossed,
        level=table.level,
        kind=kind,
        by=tuple(name for name in table.by if name != "wave"),
        estimate_kind=table.kind,
        reliable=reliable,
        reasons=reasons,
    )


def questionnaire_differences(
    unasked: Mapping[int, Mapping[str, Sequence[str]]],
    groups: Sequence[Group],
    waves: Sequence[int],
) -> str:
    """Say which of ``waves`` did not ask forms another asked, group by group ("" if none).

    ``unasked`` is an indicator's ``notes["not_asked_by_group"]`` (``{wave: {group:
    forms}}``). Each group is compared with itself: employees not asked a form in 2014 and
    office holders not asked it in 2016 are two differences, not none. With several groups
    the group is named (``"2014: did not ask fysiek (medewerker)"``).
    """
    parts = []
    for wave in waves:
        for group in groups:
            forms = {w: set(unasked.get(w, {}).get(group.value, ())) for w in waves}
            everywhere = set.intersection(*forms.values())
            left = sorted(forms[wave] - everywhere)
            if left:
                whose = f" ({group.value})" if len(groups) > 1 else ""
                parts.append(f"{wave}{ASKED_NOT}{', '.join(left)}{whose}")
    return "; ".join(parts)


def _unlike_questions(
    table: EstimateTable, rows: Sequence[Hashable], waves: Sequence[int]
) -> list[str]:
    """Per row, the forms some of ``waves`` did not ask of the row's groups ("" if none).

    Read from the table's notes ``"not_asked_by_group"`` (made by the monitor's
    indicators; a table without them asked the same everywhere). A row names its groups by
    ``group`` or ``office``; other rows hold both groups. An indicator over "any form" then
    counts other forms in the waves, so their difference is partly a difference of
    questionnaire, as across a method break (see :func:`questionnaire_differences`).
    """
    unasked = table.notes.get("not_asked_by_group") if table.notes else None
    if not unasked:
        return [""] * len(rows)
    names = tuple(name for name in table.by if name != "wave")
    result = []
    for row in rows:
        parts = dict(zip(names, _parts(row), strict=False))
        group = parts.get("group")
        office = parts.get("office")
        if isinstance(group, Group):
            groups: tuple[Group, ...] = (group,)
        elif isinstance(office, Office):
            groups = (office.group,)
        else:
            groups = GROUPS
        result.append(questionnaire_differences(unasked, groups, waves))
    return result


def _unknown_variance(flags: Sequence[str]) -> bool:
    """Whether an estimate's standard error of 0 is not known to be right.

    A share of 0% or 100% (``boundary``), or all its rows in one PSU (``zero_variance``
    with ``no_df``); a census's 0 is right.
    """
    return "boundary" in flags or {"zero_variance", "no_df"} <= set(flags)


#: Flags that leave a change without a test: no variance estimate to test with.
UNTESTABLE = ("boundary", "zero_variance", "no_df", "empty", "not_measured")


def _rules(
    flags: Sequence[Sequence[str]],
    ok: NDArray[np.bool_],
    why: Sequence[Sequence[str]],
    estimates: Iterable[tuple[int, int]],
) -> tuple[bool, list[str]]:
    """Whether a comparison of the ``(wave, position)`` estimates can be tested, and why not.

    An estimate without a usable variance (an untestable flag) makes the comparison
    untestable; one that breaks a publication rule makes it unreliable. The notes say which
    wave and what, in the words of the table's reliability.
    """
    usable, notes = True, []
    for wave, i in estimates:
        bad = [f for f in flags[i] if f in UNTESTABLE]
        if bad:
            usable = False
            notes.append(f"{wave}: {', '.join(bad)} (no variance to test with)")
        elif not ok[i]:
            notes.append(f"{wave}: {'; '.join(why[i])}")
    return usable, notes


def _judged(
    table: EstimateTable,
    first: NDArray[np.intp],
    second: NDArray[np.intp],
    present: NDArray[np.bool_],
    waves: tuple[int, int],
) -> tuple[NDArray[np.bool_], tuple[str, ...], NDArray[np.bool_]]:
    """Per row: whether both estimates are publishable, why not, and whether a test exists.

    An estimate flagged ``boundary`` (0% or 100%), ``zero_variance``, ``no_df`` or without
    rows has no usable variance, so the change has no test (p is NaN); an estimate that
    breaks a publication rule leaves the change unreliable (never called significant).
    """
    ok, why = table.reliability()
    flags = table.flags
    reliable = np.zeros(first.size, dtype=bool)
    testable = np.zeros(first.size, dtype=bool)
    reasons = []
    for r in range(first.size):
        if not present[r]:
            reasons.append("not in both waves")
            continue
        usable, notes = _rules(
            flags, ok, why, zip(waves, (int(first[r]), int(second[r])), strict=True)
        )
        testable[r] = usable
        reliable[r] = usable and not notes
        reasons.append("; ".join(notes))
    return reliable, tuple(reasons), testable


def _waves_between(between: Any) -> tuple[int, int]:
    """Return the two waves of ``between`` as ints; a string of digits is a year ("2014")."""

    def year(value: Any) -> int | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | np.integer):
            return int(value)
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        if isinstance(value, float | np.floating) and float(value).is_integer():
            return int(value)
        return None

    pair = tuple(between) if isinstance(between, tuple | list) else None
    years = [year(v) for v in pair] if pair is not None and len(pair) == 2 else [None]
    if any(y is None for y in years):
        raise ValueError(
            "'between' must be two waves, years as whole numbers such as (2014, 2016); "
            f"got {between!r}"
        )
    first, last = years
    assert first is not None
    assert last is not None
    if first == last:
        raise ValueError(f"'between' names wave {first} twice; a change needs two waves")
    return first, last


def _contrast_variances(
    table: EstimateTable,
    rows: NDArray[np.bool_],
    *terms: tuple[NDArray[np.intp], NDArray[np.float64]],
) -> NDArray[np.float64]:
    """Variance of each row's contrast ``sum c_k theta_{i_k}`` over the ``terms`` (i, c).

    Rows not in ``rows`` get a variance of 0 (their result is NaN anyway); only the domains
    the contrasts use enter (see ``EstimateTable._contrast_variances``).
    """
    from scipy import sparse

    picked = np.flatnonzero(rows)
    weights = sparse.csr_array(
        (
            np.concatenate([c[picked] for _, c in terms]),
            (np.tile(picked, len(terms)), np.concatenate([i[picked] for i, _ in terms])),
        ),
        shape=(rows.size, len(table.domains)),
    )
    return table._contrast_variances(weights)


@attrs.frozen(eq=False, repr=False)
class TrendTable:
    """Linear trend per year within the segments between method breaks.

    Attributes
    ----------
    rows : tuple
        Labels of the other domains.
    waves : tuple of int
        The waves used.
    segments : tuple of tuple of int
        The waves between method breaks; the slope is fitted within them, with a step at
        every break.
    slope, standard_error, df, p_value, p_adjusted : numpy.ndarray
        Change per year, its standard error, degrees of freedom, and the two-sided p-value
        unadjusted and adjusted across the rows.
    direction : tuple of str
        ``"up"``, ``"down"`` or ``"no clear trend"``, from the adjusted p-value at the
        table's level.
    adjust : str
        The adjustment used.
    method_breaks : tuple of str
        Known method breaks within the span of waves.
    reliable : numpy.ndarray of bool
        Per row, whether every estimate the slope rests on meets the publication rules
        (the rules of :class:`ChangeTable`); an unreliable row is never given a direction.
    reasons : tuple of str
        Per row, why it is not reliable (``"2014: n_effective < 100"``), or ``""``.

    Examples
    --------
    >>> from vpt_monitor import trend, victimisation
    >>> from vpt_monitor.synth import simulate
    >>> result = trend(victimisation(simulate(), by=("wave", "group")))
    >>> result.segments, len(result.method_breaks)
    (((2010,), (2012,), (2014, 2016)), 2)
    """

    rows: tuple[Hashable, ...]
    waves: tuple[int, ...]
    segments: tuple[tuple[int, ...], ...]
    slope: NDArray[np.float64]
    standard_error: NDArray[np.float64]
    df: NDArray[np.float64]
    p_value: NDArray[np.float64]
    p_adjusted: NDArray[np.float64]
    direction: tuple[str, ...]
    adjust: str
    method_breaks: tuple[str, ...]
    by: tuple[str, ...] = ()
    estimate_kind: str = "mean"
    level: float = 0.95
    reliable: NDArray[np.bool_] | None = None
    reasons: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.reliable is None:
            object.__setattr__(self, "reliable", np.ones(len(self.rows), dtype=bool))
        if not self.reasons:
            object.__setattr__(self, "reasons", ("",) * len(self.rows))

    def confidence_interval(self, level: float | None = None) -> ConfidenceInterval:
        """Student-t intervals of the slopes per year."""
        chosen = self.level if level is None else check_level(level)
        half = t_quantile(chosen, self.df) * self.standard_error
        return ConfidenceInterval(self.slope - half, self.slope + half, chosen, "t")

    def __getitem__(self, row: Hashable) -> dict[str, Any]:
        """Return the trend of one row, found by its label, code or member."""
        i = _format.find(self.rows, row)
        ci = self.confidence_interval()
        return {
            "slope": float(self.slope[i]),
            "standard_error": float(self.standard_error[i]),
            "df": float(self.df[i]),
            "low": float(np.asarray(ci.low)[i]),
            "high": float(np.asarray(ci.high)[i]),
            "p_value": float(self.p_value[i]),
            "p_adjusted": float(self.p_adjusted[i]),
            "direction": self.direction[i],
            "reliable": bool(np.asarray(self.reliable)[i]),
            "reasons": self.reasons[i],
        }

    def to_pandas(self, level: float | None = None, *, labels: str | None = None) -> Any:
        """Return the table as a :class:`pandas.DataFrame` (needs pandas).

        Indexed by the other domain variables, one level each, with values as in the data
        (``labels=None``) or as labels in ``"en"`` or ``"nl"``; columns ``slope`` (per
        year), ``standard_error``, ``df``, ``low``, ``high`` (at ``level``), ``p_value``,
        ``p_adjusted``, ``direction``, ``reliable``, ``reasons``, ``first_wave``,
        ``last_wave`` and ``segments`` (the
        waves between method breaks, as text such as ``"2010 | 2012 | 2014-2016"``).

        Examples
        --------
        >>> from vpt_monitor import trend, victimisation
        >>> from vpt_monitor.synth import simulate
        >>> result = trend(victimisation(simulate(), by=("wave", "office")))
        >>> result.to_pandas(labels="nl")[["slope", "direction"]].round(4).head(3)
                              slope       direction
        office
        overheidsmedewerker -0.0034  no clear trend
        burgemeester         0.0694              up
        wethouder            0.0265  no clear trend
        """
        import pandas as pd

        ci = self.confidence_interval(level)
        frame = pd.DataFrame(
            {
                "slope": self.slope,
                "standard_error": self.standard_error,
                "df": self.df,
                "low": ci.low,
                "high": ci.high,
                "p_value": self.p_value,
                "p_adjusted": self.p_adjusted,
                "direction": list(self.direction),
                "reliable": self.reliable,
                "reasons": list(self.reasons),
                "first_wave": self.waves[0] if self.waves else np.nan,
                "last_wave": self.waves[-1] if self.waves else np.nan,
                "segments": self._spans(),
            }
        )
        frame.index = _domain_index(self.rows, self.by, labels)
        return frame

    def _spans(self) -> str:
        return " | ".join("-".join(map(str, s)) if len(s) > 1 else str(s[0]) for s in self.segments)

    def to_string(self, language: str | None = None) -> str:
        """Return the table as printed, labels and numbers in ``language`` ("en" or "nl")."""
        chosen = _format.check_language(language)
        nl = chosen == "nl"
        points = self.estimate_kind == "proportion"
        scale = 100.0 if points else 1.0
        digits = 2 if points else _decimals(self.slope)
        words = {
            "up": "omhoog" if nl else "up",
            "down": "omlaag" if nl else "down",
            "no clear trend": "geen duidelijke trend" if nl else "no clear trend",
        }
        lines = [
            f"TrendTable({'segmenten' if nl else 'segments'} {self._spans()}, "
            f"{_row_count(len(self.rows), nl)}, {_adjusted(self.adjust, nl)})"
        ]
        lines += [
            f"  {'methodebreuk' if nl else 'method break'}: {break_note(note, chosen)}"
            for note in self.method_breaks
        ]
        lines += _question_lines(self.reasons, chosen)
        names = [_format.label(row, chosen) for row in self.rows[:30]]
        width = min(max([len(_format.variable("domain", chosen)), *map(len, names)]) + 2, 40)
        unit = (
            ("%-punt per jaar" if nl else "points per year")
            if points
            else ("per jaar" if nl else "per year")
        )
        lines.append(
            f"  {_format.variable('domain', chosen):<{width}}{unit:>18}"
            f"{'p (gecorr.)' if nl else 'p (adj.)':>13}  {'richting' if nl else 'direction'}"
        )
        for i, name in enumerate(names):
            value = _format.signed(scale * self.slope[i], chosen, digits=digits)
            p = _format.p_value(self.p_adjusted[i], chosen, prefix=False)
            assert self.reliable is not None
            mark = "" if self.reliable[i] else ("  (onbetrouwbaar)" if nl else "  (unreliable)")
            lines.append(
                f"  {name[: width - 1]:<{width}}{value:>18}{p:>13}  "
                f"{words.get(self.direction[i], self.direction[i])}{mark}"
            )
        if len(self.rows) > 30:
            lines.append(f"  ... {len(self.rows) - 30} {'meer rijen' if nl else 'more rows'}")
        return "\n".join(lines)

    def _repr_html_(self) -> str | None:
        """Show the table in a notebook, domains labelled as printed (session's language)."""
        return _print.notebook(self, lambda: self.to_pandas(labels=_format.get_language()))

    def __repr__(self) -> str:
        return self.to_string()


#: The adjustments of p-values by the names of their authors, as printed.
_ADJUSTMENT_NAMES = {
    "holm": "Holm",
    "bonferroni": "Bonferroni",
    "benjamini-hochberg": "Benjamini-Hochberg",
}


def _adjusted(adjust: str, nl: bool) -> str:
    """Say how the p-values are adjusted: "p adjusted by Holm", "p niet gecorrigeerd"."""
    if adjust == "none":
        return "p niet gecorrigeerd" if nl else "p not adjusted"
    name = _ADJUSTMENT_NAMES.get(adjust, adjust)
    return f"p gecorrigeerd met {name}" if nl else f"p adjusted by {name}"


def _row_count(count: int, nl: bool) -> str:
    """Count rows: "1 rij", "2 rijen"; "1 row", "2 rows"."""
    if nl:
        return f"{count} {'rij' if count == 1 else 'rijen'}"
    return f"{count} {'row' if count == 1 else 'rows'}"


def _segments(
    waves: Sequence[int], breaks: Mapping[tuple[int, int], str]
) -> tuple[tuple[int, ...], ...]:
    """Split ordered waves at every method break that falls between two of them."""
    segments: list[list[int]] = []
    for wave in waves:
        if segments and not any(
            segments[-1][-1] <= before and after <= wave for before, after in breaks
        ):
            segments[-1].append(wave)
        else:
            segments.append([wave])
    return tuple(tuple(s) for s in segments)


def trend(
    table: EstimateTable,
    *,
    level: float | None = None,
    adjust: str = "holm",
    breaks: Mapping[tuple[int, int], str] | None = None,
) -> TrendTable:
    r"""Direction of an indicator over the waves, within the segments between method breaks.

    Parameters
    ----------
    table : EstimateTable
        Estimates by wave, or by wave and other domains.
    level : float, optional
        Level for calling a direction; the table's level by default.
    adjust : {"holm", "bonferroni", "benjamini-hochberg", "none"}, default "holm"
        Multiplicity adjustment across the rows; directions are called on adjusted p-values.
    breaks : mapping, optional
        Method breaks instead of :data:`METHOD_BREAKS`; pass ``{}`` to fit one line through
        all waves.

    Notes
    -----
    A method break makes the waves on either side incomparable, so one line through all
    waves would read an artefact as a trend. The model is one common slope :math:`\beta`
    with its own level in each segment :math:`s` between breaks (a step per break):
    :math:`\theta_j = \alpha_{s(j)} + \beta x_j`. Its least-squares slope is the contrast
    :math:`\hat\beta = \sum_j c_j \hat\theta_j` with
    :math:`c_j = (x_j - \bar x_{s(j)}) / \sum_k (x_k - \bar x_{s(k)})^2`, whose variance
    :math:`c^\top \hat\Sigma c` comes from the covariance of the table. Segments of one wave
    carry no information on the slope; with no segment of two waves there is no trend (NaN).
    Degrees of freedom are those of the domains involved. The publication rules are those
    of :func:`change`: a slope that rests on an estimate without a usable variance has no
    test (p is NaN) - and no standard error or interval where that estimate's 0 is not
    known to be right (0% or 100%, one PSU) - and one that rests on an estimate breaking a
    rule, or on waves that asked different forms, is unreliable (``reliable``, with
    ``reasons``) and never called up or down.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    .. [2] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics*, 6(2), 65-70.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Respondent, victimisation, trend
    >>> people = [Respondent(f"{w}-{i}", w, "rijk", "ambtenaar",
    ...                      victimisations={"verbaal": 1} if i < k else {})
    ...           for w, k in ((2014, 48), (2016, 30), (2018, 15)) for i in range(120)]
    >>> result = trend(victimisation(MonitorData.from_records(people), by="wave"))
    >>> result.direction, result.segments, bool(result.reliable[0])
    (('down',), ((2014, 2016, 2018),), True)

    With 40 respondents a wave the same decline is significant (adjusted p = 0.005) but
    rests on estimates that break the publication rules, so it gets no direction:

    >>> people = [Respondent(f"{w}-{i}", w, "rijk", "ambtenaar",
    ...                      victimisations={"verbaal": 1} if i < k else {})
    ...           for w, k in ((2014, 16), (2016, 10), (2018, 5)) for i in range(40)]
    >>> result = trend(victimisation(MonitorData.from_records(people), by="wave"))
    >>> result.direction, result.reasons[0][:34]
    (('no clear trend',), '2014: interval wider than 0.30; 20')
    """
    rows, positions = _rows(table)
    chosen = table.level if level is None else check_level(level)
    adjust = check_choice("adjust", adjust, ADJUSTMENTS)
    registry = METHOD_BREAKS if breaks is None else breaks
    finite = np.isfinite(table.estimate)
    waves = tuple(sorted({w for p in positions.values() for w, i in p.items() if finite[i]}))
    segments = _segments(waves, registry)
    segment_of = {w: k for k, seg in enumerate(segments) for w in seg}
    d = len(table.domains)
    entries: list[tuple[int, NDArray[np.intp], NDArray[np.float64]]] = []
    enough = np.zeros(len(rows), dtype=bool)
    involved: list[list[int]] = []
    for r, row in enumerate(rows):  # one contrast vector per row of the result
        members = [(w, i) for w, i in positions[row].items() if finite[i]]
        x = np.array([w for w, _ in members], dtype=np.float64)
        idx = np.array([i for _, i in members], dtype=np.intp)
        seg = np.array([segment_of[w] for w, _ in members], dtype=np.intp)
        centred = x.copy()
        for k in np.unique(seg):  # a handful of segments
            centred[seg == k] -= x[seg == k].mean()
        spread = float((centred**2).sum())
        involved.append([int(i) for i in idx[centred != 0]])
        if spread > 0:
            enough[r] = True
            keep = centred != 0
            entries.append((r, idx[keep], centred[keep] / spread))
    # the slopes as contrasts: a sparse rows x D array, so that only the domains they use
    # enter their variances (never the D x D covariance)
    from scipy import sparse

    contrasts = sparse.csr_array(
        (
            np.concatenate([c for _, _, c in entries]) if entries else np.zeros(0),
            (
                np.concatenate([np.full(i.size, r) for r, i, _ in entries])
                if entries
                else np.zeros(0, dtype=np.intp),
                np.concatenate([i for _, i, _ in entries]) if entries else np.zeros(0, np.intp),
            ),
        ),
        shape=(len(rows), d),
    )
    estimate = np.nan_to_num(table.estimate)
    slope = np.where(enough, contrasts @ estimate, np.nan)
    variance = table._contrast_variances(contrasts) if entries else np.zeros(len(rows))
    se = np.where(enough, np.sqrt(np.maximum(variance, 0.0)), np.nan)
    in_row = np.array([r for r, ids in enumerate(involved) for _ in ids], dtype=np.intp)
    domains_used = np.array([i for ids in involved for i in ids], dtype=np.intp)
    df = np.where(enough, table._df_of_sets(in_row, domains_used, len(rows)), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = 2 * _distributions.t_sf(np.abs(slope / se), df)
    p = np.where(enough & (se > 0) & (df > 0), p, np.nan)
    testable = np.zeros(len(rows), dtype=bool)
    reliable = np.zeros(len(rows), dtype=bool)
    reasons: list[str] = []
    ok, why = table.reliability()
    flags = table.flags
    for r, row in enumerate(rows):  # the rules of change(), over every wave the slope uses
        if not enough[r]:
            reasons.append("no segment with two waves")
            continue
        used = [(w, i) for w, i in sorted(positions[row].items()) if i in involved[r]]
        if any(_unknown_variance(flags[i]) for _, i in used):
            se[r] = np.nan  # as change(): a wave's 0 that nobody believes
        usable, notes = _rules(flags, ok, why, used)
        for k in sorted({segment_of[w] for w, _ in used}):  # the forms asked within a segment
            unlike = _unlike_questions(table, [row], [w for w, _ in used if segment_of[w] == k])
            notes += [unlike[0]] if unlike[0] else []
        testable[r] = usable
        reliable[r] = usable and not notes
        reasons.append("; ".join(notes))
    p = np.where(testable, p, np.nan)
    adjusted = adjust_p_values(p, adjust)
    alpha = 1 - chosen
    direction = tuple(
        "no clear trend" if not (pv < alpha and good) else ("up" if s > 0 else "down")
        for s, pv, good in zip(slope, adjusted, reliable, strict=True)
    )
    return TrendTable(
        rows=tuple(rows),
        waves=waves,
        segments=segments,
        slope=slope,
        standard_error=se,
        df=df,
        p_value=p,
        p_adjusted=adjusted,
        direction=direction,
        adjust=adjust,
        method_breaks=method_breaks(waves[0], waves[-1], breaks) if waves else (),
        by=tuple(name for name in table.by if name != "wave"),
        estimate_kind=table.kind,
        level=chosen,
        reliable=reliable,
        reasons=tuple(reasons),
    )
