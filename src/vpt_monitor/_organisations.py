"""Columns of the organisation survey (organisations and their registered violations)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vpt_monitor._answers import answer_matrix, answers_of
from vpt_monitor.records import Organisation, Violation
from vpt_monitor.vocab import Layer, Measure, ViolationStatus, ViolationType

LAYERS = tuple(Layer)
MEASURES = tuple(Measure)
VIOLATION_TYPES = tuple(ViolationType)
STATUSES = tuple(ViolationStatus)
CONFIRMED = STATUSES.index(ViolationStatus.CONFIRMED)


def empty() -> tuple[dict[str, NDArray[Any]], dict[str, NDArray[Any]]]:
    """Columns of no organisations and no violations."""
    orgs: dict[str, NDArray[Any]] = {
        "id": np.zeros(0, dtype=object),
        "wave": np.zeros(0, dtype=np.int64),
        "layer": np.zeros(0, dtype=np.int8),
        "employees": np.zeros(0, dtype=np.int64),
        "measures": np.zeros((0, len(MEASURES)), dtype=np.int8),
        "weight": np.zeros(0),
    }
    viols: dict[str, NDArray[Any]] = {
        "organisation": np.zeros(0, dtype=np.intp),
        "wave": np.zeros(0, dtype=np.int64),
        "kind": np.zeros(0, dtype=np.int8),
        "status": np.zeros(0, dtype=np.int8),
    }
    return orgs, viols


def from_records(
    organisations: Sequence[Organisation], violations: Sequence[Violation], problems: list[str]
) -> tuple[dict[str, NDArray[Any]], dict[str, NDArray[Any]]]:
    """Columns from (checked) records; cross-record problems are appended to ``problems``."""
    position: dict[tuple[str, int], int] = {}
    for i, o in enumerate(organisations):
        key = (o.id, o.wave)
        if key in position:
            problems.append(
                f"organisations[{i}]: id {o.id!r} in wave {o.wave} is used already by "
                f"organisations[{position[key]}]"
            )
        else:
            position[key] = i
    for field in ("stratum", "fpc"):
        given = [getattr(o, field) is not None for o in organisations]
        if any(given) and not all(given):
            problems.append(
                f"organisations: {field} is given for some organisations but not for all"
            )
    index = np.zeros(len(violations), dtype=np.intp)
    for j, v in enumerate(violations):
        found = position.get((v.organisation_id, v.wave))
        if found is None:
            problems.append(
                f"violations[{j}]: no organisation {v.organisation_id!r} in wave {v.wave}"
            )
        else:
            index[j] = found
    orgs, viols = empty()
    if organisations:
        table = answer_matrix([o.measures for o in organisations], MEASURES)
        orgs = {
            "id": np.array([o.id for o in organisations], dtype=object),
            "wave": np.array([o.wave for o in organisations], dtype=np.int64),
            "layer": np.array([LAYERS.index(o.layer) for o in organisations], dtype=np.int8),
            "employees": np.array([o.employees for o in organisations], dtype=np.int64),
            "measures": table,
            "weight": np.array([o.weight for o in organisations], dtype=np.float64),
        }
        if organisations[0].stratum is not None:
            orgs["stratum"] = np.array([o.stratum for o in organisations], dtype=object)
        if organisations[0].fpc is not None:
            orgs["fpc"] = np.array([o.fpc for o in organisations], dtype=np.float64)
    if violations:
        viols = {
            "organisation": index,
            "wave": np.array([v.wave for v in violations], dtype=np.int64),
            "kind": np.array([VIOLATION_TYPES.index(v.kind) for v in violations], dtype=np.int8),
            "status": np.array([STATUSES.index(v.status) for v in violations], dtype=np.int8),
        }
    return orgs, viols


def to_records(
    orgs: Mapping[str, NDArray[Any]], viols: Mapping[str, NDArray[Any]]
) -> tuple[list[Organisation], list[Violation]]:
    """Return records from the columns (the inverse of :func:`from_records`)."""
    organisations = [
        Organisation(
            str(orgs["id"][i]),
            int(orgs["wave"][i]),
            LAYERS[orgs["layer"][i]],
            employees=int(orgs["employees"][i]),
            measures=answers_of(orgs["measures"][i], MEASURES),
            weight=float(orgs["weight"][i]),
            stratum=_plain(orgs["stratum"][i]) if "stratum" in orgs else None,
            fpc=float(orgs["fpc"][i]) if "fpc" in orgs else None,
        )
        for i in range(orgs["wave"].shape[0])
    ]
    violations = [
        Violation(
            str(orgs["id"][viols["organisation"][j]]),
            int(viols["wave"][j]),
            VIOLATION_TYPES[viols["kind"][j]],
            status=STATUSES[viols["status"][j]],
        )
        for j in range(viols["wave"].shape[0])
    ]
    return organisations, violations


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
