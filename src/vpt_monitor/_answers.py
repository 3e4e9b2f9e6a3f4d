"""Answers of records as columns and back: yes/no/missing codes and counts with missing.

Columns hold an answer as ``int8``: 1 yes, 0 no, -1 not answered (or not asked); counts as
``int64`` with -1 for not answered. A set-valued question becomes one such column per member
of its vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vpt_monitor._frozen import FrozenMap

#: Code of a missing answer in every answer and count column.
MISSING = -1


def yes_no(values: Iterable[bool | None]) -> NDArray[np.int8]:
    """Code optional booleans as 1, 0 and -1 (missing)."""
    return np.fromiter((MISSING if v is None else int(v) for v in values), dtype=np.int8)


def from_yes_no(value: Any) -> bool | None:
    """Inverse of :func:`yes_no` for one code."""
    return None if value < 0 else bool(value)


def answer_matrix(answers: Sequence[Any], members: tuple[Any, ...]) -> NDArray[np.int8]:
    """Code set-valued answers (a set, a mapping ``{member: bool | None}`` or None)."""
    table = np.zeros((len(answers), len(members)), dtype=np.int8)
    where = {member: k for k, member in enumerate(members)}
    for i, answer in enumerate(answers):
        if answer is None:
            table[i] = MISSING
        elif isinstance(answer, Mapping):
            for member, value in answer.items():
                table[i, where[member]] = MISSING if value is None else int(value)
        else:
            for member in answer:
                table[i, where[member]] = 1
    return table


def answers_of(row: NDArray[np.int8], members: tuple[Any, ...]) -> Any:
    """Inverse of :func:`answer_matrix` for one row: a frozenset, a mapping or None."""
    if (row < 0).all():
        return None
    if (row >= 0).all():
        return frozenset(members[k] for k in np.flatnonzero(row == 1))
    return FrozenMap({members[k]: (None if row[k] < 0 else True) for k in np.flatnonzero(row != 0)})


def count_matrix(counts: Sequence[Mapping[Any, int | None] | None], forms: tuple[Any, ...]) -> Any:
    """Code counts per form (forms not named are 0; None is missing) as ``int64``."""
    table = np.zeros((len(counts), len(forms)), dtype=np.int64)
    where = {form: k for k, form in enumerate(forms)}
    for i, mapping in enumerate(counts):
        if mapping is None:
            table[i] = MISSING
            continue
        for form, count in mapping.items():
            table[i, where[form]] = MISSING if count is None else count
    return table


def counts_of(row: NDArray[np.int64], forms: tuple[Any, ...]) -> Mapping[Any, int | None] | None:
    """Inverse of :func:`count_matrix` for one row."""
    if (row < 0).all():
        return None
    return {forms[k]: (None if row[k] < 0 else int(row[k])) for k in np.flatnonzero(row != 0)}
