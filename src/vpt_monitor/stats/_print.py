"""How results print their numbers: fixed notation, one number of decimals per column.

The rule, for every printed result (:class:`~vpt_monitor.stats.Estimate`,
:class:`~vpt_monitor.stats.EstimateTable`, :class:`~vpt_monitor.stats.ConfidenceInterval`,
a fitted model, the weight diagnostics, the monitor's change, trend and plan tables): a column
of numbers is written in fixed notation, never as ``3.2e-05`` or ``1.2e+09``, with one number
of decimals for the whole column, enough to show its largest value to ``significant`` digits
(4 for estimates, standard errors and bounds; 3 for design effects and ratios), between 0 and
:data:`MOST_DECIMALS`, less the trailing zeros that every value of the column has. A column
of small numbers thus keeps its digits (a standard error of 3.2e-05 prints as
``0.000032``), a large number prints whole (``1234567890``), and the decimal points of a
column line up. A value far smaller than its column's largest shows as
zero to that column's decimals (the exact values are in the attributes and the frames).
NaN prints as ``nan``, infinity as ``inf``.

Examples
--------
>>> from vpt_monitor.stats._print import fixed
>>> fixed([0.000032, 0.000041])
['0.000032', '0.000041']
>>> fixed([1234567890.0, 3.0])
['1234567890', '3']
>>> fixed([0.2436, 0.5, float("nan")])
['0.2436', '0.5000', 'nan']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "MOST_DECIMALS",
    "count",
    "decimals",
    "fixed",
    "fixed_one",
    "html",
    "notebook",
    "p_value",
    "write",
]

#: The most decimals a printed column gets (a column whose largest value is below 1e-9
#: shows as zeros; its values are in the result's attributes).
MOST_DECIMALS = 12


def decimals(values: Iterable[Any], significant: int = 4) -> int:
    """Decimals that show the largest finite value of ``values`` to ``significant`` digits.

    Between 0 and :data:`MOST_DECIMALS`; 2 when no value is finite and non-zero.
    """
    array = np.abs(np.asarray(list(values) if not isinstance(values, np.ndarray) else values))
    finite = array[np.isfinite(array) & (array > 0)] if array.size else array
    if finite.size == 0:
        return 2
    largest = float(finite.max())
    return int(min(max(significant - 1 - math.floor(math.log10(largest)), 0), MOST_DECIMALS))


def write(value: Any, digits: int) -> str:
    """Write ``value`` in fixed notation with ``digits`` decimals (nan, inf as words)."""
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = f"{value:.{digits}f}"
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # no "-0.0000"
    return text


def fixed(values: Iterable[Any], significant: int = 4) -> list[str]:
    """Write a column of numbers in fixed notation with one number of decimals (see above)."""
    array = np.asarray(
        list(values) if not isinstance(values, np.ndarray) else values, dtype=np.float64
    ).ravel()
    digits = decimals(array, significant)
    texts = [write(float(v), digits) for v in array]
    while digits > 0:  # drop the trailing zeros every value of the column has
        numbers = [t for t in texts if t[-1:].isdigit()]
        if not numbers or any(not t.endswith("0") for t in numbers):
            break
        digits -= 1
        texts = [write(float(v), digits) for v in array]
    return texts


def fixed_one(value: Any, significant: int = 4) -> str:
    """Write one number in fixed notation to ``significant`` digits, trailing zeros dropped.

    A single value needs no column to line up with: it is written as ``format(x, ".4g")``
    would be, without scientific notation.

    Examples
    --------
    >>> from vpt_monitor.stats._print import fixed_one
    >>> fixed_one(3.0), fixed_one(0.0000321987), fixed_one(2.5e12)
    ('3', '0.0000322', '2500000000000')
    """
    text = fixed([value], significant)[0]
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def level(value: float, decimal: str = ".") -> str:
    """Write a confidence level as a percentage with the digits it has (95%, 99.5%).

    Examples
    --------
    >>> level(0.95), level(0.995), level(0.9), level(0.995, decimal=",")
    ('95%', '99.5%', '90%', '99,5%')
    """
    return f"{round(100 * float(value), 6):g}".replace(".", decimal) + "%"


def count(value: Any) -> str:
    """Write degrees of freedom or a count: whole numbers whole (``49``), others to 4 digits."""
    number = float(value)
    if math.isfinite(number) and number.is_integer():
        return str(int(number))
    return fixed_one(number)


#: p-values below this print as ``<0.0001``.
SMALLEST_P = 1e-4


def p_value(value: Any) -> str:
    """Write a p-value: four decimals, ``<0.0001`` below that, ``nan`` when there is none.

    Examples
    --------
    >>> from vpt_monitor.stats._print import p_value
    >>> p_value(0.04321), p_value(3.1e-05), p_value(float("nan"))
    ('0.0432', '<0.0001', 'nan')
    """
    number = float(value)
    if math.isnan(number):
        return "nan"
    return f"<{SMALLEST_P:.4f}" if number < SMALLEST_P else f"{number:.4f}"


#: Columns of p-values in the frames (written by :func:`p_value` in notebooks).
P_VALUE_COLUMNS = frozenset({"p_value", "p_adjusted"})


def html(
    title: str,
    frame: Any,
    *,
    warning: str = "",
    notes: Iterable[str] = (),
    writers: Mapping[str, Callable[[Any], str]] | None = None,
) -> str:
    """Show a result in a notebook: its title line, a warning when flagged, the table.

    The numbers of ``frame`` (a pandas DataFrame) are written as the printed results write
    them: one number of decimals per column in fixed notation, p-values (the columns of
    :data:`P_VALUE_COLUMNS`) as :func:`p_value` does; ``writers`` writes the named columns
    value by value instead (a model's coefficients, each to its own digits). The frame
    itself, from ``to_pandas()``, keeps the exact values.
    """
    from html import escape

    shown = frame.copy()
    for name in shown.columns:
        column = shown[name]
        if writers is not None and name in writers:
            shown[name] = [writers[name](v) for v in column]
        elif column.dtype.kind != "f":
            continue
        elif str(name) in P_VALUE_COLUMNS:
            shown[name] = [p_value(v) for v in column]
        else:
            shown[name] = fixed(column.to_numpy())
    parts = [f"<p><b>{escape(title)}</b></p>"]
    if warning:
        parts.append(f'<p style="color:#a40000"><b>Warning:</b> {escape(warning)}</p>')
    parts.append(shown.to_html(justify="right"))
    parts += [f"<p><small>{escape(note)}</small></p>" for note in notes]
    return "\n".join(parts)


def notebook(
    result: Any,
    frame: Any,
    *,
    notes: Iterable[str] = (),
    labels: tuple[str, Sequence[str]] | None = None,
) -> str | None:
    """Show ``result`` in a notebook: its printed title line, then ``frame()`` by :func:`html`.

    ``frame`` makes the result's pandas frame; without pandas there is nothing to show
    (None: the notebook prints ``repr``). ``labels``, a column title and one label per row,
    puts the domains' names as printed in a first column, beside the frame's codes.
    """
    try:
        table = frame()
    except ImportError:  # pragma: no cover - pandas is optional
        return None
    if labels is not None and labels[0] not in table.columns:
        table.insert(0, labels[0], list(labels[1]))
    return html(repr(result).splitlines()[0], table, notes=notes)
