"""Parsing and checking the columns of the four tables, every bad row reported at once.

:func:`build` turns columns (a mapping of arrays or a data frame per table) into the arrays
:class:`~vpt_monitor.MonitorData` holds, checking every cell with vectorised masks and
formatting only the bad rows. Problems read ``"{table} row {i}: {column}={value}: {reason}"``
(``i`` is the 0-based row) or ``"{table} column '{name}': ..."``; the readers of
:mod:`vpt_monitor.io` turn rows into file lines by these shapes.
"""

from __future__ import annotations

import difflib
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
    LAYERS,
    MEASURES,
    OFFICE_GROUP,
    OFFICE_IN_LAYER,
    OFFICES,
    RESPONDENT_SETS,
    STATUSES,
    VIOLATIONS,
)
from vpt_monitor.attributes import Attribute, code_text, declare
from vpt_monitor.data.errors import MonitorDataError
from vpt_monitor.records import WAVE_RANGE
from vpt_monitor.stats._labels import show

__all__ = ["MAX_EMPLOYEES", "MAX_INCIDENTS", "RESPONDENT_COLUMNS", "Tables", "build"]

#: Largest number of incidents of one form that one respondent can report for a year: a count
#: above it is refused as a data error (a code such as 99999 for "unknown", or a corrupt cell).
MAX_INCIDENTS = 100_000
#: Largest number of employees of one organisation (the whole Rijk has about 130,000).
MAX_EMPLOYEES = 1_000_000
#: Longest value shown in a problem; longer values are cut with "...".
SHOWN_LENGTH = 60

#: Respondent columns other than the per-member ones (``incidents:<form>``, ``channel:<code>``,
#: ``consequence:<code>``, ``violation:<code>``).
RESPONDENT_COLUMNS = (
    "id",
    "wave",
    "layer",
    "office",
    "group",
    "weight",
    "stratum",
    "cluster",
    "fpc",
    "fpc2",
    "victimisations",
    "channels",
    "consequences",
    "perceived_violations",
    "aftercare",
    "training",
)


class Tables(NamedTuple):
    """The columns of the four tables, the names of the tables given, and the attributes."""

    respondents: dict[str, Any]
    incidents: dict[str, Any]
    organisations: dict[str, Any]
    violations: dict[str, Any]
    supplied: frozenset[str]
    attributes: dict[str, Attribute] = {}  # noqa: RUF012 - a NamedTuple default, never mutated


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
            _Rows("incidents"), None, np.zeros(0, dtype=object), np.zeros(0, np.int64)
        ),
        orgs,
        viols,
        frozenset({"respondents", "incidents"}),
    )


class _Rows:
    """Collects row problems for one table, so that all of them can be reported."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.problems: list[str] = []
        self.total = 0

    def flag(
        self,
        bad: NDArray[np.bool_],
        column: str,
        values: NDArray[Any],
        reason: str | Callable[[int], str],
    ) -> None:
        """Record a problem for every row in ``bad``; ``reason`` may depend on the row."""
        rows = np.flatnonzero(bad)
        self.total += rows.size
        for i in rows:
            value = values[i]
            shown = "(empty)" if value is None or _missing_scalar(value) else show(value)
            if len(shown) > SHOWN_LENGTH:
                shown = shown[: SHOWN_LENGTH - 3] + "..."
            why = reason(int(i)) if callable(reason) else reason
            self.problems.append(f"{self.table} row {int(i)}: {column}={shown}: {why}")


def _column(source: Any, name: str, n: int | None = None) -> NDArray[Any] | None:
    if name not in source:
        return None
    values = np.asarray(source[name])
    if values.ndim != 1:
        raise ValueError(f"column {name!r} must be one-dimensional; got shape {values.shape}")
    if n is not None and values.shape[0] != n:
        raise ValueError(f"column {name!r} has {values.shape[0]} values, expected {n}")
    return values


def _missing(values: NDArray[Any]) -> NDArray[np.bool_]:
    if values.dtype.kind == "f":
        return np.asarray(np.isnan(values), dtype=bool)
    if values.dtype.kind == "O":
        return np.fromiter(
            (v is None or _missing_scalar(v) for v in values), dtype=bool, count=values.shape[0]
        )
    return np.zeros(values.shape, dtype=bool)


def _codes(
    rows: _Rows, values: NDArray[Any], column: str, members: tuple[StrEnum, ...], required: bool
) -> NDArray[np.int8]:
    """Codes into ``members`` (-1 missing, -2 unknown), looked up once per distinct value."""
    missing = _missing(values)
    text = np.where(missing, "", values.astype(str))
    distinct, inverse = np.unique(text, return_inverse=True)
    lookup = {m.value: k for k, m in enumerate(members)}
    mapped = np.array([lookup.get(str(v), -2) for v in distinct], dtype=np.int8)
    codes = np.where(missing, -1, mapped[inverse]).astype(np.int8)
    valid = ", ".join(repr(m.value) for m in members)
    rows.flag(codes == -2, column, values, f"not a valid code; valid codes are {valid}")
    if required:
        rows.flag(codes == -1, column, values, "missing")
    return codes


def _as_numbers(values: NDArray[Any]) -> NDArray[np.float64]:
    if values.dtype.kind in "biuf":
        return values.astype(np.float64)
    return np.fromiter((_to_float(v) for v in values), dtype=np.float64, count=values.shape[0])


def _numbers(
    rows: _Rows,
    values: NDArray[Any] | None,
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
    numbers = _as_numbers(values)
    missing = _missing(values)
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


def _to_float(value: Any) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


#: Words accepted for yes and no (any case): Dutch, English, and Dutch Excel's WAAR/ONWAAR.
_YES_NO_WORDS = {
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


def _yes_no(rows: _Rows, values: NDArray[Any] | None, column: str, n: int) -> NDArray[np.int8]:
    if values is None:
        return np.full(n, -1, dtype=np.int8)
    converted = values
    if values.dtype.kind in "OUS":
        converted = np.array(
            [
                (None if not v.strip() else _YES_NO_WORDS.get(v.strip().lower(), v))
                if isinstance(v, str)
                else v
                for v in values
            ],
            dtype=object,
        )
    numbers = _as_numbers(converted)
    missing = _missing(converted)
    bad = (~np.isnan(numbers) & (numbers != 0) & (numbers != 1)) | (np.isnan(numbers) & ~missing)
    rows.flag(bad, column, values, "must be 0, 1, true/false, ja/nee or yes/no, or missing")
    return np.where(np.isnan(numbers) | bad, -1, numbers).astype(np.int8)


def attribute_column(
    rows: _Rows, values: NDArray[Any], spec: Attribute
) -> tuple[NDArray[Any], Attribute]:
    """Parse one attribute column; return its stored array and the spec with its codes.

    Categories become ``int32`` codes into the codes (-1 unknown), whole numbers and numbers
    ``float64`` (NaN unknown), booleans ``int8`` (1, 0, -1 unknown).
    """
    name = spec.name
    if spec.kind == "boolean":
        return _yes_no(rows, values, name, values.shape[0]), spec
    if spec.kind in ("integer", "number"):
        numbers = _numbers(
            rows, values, name, whole=spec.kind == "integer", low=None, optional=True
        )
        return numbers, spec
    missing = _missing(values)
    distinct, inverse = np.unique(
        np.array([code_text(v) or "" for v in values], dtype=object), return_inverse=True
    )
    texts = [str(t) for t in distinct]
    if spec.vocabulary is not None:
        allowed = [m.value for m in spec.codes]
    elif spec.codes:
        allowed = [str(c) for c in spec.codes]
    else:  # codes from the data, sorted
        allowed = sorted(t for t in texts if t)
        spec = spec.with_codes(allowed)
    where = {code: k for k, code in enumerate(allowed)}
    mapped = np.array([where.get(t, -1 if not t else -2) for t in texts], dtype=np.int32)
    codes = np.where(missing, -1, mapped[inverse]).astype(np.int32)
    shown = ", ".join(repr(c) for c in allowed[:12]) + (", ..." if len(allowed) > 12 else "")
    rows.flag(codes == -2, name, values, f"not a code of {name!r}; codes are {shown}")
    return np.maximum(codes, -1).astype(np.int32), spec


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
    declared = declare(attributes)
    rows = _Rows("respondents")
    ids = _column(respondents, "id")
    if ids is None:
        raise ValueError("respondent column 'id' is required")
    n = ids.shape[0]
    for required in ("wave", "layer", "office"):
        if required not in respondents:
            raise ValueError(f"respondent column {required!r} is required")
    known = (
        set(RESPONDENT_COLUMNS)
        | {f"incidents:{f.value}" for f in FORMS}
        | {
            f"{prefix}:{m.value}"
            for prefix, (_, members) in RESPONDENT_SETS.items()
            for m in members
        }
    )
    _refuse_unknown(
        "respondents",
        respondents,
        known | set(declared),
        "id, wave, layer, office, weight, stratum, cluster, fpc, fpc2, aftercare, training, "
        "incidents:<form>, channel:<code>, consequence:<code>, violation:<code>, and the "
        f"attributes {', '.join(sorted(declared))} (declare others with attributes=)",
    )
    id_text = np.array([_id_text(v) for v in ids], dtype=object)
    rows.flag(np.array([t is None for t in id_text]), "id", ids, "must be a non-empty id")
    text = [t for t in id_text if t is not None]
    unique, counts = (
        np.unique(np.array(text, dtype=object), return_counts=True)
        if text
        else (np.array([]), np.array([]))
    )
    duplicated = set(unique[counts > 1].tolist())
    rows.flag(np.array([t in duplicated for t in id_text]), "id", ids, "duplicate id")

    wave = _numbers(
        rows,
        _column(respondents, "wave", n),
        "wave",
        whole=True,
        low=WAVE_RANGE[0],
        high=WAVE_RANGE[1],
    )
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
    weight_values = _column(respondents, "weight", n)
    weight = (
        np.ones(n)
        if weight_values is None
        else _numbers(rows, weight_values, "weight", whole=False, low=None)
    )
    if weight_values is not None:
        rows.flag(
            ~(np.isfinite(weight) & (weight > 0)) & ~np.isnan(weight),
            "weight",
            weight_values,
            "must be finite and > 0",
        )
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
                why_high=" incidents a year (MAX_INCIDENTS); is it a missing-value code?",
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
            rows.flag(_missing(values), field, values, "missing (give it for all rows or none)")
            resp[field] = np.array(values, dtype=object)
    for field in ("fpc", "fpc2"):
        fpc_values = _column(respondents, field, n)
        if fpc_values is not None:
            fpc = _numbers(rows, fpc_values, field, whole=False, low=None)
            rows.flag(~np.isnan(fpc) & ~(fpc > 0), field, fpc_values, "must be > 0")
            resp[field] = fpc

    found: dict[str, Attribute] = {}
    for name, spec in declared.items():
        values = _column(respondents, name, n)
        if values is not None:
            resp[name], found[name] = attribute_column(rows, values, spec)

    problems, total = rows.problems, rows.total
    inc_rows = _Rows("incidents")
    inc = _incident_columns(inc_rows, incidents, id_text, resp["wave"])
    problems += inc_rows.problems
    total += inc_rows.total
    org_rows = _Rows("organisations")
    viol_rows = _Rows("violations")
    empty = empty_tables()
    orgs, viols = empty.organisations, empty.violations
    if organisations is not None:
        orgs = _organisation_columns(org_rows, organisations)
    if violations is not None:
        viols = _violation_columns(viol_rows, violations, orgs)
    supplied = supplied_tables(organisations is not None, violations is not None)
    for extra in (org_rows, viol_rows):
        problems += extra.problems
        total += extra.total
    if total:
        raise MonitorDataError("MonitorData.from_columns", problems, total)
    return Tables(resp, inc, orgs, viols, supplied, found)


def supplied_tables(organisations: bool, violations: bool) -> frozenset[str]:
    """Names of the tables given: respondents and incidents always, the others when given."""
    tables = {"respondents", "incidents"}
    if organisations:
        tables.add("organisations")
    if violations:
        tables.add("violations")
    return frozenset(tables)


def _organisation_columns(rows: _Rows, source: Any) -> dict[str, Any]:
    for required in ("id", "wave", "layer", "employees"):
        if required not in source:
            raise ValueError(f"organisation column {required!r} is required")
    measure_columns = {f"measure:{m.value}" for m in MEASURES}
    known = {"id", "wave", "layer", "employees", "weight", "stratum", "fpc"} | measure_columns
    _refuse_unknown(
        "organisations",
        source,
        known,
        "id, wave, layer, employees, weight, stratum, fpc, measure:<code>",
    )
    ids = _column(source, "id")
    assert ids is not None
    n = ids.shape[0]
    id_text = np.array([_id_text(v) for v in ids], dtype=object)
    rows.flag(
        np.array([t is None for t in id_text], dtype=bool), "id", ids, "must be a non-empty id"
    )
    wave = _numbers(
        rows, _column(source, "wave", n), "wave", whole=True, low=WAVE_RANGE[0], high=WAVE_RANGE[1]
    )
    keys = np.array([f"{t}@{w}" for t, w in zip(id_text, wave, strict=True)], dtype=object)
    distinct, counts = np.unique(keys, return_counts=True)
    repeated = set(distinct[counts > 1].tolist())
    rows.flag(
        np.array([k in repeated for k in keys], dtype=bool), "id", ids, "used twice in one wave"
    )
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
        rows.flag(_missing(stratum), "stratum", stratum, "missing (give it for all or none)")
        result["stratum"] = np.array(stratum, dtype=object)
    fpc_values = _column(source, "fpc", n)
    if fpc_values is not None:
        fpc = _numbers(rows, fpc_values, "fpc", whole=False, low=None)
        rows.flag(~np.isnan(fpc) & ~(fpc > 0), "fpc", fpc_values, "must be > 0")
        result["fpc"] = fpc
    return result


def _violation_columns(rows: _Rows, source: Any, orgs: Mapping[str, Any]) -> dict[str, Any]:
    for required in ("organisation_id", "wave", "kind"):
        if required not in source:
            raise ValueError(f"violation column {required!r} is required")
    _refuse_unknown(
        "violations",
        source,
        {"organisation_id", "wave", "kind", "status"},
        "organisation_id, wave, kind, status",
    )
    owner = _column(source, "organisation_id")
    assert owner is not None
    m = owner.shape[0]
    wave = _numbers(
        rows, _column(source, "wave", m), "wave", whole=True, low=WAVE_RANGE[0], high=WAVE_RANGE[1]
    )
    position = {
        (str(i), int(w)): k for k, (i, w) in enumerate(zip(orgs["id"], orgs["wave"], strict=True))
    }
    index = np.array(
        [
            position.get((_id_text(o) or "", int(w) if w == w else -1), -1)
            for o, w in zip(owner, wave, strict=True)
        ],
        dtype=np.intp,
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
    if value is None or isinstance(value, bool | np.bool_) or _missing_scalar(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value.item() if isinstance(value, np.generic) else value).strip()
    return text or None


def _missing_scalar(value: Any) -> bool:
    """Whether a scalar is a missing value: NaN, or pandas' NA or NaT (without importing pandas)."""
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    kind = type(value)
    return kind.__module__.startswith("pandas") and kind.__name__ in ("NAType", "NaTType")


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
            f"{table} column {str(column)!r}: unknown {table[:-1]} column{hint}; "
            f"known columns are {listed}"
        )
    if problems:
        raise MonitorDataError("MonitorData.from_columns", problems)


def _incident_columns(
    rows: _Rows, incidents: Any, ids: NDArray[Any], waves: NDArray[np.int64]
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
    if owner is None:
        raise ValueError("incident column 'respondent_id' is required")
    _refuse_unknown(
        "incidents",
        incidents,
        {
            "respondent_id",
            "wave",
            "form",
            "channel",
            "reported_internally",
            "police_report",
            "registered",
            "severity",
            "aftercare",
        }
        | {f"consequence:{member.value}" for member in CONSEQUENCES},
        "respondent_id, wave, form, channel, reported_internally, police_report, registered, "
        "severity, aftercare, consequence:<code>",
    )
    m = owner.shape[0]
    position = {text: i for i, text in enumerate(ids) if text is not None}
    index = np.array([position.get(_id_text(v) or "", -1) for v in owner], dtype=np.intp)
    rows.flag(index < 0, "respondent_id", owner, "no respondent has this id")
    wave_values = _column(incidents, "wave", m)
    if wave_values is None:
        raise ValueError("incident column 'wave' is required")
    wave = _numbers(rows, wave_values, "wave", whole=True, low=WAVE_RANGE[0], high=WAVE_RANGE[1])
    linked = index >= 0
    respondent_wave = np.full(m, -1, dtype=np.int64)
    respondent_wave[linked] = waves[index[linked]]
    rows.flag(
        linked & ~np.isnan(wave) & (wave != respondent_wave),
        "wave",
        wave_values,
        "differs from the respondent's wave",
    )
    form_values = _column(incidents, "form", m)
    if form_values is None:
        raise ValueError("incident column 'form' is required")
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
        "form": _codes(rows, form_values, "form", FORMS, True),
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
