"""Shared fixtures: reference values printed by the committed R scripts."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import settings

REFERENCE = Path(__file__).parent / "reference"


def read_reference_columns(name: str) -> dict[str, list[str]]:
    """Columns of a CSV fixture in ``tests/reference`` as lists of strings."""
    rows = read_reference_csv(name)
    return {key: [row[key] for row in rows] for key in rows[0]}


def read_reference_csv(name: str) -> list[dict[str, str]]:
    """Rows of a CSV fixture in ``tests/reference`` as dictionaries of strings."""
    with open(REFERENCE / name, newline="") as handle:
        return list(csv.DictReader(handle))


# Property tests check correctness, not speed: no per-example deadline, so that a busy
# machine (CI shares two cores) cannot turn a slow example into a failure.
settings.register_profile("vpt", deadline=None)
settings.load_profile("vpt")
