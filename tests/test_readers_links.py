"""Links between incidents and respondents, and ids numbered per wave.

Files written by hand, as agencies deliver them: respondents numbered afresh in each wave,
incident records next to the counts they describe.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vpt_monitor import (
    Incident,
    MonitorData,
    MonitorDataError,
    Respondent,
    incidence,
    reporting_propensity,
    victimisation,
)
from vpt_monitor.indicators.outcomes import OUTCOMES
from vpt_monitor.io import read_monitor

RESPONDENTS = (
    "id,wave,layer,office,weight,incidents:verbaal,incidents:fysiek\n"
    "1,2016,gemeente,raadslid,1,0,0\n"
    "2,2016,gemeente,raadslid,1,,\n"
    "3,2016,gemeente,raadslid,1,2,0\n"
    "5,2016,gemeente,raadslid,1,1,0\n"
)


def _write(folder: Path, respondents: str, incidents: str | None = None) -> tuple[Path, Path]:
    r, i = folder / "respondents.csv", folder / "incidents.csv"
    r.write_text(respondents, encoding="utf-8")
    if incidents is not None:
        i.write_text(incidents, encoding="utf-8")
    return r, i


# ---- incidents that contradict the counts -------------------------------------------------


def test_an_incident_of_a_form_answered_0_is_refused_on_every_line(tmp_path: Path) -> None:
    r, i = _write(
        tmp_path,
        RESPONDENTS,
        "respondent_id,wave,form,police_report\n"
        "1,2016,fysiek,1\n"
        "1,2016,fysiek,1\n"
        "3,2016,fysiek,0\n"
        "3,2016,verbaal,1\n"
        "5,2016,verbaal,0\n",
    )
    with pytest.raises(MonitorDataError) as info:
        read_monitor(r, i)
    problems = info.value.problems
    assert len(problems) == 3
    for line, who in ((2, "'1'"), (3, "'1'"), (4, "'3'")):
        assert (
            f"incidents.csv line {line}: form='fysiek': respondent {who} of wave 2016 answered 0 "
            "incidents of this form (incidents:fysiek); correct the count in the respondents' "
            "file, or remove this incident record"
        ) in problems


def test_the_check_is_not_bypassed_by_columns_or_records() -> None:
    columns = {
        "id": ["1", "3"],
        "wave": [2016, 2016],
        "layer": ["gemeente"] * 2,
        "office": ["raadslid"] * 2,
        "incidents:fysiek": [0, 1],
    }
    incidents = {"respondent_id": ["1", "3"], "wave": [2016, 2016], "form": ["fysiek"] * 2}
    with pytest.raises(MonitorDataError) as info:
        MonitorData.from_columns(columns, incidents)
    assert info.value.problems == [
        "incidents row 0: form='fysiek': respondent '1' of wave 2016 answered 0 incidents of "
        "this form (incidents:fysiek); correct the count in the respondents' file, or remove "
        "this incident record"
    ]
    people = [
        Respondent("1", 2016, "gemeente", "raadslid", victimisations={"verbaal": 2}),
        Respondent("2", 2016, "gemeente", "raadslid"),  # did not answer: not a contradiction
    ]
    events = [Incident("1", 2016, "fysiek"), Incident("2", 2016, "fysiek")]
    with pytest.raises(MonitorDataError) as info:
        MonitorData.from_records(people, events)  # forms not named are 0
    assert info.value.problems == [
        "incidents[0]: respondent '1' of wave 2016 answered 0 incidents of the form 'fysiek' "
        "(victimisations); correct the count, or remove this incident"
    ]


def test_a_record_of_an_unanswered_count_makes_a_victim_everywhere(tmp_path: Path) -> None:
    r, i = _write(
        tmp_path,
        RESPONDENTS,
        "respondent_id,wave,form,police_report\n2,2016,verbaal,1\n3,2016,verbaal,1\n"
        "5,2016,verbaal,0\n",
    )
    data = read_monitor(r, i)
    victims = victimisation(data)
    assert (victims.estimate, victims.n, victims.notes["missing"]) == (0.75, 4, 0)
    assert victimisation(data, form="verbaal").n == 4
    assert victimisation(data, form="fysiek").n == 3  # 2 described no physical incident
    reporting = reporting_propensity(data, to="police", unit="victim")
    # the victims of reporting are those of victimisation: 2, 3 and 5 (1 answered 0)
    assert (reporting.n, reporting.estimate) == (3, pytest.approx(2 / 3))
    assert reporting_propensity(data, to="police").n == 3
    # the number of incidents stays unknown
    assert incidence(data).n == 3
    outcome = OUTCOMES["police_report"][1](data)
    assert outcome.among is not None
    assert outcome.among.tolist() == [False, True, True, True]


def test_records_of_a_form_not_asked_make_no_victim(tmp_path: Path) -> None:
    r, i = _write(
        tmp_path,
        "id,wave,layer,office,incidents:verbaal\n"
        "a,2016,rijk,ambtenaar,0\nb,2016,rijk,ambtenaar,2\nc,2016,rijk,ambtenaar,0\n"
        "a,2012,rijk,ambtenaar,\nb,2012,rijk,ambtenaar,\n",
        "respondent_id,wave,form,reported_internally\n"
        "a,2016,seksueel,1\nb,2016,verbaal,0\na,2012,verbaal,1\nb,2012,fysiek,0\n",
    )
    data = read_monitor(r, i)
    # 2016: a's only record is of a form not asked there, and a answered 0 to verbaal
    in_2016 = reporting_propensity(data, unit="victim", wave=2016)
    assert (in_2016.n, in_2016.estimate, in_2016.notes["not_victims"]) == (1, 0.0, 1)
    assert victimisation(data, wave=2016).estimate == pytest.approx(1 / 3)
    # 2012 asked no count at all: every respondent with a record is a victim
    in_2012 = reporting_propensity(data, unit="victim", wave=2012)
    assert (in_2012.n, in_2012.estimate) == (2, 0.5)
    assert "not_victims" not in in_2012.notes


# ---- respondents numbered per wave ----------------------------------------------------


def test_ids_reused_across_waves_are_two_respondents(tmp_path: Path) -> None:
    r, i = _write(
        tmp_path,
        "id,wave,layer,office,weight,incidents:verbaal\n"
        "1,2014,gemeente,raadslid,1,0\n2,2014,gemeente,raadslid,1,1\n"
        "1,2016,gemeente,raadslid,1,1\n2,2016,gemeente,raadslid,1,0\n",
        "respondent_id,wave,form,police_report\n2,2014,verbaal,1\n1,2016,verbaal,0\n",
    )
    data = read_monitor(r, i)
    assert data.incidents["respondent"].tolist() == [1, 2]  # 2 of 2014, 1 of 2016
    frame = data.to_pandas("incidents")
    assert frame["respondent_id"].tolist() == ["2", "1"]
    again = MonitorData.from_columns(data.to_pandas(), frame)
    assert again.incidents["respondent"].tolist() == [1, 2]
    records = data.to_records()
    rebuilt = MonitorData.from_records(records.respondents, records.incidents)
    assert rebuilt.incidents["respondent"].tolist() == [1, 2]
    table = reporting_propensity(data, to="police", by="wave")
    assert table.estimate.tolist() == [1.0, 0.0]


def test_an_id_twice_in_one_wave_is_refused_naming_the_lines(tmp_path: Path) -> None:
    r, i = _write(
        tmp_path,
        "id,wave,layer,office\n1,2014,gemeente,raadslid\n1,2016,gemeente,raadslid\n"
        "1,2016,gemeente,wethouder\n",
        "respondent_id,wave,form\n1,2015,verbaal\n",
    )
    with pytest.raises(MonitorDataError) as info:
        read_monitor(r, i)
    assert info.value.problems == [
        "respondents.csv line 3: id='1': duplicate id in wave 2016 (ids are unique within a wave)",
        "respondents.csv line 4: id='1': duplicate id in wave 2016 (ids are unique within a wave)",
        "incidents.csv line 2: wave='2015': no respondent '1' in this wave (that id is in waves "
        "2014, 2016); an incident belongs to the respondent of its id in its own wave",
    ]
    with pytest.raises(MonitorDataError, match=r"id 'x' in wave 2016 is used already"):
        MonitorData.from_records(
            [Respondent("x", 2016, "rijk", "ambtenaar"), Respondent("x", 2016, "rijk", "ambtenaar")]
        )
    both = MonitorData.from_records(
        [Respondent("x", 2014, "rijk", "ambtenaar"), Respondent("x", 2016, "rijk", "ambtenaar")]
    )
    assert len(both) == 2
