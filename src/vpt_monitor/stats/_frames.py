"""pandas and polars data frames as the source of design, analysis and domain variables.

A frame is recognised by the module of its type, so neither library is imported unless the
caller handed over one of its objects. A column becomes a numpy array without a copy where
its memory already is one (numeric columns without missing values, in both libraries);
otherwise it is converted once, at the public edge.

Three readings of a column:

- :func:`numbers`: an analysis or design variable, as a numeric (or boolean) numpy array
  with NaN where the frame has a missing value (NaN, None, ``pandas.NA``, a polars null);
- :func:`labels`: domain or design labels, as integer codes (-1 where missing) and the
  labels in domain order: a pandas ``Categorical``'s categories and a polars ``Enum``'s
  categories in their own order, any other column sorted as :mod:`._labels` sorts arrays
  (numbers in numeric order, text in code-point order). Labels keep the frame's values;
- :func:`mask`: a boolean column, with no missing values.

Messages name the column, the argument it was given as, and the row (the position, and the
pandas index label where the index is not the default one).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats._labels import MISSING, NUMBER, _kind, factorize

IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

PANDAS, POLARS = "pandas", "polars"


def _library(obj: object, kind: str) -> str | None:
    """``"pandas"`` or ``"polars"`` when ``obj`` is (a subclass of) that library's ``kind``."""
    for cls in type(obj).__mro__:
        if cls.__name__ != kind:
            continue
        top = cls.__module__.split(".", 1)[0]
        if top in (PANDAS, POLARS):
            return top
    return None


def frame_library(obj: object) -> str | None:
    """Which library's data frame ``obj`` is: ``"pandas"``, ``"polars"`` or None."""
    return _library(obj, "DataFrame")


def series_library(obj: object) -> str | None:
    """Which library's column (Series) ``obj`` is: ``"pandas"``, ``"polars"`` or None."""
    return _library(obj, "Series")


def is_polars_expression(obj: object) -> bool:
    """Whether ``obj`` is a polars expression such as ``pl.col("wave") == 2016``."""
    return _library(obj, "Expr") == POLARS


def _polars() -> Any:
    """Return the polars module (called only with a polars object in hand)."""
    import polars

    return polars


def quoted(role: str) -> str:
    """Quote an argument's name (``'y'``); leave a description (``margin 'office'``) as is."""
    return f"'{role}'" if role.replace("[", "").replace("]", "").isidentifier() else role


def describe(role: str, series: Any) -> str:
    """``column 'victim' ('y')``, or ``'y'`` for a column without a name."""
    name = getattr(series, "name", None)
    if name is None or name == "":
        return quoted(role)
    return f"column {name!r} ({quoted(role)})"


def row(series: Any, position: int) -> str:
    """``row 3``, with the pandas index label where the index is not ``0 .. n - 1``."""
    if series_library(series) == PANDAS:
        index = series.index
        default = type(index).__name__ == "RangeIndex" and index.start == 0 and index.step == 1
        if not default:
            return f"row {position} (index {index[position]!r})"
    return f"row {position}"


def missing_message(what: str, series: Any, missing: BoolArray, hint: str) -> str:
    """``column 'y' ('y') has 3 missing values (first at row 5); <hint>``."""
    count = int(missing.sum())
    first = int(np.argmax(missing))
    values = "value" if count == 1 else "values"
    return f"{what} has {count} missing {values} (first at {row(series, first)}); {hint}"


class Frame:
    """A pandas or polars data frame kept by a design, and the lookup of its columns.

    The frame is held as a shallow copy: no column is copied, and under pandas'
    copy-on-write (the default from pandas 3) a later change to the caller's frame does not
    reach the design; polars frames are immutable.
    """

    __slots__ = ("data", "library", "n")

    def __init__(self, frame: Any) -> None:
        library = frame_library(frame)
        if library is None:
            if _library(frame, "LazyFrame") == POLARS:
                raise TypeError("'frame' is a polars LazyFrame; collect it first (frame.collect())")
            raise TypeError(
                f"'frame' must be a pandas or polars DataFrame; got {type(frame).__name__}"
            )
        self.library = library
        if library == PANDAS:
            self.data = frame.copy(deep=False)
            self.n = len(frame.index)
        else:
            self.data = frame.clone()
            self.n = int(frame.height)

    @property
    def columns(self) -> tuple[Hashable, ...]:
        """The frame's column names, in order."""
        return tuple(self.data.columns)

    def snapshot(self) -> Any:
        """Return the frame as a new shallow copy (changing it does not change the design)."""
        return self.data.copy(deep=False) if self.library == PANDAS else self.data.clone()

    def __contains__(self, name: object) -> bool:
        try:
            return name in self.columns
        except TypeError:  # an unhashable name
            return False

    def unknown(self, role: str, name: object) -> str:
        """Message for a name that is not a column: the close matches and the columns."""
        columns = self.columns
        texts = [str(c) for c in columns]
        close = difflib.get_close_matches(str(name), texts, n=3, cutoff=0.6)
        text = f"{quoted(role)} names column {name!r}, which is not in the frame"
        if close:
            text += f"; did you mean {', '.join(repr(c) for c in close)}?"
        else:
            text += "."
        listed = ", ".join(repr(c) for c in columns[:40])
        more = f", ... ({len(columns)} columns)" if len(columns) > 40 else ""
        return f"{text} The frame's columns: {listed}{more}"

    def column(self, name: Hashable, role: str) -> Any:
        """Return the column ``name`` (a Series); ``role`` is the argument that named it."""
        if name not in self:
            raise ValueError(self.unknown(role, name))
        if self.library == PANDAS:
            series = self.data[name]
            if frame_library(series) is not None:
                raise ValueError(
                    f"{quoted(role)} names column {name!r}, but the frame has "
                    f"{series.shape[1]} columns of that name; rename them first"
                )
            return series
        return self.data.get_column(name)

    def take(self, keep: BoolArray) -> Frame:
        """Return a frame of the rows where ``keep`` is True (in order)."""
        result = Frame.__new__(Frame)
        result.library = self.library
        if self.library == PANDAS:
            result.data = self.data.iloc[np.flatnonzero(keep)]
        else:
            result.data = self.data.filter(_polars().Series(keep))
        result.n = int(np.count_nonzero(keep))
        return result

    def select(self, expression: Any) -> Any:
        """Evaluate a polars expression on the frame into one column."""
        return self.data.select(expression).to_series()


# ---- numbers --------------------------------------------------------------------------


def _object_numbers(values: NDArray[Any], what: str, series: Any) -> NDArray[np.float64]:
    """Read an object column of numbers (and missing values) as floats, or refuse it."""
    kinds = np.fromiter((_kind(v) for v in values), dtype=np.int8, count=len(values))
    other = (kinds != NUMBER) & (kinds != MISSING)
    if other.any():
        i = int(np.argmax(other))
        raise TypeError(
            f"{what} must hold numbers (or booleans); it holds {values[i]!r} at "
            f"{row(series, i)}{_comma_hint(values[i], series)}"
        )
    result = np.full(len(values), np.nan)
    present = kinds == NUMBER
    result[present] = np.array([float(v) for v in values[present]])
    return result


_COMMA_NUMBER = re.compile(r"\s*[+-]?\d[\d.]*,\d+\s*")


def _text_sample(series: Any) -> str:
    """``; it holds '1,5' at row 0`` for a column of text, with advice for decimal commas."""
    for position, value in enumerate(series):  # the first text, without copying the column
        if isinstance(value, str) and value.strip():
            return f"; it holds {value!r} at {row(series, position)}{_comma_hint(value, series)}"
    return ""


def _comma_hint(value: Any, series: Any) -> str:
    """Advice for a number with a decimal comma read as text; "" for other values."""
    if not (isinstance(value, str) and _COMMA_NUMBER.fullmatch(value)):
        return ""
    polars = series_library(series) == POLARS
    grouped = "." in value  # 1.234,5: a thousands separator too
    if polars:
        reader = "polars.read_csv(..., separator=';', decimal_comma=True)"
    else:
        thousands = ", thousands='.'" if grouped else ""
        reader = f"pandas.read_csv(..., sep=';', decimal=','{thousands})"
    return f": a number with a decimal comma, read as text. Read the file with {reader}"


def _arrow_decimal(dtype: Any) -> bool:
    """Whether a pandas dtype is ``ArrowDtype`` of a pyarrow decimal (pyarrow not imported)."""
    return str(getattr(dtype, "pyarrow_dtype", "")).startswith("decimal")


def holds_numbers(series: Any) -> bool:
    """Whether a pandas column whose dtype is not numeric holds numbers all the same.

    A column of Decimals (dtype object, as ``pandas.read_sql`` reads NUMERIC) or of pyarrow
    decimals; an object column with any text, or nothing but missing values, does not.
    """
    dtype = series.dtype
    if _arrow_decimal(dtype):
        return True
    if not (isinstance(dtype, np.dtype) and dtype.kind == "O"):
        return False
    values = series.to_numpy()
    head = [_kind(v) for v in values[:64].tolist()]  # a text column is told by its first rows
    if any(kind not in (NUMBER, MISSING) for kind in head):
        return False
    kinds = np.fromiter((_kind(v) for v in values.tolist()), dtype=np.int8, count=len(values))
    return bool(np.all((kinds == NUMBER) | (kinds == MISSING)) and np.any(kinds == NUMBER))


def numbers(series: Any, role: str) -> NDArray[Any]:
    """Read a numeric (or boolean) column as a numpy array, NaN where a value is missing.

    Without a copy for numeric columns without missing values. Text, categories and dates
    are refused with a `TypeError` that says which column and what it holds.
    """
    what = describe(role, series)
    library = series_library(series)
    dtype = series.dtype
    needs = f"{quoted(role)} needs numbers (or booleans)"
    if library == PANDAS:
        if isinstance(dtype, np.dtype):
            if dtype.kind in "biuf":
                return np.asarray(series.to_numpy())
            if dtype.kind == "O":
                return _object_numbers(series.to_numpy(), what, series)
            raise TypeError(f"{what} has dtype {dtype}; {needs}{_text_sample(series)}")
        if type(dtype).__name__ == "CategoricalDtype":
            raise TypeError(
                f"{what} is categorical; {needs}. For the share in one category pass a "
                "boolean column, such as frame['office'] == 'mayor'"
            )
        if getattr(dtype, "kind", "O") in "biuf" or _arrow_decimal(dtype):
            # nullable integers, floats and booleans; pyarrow decimals (read_parquet, read_sql)
            return np.asarray(series.to_numpy(dtype=np.float64, na_value=np.nan))
        raise TypeError(f"{what} has dtype {dtype}; {needs}{_text_sample(series)}")
    pl = _polars()
    if dtype.is_numeric() or dtype == pl.Boolean:
        if series.null_count() == 0 and not dtype.is_decimal():
            return np.asarray(series.to_numpy())
        return np.asarray(series.cast(pl.Float64).to_numpy())
    sample = _text_sample(series) if dtype == pl.String else ""
    raise TypeError(f"{what} has dtype {dtype}; {needs}{sample}")


# ---- labels ---------------------------------------------------------------------------


def _objects(values: list[Any]) -> NDArray[Any]:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _categories(codes: IntArray, categories: list[Any]) -> tuple[IntArray, NDArray[Any]]:
    """Codes of a categorical column (-1: missing) and its categories that have rows."""
    labels = _objects(categories)
    valid = codes >= 0
    counted = codes if valid.all() else codes[valid]
    present = np.bincount(counted, minlength=len(labels)) > 0
    if present.all():
        return codes, labels
    position = np.cumsum(present, dtype=np.intp) - 1
    return np.where(valid, position[np.maximum(codes, 0)], -1).astype(np.intp), labels[present]


def _order(role: str, codes: IntArray, uniques: list[Any]) -> tuple[IntArray, NDArray[Any]]:
    """Sort the distinct labels ``uniques`` of ``codes`` (-1: missing) as arrays are sorted."""
    rank, labels = factorize(role, _objects(uniques), len(uniques))
    if len(uniques):
        codes = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1)
    return codes.astype(np.intp, copy=False), labels


def _polars_labels(series: Any, role: str) -> tuple[IntArray, NDArray[Any]]:
    pl = _polars()
    dtype = series.dtype
    nulls = series.null_count()
    missing = series.is_null().to_numpy() if nulls else None
    if isinstance(dtype, pl.Enum):
        codes = series.to_physical().fill_null(0).to_numpy().astype(np.intp)
        if missing is not None:
            codes[missing] = -1
        return _categories(codes, dtype.categories.to_list())
    if dtype.is_numeric() or dtype == pl.Boolean:
        if missing is None:
            return factorize(role, series.to_numpy(), len(series), allow_missing=True)
        codes = np.full(len(series), -1, dtype=np.intp)
        present = ~missing
        local, found = factorize(
            role,
            series.filter(pl.Series(present)).to_numpy(),
            int(present.sum()),
            allow_missing=True,
        )
        codes[present] = local
        return codes, found
    text = series.cast(pl.String) if dtype == pl.Categorical else series
    try:
        uniques = text.drop_nulls().unique().sort()
    except Exception:  # a dtype polars cannot sort (lists, objects): code it in Python
        return factorize(role, _objects(series.to_list()), len(series), allow_missing=True)
    try:
        # a hash lookup of each value among the few distinct ones (polars >= 1.0)
        positions = pl.Series(np.arange(len(uniques), dtype=np.int64))
        coded = text.replace_strict(uniques, positions, default=-1, return_dtype=pl.Int64)
        codes = coded.to_numpy().astype(np.intp)
    except (AttributeError, TypeError):  # older polars: dense ranks, in the same order
        codes = text.rank("dense").fill_null(0).to_numpy().astype(np.intp) - 1
    return _order(role, codes, uniques.to_list())


def labels(series: Any, role: str) -> tuple[IntArray, NDArray[Any]]:
    """Integer codes of a label column (-1 where missing) and its labels in domain order.

    The labels are the distinct values present: for a pandas ``Categorical`` or a polars
    ``Enum`` in the order of its categories (categories without rows are left out), for any
    other column sorted.
    """
    if series_library(series) == POLARS:
        return _polars_labels(series, role)
    dtype = series.dtype
    if type(dtype).__name__ == "CategoricalDtype":
        codes = np.asarray(series.cat.codes.to_numpy(), dtype=np.intp)
        return _categories(codes, dtype.categories.tolist())
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        return factorize(role, series.to_numpy(), len(series), allow_missing=True)
    codes, uniques = series.factorize(sort=False, use_na_sentinel=True)
    return _order(role, np.asarray(codes, dtype=np.intp), list(uniques.tolist()))


# ---- masks ----------------------------------------------------------------------------


def mask(series: Any, role: str) -> BoolArray:
    """Read a boolean column as a numpy array; refuse missing values and other types."""
    what = describe(role, series)
    library = series_library(series)
    dtype = series.dtype
    if library == PANDAS:
        boolean = (isinstance(dtype, np.dtype) and dtype.kind == "b") or (
            not isinstance(dtype, np.dtype) and getattr(dtype, "kind", "") == "b"
        )
        missing = np.asarray(series.isna().to_numpy()) if boolean else None
    else:
        pl = _polars()
        boolean = dtype == pl.Boolean
        missing = np.asarray(series.is_null().to_numpy()) if boolean else None
    if not boolean:
        raise TypeError(f"{what} must be boolean (True for the rows to keep); it has dtype {dtype}")
    assert missing is not None
    if missing.any():
        raise ValueError(
            missing_message(
                what,
                series,
                missing,
                "fill them first (pandas fillna(False), polars fill_null(False))",
            )
        )
    if library == PANDAS:
        return np.asarray(series.to_numpy(dtype=bool))
    return np.asarray(series.to_numpy(), dtype=bool)
