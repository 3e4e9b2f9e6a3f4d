r"""The decomposition of a change between two waves into composition and rate.

The 2016 letter explains the drop in aggression against employees as "partly explained by
digitalisation (fewer direct contacts with citizens), partly autonomous (those with
frequent contact are also victimised less)". That is a Kitagawa (1955) decomposition: with
the classes :math:`k` of a factor (contact with citizens), their shares :math:`s_{wk}` and
the indicator's rates :math:`r_{wk}` in waves :math:`w = a, b`, the change of the overall
rate :math:`\sum_k s_{bk} r_{bk} - \sum_k s_{ak} r_{ak}` is exactly the sum of

.. math::

    C = \sum_k (s_{bk} - s_{ak}) \frac{r_{ak} + r_{bk}}{2} \qquad\text{(composition)},
    \qquad
    R = \sum_k (r_{bk} - r_{ak}) \frac{s_{ak} + s_{bk}}{2} \qquad\text{(rate)}.

Every term is a smooth function of the weighted totals :math:`Y_{wk}` (yes) and
:math:`N_{wk}` (answered) of the class and wave, so one joint linearisation of those totals
(:func:`vpt_monitor.stats.total` of both, by wave and class) and the delta method
(:func:`vpt_monitor.stats.contrast`) give every component its design-based standard error,
with the covariance between the components' parts.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor._codes import GROUPS
from vpt_monitor.data import MonitorData
from vpt_monitor.indicators._common import Unit, _names
from vpt_monitor.indicators.change import (
    ASKED_NOT,
    break_note,
    method_breaks,
    questionnaire_differences,
)
from vpt_monitor.indicators.outcomes import OUTCOMES, outcome
from vpt_monitor.stats import Estimate, EstimateTable, _print, contrast, total
from vpt_monitor.stats._validation import warn
from vpt_monitor.vocab import Group

__all__ = ["Decomposition", "decompose_change"]

FloatArray = NDArray[np.float64]


@attrs.frozen(eq=False, repr=False)
class Decomposition:
    """A change between two waves split into composition and rate, in total and by class.

    Attributes
    ----------
    outcome, factor : str
        What changed, and the factor whose classes carry the composition.
    between : tuple of int
        The two waves; the change is the second minus the first.
    classes : tuple
        The factor's classes.
    total, composition, rate : Estimate
        The change of the overall rate and its two parts; ``composition.estimate +
        rate.estimate == total.estimate`` up to rounding.
    class_composition, class_rate : tuple of Estimate
        Each class's contribution to the two parts (they add up to them).
    shares, rates : numpy.ndarray
        ``2 x classes``: each class's share of the population and its rate, per wave.
    level : float
        Confidence level of the intervals.
    left_out : int
        Respondents of the two waves (with an answer, in the group) whose class of the
        factor is unknown: the decomposed change is that of the others, so it can differ a
        little from :func:`~vpt_monitor.change` of the indicator.
    method_breaks : tuple of str
        The method breaks between the two waves (``"2012-2014: ..."``; see
        :data:`~vpt_monitor.METHOD_BREAKS`): the waves were measured differently, so the
        change and both its parts are partly a difference of method. Printed, and warned of.

    Examples
    --------
    Made by :func:`~vpt_monitor.decompose_change`. The classes' contributions add up to
    the two parts, and the parts to the change:

    >>> import numpy as np
    >>> from vpt_monitor import decompose_change
    >>> from vpt_monitor.synth import simulate
    >>> parts = decompose_change(simulate(waves=(2014, 2016)), factor="contact",
    ...                          group="medewerker")
    >>> bool(np.isclose(sum(c.estimate for c in parts.class_rate), parts.rate.estimate))
    True
    >>> bool(np.isclose(parts.composition.estimate + parts.rate.estimate,
    ...                 parts.total.estimate))
    True
    >>> parts.shares.shape == (2, len(parts.classes))
    True
    """

    outcome: str
    factor: str
    between: tuple[int, int]
    classes: tuple[Hashable, ...]
    total: Estimate
    composition: Estimate
    rate: Estimate
    class_composition: tuple[Estimate, ...]
    class_rate: tuple[Estimate, ...]
    shares: FloatArray
    rates: FloatArray
    level: float = 0.95
    left_out: int = attrs.field(default=0, kw_only=True)
    #: The factor's declared attribute (its labels), None for a built-in domain.
    attribute: Any = attrs.field(default=None, kw_only=True, repr=False)
    method_breaks: tuple[str, ...] = attrs.field(default=(), kw_only=True)

    def to_pandas(self, *, labels: str | None = None) -> Any:
        """Return one row per part (total, composition, rate) and per class (needs pandas).

        Parameters
        ----------
        labels : {None, "en", "nl"}, default None
            Keep the classes as they are in the data (codes) and the parts as ``total``,
            ``composition`` and ``rate``, or write both in English or Dutch words, as the
            printed decomposition does.

        Returns
        -------
        pandas.DataFrame
            Columns ``part``, ``class``, ``estimate``, ``standard_error``, ``low``,
            ``high``, ``df``, ``reliable`` (False for the parts of a class whose rate is 0%
            or 100% in a wave: their standard error of 0 is not believed), and per class
            its share and rate in both waves.
        """
        import pandas as pd

        from vpt_monitor import _format

        language = None if labels is None else _format.check_language(labels)

        first, last = self.between
        words = {
            None: {},
            "en": {"total": "change", "all": "all"},
            "nl": {
                "total": "verandering",
                "composition": "samenstelling",
                "rate": "binnen klassen",
                "all": "totaal",
            },
        }[language]
        rows = []
        for part, estimate in (
            ("total", self.total),
            ("composition", self.composition),
            ("rate", self.rate),
        ):
            rows.append(_row(words.get(part, part), words.get("all", "all"), estimate))
        for k, label in enumerate(self.classes):
            shown = (
                label
                if language is None
                else _format.label(label, language, attribute=self.attribute)
            )
            for part, estimates in (
                ("composition", self.class_composition),
                ("rate", self.class_rate),
            ):
                row = _row(words.get(part, part), shown, estimates[k])
                row.update(
                    {
                        f"share_{first}": self.shares[0, k],
                        f"share_{last}": self.shares[1, k],
                        f"rate_{first}": self.rates[0, k],
                        f"rate_{last}": self.rates[1, k],
                    }
                )
                rows.append(row)
        return pd.DataFrame(rows)

    def to_string(self, language: str | None = None) -> str:
        """Return the decomposition as printed, in ``language`` ("en" or "nl").

        None takes the session's language (:func:`vpt_monitor.set_language`): headings,
        class labels, notes and numbers (decimal commas in Dutch).
        """
        from vpt_monitor import _format

        chosen = _format.check_language(language)
        nl = chosen == "nl"
        first, last = self.between
        factor = _format.variable(self.factor, chosen, attribute=self.attribute)
        outcome = _OUTCOMES_NL.get(self.outcome, self.outcome) if nl else self.outcome
        title = (
            f"Decompositie({outcome} {last} - {first}, naar {factor}: {len(self.classes)} klassen)"
            if nl
            else f"Decomposition({self.outcome} {last} - {first}, by {factor}: "
            f"{len(self.classes)} classes)"
        )
        lines = [title]
        for note in self.method_breaks:
            if ASKED_NOT in note:  # another questionnaire, not another method
                what = "vragenlijst" if nl else "questionnaire"
                after = (
                    " - de verandering en haar delen zijn deels een verschil in vragenlijst"
                    if nl
                    else " - the change and its parts are partly a difference of questionnaire"
                )
            else:
                what = "methodebreuk" if nl else "method break"
                after = (
                    " - de metingen zijn verschillend gemeten: de verandering en haar delen "
                    "zijn deels een verschil in methode"
                    if nl
                    else " - the waves were measured differently: the change and its parts "
                    "are partly a difference of method"
                )
            lines.append(f"  {what}: {break_note(note, chosen)}{after}")
        parts = (
            ("verandering", "samenstelling", "binnen klassen")
            if nl
            else ("change", "composition", "rate")
        )
        points, to = ("%-punt", "tot") if nl else ("points", "to")
        width = max(len(part) for part in parts) + 2
        for part, estimate in zip(parts, (self.total, self.composition, self.rate), strict=True):
            ci = estimate.confidence_interval()
            value = _format.signed(100 * estimate.estimate, chosen, digits=2)
            low = _format.signed(100 * ci.low, chosen, digits=2)
            high = _format.signed(100 * ci.high, chosen, digits=2)
            lines.append(f"  {part:<{width}}{value:>6} {points}  ({low} {to} {high})")
        headings = (
            ("klasse", "aandeel %", "niveau %", "samenstelling", "binnen klasse")
            if nl
            else ("class", "share %", "rate %", "composition", "rate effect")
        )
        effect = max(len(headings[3]), len(headings[4])) + 2  # the effects' columns
        labels = [_format.label(c, chosen, attribute=self.attribute) for c in self.classes]
        first_width = min(max(len(headings[0]), *map(len, labels)), 40) + 2
        lines.append(
            f"  {headings[0]:<{first_width}}{headings[1]:>15}{headings[2]:>15}"
            f"{headings[3]:>{effect}}{headings[4]:>{effect}}"
        )
        for k, text in enumerate(labels):
            if len(text) > first_width - 2:  # cut visibly: "minder dan 20.0" read as a number
                text = text[: first_width - 3] + "\u2026"
            share = (
                f"{_format.number(100 * self.shares[0, k], chosen)} -> "
                f"{_format.number(100 * self.shares[1, k], chosen)}"
            )
            rate = (
                f"{_format.number(100 * self.rates[0, k], chosen)} -> "
                f"{_format.number(100 * self.rates[1, k], chosen)}"
            )
            composition = _format.signed(100 * self.class_composition[k].estimate, chosen, digits=2)
            within = _format.signed(100 * self.class_rate[k].estimate, chosen, digits=2)
            exact = "zero_variance" in self.class_rate[k].flags
            mark = (
                (
                    "  (onbetrouwbaar: percentage 0 of 100)"
                    if nl
                    else "  (unreliable: rate 0 or 100%)"
                )
                if exact
                else ""
            )
            lines.append(
                f"  {text:<{first_width}}{share:>15}{rate:>15}{composition:>{effect}}"
                f"{within:>{effect}}{mark}"
            )
        if self.left_out:
            lines.append(f"  ({self._left_out_note(chosen)})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_string()

    def _left_out_note(self, language: str | None = None) -> str:
        from vpt_monitor import _format

        many = self.left_out != 1
        chosen = _format.check_language(language)
        factor = _format.variable(self.factor, chosen, attribute=self.attribute)
        count = _format.integer(self.left_out, chosen)
        if chosen == "nl":
            return (
                f"{count} respondent{'en' if many else ''} van deze metingen zonder "
                f"klasse van {factor} {'zijn' if many else 'is'} weggelaten"
            )
        return (
            f"{count} respondent{'s' if many else ''} of these waves without a class of "
            f"{factor} {'are' if many else 'is'} left out"
        )

    def _repr_html_(self) -> str | None:
        """Show the decomposition in a notebook: its title line and :meth:`to_pandas`."""
        from vpt_monitor import _format

        language = _format.get_language()
        notes = [break_note(note, language) for note in self.method_breaks]
        notes += [self._left_out_note(language)] if self.left_out else []
        return _print.notebook(self, lambda: self.to_pandas(labels=language), notes=notes)


def _row(part: str, label: Hashable, estimate: Estimate) -> dict[str, Any]:
    ci = estimate.confidence_interval()
    return {
        "part": part,
        "class": label,
        "estimate": estimate.estimate,
        "standard_error": estimate.standard_error,
        "low": ci.low,
        "high": ci.high,
        "df": estimate.df,
        "reliable": estimate.reliable,
    }


_ALIASES = {"victimisation": "victimised"}


#: The outcomes (:data:`~vpt_monitor.indicators.outcomes.OUTCOMES`) by their Dutch names, for
#: the title of a decomposition printed in Dutch; English prints the outcome's own name.
_OUTCOMES_NL = {
    "victimised": "slachtofferschap",
    "victimised_social_media": "slachtofferschap via sociale media",
    "threatened": "bedreiging en intimidatie",
    "physical_violence": "fysiek geweld",
    "reported": "gemeld binnen de organisatie",
    "police_report": "aangifte bij de politie",
    "adverse_consequences": "negatieve gevolgen",
    "aftercare": "nazorg aangeboden",
    "decision_influence": "besluitvorming beïnvloed",
    "perceived_violation": "waargenomen integriteitsschendingen",
}


def decompose_change(
    data: MonitorData,
    *,
    between: tuple[int, int] | None = None,
    factor: str,
    indicator: str = "victimisation",
    group: Group | str | None = None,
    level: float = 0.95,
) -> Decomposition:
    r"""Split a change between two waves into a composition effect and a rate effect.

    Parameters
    ----------
    data : MonitorData
        The monitor data with both waves.
    between : tuple of int, optional
        The earlier and the later wave; the last two waves by default.
    factor : str
        A respondent attribute or built-in domain (``"contact"``, ``"office"``, ...) whose
        classes may have changed in size.
    indicator : str, default "victimisation"
        The yes/no outcome (see :data:`vpt_monitor.indicators.outcomes.OUTCOMES`);
        ``"victimisation"`` is ``"victimised"``.
    group : Group or str, optional
        Only political office holders or only employees.
    level : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    Decomposition

    Raises
    ------
    ValueError
        For a factor that is not a domain, a wave not in the data, or a class without
        respondents in one of the waves (its rate does not exist there: merge classes).
    NotMeasuredError
        If the outcome was not asked.

    Notes
    -----
    With :math:`Y_{wk}` the weighted total of "yes" and :math:`N_{wk}` of respondents with an
    answer, in class :math:`k` of wave :math:`w`, the shares are
    :math:`s_{wk} = N_{wk} / \sum_j N_{wj}` and the rates :math:`r_{wk} = Y_{wk}/N_{wk}`;
    the composition and rate effects are those of the module documentation (Kitagawa 1955;
    Das Gupta 1993). They add up exactly to the change of the overall rate. All
    :math:`4K` totals come from one :func:`~vpt_monitor.stats.total` call on the full design
    (respondents outside the population or without an answer or a class count with weight
    zero), so the delta method (:func:`~vpt_monitor.stats.contrast`) sees their joint
    covariance - as R's ``svycontrast(svytotal(~y_a1 + n_a1 + ...), quote(...))`` - and the
    degrees of freedom are those of the rows of both waves.

    References
    ----------
    .. [1] Kitagawa, E. M. (1955). Components of a difference between two rates. *Journal of
       the American Statistical Association* 50, 1168-1194.
    .. [2] Das Gupta, P. (1993). *Standardization and Decomposition of Rates: A User's
       Manual*. US Bureau of the Census.

    Examples
    --------
    Employees with daily contact with citizens are victimised most, and fewer of them have
    it each wave (the simulation's invented digitalisation). Between 2014 and 2016, waves
    measured alike (a decomposition across a method break warns of it):

    >>> from vpt_monitor import decompose_change
    >>> from vpt_monitor.synth import simulate
    >>> parts = decompose_change(simulate(waves=(2014, 2016)), factor="contact",
    ...                          group="medewerker")
    >>> round(parts.composition.estimate + parts.rate.estimate - parts.total.estimate, 12)
    0.0
    >>> bool(parts.composition.estimate < 0)
    True
    """
    name = _ALIASES.get(indicator, indicator)
    if name not in OUTCOMES:
        valid = ", ".join(["victimisation", *OUTCOMES])
        raise ValueError(f"unknown indicator {indicator!r}; indicators are {valid}")
    unit = Unit(data)
    (factor_name,) = _names(factor, unit.allowed, unit.numbers)
    if factor_name == "wave":
        raise ValueError("'factor' must be a characteristic of respondents, not the wave")
    waves = unit.waves
    if between is None:
        if len(waves) < 2:
            raise ValueError(f"a change needs two waves; the data have {waves}")
        between = (waves[-2], waves[-1])
    first, last = (int(w) for w in between)
    for wave in (first, last):
        if wave not in waves:
            raise ValueError(f"wave {wave} is not in the data; waves: {', '.join(map(str, waves))}")
    if first == last:
        raise ValueError(f"'between' names wave {first} twice; a change needs two waves")
    crossed = method_breaks(first, last)
    if crossed:
        warn(
            f"decomposing the change {min(first, last)}-{max(first, last)} across a method "
            f"break ({'; '.join(crossed)}): the change and both its parts are partly a "
            "difference of method"
        )
    answers = outcome(data, name)
    groups = GROUPS if group is None else (Group.parse(group, field="group"),)
    differ = questionnaire_differences(
        answers.notes.get("not_asked_by_group", {}), groups, (first, last)
    )
    unlike = differ.split("; ") if differ else []
    if unlike:  # another questionnaire: a break of its own
        crossed = (*crossed, *(f"{min(first, last)}-{max(first, last)}: {u}" for u in unlike))
        warn(
            f"decomposing the change {min(first, last)}-{max(first, last)} between waves that "
            f"asked different forms ({'; '.join(unlike)}): the change and both its parts are "
            "partly a difference of questionnaire"
        )
    keep = np.asarray(answers.answered, dtype=bool)
    if answers.among is not None:
        keep &= answers.among
    if group is not None:
        chosen = Group.parse(group, field="group")
        keep &= unit.column("group") == list(Group).index(chosen)
    classes = unit.column(factor_name)
    labels = unit.labels(factor_name)
    row_wave = np.asarray(data.respondents["wave"])
    later = np.asarray(row_wave == last)
    keep &= (row_wave == first) | later
    left_out = int(np.count_nonzero(keep & (classes < 0)))
    keep &= classes >= 0
    y = np.where(keep & answers.y, 1.0, 0.0)
    n = keep.astype(np.float64)
    # rows outside the estimate form domains of their own, so that the components' degrees of
    # freedom count the PSUs among the rows taking part only
    inside = keep.astype(np.intp)
    codes = (inside, later.astype(np.intp), np.maximum(classes, 0))
    table = total({"y": y, "n": n}, data.design, by=codes)
    assert isinstance(table, EstimateTable)
    size = len(labels)
    counts = np.zeros((2, size))
    for label, cell in table:
        parts_of: tuple[Any, ...] = label if isinstance(label, tuple) else (label,)
        if parts_of[0] == "n" and parts_of[1] == 1:
            counts[int(parts_of[2]), int(parts_of[3])] = cell.estimate
    empty = [
        (labels[k], (first, last)[w]) for w in (0, 1) for k in range(size) if counts[w, k] <= 0
    ]
    present = counts.sum(axis=0) > 0
    gaps = [(c, w) for c, w in empty if present[list(labels).index(c)]]
    if gaps:
        shown = ", ".join(f"{getattr(c, 'value', c)!r} in {w}" for c, w in gaps)
        raise ValueError(
            f"classes without respondents in a wave have no rate there ({shown}); merge them "
            "with a neighbouring class or choose another factor"
        )
    used = np.flatnonzero(present)
    order = [(v, 1, w, int(k)) for k in used for w in (0, 1) for v in ("y", "n")]

    def split(values: Any) -> tuple[Any, Any]:
        # values in `order`: y_a, n_a, y_b, n_b for each class
        block = np.reshape(np.asarray(values), (used.size, 2, 2))
        return block[:, :, 0], block[:, :, 1]  # classes x waves: yes, answered

    def parts(values: Any) -> tuple[Any, Any, Any, Any]:
        yes, answered = split(values)
        share = answered / answered.sum(axis=0)
        rate = yes / answered
        composition = (share[:, 1] - share[:, 0]) * (rate[:, 0] + rate[:, 1]) / 2
        rate_effect = (rate[:, 1] - rate[:, 0]) * (share[:, 0] + share[:, 1]) / 2
        return share, rate, composition, rate_effect

    def delta(function: Any) -> Estimate:
        return contrast(table, lambda *v: function(parts(v)), domains=order, level=level)

    overall = delta(lambda p: (p[0][:, 1] * p[1][:, 1]).sum() - (p[0][:, 0] * p[1][:, 0]).sum())
    composition = delta(lambda p: p[2].sum())
    rate = delta(lambda p: p[3].sum())
    by_class_composition = tuple(delta(lambda p, j=j: p[2][j]) for j in range(used.size))
    by_class_rate = tuple(delta(lambda p, j=j: p[3][j]) for j in range(used.size))
    values = np.array([table[label].estimate for label in order])
    share, rates, _, _ = parts(values)
    # a class whose rate is 0% or 100% in a wave (no victims among 13) has a linearised
    # standard error of 0 there: its parts look exact, which nobody believes
    at_bound = (rates <= 0) | (rates >= 1)

    def bounded(estimate: Estimate, j: int) -> Estimate:
        if not at_bound[j].any():
            return estimate
        said = [f"{100 * rates[j, w]:.0f}% in {(first, last)[w]}" for w in (0, 1) if at_bound[j, w]]
        detail = (
            f"the class's rate is {' and '.join(said)}: its standard error of 0 there "
            "understates the uncertainty of its part"
        )
        return attrs.evolve(estimate, flags=(*estimate.flags, "zero_variance"), flag_detail=detail)

    by_class_composition = tuple(bounded(e, j) for j, e in enumerate(by_class_composition))
    by_class_rate = tuple(bounded(e, j) for j, e in enumerate(by_class_rate))
    return Decomposition(
        outcome=name,
        factor=factor_name,
        between=(first, last),
        classes=tuple(labels[int(k)] for k in used),
        total=overall,
        composition=composition,
        rate=rate,
        class_composition=by_class_composition,
        class_rate=by_class_rate,
        shares=np.asarray(share.T, dtype=np.float64),
        rates=np.asarray(rates.T, dtype=np.float64),
        level=level,
        left_out=left_out,
        attribute=unit.attributes.get(factor_name),
        method_breaks=crossed,
    )
