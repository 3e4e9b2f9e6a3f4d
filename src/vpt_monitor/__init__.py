"""vpt_monitor: the indicators of the Dutch "Monitor Integriteit en Veiligheid".

The monitor measures how often civil servants and political office holders meet aggression
and violence, whether they report it, what it does to them, how they see integrity around
them, and how mature their organisations' policies are. This package recomputes and extends
those indicators from survey microdata with design-based confidence intervals.

The generic statistics live in :mod:`vpt_monitor.stats`.
"""

from vpt_monitor import stats
from vpt_monitor.data import MonitorData, MonitorDataError
from vpt_monitor.indicators import (
    aftercare_share,
    consequence_share,
    decision_influence,
    incidence,
    reporting_propensity,
    victimisation,
)
from vpt_monitor.records import Incident, Respondent
from vpt_monitor.stats import ConfidenceInterval, Estimate, EstimateTable
from vpt_monitor.vocab import Channel, Consequence, Form, Group, Layer, Office, ViolationType

__version__ = "0.1.0"

__all__ = [
    "Channel",
    "ConfidenceInterval",
    "Consequence",
    "Estimate",
    "EstimateTable",
    "Form",
    "Group",
    "Incident",
    "Layer",
    "MonitorData",
    "MonitorDataError",
    "Office",
    "Respondent",
    "ViolationType",
    "__version__",
    "aftercare_share",
    "consequence_share",
    "decision_influence",
    "incidence",
    "reporting_propensity",
    "stats",
    "victimisation",
]
