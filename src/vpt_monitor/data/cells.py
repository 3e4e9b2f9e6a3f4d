"""The cells of one column, prepared once so that every check of the column is vectorised.

A column reaches :mod:`vpt_monitor.data.columns` as a numpy array, a list, a pandas column or,
from the file readers of :mod:`vpt_monitor.io`, an Arrow array. :func:`prepare` wraps it in a
:class:`Cells`, which answers what the checks ask - which cells are missing, the number in
each cell, the distinct values and which row holds which - and gives the value of any one
cell for a message. Text is looked at once per distinct value, never once per row: a column
of a million "ja"/"nee" answers is two look-ups and one ``take``.

Every answer is the one the per-cell rules give (``float(value)`` for numbers, ``None``,
NaN, ``pandas.NA`` and ``NaT`` for missing, ...): the shortcuts apply only where they agree
with those rules exactly, and anything unusual (a column mixing text with numbers, objects of
other types) takes the rules cell by cell. pandas and pyarrow are optional: with pandas, text
in object arrays is coded by ``pandas.factorize``; without it by a dictionary, which is
slower but gives the same codes. pyarrow is used only for Arrow arrays, which only the file
readers make.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "SHOWN_LENGTH",
    "ArrayCells",
    "ArrowCells",
    "Cells",
    "EncodedCells",
    "MaskedCells",
    "is_arrow",
    "missing_scalar",
    "prepare",
    "shown",
    "to_float",
]

#: Longest value shown in a problem; longer values are cut with "...".
SHOWN_LENGTH = 60

#: Numbers Arrow converts exactly as ``float()`` does: ASCII digits, an optional sign,
#: point and exponent (no spaces, underscores, "inf" or "nan", which take the per-value rule).
PLAIN_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"

_NUMBER_KINDS = frozenset({"integer", "floating", "mixed-integer-float", "boolean"})
_TEXT_KINDS = frozenset({"string", "empty"})


def missing_scalar(value: Any) -> bool:
    """Whether a scalar is a missing value: NaN, or pandas' NA or NaT (without importing pandas)."""
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    kind = type(value)
    return kind.__module__.startswith("pandas") and kind.__name__ in ("NAType", "NaTType")


def is_missing(value: Any) -> bool:
    """Whether one cell is missing: None, NaN, ``pandas.NA`` or ``NaT``."""
    return value is None or missing_scalar(value)


def to_float(value: Any) -> float:
    """Read the number in one cell as ``float()`` does; NaN for missing values and text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def shown(value: Any) -> str:
    """One cell as a problem shows it: ``(empty)``, or its ``repr``.

    A long value is cut to its first and last characters, with its length: a count of 400
    digits shows as ``'99999...99999' (400 characters)``, not as a number that looks
    ordinary.

    Examples
    --------
    >>> from vpt_monitor.data.cells import shown
    >>> shown("9" * 400)
    "'999999999999999999999999999999999999999...99999999' (400 characters)"
    """
    if is_missing(value):
        return "(empty)"
    plain = value.item() if isinstance(value, np.generic) else value
    text = repr(plain)
    if len(text) <= SHOWN_LENGTH + 20:  # cut only where the cut is shorter
        return text
    size = len(plain) if isinstance(plain, str) else len(text)
    return f"{text[: SHOWN_LENGTH - 20]}...{text[-9:]} ({size} characters)"


def is_arrow(values: Any) -> bool:
    """Whether ``values`` is an Arrow array (without importing pyarrow)."""
    kind = type(values)
    return kind.__module__.startswith("pyarrow") and hasattr(values, "to_numpy")


def _pandas() -> Any:
    """Return pandas if it is installed (for factorize and isna), else None."""
    module = sys.modules.get("pandas")
    if module is not None:
        return module
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    return pandas


def _objects(values: Iterable[Any], n: int) -> NDArray[Any]:
    array = np.empty(n, dtype=object)
    array[:] = list(values)
    return array


class Cells:
    """The cells of one column: missing, numbers, distinct values, one cell for a message.

    Subclasses hold numpy arrays (:class:`ArrayCells`), codes into distinct values
    (:class:`EncodedCells`) or Arrow arrays (:class:`ArrowCells`). ``numeric`` is true when
    every cell is a number or missing (no text to read).
    """

    n: int
    numeric: bool = False
    #: Text cells that are already stripped and never empty (as the file readers make them).
    clean: bool = False

    def missing(self) -> NDArray[np.bool_]:
        """Whether each cell is missing (None, NaN, ``pandas.NA``, ``NaT``)."""
        codes, _ = self.encoded()
        return codes < 0

    def numbers(self) -> NDArray[np.float64]:
        """Return the number in each cell as ``float()`` reads it; NaN if missing or not one."""
        codes, distinct = self.encoded()
        per = np.fromiter((to_float(v) for v in distinct), np.float64, len(distinct))
        return take(per, codes, np.nan)

    def encoded(self) -> tuple[NDArray[np.intp], NDArray[Any]]:
        """Codes into the distinct values (``-1`` where missing) and the distinct values.

        Distinct values may repeat (a recoded column); every cell with a code holds a value
        equal to its distinct value, of the same type.
        """
        raise NotImplementedError

    def value(self, i: int) -> Any:
        """Return the value of cell ``i`` (for a message)."""
        raise NotImplementedError

    def objects(self) -> NDArray[Any]:
        """Return the cells as an object array, as ``numpy.array(values, dtype=object)``."""
        codes, distinct = self.encoded()
        return take(_objects(distinct, len(distinct)), codes, None)

    def shown(self, rows: NDArray[np.intp]) -> list[str]:
        """Return the cells of ``rows`` as problems show them (see :func:`shown`)."""
        codes, distinct = self.encoded()
        picked = codes[rows]
        present, inverse = np.unique(picked, return_inverse=True)
        texts = [shown(None if k < 0 else distinct[k]) for k in present.tolist()]
        return [texts[k] for k in inverse.reshape(-1).tolist()]


def take(per: NDArray[Any], codes: NDArray[np.intp], fill: Any) -> NDArray[Any]:
    """``per[codes]``, with ``fill`` where the code is ``-1``."""
    extended = np.empty(per.shape[0] + 1, dtype=per.dtype)
    extended[:-1] = per
    extended[-1] = fill
    return extended[codes]


#: Most rows of text factorised by a sort rather than by importing pandas (a third of a
#: second) to hash them: the simulated report's labels, not a million rows.
_SORTED_TEXT_LIMIT = 200_000


def _first_appearance_sorted(
    values: NDArray[Any],
) -> tuple[NDArray[np.intp], NDArray[Any]] | None:
    """pandas.factorize of text without a missing value, by a sort; None for anything else."""
    if set(map(type, values.tolist())) != {str}:
        return None
    distinct, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # the distinct values in order of appearance
    rank = np.empty(order.shape[0], dtype=np.intp)
    rank[order] = np.arange(order.shape[0], dtype=np.intp)
    return rank[inverse.reshape(-1)], np.asarray(distinct[order], dtype=object)


def factorize_text(values: NDArray[Any]) -> tuple[NDArray[np.intp], NDArray[Any]]:
    """Codes (``-1`` for None, NaN, NA) and distinct values of an object array of text."""
    if "pandas" not in sys.modules and values.shape[0] <= _SORTED_TEXT_LIMIT:
        found = _first_appearance_sorted(values)
        if found is not None:
            return found
    pandas = _pandas()
    if pandas is not None:
        codes, distinct = pandas.factorize(values)
        return np.asarray(codes, dtype=np.intp), np.asarray(distinct, dtype=object)
    seen: dict[Any, int] = {}
    missing = -1
    codes = np.fromiter(
        (missing if is_missing(v) else seen.setdefault(v, len(seen)) for v in values),
        np.intp,
        values.shape[0],
    )
    return codes, _objects(seen, len(seen))


class ArrayCells(Cells):
    """A numpy array of any type: numbers are vectorised, text coded once per distinct value.

    An object array is looked at once to find what it holds: only text (and missing values),
    only numbers, or a mixture, which takes the per-cell rules.
    """

    def __init__(self, values: NDArray[Any]) -> None:
        self.values = values
        self.n = int(values.shape[0])
        kind = values.dtype.kind
        self.flavour = "number" if kind in "biuf" else "text" if kind in "US" else ""
        if kind == "O":
            self.flavour = _flavour(values)
        self.numeric = self.flavour == "number"
        self._encoded: tuple[NDArray[np.intp], NDArray[Any]] | None = None
        self._missing: NDArray[np.bool_] | None = None

    def missing(self) -> NDArray[np.bool_]:
        """Whether each cell is missing."""
        if self._missing is None:
            kind = self.values.dtype.kind
            if kind == "f":
                self._missing = np.isnan(self.values)
            elif kind != "O":
                self._missing = np.zeros(self.n, dtype=bool)
            elif self.flavour in ("text", "number") and _pandas() is not None:
                # only None, NaN and pandas.NA can be missing in these (see _flavour)
                self._missing = np.asarray(_pandas().isna(self.values), dtype=bool)
            else:
                self._missing = np.fromiter(
                    (is_missing(v) for v in self.values), dtype=bool, count=self.n
                )
        return self._missing

    def numbers(self) -> NDArray[np.float64]:
        """Return the number in each cell (NaN where missing or not a number)."""
        values = self.values
        if values.dtype.kind in "biuf":
            return values.astype(np.float64)
        if self.flavour == "number":
            filled = values.copy()
            filled[self.missing()] = np.nan
            return filled.astype(np.float64)  # float() of each cell, in numpy's loop
        return super().numbers()

    def encoded(self) -> tuple[NDArray[np.intp], NDArray[Any]]:
        """Return codes into the distinct values (-1 where missing) and the values."""
        if self._encoded is None:
            values = self.values
            if values.dtype.kind in "biufUS":
                distinct, inverse = np.unique(values, return_inverse=True)
                codes = inverse.reshape(-1).astype(np.intp)
                if values.dtype.kind == "f":
                    codes[np.isnan(values)] = -1
                self._encoded = codes, distinct
            elif self.flavour == "text":
                self._encoded = factorize_text(values)
            else:  # every cell its own value: the per-cell rules, exactly
                codes = np.arange(self.n, dtype=np.intp)
                codes[self.missing()] = -1
                self._encoded = codes, values
        return self._encoded

    def value(self, i: int) -> Any:
        """Return the value of cell ``i``."""
        return self.values[i]

    def objects(self) -> NDArray[Any]:
        """Return the cells as an object array."""
        return np.array(self.values, dtype=object)

    def shown(self, rows: NDArray[np.intp]) -> list[str]:
        """Return the cells of ``rows`` as problems show them."""
        if self.flavour == "text":
            return super().shown(rows)
        return [shown(self.values[i]) for i in rows.tolist()]


def _flavour(values: NDArray[Any]) -> str:
    """Say what an object array holds: "text" or "number" (and missing values), or "" (a mix)."""
    if values.shape[0] == 0:
        return "text"
    types = set(map(type, values.tolist()))
    if types <= {str, type(None)}:  # labels as read: text without importing pandas
        return "text"
    pandas = _pandas()
    if pandas is not None:
        kind = pandas.api.types.infer_dtype(values, skipna=True)
        # skipna skips None, NaN and pandas.NA only: exactly the missing values of these
        return "text" if kind in _TEXT_KINDS else "number" if kind in _NUMBER_KINDS else ""
    return ""


class EncodedCells(Cells):
    """Codes into distinct values: a categorical column, or text read once per value.

    ``codes`` are ``-1`` where a cell is None (an empty cell of a file); ``distinct`` may
    hold missing values too (NaN), and values that repeat.
    """

    def __init__(
        self,
        codes: NDArray[np.intp],
        distinct: NDArray[Any],
        *,
        clean: bool = False,
        arrow: Any = None,
        display: NDArray[Any] | None = None,
    ) -> None:
        self.codes = codes
        self.distinct = distinct
        self.n = int(codes.shape[0])
        self.clean = clean
        self.arrow = arrow  # the distinct values as an Arrow array, when they came from Arrow
        # the distinct values as the file wrote them, for messages ('0,5' read as 0.5)
        self.display = display
        self._encoded: tuple[NDArray[np.intp], NDArray[Any]] | None = None

    def shown(self, rows: NDArray[np.intp]) -> list[str]:
        """Return the cells of ``rows`` as problems show them: as the file wrote them."""
        if self.display is None:
            return super().shown(rows)
        picked = self.codes[rows]
        return [shown(None if k < 0 else self.display[k]) for k in picked.tolist()]

    def encoded(self) -> tuple[NDArray[np.intp], NDArray[Any]]:
        """Return codes into the distinct values (-1 where missing) and the values."""
        if self._encoded is None:
            dead = np.fromiter((is_missing(v) for v in self.distinct), bool, len(self.distinct))
            codes = self.codes
            if dead.any():
                codes = take(np.where(dead, -1, np.arange(len(dead))), codes, -1)
            self._encoded = codes, self.distinct
        return self._encoded

    def numbers(self) -> NDArray[np.float64]:
        """Return the number in each cell (NaN where missing or not a number)."""
        if self.arrow is not None:
            codes, _ = self.encoded()
            return take(arrow_numbers(self.arrow), codes, np.nan)
        return super().numbers()

    def value(self, i: int) -> Any:
        """Return the value of cell ``i``."""
        code = int(self.codes[i])
        return None if code < 0 else self.distinct[code]

    def objects(self) -> NDArray[Any]:
        """Return the cells as an object array."""
        return take(self.distinct, self.codes, None)


class ArrowCells(Cells):
    """An Arrow array from a file: text (stripped, empty cells null) or numbers with nulls.

    ``numbers`` may be given (the readers check number syntax and convert); otherwise numbers
    are converted by Arrow where the text is a plain number and by ``float()`` elsewhere.
    ``display_float`` shows whole numbers as floats (as pandas shows an integer column with
    missing values).
    """

    def __init__(
        self,
        array: Any,
        *,
        numbers: NDArray[np.float64] | None = None,
        clean: bool = False,
        display_float: bool = False,
        display: Any = None,
    ) -> None:
        import pyarrow as pa

        if isinstance(array, pa.ChunkedArray) and array.num_chunks == 1:
            array = array.chunk(0)
        self.array = array  # an Array, or a ChunkedArray (combined only to be encoded)
        self.n = len(array)
        kind = array.type
        self.text = pa.types.is_string(kind) or pa.types.is_large_string(kind)
        self.boolean = pa.types.is_boolean(kind)
        self.numeric = not self.text
        self.clean = clean
        self.display_float = display_float
        # the text as the file wrote it, for messages ('0,5' read as 0.5); None: ``array``
        self.display = display
        self._numbers = numbers
        self._missing: NDArray[np.bool_] | None = None
        self._encoded: tuple[NDArray[np.intp], NDArray[Any]] | None = None
        self._codes: tuple[NDArray[np.intp], Any] | None = None

    def missing(self) -> NDArray[np.bool_]:
        """Whether each cell is missing."""
        if self._missing is None:
            import pyarrow as pa
            import pyarrow.compute as pc

            missing = pc.is_null(self.array, nan_is_null=pa.types.is_floating(self.array.type))
            self._missing = np.asarray(missing.to_numpy(zero_copy_only=False), dtype=bool)
        return self._missing

    def numbers(self) -> NDArray[np.float64]:
        """Return the number in each cell (NaN where missing or not a number)."""
        if self._numbers is None:
            if self.text:
                self._numbers = arrow_numbers(self.array)
            else:
                import pyarrow as pa

                cast = self.array.cast(pa.float64())
                self._numbers = np.asarray(cast.to_numpy(zero_copy_only=False), np.float64)
        return self._numbers

    def codes(self) -> tuple[NDArray[np.intp], Any]:
        """Return codes into the distinct texts (-1 where missing) and the texts, in Arrow."""
        if self._codes is None:
            encoded = contiguous(self.array).dictionary_encode()
            codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
            self._codes = np.asarray(codes, dtype=np.intp), encoded.dictionary
        return self._codes

    def encoded(self) -> tuple[NDArray[np.intp], NDArray[Any]]:
        """Return codes into the distinct values (-1 where missing) and the values."""
        if self._encoded is None:
            if self.text:
                codes, dictionary = self.codes()
                distinct = np.asarray(dictionary.to_numpy(zero_copy_only=False), dtype=object)
                self._encoded = codes, distinct
            else:  # numbers with nulls, as Python values: the per-cell rules
                values = self.objects()
                codes = np.arange(self.n, dtype=np.intp)
                codes[self.missing()] = -1
                self._encoded = codes, values
        return self._encoded

    def dictionary(self) -> Any:
        """Return the distinct texts as an Arrow array, in the order of :meth:`codes`."""
        return self.codes()[1]

    def value(self, i: int) -> Any:
        """Return the value of cell ``i``."""
        value = self.array[i].as_py()
        if self.display_float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value

    def objects(self) -> NDArray[Any]:
        """Return the cells as an object array."""
        if self.text and self._codes is not None:  # each distinct text made once
            codes, distinct = self.encoded()
            return take(distinct, codes, None)
        if self.text:
            return np.asarray(self.array.to_numpy(zero_copy_only=False), dtype=object)
        return _objects((self.value(i) for i in range(self.n)), self.n)

    def shown(self, rows: NDArray[np.intp]) -> list[str]:
        """Return the cells of ``rows`` as problems show them."""
        if not self.text:
            return [shown(self.value(i)) for i in rows.tolist()]
        import pyarrow as pa

        source = self.array if self.display is None else self.display
        picked = contiguous(source.take(pa.array(rows, type=pa.int64()))).dictionary_encode()
        texts = [shown(v) for v in picked.dictionary.to_pylist()]
        codes = picked.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        return [("(empty)" if k < 0 else texts[k]) for k in codes.tolist()]


class MaskedCells(Cells):
    """Cells of another column with some cells read as missing (a codebook's missing codes).

    Every answer is the other column's, with the masked cells missing: no number, no
    distinct value, ``None`` as their value.
    """

    def __init__(self, cells: Cells, mask: NDArray[np.bool_]) -> None:
        self.cells = cells
        self.mask = mask
        self.n = cells.n
        self.numeric = cells.numeric
        self.clean = cells.clean

    def missing(self) -> NDArray[np.bool_]:
        """Whether each cell is missing (in the other column, or masked)."""
        return self.cells.missing() | self.mask

    def numbers(self) -> NDArray[np.float64]:
        """Return the number in each cell (NaN where missing, masked or not a number)."""
        return np.where(self.mask, np.nan, self.cells.numbers())

    def encoded(self) -> tuple[NDArray[np.intp], NDArray[Any]]:
        """Return codes into the distinct values (-1 where missing or masked) and the values."""
        codes, distinct = self.cells.encoded()
        return np.where(self.mask, -1, codes).astype(np.intp), distinct

    def value(self, i: int) -> Any:
        """Return the value of cell ``i`` (None where masked)."""
        return None if self.mask[i] else self.cells.value(i)

    def objects(self) -> NDArray[Any]:
        """Return the cells as an object array (None where masked)."""
        values = self.cells.objects().copy()
        values[self.mask] = None
        return values


def contiguous(array: Any) -> Any:
    """Return an Arrow array in one piece (a chunked array combined)."""
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        return array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    return array


def plain_numbers(array: Any) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Convert the plain numbers of an Arrow text array; return the numbers and which.

    Arrow's cast reads a plain number (ASCII digits, an optional sign, point and exponent)
    exactly as ``float()`` does, reads "inf" and "nan" too, and refuses anything else. So
    the whole column is cast at once; only if that fails are the plain numbers picked out
    (by a regular expression) first. The cells marked are those with a finite number; the
    caller reads the others (text, "inf", numbers beyond the floats) by the per-cell rule.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        converted = array.cast(pa.float64())
    except pa.ArrowInvalid:
        plain = pc.match_substring_regex(array, PLAIN_NUMBER).fill_null(False)
        converted = pc.if_else(plain, array, pa.scalar(None, pa.string())).cast(pa.float64())
    numbers = np.array(converted.to_numpy(zero_copy_only=False), dtype=np.float64)
    return numbers, np.isfinite(numbers)


def arrow_numbers(array: Any) -> NDArray[np.float64]:
    """``float()`` of each text of an Arrow array: plain numbers by Arrow, others one by one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    numbers, done = plain_numbers(array)
    valid = np.asarray(pc.is_valid(array).to_numpy(zero_copy_only=False), dtype=bool)
    rows = np.flatnonzero(valid & ~done)
    if rows.size:
        encoded = contiguous(array.take(pa.array(rows, type=pa.int64()))).dictionary_encode()
        per = np.array([to_float(v) for v in encoded.dictionary.to_pylist()], dtype=np.float64)
        numbers[rows] = per[encoded.indices.to_numpy(zero_copy_only=False)]
    return numbers


def arrow_booleans(array: Any) -> NDArray[np.int8] | None:
    """Yes/no codes (1, 0, -1 missing) of Arrow booleans, or text of true/false (any case), 1, 0.

    Arrow's cast to booleans accepts exactly these words and digits, which the yes/no rule
    reads the same way; None when any cell is something else (then each distinct value is
    read by the rule).
    """
    import pyarrow as pa

    try:
        flags = array if pa.types.is_boolean(array.type) else array.cast(pa.bool_())
    except pa.ArrowInvalid:
        return None
    codes = flags.cast(pa.int8()).fill_null(-1).to_numpy(zero_copy_only=False)
    return np.asarray(codes, dtype=np.int8)


def prepare(values: Any, name: str, n: int | None = None) -> Cells:
    """Wrap one column given to :meth:`MonitorData.from_columns` as :class:`Cells`."""
    cells: Cells | None
    if isinstance(values, Cells):
        cells = values
    elif is_arrow(values):
        cells = ArrowCells(values)
    else:
        cells = _from_pandas(values)
        if cells is None:
            array = np.asarray(values)
            if array.ndim != 1:
                raise ValueError(
                    f"column {name!r} must be one-dimensional; got shape {array.shape}"
                )
            cells = ArrayCells(array)
    if n is not None and cells.n != n:
        raise ValueError(f"column {name!r} has {cells.n} values, expected {n}")
    return cells


def _from_pandas(values: Any) -> Cells | None:
    """Return a pandas column of text categories as codes into them; None for others."""
    dtype: Any = getattr(values, "dtype", None)
    if getattr(dtype, "name", None) != "category" or "pandas" not in sys.modules:
        return None
    categories = dtype.categories
    if categories.dtype.kind != "O" and str(categories.dtype) != "str":
        return None
    distinct = np.asarray(categories.to_numpy(dtype=object), dtype=object)
    if not all(isinstance(v, str) for v in distinct.tolist()):
        return None
    codes = np.asarray(getattr(values, "cat", values).codes, dtype=np.intp)
    return EncodedCells(codes, distinct)


def distinct_map(
    cells: Cells, function: Any, dtype: Any = object
) -> tuple[NDArray[np.intp], NDArray[Any]]:
    """Apply ``function`` to each distinct value once: codes and the results per value."""
    codes, distinct = cells.encoded()
    if dtype is object:
        per = _objects((function(v) for v in distinct), len(distinct))
    else:
        per = np.fromiter((function(v) for v in distinct), dtype, len(distinct))
    return codes, per


def refactorize(
    codes: NDArray[np.intp], values: Sequence[Any]
) -> tuple[NDArray[np.intp], list[Any]]:
    """Merge equal values (and None into ``-1``): new codes, and the values, each once."""
    seen: dict[Any, int] = {}
    mapping = np.fromiter(
        (-1 if v is None else seen.setdefault(v, len(seen)) for v in values),
        np.intp,
        len(values),
    )
    return take(mapping, codes, -1), list(seen)
