"""The monitor's yes/no outcomes by name, for models and the decomposition of change.

Each name gives the respondents' answers to one question as the indicators read them -
missing answers left out, the population the question is about (victims, political office
holders) - so that :func:`~vpt_monitor.model` and :func:`~vpt_monitor.decompose_change` use
exactly the definitions of :func:`~vpt_monitor.victimisation` and its siblings.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

from vpt_monitor.data import MonitorData
from vpt_monitor.indicators._common import Answers
from vpt_monitor.indicators.aggression import (
    aftercare_answers,
    consequence_answers,
    influence_answers,
    reporting_answers,
    victimisation_answers,
)
from vpt_monitor.indicators.integrity import perception_answers

__all__ = ["OUTCOMES", "outcome"]

#: The outcomes by name: what each means, and how it is read from the data.
OUTCOMES: MappingProxyType[str, tuple[str, Callable[[MonitorData], Answers]]] = MappingProxyType(
    {
        "victimised": (
            "victimised in the past 12 months, any form (all respondents)",
            lambda data: victimisation_answers(data),
        ),
        "victimised_social_media": (
            "victimised through social media (all respondents)",
            lambda data: victimisation_answers(data, channel="sociale-media"),
        ),
        "threatened": (
            "threatened or intimidated (all respondents)",
            lambda data: victimisation_answers(data, form="bedreiging"),
        ),
        "physical_violence": (
            "met physical violence (all respondents)",
            lambda data: victimisation_answers(data, form="fysiek"),
        ),
        "reported": (
            "reported an incident within the organisation (victims with an incident record)",
            lambda data: reporting_answers(data, "employer"),
        ),
        "police_report": (
            "reported an incident to the police (victims with an incident record)",
            lambda data: reporting_answers(data, "police"),
        ),
        "adverse_consequences": (
            "had an adverse consequence (victims)",
            lambda data: consequence_answers(data),
        ),
        "aftercare": ("was offered aftercare (victims)", aftercare_answers),
        "decision_influence": (
            "aggression influenced their decisions (political office holders)",
            influence_answers,
        ),
        "perceived_violation": (
            "saw or suspected an integrity violation (all respondents)",
            lambda data: perception_answers(data),
        ),
    }
)


def outcome(data: MonitorData, name: str) -> Answers:
    """Return the answers of the outcome ``name`` (see :data:`OUTCOMES`).

    Raises
    ------
    ValueError
        For an unknown name, listing the outcomes.
    NotMeasuredError
        If the data hold no answers to the question.

    Examples
    --------
    >>> from vpt_monitor.indicators.outcomes import outcome
    >>> from vpt_monitor.synth import simulate
    >>> answers = outcome(simulate(waves=(2016,)), "decision_influence")
    >>> bool(answers.among.any()), bool((answers.y & ~answers.among).any())
    (True, False)
    """
    if name not in OUTCOMES:
        raise ValueError(f"unknown outcome {name!r}; outcomes are {', '.join(OUTCOMES)}")
    return OUTCOMES[name][1](data)
