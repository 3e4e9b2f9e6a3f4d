"""What the estimators are given: analysis variables and domains, as arrays or column names.

An analysis variable or a ``by=`` part is an array, a pandas or polars Series, or the name of
a column of the design's frame (see :meth:`SurveyDesign.from_frame`). Whatever the source,
the estimators receive the same thing: float values with one per row, and the domain code of
every row, where rows that take part in no estimate - outside a :meth:`SurveyDesign.subset`,
or with a missing value under ``na="domain"`` - share one extra code past the last domain.
They stay in the design; the estimator treats them as one more domain and drops it from the
result, which is how R ``survey`` estimates on subsets and with ``na.rm=TRUE``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt_monitor.stats import _frames
from vpt_monitor.stats._labels import factorize
from vpt_monitor.stats._validation import as_float_array, check_choice
from vpt_monitor.stats.design import ReplicateDesign, SurveyDesign

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

#: A variable: an array, a pandas or polars Series, or the name of a column of the frame.
Column = ArrayLike | str
#: Domains: one variable or a tuple of them.
By = Column | tuple[Column, ...] | None

NA_POLICIES = ("fail", "domain")

_NA_HINT = (
    "pass na='domain' to leave rows without a value out of the estimate, as R's "
    "na.rm=TRUE does (they stay in the design, as a domain)"
)


def check_na(na: object) -> str:
    """Check the ``na=`` policy."""
    return check_choice("na", na, NA_POLICIES)


def _base(design: SurveyDesign | ReplicateDesign) -> SurveyDesign:
    return design.base if isinstance(design, ReplicateDesign) else design


def column(role: str, value: object, design: SurveyDesign) -> Any | None:
    """Return the Series ``value`` names or is, or None for an array."""
    if isinstance(value, str):
        source = design._frame
        if source is None:
            raise TypeError(
                f"{_frames.quoted(role)} is the column name {value!r}, but the design was not "
                "made from a data frame; make it with SurveyDesign.from_frame(...) or pass "
                "an array"
            )
        return source.column(value, role)
    if _frames.series_library(value) is not None:
        return value
    if _frames.frame_library(value) is not None:
        raise TypeError(
            f"{_frames.quoted(role)} is a whole data frame; pass one of its columns, or its name"
        )
    return None


def label_codes(role: str, value: object, design: SurveyDesign) -> tuple[IntArray, NDArray[Any]]:
    """Codes ``0 .. k - 1`` and labels of a label variable (array or column); none missing."""
    series = column(role, value, design)
    if series is None:
        return factorize(role, value, design.n)  # type: ignore[arg-type]
    _length(role, series, design.n)
    codes, labels = _frames.labels(series, role)
    missing = codes < 0
    if missing.any():
        if not isinstance(value, str):  # a Series given directly: the message of an array
            factorize(role, np.asarray(value), design.n)
        raise ValueError(
            _frames.missing_message(
                _frames.describe(role, series), series, missing, "every row needs a label"
            )
        )
    return codes, labels


def _length(role: str, series: Any, n: int) -> None:
    if len(series) != n:
        raise ValueError(
            f"{_frames.describe(role, series)} has {len(series)} values but the design has "
            f"{n} rows; give one value per row"
        )


def response(
    role: str,
    value: object,
    design: SurveyDesign | ReplicateDesign,
    na: str,
    *,
    binary: bool = False,
) -> tuple[FloatArray, BoolArray | None]:
    """Read an analysis variable: float values (0 where unused) and the missing ones.

    Missing values (NaN, None, ``pandas.NA``, polars nulls) are refused under ``na="fail"``
    and returned as a mask under ``na="domain"``; values outside the design's subset are not
    checked. Infinite values are refused, and with ``binary`` anything but 0 and 1.
    """
    base = _base(design)
    series = column(role, value, base)
    # a column named by the caller is described as a column of the frame, with its rows;
    # an array or a Series given directly as an argument, with its index
    named = series is not None and isinstance(value, str)
    if series is not None:
        _length(role, series, base.n)
        raw = _frames.numbers(series, role)
    else:
        raw = np.asarray(value)
    what = _frames.describe(role, series) if named else _frames.quoted(role)

    def where(i: int) -> str:
        return f"at {_frames.row(series, i)}" if named else f"at index {i}"

    if raw.dtype == np.bool_:
        raw = raw.astype(np.float64)
    y = as_float_array(role, raw)
    if y.shape != (base.n,):
        raise ValueError(
            f"{what} has shape {y.shape} but the design has {base.n} rows; give one value per row"
        )
    inside = base.in_subset
    missing: BoolArray | None = None
    bad = ~np.isfinite(y)
    if bad.any():
        nan = np.isnan(y)
        wrong = bad & ~nan if inside is None else bad & ~nan & inside
        if wrong.any():
            i = int(np.argmax(wrong))
            shown = repr(y[i].item()) if named else f"{role}={y[i].item()!r}"
            raise ValueError(f"{what} must be finite; got {shown} {where(i)}")
        counted = nan if inside is None else nan & inside
        if counted.any() and na == "fail":
            if named:
                raise ValueError(_frames.missing_message(what, series, counted, _NA_HINT))
            i = int(np.argmax(counted))
            raise ValueError(
                f"{what} must be finite; got {role}=nan at index {i} "
                f"({int(counted.sum())} missing; {_NA_HINT})"
            )
        missing = nan if nan.any() else None
        y = np.where(bad, 0.0, y)
    if binary:
        wrong = (y != 0) & (y != 1)
        if inside is not None:
            wrong &= inside
        if wrong.any():
            i = int(np.argmax(wrong))
            shown = repr(y[i].item()) if named else f"{role}={y[i].item()!r}"
            raise ValueError(f"{what} must be 0 or 1 (or boolean); got {shown} {where(i)}")
    return y, missing


#: Several variables: a list of column names, a mapping {name: variable}, or an n x m array.
Columns = Column | Sequence[str] | Mapping[Hashable, Column]


def responses(
    role: str,
    value: object,
    design: SurveyDesign | ReplicateDesign,
    na: str,
    *,
    binary: bool = False,
) -> tuple[FloatArray, BoolArray | None, tuple[Hashable, ...], bool]:
    """Read one variable or several: ``n x m`` values, missing rows, names, several or not.

    Several variables are a list of column names of the design's frame, a mapping
    ``{name: variable}`` (arrays, Series or column names), or a two-dimensional ``n x m``
    array (its columns named ``0 .. m - 1``). A row missing any of them is missing for all
    (as R's ``na.rm=TRUE`` with a formula of several variables).
    """
    items: list[tuple[Hashable, object, str]]
    if isinstance(value, Mapping):
        items = [(name, v, f"{role}[{name!r}]") for name, v in value.items()]
    elif (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(isinstance(v, str) for v in value)
    ):
        items = [(name, name, role) for name in value]
    elif (
        not isinstance(value, str)
        and _frames.series_library(value) is None
        and _frames.frame_library(value) is None
        and np.ndim(value) == 2  # type: ignore[arg-type]
    ):
        array = np.asarray(value)
        items = [(j, array[:, j], f"{role}[{j}]") for j in range(array.shape[1])]
    else:
        single, absent_single = response(role, value, design, na, binary=binary)
        return single[:, None], absent_single, (None,), False
    if not items:
        raise ValueError(f"{_frames.quoted(role)} names no variable; give at least one")
    names = [name for name, _, _ in items]
    if len(set(names)) != len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise ValueError(f"{_frames.quoted(role)} names the variable {twice!r} twice")
    columns = []
    missing: BoolArray | None = None
    for _, v, part in items:
        y, absent = response(part, v, design, na, binary=binary)
        columns.append(y)
        if absent is not None:
            missing = absent if missing is None else missing | absent
    return np.column_stack(columns), missing, tuple(names), True


@attrs.frozen(eq=False)
class Domains:
    """The domain of every row and the rows left out, ready for the estimators.

    Attributes
    ----------
    codes : numpy.ndarray of int
        Per row, its domain ``0 .. size - 1``, or ``size`` for a row left out.
    labels : tuple
        Domain labels (``((),)`` without ``by``).
    names : tuple of str
        Names of the domain variables.
    size : int
        Number of domains.
    left_out : bool
        Whether any row is left out (then the estimators work on ``size + 1`` domains).
    notes : dict
        For ``na="domain"``: ``missing``, the rows of the subset left out for a missing
        value, and ``missing_by_domain``, those with a domain, per domain.
    """

    codes: IntArray
    labels: tuple[Hashable, ...]
    names: tuple[str, ...]
    size: int
    left_out: bool
    notes: dict[str, Any]

    @property
    def total(self) -> int:
        """Number of domains the estimators work on, the left-out rows included."""
        return self.size + int(self.left_out)


def _part(
    role: str, part: object, design: SurveyDesign, default: str
) -> tuple[IntArray, NDArray[Any], str, Any]:
    """Codes (-1: missing), labels, name and the frame's column of one ``by`` variable.

    The column is returned only when ``part`` named it (for messages about its rows).
    """
    series = column(role, part, design)
    if series is not None:
        _length(role, series, design.n)
        codes, labels = _frames.labels(series, role)
        name = series.name if series.name not in (None, "") else default
        return codes, labels, str(name), series if isinstance(part, str) else None
    codes, labels = factorize(role, part, design.n, allow_missing=True)  # type: ignore[arg-type]
    return codes, labels, str(getattr(part, "name", None) or default), None


def domains(
    by: By,
    design: SurveyDesign | ReplicateDesign,
    na: str,
    missing: BoolArray | None = None,
    *,
    role: str = "by",
) -> Domains:
    """Code the domains of ``by`` and mark the rows left out.

    ``role`` names the argument in messages (``"x"`` of a test of association, ``"group"``
    of a t test).

    Rows outside the design's subset are left out and their labels do not make domains;
    rows with a missing label (under ``na="domain"``) or a missing analysis value
    (``missing``) are left out but their labels still make domains, which are then flagged
    ``"not_measured"`` by the estimators when no row of them is left.
    """
    base = _base(design)
    n = base.n
    inside = base.in_subset
    if by is None:
        codes: IntArray = np.zeros(n, dtype=np.intp)
        labels: tuple[Hashable, ...] = ((),)
        names: tuple[str, ...] = ()
        unlabelled: BoolArray | None = None
    else:
        parts: Sequence[Any] = by if isinstance(by, tuple) else (by,)
        if not parts:
            raise ValueError(f"'{role}' is an empty tuple; give one variable or a tuple of them")
        single = len(parts) == 1
        coded = [
            _part(
                role if single else f"{role}[{i}]",
                part,
                base,
                "domain" if single else f"by{i}",
            )
            for i, part in enumerate(parts)
        ]
        names = tuple(name for _, _, name, _ in coded)
        unlabelled = None
        for i, (part_codes, _, _, series) in enumerate(coded):
            absent = part_codes < 0
            if not absent.any():
                continue
            counted = absent if inside is None else absent & inside
            if counted.any() and na == "fail":
                part_role = role if single else f"{role}[{i}]"
                if series is not None:
                    raise ValueError(
                        _frames.missing_message(
                            _frames.describe(part_role, series), series, counted, _NA_HINT
                        )
                    )
                # the message of an array, as factorize gives it
                factorize(part_role, np.asarray(parts[i]), n)
            unlabelled = absent if unlabelled is None else unlabelled | absent
        if any(len(part_labels) == 0 for _, part_labels, _, _ in coded):
            labels = ()
        else:
            codes, labels = _combine(coded, n, unlabelled if inside is None else None, inside)

    if not labels:  # only under na="domain": every row kept has a missing label
        raise ValueError(
            f"'{role}' leaves no domain: every row (of the subset) has a missing label in "
            f"{', '.join(names)}"
        )
    left = None if inside is None else ~inside
    if unlabelled is not None:
        left = unlabelled if left is None else left | unlabelled
    size = len(labels)
    notes: dict[str, Any] = {}
    if na == "domain":
        counted_missing = np.zeros(n, dtype=bool) if unlabelled is None else unlabelled.copy()
        if missing is not None:
            counted_missing |= missing
        if inside is not None:
            counted_missing &= inside
        notes["missing"] = int(counted_missing.sum())
        if missing is not None and by is not None:
            answered_not = missing if left is None else missing & ~left
            per = np.bincount(codes[answered_not], minlength=size)
            notes["missing_by_domain"] = {
                label: int(k) for label, k in zip(labels, per.tolist(), strict=True) if k
            }
    if missing is not None:
        left = missing if left is None else left | missing
    left_out = bool(left is not None and left.any())
    if left_out:
        assert left is not None
        codes = np.where(left, size, codes).astype(np.intp, copy=False)
    return Domains(codes, labels, names, size, left_out, notes)


def _combine(
    coded: list[tuple[IntArray, NDArray[Any], str, Any]],
    n: int,
    unlabelled: BoolArray | None,
    inside: BoolArray | None,
) -> tuple[IntArray, tuple[Hashable, ...]]:
    """One code per row for the (crossed) labels present among the rows that count."""
    counted: BoolArray | None = None
    if inside is not None:
        counted = inside.copy()
        for part_codes, _, _, _ in coded:
            counted &= part_codes >= 0
    elif unlabelled is not None:
        counted = ~unlabelled
    sizes = tuple(len(labels) for _, labels, _, _ in coded)
    if len(coded) == 1:
        flat = coded[0][0]
        cells = sizes[0]
    else:
        flat = np.ravel_multi_index(
            tuple(np.maximum(part_codes, 0) for part_codes, _, _, _ in coded), sizes
        )
        cells = int(np.prod(sizes))
    sample = flat if counted is None else flat[counted]
    if len(coded) == 1 and counted is None:  # every label source codes only labels present
        codes, present = flat, np.arange(cells, dtype=np.intp)
    elif cells <= max(4 * n, 1 << 16):
        used = np.bincount(sample, minlength=cells) > 0
        position = np.cumsum(used, dtype=np.intp) - 1
        codes = position[np.maximum(flat, 0)]
        present = np.flatnonzero(used).astype(np.intp)
    else:
        present = np.unique(sample)
        codes = np.minimum(np.searchsorted(present, flat), max(len(present) - 1, 0))
    codes = codes.astype(np.intp, copy=False)
    if len(coded) == 1:
        return codes, tuple(coded[0][1][present].tolist())
    combos = np.unravel_index(present, sizes)
    columns = [coded[j][1][combos[j]].tolist() for j in range(len(coded))]
    return codes, tuple(zip(*columns, strict=True))
