"""The monitor's indicators, each a thin layer over :mod:`vpt_monitor.stats`."""

from vpt_monitor.indicators.aggression import (
    aftercare_share,
    consequence_share,
    decision_influence,
    incidence,
    reporting_propensity,
    victimisation,
)

__all__ = [
    "aftercare_share",
    "consequence_share",
    "decision_influence",
    "incidence",
    "reporting_propensity",
    "victimisation",
]
