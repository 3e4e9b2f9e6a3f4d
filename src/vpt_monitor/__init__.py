"""vpt_monitor: the indicators of the Dutch "Monitor Integriteit en Veiligheid".

The monitor measures how often civil servants and political office holders meet aggression
and violence, whether they report it, what it does to them, how they see integrity around
them, and how mature their organisations' policies are. This package recomputes and extends
those indicators from survey microdata with design-based confidence intervals.

The generic statistics live in :mod:`vpt_monitor.stats`.

Importing the package is quick: its names are imported when first used (PEP 562), so that
``import vpt_monitor`` does not load scipy, pandas or the statistics engine until something
needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vpt_monitor._lazy import loader

if TYPE_CHECKING:
    import vpt_monitor.stats as stats
    from vpt_monitor._format import get_language, set_language
    from vpt_monitor.data import MonitorData, MonitorDataError
    from vpt_monitor.indicators import (
        AGGRESSION_SCHEME,
        DEFAULT_SCHEME,
        INTEGRITY_SCHEME,
        METHOD_BREAKS,
        METHOD_BREAKS_NL,
        ChangeTable,
        Decomposition,
        MaturityScheme,
        NotMeasuredError,
        PlanTable,
        SensitivityResult,
        TrendTable,
        aftercare_share,
        consequence_share,
        cronbach_alpha,
        decision_influence,
        decompose_change,
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
    from vpt_monitor.indicators.change import change
    from vpt_monitor.indicators.model import model
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

#: Where each public name lives; imported on first use.
_WHERE = {
    "stats": "vpt_monitor.stats",
    "get_language": "vpt_monitor._format",
    "set_language": "vpt_monitor._format",
    "MonitorData": "vpt_monitor.data",
    "MonitorDataError": "vpt_monitor.data",
    "AGGRESSION_SCHEME": "vpt_monitor.indicators",
    "DEFAULT_SCHEME": "vpt_monitor.indicators",
    "INTEGRITY_SCHEME": "vpt_monitor.indicators",
    "METHOD_BREAKS": "vpt_monitor.indicators",
    "METHOD_BREAKS_NL": "vpt_monitor.indicators",
    "ChangeTable": "vpt_monitor.indicators",
    "Decomposition": "vpt_monitor.indicators",
    "MaturityScheme": "vpt_monitor.indicators",
    "NotMeasuredError": "vpt_monitor.indicators",
    "PlanTable": "vpt_monitor.indicators",
    "SensitivityResult": "vpt_monitor.indicators",
    "TrendTable": "vpt_monitor.indicators",
    "aftercare_share": "vpt_monitor.indicators",
    "change": "vpt_monitor.indicators",
    "consequence_share": "vpt_monitor.indicators",
    "cronbach_alpha": "vpt_monitor.indicators",
    "decision_influence": "vpt_monitor.indicators",
    "decompose_change": "vpt_monitor.indicators",
    "detectable_change": "vpt_monitor.indicators",
    "incidence": "vpt_monitor.indicators",
    "integrity_perception": "vpt_monitor.indicators",
    "maturity_scores": "vpt_monitor.indicators",
    "maturity_sensitivity": "vpt_monitor.indicators",
    "model": "vpt_monitor.indicators",
    "plan_sample": "vpt_monitor.indicators",
    "policy_coverage": "vpt_monitor.indicators",
    "policy_maturity": "vpt_monitor.indicators",
    "reporting_propensity": "vpt_monitor.indicators",
    "trend": "vpt_monitor.indicators",
    "victimisation": "vpt_monitor.indicators",
    "violation_rate": "vpt_monitor.indicators",
    "Incident": "vpt_monitor.records",
    "Organisation": "vpt_monitor.records",
    "Respondent": "vpt_monitor.records",
    "Violation": "vpt_monitor.records",
    "ConfidenceInterval": "vpt_monitor.stats",
    "Estimate": "vpt_monitor.stats",
    "EstimateTable": "vpt_monitor.stats",
    "AgeBand": "vpt_monitor.vocab",
    "Area": "vpt_monitor.vocab",
    "Channel": "vpt_monitor.vocab",
    "Consequence": "vpt_monitor.vocab",
    "ContactFrequency": "vpt_monitor.vocab",
    "Form": "vpt_monitor.vocab",
    "Gender": "vpt_monitor.vocab",
    "Group": "vpt_monitor.vocab",
    "Layer": "vpt_monitor.vocab",
    "Measure": "vpt_monitor.vocab",
    "MunicipalitySize": "vpt_monitor.vocab",
    "Office": "vpt_monitor.vocab",
    "Province": "vpt_monitor.vocab",
    "ViolationStatus": "vpt_monitor.vocab",
    "ViolationType": "vpt_monitor.vocab",
}


__getattr__ = loader("vpt_monitor", _WHERE, globals())


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


__all__ = [
    "AGGRESSION_SCHEME",
    "DEFAULT_SCHEME",
    "INTEGRITY_SCHEME",
    "METHOD_BREAKS",
    "METHOD_BREAKS_NL",
    "AgeBand",
    "Area",
    "ChangeTable",
    "Channel",
    "ConfidenceInterval",
    "Consequence",
    "ContactFrequency",
    "Decomposition",
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
    "decompose_change",
    "detectable_change",
    "get_language",
    "incidence",
    "integrity_perception",
    "maturity_scores",
    "maturity_sensitivity",
    "model",
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
