"""Parsing and checking the columns of the four tables, every bad row reported at once.

:func:`build` turns columns (a mapping of arrays or a data frame per table) into the arrays
:class:`~vpt_monitor.MonitorData` holds, checking every cell with vectorised masks and
formatting only the bad rows. Each column is wrapped once in :class:`~.cells.Cells`, so that
text is read once per distinct value and numbers as whole arrays. Problems read
``"{table} row {i}: {column}={value}: {reason}"`` (``i`` is the 0-based row) or
``"{table} column '{name}': ..."``. :func:`check` returns the bad rows as :class:`Flag`
groups instead, which the readers of :mod:`vpt_monitor.io` locate in their files (file and
line) without formatting a row twice.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from vpt_monitor._answers import MISSING
from vpt_monitor._codes import (
    CHANNELS,
    CONFIRMED,
    CONSEQUENCES,
    FORMS,
    GROUPS,
    LAYERS,
    MEASURES,
    OFFICE_GROUP,
    OFFICE_IN_LAYER,
    OFFICES,
    RESPONDENT_FIELDS,
    RESPONDENT_SETS,
    STATUSES,
    VIOLATIONS,
)
from vpt_monitor.attributes import Attribute, code_text, declare
from vpt_monitor.data.cells import (
    SHOWN_LENGTH,
    ArrowCells,
    Cells,
    arrow_booleans,
    distinct_map,
    is_missing,
    missing_scalar,
    prepare,
    refactorize,
    shown,
    take,
    to_float,
)
from vpt_monitor.data.errors import MonitorDataError
from vpt_monitor.records import MAX_INCIDENTS, WAVE_RANGE
from vpt_monitor.stats._frames import POLARS, frame_library
from vpt_monitor.stats._match import did_you_mean, positions
from vpt_monitor.stats._validation import warn

__all__ = [
    "MAX_EMPLOYEES",
    "MAX_INCIDENTS",
    "RESPONDENT_COLUMNS",
    "SHOWN_LENGTH",
    "Flag",
    "Tables",
    "build",
    "canonical_names",
    "check",
    "known_columns",
]

#: Largest number of employees of one organisation (the whole Rijk has about 130,000).
MAX_EMPLOYEES = 1_000_000

#: Respondent columns other than the per-member ones (``incidents:<form>``, ``channel:<code>``,
#: ``consequence:<code>``, ``violation:<code>``).
RESPONDENT_COLUMNS = RESPONDENT_FIELDS


_INCIDENT_COLUMNS = (
    "respondent_id",
    "wave",
    "form",
    "channel",
    "reported_internally",
    "police_report",
    "registered",
    "severity",
    "aftercare",
)
_ORGANISATION_COLUMNS = ("id", "wave", "layer", "employees", "weight", "stratum", "fpc")
_VIOLATION_COLUMNS = ("organisation_id", "wave", "kind", "status")


#: Respondent fields made from one column per member, with the columns' prefix.
_MADE_FROM_COLUMNS = {
    "victimisations": "incidents:<form>",
    "channels": "channel:<code>",
    "consequences": "consequence:<code>",
    "perceived_violations": "violation:<code>",
}


def known_columns(table: str, attributes: Iterable[str] = ()) -> frozenset[str]:
    """Return the column names of ``table`` (``"respondents"``, ...) the library reads.

    ``attributes`` are the names of the respondent attributes declared besides the built-in
    ones (respondents only).
    """
    if table == "respondents":
        return frozenset(
            # the set-valued fields are made from their columns (incidents:<form>, ...),
            # never read whole: a column named so is not the library's
            (set(RESPONDENT_COLUMNS) - set(_MADE_FROM_COLUMNS))
            | {f"incidents:{f.value}" for f in FORMS}
            | {
                f"{prefix}:{m.value}"
                for prefix, (_, members) in RESPONDENT_SETS.items()
                for m in members
            }
            | set(declare(None))
            | set(attributes)
        )
    if table == "incidents":
        return frozenset(_INCIDENT_COLUMNS) | {f"consequence:{m.value}" for m in CONSEQUENCES}
    if table == "organisations":
        return frozenset(_ORGANISATION_COLUMNS) | {f"measure:{m.value}" for m in MEASURES}
    if table == "violations":
        return frozenset(_VIOLATION_COLUMNS)
    raise ValueError(f"unknown table {table!r}")


def spss_safe(name: str) -> str:
    """Return a column name as SPSS allows it: each character other than A-Z, 0-9, _ as _.

    >>> spss_safe("channel:sociale-media")
    'channel_sociale_media'
    """
    return re.sub(r"[^0-9A-Za-z_]", "_", name)


def canonical_names(table: str, names: Iterable[Any]) -> tuple[dict[str, str], list[str]]:
    """Map SPSS-safe spellings of the library's column names to the names; and any conflicts.

    SPSS forbids ``:``, ``-`` and spaces in variable names, so agencies write
    ``incidents_verbaal`` for ``incidents:verbaal`` and ``channel_sociale_media`` for
    ``channel:sociale-media``; and upper-case exports write ``ID`` and ``WAVE``. Names are
    matched in any case, in their own spelling or the SPSS-safe one; this is the one place
    those spellings are read. A file with two spellings of one column is a conflict
    (returned as a problem ``"<table> column '<name>': ..."``, and neither is renamed).

    >>> canonical_names("respondents", ["ID", "Wave", "Incidents_Verbaal"])[0]
    {'ID': 'id', 'Wave': 'wave', 'Incidents_Verbaal': 'incidents:verbaal'}
    """
    known = known_columns(table)
    spelled = {name.lower(): name for name in known}
    spelled.update({spss_safe(name).lower(): name for name in known if spss_safe(name) != name})
    given = [str(n) for n in names]
    present = set(given)
    renames: dict[str, str] = {}
    problems: list[str] = []
    for name in given:
        target = spelled.get(name.lower())
        if target is None or name == target:
            continue
        if target in present:
            how = "another case" if name.lower() == target.lower() else "the SPSS-safe spelling"
            problems.append(
                f"{table} column {name!r}: {how} of {target!r}, which is there too; keep one "
                "of the two"
            )
            continue
        if target in renames.values():
            other = next(k for k, v in renames.items() if v == target)
            problems.append(
                f"{table} column {name!r}: a second spelling of {target!r} besides {other!r}; "
                "keep one of the two"
            )
            continue
        renames[name] = target
    return renames, problems


class Tables(NamedTuple):
    """The columns of the four tables, the names of the tables given, and the attributes."""

    respondents: dict[str, Any]
    incidents: dict[str, Any]
    organisations: dict[str, Any]
    violations: dict[str, Any]
    supplied: frozenset[str]
    attributes: dict[str, Attribute] = {}  # noqa: RUF012 - a NamedTuple default, never mutated
    #: waves read as unweighted, their weight cells all empty (warned of once read)
    unweighted: tuple[int, ...] = ()


def empty_tables() -> Tables:
    """Columns of no respondents, incidents, organisations and violations."""
    orgs: dict[str, NDArray[Any]] = {
        "id": np.zeros(0, dtype=object),
        "wave": np.zeros(0, dtype=np.int64),
        "layer": np.zeros(0, dtype=np.int8),
        "employees": np.zeros(0, dtype=np.int64),
        "measures": np.zeros((0, len(MEASURES)), dtype=np.int8),
        "weight": np.zeros(0),
    }
    viols: dict[str, NDArray[Any]] = {
        "organisation": np.zeros(0, dtype=np.intp),
        "wave": np.zeros(0, dtype=np.int64),
        "kind": np.zeros(0, dtype=np.int8),
        "status": np.zeros(0, dtype=np.int8),
    }
    return Tables(
        {
            "id": np.zeros(0, dtype=object),
            "wave": np.zeros(0, dtype=np.int64),
            "layer": np.zeros(0, dtype=np.int8),
            "office": np.zeros(0, dtype=np.int8),
        },
        _incident_columns(
            _Rows("incidents"),
            None,
            None,
            np.zeros(0, dtype=np.intp),
            np.zeros(0, dtype=object),
            np.zeros(0, np.int64),
        ),
        orgs,
        viols,
        frozenset({"respondents", "incidents"}),
    )


class Flag(NamedTuple):
    """Rows of one table with the same problem in one column, formatted only when asked."""

    table: str
    rows: NDArray[np.intp]
    column: str
    #: ``"{column}={value}: {reason}"`` for some of ``rows`` (a subset, in their order)
    texts: Callable[[NDArray[np.intp]], list[str]]


def format_flags(flags: Iterable[Flag]) -> list[str]:
    """Problems as ``"{table} row {i}: {column}={value}: {reason}"``, flag by flag."""
    problems: list[str] = []
    for flag in flags:
        prefix = f"{flag.table} row "
        problems += [
            f"{prefix}{i}: {text}"
            for i, text in zip(flag.rows.tolist(), flag.texts(flag.rows), strict=True)
        ]
    return problems


def _cell_texts(
    column: str, cells: Cells, reason: str | Callable[[int], str], rows: NDArray[np.intp]
) -> list[str]:
    values = cells.shown(rows)
    if callable(reason):
        return [
            f"{column}={value}: {reason(i)}" for value, i in zip(values, rows.tolist(), strict=True)
        ]
    return [f"{column}={value}: {reason}" for value in values]


class _Rows:
    """Collects row problems for one table, so that all of them can be reported."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.flags: list[Flag] = []
        self.total = 0

    def flag(
        self,
        bad: NDArray[np.bool_],
        column: str,
        values: Cells,
        reason: str | Callable[[int], str],
    ) -> None:
        """Record a problem for every row in ``bad``; ``reason`` may depend on the row."""
        rows = np.flatnonzero(bad)
        if rows.size == 0:
            return
        self.total += rows.size
        texts = functools.partial(_cell_texts, column, values, reason)
        self.flags.append(Flag(self.table, rows, column, texts))

    @property
    def problems(self) -> list[str]:
        """Every problem recorded, formatted."""
        return format_flags(self.flags)


def _column(source: Any, name: str, n: int | None = None) -> Cells | None:
    if name not in source:
        return None
    return prepare(source[name], name, n)


def _codes(
    rows: _Rows, values: Cells, column: str, members: tuple[StrEnum, ...], required: bool
) -> NDArray[np.int8]:
    """Codes into ``members`` (-1 missing, -2 unknown), looked up once per distinct value."""
    codes, distinct = values.encoded()
    allowed = [str(m.value) for m in members]
    texts = [str(t) for t in np.asarray(distinct).astype(str)] if len(distinct) else []
    found = positions(texts, allowed)  # exact, else ignoring case: 'Drenthe' is 'drenthe'
    mapped = np.where(found < 0, -2, found).astype(np.int8)
    result = take(mapped, codes, -1).astype(np.int8)
    valid = ", ".join(repr(code) for code in allowed)
    if (result == -2).any():
        hints = [
            did_you_mean(t, allowed) if k < 0 else ""
            for t, k in zip(texts, found.tolist(), strict=True)
        ]

        def unknown(i: int) -> str:
            return f"not a valid code{hints[codes[i]]}; valid codes are {valid}"

        rows.flag(result == -2, column, values, unknown)
    if required:
        rows.flag(result == -1, column, values, "missing")
    return result


def _unweighted_waves(
    rows: _Rows, values: Cells, weight: NDArray[np.float64], wave: NDArray[np.float64]
) -> tuple[NDArray[np.float64], tuple[int, ...]]:
    """Read a wave without any weight as unweighted (1), as a file without the column.

    Agencies deliver waves together in one file, one of them at times before it is
    weighted: its weight cells are all empty. That wave counts every respondent once, which
    the report's method note says; an empty weight within a weighted wave is refused.
    """
    empty = values.missing()
    if not empty.any():
        return weight, ()
    codes = np.unique(np.nan_to_num(wave, nan=-1.0), return_inverse=True)[1]
    filled = np.bincount(codes, weights=~empty, minlength=codes.max() + 1)
    whole = (filled == 0)[codes] & ~np.isnan(wave)
    partial = empty & ~whole & ~np.isnan(wave)  # a row without a wave is flagged for it
    counts = np.bincount(codes, minlength=codes.max() + 1)

    def why(i: int) -> str:
        return (
            f"missing ({int(filled[codes[i]])} of {int(counts[codes[i]])} respondents of wave "
            f"{wave[i]:g} have a weight: weight every respondent of a wave, or none, as a "
            "wave delivered before weighting, which reads as unweighted)"
        )

    rows.flag(partial, "weight", values, why)
    return np.where(whole, 1.0, weight), tuple(int(w) for w in np.unique(wave[whole]))


def warn_unweighted(waves: tuple[int, ...]) -> None:
    """Warn of waves read as unweighted because their weight cells were all empty."""
    if waves:
        listed = ", ".join(str(w) for w in waves)
        warn(
            f"respondents: wave {listed} has no weights (every weight cell empty): read as "
            "unweighted, every respondent counting once; weight it to population counts "
            "(MonitorData.weight, vpt-monitor weight) before comparing it with weighted waves"
        )


def _numbers(
    rows: _Rows,
    values: Cells | None,
    column: str,
    *,
    whole: bool,
    low: float | None,
    high: float | None = None,
    optional: bool = False,
    why_high: str = "",
) -> NDArray[np.float64]:
    """Numbers of a column (NaN where missing or bad), flagging every bad row.

    Infinite values are refused, and so are whole numbers beyond ``high`` (or beyond 2**53,
    where floats stop counting exactly), so that no count can wrap around when the caller
    converts it to int64.
    """
    assert values is not None
    numbers = values.numbers()
    missing = values.missing()
    rows.flag(np.isnan(numbers) & ~missing, column, values, "not a number")
    if not optional:
        rows.flag(missing, column, values, "missing")
    infinite = np.isinf(numbers)
    rows.flag(infinite, column, values, "must be a finite number")
    numbers = np.where(infinite, np.nan, numbers)
    known = ~np.isnan(numbers)
    fraction = known & (numbers != np.floor(numbers))
    huge = known & (np.abs(numbers) > 2.0**53)
    if whole:
        rows.flag(fraction, column, values, "must be a whole number")
        if high is None:
            rows.flag(huge, column, values, "is too large")
    if low is not None:
        rows.flag(known & (numbers < low), column, values, f"must be >= {low:g}")
    if high is not None:
        rows.flag(known & (numbers > high), column, values, f"must be <= {high:g}{why_high}")
    if whole:  # flagged above; NaN here, so that no conversion to int64 can wrap around
        numbers = np.where(fraction | huge, np.nan, numbers)
    return numbers


#: Words accepted for yes and no (any case): Dutch, English, and Dutch Excel's WAAR/ONWAAR.
YES_NO_WORDS = {
    "1": 1.0,
    "true": 1.0,
    "ja": 1.0,
    "yes": 1.0,
    "waar": 1.0,
    "0": 0.0,
    "false": 0.0,
    "nee": 0.0,
    "no": 0.0,
    "onwaar": 0.0,
}


def _yes_no_value(value: Any) -> tuple[float, bool]:
    """Read one yes/no cell (a word, a number or its text): its number, and if it is missing."""
    if isinstance(value, str):
        text = value.strip()
        value = None if not text else YES_NO_WORDS.get(text.lower(), value)
    return to_float(value), is_missing(value)


#: Numbers agencies use for "weet niet", "n.v.t." and the like in yes/no questions.
DONT_KNOW_CODES = (8.0, 9.0, 98.0, 99.0)


def missing_code_advice(code: str, label: str | None = None, *, table: str, column: str) -> str:
    """Advise declaring a code of one column missing, in the codebook's own syntax.

    ``label`` is the code's value label in the file (``"weet niet"``), when it has one. The
    advice names the column: a file-wide ``missing = [9]`` would empty every 9 of the file,
    a province coded 9 and a count of 9 incidents among them.
    """
    why = (
        f"if {code} is a code for 'weet niet' or the like,"
        if label is None
        else f"the file labels {code} {label!r}:"
    )
    key = column if re.fullmatch(r"[A-Za-z0-9_-]+", column) else f'"{column}"'
    return (
        f"; {why} declare it missing for this column in the codebook: "
        f"[{table}.missing] {key} = [{code}]"
    )


#: Why a yes/no cell is refused (advice may follow).
YES_NO_REFUSAL = "must be 0, 1, true/false, ja/nee or yes/no, or missing"


def _yes_no_refusal(numbers: NDArray[np.float64], table: str, column: str, i: int) -> str:
    if numbers[i] in DONT_KNOW_CODES:
        return YES_NO_REFUSAL + missing_code_advice(f"{numbers[i]:g}", table=table, column=column)
    return YES_NO_REFUSAL


def _yes_no(rows: _Rows, values: Cells | None, column: str, n: int) -> NDArray[np.int8]:
    if values is None:
        return np.full(n, -1, dtype=np.int8)
    if isinstance(values, ArrowCells) and (values.text or values.boolean):
        quick = arrow_booleans(values.array)
        if quick is not None:  # only true/false and 1/0: nothing to flag
            return quick
    if values.numeric:
        numbers = values.numbers()
        missing = values.missing()
    else:  # words and numbers as text: each distinct value read once
        codes, distinct = values.encoded()
        read = [_yes_no_value(v) for v in distinct]
        numbers = take(np.array([r[0] for r in read], dtype=np.float64), codes, np.nan)
        missing = take(np.array([r[1] for r in read], dtype=bool), codes, True)
    bad = (~np.isnan(numbers) & (numbers != 0) & (numbers != 1)) | (np.isnan(numbers) & ~missing)
    rows.flag(bad, column, values, functools.partial(_yes_no_refusal, numbers, rows.table, column))
    return np.where(np.isnan(numbers) | bad, -1, numbers).astype(np.int8)


def attribute_column(
    rows: _Rows, values: Cells | NDArray[Any], spec: Attribute
) -> tuple[NDArray[Any], Attribute]:
    """Parse one attribute column; return its stored array and the spec with its codes.

    Categories become ``int32`` codes into the codes (-1 unknown), whole numbers and numbers
    ``float64`` (NaN unknown), booleans ``int8`` (1, 0, -1 unknown).
    """
    cells = prepare(values, spec.name)
    name = spec.name
    if spec.kind == "boolean":
        return _yes_no(rows, cells, name, cells.n), spec
    if spec.kind in ("integer", "number"):
        numbers = _numbers(rows, cells, name, whole=spec.kind == "integer", low=None, optional=True)
        return numbers, spec
    codes, distinct = cells.encoded()
    used = np.bincount(codes[codes >= 0], minlength=len(distinct)) > 0
    texts = [code_text(v) or "" for v in distinct]
    if spec.vocabulary is not None:
        allowed = [m.value for m in spec.codes]
    elif spec.codes:
        allowed = [str(c) for c in spec.codes]
    else:  # codes from the data, sorted
        allowed = sorted({t for t, u in zip(texts, used.tolist(), strict=True) if t and u})
        spec = spec.with_codes(allowed)
    found = positions(texts, allowed)  # exact, else ignoring case where unambiguous
    mapped = np.where(found >= 0, found, [-1 if not t else -2 for t in texts]).astype(np.int32)
    result = take(mapped, codes, -1).astype(np.int32)
    shown = ", ".join(repr(c) for c in allowed[:12]) + (", ..." if len(allowed) > 12 else "")
    if (result == -2).any():
        hints = [
            did_you_mean(t, allowed) if k < 0 else ""
            for t, k in zip(texts, found.tolist(), strict=True)
        ]

        def unknown(i: int) -> str:
            return f"not a code of {name!r}{hints[codes[i]]}; codes are {shown}"

        rows.flag(result == -2, name, cells, unknown)
    return np.maximum(result, -1).astype(np.int32), spec


def attribute_value(stored: Any, spec: Attribute) -> Any:
    """Return the value of a stored attribute cell (the inverse of :func:`attribute_column`)."""
    if spec.kind == "category":
        return None if stored < 0 else spec.codes[int(stored)]
    if spec.kind == "boolean":
        return None if stored < 0 else bool(stored)
    if np.isnan(stored):
        return None
    return int(stored) if spec.kind == "integer" else float(stored)


def build(
    respondents: Any,
    incidents: Any,
    organisations: Any,
    violations: Any,
    attributes: Iterable[Attribute | str] | None = None,
) -> Tables:
    """Parse and check the four tables' columns; raise MonitorDataError listing every bad row."""
    tables, flags, total = check(respondents, incidents, organisations, violations, attributes)
    if total:
        raise MonitorDataError("MonitorData.from_columns", format_flags(flags), total)
    warn_unweighted(tables.unweighted)
    return tables


#: The columns each table must have.
REQUIRED_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "respondents": ("id", "wave", "layer", "office"),
    "incidents": ("respondent_id", "wave", "form"),
    "organisations": ("id", "wave", "layer", "employees"),
    "violations": ("organisation_id", "wave", "kind"),
}


class MissingColumnsError(ValueError):
    """Required columns absent from several tables; ``problems`` names each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def check(
    respondents: Any,
    incidents: Any,
    organisations: Any,
    violations: Any,
    attributes: Iterable[Attribute | str] | None = None,
) -> tuple[Tables, list[Flag], int]:
    """Parse and check the four tables' columns; return the tables and every bad row.

    The tables are only usable when no row is bad (``total == 0``). Raises
    :class:`MonitorDataError` for unknown columns and ``ValueError`` for a required column
    that is absent or a column of the wrong shape.
    """
    declared = declare(attributes)
    respondents = _canonical("respondents", _by_name("respondents", respondents))
    incidents = _canonical("incidents", _by_name("incidents", incidents))
    organisations = _canonical("organisations", _by_name("organisations", organisations))
    violations = _by_name("violations", violations)
    absent = []
    for table, source in (
        ("respondents", respondents),
        ("incidents", incidents),
        ("organisations", organisations),
        ("violations", violations),
    ):
        names = [n for n in REQUIRED_COLUMNS[table] if source is not None and n not in source]
        if names:
            others = f" (and {', '.join(map(repr, names[1:]))})" if len(names) > 1 else ""
            absent.append(f"{table[:-1]} column {names[0]!r} is required{others}")
    if absent:  # every file's, at once
        raise MissingColumnsError(absent)
    rows = _Rows("respondents")
    ids = _column(respondents, "id")
    assert ids is not None  # the required columns are checked above, every table's at once
    n = ids.n
    _refuse_unknown(
        "respondents",
        respondents,
        known_columns("respondents", declared),
        "id, wave, layer, office, weight, stratum, cluster, fpc, fpc2, aftercare, training, "
        "incidents:<form>, channel:<code>, consequence:<code>, violation:<code>, and the "
        f"attributes {', '.join(sorted(declared))} (declare others with attributes=)",
    )
    id_codes, id_text = _ids(ids)
    rows.flag(id_codes < 0, "id", ids, "must be a non-empty id")
    wave = _numbers(
        rows,
        _column(respondents, "wave", n),
        "wave",
        whole=True,
        low=WAVE_RANGE[0],
        high=WAVE_RANGE[1],
    )
    # agencies number respondents per wave: a respondent is a (wave, id) pair
    present = np.unique(wave[_valid_waves(wave)])
    keys = _wave_keys(id_codes, wave, present)
    repeated = _repeated(keys)

    def duplicate(i: int) -> str:
        return f"duplicate id in wave {wave[i]:g} (ids are unique within a wave)"

    rows.flag(repeated, "id", ids, duplicate)
    layer_values = _column(respondents, "layer", n)
    assert layer_values is not None
    layer = _codes(rows, layer_values, "layer", LAYERS, True)
    office_values = _column(respondents, "office", n)
    assert office_values is not None
    office = _codes(rows, office_values, "office", OFFICES, True)
    ok = (layer >= 0) & (office >= 0)
    mismatch = ok & ~OFFICE_IN_LAYER[np.maximum(office, 0), np.maximum(layer, 0)]

    def where_office_is(i: int) -> str:
        member = OFFICES[office[i]]
        places = ", ".join(repr(m.value) for m in LAYERS if m in member.layers)
        return f"does not exist in layer {LAYERS[layer[i]].value!r} (only in {places})"

    rows.flag(mismatch, "office", office_values, where_office_is)
    group_values = _column(respondents, "group", n)
    if group_values is not None:  # the group follows from the office: a file's must agree
        codes, distinct = group_values.encoded()
        texts = [str(t) for t in np.asarray(distinct).astype(str)] if len(distinct) else []
        stated = take(positions(texts, [str(g.value) for g in GROUPS]), codes, -1)
        derived = OFFICE_GROUP[np.maximum(office, 0)]
        known_office = office >= 0
        advice = (
            "the library derives the group from the office; leave the column out (or list "
            "it in the codebook's ignore = [...])"
        )

        def other_group(i: int) -> str:
            if stated[i] < 0:
                return f"not a group ('medewerker', 'politiek-ambtsdrager'): {advice}"
            return (
                f"office {OFFICES[office[i]].value!r} is in group "
                f"{GROUPS[derived[i]].value!r}: {advice}"
            )

        disagree = ~group_values.missing() & known_office & (stated != derived)
        rows.flag(disagree, "group", group_values, other_group)
    weight_values = _column(respondents, "weight", n)
    weight = np.ones(n)
    unweighted: tuple[int, ...] = ()
    if weight_values is not None:
        weight = _numbers(rows, weight_values, "weight", whole=False, low=None, optional=True)
        rows.flag(
            ~(np.isfinite(weight) & (weight > 0)) & ~np.isnan(weight),
            "weight",
            weight_values,
            "must be finite and > 0",
        )
        weight, unweighted = _unweighted_waves(rows, weight_values, weight, wave)
    # a question the file does not hold is not measured: missing, never "none"
    counts_matrix = np.full((n, len(FORMS)), MISSING, dtype=np.int64)
    for k, form in enumerate(FORMS):
        values = _column(respondents, f"incidents:{form.value}", n)
        if values is not None:
            numbers = _numbers(
                rows,
                values,
                f"incidents:{form.value}",
                whole=True,
                low=0,
                high=MAX_INCIDENTS,
                optional=True,
                why_high=(
                    " incidents a year (MAX_INCIDENTS: twice a day); is it a missing-value "
                    "code? Declare it in the codebook: missing = [...]"
                ),
            )
            counts_matrix[:, k] = np.where(np.isfinite(numbers), numbers, MISSING).astype(np.int64)
    resp: dict[str, Any] = {
        "id": id_text,
        "wave": np.nan_to_num(wave, nan=0).astype(np.int64),
        "layer": layer,
        "office": office,
        "group": OFFICE_GROUP[np.maximum(office, 0)],
        "weight": weight,
        "victimisations": counts_matrix,
        "aftercare": _yes_no(rows, _column(respondents, "aftercare", n), "aftercare", n),
        "training": _yes_no(rows, _column(respondents, "training", n), "training", n),
    }
    for prefix, (target, members) in RESPONDENT_SETS.items():
        matrix = np.full((n, len(members)), MISSING, dtype=np.int8)
        for k, member in enumerate(members):
            values = _column(respondents, f"{prefix}:{member.value}", n)
            if values is not None:
                matrix[:, k] = _yes_no(rows, values, f"{prefix}:{member.value}", n)
        resp[target] = matrix
    for field in ("stratum", "cluster"):
        values = _column(respondents, field, n)
        if values is not None:
            rows.flag(values.missing(), field, values, "missing (give it for all rows or none)")
            resp[field] = values.objects()
    for field in ("fpc", "fpc2"):
        fpc_values = _column(respondents, field, n)
        if fpc_values is not None:
            fpc = _numbers(rows, fpc_values, field, whole=False, low=None, optional=True)
            rows.flag(
                fpc_values.missing(),
                field,
                fpc_values,
                "missing"
                + (
                    "; for people sampled in one stage (each their own cluster, as office "
                    "holders often are), write 1: the whole cluster is in the sample"
                    if field == "fpc2"
                    else ""
                ),
            )
            rows.flag(~np.isnan(fpc) & ~(fpc > 0), field, fpc_values, "must be > 0")
            resp[field] = fpc

    found: dict[str, Attribute] = {}
    for name, spec in declared.items():
        values = _column(respondents, name, n)
        if values is not None:
            resp[name], found[name] = attribute_column(rows, values, spec)

    inc_rows = _Rows("incidents")
    inc = _incident_columns(
        inc_rows, incidents, ids, id_codes, id_text, resp["wave"], counts_matrix
    )
    org_rows = _Rows("organisations")
    viol_rows = _Rows("violations")
    empty = empty_tables()
    orgs, viols = empty.organisations, empty.violations
    if organisations is not None:
        orgs = _organisation_columns(org_rows, organisations)
    if violations is not None:
        viols = _violation_columns(viol_rows, violations, orgs)
    supplied = supplied_tables(organisations is not None, violations is not None)
    every = (rows, inc_rows, org_rows, viol_rows)
    flags = [flag for table in every for flag in table.flags]
    total = sum(table.total for table in every)
    return Tables(resp, inc, orgs, viols, supplied, found, unweighted), flags, total


def supplied_tables(organisations: bool, violations: bool) -> frozenset[str]:
    """Names of the tables given: respondents and incidents always, the others when given."""
    tables = {"respondents", "incidents"}
    if organisations:
        tables.add("organisations")
    if violations:
        tables.add("violations")
    return frozenset(tables)


def _organisation_columns(rows: _Rows, source: Any) -> dict[str, Any]:
    _refuse_unknown(
        "organisations",
        source,
        known_columns("organisations"),
        "id, wave, layer, employees, weight, stratum, fpc, measure:<code>",
    )
    ids = _column(source, "id")
    assert ids is not None
    n = ids.n
    id_codes, id_text = _ids(ids)
    rows.flag(id_codes < 0, "id", ids, "must be a non-empty id")
    wave = _numbers(
        rows, _column(source, "wave", n), "wave", whole=True, low=WAVE_RANGE[0], high=WAVE_RANGE[1]
    )
    rows.flag(_repeated_in_wave(id_codes, id_text, wave), "id", ids, "used twice in one wave")
    layer_values = _column(source, "layer", n)
    assert layer_values is not None
    employees = _numbers(
        rows, _column(source, "employees", n), "employees", whole=True, low=1, high=MAX_EMPLOYEES
    )
    weight_values = _column(source, "weight", n)
    weight = np.ones(n)
    if weight_values is not None:
        weight = _numbers(rows, weight_values, "weight", whole=False, low=None)
        rows.flag(~np.isnan(weight) & ~(weight > 0), "weight", weight_values, "must be > 0")
    measures = np.full((n, len(MEASURES)), MISSING, dtype=np.int8)
    for k, member in enumerate(MEASURES):
        values = _column(source, f"measure:{member.value}", n)
        if values is not None:
            measures[:, k] = _yes_no(rows, values, f"measure:{member.value}", n)
    result: dict[str, Any] = {
        "id": id_text,
        "wave": np.nan_to_num(wave, nan=0).astype(np.int64),
        "layer": _codes(rows, layer_values, "layer", LAYERS, True),
        "employees": np.nan_to_num(employees, nan=1).astype(np.int64),
        "measures": measures,
        "weight": weight,
    }
    stratum = _column(source, "stratum", n)
    if stratum is not None:
        rows.flag(stratum.missing(), "stratum", stratum, "missing (give it for all or none)")
        result["stratum"] = stratum.objects()
    fpc_values = _column(source, "fpc", n)
    if fpc_values is not None:
        fpc = _numbers(rows, fpc_values, "fpc", whole=False, low=None)
        rows.flag(~np.isnan(fpc) & ~(fpc > 0), "fpc", fpc_values, "must be > 0")
        result["fpc"] = fpc
    return result


def _violation_columns(rows: _Rows, source: Any, orgs: Mapping[str, Any]) -> dict[str, Any]:
    _refuse_unknown(
        "violations",
        source,
        known_columns("violations"),
        "organisation_id, wave, kind, status",
    )
    owner = _column(source, "organisation_id")
    assert owner is not None
    m = owner.n
    wave = _numbers(
        rows, _column(source, "wave", m), "wave", whole=True, low=WAVE_RANGE[0], high=WAVE_RANGE[1]
    )
    position = {
        (str(i), int(w)): k
        for k, (i, w) in enumerate(zip(orgs["id"].tolist(), orgs["wave"].tolist(), strict=True))
    }
    codes, texts = distinct_map(owner, lambda v: _id_text(v) or "")
    owners = take(texts, codes, "").tolist()
    waves = np.where(np.isnan(wave), -1, wave).astype(np.int64).tolist()
    index = np.fromiter(
        (position.get(key, -1) for key in zip(owners, waves, strict=True)), np.intp, m
    )
    rows.flag(index < 0, "organisation_id", owner, "no organisation has this id in this wave")
    kind_values = _column(source, "kind", m)
    assert kind_values is not None
    status_values = _column(source, "status", m)
    status = (
        np.full(m, CONFIRMED, dtype=np.int8)
        if status_values is None
        else _codes(rows, status_values, "status", STATUSES, True)
    )
    return {
        "organisation": np.maximum(index, 0),
        "wave": np.nan_to_num(wave, nan=0).astype(np.int64),
        "kind": _codes(rows, kind_values, "kind", VIOLATIONS, True),
        "status": status,
    }


def _id_text(value: Any) -> str | None:
    if value is None or isinstance(value, bool | np.bool_) or missing_scalar(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value.item() if isinstance(value, np.generic) else value).strip()
    return text or None


def _ids(cells: Cells) -> tuple[NDArray[np.intp], NDArray[Any]]:
    """Codes of the ids' texts (``-1``: no id) and the text of every row (None: no id)."""
    if isinstance(cells, ArrowCells) and cells.clean:  # stripped text, distinct values once
        codes, texts = cells.encoded()
    else:
        codes, per = distinct_map(cells, _id_text)
        codes, merged = refactorize(codes, per.tolist())
        texts = np.empty(len(merged), dtype=object)
        texts[:] = merged
    return codes, take(texts, codes, None)


def _repeated(keys: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Rows whose key (not ``-1``) appears on another row too."""
    known = keys >= 0
    result = np.zeros(keys.shape[0], dtype=bool)
    if not known.any():
        return result
    if int(keys.max()) <= 8 * keys.shape[0] + 64:  # keys of a few waves: count them densely
        counts = np.bincount(keys[known])
        result[known] = counts[keys[known]] > 1
        return result
    _, inverse, counts = np.unique(keys[known], return_inverse=True, return_counts=True)
    result[known] = counts[inverse.reshape(-1)] > 1
    return result


def _valid_waves(wave: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Waves that are whole numbers of ``WAVE_RANGE`` (others are flagged by the wave check)."""
    finite = np.where(np.isnan(wave), 0.0, wave)
    return np.asarray(
        ~np.isnan(wave)
        & (finite >= WAVE_RANGE[0])
        & (finite <= WAVE_RANGE[1])
        & (finite == np.floor(finite))
    )


def _wave_keys(
    codes: NDArray[np.intp], wave: NDArray[np.float64], present: NDArray[np.float64]
) -> NDArray[np.int64]:
    """One number per (id, wave) pair (``-1`` without an id or a wave among ``present``).

    ``codes`` number the ids and ``present`` are the respondents' distinct waves (sorted),
    so that respondents numbered afresh in each wave are told apart and the keys stay
    small: fewer than the ids times the waves.
    """
    if present.size == 0:
        return np.full(codes.shape[0], -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(present, wave), present.size - 1)
    valid = (codes >= 0) & _valid_waves(wave) & (present[at] == wave)
    return np.where(valid, codes.astype(np.int64) * present.size + at, -1)


def _rows_of_keys(keys: NDArray[np.int64], wanted: NDArray[np.int64]) -> NDArray[np.intp]:
    """Row of each ``wanted`` key among ``keys`` (-1: none; of a repeated key, one of its rows)."""
    known = keys >= 0
    if not known.any():
        return np.full(wanted.shape[0], -1, dtype=np.intp)
    span = int(max(keys.max(), wanted.max(initial=-1))) + 1
    if span <= 8 * (keys.shape[0] + wanted.shape[0]) + 64:  # a table of every key
        table = np.full(span, -1, dtype=np.intp)
        table[keys[known]] = np.flatnonzero(known)
        return np.where(wanted >= 0, table[np.maximum(wanted, 0)], -1).astype(np.intp)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    at = np.maximum(np.searchsorted(ordered, wanted, side="right") - 1, 0)
    found = (wanted >= 0) & (ordered[at] == wanted)
    return np.where(found, order[at], -1).astype(np.intp)


def _repeated_in_wave(
    codes: NDArray[np.intp], texts: NDArray[Any], wave: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Rows whose (id, wave) appears on another row too; a missing id is the text "None"."""
    if codes.size == 0:
        return np.zeros(0, dtype=bool)
    missing = codes < 0
    if missing.any():  # as f"{None}@{wave}": equal to the id "None" in the same wave
        named = np.flatnonzero(texts == "None")
        codes = codes.copy()
        codes[missing] = codes[named[0]] if named.size else codes.max() + 1
    _, waves = np.unique(wave, return_inverse=True)
    pairs = codes.astype(np.int64) * (int(waves.max()) + 1) + waves.reshape(-1)
    _, inverse, counts = np.unique(pairs, return_inverse=True, return_counts=True)
    return np.asarray(counts[inverse.reshape(-1)] > 1, dtype=bool)


def _owners(
    owner: Cells, id_cells: Cells | None, id_codes: NDArray[np.intp], ids: NDArray[Any]
) -> NDArray[np.intp]:
    """Return the code of each owner's id among the respondents' ``id_codes`` (-1: none)."""
    arrow = isinstance(owner, ArrowCells) and isinstance(id_cells, ArrowCells)
    if arrow and owner.clean and id_cells is not None and id_cells.clean:
        import pyarrow.compute as pc  # both Arrow text: look each distinct owner up in Arrow

        assert isinstance(owner, ArrowCells)
        assert isinstance(id_cells, ArrowCells)
        owner_codes, _ = owner.codes()
        found = pc.index_in(owner.dictionary(), value_set=id_cells.dictionary())
        per = np.asarray(found.fill_null(-1).to_numpy(), dtype=np.intp)
        return take(per, owner_codes, -1).astype(np.intp)
    position = dict(zip(ids.tolist(), id_codes.tolist(), strict=True))
    position.pop(None, None)
    if isinstance(owner, ArrowCells) and owner.clean:
        codes, per = distinct_map(owner, lambda v: position.get(v, -1), np.intp)
    else:
        codes, per = distinct_map(owner, lambda v: position.get(_id_text(v) or "", -1), np.intp)
    return take(per, codes, -1).astype(np.intp)


def _by_name(table: str, source: Any) -> Any:
    """Return a polars DataFrame or an Arrow table as a mapping of its columns by name.

    Iterating over either does not give the column names (a polars frame yields its columns,
    an Arrow table cannot be iterated), so each is read through its own accessor; a pandas
    DataFrame or a mapping is returned as it is.
    """
    if source is None or isinstance(source, Mapping):
        return source
    library = frame_library(source)
    if library == POLARS:
        return {str(name): source.get_column(name) for name in source.columns}
    kind = type(source)
    module = kind.__module__.split(".", 1)[0]
    if module == "pyarrow" and kind.__name__ in ("Table", "RecordBatch"):
        return {str(name): source.column(name) for name in source.column_names}
    if module == POLARS and kind.__name__ == "LazyFrame":
        raise TypeError(f"{table!r} is a polars LazyFrame; collect it first ({table}.collect())")
    return source


def _canonical(table: str, source: Any) -> Any:
    """Read SPSS-safe column names as the library's (see :func:`canonical_names`).

    A table with both spellings of a column is refused.
    """
    if source is None:
        return None
    renames, problems = canonical_names(table, list(source))
    if problems:
        raise MonitorDataError("MonitorData.from_columns", problems)
    if not renames:
        return source
    return {renames.get(str(name), name): source[name] for name in source}


def _refuse_unknown(table: str, columns: Iterable[Any], known: Iterable[str], listed: str) -> None:
    """Raise one :class:`MonitorDataError` naming every unknown column and its closest match."""
    names = sorted(known)
    problems = []
    for column in columns:
        if column in names:
            continue
        close = difflib.get_close_matches(str(column), names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(
            f"{table} column {shown(str(column))}: unknown {table[:-1]} column{hint}; "
            f"known columns are {listed}. To pass over it, list it in the codebook's "
            "ignore = [...] or read with ignore_unknown=True"
        )
    if problems:
        raise MonitorDataError("MonitorData.from_columns", problems)


#: An id that is a whole number, perhaps with leading zeros or a decimal point: "007", "7.0".
_NUMBERED_ID = re.compile(r"0*(\d+)(?:\.0*)?")


def _unknown_owner(owner: Cells, ids: NDArray[Any]) -> Callable[[int], str]:
    """Say that no respondent has an incident's id; name one with the same number if any.

    Ids are text (``"007"`` stays ``"007"``), so ``"007"`` in one file and ``7`` in another
    (a number column of Parquet or SPSS, or a spreadsheet that dropped the zeros) are two ids.
    """

    @functools.cache
    def numbered() -> dict[str, str]:  # made once, when there is a problem to describe
        found: dict[str, str] = {}
        for text in dict.fromkeys(ids.tolist()):  # each distinct id once
            match = _NUMBERED_ID.fullmatch(text) if isinstance(text, str) else None
            if match is not None:
                found.setdefault(match[1], text)
        return found

    def reason(i: int) -> str:
        text = _id_text(owner.value(i)) or ""
        match = _NUMBERED_ID.fullmatch(text)
        other = numbered().get(match[1]) if match is not None else None
        if other is None:
            return "no respondent has this id"
        return (
            f"no respondent has this id, but respondent {other!r} has the same number; ids "
            f"are compared as text ({text!r} and {other!r} are two ids): write them alike in "
            "both files (with or without leading zeros, as text or as whole numbers)"
        )

    return reason


def _in_other_waves(
    owner: Cells, owner_codes: NDArray[np.intp], id_codes: NDArray[np.intp], waves: NDArray[Any]
) -> Callable[[int], str]:
    """Say, of an incident whose respondent id is known in other waves only, which waves."""
    order = np.argsort(id_codes, kind="stable")  # the rows of each id, found by bisection
    ordered = id_codes[order]

    def reason(i: int) -> str:
        low, high = np.searchsorted(ordered, [owner_codes[i], owner_codes[i] + 1])
        found = np.unique(waves[order[low:high]]).tolist()
        named = ("wave " if len(found) == 1 else "waves ") + ", ".join(str(w) for w in found)
        return (
            f"no respondent {shown(owner.value(i))} in this wave (that id is in {named}); "
            "an incident belongs to the respondent of its id in its own wave"
        )

    return reason


def _flag_contradictions(
    rows: _Rows,
    form_values: Cells,
    form: NDArray[np.int8],
    index: NDArray[np.intp],
    counts: NDArray[np.int64],
    ids: NDArray[Any],
    waves: NDArray[Any],
) -> None:
    """Flag incidents of a form their respondent answered 0 incidents of."""
    mask = contradictions(index, form, counts)

    def reason(i: int) -> str:
        code = FORMS[form[i]].value
        return (
            f"respondent {shown(ids[index[i]])} of wave {waves[index[i]]} answered 0 "
            f"incidents of this form (incidents:{code}); correct the count in the respondents' "
            "file, or remove this incident record"
        )

    rows.flag(mask, "form", form_values, reason)


def contradictions(
    owner: NDArray[np.intp], form: NDArray[np.int8], counts: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Incidents whose respondent (``owner``, -1 none) answered 0 incidents of their form."""
    known = (owner >= 0) & (form >= 0)
    count = np.full(owner.shape[0], -1, dtype=np.int64)
    count[known] = counts[owner[known], form[known]]
    return np.asarray(count == 0)


def _incident_columns(
    rows: _Rows,
    incidents: Any,
    id_cells: Cells | None,
    id_codes: NDArray[np.intp],
    ids: NDArray[Any],
    waves: NDArray[np.int64],
    counts: NDArray[np.int64] | None = None,
) -> dict[str, Any]:
    if incidents is None:
        return {
            "respondent": np.zeros(0, dtype=np.intp),
            "wave": np.zeros(0, dtype=np.int64),
            "form": np.zeros(0, dtype=np.int8),
            "channel": np.zeros(0, dtype=np.int8),
            "reported_internally": np.zeros(0, dtype=np.int8),
            "police_report": np.zeros(0, dtype=np.int8),
            "registered": np.zeros(0, dtype=np.int8),
            "severity": np.zeros(0, dtype=np.int8),
            "aftercare": np.zeros(0, dtype=np.int8),
            "consequences": np.zeros((0, len(CONSEQUENCES)), dtype=np.int8),
        }
    owner = _column(incidents, "respondent_id")
    assert owner is not None  # required: checked with every table's (see check)
    _refuse_unknown(
        "incidents",
        incidents,
        known_columns("incidents"),
        "respondent_id, wave, form, channel, reported_internally, police_report, registered, "
        "severity, aftercare, consequence:<code>",
    )
    m = owner.n
    owner_codes = _owners(owner, id_cells, id_codes, ids)
    rows.flag(owner_codes < 0, "respondent_id", owner, _unknown_owner(owner, ids))
    wave_values = _column(incidents, "wave", m)
    assert wave_values is not None
    wave = _numbers(rows, wave_values, "wave", whole=True, low=WAVE_RANGE[0], high=WAVE_RANGE[1])
    # an incident belongs to the respondent of its id in its wave (ids are per wave)
    respondent_waves = waves.astype(np.float64)
    present = np.unique(respondent_waves[_valid_waves(respondent_waves)])
    keys = _wave_keys(id_codes, respondent_waves, present)
    index = _rows_of_keys(keys, _wave_keys(owner_codes, wave, present))
    linked = index >= 0
    # an id whose respondent has a refused wave (a date, text) is in no wave: that row's
    # problem is reported, and its incidents are not said to be "in wave 0" as well
    unwaved = np.zeros(int(id_codes.max(initial=-1)) + 2, dtype=bool)
    unwaved[id_codes[~_valid_waves(respondent_waves) & (id_codes >= 0)]] = True
    elsewhere = (owner_codes >= 0) & _valid_waves(wave) & ~linked & ~unwaved[owner_codes]
    if elsewhere.any():
        rows.flag(
            elsewhere, "wave", wave_values, _in_other_waves(owner, owner_codes, id_codes, waves)
        )
    form_values = _column(incidents, "form", m)
    assert form_values is not None
    form = _codes(rows, form_values, "form", FORMS, True)
    if counts is not None:
        _flag_contradictions(rows, form_values, form, index, counts, ids, waves)
    channel_values = _column(incidents, "channel", m)
    severity_values = _column(incidents, "severity", m)
    severity = (
        np.zeros(m)
        if severity_values is None
        else _numbers(rows, severity_values, "severity", whole=True, low=1, high=5, optional=True)
    )
    consequences = np.full((m, len(CONSEQUENCES)), MISSING, dtype=np.int8)
    for k, member in enumerate(CONSEQUENCES):
        values = _column(incidents, f"consequence:{member.value}", m)
        if values is not None:
            consequences[:, k] = _yes_no(rows, values, f"consequence:{member.value}", m)
    return {
        "respondent": np.maximum(index, 0),
        "wave": np.nan_to_num(wave, nan=0).astype(np.int64),
        "form": form,
        "channel": (
            np.full(m, -1, dtype=np.int8)
            if channel_values is None
            else _codes(rows, channel_values, "channel", CHANNELS, False)
        ),
        "reported_internally": _yes_no(
            rows, _column(incidents, "reported_internally", m), "reported_internally", m
        ),
        "police_report": _yes_no(rows, _column(incidents, "police_report", m), "police_report", m),
        "registered": _yes_no(rows, _column(incidents, "registered", m), "registered", m),
        "severity": np.nan_to_num(severity, nan=0).astype(np.int8),
        "aftercare": _yes_no(rows, _column(incidents, "aftercare", m), "aftercare", m),
        "consequences": consequences,
    }
