"""The tables of :class:`~vpt_monitor.MonitorData` as pandas data frames.

Columns are named as :meth:`~vpt_monitor.MonitorData.from_columns` reads them, so a frame
goes back in unchanged. Codes are pandas categoricals in the vocabulary's order (the Dutch
codes, or labels in English or Dutch on request), counts and whole numbers nullable
integers, yes/no answers nullable booleans: a missing answer is ``<NA>``, never 0 or False.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vpt_monitor._codes import (
    CHANNELS,
    CONSEQUENCES,
    FORMS,
    LAYERS,
    MEASURES,
    OFFICES,
    RESPONDENT_SETS,
    STATUSES,
    VIOLATIONS,
)
from vpt_monitor.attributes import Attribute

TABLES = ("respondents", "incidents", "organisations", "violations")
LANGUAGES = (None, "en", "nl")


def _name(member: Any, language: str | None) -> str:
    if language is None:
        return str(member.value if isinstance(member, StrEnum) else member)
    if language == "en":
        return str(getattr(member, "label", member))
    return str(getattr(member, "dutch", member))


def _category(pd: Any, codes: NDArray[Any], members: tuple[Any, ...], language: str | None) -> Any:
    names = [_name(m, language) for m in members]
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=names)


def _nullable(pd: Any, values: NDArray[Any], missing: NDArray[np.bool_], dtype: str) -> Any:
    cells = np.asarray(values).astype(object)
    cells[missing] = None
    return pd.array(cells, dtype=dtype)


def _answers(pd: Any, values: NDArray[Any]) -> Any:
    return _nullable(pd, values == 1, values < 0, "boolean")


def _counts(pd: Any, values: NDArray[Any]) -> Any:
    return _nullable(pd, values, values < 0, "Int64")


def respondents(
    columns: Mapping[str, NDArray[Any]],
    attributes: Mapping[str, Attribute],
    language: str | None,
) -> Any:
    """Return the respondents' frame."""
    import pandas as pd

    frame: dict[str, Any] = {
        "id": columns["id"],
        "wave": columns["wave"],
        "layer": _category(pd, columns["layer"], LAYERS, language),
        "office": _category(pd, columns["office"], OFFICES, language),
        "weight": columns["weight"],
    }
    for field in ("stratum", "cluster", "fpc", "fpc2"):
        if field in columns:
            frame[field] = columns[field]
    for k, form in enumerate(FORMS):
        frame[f"incidents:{form.value}"] = _counts(pd, columns["victimisations"][:, k])
    for prefix, (key, members) in RESPONDENT_SETS.items():
        for k, member in enumerate(members):
            frame[f"{prefix}:{member.value}"] = _answers(pd, columns[key][:, k])
    for field in ("aftercare", "training"):
        frame[field] = _answers(pd, columns[field])
    for name, spec in attributes.items():
        values = columns[name]
        if spec.kind == "category":
            frame[name] = pd.Categorical.from_codes(
                np.asarray(values, dtype=np.int64),
                categories=[
                    _name(c, language)
                    if spec.vocabulary
                    else spec.label(c, language or "en")
                    if language
                    else str(c)
                    for c in spec.codes
                ],
            )
        elif spec.kind == "boolean":
            frame[name] = _answers(pd, values)
        elif spec.kind == "integer":
            frame[name] = _nullable(pd, values, ~np.isfinite(values), "Int64")
        else:
            frame[name] = values
    return pd.DataFrame(frame)


def incidents(
    columns: Mapping[str, NDArray[Any]], respondent_ids: NDArray[Any], language: str | None
) -> Any:
    """Return the incidents' frame."""
    import pandas as pd

    frame: dict[str, Any] = {
        "respondent_id": respondent_ids[columns["respondent"]],
        "wave": columns["wave"],
        "form": _category(pd, columns["form"], FORMS, language),
        "channel": _category(pd, columns["channel"], CHANNELS, language),
    }
    for field in ("reported_internally", "police_report", "registered"):
        frame[field] = _answers(pd, columns[field])
    frame["severity"] = _nullable(pd, columns["severity"], columns["severity"] <= 0, "Int64")
    frame["aftercare"] = _answers(pd, columns["aftercare"])
    for k, member in enumerate(CONSEQUENCES):
        frame[f"consequence:{member.value}"] = _answers(pd, columns["consequences"][:, k])
    return pd.DataFrame(frame)


def organisations(columns: Mapping[str, NDArray[Any]], language: str | None) -> Any:
    """Return the organisations' frame."""
    import pandas as pd

    frame: dict[str, Any] = {
        "id": columns["id"],
        "wave": columns["wave"],
        "layer": _category(pd, columns["layer"], LAYERS, language),
        "employees": columns["employees"],
        "weight": columns["weight"],
    }
    for field in ("stratum", "fpc"):
        if field in columns:
            frame[field] = columns[field]
    for k, member in enumerate(MEASURES):
        frame[f"measure:{member.value}"] = _answers(pd, columns["measures"][:, k])
    return pd.DataFrame(frame)


def violations(
    columns: Mapping[str, NDArray[Any]], organisation_ids: NDArray[Any], language: str | None
) -> Any:
    """Return the registered violations' frame."""
    import pandas as pd

    return pd.DataFrame(
        {
            "organisation_id": organisation_ids[columns["organisation"]],
            "wave": columns["wave"],
            "kind": _category(pd, columns["kind"], VIOLATIONS, language),
            "status": _category(pd, columns["status"], STATUSES, language),
        }
    )
