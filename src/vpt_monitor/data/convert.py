"""Records to columns and back: the typed records of :mod:`vpt_monitor.records` as arrays.

:func:`from_records` checks what no single record can (identifiers unique within a wave,
incidents of known respondents in their wave and of a form the respondent did not answer 0
incidents of, design fields given for all or none) and codes the records
as the columns of :class:`~vpt_monitor.MonitorData`; :func:`to_records` is its inverse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from vpt_monitor._answers import (
    answer_matrix,
    answers_of,
    count_matrix,
    counts_of,
    from_yes_no,
    yes_no,
)
from vpt_monitor._codes import (
    CHANNELS,
    CONSEQUENCES,
    FORMS,
    LAYERS,
    MEASURES,
    OFFICE_GROUP,
    OFFICES,
    STATUSES,
    VIOLATIONS,
)
from vpt_monitor.attributes import Attribute, declare
from vpt_monitor.data import unpack
from vpt_monitor.data.columns import (
    Tables,
    _Rows,
    attribute_column,
    attribute_value,
    contradictions,
    empty_tables,
    supplied_tables,
)
from vpt_monitor.data.errors import MonitorDataError
from vpt_monitor.records import Incident, Organisation, Respondent, Violation, check_records

__all__ = ["Records", "from_records", "to_records"]


class Records(NamedTuple):
    """The records of a :class:`~vpt_monitor.MonitorData`, as its ``to_records`` gives them."""

    respondents: list[Respondent]
    incidents: list[Incident]
    organisations: list[Organisation]
    violations: list[Violation]


def from_records(
    respondents: Iterable[Respondent],
    incidents: Iterable[Incident],
    organisations: Iterable[Organisation] | None,
    violations: Iterable[Violation] | None,
    attributes: Iterable[Attribute | str] | None = None,
) -> Tables:
    """Code records as columns; raise MonitorDataError listing every cross-record problem."""
    people = check_records(respondents, Respondent, "respondents")
    events = check_records(incidents, Incident, "incidents")
    problems: list[str] = []
    attribute_columns, attribute_specs = _attribute_columns(people, declare(attributes), problems)
    position: dict[tuple[str, int], int] = {}  # ids are unique within a wave
    waves_of: dict[str, list[int]] = {}
    for i, r in enumerate(people):
        if (r.id, r.wave) in position:
            problems.append(
                f"respondents[{i}]: id {r.id!r} in wave {r.wave} is used already by "
                f"respondents[{position[r.id, r.wave]}]"
            )
        else:
            position[r.id, r.wave] = i
            waves_of.setdefault(r.id, []).append(r.wave)
    for field in ("stratum", "cluster", "fpc", "fpc2"):
        given = [getattr(r, field) is not None for r in people]
        if any(given) and not all(given):
            missing = [people[i].id for i, g in enumerate(given) if not g]
            problems.append(
                f"{field}: given for some respondents but not for {len(missing)} others "
                f"(e.g. {missing[0]!r}); give it for all or none"
            )
    index = np.full(len(events), -1, dtype=np.intp)
    for j, e in enumerate(events):
        found = position.get((e.respondent_id, e.wave))
        if found is not None:
            index[j] = found
        elif e.respondent_id not in waves_of:
            problems.append(f"incidents[{j}]: respondent_id {e.respondent_id!r} is unknown")
        else:
            named = ", ".join(str(w) for w in sorted(waves_of[e.respondent_id]))
            problems.append(
                f"incidents[{j}]: no respondent {e.respondent_id!r} in wave {e.wave} (that id "
                f"is in wave {named}); an incident belongs to the respondent of its id in its "
                "own wave"
            )
    counts = count_matrix([r.victimisations for r in people], FORMS)
    forms = np.array([FORMS.index(e.form) for e in events], dtype=np.int8)
    for j in np.flatnonzero(contradictions(index, forms, counts)).tolist():
        e = events[j]
        problems.append(
            f"incidents[{j}]: respondent {e.respondent_id!r} of wave {e.wave} answered 0 "
            f"incidents of the form {e.form.value!r} (victimisations); correct the count, or "
            "remove this incident"
        )
    orgs, viols = _organisation_columns(
        check_records(organisations or (), Organisation, "organisations"),
        check_records(violations or (), Violation, "violations"),
        problems,
    )
    if problems:
        raise MonitorDataError("MonitorData.from_records", problems)

    resp: dict[str, Any] = {
        "id": np.array([r.id for r in people], dtype=object),
        "wave": np.array([r.wave for r in people], dtype=np.int64),
        "layer": np.array([LAYERS.index(r.layer) for r in people], dtype=np.int8),
        "office": np.array([OFFICES.index(r.office) for r in people], dtype=np.int8),
        "weight": np.array([r.weight for r in people], dtype=np.float64),
        "victimisations": counts,
        "channels": answer_matrix([r.channels for r in people], CHANNELS),
        "consequences": answer_matrix([r.consequences for r in people], CONSEQUENCES),
        "perceived_violations": answer_matrix([r.perceived_violations for r in people], VIOLATIONS),
        "aftercare": yes_no(r.aftercare for r in people),
        "training": yes_no(r.training for r in people),
    }
    resp["group"] = OFFICE_GROUP[resp["office"]]
    for field in ("stratum", "cluster"):
        if people and getattr(people[0], field) is not None:
            resp[field] = np.array([getattr(r, field) for r in people], dtype=object)
    for field in ("fpc", "fpc2"):
        if people and getattr(people[0], field) is not None:
            resp[field] = np.array([getattr(r, field) for r in people], dtype=np.float64)
    inc: dict[str, Any] = {
        "respondent": index,
        "wave": np.array([e.wave for e in events], dtype=np.int64),
        "form": forms,
        "channel": np.array(
            [-1 if e.channel is None else CHANNELS.index(e.channel) for e in events],
            dtype=np.int8,
        ),
        "reported_internally": yes_no(e.reported_internally for e in events),
        "police_report": yes_no(e.police_report for e in events),
        "registered": yes_no(e.registered for e in events),
        "severity": np.array([e.severity or 0 for e in events], dtype=np.int8),
        "aftercare": yes_no(e.aftercare for e in events),
        "consequences": answer_matrix([e.consequences for e in events], CONSEQUENCES),
    }
    resp.update(attribute_columns)
    return Tables(
        resp,
        inc,
        orgs,
        viols,
        supplied_tables(organisations is not None, violations is not None),
        attribute_specs,
    )


def _attribute_columns(
    people: Sequence[Respondent], declared: Mapping[str, Attribute], problems: list[str]
) -> tuple[dict[str, NDArray[Any]], dict[str, Attribute]]:
    """Attribute columns of the records, checked against their declarations."""
    names: dict[str, None] = {}
    for i, r in enumerate(people):
        for name in r.attributes:
            if name not in declared:
                shown = ", ".join(sorted(declared))
                problems.append(
                    f"respondents[{i}]: attribute {name!r} is not declared; known: {shown} "
                    "(declare others with attributes=)"
                )
            names.setdefault(name, None)
    columns: dict[str, NDArray[Any]] = {}
    found: dict[str, Attribute] = {}
    for name in names:
        if name not in declared:
            continue
        spec = declared[name]
        values: list[Any] = []
        for i, r in enumerate(people):
            try:
                values.append(spec.parse(r.attributes.get(name)))
            except ValueError as error:
                problems.append(f"respondents[{i}]: attribute {name}: {error}")
                values.append(None)
        rows = _Rows("respondents")
        columns[name], found[name] = attribute_column(rows, np.array(values, dtype=object), spec)
        problems += rows.problems
    return columns, found


def to_records(
    respondents: Mapping[str, NDArray[Any]],
    incidents: Mapping[str, NDArray[Any]],
    organisations: Mapping[str, NDArray[Any]],
    violations: Mapping[str, NDArray[Any]],
    attributes: Mapping[str, Attribute],
) -> Records:
    """Return the records of the columns (the inverse of :func:`from_records`).

    Records are made in bulk (see :mod:`vpt_monitor.data.unpack`); one by one, through their
    constructors, only when some value would be refused, so that the record's error is raised.
    """
    made = unpack.records(respondents, incidents, organisations, violations, attributes)
    if made is not None:
        return Records(*made)
    r = respondents
    people = []
    for i in range(r["wave"].shape[0]):
        people.append(
            Respondent(
                str(r["id"][i]),
                int(r["wave"][i]),
                LAYERS[r["layer"][i]],
                OFFICES[r["office"][i]],
                weight=float(r["weight"][i]),
                stratum=_plain(r["stratum"][i]) if "stratum" in r else None,
                cluster=_plain(r["cluster"][i]) if "cluster" in r else None,
                fpc=float(r["fpc"][i]) if "fpc" in r else None,
                fpc2=float(r["fpc2"][i]) if "fpc2" in r else None,
                victimisations=counts_of(r["victimisations"][i], FORMS),
                channels=answers_of(r["channels"][i], CHANNELS),
                consequences=answers_of(r["consequences"][i], CONSEQUENCES),
                perceived_violations=answers_of(r["perceived_violations"][i], VIOLATIONS),
                aftercare=from_yes_no(r["aftercare"][i]),
                training=from_yes_no(r["training"][i]),
                attributes={
                    name: value
                    for name, spec in attributes.items()
                    if (value := attribute_value(r[name][i], spec)) is not None
                },
            )
        )
    e = incidents
    events = []
    for j in range(e["wave"].shape[0]):
        events.append(
            Incident(
                str(r["id"][e["respondent"][j]]),
                int(e["wave"][j]),
                FORMS[e["form"][j]],
                channel=None if e["channel"][j] < 0 else CHANNELS[e["channel"][j]],
                reported_internally=from_yes_no(e["reported_internally"][j]),
                police_report=from_yes_no(e["police_report"][j]),
                registered=from_yes_no(e["registered"][j]),
                severity=int(e["severity"][j]) or None,
                aftercare=from_yes_no(e["aftercare"][j]),
                consequences=answers_of(e["consequences"][j], CONSEQUENCES),
            )
        )
    organisations_out, violations_out = _organisation_records(organisations, violations)
    return Records(people, events, organisations_out, violations_out)


def _organisation_columns(
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
    empty = empty_tables()
    orgs, viols = empty.organisations, empty.violations
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
            "kind": np.array([VIOLATIONS.index(v.kind) for v in violations], dtype=np.int8),
            "status": np.array([STATUSES.index(v.status) for v in violations], dtype=np.int8),
        }
    return orgs, viols


def _organisation_records(
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
            VIOLATIONS[viols["kind"][j]],
            status=STATUSES[viols["status"][j]],
        )
        for j in range(viols["wave"].shape[0])
    ]
    return organisations, violations


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
