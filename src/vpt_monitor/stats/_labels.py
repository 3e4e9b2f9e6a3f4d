"""Integer codes for label arrays (strata, clusters, domains, calibration cells).

Labels are sorted: numbers in numeric order, text in code-point order. A column may mix kinds
of labels that do not compare with each other, such as numbers and text read from one
spreadsheet column; those are never compared across kinds. Numbers come first, then text,
then bytes, then any other labels; labels that cannot be sorted among themselves keep the
order in which they first appear. Missing labels (None, NaN, ``pandas.NA``, NaT) are refused
with the argument's name and the index of the first one, or, where a caller asks for it, coded
-1 (rows that belong to no label). pandas is never imported: its missing-value singletons are
recognised by their type names.
"""

from __future__ import annotations

import decimal
import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

IntArray = NDArray[np.intp]

#: Order of the kinds of labels in a column that mixes them.
NUMBER, TEXT, BYTES, OTHER, MISSING = 0, 1, 2, 3, -1
_KIND_OF_TYPE: dict[type, int] = {str: TEXT, int: NUMBER, bool: NUMBER, bytes: BYTES}
_MISSING_TYPES = ("NAType", "NaTType")


def _kind(value: Any) -> int:
    """Kind of one label: a number, text, bytes, something else, or missing."""
    kind = _KIND_OF_TYPE.get(type(value))
    if kind is not None:
        return kind
    if value is None:
        return MISSING
    if isinstance(value, float | np.floating):
        return MISSING if value != value else NUMBER
    if isinstance(value, np.datetime64 | np.timedelta64):
        return MISSING if np.isnat(value) else OTHER
    if type(value).__name__ in _MISSING_TYPES:
        return MISSING
    if isinstance(value, str):
        return TEXT  # str subclasses such as StrEnum members
    if isinstance(value, numbers.Real | np.bool_):
        return NUMBER
    if isinstance(value, decimal.Decimal):  # a database's NUMERIC column, not a numbers.Real
        return MISSING if value.is_nan() else NUMBER
    if isinstance(value, bytes):
        return BYTES
    return OTHER


def _shown(name: str) -> str:
    """Quote an argument's name (``'strata'``); leave a description (``margin 'office'``)."""
    return f"'{name}'" if name.isidentifier() else name


def _describe_missing(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, float | np.floating):
        return "NaN"
    if type(value).__name__ == "NAType":
        return "pandas.NA"
    return "NaT"


def _first_appearance(values: NDArray[Any]) -> tuple[IntArray, NDArray[Any]]:
    """Codes in order of first appearance (for labels that cannot be sorted)."""
    seen: dict[Any, int] = {}
    codes = np.fromiter((seen.setdefault(v, len(seen)) for v in values), np.intp, len(values))
    labels = np.empty(len(seen), dtype=object)
    labels[:] = list(seen)
    return codes, labels


def _sorted_codes(values: NDArray[Any]) -> tuple[IntArray, NDArray[Any]]:
    try:
        labels, codes = np.unique(values, return_inverse=True)
    except TypeError:  # labels of one kind that do not order, such as tuples with None
        return _first_appearance(values)
    return codes.reshape(-1).astype(np.intp, copy=False), labels


def compact(values: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """Renumber integers in ``0 .. size - 1`` to ``0 .. k - 1``, keeping their order.

    Returns the new codes and the ``k`` values present; one ``bincount``, no sort. Read-only
    values (a frame's own memory) are marked by indexing instead, since numpy's ``bincount``
    copies read-only input.
    """
    if values.flags.writeable:
        present = np.bincount(values, minlength=size) > 0
    else:
        present = np.zeros(size, dtype=bool)
        present[values] = True
    if present.all():  # already 0 .. size - 1
        return values, np.arange(size, dtype=np.intp)
    position = np.cumsum(present, dtype=np.intp) - 1
    return position[values], np.flatnonzero(present).astype(np.intp)


def _with_missing(
    name: str, array: NDArray[Any], missing: NDArray[np.bool_]
) -> tuple[IntArray, NDArray[Any]]:
    """Codes of the labels that are present, and -1 where ``missing``."""
    present = ~missing
    codes = np.full(len(array), -1, dtype=np.intp)
    local, labels = factorize(name, array[present], int(present.sum()))
    codes[present] = local
    return codes, labels


def _objects(
    name: str, array: NDArray[Any], allow_missing: bool = False
) -> tuple[IntArray, NDArray[Any]]:
    """Codes for an object array: refuse missing labels, never compare across kinds."""
    if set(map(type, array.tolist())) == {str}:  # text alone: no label is missing
        return _sorted_codes(array)
    kinds = np.fromiter((_kind(v) for v in array), dtype=np.int8, count=len(array))
    missing = kinds == MISSING
    if missing.any():
        if allow_missing:
            return _with_missing(name, array, missing)
        i = int(np.argmax(missing))
        raise ValueError(
            f"{_shown(name)} has a missing value ({_describe_missing(array[i])}) at index {i}; "
            "every row needs a label"
        )
    present = np.flatnonzero(np.bincount(kinds, minlength=OTHER + 1))
    if present.size == 1:
        return _sorted_codes(array)
    codes = np.empty(len(array), dtype=np.intp)
    pieces: list[NDArray[Any]] = []
    offset = 0
    for kind in present:  # at most four kinds
        rows = np.flatnonzero(kinds == kind)
        local, labels = _sorted_codes(array[rows])
        codes[rows] = local + offset
        offset += len(labels)
        pieces.append(labels)
    labels = np.empty(offset, dtype=object)
    labels[:] = [label for piece in pieces for label in piece.tolist()]
    return codes, labels


def factorize(
    name: str, values: ArrayLike, length: int, *, allow_missing: bool = False
) -> tuple[IntArray, NDArray[Any]]:
    """Integer codes ``0..k-1`` for the labels in ``values`` and the labels in code order.

    See the module docstring for the order of the labels and the refusal of missing ones;
    with ``allow_missing=True`` a missing label gets the code -1 instead.
    """
    array = np.asarray(values)
    if array.dtype.kind in "US" and array.ndim == 1 and not isinstance(values, np.ndarray):
        # numpy turns a list such as [1, "a", None] into text ("1", "a", "None"); keep the
        # values as given, so that 1 stays a number and None is seen as missing
        given = list(values)  # type: ignore[arg-type]
        if not all(isinstance(v, str | bytes) for v in given):
            array = np.empty(len(given), dtype=object)
            array[:] = given
    if array.ndim != 1:
        raise ValueError(f"{_shown(name)} must be one-dimensional; got shape {array.shape}")
    if array.shape[0] != length:
        raise ValueError(
            f"{_shown(name)} has {array.shape[0]} values but 'weights' has {length}; "
            "all design arrays must have one value per row"
        )
    if array.dtype.kind == "f":
        bad = np.isnan(array)
        if bad.any():
            if allow_missing:
                return _with_missing(name, array, bad)
            raise ValueError(
                f"{_shown(name)} has a missing value (NaN) at index {int(np.argmax(bad))}; "
                "every row needs a label"
            )
    if array.dtype.kind in "mM":
        bad = np.isnat(array)
        if bad.any():
            if allow_missing:
                return _with_missing(name, array, bad)
            raise ValueError(
                f"{_shown(name)} has a missing value (NaT) at index {int(np.argmax(bad))}; "
                "every row needs a label"
            )
    if array.dtype.kind == "O":
        return _objects(name, array, allow_missing)
    if array.dtype.kind in "iu" and length:
        # integer labels with a modest range: one bincount instead of a sort
        low = int(array.min())
        span = int(array.max()) - low + 1
        if span <= max(4 * length, 1 << 16):
            shifted = array if low == 0 else array - low
            codes, present = compact(shifted.astype(np.intp, copy=False), span)
            return codes, (present + low).astype(array.dtype)
    labels, codes = np.unique(array, return_inverse=True)
    return codes.reshape(-1).astype(np.intp, copy=False), labels


def show(value: Any) -> str:
    """``repr`` of a label as the plain Python value (no ``np.str_(...)`` wrapper)."""
    return repr(value.item() if isinstance(value, np.generic) else value)
