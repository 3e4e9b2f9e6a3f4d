"""Read-only arrays: the one helper every design, result and record of the subpackage uses.

Designs and results hand out arrays that callers must not change (a changed weight would
silently change every later estimate). :func:`read_only` makes such an array, by copying the
input (the default, so that the caller's own array stays theirs) or as a read-only view of
an array the library made itself.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

__all__ = ["read_only", "read_only_view"]


@overload
def read_only(value: None, dtype: DTypeLike | None = None, *, copy: bool = True) -> None: ...


@overload
def read_only(
    value: ArrayLike, dtype: DTypeLike | None = None, *, copy: bool = True
) -> NDArray[Any]: ...


def read_only(
    value: ArrayLike | None, dtype: DTypeLike | None = None, *, copy: bool = True
) -> NDArray[Any] | None:
    """Return ``value`` as an array that cannot be written to (None stays None).

    Parameters
    ----------
    value : array_like or None
        The values.
    dtype : numpy dtype, optional
        Convert to this type (a conversion always copies).
    copy : bool, default True
        Copy the values, so that later changes to ``value`` do not show. With ``copy=False``
        an array is wrapped in a read-only view (no copy): for arrays the library made
        itself and hands over.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor.stats._arrays import read_only
    >>> mine = np.array([1.0, 2.0])
    >>> frozen = read_only(mine)
    >>> frozen.flags.writeable, mine.flags.writeable
    (False, True)
    """
    if value is None:
        return None
    if copy:
        array = np.array(value, dtype=dtype, copy=True)
    else:
        array = np.asarray(value, dtype=dtype)
        if array.flags.writeable:
            array = array.view()
    array.setflags(write=False)
    return array


def read_only_view(value: ArrayLike | None) -> NDArray[Any] | None:
    """:func:`read_only` without a copy (an attrs converter for arrays the library made)."""
    return read_only(value, copy=False)
