"""The error of bad monitor data: every problem found, located."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["ERROR_LIMIT", "MonitorDataError"]

#: Most lines shown in the message of one error (``problems`` keeps all of them).
ERROR_LIMIT = 20
#: Line (or row) numbers shown for a problem repeated on many lines.
NUMBERS_SHOWN = 3

_WHERE = re.compile(r"(?P<where>.+?) (?P<unit>line|row) (?P<number>\d+): (?P<rest>.*)", re.DOTALL)
_CELL = re.compile(
    r"(?P<cell>[^=:]+=(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^:]*)): (?P<why>.*)", re.DOTALL
)


def summarise(problems: Sequence[str], limit: int = ERROR_LIMIT) -> tuple[list[str], int, int]:
    """Return the message's lines, how many problems they leave out and how many differ.

    A problem repeated on many lines is one line of the message.

    Problems that differ only in their line (or row) number, the same column, value and
    reason, are one line: ``r.csv: province='X' on 1,981 lines (2, 3, 5, ...): reason``, so
    that a different problem further down is not hidden behind copies of the first.
    """
    groups: dict[tuple[str, str, str], list[str]] = {}
    for problem in problems:
        match = _WHERE.fullmatch(problem)
        if match is None:
            groups.setdefault(("", "", problem), []).append("")
        else:
            key = (match["where"], match["unit"], match["rest"])
            groups.setdefault(key, []).append(match["number"])
    lines: list[str] = []
    shown = 0
    for (where, unit, rest), numbers in list(groups.items())[:limit]:
        shown += len(numbers)
        if not where:
            lines.append(rest)
        elif len(numbers) == 1:
            lines.append(f"{where} {unit} {numbers[0]}: {rest}")
        else:
            listed = ", ".join(numbers[:NUMBERS_SHOWN]) + (
                ", ..." if len(numbers) > NUMBERS_SHOWN else ""
            )
            many = f"on {len(numbers):,} {unit}s ({listed})"
            cell = _CELL.fullmatch(rest)
            if cell is None:
                lines.append(f"{where}: {many}: {rest}")
            else:
                lines.append(f"{where}: {cell['cell']} {many}: {cell['why']}")
    return lines, len(problems) - shown, len(groups)


class MonitorDataError(ValueError):
    """Bad input for :class:`MonitorData`; ``problems`` lists every one found.

    Attributes
    ----------
    problems : list of str
        One line per problem: table (or file), row (or line), column, value and reason.
    total : int
        Number of problems found; ``problems`` holds all of them, the message the first 20
        distinct ones (a problem repeated on many lines is one line that counts the lines
        and lists the first few) and the count of the others.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, MonitorDataError
    >>> try:
    ...     MonitorData.from_columns({"id": ["a", "a"], "wave": [2016, 2016],
    ...                               "layer": ["rijk", "rijk"], "office": ["ambtenaar", "cdk"]})
    ... except MonitorDataError as error:
    ...     print(error.total, error.problems[0])
    3 respondents row 0: id='a': duplicate id in wave 2016 (ids are unique within a wave)
    """

    def __init__(self, what: str, problems: Sequence[str], total: int | None = None) -> None:
        self.problems = list(problems)
        count = len(self.problems) if total is None else total
        self.total = count
        lines, left, different = summarise(self.problems)
        left += count - len(self.problems)
        shown = "\n  ".join(lines)
        header = f"{what}: {count:,} problem{'' if count == 1 else 's'}"
        grouped = different < len(self.problems)  # some were repeated on several lines
        if grouped:
            header += f", {different:,} different (a problem on several lines is shown once)"
        more = ""
        if left > 0:
            unseen = different - len(lines)
            more = (
                f"\n  ... and {unseen:,} more different, {left:,} problems between them"
                if grouped and 0 < unseen != left
                else f"\n  ... and {left:,} more"
            )
        super().__init__(f"{header}\n  {shown}{more}")
