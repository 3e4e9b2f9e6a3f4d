"""Missing is not "no": unanswered and unasked questions (issue 10, item 4)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from vpt_monitor import (
    EstimateTable,
    Incident,
    MonitorData,
    NotMeasuredError,
    Organisation,
    Respondent,
    aftercare_share,
    consequence_share,
    decision_influence,
    incidence,
    integrity_perception,
    policy_coverage,
    policy_maturity,
    reporting_propensity,
    victimisation,
    violation_rate,
)
from vpt_monitor.stats import SurveyDesign, proportion


def _columns(**extra: list[object]) -> dict[str, list[object]]:
    n = len(next(iter(extra.values()))) if extra else 4
    base: dict[str, list[object]] = {
        "id": [f"r{i}" for i in range(n)],
        "wave": [2016] * n,
        "layer": ["gemeente"] * n,
        "office": ["raadslid"] * n,
    }
    base.update(extra)
    return base


# ---- a question the file does not hold -------------------------------------------------------


def test_an_absent_form_is_not_measured_rather_than_zero() -> None:
    data = MonitorData.from_columns(_columns(**{"incidents:verbaal": [1, 0, 0, 2]}))
    assert victimisation(data, form="verbaal").estimate == 0.5
    with pytest.raises(NotMeasuredError, match=r"'fysiek' \(incidents:fysiek\) is not measured"):
        victimisation(data, form="fysiek")
    assert data.respondents["victimisations"][:, 2].tolist() == [-1, -1, -1, -1]


@pytest.mark.parametrize(
    ("indicator", "question"),
    [
        (integrity_perception, "perceived violations"),
        (decision_influence, "decision influence"),
        (consequence_share, "adverse consequences"),
        (aftercare_share, "aftercare"),
    ],
)
def test_absent_questions_are_refused_with_their_name(indicator: object, question: str) -> None:
    data = MonitorData.from_columns(_columns(**{"incidents:verbaal": [1, 0, 0, 2]}))
    with pytest.raises(NotMeasuredError, match=question):
        indicator(data)  # type: ignore[operator]


def test_no_incident_records_means_reporting_is_not_measured() -> None:
    data = MonitorData.from_columns(_columns(**{"incidents:verbaal": [1, 0, 0, 2]}))
    with pytest.raises(NotMeasuredError, match="reporting"):
        reporting_propensity(data)


def test_no_violation_file_is_not_zero_violations() -> None:
    orgs = [Organisation(f"o{i}", 2016, "gemeente", employees=100) for i in range(3)]
    without = MonitorData.from_records([], organisations=orgs)
    with pytest.raises(NotMeasuredError, match="no registrations is not zero"):
        violation_rate(without)
    empty = MonitorData.from_records([], organisations=orgs, violations=[])
    assert violation_rate(empty).estimate == 0.0


def test_a_policy_measure_not_asked_is_refused() -> None:
    data = MonitorData.from_columns(
        _columns(**{"incidents:verbaal": [0]}),
        organisations={
            "id": ["a", "b"],
            "wave": [2016, 2016],
            "layer": ["gemeente", "gemeente"],
            "employees": [100, 200],
            "measure:nazorg": [1, 0],
        },
    )
    assert policy_coverage(data, "nazorg").estimate == pytest.approx(0.5)
    with pytest.raises(NotMeasuredError, match="'gedragscode'"):
        policy_coverage(data, "gedragscode")
    with pytest.raises(NotMeasuredError, match="every item of the scheme"):
        policy_maturity(data)


# ---- empty cells: item non-response ---------------------------------------------------------


def test_empty_cells_are_left_out_of_numerator_and_denominator() -> None:
    # 6 respondents; two did not answer the violation question
    data = MonitorData.from_columns(
        _columns(
            **{
                "incidents:verbaal": [1, 0, 0, 0, 1, 0],
                "violation:fraude": [1, 0, None, 0, np.nan, 1],
            }
        )
    )
    result = integrity_perception(data)
    assert result.estimate == pytest.approx(0.5)  # 2 of the 4 who answered
    assert result.n == 4
    assert result.notes["missing"] == 2
    # the same as R's na.rm: the proportion among the answers, on the full design
    answered = np.array([1, 1, 0, 1, 0, 1], dtype=bool)
    y = np.array([1, 0, 0, 0, 0, 1])
    reference = proportion(y, SurveyDesign(weights=np.ones(6)), by=answered)
    assert isinstance(reference, EstimateTable)
    assert_allclose(result.standard_error, reference[True].standard_error, rtol=1e-12)


def test_any_form_counts_a_victim_even_when_another_form_is_unanswered() -> None:
    data = MonitorData.from_columns(
        _columns(
            **{
                "incidents:verbaal": [2, 0, None, None, 0],
                "incidents:bedreiging": [None, 0, 1, None, 0],
            }
        )
    )
    result = victimisation(data)
    # r0 yes (verbaal), r1 no, r2 yes (bedreiging), r3 unknown, r4 no
    assert result.n == 4
    assert result.estimate == pytest.approx(0.5)
    assert result.notes["missing"] == 1
    mean_count = incidence(data)
    assert mean_count.n == 2  # only r1 and r4 answered every form
    assert mean_count.estimate == 0.0


def test_a_question_asked_in_one_wave_only_is_flagged_in_the_other() -> None:
    people = [
        Respondent(f"a{i}", 2014, "rijk", "ambtenaar", victimisations={}) for i in range(5)
    ] + [
        Respondent(
            f"b{i}",
            2016,
            "rijk",
            "ambtenaar",
            victimisations={},
            perceived_violations={"fraude"} if i < 2 else set(),
        )
        for i in range(5)
    ]
    data = MonitorData.from_records(people)
    table = integrity_perception(data, by="wave")
    assert isinstance(table, EstimateTable)
    assert table[2014].flags == ("not_measured",)
    assert np.isnan(table[2014].estimate)
    assert table[2016].estimate == pytest.approx(0.4)
    assert table.notes["missing_by_domain"] == {2014: 5}


def test_a_form_not_asked_in_a_wave_is_not_part_of_any_form_there() -> None:
    # 2014 asks only about verbal aggression; 2016 about both forms
    people = [
        Respondent("a0", 2014, "rijk", "ambtenaar", victimisations={"verbaal": 1, "fysiek": None}),
        Respondent("a1", 2014, "rijk", "ambtenaar", victimisations={"fysiek": None}),
        Respondent("b0", 2016, "rijk", "ambtenaar", victimisations={"fysiek": 1}),
        Respondent("b1", 2016, "rijk", "ambtenaar", victimisations={}),
    ]
    table = victimisation(MonitorData.from_records(people), by="wave")
    assert isinstance(table, EstimateTable)
    assert table.estimate.tolist() == [0.5, 0.5]
    assert table.n.tolist() == [2, 2]
    assert table.notes["not_asked"] == {2014: ("fysiek",)}


def _two_questionnaires(n: int = 12, *, asked_physical: bool = False) -> list[Respondent]:
    # a wave in which employees were not asked about the channel, nor (unless `physical`)
    # about physical violence, while councillors were asked everything
    people = []
    for i in range(n):
        verbal = 1 if i % 3 == 0 else 0
        physical = 1 if i % 4 == 1 else 0
        victim = verbal or physical
        people.append(
            Respondent(
                f"p{i}",
                2016,
                "gemeente",
                "raadslid",
                victimisations={"verbaal": verbal, "fysiek": physical},
                channels=({"sociale-media"} if i % 2 else {"persoonlijk"}) if victim else None,
            )
        )
        people.append(
            Respondent(
                f"e{i}",
                2016,
                "gemeente",
                "ambtenaar",
                victimisations={"verbaal": verbal, "fysiek": 0 if asked_physical else None},
            )
        )
    return people


def test_a_form_not_asked_of_a_group_is_not_part_of_any_form_for_it() -> None:
    # a new user's trial: a form column empty for every employee left only the victims
    # among them (a count above 0 elsewhere), and employees came out 100% victimised
    table = victimisation(MonitorData.from_records(_two_questionnaires()), by="group")
    assert isinstance(table, EstimateTable)
    employees = table["medewerker"]
    assert employees.estimate == pytest.approx(4 / 12)  # verbal aggression, the form asked
    assert employees.n == 12
    assert table["politiek-ambtsdrager"].estimate == pytest.approx(6 / 12)  # verbal or physical
    assert table.notes["not_asked_by_group"] == {2016: {"medewerker": ("fysiek",)}}
    assert "not_asked" not in table.notes  # the form was asked in the wave, of councillors


def test_a_channel_not_asked_of_a_group_is_not_measured_rather_than_zero() -> None:
    # employees' questionnaire had no channel question: their victims' channels are all
    # unknown, so the share via social media is not measured for them (it read 0%, from the
    # non-victims alone, marked reliable)
    data = MonitorData.from_records(_two_questionnaires(asked_physical=True))
    table = victimisation(data, channel="sociale-media", by="group")
    assert isinstance(table, EstimateTable)
    assert table["medewerker"].flags == ("not_measured",)
    assert np.isnan(table["medewerker"].estimate)
    assert table["politiek-ambtsdrager"].estimate == pytest.approx(
        4 / 12
    )  # victims 1, 3, 5, 9 of 12


def test_channels_of_victims_who_did_not_answer_are_missing() -> None:
    people = [
        Respondent(
            "a",
            2016,
            "rijk",
            "ambtenaar",
            victimisations={"verbaal": 1},
            channels={"sociale-media"},
        ),
        Respondent(
            "b", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 1}, channels={"persoonlijk"}
        ),
        Respondent("c", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 1}),
        Respondent("d", 2016, "rijk", "ambtenaar", victimisations={}),
    ]
    result = victimisation(MonitorData.from_records(people), channel="sociale-media")
    assert result.estimate == pytest.approx(1 / 3)  # a of a, b, d; c's channel unknown
    assert result.notes["missing"] == 1


def test_reporting_leaves_out_victims_with_no_answered_incident() -> None:
    people = [
        Respondent(f"p{i}", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 1})
        for i in range(4)
    ]
    events = [
        Incident("p0", 2016, "verbaal", police_report=True),
        Incident("p1", 2016, "verbaal", police_report=False),
        Incident("p2", 2016, "verbaal"),
    ]
    result = reporting_propensity(MonitorData.from_records(people, events), to="police")
    assert result.estimate == 0.5
    assert result.notes["missing"] == 1  # p2 described an incident but did not answer


def test_maturity_leaves_out_organisations_with_an_unanswered_item() -> None:
    from vpt_monitor import AGGRESSION_SCHEME

    items = {m.value for m in AGGRESSION_SCHEME.items}
    orgs = [
        Organisation("a", 2016, "gemeente", employees=10, measures=items),
        Organisation("b", 2016, "gemeente", employees=10, measures=set()),
        Organisation("c", 2016, "gemeente", employees=10, measures={"nazorg": None}),
    ]
    result = policy_maturity(
        MonitorData.from_records([], organisations=orgs), scheme=AGGRESSION_SCHEME
    )
    assert result.estimate == pytest.approx(50.0)
    assert result.notes["missing"] == 1


def test_records_round_trip_keeps_missing_and_partial_answers() -> None:
    people = [
        Respondent(
            "a",
            2016,
            "rijk",
            "ambtenaar",
            victimisations={"verbaal": 2, "fysiek": None},
            perceived_violations={"fraude": True, "geschenken": None},
        ),
        Respondent("b", 2016, "rijk", "ambtenaar"),
        Respondent("c", 2016, "rijk", "ambtenaar", victimisations={}, channels=set()),
    ]
    data = MonitorData.from_records(people)
    again = data.to_records().respondents
    assert again == people
    assert again[0].victimised is True
    assert again[1].victimised is None
    assert again[2].victimised is False


def _one_stray_answer(answered: int = 1, victims: int = 10) -> MonitorData:
    # a tester's file: 2014's questionnaire did not ask about physical violence, but one
    # data-entry cell holds a 0 for it; 10 of 40 employees were verbally victimised. With
    # other `answered`, the last that many of 2014's 40 answered it
    people = []
    for wave in (2014, 2016):
        for i in range(40):
            physical = 0 if wave == 2016 or i >= 40 - answered else None
            people.append(
                Respondent(
                    f"{i}",
                    wave,
                    "rijk",
                    "ambtenaar",
                    victimisations={"verbaal": int(i < victims), "fysiek": physical},
                )
            )
    return MonitorData.from_records(people)


def test_a_domain_mostly_without_answers_is_flagged_and_never_reliable() -> None:
    # physical violence asked in 2014 (20 of 40 answered) but the 16 non-victims among the
    # other 20 did not answer: they are left out while the 4 victims stay, and the share
    # reads 4 of 24 (17%) where the answers say 4 of 40 - 40% of the domain unanswered
    data = _one_stray_answer(answered=20, victims=4)
    table = victimisation(data, by="wave")
    assert isinstance(table, EstimateTable)
    shaky = table[2014]
    assert shaky.n == 24
    assert table.notes["missing_by_domain"] == {2014: 16}
    assert "unanswered" in shaky.flags
    reliable, reasons = shaky.reliability()
    assert not reliable
    assert reasons[0] == "more than 30% of the domain did not answer"
    assert "unanswered" not in table[2016].flags
    # one wave on its own (an Estimate) says the same
    single = victimisation(data, wave=2014)
    assert "unanswered" in single.flags
    assert not single.reliable
    # and a change from it is not called significant
    from vpt_monitor import change

    shift = change(table)
    assert not shift.reliable[0]
    assert "2014: more than 30% of the domain did not answer" in shift.reasons[0]


def test_the_report_marks_a_domain_mostly_without_answers_in_dutch() -> None:
    from vpt_monitor.report.content import estimate_rows

    table = victimisation(_one_stray_answer(answered=20, victims=4), by="wave")
    rows = estimate_rows(table, "nl")
    assert rows[0]["reliable"] is False
    assert rows[0]["note"].startswith("meer dan 30% van het domein gaf geen antwoord; ")


def test_a_stray_answer_leaves_its_domain_flagged_not_wrong_and_unmarked() -> None:
    # the tester's file: one stray 0 in a column 2014's questionnaire left out makes the
    # form count as asked (a real answer is never passed over: a stricter rule dropped
    # real "yes" answers of small groups); the 29 of 40 without it are then unanswered, and
    # the share from the 11 left (91%) is flagged, never reliable
    table = victimisation(_one_stray_answer(), by="wave")
    assert isinstance(table, EstimateTable)
    assert table[2014].n == 11
    assert "unanswered" in table[2014].flags
    assert not table[2014].reliable
