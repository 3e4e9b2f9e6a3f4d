"""Shared machinery of the indicators: waves, ``by=`` names, answers and empty domains.

Indicators are thin: each turns monitor data into arrays and calls :mod:`vpt_monitor.stats`.
This module

- resolves ``by=`` names ("wave", "layer", "office", "group" and the respondents'
  attributes) to code arrays; a respondent whose attribute is unknown is in none of its
  domains (counted in ``notes["unknown_domain"]``);
- keeps waves apart: on data with several waves an estimate must be by wave, or for one
  ``wave=``, because waves are independent samples and a pooled figure describes no year;
- leaves unanswered questions out (item non-response) and refuses questions the data do not
  hold at all (:class:`NotMeasuredError`), flagging domains where nobody answered;
- runs the estimator on the full design, restricting it to the sub-population that answered
  (victims, political office holders) as one more domain dimension;
- lists every possible domain, flagging the empty ones instead of dropping them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, NamedTuple

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor import _format
from vpt_monitor._codes import GROUPS, LAYERS, OFFICES
from vpt_monitor.data import MonitorData
from vpt_monitor.stats import Estimate, EstimateTable, _reliability, proportion
from vpt_monitor.stats._match import did_you_mean, match
from vpt_monitor.stats.results import FLAGS

_HINT = (
    "no row holds an answer (the file has no such column, or every cell is empty). An unasked "
    "question is not 'no': the estimate is refused rather than reported as 0"
)

BY_NAMES = ("wave", "layer", "office", "group")
ORGANISATION_BY_NAMES = ("wave", "layer")

By = str | Sequence[str] | None
Estimator = Callable[..., Estimate | EstimateTable]
Mask = NDArray[np.bool_]


class Answers(NamedTuple):
    """One yes/no outcome of the respondents: its values, who answered, and its population.

    ``y`` is True for "yes"; ``answered`` marks known answers; ``among`` is the population
    the outcome is about (victims, political office holders), None for everyone; ``notes``
    say what a reader should know (forms not asked in a wave).
    """

    y: Mask
    answered: Mask
    among: Mask | None
    notes: Mapping[str, Any]


def share(
    data: MonitorData,
    answers: Answers,
    by: By,
    *,
    wave: int | None,
    method: str | None,
    level: float,
) -> Estimate | EstimateTable:
    """Return the share answering "yes" among those who answered (the yes/no indicators)."""
    return estimate(
        proportion,
        data,
        [answers.y],
        by,
        among=answers.among,
        answered=answers.answered,
        wave=wave,
        notes=dict(answers.notes) or None,
        method=method,
        level=level,
    )


class NotMeasuredError(ValueError):
    """The data do not hold the answers an indicator needs (the question was not asked).

    Examples
    --------
    >>> from vpt_monitor import MonitorData, NotMeasuredError, integrity_perception
    >>> data = MonitorData.from_columns({"id": ["a", "b"], "wave": [2016, 2016],
    ...                                  "layer": ["rijk", "rijk"],
    ...                                  "office": ["ambtenaar", "ambtenaar"]})
    >>> try:
    ...     integrity_perception(data)
    ... except NotMeasuredError as error:
    ...     print(str(error)[:62])
    perceived violations (violation:<type>) are not measured in th
    """


def _names(
    by: By, allowed: tuple[str, ...] = BY_NAMES, numbers: tuple[str, ...] = ()
) -> tuple[str, ...]:
    if by is None:
        return ()
    given = (by,) if isinstance(by, str) else tuple(by)
    if not given:
        raise ValueError("'by' is empty; give a name or a tuple of names")
    names = []
    for name in given:
        if isinstance(name, str) and name not in allowed and name not in numbers:
            k = match(name, allowed)  # "Office" is "office"
            if k >= 0:
                name = allowed[k]
            else:
                hint = did_you_mean(name, allowed)
                valid = ", ".join(repr(n) for n in allowed)
                raise ValueError(f"unknown by {name!r}{hint}; valid values are {valid}")
        names.append(name)
        if name in numbers:
            raise ValueError(
                f"by {name!r}: the attribute is a number, which has no domains; declare a "
                "category of its bands (or an integer) to estimate by it"
            )
        if name not in allowed:
            valid = ", ".join(repr(n) for n in allowed)
            raise ValueError(f"unknown by {name!r}; valid values are {valid}")
    if len(set(names)) != len(names):
        raise ValueError(f"'by' names a variable twice: {tuple(names)}")
    return tuple(names)


class Unit:
    """Which table of the data an indicator is about: respondents or organisations.

    Besides the built-in domains, the respondents' attributes (categories, whole numbers and
    yes/no) are domains; a row whose attribute is unknown has code -1 in :meth:`column`.
    """

    def __init__(self, data: MonitorData, organisations: bool = False) -> None:
        self.organisations = organisations
        self.columns = data.organisations if organisations else data.respondents
        self.waves = data.organisation_waves if organisations else data.waves
        self.attributes = {} if organisations else dict(data.attributes)
        domains = tuple(n for n, a in self.attributes.items() if a.domain_kind)
        self.allowed = ORGANISATION_BY_NAMES if organisations else BY_NAMES + domains
        self.numbers = tuple(n for n, a in self.attributes.items() if not a.domain_kind)
        self._data = data
        self._values: dict[str, tuple[Any, ...]] = {}

    @property
    def design(self) -> Any:
        return self._data.organisation_design if self.organisations else self._data.design

    @property
    def n(self) -> int:
        return int(self.columns["wave"].shape[0])

    def labels(self, name: str) -> tuple[Any, ...]:
        if name == "wave":
            return self.waves
        spec = self.attributes.get(name)
        if spec is None:
            return {"layer": LAYERS, "office": OFFICES, "group": GROUPS}[name]
        if spec.kind == "category":
            return spec.codes
        if spec.kind == "boolean":
            return (False, True)
        if name not in self._values:  # whole numbers: the values found, in order
            values = np.asarray(self.columns[name])
            self._values[name] = tuple(int(v) for v in np.unique(values[np.isfinite(values)]))
        return self._values[name]

    def column(self, name: str) -> NDArray[np.intp]:
        """Each row's code of ``name`` (read-only; made once per data and name)."""
        made: NDArray[np.intp] = self._data._derived_value(
            ("column", self.organisations, name), lambda: self._column(name)
        )
        return made

    def _column(self, name: str) -> NDArray[np.intp]:
        if name == "wave":
            return np.searchsorted(np.asarray(self.waves), self.columns["wave"]).astype(np.intp)
        values = np.asarray(self.columns[name])
        spec = self.attributes.get(name)
        if spec is not None and spec.kind == "integer":
            known = np.isfinite(values)
            found = np.asarray(self.labels(name), dtype=np.float64)
            position = np.searchsorted(found, np.where(known, values, 0.0))
            return np.where(known, position, -1).astype(np.intp)
        return values.astype(np.intp)


@attrs.frozen
class DomainLabels:
    """Names a table's domains when it is printed, in the language of ``set_language``.

    Attached to the tables of the indicators as ``EstimateTable.labeller``: offices, layers,
    groups and declared attributes are shown by their labels ("civil servant", or in Dutch
    "overheidsmedewerker") as :class:`~vpt_monitor.ChangeTable` shows them, while
    ``table.domains`` keeps the codes. The language is read when the table is printed.
    """

    attributes: tuple[Any, ...]

    def decimal_mark(self) -> str:
        """Return the decimal mark of the language printed in ("," in Dutch)."""
        return "," if _format.get_language() == "nl" else "."

    def words(self, key: str, **values: Any) -> str:
        """Return the title line, flags or "more domains" of a printed table (Dutch or English)."""
        return _format.table_words(key, **values)

    def heading(self, name: str) -> str:
        """Return the title of a printed column (``"estimate"`` is "schatting" in Dutch)."""
        return _format.variable(name)

    def __call__(self, domain: Hashable) -> str:
        parts = domain if isinstance(domain, tuple) else (domain,)
        if len(parts) != len(self.attributes):  # "all", or a table relabelled by hand
            return _format.label(domain)
        return ", ".join(
            _format.label(part, attribute=attribute)
            for part, attribute in zip(parts, self.attributes, strict=True)
        )


def domain_labels(unit: Unit, names: tuple[str, ...]) -> DomainLabels:
    """Return the labeller of the domains of ``names`` (see :class:`DomainLabels`)."""
    return DomainLabels(tuple(unit.attributes.get(name) for name in names))


def unweighted_waves(data: MonitorData) -> list[int]:
    """Return the waves whose respondents' weights are all 1 (delivered unweighted).

    Weights of 1 with a rounding error count too. Planning refuses such a wave (its
    weights would make every domain a census); the report names it in its method note.
    """
    waves = np.asarray(data.respondents["wave"])
    ones = np.abs(np.asarray(data.respondents["weight"]) - 1.0) <= 1e-9
    return [w for w in data.waves if bool(np.all(ones[waves == w]))]


def wave_rows(
    unit: Unit, names: tuple[str, ...], wave: int | None, *, formula: bool = False
) -> Mask | None:
    """Rows of ``wave``; refuse an estimate that would pool several waves.

    Returns None when every row takes part. ``formula``: ``names`` are those of a model's
    formula, not of ``by=`` (the messages say so).
    """
    where = "the formula" if formula else "by="
    if wave is not None:
        if "wave" in names:
            raise ValueError(f"give either wave= or 'wave' in {where}, not both")
        if isinstance(wave, bool) or not isinstance(wave, int | np.integer):
            raise TypeError(f"'wave' must be a year (int); got {wave!r}")
        if int(wave) not in unit.waves:
            raise ValueError(
                f"wave {wave!r} is not in the data; waves: {', '.join(map(str, unit.waves))}"
            )
        return np.asarray(unit.columns["wave"] == int(wave))
    if len(unit.waves) > 1 and "wave" not in names:
        shown = ", ".join(map(str, unit.waves))
        add = (
            "Use 'wave' in the formula ('... ~ wave + ...', a category of the years)"
            if formula
            else "Add 'wave' to by= (by=('wave', ...))"
        )
        raise ValueError(
            f"the data hold {len(unit.waves)} waves ({shown}), independent samples of "
            f"different years; an estimate over all of them describes no year. {add} or "
            f"choose one with wave={unit.waves[-1]}"
        )
    return None


def _questionnaires(unit: Unit) -> tuple[NDArray[np.intp], int]:
    """Per row its questionnaire - its wave and group - and how many there are.

    Employees and political office holders answer questionnaires of their own, which may
    leave out different questions; a question is asked of a group in a wave when anyone of
    that group and wave answered it.
    """
    if unit.organisations:  # one questionnaire a wave
        return unit.column("wave"), len(unit.waves)
    groups = len(GROUPS)
    codes: NDArray[np.intp] = unit._data._derived_value(
        ("questionnaires",), lambda: unit.column("wave") * groups + unit.column("group")
    )
    return codes, len(unit.waves) * groups


def _asked_per_questionnaire(unit: Unit, known: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Questionnaires x items: whether anyone with it answered the item (``known`` rows x items).

    A lenient rule on purpose: a real answer is never passed over. A stray answer in a
    column a questionnaire left out makes the item asked, and the respondents without it
    then count as not answering; their domains are flagged ``"unanswered"`` (see
    :func:`estimate`).
    """
    codes, count = _questionnaires(unit)
    # the codes of the rows that answered, one member at a time (a loop over the members)
    return np.stack(
        [np.bincount(codes[known[:, k]], minlength=count) > 0 for k in range(known.shape[1])],
        axis=1,
    ).reshape(count, known.shape[1])


def _unasked(
    unit: Unit, asked: NDArray[np.bool_], members: Sequence[Any]
) -> tuple[dict[int, tuple[str, ...]], dict[int, dict[str, tuple[str, ...]]]]:
    """Return the members not asked: per wave (of anyone), and per wave and group.

    ``asked`` is :func:`_asked_per_questionnaire`'s. Only groups with respondents in the wave
    are listed per group.
    """
    codes, count = _questionnaires(unit)
    present = np.bincount(codes, minlength=count) > 0
    groups = 1 if unit.organisations else len(GROUPS)  # organisations: a wave, no groups
    per_wave: dict[int, tuple[str, ...]] = {}
    per_group: dict[int, dict[str, tuple[str, ...]]] = {}
    for k, wave in enumerate(unit.waves):
        cells = range(k * groups, (k + 1) * groups)
        held = [c for c in cells if present[c]]
        nowhere = tuple(str(m) for j, m in enumerate(members) if not any(asked[c, j] for c in held))
        if nowhere:
            per_wave[int(wave)] = nowhere
        missing = {
            str(GROUPS[c - k * groups].value): tuple(
                str(m) for j, m in enumerate(members) if not asked[c, j]
            )
            for c in held
            if not unit.organisations
        }
        missing = {g: forms for g, forms in missing.items() if forms}
        if missing:
            per_group[int(wave)] = missing
    return per_wave, per_group


def any_of(
    unit: Unit, matrix: NDArray[Any], question: str, members: Sequence[Any]
) -> tuple[Mask, Mask, dict[str, Any]]:
    """Return "yes to any member" of a set-valued question, with its answered mask.

    ``matrix`` holds 1 yes, 0 no and -1 not answered, one column per member (or a count per
    form, where > 0 is yes). A member is part of the question for a group in a wave (its
    questionnaire) when someone of that group and wave answered it
    (:func:`_asked_per_questionnaire`); a row is "yes" when it
    says yes to any member, "no" when it answered every member asked of it, and unanswered
    otherwise. Also returns the notes of the members not asked (:func:`unasked_notes`).
    """
    known = np.asarray(matrix >= 0)
    per_cell = _asked_per_questionnaire(unit, known)
    if not per_cell.any():
        raise NotMeasuredError(f"{question} are not measured in these data: {_HINT}")
    codes = _questionnaires(unit)[0]
    # a member at a time: numpy's reductions along the short rows of an n x k matrix are
    # several times slower than k passes down its columns
    n = matrix.shape[0]
    yes, every, some = np.zeros(n, dtype=bool), np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
    for k in range(matrix.shape[1]):
        asked = per_cell[codes, k]
        yes |= (matrix[:, k] > 0) & asked
        every &= known[:, k] | ~asked
        some |= asked
    complete = every & some
    return yes, yes | complete, _unasked_notes(unit, per_cell, members)


def unasked_notes(unit: Unit, known: NDArray[np.bool_], members: Sequence[Any]) -> dict[str, Any]:
    """Return the notes of a question's members not asked, those that are not empty.

    ``"not_asked"`` per wave, ``"not_asked_by_group"`` per wave and group. ``known``
    marks the answers, rows x members (one column for a single question).
    :func:`~vpt_monitor.change` reads ``"not_asked_by_group"`` to find waves that asked
    different questions.
    """
    return _unasked_notes(unit, _asked_per_questionnaire(unit, known), members)


def _unasked_notes(unit: Unit, asked: NDArray[np.bool_], members: Sequence[Any]) -> dict[str, Any]:
    """:func:`unasked_notes` from the questionnaires x members table of what was asked."""
    per_wave, per_group = _unasked(unit, asked, members)
    notes: dict[str, Any] = {}
    if per_wave:
        notes["not_asked"] = per_wave
    if per_group:
        notes["not_asked_by_group"] = per_group
    return notes


def merge_unasked(first: Mapping[str, Any], second: Mapping[str, Any]) -> dict[str, Any]:
    """Join two questions' :func:`unasked_notes` (a form and a channel asked together)."""
    joined: dict[str, Any] = dict(first)
    for key, table in second.items():
        if key not in ("not_asked", "not_asked_by_group"):
            continue
        mine = {w: v for w, v in joined.get(key, {}).items()}
        for wave, value in table.items():
            if key == "not_asked":
                mine[wave] = (*mine.get(wave, ()), *value)
            else:
                groups = dict(mine.get(wave, {}))
                for group, forms in value.items():
                    groups[group] = (*groups.get(group, ()), *forms)
                mine[wave] = groups
        joined[key] = mine
    return joined


def single(column: NDArray[Any], question: str) -> tuple[Mask, Mask]:
    """One question's "yes" (> 0) and answered (>= 0) masks; refuse it if nobody answered."""
    answered = np.asarray(column >= 0)
    if not answered.any():
        raise NotMeasuredError(f"{question} is not measured in these data: {_HINT}")
    return np.asarray(column > 0), answered


def asked_in_wave(unit: Unit, answered: Mask) -> Mask:
    """Per row, whether anyone of its wave and group answered (a question asked of them)."""
    codes, _ = _questionnaires(unit)
    return np.asarray(_asked_per_questionnaire(unit, answered[:, None])[codes, 0])


def _possible(combination: dict[str, Any]) -> bool:
    """Whether some office is consistent with the layer, office and group named."""
    office = combination.get("office")
    layer = combination.get("layer")
    group = combination.get("group")
    offices = OFFICES if office is None else (office,)
    return any(
        (layer is None or layer in o.layers) and (group is None or o.group is group)
        for o in offices
    )


def universe(unit: Unit, names: tuple[str, ...]) -> list[Any]:
    """Every possible domain label for ``names`` (a scalar label, or a tuple of them)."""
    combos = itertools.product(*(unit.labels(n) for n in names))
    labels = [c for c in combos if _possible(dict(zip(names, c, strict=True)))]
    return [c[0] for c in labels] if len(names) == 1 else labels


def _cell_counts(
    unit: Unit, names: tuple[str, ...], labels: Sequence[Any], masks: Sequence[Mask]
) -> list[NDArray[np.int64]]:
    """Rows of each mask in each domain ``labels`` of ``names`` (one bincount a mask)."""
    sizes = [len(unit.labels(n)) for n in names]
    codes = [np.maximum(unit.column(n), 0) for n in names]  # masks leave unknown values out
    flat = np.ravel_multi_index(codes, sizes) if codes else np.zeros(unit.n, dtype=np.intp)
    cells = int(np.prod(sizes)) if sizes else 1
    where = [{label: k for k, label in enumerate(unit.labels(n))} for n in names]
    index = np.array(
        [
            np.ravel_multi_index(
                tuple(
                    w[p] for w, p in zip(where, label if len(names) > 1 else (label,), strict=True)
                ),
                sizes,
            )
            if names
            else 0
            for label in labels
        ],
        dtype=np.intp,
    )
    return [np.bincount(flat[m], minlength=cells)[index].astype(np.int64) for m in masks]


def estimate(
    estimator: Estimator,
    data: MonitorData,
    arrays: Sequence[NDArray[Any]],
    by: By,
    *,
    among: Mask | None = None,
    answered: Mask | None = None,
    wave: int | None = None,
    notes: dict[str, Any] | None = None,
    organisations: bool = False,
    bounds: tuple[float, float] | None = None,
    **options: Any,
) -> Estimate | EstimateTable:
    """Run ``estimator(*arrays, design, by=...)`` and shape the result for the monitor.

    ``among`` is the sub-population the indicator is about (victims, political office
    holders); ``answered`` marks the rows with a known answer. The estimate is made among
    the rows in both (and in ``wave``), as a domain of the full design; ``notes["missing"]``
    counts the rows of the sub-population left out for lack of an answer. Domains with rows
    of the sub-population but no answers are flagged ``"not_measured"``. The result lists
    every possible domain of ``by``. With ``organisations=True`` the rows are the
    organisation survey's. ``bounds`` is the range of the quantity (a score from 0 to 100,
    a share of incidents from 0 to 1); intervals are clipped to it.
    """
    result = _estimate(
        estimator,
        data,
        arrays,
        by,
        among=among,
        answered=answered,
        wave=wave,
        notes=notes,
        organisations=organisations,
        **options,
    )
    return result if bounds is None else attrs.evolve(result, bounds=bounds)


def _estimate(
    estimator: Estimator,
    data: MonitorData,
    arrays: Sequence[NDArray[Any]],
    by: By,
    *,
    among: Mask | None,
    answered: Mask | None,
    wave: int | None,
    notes: dict[str, Any] | None,
    organisations: bool,
    **options: Any,
) -> Estimate | EstimateTable:
    unit = Unit(data, organisations)
    names = _names(by, unit.allowed, unit.numbers)
    in_wave = wave_rows(unit, names, wave)
    population = np.ones(unit.n, dtype=bool) if among is None else np.asarray(among, bool)
    if in_wave is not None:
        population = population & in_wave
    codes = [unit.column(n) for n in names]
    result_notes: dict[str, Any] = dict(notes or {})
    known = np.ones(unit.n, dtype=bool) if answered is None else np.asarray(answered, bool)
    unknown = np.zeros(unit.n, dtype=bool)
    for name, column in zip(names, codes, strict=True):
        if name in unit.attributes:
            unknown |= column < 0
    if unknown.any():  # rows without a value of a by-attribute belong to none of its domains
        result_notes["unknown_domain"] = int((population & known & unknown).sum())
        population = population & ~unknown
        codes = [np.maximum(column, 0) for column in codes]
    keep = population & known
    restricted = (
        among is not None or answered is not None or in_wave is not None or bool(unknown.any())
    )
    missing = population & ~known
    result_notes["missing"] = int(missing.sum())
    if wave is not None:
        result_notes["wave"] = int(wave)

    if restricted:
        codes = [keep.astype(np.intp), *codes]
    if not codes:
        result = estimator(*arrays, unit.design, **options)
        assert isinstance(result, Estimate)
        return attrs.evolve(result, notes=result_notes)
    table = estimator(*arrays, unit.design, by=tuple(codes), **options)
    assert isinstance(table, EstimateTable)
    value_sets = [unit.labels(n) for n in names]
    relabelled: list[Hashable] = []
    kept = []
    for label in table.domains:
        parts = label if isinstance(label, tuple) else (label,)
        if restricted:
            if parts[0] != 1:
                continue
            parts = parts[1:]
        kept.append(label)
        mapped = tuple(values[int(p)] for values, p in zip(value_sets, parts, strict=True))
        relabelled.append(mapped[0] if len(mapped) == 1 else mapped if mapped else "all")
    selected = table.reindex(kept)
    selected = attrs.evolve(
        selected,
        domains=relabelled,
        by=names,
        notes=result_notes,
        labeller=domain_labels(unit, names),
    )
    if not names:  # a sub-population without domains: one estimate
        if selected.domains:
            single = selected["all"]
            asked = asked_in_wave(unit, keep) if answered is not None else None
            if asked is not None and _too_few_answers(
                (population & asked).sum(), (missing & asked).sum()
            ):
                return attrs.evolve(single, flags=(*single.flags, "unanswered"))
            return single
        return _empty(selected.kind, result_notes, not_measured=bool(population.any()))
    full = selected.reindex(universe(unit, names))
    if answered is None:
        return full
    # the share unanswered counts the rows whose questionnaire asked the question (someone
    # of their wave and group answered): a group never asked is not non-response
    asked = asked_in_wave(unit, keep)
    rows, answers, lacking, asked_rows, asked_lacking = _cell_counts(
        unit, names, full.domains, [population, keep, missing, population & asked, missing & asked]
    )
    flags = np.array(full.flag_array, dtype=bool, copy=True)
    unasked = (rows > 0) & (answers == 0)
    flags[:, FLAGS.index("not_measured")] = unasked
    flags[:, FLAGS.index("empty")] &= ~unasked
    flags[:, FLAGS.index("unanswered")] = ~unasked & _too_few_answers(asked_rows, asked_lacking)
    by_domain = {label: int(c) for label, c in zip(full.domains, lacking, strict=True) if c}
    result_notes["missing_by_domain"] = by_domain
    return attrs.evolve(full, flag_array=flags, notes=result_notes)


def _too_few_answers(rows: Any, lacking: Any) -> Any:
    """Whether more than 30% of a domain's rows lack an answer (elementwise).

    The answers may then not stand for the others (a form asked of a few only, victims
    answering where others did not); see ``stats._reliability.MAX_UNANSWERED``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(lacking) > _reliability.MAX_UNANSWERED * np.asarray(rows)


def _empty(kind: str, notes: dict[str, Any], *, not_measured: bool = False) -> Estimate:
    return Estimate(
        estimate=np.nan,
        standard_error=np.nan,
        df=np.nan,
        n=0,
        n_effective=0.0,
        kind=kind,
        flags=("not_measured",) if not_measured else ("empty",),
        notes=notes,
    )
