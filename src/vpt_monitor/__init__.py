"""vpt_monitor: the indicators of the Dutch "Monitor Integriteit en Veiligheid".

The monitor measures how often civil servants and political office holders meet aggression
and violence, whether they report it, what it does to them, how they see integrity around
them, and how mature their organisations' policies are. This package recomputes and extends
those indicators from survey microdata with design-based confidence intervals.

The generic statistics live in :mod:`vpt_monitor.stats`.
"""

from vpt_monitor import stats
from vpt_monitor._format import get_language, set_language
from vpt_monitor.data import MonitorData, MonitorDataError
from vpt_monitor.indicators import (
    AGGRESSION_SCHEME,
    DEFAULT_SCHEME,
    INTEGRITY_SCHEME,
    METHOD_BREAKS,
    ChangeTable,
    MaturityScheme,
    NotMeasuredError,
    PlanTable,
    SensitivityResult,
    TrendTable,
    aftercare_share,
    change,
    consequence_share,
    cronbach_alpha,
    decision_influence,
    detectable_change,
    incidence,
    integrity_perception,
    maturity_scores,
    maturity_sensitivity,
    plan_sample,
    policy_coverage,
    policy_maturity,
    reporting_propensity,
    trend,
    victimisation,
    violation_rate,
)
from vpt_monitor.records import Incident, Organisation, Respondent, Violation
from vpt_monitor.stats import ConfidenceInterval, Estimate, EstimateTable
from vpt_monitor.vocab import (
    AgeBand,
    Area,
    Channel,
    Consequence,
    ContactFrequency,
    Form,
    Gender,
    Group,
    Layer,
    Measure,
    MunicipalitySize,
    Office,
    Province,
    ViolationStatus,
    ViolationType,
)

__version__ = "0.1.0"

__all__ = [
    "AGGRESSION_SCHEME",
    "DEFAULT_SCHEME",
    "INTEGRITY_SCHEME",
    "METHOD_BREAKS",
    "AgeBand",
    "Area",
    "ChangeTable",
    "Channel",
    "ConfidenceInterval",
    "Consequence",
    "ContactFrequency",
    "Estimate",
    "EstimateTable",
    "Form",
    "Gender",
    "Group",
    "Incident",
    "Layer",
    "MaturityScheme",
    "Measure",
    "MonitorData",
    "MonitorDataError",
    "MunicipalitySize",
    "NotMeasuredError",
    "Office",
    "Organisation",
    "PlanTable",
    "Province",
    "Respondent",
    "SensitivityResult",
    "TrendTable",
    "Violation",
    "ViolationStatus",
    "ViolationType",
    "__version__",
    "aftercare_share",
    "change",
    "consequence_share",
    "cronbach_alpha",
    "decision_influence",
    "detectable_change",
    "get_language",
    "incidence",
    "integrity_perception",
    "maturity_scores",
    "maturity_sensitivity",
    "plan_sample",
    "policy_coverage",
    "policy_maturity",
    "reporting_propensity",
    "set_language",
    "stats",
    "trend",
    "victimisation",
    "violation_rate",
]
