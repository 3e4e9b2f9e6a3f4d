"""The confidence-interval result used throughout the library."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats import _print
from vpt_monitor.stats._arrays import read_only

__all__ = ["ConfidenceInterval"]


def _freeze(value: Any) -> float | NDArray[np.float64]:
    """Store 0-d input as a Python float and arrays as read-only float arrays."""
    array = read_only(value, np.float64)
    return float(array) if array.ndim == 0 else array


@attrs.frozen(eq=False, repr=False)
class ConfidenceInterval:
    """A confidence interval, for one value or for an array of values.

    The same class serves a single proportion and a whole table of them: ``low`` and ``high``
    are Python floats when the interval is for one value, and read-only arrays of one shape
    otherwise. An interval that does not exist (for example for 0 trials) has NaN bounds.

    Attributes
    ----------
    low, high : float or numpy.ndarray
        Lower and upper bounds.
    level : float
        Confidence level, a number in (0, 1), such as 0.95.
    method : str
        Name of the method that produced the interval, such as ``"wilson"``.

    Examples
    --------
    >>> from vpt_monitor.stats import proportion_ci
    >>> ci = proportion_ci(81, 263)
    >>> round(ci.low, 4), round(ci.high, 4)
    (0.2553, 0.3662)
    >>> low, high = ci  # unpacks like a pair
    >>> ci.contains(0.3)
    True
    """

    low: float | NDArray[np.float64] = attrs.field(converter=_freeze)
    high: float | NDArray[np.float64] = attrs.field(converter=_freeze)
    level: float = attrs.field(converter=float)
    method: str = attrs.field()

    def __iter__(self) -> Iterator[float | NDArray[np.float64]]:
        """Yield ``low`` and ``high``, so that ``low, high = ci`` works."""
        yield self.low
        yield self.high

    @property
    def width(self) -> float | NDArray[np.float64]:
        """Width of the interval, ``high - low``."""
        return _freeze(np.subtract(self.high, self.low))

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the bounds; ``()`` for an interval of one value."""
        return tuple(np.shape(self.low))

    def contains(self, value: Any) -> bool | NDArray[np.bool_]:
        """Whether ``value`` lies within the closed interval (element-wise for arrays)."""
        inside = (np.asarray(self.low) <= value) & (np.asarray(value) <= self.high)
        return bool(inside) if np.ndim(inside) == 0 else inside

    def to_pandas(self) -> Any:
        """Return the bounds as a :class:`pandas.DataFrame` with columns ``low`` and ``high``.

        Requires pandas (the ``pandas`` extra).
        """
        import pandas as pd

        return pd.DataFrame({"low": np.atleast_1d(self.low), "high": np.atleast_1d(self.high)})

    def __repr__(self) -> str:
        if isinstance(self.low, float):  # fixed notation, never 3.2e-05 (stats._print)
            low, high = (_print.fixed_one(v, 6) for v in (self.low, self.high))
            bounds = f"low={low}, high={high}"
        else:
            with np.printoptions(precision=6, threshold=20, suppress=True):
                bounds = f"low={self.low!r}, high={self.high!r}"
        return f"ConfidenceInterval({bounds}, level={self.level:g}, method={self.method!r})"
