"""The error of bad monitor data: every problem found, located."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ERROR_LIMIT", "MonitorDataError"]

#: Most problems shown in the message of one error (``problems`` keeps all of them).
ERROR_LIMIT = 20


class MonitorDataError(ValueError):
    """Bad input for :class:`MonitorData`; ``problems`` lists every one found.

    Attributes
    ----------
    problems : list of str
        One line per problem: table (or file), row (or line), column, value and reason.
    total : int
        Number of problems found; ``problems`` holds all of them, the message the first 20
        and the count of the others.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, MonitorDataError
    >>> try:
    ...     MonitorData.from_columns({"id": ["a", "a"], "wave": [2016, 1990],
    ...                               "layer": ["rijk", "rijk"], "office": ["ambtenaar"] * 2})
    ... except MonitorDataError as error:
    ...     print(error.total, error.problems[0])
    3 respondents row 0: id='a': duplicate id
    """

    def __init__(self, what: str, problems: Sequence[str], total: int | None = None) -> None:
        self.problems = list(problems)
        count = len(self.problems) if total is None else total
        self.total = count
        shown = "\n  ".join(self.problems[:ERROR_LIMIT])
        more = f"\n  ... and {count - ERROR_LIMIT} more" if count > ERROR_LIMIT else ""
        super().__init__(f"{what}: {count} problem(s)\n  {shown}{more}")
