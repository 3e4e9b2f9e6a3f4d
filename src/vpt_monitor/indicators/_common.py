"""Shared machinery of the indicators: ``by=`` names, sub-populations and empty domains.

Indicators are thin: each turns monitor data into arrays and calls :mod:`vpt_monitor.stats`.
This module resolves ``by=`` names ("wave", "layer", "office", "group") to code arrays, runs
the estimator on the full design, restricts it to a sub-population (victims, political office
holders) as one more domain dimension, and lists every possible domain, flagging the empty
ones instead of dropping them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor.data import GROUPS, LAYERS, OFFICES, MonitorData
from vpt_monitor.stats import Estimate, EstimateTable

BY_NAMES = ("wave", "layer", "office", "group")
ORGANISATION_BY_NAMES = ("wave", "layer")

By = str | Sequence[str] | None
Estimator = Callable[..., Estimate | EstimateTable]


def _names(by: By, allowed: tuple[str, ...] = BY_NAMES) -> tuple[str, ...]:
    if by is None:
        return ()
    names = (by,) if isinstance(by, str) else tuple(by)
    if not names:
        raise ValueError("'by' is empty; give a name or a tuple of names")
    for name in names:
        if name not in allowed:
            valid = ", ".join(repr(n) for n in allowed)
            raise ValueError(f"unknown by {name!r}; valid values are {valid}")
    if len(set(names)) != len(names):
        raise ValueError(f"'by' names a variable twice: {names}")
    return names


class Unit:
    """Which table of the data an indicator is about: respondents or organisations."""

    def __init__(self, data: MonitorData, organisations: bool = False) -> None:
        self.organisations = organisations
        self.columns = data.organisations if organisations else data.respondents
        self.waves = data.organisation_waves if organisations else data.waves
        self.allowed = ORGANISATION_BY_NAMES if organisations else BY_NAMES
        self._data = data

    @property
    def design(self) -> Any:
        return self._data.organisation_design if self.organisations else self._data.design

    def labels(self, name: str) -> tuple[Any, ...]:
        if name == "wave":
            return self.waves
        return {"layer": LAYERS, "office": OFFICES, "group": GROUPS}[name]

    def column(self, name: str) -> NDArray[Any]:
        if name == "wave":
            return np.searchsorted(np.asarray(self.waves), self.columns["wave"]).astype(np.intp)
        return np.asarray(self.columns[name]).astype(np.intp)


def _possible(combination: dict[str, Any]) -> bool:
    """Whether some office is consistent with the layer, office and group named."""
    office = combination.get("office")
    layer = combination.get("layer")
    group = combination.get("group")
    offices = OFFICES if office is None else (office,)
    return any(
        (layer is None or layer in o.layers) and (group is None or o.group is group)
        for o in offices
    )


def universe(unit: Unit, names: tuple[str, ...]) -> list[Any]:
    """Every possible domain label for ``names`` (a scalar label, or a tuple of them)."""
    combos = itertools.product(*(unit.labels(n) for n in names))
    labels = [c for c in combos if _possible(dict(zip(names, c, strict=True)))]
    return [c[0] for c in labels] if len(names) == 1 else labels


def estimate(
    estimator: Estimator,
    data: MonitorData,
    arrays: Sequence[NDArray[Any]],
    by: By,
    *,
    among: NDArray[np.bool_] | None = None,
    notes: dict[str, Any] | None = None,
    organisations: bool = False,
    **options: Any,
) -> Estimate | EstimateTable:
    """Run ``estimator(*arrays, design, by=...)`` and shape the result for the monitor.

    ``among`` restricts the estimate to a sub-population, estimated as a domain of the
    full design. The result lists every possible domain of ``by``. With
    ``organisations=True`` the rows are the organisation survey's.
    """
    unit = Unit(data, organisations)
    names = _names(by, unit.allowed)
    codes = [unit.column(n) for n in names]
    if among is not None:
        codes = [among.astype(np.intp), *codes]
    if not codes:
        result = estimator(*arrays, unit.design, **options)
        assert isinstance(result, Estimate)
        return attrs.evolve(result, notes=notes or {})
    table = estimator(*arrays, unit.design, by=tuple(codes), **options)
    assert isinstance(table, EstimateTable)
    value_sets = [unit.labels(n) for n in names]
    relabelled: list[Hashable] = []
    keep = []
    for label in table.domains:
        parts = label if isinstance(label, tuple) else (label,)
        if among is not None:
            if parts[0] != 1:
                continue
            parts = parts[1:]
        keep.append(label)
        mapped = tuple(values[int(p)] for values, p in zip(value_sets, parts, strict=True))
        relabelled.append(mapped[0] if len(mapped) == 1 else mapped if mapped else "all")
    selected = table.reindex(keep)
    selected = attrs.evolve(selected, domains=relabelled, by=names, notes=notes or {})
    if not names:  # a sub-population without domains: one estimate
        if selected.domains:
            return selected["all"]
        return _empty(selected.kind, notes)
    return selected.reindex(universe(unit, names))


def _empty(kind: str, notes: dict[str, Any] | None) -> Estimate:
    return Estimate(
        estimate=np.nan,
        standard_error=np.nan,
        df=np.nan,
        n=0,
        n_effective=0.0,
        kind=kind,
        flags=("empty",),
        notes=notes or {},
    )
