"""The vocabularies as ordered tuples: the integer codes of the columnar data index them.

:class:`~vpt_monitor.MonitorData` stores a layer, an office, a form, ... as its position in
these tuples, and a set-valued answer as one column per member in this order.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from vpt_monitor.vocab import (
    Channel,
    Consequence,
    Form,
    Group,
    Layer,
    Measure,
    Office,
    ViolationStatus,
    ViolationType,
)

#: A respondent's own fields, as columns of the respondents' table (besides the per-member
#: ones such as ``incidents:<form>``): no attribute may take one of these names.
RESPONDENT_FIELDS = (
    "id",
    "wave",
    "layer",
    "office",
    "group",
    "weight",
    "stratum",
    "cluster",
    "fpc",
    "fpc2",
    "victimisations",
    "channels",
    "consequences",
    "perceived_violations",
    "aftercare",
    "training",
)

LAYERS = tuple(Layer)
OFFICES = tuple(Office)
GROUPS = tuple(Group)
FORMS = tuple(Form)
CHANNELS = tuple(Channel)
CONSEQUENCES = tuple(Consequence)
VIOLATIONS = tuple(ViolationType)
STATUSES = tuple(ViolationStatus)
MEASURES = tuple(Measure)
CONFIRMED = STATUSES.index(ViolationStatus.CONFIRMED)

#: ``OFFICE_IN_LAYER[office, layer]``: whether the office exists in the layer.
OFFICE_IN_LAYER = np.array(
    [[layer in office.layers for layer in LAYERS] for office in OFFICES], dtype=bool
)
#: Group code of each office code.
OFFICE_GROUP = np.array([GROUPS.index(office.group) for office in OFFICES], dtype=np.int8)

#: Set-valued questions of respondents: column prefix, the data's key and the members.
RESPONDENT_SETS: dict[str, tuple[str, tuple[StrEnum, ...]]] = {
    "channel": ("channels", CHANNELS),
    "consequence": ("consequences", CONSEQUENCES),
    "violation": ("perceived_violations", VIOLATIONS),
}
