"""The monitor's indicators, each a thin layer over :mod:`vpt_monitor.stats`."""

from vpt_monitor.indicators._common import NotMeasuredError
from vpt_monitor.indicators.aggression import (
    aftercare_share,
    consequence_share,
    decision_influence,
    incidence,
    reporting_propensity,
    victimisation,
)
from vpt_monitor.indicators.change import (
    METHOD_BREAKS,
    METHOD_BREAKS_NL,
    ChangeTable,
    TrendTable,
    change,
    trend,
)
from vpt_monitor.indicators.decomposition import Decomposition, decompose_change
from vpt_monitor.indicators.integrity import integrity_perception, violation_rate
from vpt_monitor.indicators.model import model
from vpt_monitor.indicators.planning import PlanTable, detectable_change, plan_sample
from vpt_monitor.indicators.policy import (
    AGGRESSION_SCHEME,
    DEFAULT_SCHEME,
    INTEGRITY_SCHEME,
    MaturityScheme,
    SensitivityResult,
    cronbach_alpha,
    maturity_scores,
    maturity_sensitivity,
    policy_coverage,
    policy_maturity,
)

__all__ = [
    "AGGRESSION_SCHEME",
    "DEFAULT_SCHEME",
    "INTEGRITY_SCHEME",
    "METHOD_BREAKS",
    "METHOD_BREAKS_NL",
    "ChangeTable",
    "Decomposition",
    "MaturityScheme",
    "NotMeasuredError",
    "PlanTable",
    "SensitivityResult",
    "TrendTable",
    "aftercare_share",
    "change",
    "consequence_share",
    "cronbach_alpha",
    "decision_influence",
    "decompose_change",
    "detectable_change",
    "incidence",
    "integrity_perception",
    "maturity_scores",
    "maturity_sensitivity",
    "model",
    "plan_sample",
    "policy_coverage",
    "policy_maturity",
    "reporting_propensity",
    "trend",
    "victimisation",
    "violation_rate",
]
