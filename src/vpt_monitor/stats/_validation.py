"""Input checks shared by the public functions of :mod:`vpt_monitor.stats`.

Every check raises at once with a message that names the argument, the offending value and,
for arrays, the (first) index where it occurs. Checks run once, at the public edge; the private
kernels trust their inputs.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

#: Folder of the vpt_monitor package; warnings point at the first frame outside it.
_PACKAGE = str(Path(__file__).resolve().parent.parent) + os.sep


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """Issue a warning attributed to the code that called into the library.

    The stack level is found by walking out of every frame that lies in the ``vpt_monitor``
    package, so a warning raised deep inside points at the user's line however the call got
    there (directly, or through the monitor's indicators).
    """
    frame = sys._getframe(1)
    level = 2
    while frame.f_back is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(
        _PACKAGE
    ):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)


def _where(mask: NDArray[np.bool_]) -> str:
    """Describe the first position where ``mask`` is true (empty for scalars)."""
    if mask.ndim == 0:
        return ""
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return f" at index {index[0] if len(index) == 1 else index}"


def _first(values: NDArray[Any], mask: NDArray[np.bool_]) -> Any:
    """Return the first value of ``values`` where ``mask`` is true, as a Python scalar."""
    return values[mask].ravel()[0].item() if mask.ndim else values.item()


def as_float_array(name: str, value: ArrayLike) -> FloatArray:
    """Convert ``value`` to a float array, refusing non-numeric input with a `TypeError`.

    An array of Python objects that are all numbers (a database's ``Decimal`` values; None
    or a NaN where missing) is read as floats; one holding anything else names it.
    """
    array = np.asarray(value)
    if array.dtype == object:
        return _object_floats(name, array)
    if array.dtype == np.bool_ or not (
        np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)
    ):
        raise TypeError(f"'{name}' must be numeric; got an array of dtype {array.dtype}")
    return array.astype(np.float64, copy=False)


def _object_floats(name: str, array: NDArray[Any]) -> FloatArray:
    from vpt_monitor.stats._labels import MISSING, NUMBER, _kind

    flat = array.ravel()
    kinds = np.fromiter((_kind(v) for v in flat.tolist()), dtype=np.int8, count=flat.size)
    other = ((kinds != NUMBER) & (kinds != MISSING)) | np.fromiter(
        (isinstance(v, bool | np.bool_) for v in flat.tolist()), dtype=bool, count=flat.size
    )
    if other.any():
        i = int(np.argmax(other))
        raise TypeError(
            f"'{name}' must be numeric; it holds {flat[i]!r} at index {i} (an array of "
            "Python objects: convert it to numbers first)"
        )
    result = np.full(flat.size, np.nan)
    present = kinds == NUMBER
    result[present] = [float(v) for v in flat[present].tolist()]
    return result.reshape(array.shape)


def as_counts(name: str, value: ArrayLike) -> FloatArray:
    """Check that ``value`` holds finite, non-negative whole numbers; return them as floats."""
    array = as_float_array(name, value)
    bad = ~np.isfinite(array)
    if bad.any():
        raise ValueError(f"'{name}' must be finite; got {name}={_first(array, bad)}{_where(bad)}")
    bad = array < 0
    if bad.any():
        raise ValueError(f"'{name}' must be >= 0; got {name}={_first(array, bad)}{_where(bad)}")
    bad = array != np.floor(array)
    if bad.any():
        raise ValueError(
            f"'{name}' must be a whole number (a count); got {name}={_first(array, bad)}"
            f"{_where(bad)}"
        )
    return array


def as_positive(
    name: str, value: ArrayLike, advice: Callable[[float], str] | None = None
) -> FloatArray:
    """Check that ``value`` holds finite numbers > 0; return them as floats.

    ``advice`` writes what to do about the first bad value (appended to the message).
    """
    array = as_float_array(name, value)
    bad = ~(np.isfinite(array) & (array > 0))
    if bad.any():
        first = _first(array, bad)
        raise ValueError(
            f"'{name}' must be finite and > 0; got {name}={first}{_where(bad)}"
            f"{advice(float(first)) if advice is not None else ''}"
        )
    return array


def check_not_above(small_name: str, small: FloatArray, large_name: str, large: FloatArray) -> None:
    """Check ``small <= large`` element-wise (both already broadcast to one shape)."""
    bad = small > large
    if bad.any():
        index = tuple(np.argwhere(bad)[0]) if bad.ndim else ()
        s = small[index].item() if bad.ndim else small.item()
        g = large[index].item() if bad.ndim else large.item()
        raise ValueError(
            f"'{large_name}' must be >= '{small_name}'; got {small_name}={s:g}, "
            f"{large_name}={g:g}{_where(bad)}"
        )


def check_level(level: float) -> float:
    """Check that the confidence level is a number strictly between 0 and 1."""
    if isinstance(level, bool) or not isinstance(level, int | float | np.floating | np.integer):
        raise TypeError(f"'level' must be a number in (0, 1); got {level!r}")
    value = float(level)
    if not 0.0 < value < 1.0:
        raise ValueError(f"'level' must be strictly between 0 and 1; got level={level!r}")
    return value


def check_choice(name: str, value: object, valid: Iterable[str]) -> str:
    """Return the option of ``valid`` that ``value`` names; raise listing the valid ones.

    Names match exactly, except that ``-`` and ``_`` are interchangeable
    (``"clopper-pearson"`` names ``"clopper_pearson"``, ``"rao_scott_2"`` names
    ``"rao-scott-2"``); there is no prefix matching and no case folding. Callers use the
    returned spelling, never ``value`` itself.

    Examples
    --------
    >>> from vpt_monitor.stats._validation import check_choice
    >>> check_choice("method", "clopper-pearson", ("wilson", "clopper_pearson"))
    'clopper_pearson'
    """
    options = tuple(valid)
    if isinstance(value, str):
        key = value.replace("-", "_")
        for option in options:
            if option.replace("-", "_") == key:
                return option
    listed = ", ".join(repr(option) for option in options)
    raise ValueError(
        f"unknown {name} {value!r}; valid values are {listed} ('-' and '_' may be swapped)"
    )


def broadcast(**arrays: FloatArray) -> tuple[FloatArray, ...]:
    """Broadcast the named arrays together, naming them if their shapes do not fit."""
    try:
        return tuple(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {np.shape(a)}" for name, a in arrays.items())
        raise ValueError(f"the shapes of the arguments do not broadcast: {shapes}") from None
