"""The synthetic monitor: determinism, size, and calibration to the published figures."""

from __future__ import annotations

import time

import numpy as np
import pytest

from vpt_monitor import (
    EstimateTable,
    Group,
    Office,
    decision_influence,
    integrity_perception,
    policy_coverage,
    victimisation,
)
from vpt_monitor.synth import PUBLISHED, simulate

DATA = simulate()


def _covers(table: EstimateTable, label: object, value: float, level: float = 0.99) -> None:
    est = table[label]
    ci = est.confidence_interval(level=level)
    assert ci.low <= value <= ci.high, (label, value, est.estimate, ci)


def test_same_seed_same_data_other_seed_other_data() -> None:
    again = simulate()
    other = simulate(seed=1)
    for key, values in DATA.respondents.items():
        np.testing.assert_array_equal(again.respondents[key], values, err_msg=key)
    assert not np.array_equal(
        other.respondents["victimisations"][:1000], DATA.respondents["victimisations"][:1000]
    )


def test_weights_reproduce_the_population_counts() -> None:
    from vpt_monitor.data import LAYERS, OFFICES
    from vpt_monitor.synth import POPULATION

    r = DATA.respondents
    for (layer, office), count in POPULATION.items():
        rows = (
            (r["wave"] == 2016)
            & (r["layer"] == LAYERS.index(layer))
            & (r["office"] == OFFICES.index(office))
        )
        assert r["weight"][rows].sum() == pytest.approx(count, rel=1e-9)


@pytest.mark.parametrize("wave", [2010, 2012, 2014, 2016])
def test_victimisation_matches_the_published_figures(wave: int) -> None:
    groups = victimisation(DATA, by=("wave", "group"))
    assert isinstance(groups, EstimateTable)
    _covers(groups, (wave, Group.POLITICAL), PUBLISHED["political"][wave])
    _covers(groups, (wave, Group.EMPLOYEE), PUBLISHED["employee"][wave])
    offices = victimisation(DATA, by=("wave", "office"))
    assert isinstance(offices, EstimateTable)
    _covers(offices, (wave, Office.MAYOR), PUBLISHED["mayor"][wave])
    _covers(offices, (wave, Office.ALDERMAN), PUBLISHED["alderman"][wave])


def test_social_media_doubles_and_employees_fall() -> None:
    social = victimisation(DATA, channel="sociale-media", by=("wave", "group"))
    assert isinstance(social, EstimateTable)
    for wave in (2014, 2016):
        _covers(social, (wave, Group.POLITICAL), PUBLISHED["political_social_media"][wave])
    ratio = social[(2016, Group.POLITICAL)].estimate / social[(2014, Group.POLITICAL)].estimate
    assert 1.5 < ratio < 2.7
    employees = victimisation(DATA, by=("wave", "group"))
    assert isinstance(employees, EstimateTable)
    series = [employees[(w, Group.EMPLOYEE)].estimate for w in (2012, 2014, 2016)]
    assert series[0] > series[1] > series[2]


def test_influence_perception_and_policy_coverage() -> None:
    influence = decision_influence(DATA, by="wave")
    assert isinstance(influence, EstimateTable)
    for wave in (2012, 2016):
        _covers(influence, wave, PUBLISHED["decision_influence"][wave])
    perceived = integrity_perception(DATA, by=("wave", "group"))
    assert isinstance(perceived, EstimateTable)
    _covers(perceived, (2016, Group.POLITICAL), PUBLISHED["perceived_violations_political"][2016])
    for measure, share in PUBLISHED["coverage_2016"].items():
        coverage = policy_coverage(DATA, measure, by="wave")
        assert isinstance(coverage, EstimateTable)
        _covers(coverage, 2016, share)


def test_a_million_respondents_in_seconds() -> None:
    start = time.perf_counter()
    big = simulate(scale=29, seed=3)
    took = time.perf_counter() - start
    assert len(big) > 1_000_000
    assert took < 30  # about 3 s on the development machine


def test_refusals() -> None:
    with pytest.raises(ValueError, match="waves \\[2018\\] have no published figures"):
        simulate(waves=(2016, 2018))
    with pytest.raises(ValueError, match="'scale' must be a number > 0"):
        simulate(scale=0)
