"""Links between incidents and respondents, ids numbered per wave, and cells SPSS writes.

Files written by hand, as agencies deliver them: respondents numbered afresh in each wave,
incident records next to the counts they describe, yes/no answers written ``1,00`` in Dutch
CSV files and "weet niet" codes in yes/no questions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
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


def _sav_frame(**columns: list[float]):  # type: ignore[no-untyped-def]
    """A .sav-shaped frame of respondents (numbers as SPSS stores them) with ``columns``."""
    pd = pytest.importorskip("pandas")
    n = len(next(iter(columns.values())))
    base = {
        "id": [float(i + 1) for i in range(n)],
        "wave": [2016.0] * n,
        "layer": ["rijk"] * n,
        "office": ["ambtenaar"] * n,
    }
    return pd.DataFrame({**base, **columns})


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


def test_victims_of_reporting_are_the_victims_of_victimisation(tmp_path: Path) -> None:
    # 2 did not answer the counts but has a record: victimisation leaves 2 out (unknown),
    # and so does reporting, rather than count a victim that victimisation does not
    r, i = _write(
        tmp_path,
        RESPONDENTS,
        "respondent_id,wave,form,police_report\n2,2016,verbaal,1\n3,2016,verbaal,1\n"
        "5,2016,verbaal,0\n",
    )
    data = read_monitor(r, i)
    victims = victimisation(data)
    assert (victims.estimate, victims.n, victims.notes["missing"]) == (2 / 3, 3, 1)
    reporting = reporting_propensity(data, to="police", unit="victim")
    assert (reporting.n, reporting.estimate, reporting.notes["not_victims"]) == (2, 0.5, 1)
    per_incident = reporting_propensity(data, to="police")
    assert (per_incident.n, per_incident.notes["not_victims"]) == (2, 1)
    outcome = OUTCOMES["police_report"][1](data)
    assert outcome.among is not None
    assert outcome.among.tolist() == [False, False, True, True]
    # victims whose count of the record's form is empty but another form's is above 0
    partly = _write(
        tmp_path,
        RESPONDENTS.replace("2,2016,gemeente,raadslid,1,,", "2,2016,gemeente,raadslid,1,,1"),
    )[0]
    data = read_monitor(partly, i)
    assert reporting_propensity(data, to="police", unit="victim").n == 3
    assert incidence(data).n == 3  # 2's number of incidents is unknown


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


# ---- yes/no cells as SPSS and Dutch Excel write them ----------------------------------------


def test_yes_no_with_decimal_commas_in_a_dutch_csv(tmp_path: Path) -> None:
    r, i = _write(
        tmp_path,
        "id;wave;layer;office;incidents:verbaal;training;aftercare;channel:sociale-media\n"
        "1;2016,0;gemeente;raadslid;2,0;1,0;1,00;0,00\n"
        "2;2016;gemeente;raadslid;0;0,0;0;\n",
        "respondent_id;wave;form;police_report\n1;2016;verbaal;1,00\n",
    )
    data = read_monitor(r, i)
    assert data.respondents["training"].tolist() == [1, 0]
    assert data.respondents["aftercare"].tolist() == [1, 0]
    assert data.respondents["channels"][:, 2].tolist() == [0, -1]
    assert data.incidents["police_report"].tolist() == [1]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id;wave;layer;office;training;aftercare\n1;2016;gemeente;raadslid;2,0;0,5\n",
        encoding="utf-8",
    )
    with pytest.raises(MonitorDataError) as info:
        read_monitor(bad)
    assert [p.split(": must")[0] for p in info.value.problems] == [
        "bad.csv line 2: aftercare='0,5'",  # as the file wrote them
        "bad.csv line 2: training='2,0'",
    ]


def test_yes_no_cells_follow_the_decimal_mark_as_count_cells_do(tmp_path: Path) -> None:
    # a tester's trial: in a file with decimal commas a count '1.00' was refused and a yes/no
    # '1.000' taken for 1, which there may well be a thousand. A reviewer's: '1.0' and
    # '1.00' in a yes/no column (pandas' to_csv of floats, SPSS) cannot be a thousand and
    # are 0 or 1 in a file of either decimal mark.
    from vpt_monitor.attributes import Attribute

    path = tmp_path / "r.csv"
    path.write_text(
        "id;wave;layer;office;incidents:verbaal;aftercare;fulltime;channel:sociale-media\n"
        "1;2016;gemeente;raadslid;1.00;1.00;1.000;ja\n"
        "2;2016;gemeente;raadslid;0;0,00;WAAR;0.0\n",
        encoding="utf-8",
    )
    with pytest.raises(MonitorDataError) as info:
        read_monitor(path, attributes=[Attribute("fulltime", kind="boolean")])
    advice = (
        "not a number; the file is read with decimal ','. Is the '.' a thousands separator "
        "(remove it) or the decimal mark (pass decimal='.', --decimal .)?"
    )
    assert sorted(info.value.problems) == [
        f"r.csv line 2: fulltime='1.000': {advice}",
        f"r.csv line 2: incidents:verbaal='1.00': {advice}",
    ]
    # the yes/no cells 1.00 and 0.0 are read there
    path.write_text(
        "id;wave;layer;office;incidents:verbaal;aftercare;channel:sociale-media\n"
        "1;2016;gemeente;raadslid;1;1.00;ja\n2;2016;gemeente;raadslid;0;0,00;0.0\n",
        encoding="utf-8",
    )
    data = read_monitor(path)
    assert data.respondents["aftercare"].tolist() == [1, 0]
    # and the other way round: a decimal comma in a file read with decimal '.'
    path.write_text(
        "id,wave,layer,office,incidents:verbaal,aftercare,training\n"
        '1,2016,gemeente,raadslid,"1,5","1,00","1,000"\n',
        encoding="utf-8",
    )
    with pytest.raises(MonitorDataError) as info:
        read_monitor(path)
    problems = sorted(info.value.problems)
    assert len(problems) == 2
    assert problems[0].startswith("r.csv line 2: incidents:verbaal='1,5': not a number;")
    assert problems[1].startswith("r.csv line 2: training='1,000': not a number; a decimal")
    # read with the decimal mark it has, both kinds of cell read alike
    path.write_text(
        "id;wave;layer;office;incidents:verbaal;aftercare\n1;2016;gemeente;raadslid;1.00;1.00\n",
        encoding="utf-8",
    )
    data = read_monitor(path, decimal=".")
    assert data.respondents["aftercare"].tolist() == [1]
    assert data.respondents["victimisations"][:, 0].tolist() == [1]


def test_weet_niet_codes_in_yes_no_questions_get_advice(tmp_path: Path) -> None:
    r, _ = _write(
        tmp_path,
        "id,wave,layer,office,training,aftercare\n1,2016,rijk,ambtenaar,9,2\n"
        "2,2016,rijk,ambtenaar,98,0\n",
    )
    with pytest.raises(MonitorDataError) as info:
        read_monitor(r)
    refused = "must be 0, 1, true/false, ja/nee or yes/no, or missing"
    assert info.value.problems == [
        f"respondents.csv line 2: aftercare='2': {refused}",
        f"respondents.csv line 2: training='9': {refused}; if 9 is a code for 'weet niet' or "
        "the like, declare it missing for this column in the codebook: "
        "[respondents.missing] training = [9]",
        f"respondents.csv line 3: training='98': {refused}; if 98 is a code for 'weet niet' or "
        "the like, declare it missing for this column in the codebook: "
        "[respondents.missing] training = [98]",
    ]
    (tmp_path / "codebook.toml").write_text("[respondents.missing]\ntraining = [9, 98]\n")
    with pytest.raises(MonitorDataError) as info:
        read_monitor(r, codebook=tmp_path / "codebook.toml")
    assert info.value.problems == [f"respondents.csv line 2: aftercare='2': {refused}"]


def test_a_sav_value_labelled_weet_niet_gets_advice(tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = _sav_frame(aftercare=[1.0, 7.0, 0.0], training=[5.0, 0.0, 1.0])
    path = tmp_path / "r.sav"
    labels = {0.0: "nee", 1.0: "ja"}
    pyreadstat.write_sav(
        frame,
        str(path),
        variable_value_labels={
            "aftercare": {**labels, 7.0: "Weet ik niet"},
            "training": {**labels, 5.0: "n.v.t."},
        },
    )
    with pytest.raises(MonitorDataError) as info:
        read_monitor(path)
    assert info.value.problems == [
        "r.sav row 1: training=5.0: must be 0, 1, true/false, ja/nee or yes/no, or missing; the "
        "file labels 5 'n.v.t.': declare it missing for this column in the codebook: "
        "[respondents.missing] training = [5]",
        "r.sav row 2: aftercare=7.0: must be 0, 1, true/false, ja/nee or yes/no, or missing; the "
        "file labels 7 'Weet ik niet': declare it missing for this column in the codebook: "
        "[respondents.missing] aftercare = [7]",
    ]
    (tmp_path / "codebook.toml").write_text("[respondents]\nmissing = [5, 7]\n")
    data = read_monitor(path, codebook=tmp_path / "codebook.toml")
    assert np.array_equal(data.respondents["aftercare"], [1, -1, 0])


def test_declared_attributes_read_decimal_commas_too(tmp_path: Path) -> None:
    from vpt_monitor.attributes import Attribute

    r, _ = _write(
        tmp_path,
        "id;wave;layer;office;years;fulltime\n1;2016;gemeente;raadslid;4,5;1,00\n"
        "2;2016;gemeente;raadslid;12;0\n",
    )
    data = read_monitor(
        r, attributes=[Attribute("years", kind="number"), Attribute("fulltime", kind="boolean")]
    )
    assert data.respondents["years"].tolist() == [4.5, 12.0]
    assert data.respondents["fulltime"].tolist() == [1, 0]


def test_capped_incidence_and_reporting_notes_take_attributes_as_domains(tmp_path: Path) -> None:
    r, i = _write(
        tmp_path,
        "id,wave,layer,office,province,incidents:verbaal\n"
        "a,2016,gemeente,raadslid,utrecht,40\nb,2016,gemeente,raadslid,utrecht,2\n"
        "c,2016,gemeente,raadslid,drenthe,0\nd,2016,gemeente,raadslid,drenthe,1\n",
        "respondent_id,wave,form,reported_internally\na,2016,verbaal,1\nc,2016,fysiek,0\n"
        "d,2016,verbaal,0\n",
    )
    data = read_monitor(r, i)
    capped = incidence(data, cap=10, by="province")
    assert capped["utrecht"].estimate == 6.0
    reporting = reporting_propensity(data, by="province")
    assert reporting.notes["not_victims"] == 1  # c: a record of a form not asked
    assert reporting["utrecht"].estimate == 1.0


def test_a_count_the_sav_labels_weet_niet_is_not_read_as_incidents(tmp_path: Path) -> None:
    # a tester's files: the count columns label 99 "weet niet / wil niet zeggen"; 99 is
    # below the largest count read (730), so it was read as 99 incidents
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = _sav_frame(incidents_verbaal=[0.0, 99.0, 2.0, 99.0])
    path = tmp_path / "r.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        variable_value_labels={"incidents_verbaal": {99.0: "weet niet / wil niet zeggen"}},
    )
    with pytest.raises(MonitorDataError) as info:
        read_monitor(path)
    assert info.value.problems == [
        f"r.sav row {row}: incidents:verbaal=99.0: a code for no answer, not a number of "
        "incidents; the file labels 99 'weet niet / wil niet zeggen': declare it missing for "
        'this column in the codebook: [respondents.missing] "incidents:verbaal" = [99]'
        for row in (2, 4)
    ]
    (tmp_path / "codebook.toml").write_text("[respondents]\nmissing = [99]\n")
    data = read_monitor(path, codebook=tmp_path / "codebook.toml")
    assert data.respondents["victimisations"][:, 0].tolist() == [0, -1, 2, -1]


def test_a_group_column_must_agree_with_the_office_and_set_fields_are_not_columns(
    tmp_path: Path,
) -> None:
    # a documentation writer's trial: a 'group' column with 'xx', and columns named after
    # the library's set-valued fields ('channels'), were read without a word and ignored
    header = "id,wave,layer,office,group,incidents:verbaal\n"
    path = tmp_path / "respondents.csv"
    path.write_text(
        header
        + "1,2016,gemeente,raadslid,politiek-ambtsdrager,0\n"
        + "2,2016,gemeente,ambtenaar,politiek-ambtsdrager,1\n"
        + "3,2016,gemeente,ambtenaar,xx,0\n",
        encoding="utf-8",
    )
    with pytest.raises(MonitorDataError) as info:
        read_monitor(path)
    problems = "\n".join(info.value.problems)
    assert "line 3: group='politiek-ambtsdrager': office 'ambtenaar' is in group" in problems
    assert "'medewerker': the library derives the group from the office; leave the" in problems
    assert (
        "line 4: group='xx': not a group ('medewerker', 'politiek-ambtsdrager'): the library "
        "derives the group from the office" in problems
    )
    path.write_text(
        header.replace(",group", "").replace("\n", ",channels\n", 1)
        + "1,2016,gemeente,raadslid,0,sociale-media\n",
        encoding="utf-8",
    )
    with pytest.raises(MonitorDataError, match="'channels': unknown respondent column"):
        read_monitor(path)
    # a group column that agrees is read (and the group is the office's)
    path.write_text(header + "1,2016,gemeente,raadslid,politiek-ambtsdrager,0\n", encoding="utf-8")
    assert read_monitor(path).respondents["group"].tolist() == [0]


@pytest.mark.parametrize(
    "label",
    [
        "Niet van toepassing",
        "Weigert",
        "w.n.",
        "Zeg ik liever niet",
        "Kan ik me niet herinneren",
        "Geen opgave",
    ],
)
def test_other_no_answer_labels_on_a_count_are_refused_too(tmp_path: Path, label: str) -> None:
    # two reviewers' trials: these labels on 99 were still read as 99 incidents
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = _sav_frame(incidents_verbaal=[0.0, 99.0, 2.0])
    path = tmp_path / "r.sav"
    labels = {2.0: "2 keer", 99.0: label}
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"incidents_verbaal": labels})
    with pytest.raises(
        MonitorDataError,
        match=r"declare it missing for this column in the codebook: "
        r'\[respondents.missing\] "incidents:verbaal" = \[99\]',
    ):
        read_monitor(path)
    # labels of counts are read as counts: "99 of meer", "dagelijks" (a reviewer found
    # a rule on codes of 90 and more without digits refusing 365 'dagelijks')
    for count_label in ("99 of meer", "dagelijks"):
        labels[99.0] = count_label
        pyreadstat.write_sav(frame, str(path), variable_value_labels={"incidents_verbaal": labels})
        assert read_monitor(path).respondents["victimisations"][:, 0].tolist() == [0, 99, 2]
