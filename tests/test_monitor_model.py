"""Vocabularies, records, MonitorData and the indicators' plumbing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from test_monitor_reference import DATA, load

from vpt_monitor import (
    Channel,
    Estimate,
    EstimateTable,
    Form,
    Group,
    Incident,
    Layer,
    MonitorData,
    MonitorDataError,
    Office,
    Respondent,
    incidence,
    reporting_propensity,
    victimisation,
)

# ---- vocabularies -------------------------------------------------------------------------


def test_vocabularies_use_dutch_codes_and_know_their_layers() -> None:
    assert Office("burgemeester") is Office.MAYOR
    assert Office.MAYOR == "burgemeester"
    assert Office.MAYOR.layers == frozenset({Layer.MUNICIPALITY})
    assert Office.CIVIL_SERVANT.layers == frozenset(Layer)
    assert Office.MAYOR.political
    assert not Office.CIVIL_SERVANT.political
    assert Office.CIVIL_SERVANT.group is Group.EMPLOYEE
    assert Form.THREAT.label == "threats and intimidation"
    assert Channel.SOCIAL_MEDIA.dutch == "sociale media en internet"
    assert all(
        member.label and member.dutch for enum in (Layer, Office, Form, Channel) for member in enum
    )


def test_parse_names_the_field_and_lists_the_codes() -> None:
    with pytest.raises(ValueError, match="form: 'threat' is not a Form; valid codes are 'verbaal'"):
        Form.parse("threat", field="form")


# ---- records ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"office": "burgemeester", "layer": "provincie"},
            "Respondent 'r1': office: 'burgemeester' does not exist in layer 'provincie'",
        ),
        (
            {"victimisations": {"verbaal": -2}},
            "Respondent 'r1': victimisations: the count of 'verbaal' must be a whole number from 0",
        ),
        ({"victimisations": {"shouting": 1}}, "victimisations: 'shouting' is not a Form"),
        ({"weight": 0.0}, "Respondent 'r1': weight: must be finite and > 0; got 0.0"),
        ({"weight": float("nan")}, "weight: must be finite and > 0"),
        ({"wave": 1999}, "Respondent 'r1': wave: 1999 is outside 2000-2100"),
        ({"wave": "2016"}, "wave: must be a whole year; got '2016'"),
        ({"channels": {"twitter"}}, "channels: 'twitter' is not a Channel"),
        ({"aftercare": "yes"}, "aftercare: must be True, False or None"),
        ({"id": ""}, "id: must be a non-empty string"),
    ],
)
def test_respondent_refusals(fields: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"id": "r1", "wave": 2016, "layer": "gemeente", "office": "raadslid"}
    base.update(fields)
    with pytest.raises(ValueError, match=message):
        Respondent(**base)  # type: ignore[arg-type]


def test_incident_refusals() -> None:
    with pytest.raises(ValueError, match="Incident 'r1': severity: must be a whole number from 1"):
        Incident("r1", 2016, "verbaal", severity=9)
    with pytest.raises(ValueError, match="Incident 'r1': form: 'slap' is not a Form"):
        Incident("r1", 2016, "slap")


def test_records_normalise_codes_and_compare_equal() -> None:
    a = Respondent(
        "r1",
        2016,
        "gemeente",
        "raadslid",
        victimisations={"verbaal": 1, "fysiek": 0},
        channels=["persoonlijk"],
    )
    b = Respondent(
        "r1",
        2016,
        Layer.MUNICIPALITY,
        Office.COUNCILLOR,
        victimisations={Form.VERBAL: 1},
        channels={Channel.IN_PERSON},
    )
    assert a == b
    assert hash(a) == hash(b)
    assert a.victimised
    assert a.incidents == 1


# ---- MonitorData ------------------------------------------------------------------------


def test_from_records_reports_every_problem_at_once() -> None:
    people = [
        Respondent("a", 2016, "gemeente", "raadslid", stratum="s1"),
        Respondent("a", 2016, "gemeente", "raadslid", stratum="s1"),
        Respondent("b", 2014, "gemeente", "raadslid"),
    ]
    events = [Incident("zzz", 2016, "verbaal"), Incident("b", 2016, "verbaal")]
    with pytest.raises(MonitorDataError) as info:
        MonitorData.from_records(people, events)
    problems = info.value.problems
    assert any("id 'a' in wave 2016 is used already by respondents[0]" in p for p in problems)
    assert any("stratum: given for some respondents but not for 1 others" in p for p in problems)
    assert any("incidents[0]: respondent_id 'zzz' is unknown" in p for p in problems)
    assert any(
        "incidents[1]: no respondent 'b' in wave 2016 (that id is in wave 2014)" in p
        for p in problems
    )
    assert "4 problems" in str(info.value)


def test_from_records_needs_records() -> None:
    with pytest.raises(TypeError, match=r"respondents\[0\] is a dict, not a Respondent"):
        MonitorData.from_records([{"id": "a"}])  # type: ignore[list-item]


def test_from_columns_reports_every_bad_row_and_builds_nothing() -> None:
    columns = {
        "id": ["a", "b", "c", "c", ""],
        "wave": [2016, 1990, 2016, 2016, 2016],
        "layer": ["gemeente", "gemeente", "provincie", "gemeente", "rijk"],
        "office": ["raadslid", "raadslid", "burgemeester", "wethouder", "major"],
        "weight": [1.0, -2.0, 1.0, 1.0, 1.0],
        "incidents:verbaal": [1, 2.5, 0, 0, 0],
    }
    with pytest.raises(MonitorDataError) as info:
        MonitorData.from_columns(columns)
    text = "\n".join(info.value.problems)
    assert "respondents row 1: wave=1990: must be >= 2000" in text
    assert "respondents row 1: weight=-2.0: must be finite and > 0" in text
    assert "respondents row 1: incidents:verbaal=2.5: must be a whole number" in text
    assert (
        "respondents row 2: office='burgemeester': does not exist in layer 'provincie' "
        "(only in 'gemeente')" in text
    )
    assert "respondents row 4: office='major': not a valid code" in text
    assert "respondents row 2: id='c': duplicate id in wave 2016" in text
    assert "respondents row 4: id='': must be a non-empty id" in text


def test_from_columns_reports_bad_incident_rows() -> None:
    columns = {"id": ["a"], "wave": [2016], "layer": ["rijk"], "office": ["ambtenaar"]}
    incidents = {
        "respondent_id": ["a", "x"],
        "wave": [2014, 2016],
        "form": ["verbaal", "duw"],
        "reported_internally": [2, None],
    }
    with pytest.raises(MonitorDataError) as info:
        MonitorData.from_columns(columns, incidents)
    text = "\n".join(info.value.problems)
    assert (
        "incidents row 0: wave=2014: no respondent 'a' in this wave (that id is in wave 2016)"
        in text
    )
    assert "incidents row 1: respondent_id='x': no respondent has this id" in text
    assert "incidents row 1: form='duw': not a valid code" in text
    assert "incidents row 0: reported_internally=2: must be 0, 1" in text


def test_from_columns_accepts_a_dataframe_and_refuses_unknown_columns() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "id": [1, 2],
            "wave": [2016, 2016],
            "layer": ["rijk", "rijk"],
            "office": ["ambtenaar", "ambtenaar"],
            "incidents:fysiek": [0, 1],
        }
    )
    data = MonitorData.from_columns(frame)
    assert data.respondents["id"].tolist() == ["1", "2"]
    with pytest.raises(ValueError, match="unknown respondent column"):
        MonitorData.from_columns({**frame.to_dict("list"), "shoe_size": [40, 41]})


def test_columns_are_read_only() -> None:
    with pytest.raises(ValueError, match="read-only"):
        DATA.respondents["weight"][0] = 5.0


def test_records_round_trip_through_monitor_data() -> None:
    records = DATA.to_records()
    again = MonitorData.from_records(*records)
    for key, values in DATA.respondents.items():
        np.testing.assert_array_equal(again.respondents[key], values, err_msg=key)
    for key, values in DATA.incidents.items():
        np.testing.assert_array_equal(again.incidents[key], values, err_msg=key)
    assert again.to_records() == records


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_respondent_order_changes_no_estimate(seed: int) -> None:
    people, events, _, _ = DATA.to_records()
    order = np.random.default_rng(seed).permutation(len(people))
    shuffled = MonitorData.from_records([people[i] for i in order], events[::-1])
    for indicator in (victimisation, incidence, reporting_propensity):
        a = indicator(DATA, by=("wave", "office"))  # type: ignore[operator]
        b = indicator(shuffled, by=("wave", "office"))  # type: ignore[operator]
        assert isinstance(a, EstimateTable)
        assert isinstance(b, EstimateTable)
        assert a.domains == b.domains
        assert_allclose(a.estimate, b.estimate, rtol=1e-10, equal_nan=True)
        assert_allclose(a.standard_error, b.standard_error, rtol=1e-8, atol=1e-14, equal_nan=True)


# ---- indicators' plumbing -----------------------------------------------------------------


def test_every_possible_domain_is_listed_and_empty_ones_flagged() -> None:
    table = victimisation(DATA, by=("layer", "office"), wave=2014)  # no cdk surveyed in 2014
    assert isinstance(table, EstimateTable)
    # only offices that exist in their layer are listed: 4 civil-servant layers + 9 offices
    assert len(table) == 13
    commissioner = table[(Layer.PROVINCE, Office.KINGS_COMMISSIONER)]
    assert commissioner.n == 0
    assert commissioner.flags == ("empty",)
    assert np.isnan(commissioner.estimate)
    assert (Layer.PROVINCE, Office.MAYOR) not in table.domains
    assert table[("gemeente", "burgemeester")].n > 0  # StrEnum labels answer to their codes


def test_group_domains() -> None:
    table = victimisation(DATA, by="group", wave=2016)
    assert isinstance(table, EstimateTable)
    assert table.domains == (Group.POLITICAL, Group.EMPLOYEE)
    assert table.n.sum() + table.notes["missing"] == (DATA.respondents["wave"] == 2016).sum()


def test_unknown_by_and_bad_options() -> None:
    with pytest.raises(ValueError, match="unknown by 'gender'; valid values are 'wave'"):
        victimisation(DATA, by="gender")
    with pytest.raises(ValueError, match="form: 'hitting' is not a Form"):
        victimisation(DATA, form="hitting")
    with pytest.raises(ValueError, match="'cap' must be a whole number >= 1 or 'p98'"):
        incidence(DATA, cap=0)
    with pytest.raises(ValueError, match="unknown to 'mayor'"):
        reporting_propensity(DATA, to="mayor")


def test_p98_caps_each_form_at_its_weighted_98th_percentile() -> None:
    capped = incidence(DATA, cap="p98", wave=2016)  # the cap is pooled over the waves
    assert isinstance(capped, Estimate)
    counts = DATA.respondents["victimisations"]
    weights = DATA.respondents["weight"]
    verbal = counts[:, 0]
    victims = verbal > 0
    limit = capped.notes["cap"][Form.VERBAL]
    share_at_or_below = weights[victims & (verbal <= limit)].sum() / weights[victims].sum()
    share_below = weights[victims & (verbal < limit)].sum() / weights[victims].sum()
    assert share_below < 0.98 <= share_at_or_below
    plain = incidence(DATA, wave=2016)
    assert isinstance(plain, Estimate)
    assert capped.estimate < plain.estimate
    assert capped.notes["capped_respondents"] > 0


def test_one_person_many_incidents_does_not_shrink_the_interval() -> None:
    # 20 victims; one reports 50 incidents, all reported. Treating incidents as independent
    # would give 69 observations; the respondent design keeps the 20 people.
    people = [
        Respondent(f"p{i}", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 1})
        for i in range(20)
    ]
    events = [Incident(f"p{i}", 2016, "verbaal", reported_internally=i % 2 == 0) for i in range(20)]
    events += [Incident("p0", 2016, "verbaal", reported_internally=True) for _ in range(49)]
    data = MonitorData.from_records(people, events)
    est = reporting_propensity(data)
    assert isinstance(est, Estimate)
    assert est.estimate == pytest.approx(59 / 69)
    assert est.df == 19
    naive_se = np.sqrt(est.estimate * (1 - est.estimate) / 69)
    assert est.standard_error > 2 * naive_se


def test_with_design_takes_a_calibrated_design() -> None:
    from vpt_monitor.stats import poststratify

    one_stage = load(drop=["fpc2"])  # calibration of a two-stage design is not supported
    design = one_stage.design
    offices = one_stage.respondents["office"]
    population = {int(code): 100.0 * (code + 1) for code in np.unique(offices)}
    calibrated = one_stage.with_design(poststratify(design, offices, population))
    assert calibrated.design.calibrated
    assert calibrated.design.weights.sum() == pytest.approx(sum(population.values()))
    before = victimisation(one_stage, wave=2016)
    after = victimisation(calibrated, wave=2016)
    assert isinstance(before, Estimate)
    assert isinstance(after, Estimate)
    assert after.estimate != pytest.approx(before.estimate)
    with pytest.raises(ValueError, match="'design' has 3 rows but the data has 1815"):
        DATA.with_design(__import__("vpt_monitor").stats.SurveyDesign(weights=[1, 1, 1]))


def test_predict_takes_a_year_as_a_number_for_the_wave_categories() -> None:
    # a documentation writer's trial: the wave categories are the years as text, and
    # predict refused wave=2016 as "a category the model was not fitted with"
    import pandas as pd

    from vpt_monitor import model
    from vpt_monitor.synth import simulate

    fit = model(simulate(waves=(2014, 2016)), "victimised ~ wave + group")
    groups = ["politiek-ambtsdrager", "medewerker"]
    as_text = fit.predict(pd.DataFrame({"wave": ["2016", "2016"], "group": groups}))
    as_number = fit.predict(pd.DataFrame({"wave": [2016, 2016], "group": groups}))
    assert as_number.estimate.tolist() == as_text.estimate.tolist()
    with pytest.raises(ValueError, match="2018 at row 0, a category the model was not"):
        fit.predict(pd.DataFrame({"wave": [2018], "group": ["medewerker"]}))
