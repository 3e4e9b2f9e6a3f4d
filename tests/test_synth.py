"""The synthetic monitor: calibration, design, per-wave streams, non-response and speed.

The published figures are the simulation's population values; the estimates from one fixed
simulation must cover them at the stated level (99%), and the population values must equal
them up to whole persons. Each test names what would make it fail.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from vpt_monitor import (
    EstimateTable,
    Group,
    Layer,
    MonitorData,
    Office,
    consequence_share,
    decision_influence,
    integrity_perception,
    policy_coverage,
    victimisation,
)
from vpt_monitor._codes import CONSEQUENCES, GROUPS, LAYERS, OFFICES
from vpt_monitor.stats import proportion
from vpt_monitor.synth import (
    INTEGRITY_WAVES,
    INVENTED,
    ORGANISATIONS_BY_WAVE,
    POPULATION,
    POPULATION_BY_WAVE,
    PUBLISHED,
    WAVES,
    population_values,
    simulate,
)
from vpt_monitor.vocab import Consequence

DATA = simulate()
LEVEL = 0.99  # every calibrated figure must lie in the 99% interval of seed 0's estimate
INFLUENCE = CONSEQUENCES.index(Consequence.DECISION_INFLUENCE)


def _covers(table: EstimateTable, label: object, value: float, level: float = LEVEL) -> None:
    est = table[label]
    ci = est.confidence_interval(level=level)
    assert ci.low <= value <= ci.high, (label, value, est.estimate, ci)


def _rows(data: MonitorData, wave: int, office: Office | None = None) -> np.ndarray:
    r = data.respondents
    rows = r["wave"] == wave
    if office is not None:
        rows &= r["office"] == OFFICES.index(office)
    return np.asarray(rows)


# ---- determinism and per-wave streams ------------------------------------------------------


def test_same_seed_same_data_other_seed_other_data() -> None:
    again = simulate()
    other = simulate(seed=1)
    for key, values in DATA.respondents.items():
        np.testing.assert_array_equal(again.respondents[key], values, err_msg=key)
    assert not np.array_equal(
        other.respondents["victimisations"][:1000], DATA.respondents["victimisations"][:1000]
    )


@pytest.mark.parametrize("wave", [2010, 2016])
def test_a_wave_is_the_same_whatever_other_waves_are_simulated(wave: int) -> None:
    alone = simulate(waves=(wave,))
    mixed = simulate(waves=(2014, wave) if wave != 2014 else (wave,))
    for whole in (DATA, mixed):
        rows = np.flatnonzero(whole.respondents["wave"] == wave)
        for key, values in alone.respondents.items():
            np.testing.assert_array_equal(whole.respondents[key][rows], values, err_msg=key)
        incidents = whole.incidents["wave"] == wave
        owners = whole.respondents["id"][whole.incidents["respondent"][incidents]]
        np.testing.assert_array_equal(
            owners, alone.respondents["id"][alone.incidents["respondent"]]
        )
        for key, values in alone.incidents.items():
            if key != "respondent":
                np.testing.assert_array_equal(whole.incidents[key][incidents], values)
        organisations = whole.organisations["wave"] == wave
        for key, values in alone.organisations.items():
            np.testing.assert_array_equal(whole.organisations[key][organisations], values)
        violations = whole.violations["wave"] == wave
        assert violations.sum() == alone.violations["wave"].size
        np.testing.assert_array_equal(
            whole.violations["kind"][violations], alone.violations["kind"]
        )
    table = victimisation(alone, by="office")
    both = victimisation(DATA, by=("wave", "office"))
    assert isinstance(table, EstimateTable)
    assert isinstance(both, EstimateTable)
    for office in (Office.MAYOR, Office.CIVIL_SERVANT):
        assert table[office].estimate == both[(wave, office)].estimate


def test_waves_do_not_repeat_each_other() -> None:
    # the 2016 mayors once came out exactly as the 2010 ones (same estimate, n and se): the
    # same population of 390, the same response rate and one weight per stratum make a
    # repeat of (n, victims) a one-in-a-thousand coincidence that seed 0 hit
    offices = victimisation(DATA, by=("wave", "office"))
    assert isinstance(offices, EstimateTable)
    for office in (Office.MAYOR, Office.ALDERMAN, Office.COUNCILLOR):
        cells = {
            (round(e.estimate, 12), e.n, round(e.standard_error, 12))
            for e in (offices[(w, office)] for w in WAVES)
        }
        assert len(cells) == len(WAVES), office
    fpc = {float(DATA.respondents["fpc"][_rows(DATA, w, Office.MAYOR)][0]) for w in WAVES}
    assert fpc == {431.0, 415.0, 403.0, 390.0}  # mayors: the municipalities of the wave


# ---- calibration ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 7, 45])
@pytest.mark.parametrize("wave", WAVES)
def test_population_values_are_the_published_figures(wave: int, seed: int) -> None:
    values = population_values(wave, seed=seed)
    sizes = POPULATION_BY_WAVE[wave]
    political = sum(n for (_, office), n in sizes.items() if office.political)
    tolerance = {
        "political": 0.5 / political,
        "mayor": 1 / sizes[(Layer.MUNICIPALITY, Office.MAYOR)],
        "alderman": 1 / sizes[(Layer.MUNICIPALITY, Office.ALDERMAN)],
        "councillor": 1 / sizes[(Layer.MUNICIPALITY, Office.COUNCILLOR)],
        "water_board_political": 1 / 722,
        "political_social_media": 0.5 / political,
        "decision_influence": 0.5 / political,
        "perceived_violations_political": 1 / political,
        "adverse_consequences_political": 1 / (0.2 * political),
        "decision_influence_victims": 1 / (0.2 * political),
        "employee": 1e-12,
        "perceived_violations_employee": 1e-12,
    }
    checked = 0
    for key, target in PUBLISHED.items():
        if wave in target and key in tolerance:
            assert values[key] == pytest.approx(target[wave], abs=tolerance[key]), key
            checked += 1
    assert checked >= 9
    assert "perceived_violations_political" in values or wave not in INTEGRITY_WAVES


@pytest.mark.parametrize("wave", WAVES)
def test_estimates_cover_the_published_figures(wave: int) -> None:
    groups = victimisation(DATA, by=("wave", "group"))
    offices = victimisation(DATA, by=("wave", "office"))
    assert isinstance(groups, EstimateTable)
    assert isinstance(offices, EstimateTable)
    _covers(groups, (wave, Group.POLITICAL), PUBLISHED["political"][wave])
    _covers(groups, (wave, Group.EMPLOYEE), PUBLISHED["employee"][wave])
    _covers(offices, (wave, Office.MAYOR), PUBLISHED["mayor"][wave])
    _covers(offices, (wave, Office.ALDERMAN), PUBLISHED["alderman"][wave])
    if wave in PUBLISHED["councillor"]:
        _covers(offices, (wave, Office.COUNCILLOR), PUBLISHED["councillor"][wave])
    social = victimisation(DATA, channel="sociale-media", by=("wave", "group"))
    assert isinstance(social, EstimateTable)
    _covers(social, (wave, Group.POLITICAL), PUBLISHED["political_social_media"][wave])
    adverse = consequence_share(DATA, by=("wave", "group"))
    assert isinstance(adverse, EstimateTable)
    _covers(adverse, (wave, Group.POLITICAL), PUBLISHED["adverse_consequences_political"][wave])
    influence = decision_influence(DATA, by="wave")
    assert isinstance(influence, EstimateTable)
    _covers(influence, wave, PUBLISHED["decision_influence"][wave])
    if wave in INTEGRITY_WAVES:
        perceived = integrity_perception(DATA, by=("wave", "group"))
        assert isinstance(perceived, EstimateTable)
        for group, key in ((Group.POLITICAL, "political"), (Group.EMPLOYEE, "employee")):
            _covers(perceived, (wave, group), PUBLISHED[f"perceived_violations_{key}"][wave])


def test_a_third_of_political_victims_have_adverse_consequences() -> None:
    # the letter: "een derde van de slachtoffers" (the generator once gave 55.8%)
    adverse = consequence_share(DATA, by=("wave", "group"))
    assert isinstance(adverse, EstimateTable)
    for wave in WAVES:
        assert 0.29 < adverse[(wave, Group.POLITICAL)].estimate < 0.38
    _covers(adverse, (2016, Group.POLITICAL), 1 / 3, level=0.95)
    # most of those with adverse consequences name less work pleasure (the letter)
    r = DATA.respondents
    answers = r["consequences"][(r["wave"] == 2016) & (r["group"] == 0)]
    any_adverse = (answers[:, :INFLUENCE] == 1).any(axis=1)
    assert (answers[any_adverse, 0] == 1).mean() > 0.5


def test_decision_influence_of_victims_and_of_all_political_office_holders() -> None:
    # one in ten victims (section 1.2 of the letter) and 9% of all (section 2.2) in 2016
    r = DATA.respondents
    answer = r["consequences"][:, INFLUENCE]
    victim = (r["victimisations"] > 0).any(axis=1)
    political = r["group"] == GROUPS.index(Group.POLITICAL)
    in_2016 = (r["wave"] == 2016) & political & (answer >= 0)
    victims = proportion(answer == 1, DATA.design, by=in_2016 & victim)[True]
    others = proportion(answer == 1, DATA.design, by=in_2016 & ~victim)[True]
    ci = victims.confidence_interval(level=LEVEL)
    assert ci.low <= PUBLISHED["decision_influence_victims"][2016] <= ci.high
    assert 0.04 < others.estimate < 0.13  # the implied 8.6% among non-victims
    # asked of all political office holders, of no employee
    assert (answer[political & ~victim] >= 0).mean() > 0.9
    assert (answer[~political] == -1).all()
    # published 9% in 2012 and 2016 only; the waves must not be placed identically
    influence = decision_influence(DATA, by="wave")
    assert isinstance(influence, EstimateTable)
    assert len({round(float(e), 6) for e in influence.estimate}) == len(WAVES)
    assert ("decision_influence", 2010) in INVENTED
    assert ("decision_influence", 2012) not in INVENTED


def test_social_media_doubles_and_employees_fall() -> None:
    social = victimisation(DATA, channel="sociale-media", by=("wave", "group"))
    assert isinstance(social, EstimateTable)
    ratio = social[(2016, Group.POLITICAL)].estimate / social[(2014, Group.POLITICAL)].estimate
    assert 1.5 < ratio < 2.7
    employees = victimisation(DATA, by=("wave", "group"))
    assert isinstance(employees, EstimateTable)
    series = [employees[(w, Group.EMPLOYEE)].estimate for w in (2012, 2014, 2016)]
    assert series[0] > series[1] > series[2]


def test_policy_coverage_of_2016() -> None:
    for measure, share in PUBLISHED["coverage_2016"].items():
        coverage = policy_coverage(DATA, measure, by="wave")
        assert isinstance(coverage, EstimateTable)
        _covers(coverage, 2016, share)


# ---- integrity waves -----------------------------------------------------------------------


def test_integrity_is_not_measured_in_2010() -> None:
    assert INTEGRITY_WAVES == (2012, 2014, 2016)
    assert (DATA.respondents["perceived_violations"][_rows(DATA, 2010)] == -1).all()
    perceived = integrity_perception(DATA, by="wave")
    assert isinstance(perceived, EstimateTable)
    assert "not_measured" in perceived[2010].flags
    assert np.isnan(perceived[2010].estimate)
    for wave in INTEGRITY_WAVES:
        assert "not_measured" not in perceived[wave].flags
        assert perceived[wave].n > 5000


# ---- the design ----------------------------------------------------------------------------


def test_labels_are_reused_across_waves_without_the_wave() -> None:
    r = DATA.respondents
    strata = {w: set(r["stratum"][r["wave"] == w]) for w in WAVES}
    assert all(s == strata[2016] for s in strata.values())
    assert {"burgemeester", "raadslid", "provincie-medewerkers", "gemeente-medewerkers"} <= (
        strata[2016]
    )
    assert not any(str(w) in label for label in strata[2016] for w in WAVES)
    clusters = {w: set(r["cluster"][r["wave"] == w]) for w in WAVES}
    shared = clusters[2010] & clusters[2016]
    assert any(c.startswith("gm") for c in shared)  # a municipality sampled in both waves
    assert any(c.startswith("burgemeester-") for c in shared)  # the seat of a mayor
    orgs = DATA.organisations
    assert set(orgs["id"][orgs["wave"] == 2010]) & set(orgs["id"][orgs["wave"] == 2016])
    assert not any(str(w) in str(s) for s in set(orgs["stratum"]) for w in WAVES)


@pytest.mark.parametrize("layer", [Layer.PROVINCE, Layer.WATER_BOARD])
def test_provinces_and_water_boards_are_a_census_with_people_sampled_within(
    layer: Layer,
) -> None:
    r = DATA.respondents
    table = victimisation(DATA, by=("wave", "layer", "office"))
    assert isinstance(table, EstimateTable)
    for wave in WAVES:
        rows = (
            (r["wave"] == wave)
            & (r["layer"] == LAYERS.index(layer))
            & (r["office"] == OFFICES.index(Office.CIVIL_SERVANT))
        )
        organisations = ORGANISATIONS_BY_WAVE[wave][layer]
        assert len(set(r["cluster"][rows])) == organisations  # every organisation
        assert (r["fpc"][rows] == organisations).all()
        clusters, sampled = np.unique(r["cluster"][rows], return_counts=True)
        employees = {c: r["fpc2"][rows][r["cluster"][rows] == c][0] for c in clusters}
        assert all(employees[c] > m for c, m in zip(clusters, sampled, strict=True))
        assert sum(employees.values()) == POPULATION_BY_WAVE[wave][(layer, Office.CIVIL_SERVANT)]
        estimate = table[(wave, layer, Office.CIVIL_SERVANT)]
        assert estimate.standard_error > 0.005, (wave, layer, estimate)


def test_sampled_layers_and_political_office_holders() -> None:
    r = DATA.respondents
    for wave in WAVES:
        rows = _rows(DATA, wave)
        municipal = rows & (r["stratum"] == "gemeente-medewerkers")
        assert len(set(r["cluster"][municipal])) == 120
        assert (r["fpc"][municipal] == ORGANISATIONS_BY_WAVE[wave][Layer.MUNICIPALITY]).all()
        political = rows & (r["group"] == GROUPS.index(Group.POLITICAL))
        assert (r["fpc2"][political] == 1).all()
        assert len(set(r["cluster"][political])) == political.sum()  # their own PSUs
        for (_, office), count in POPULATION_BY_WAVE[wave].items():
            if office.political:
                assert (r["fpc"][rows & (r["office"] == OFFICES.index(office))] == count).all()


def test_weights_reproduce_the_population_counts_per_stratum_and_wave() -> None:
    r = DATA.respondents
    for wave in WAVES:
        for (layer, office), count in POPULATION_BY_WAVE[wave].items():
            rows = (
                _rows(DATA, wave, office)
                & (r["layer"] == LAYERS.index(layer))
                & (r["stratum"] == (office.value if office.political else f"{layer}-medewerkers"))
            )
            assert r["weight"][rows].sum() == pytest.approx(count, rel=1e-9), (wave, office)
    assert POPULATION_BY_WAVE[2016] == POPULATION
    orgs = DATA.organisations
    for wave in WAVES:
        for layer, count in ORGANISATIONS_BY_WAVE[wave].items():
            rows = (orgs["wave"] == wave) & (orgs["layer"] == LAYERS.index(layer))
            assert orgs["weight"][rows].sum() == pytest.approx(count, rel=1e-9)
            assert (orgs["fpc"][rows] == count).all()


# ---- item non-response -----------------------------------------------------------------------


def test_item_nonresponse_is_present_and_routed() -> None:
    r = DATA.respondents
    counts = r["victimisations"]
    victim = (counts > 0).any(axis=1)
    empty = (counts < 0).all(axis=1)
    partial = (counts < 0).any(axis=1) & ~empty
    assert 0.01 < empty.mean() < 0.04
    assert partial.sum() > 50
    assert (victim[partial]).all()
    assert (r["channels"][~victim] == -1).all()  # asked of victims only
    assert 0.01 < (r["channels"][victim] == -1).all(axis=1).mean() < 0.06
    adverse = r["consequences"][:, :INFLUENCE]
    assert (adverse[~victim] == -1).all()
    assert 0.01 < (adverse[victim] == -1).all(axis=1).mean() < 0.06
    political = r["group"] == GROUPS.index(Group.POLITICAL)
    assert 0.02 < (r["consequences"][political, INFLUENCE] == -1).mean() < 0.07
    asked = r["wave"] != 2010
    assert 0.01 < (r["perceived_violations"][asked] == -1).all(axis=1).mean() < 0.06
    assert 0.01 < (r["training"] == -1).mean() < 0.06
    assert (r["aftercare"][victim] == -1).any()
    assert (r["aftercare"][~victim] == -1).all()
    assert (DATA.organisations["measures"] == -1).any()
    result = victimisation(DATA, by="wave")
    influence = decision_influence(DATA, by="wave")
    assert result.notes["missing"] > 500
    assert influence.notes["missing"] > 500


def test_records_round_trip_keeps_the_synthetic_data() -> None:
    small = simulate(scale=0.05, seed=2)
    records = small.to_records()
    back = MonitorData.from_records(
        records.respondents,
        records.incidents,
        records.organisations,
        records.violations,
        lonely_psu="adjust",
    )
    for table in ("respondents", "incidents", "organisations", "violations"):
        for key, values in getattr(small, table).items():
            np.testing.assert_array_equal(getattr(back, table)[key], values, err_msg=key)


# ---- size, speed and refusals ----------------------------------------------------------------


def test_synthetic_attributes() -> None:
    assert DATA.synthetic is True
    assert (
        DATA.source
        == "vpt_monitor.synth.simulate(waves=(2010, 2012, 2014, 2016), seed=0, scale=1.0)"
    )
    assert 30_000 < len(DATA) < 40_000


def test_a_million_respondents_in_seconds() -> None:
    start = time.perf_counter()
    big = simulate(scale=29, seed=3)
    took = time.perf_counter() - start
    assert len(big) > 1_000_000
    assert took < 30  # about 2 s on the development machine


def test_refusals() -> None:
    with pytest.raises(ValueError, match="waves \\[2018\\] have no published figures"):
        simulate(waves=(2016, 2018))
    with pytest.raises(ValueError, match="'scale' must be a number > 0"):
        simulate(scale=0)
    with pytest.raises(ValueError, match="'seed' must be an int >= 0"):
        simulate(seed=-1)
    with pytest.raises(ValueError, match="'waves' names a wave twice"):
        simulate(waves=(2016, 2016))
    with pytest.raises(ValueError, match="'waves' is empty"):
        simulate(waves=())
    with pytest.raises(ValueError, match="waves \\[2018\\]"):
        population_values(2018)
