"""Records from columns in bulk: :meth:`MonitorData.to_records` for a million respondents.

Making a record through its constructor converts and checks every field (about 100 µs a
respondent). The columns of :class:`~vpt_monitor.MonitorData` hold values of few kinds, so
here every distinct value of a field - a row of counts, a set of channels, a combination of
attributes - is converted and checked once by the record's own converter and validator, the
plain fields (identifiers, waves, weights) are checked as whole arrays, and the records are
then filled in without their constructor. The records are equal to those the constructor
makes. When any check fails, :func:`records` returns None and the caller builds the records
one by one, which raises the record's own error.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor._answers import from_yes_no
from vpt_monitor._codes import (
    CHANNELS,
    CONSEQUENCES,
    FORMS,
    LAYERS,
    MEASURES,
    OFFICE_IN_LAYER,
    OFFICES,
    STATUSES,
    VIOLATIONS,
)
from vpt_monitor._frozen import FrozenMap
from vpt_monitor.attributes import Attribute
from vpt_monitor.data.cells import ArrayCells, prepare
from vpt_monitor.data.columns import attribute_value
from vpt_monitor.records import (
    MAX_INCIDENTS,
    WAVE_RANGE,
    Incident,
    Organisation,
    Respondent,
    Violation,
)

__all__ = ["records"]


class _RefusedError(Exception):
    """A value that the record would refuse: build the records one by one instead."""


def records(
    respondents: Mapping[str, NDArray[Any]],
    incidents: Mapping[str, NDArray[Any]],
    organisations: Mapping[str, NDArray[Any]],
    violations: Mapping[str, NDArray[Any]],
    attributes: Mapping[str, Attribute],
) -> tuple[list[Any], list[Any], list[Any], list[Any]] | None:
    """Return the records of the columns, or None when some value would be refused."""
    # a million new objects would set off the cycle collector again and again, each time
    # walking every object made so far; records hold no cycles, so it waits until the end
    enabled = gc.isenabled()
    gc.disable()
    try:
        people = _respondents(respondents, attributes)
        ids = respondents["id"]
        events = _incidents(incidents, ids)
        orgs = _organisations(organisations)
        viols = _violations(violations, organisations["id"])
    except _RefusedError:
        return None
    finally:
        if enabled:
            gc.enable()
    return people, events, orgs, viols


# ---- making records without their constructor --------------------------------------------


def _maker(kind: type) -> Callable[..., Any]:
    """Return a function of the fields (in order) that fills in a new record of ``kind``."""
    fields = [field.name for field in attrs.fields(kind)]
    setters = {f"set_{k}": kind.__dict__[name].__set__ for k, name in enumerate(fields)}
    arguments = ", ".join(f"v{k}" for k in range(len(fields)))
    body = "".join(f"    set_{k}(record, v{k})\n" for k in range(len(fields)))
    source = f"def make({arguments}):\n    record = new(kind)\n{body}    return record\n"
    namespace: dict[str, Any] = {"new": object.__new__, "kind": kind, **setters}
    exec(source, namespace)  # one function, so that a record costs one call
    maker: Callable[..., Any] = namespace["make"]
    return maker


_MAKERS: dict[type, Callable[..., Any]] = {}


def _build(kind: type, columns: Sequence[Sequence[Any]]) -> list[Any]:
    if kind not in _MAKERS:
        _MAKERS[kind] = _maker(kind)
    return list(map(_MAKERS[kind], *columns))


# ---- one value per distinct value ---------------------------------------------------------


@functools.cache
def _field(kind: type, name: str) -> Any:
    return getattr(attrs.fields(kind), name)


_NOBODY = SimpleNamespace()  # the record a validator names in its message (never shown)


def _converted(kind: type, name: str, value: Any) -> Any:
    """Convert and check one value as the record's field does; raise _RefusedError if refused."""
    field = _field(kind, name)
    if field.converter is not None:
        value = field.converter(value)
    if field.validator is not None:
        try:
            field.validator(_NOBODY, field, value)
        except (ValueError, TypeError):
            raise _RefusedError from None
    return value


def _groups(key: NDArray[np.int64]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Return a code for each distinct key, and one row holding each (any: they are equal)."""
    low = int(key.min())
    span = int(key.max()) - low + 1
    if span <= max(4 * key.size, 1 << 16):  # a table of every possible key: no sorting
        shifted = (key - low).astype(np.intp)
        present = np.bincount(shifted, minlength=span) > 0
        position = np.cumsum(present, dtype=np.intp) - 1
        codes = position[shifted]
        rows = np.empty(int(present.sum()), dtype=np.intp)
        rows[codes] = np.arange(key.size, dtype=np.intp)
        return codes, rows
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.reshape(-1).astype(np.intp), first.astype(np.intp)


def _patterns(matrix: NDArray[Any]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Return a code for each distinct row of a matrix, and one row showing each."""
    rows, width = matrix.shape
    if rows == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    low, high = int(matrix.min()), int(matrix.max())
    base = high - low + 1
    if width and base**width < 1 << 62:
        key = np.zeros(rows, dtype=np.int64)
        for k in range(width):
            key = key * base + (matrix[:, k].astype(np.int64) - low)
        return _groups(key)
    _, first, inverse = np.unique(matrix, axis=0, return_index=True, return_inverse=True)
    return inverse.reshape(-1).astype(np.intp), first.astype(np.intp)


def _by_pattern(matrix: NDArray[Any], value_of: Callable[[list[int]], Any]) -> list[Any]:
    """Make the value of each distinct row once (``value_of`` gets the row as a list)."""
    codes, first = _patterns(matrix)
    per = np.empty(first.size, dtype=object)
    per[:] = [value_of(row) for row in matrix[first].tolist()]
    result: list[Any] = per[codes].tolist()
    return result


def _answers_of(members: tuple[Any, ...]) -> Callable[[list[int]], Any]:
    """Return the set-valued answer of a row of codes, as the record's converter leaves it.

    The same value as :func:`~vpt_monitor._answers.answers_of`: a frozenset of members, a
    read-only mapping ``{member: True | None}`` or None. Members are the vocabulary's own
    and answers True or None, which the converter keeps as they are and the validator
    accepts, so neither needs to look.
    """

    def answer(row: list[int]) -> Any:
        if all(v < 0 for v in row):
            return None
        if all(v >= 0 for v in row):
            return frozenset(m for m, v in zip(members, row, strict=True) if v == 1)
        return FrozenMap(
            {m: (None if v < 0 else True) for m, v in zip(members, row, strict=True) if v != 0}
        )

    return answer


def _counts(row: list[int]) -> Any:
    """Return the counts of a row as the record keeps them (see ``counts_of``).

    Forms are members of the vocabulary and counts whole numbers (checked to be at most
    ``MAX_INCIDENTS`` beforehand) or None: the converter keeps them as they are.
    """
    if all(v < 0 for v in row):
        return None
    return FrozenMap({f: (None if v < 0 else v) for f, v in zip(FORMS, row, strict=True) if v != 0})


def _by_value(
    values: NDArray[np.int64], value_of: Callable[[Any], Any], kind: type, name: str
) -> list[Any]:
    """Convert whole numbers of a small range (codes, yes/no) once per value present."""
    if values.size == 0:
        return []
    low = int(values.min())
    shifted = values - low
    present = np.flatnonzero(np.bincount(shifted))
    per = np.empty(int(shifted.max()) + 1, dtype=object)
    per[present] = [_converted(kind, name, value_of(int(v) + low)) for v in present.tolist()]
    result: list[Any] = per[shifted].tolist()
    return result


def _labels(values: NDArray[Any], kind: type, name: str) -> list[Any]:
    """Design labels as ``_plain(value)`` gives them to the record, each distinct one once."""
    cells = prepare(values, name)
    if isinstance(cells, ArrayCells) and cells.flavour == "text" and values.dtype.kind == "O":
        codes, distinct = cells.encoded()  # text (and missing): equal texts, equal labels
        texts = distinct.tolist()
        if all(type(t) is str for t in texts):  # a str label is itself, always valid
            per = np.empty(len(texts) + 1, dtype=object)
            per[:-1] = texts
        else:
            per = np.empty(len(texts) + 1, dtype=object)
            per[:-1] = [_converted(kind, name, t) for t in texts]
        per[-1] = _converted(kind, name, None)
        result: list[Any] = per[codes].tolist()
        return result
    seen: dict[Any, Any] = {}
    labels = []
    for value in values.tolist():  # plain Python values (numpy's tolist)
        key = (type(value), value)
        if key not in seen:
            seen[key] = _converted(kind, name, value)
        labels.append(seen[key])
    return labels


def _enums(codes: NDArray[Any], members: tuple[Any, ...], *, optional: bool = False) -> list[Any]:
    table = np.empty(len(members) + 1, dtype=object)
    table[:-1] = members
    table[-1] = None
    codes = np.asarray(codes, dtype=np.intp)
    if (codes >= len(members)).any() or (codes < (-1 if optional else 0)).any():
        raise _RefusedError
    result: list[Any] = table[codes].tolist()
    return result


def _texts(ids: NDArray[Any]) -> list[str]:
    texts: list[str] = ids.tolist()
    if not all(type(t) is str for t in texts):
        texts = [str(v) for v in texts]
    if not all(map(str.strip, texts)):
        raise _RefusedError
    return texts


def _waves(waves: NDArray[Any]) -> list[int]:
    if waves.size and not (WAVE_RANGE[0] <= waves.min() and waves.max() <= WAVE_RANGE[1]):
        raise _RefusedError
    if waves.dtype.kind in "iu":
        result: list[int] = waves.tolist()
        return result
    return [int(w) for w in waves.tolist()]


def _positive(values: NDArray[Any], *, optional: bool) -> list[float | None]:
    numbers = np.asarray(values, dtype=np.float64)
    missing = np.isnan(numbers)
    if not (optional or not missing.any()):
        raise _RefusedError
    if not (numbers[~missing] > 0).all() or np.isinf(numbers).any():
        raise _RefusedError
    result: list[float | None] = numbers.tolist()
    if missing.any():  # NaN is None to the record
        for i in np.flatnonzero(missing).tolist():
            result[i] = None
    return result


def _answers(values: NDArray[Any], kind: type, name: str) -> list[Any]:
    return _by_value(np.asarray(values).astype(np.int64), from_yes_no, kind, name)


# ---- the four tables ----------------------------------------------------------------------


def _respondents(r: Mapping[str, NDArray[Any]], attributes: Mapping[str, Attribute]) -> list[Any]:
    n = r["wave"].shape[0]
    layer = np.asarray(r["layer"], dtype=np.intp)
    office = np.asarray(r["office"], dtype=np.intp)
    layers = _enums(layer, LAYERS)
    offices = _enums(office, OFFICES)
    if n and not OFFICE_IN_LAYER[office, layer].all():
        raise _RefusedError
    none = [None] * n
    columns: list[Sequence[Any]] = [
        _texts(r["id"]),
        _waves(r["wave"]),
        layers,
        offices,
        _positive(r["weight"], optional=False),
        _labels(r["stratum"], Respondent, "stratum") if "stratum" in r else none,
        _labels(r["cluster"], Respondent, "cluster") if "cluster" in r else none,
        _positive(r["fpc"], optional=True) if "fpc" in r else none,
        _positive(r["fpc2"], optional=True) if "fpc2" in r else none,
        _by_pattern(_checked_counts(r["victimisations"]), _counts),
        _by_pattern(r["channels"], _answers_of(CHANNELS)),
        _by_pattern(r["consequences"], _answers_of(CONSEQUENCES)),
        _by_pattern(r["perceived_violations"], _answers_of(VIOLATIONS)),
        _answers(r["aftercare"], Respondent, "aftercare"),
        _answers(r["training"], Respondent, "training"),
        _attributes(r, attributes, n),
    ]
    return _build(Respondent, columns)


def _checked_counts(matrix: NDArray[Any]) -> NDArray[np.int64]:
    """Return counts that the record accepts: whole numbers up to ``MAX_INCIDENTS``."""
    counts = np.asarray(matrix)
    if counts.dtype.kind not in "iu" or (counts.size and counts.max() > MAX_INCIDENTS):
        raise _RefusedError
    return counts.astype(np.int64)


def _attributes(
    r: Mapping[str, NDArray[Any]], attributes: Mapping[str, Attribute], n: int
) -> list[Any]:
    """Return the attributes of every respondent, each distinct value checked once."""
    if not attributes:
        return [_converted(Respondent, "attributes", {})] * n
    specs = list(attributes.items())
    keys = [_attribute_keys(r[name], spec) for name, spec in specs]
    items: list[dict[int, Any]] = []
    for (name, spec), key in zip(specs, keys, strict=True):
        _, first = _groups(key) if key.size else (None, np.zeros(0, dtype=np.intp))
        found = {}
        for i in first.tolist():  # the record's converter and validator look at each item
            value = attribute_value(r[name][i], spec)
            item = None if value is None else _converted(Respondent, "attributes", {name: value})
            found[int(key[i])] = None if item is None else item[name]
        items.append(found)
    codes, first = _patterns(np.column_stack(keys))
    names = [name for name, _ in specs]
    per = np.empty(first.size, dtype=object)
    per[:] = [
        FrozenMap(
            {
                name: item
                for name, found, key in zip(names, items, keys, strict=True)
                if (item := found[int(key[i])]) is not None
            }
        )
        for i in first.tolist()
    ]
    result: list[Any] = per[codes].tolist()
    return result


def _attribute_keys(values: NDArray[Any], spec: Attribute) -> NDArray[np.int64]:
    """Integer keys of an attribute column that are equal where the stored values are."""
    if spec.kind in ("category", "boolean"):
        return np.asarray(values, dtype=np.int64)
    numbers = np.asarray(values, dtype=np.float64)
    _, inverse = np.unique(numbers, return_inverse=True)  # NaN is one value: unknown
    return inverse.reshape(-1).astype(np.int64)


def _incidents(e: Mapping[str, NDArray[Any]], ids: NDArray[Any]) -> list[Any]:
    owners = np.asarray(e["respondent"], dtype=np.intp)
    if owners.size and (owners.min() < 0 or owners.max() >= ids.shape[0]):
        raise _RefusedError
    severity = np.asarray(e["severity"]).astype(np.int64)
    columns: list[Sequence[Any]] = [
        _texts(ids[owners]),
        _waves(e["wave"]),
        _enums(e["form"], FORMS),
        _enums(e["channel"], CHANNELS, optional=True),
        _answers(e["reported_internally"], Incident, "reported_internally"),
        _answers(e["police_report"], Incident, "police_report"),
        _answers(e["registered"], Incident, "registered"),
        _by_value(severity, lambda s: int(s) or None, Incident, "severity"),
        _answers(e["aftercare"], Incident, "aftercare"),
        _by_pattern(e["consequences"], _answers_of(CONSEQUENCES)),
    ]
    return _build(Incident, columns)


def _organisations(o: Mapping[str, NDArray[Any]]) -> list[Any]:
    n = o["wave"].shape[0]
    employees = np.asarray(o["employees"], dtype=np.int64)
    if n and employees.min() < 1:
        raise _RefusedError
    none = [None] * n
    columns: list[Sequence[Any]] = [
        _texts(o["id"]),
        _waves(o["wave"]),
        _enums(o["layer"], LAYERS),
        employees.tolist(),
        _by_pattern(o["measures"], _answers_of(MEASURES)),
        _positive(o["weight"], optional=False),
        _labels(o["stratum"], Organisation, "stratum") if "stratum" in o else none,
        _positive(o["fpc"], optional=True) if "fpc" in o else none,
    ]
    return _build(Organisation, columns)


def _violations(v: Mapping[str, NDArray[Any]], ids: NDArray[Any]) -> list[Any]:
    owners = np.asarray(v["organisation"], dtype=np.intp)
    if owners.size and (owners.min() < 0 or owners.max() >= ids.shape[0]):
        raise _RefusedError
    columns: list[Sequence[Any]] = [
        _texts(ids[owners]),
        _waves(v["wave"]),
        _enums(v["kind"], VIOLATIONS),
        _enums(v["status"], STATUSES),
    ]
    return _build(Violation, columns)
