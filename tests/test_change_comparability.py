"""Changes that are not what they seem (testers' trials on agency-shaped files).

- A wave that did not ask some forms of aggression counts victims over fewer forms: its
  difference with a wave that asked them all is partly a difference of questionnaire.
- An estimate of 0% or 100% has a standard error of 0 that nobody believes: the change's
  interval from the other wave's variance alone looked sure.
"""

from __future__ import annotations

import numpy as np
import pytest

from vpt_monitor import (
    ChangeTable,
    EstimateTable,
    MonitorData,
    Respondent,
    change,
    trend,
    victimisation,
)
from vpt_monitor.report.content import change_rows
from vpt_monitor.vocab import Group


def _waves(unasked: dict[int, str], waves: tuple[int, ...] = (2014, 2016, 2018)) -> MonitorData:
    # the same people every wave: 20% verbal-only and 10% physical-only victims; councillors'
    # questionnaire of the waves in `unasked` left that form out, employees' never did
    people = []
    for wave in waves:
        for i in range(200):
            verbal, physical = (1, 0) if i % 10 < 2 else (0, 1) if i % 10 == 2 else (0, 0)
            counts: dict[str, int | None] = {"verbaal": verbal, "fysiek": physical}
            people.append(
                Respondent(f"e{wave}-{i}", wave, "gemeente", "ambtenaar", victimisations=counts)
            )
            if unasked.get(wave):
                counts = {**counts, unasked[wave]: None}
            people.append(
                Respondent(f"p{wave}-{i}", wave, "gemeente", "raadslid", victimisations=counts)
            )
    return MonitorData.from_records(people)


def test_a_change_across_a_form_not_asked_is_not_comparable() -> None:
    # a tester's trial: 2014 left physical violence out of the councillors' questionnaire;
    # their victimisation "rose" by 10 points, p < 0.001, with nothing said
    table = victimisation(_waves({2014: "fysiek"}), by=("wave", "group"))
    assert isinstance(table, EstimateTable)
    shift = change(table, between=(2014, 2016))
    councillors = shift.rows.index(next(r for r in shift.rows if "politiek" in str(r.value)))
    employees = 1 - councillors
    assert shift.estimate[councillors] == pytest.approx(0.1)  # the questionnaire, not a change
    assert shift.p_adjusted[councillors] < 0.05
    assert not shift.reliable[councillors]
    assert not shift.significant()[councillors]
    assert shift.reasons[councillors] == "2014: did not ask fysiek"
    assert shift.reliable[employees]  # employees were asked every form in both waves
    assert shift.estimate[employees] == pytest.approx(0.0)
    assert "questionnaire: 2014: did not ask physical violence" in shift.to_string("en")
    assert "vragenlijst: 2014: niet gevraagd naar fysiek geweld" in shift.to_string("nl")
    # the waves that asked the same forms compare as usual
    assert all(change(table, between=(2016, 2018)).reliable)
    # a table over both groups holds the councillors: not comparable either
    everyone = victimisation(_waves({2014: "fysiek"}), by="wave")
    assert isinstance(everyone, EstimateTable)
    assert change(everyone, between=(2014, 2016)).reasons == (
        "2014: did not ask fysiek (politiek-ambtsdrager)",
    )
    # the report's table of changes marks it and says why, in the report's language
    rows = change_rows(shift, "nl")
    assert [r["reliable"] for r in rows] == list(shift.reliable)
    assert rows[councillors]["note"] == "2014: niet gevraagd naar fysiek geweld"


def test_the_same_forms_left_out_in_both_waves_are_comparable() -> None:
    table = victimisation(_waves({2014: "fysiek", 2016: "fysiek"}), by=("wave", "group"))
    assert isinstance(table, EstimateTable)
    shift = change(table, between=(2014, 2016))
    assert all(shift.reliable)
    assert shift.reasons == ("", "")


def test_a_trend_through_a_wave_that_asked_less_is_not_comparable() -> None:
    table = victimisation(_waves({2018: "fysiek"}), by=("wave", "group"))
    assert isinstance(table, EstimateTable)
    slope = trend(table, breaks={})
    councillors = next(i for i, r in enumerate(slope.rows) if "politiek" in str(r.value))
    assert not slope.reliable[councillors]
    assert slope.direction[councillors] == "no clear trend"
    assert slope.reasons[councillors] == "2018: did not ask fysiek"
    assert slope.reliable[1 - councillors]
    # the middle of three waves does not enter the slope: what it asked does not matter
    middle = victimisation(_waves({2016: "fysiek"}), by=("wave", "group"))
    assert isinstance(middle, EstimateTable)
    assert all(trend(middle, breaks={}).reliable)


def _boundary_table() -> EstimateTable:
    # 4 of 4 mayors victimised in 2014 (100%, a standard error of 0), 10 of 30 in 2016
    people = [
        Respondent(f"a{i}", 2014, "gemeente", "burgemeester", victimisations={"verbaal": 1})
        for i in range(4)
    ] + [
        Respondent(
            f"b{i}", 2016, "gemeente", "burgemeester", victimisations={"verbaal": int(i < 10)}
        )
        for i in range(30)
    ]
    table = victimisation(MonitorData.from_records(people), by="wave")
    assert isinstance(table, EstimateTable)
    return table


def test_a_change_from_100_percent_has_no_interval() -> None:
    # a new user's trial: -66.7 points, "-85.0 to -48.3" from 2016's variance alone
    table = _boundary_table()
    assert table.standard_error[0] == 0.0
    shift = change(table)
    assert isinstance(shift, ChangeTable)
    assert shift.estimate[0] == pytest.approx(10 / 30 - 1)
    assert np.isnan(shift.standard_error[0])
    interval = shift.confidence_interval()
    assert np.isnan(interval.low[0])
    assert np.isnan(interval.high[0])
    assert np.isnan(shift.p_value[0])
    assert not shift.reliable[0]
    assert shift.reasons[0].startswith("2014: boundary (no variance to test with)")


def test_the_reports_table_of_changes_marks_and_explains_unreliable_rows() -> None:
    from vpt_monitor.report import html
    from vpt_monitor.report.content import Table

    shift = change(_boundary_table())
    rows = change_rows(shift, "en")
    assert rows[0]["reliable"] is False
    assert rows[0]["note"].startswith("2014: estimate at 0% or 100% (no variance to test with)")
    page = html.table(Table("changes", "Changes", (), tuple(rows), kind="changes"), "en")
    assert '<tr class="unreliable">' in page
    assert "\u2020" in page  # the mark, and the footnote that says why
    assert "2014: estimate at 0% or 100%" in page
    assert "n/a" in page  # no interval


def _census_of_provinces() -> list[Respondent]:
    """Provincial councillors of all twelve provinces (fpc = 12), 15 each, 2014 and 2016."""
    return [
        Respondent(
            f"{wave}-{p}-{i}",
            wave,
            "provincie",
            "statenlid",
            stratum="provincies",
            cluster=f"prov{p}",
            fpc=12,
            victimisations={"verbaal": int((i + p + wave) % 5 == 0)},
        )
        for wave in (2014, 2016)
        for p in range(12)
        for i in range(15)
    ]


def test_a_census_change_keeps_its_zero_and_is_marked() -> None:
    # a tester's trial: every province sampled (fpc = 12, no second stage): the change has
    # no sampling error, and the report showed "-2,2 tot -2,2" with no mark and no reason
    people = _census_of_provinces()
    table = victimisation(MonitorData.from_records(people), by="wave")
    assert isinstance(table, EstimateTable)
    assert "zero_variance" in table.flags[0]
    shift = change(table)
    assert shift.standard_error[0] == 0.0  # exact under the design
    assert not shift.reliable[0]
    assert "zero_variance" in shift.reasons[0]
    assert not change_rows(shift, "nl")[0]["reliable"]


def test_the_summary_marks_a_change_that_is_not_comparable() -> None:
    from vpt_monitor.report.content import estimate_rows, summary_changes

    table = victimisation(_waves({2014: "fysiek"}), by=("wave", "group"))
    assert isinstance(table, EstimateTable)
    shift = change(table, between=(2014, 2016))
    lines = summary_changes(change_rows(shift, "nl"), estimate_rows(table, "nl"), "nl")
    councillors = next(line for line in lines if "politieke ambtsdragers" in line)
    assert councillors.endswith("† 2014: niet gevraagd naar fysiek geweld")
    employees = next(line for line in lines if "overheidsmedewerkers" in line)
    assert "†" not in employees


def test_a_decomposition_across_different_questionnaires_says_so() -> None:
    from vpt_monitor import decompose_change

    people = []
    for wave in (2014, 2016):
        for i in range(300):
            verbal, physical = (1, 0) if i % 10 < 2 else (0, 1) if i % 10 == 2 else (0, 0)
            counts: dict[str, int | None] = {"verbaal": verbal, "fysiek": physical}
            if wave == 2014:
                counts["fysiek"] = None
            people.append(
                Respondent(
                    f"{wave}-{i}",
                    wave,
                    "gemeente",
                    "raadslid",
                    victimisations=counts,
                    attributes={"contact": "dagelijks" if i % 2 else "wekelijks"},
                )
            )
    data = MonitorData.from_records(people)
    with pytest.warns(UserWarning, match="asked different forms"):
        parts = decompose_change(data, between=(2014, 2016), factor="contact")
    assert parts.method_breaks == ("2014-2016: 2014: did not ask fysiek (politiek-ambtsdrager)",)
    assert "2014: niet gevraagd naar fysiek geweld" in parts.to_string("nl")


def test_two_groups_left_out_one_form_in_different_waves_do_not_cancel() -> None:
    # a reviewer's trial: employees were not asked about physical violence in 2014, office
    # holders not in 2016; merged over the groups, "fysiek not asked" in both waves looked
    # like the same questionnaire, and the row of everyone was called comparable
    people = []
    for wave in (2014, 2016):
        for i in range(200):
            verbal, physical = (1, 0) if i % 10 < 2 else (0, 1) if i % 10 == 2 else (0, 0)
            for office, skip in (("ambtenaar", 2014), ("raadslid", 2016)):
                counts = {"verbaal": verbal, "fysiek": None if wave == skip else physical}
                people.append(
                    Respondent(
                        f"{office}{wave}-{i}", wave, "gemeente", office, victimisations=counts
                    )
                )
    data = MonitorData.from_records(people)
    everyone = victimisation(data, by="wave")
    assert isinstance(everyone, EstimateTable)
    shift = change(everyone)
    assert not shift.reliable[0]
    assert shift.reasons[0] == (
        "2014: did not ask fysiek (medewerker); 2016: did not ask fysiek (politiek-ambtsdrager)"
    )
    assert not trend(everyone, breaks={}).reliable[0]


def test_other_questions_asked_differently_are_marked_too() -> None:
    # a reviewer's trial: integrity perceptions and a single form recorded no questionnaire
    # notes, so their changes across different questionnaires were called comparable
    from vpt_monitor import integrity_perception

    people = []
    for wave in (2014, 2016):
        for i in range(100):
            seen = {"fraude"} if i % 5 == 0 else set()
            perceived = {v: (v in seen) for v in ("fraude", "nevenfuncties")}
            if wave == 2014:
                perceived["nevenfuncties"] = None
            physical = None if wave == 2014 else int(i % 7 == 0)
            people.append(
                Respondent(
                    f"{wave}-{i}",
                    wave,
                    "gemeente",
                    "raadslid",
                    victimisations={"verbaal": int(i % 4 == 0), "fysiek": physical},
                    perceived_violations=perceived,
                )
            )
    data = MonitorData.from_records(people)
    seen = integrity_perception(data, by="wave")
    assert isinstance(seen, EstimateTable)
    assert change(seen).reasons == ("2014: did not ask nevenfuncties (politiek-ambtsdrager)",)
    physical = victimisation(data, form="fysiek", by="wave")
    assert isinstance(physical, EstimateTable)
    assert physical.flags[0] == ("not_measured",)
    assert not change(physical).reliable[0]


def test_changes_among_victims_of_different_questionnaires_are_marked() -> None:
    # a tester's trial: reporting among victims compared 2014's victims of verbal
    # aggression with 2016's victims of verbal and physical aggression, unmarked
    from vpt_monitor import Incident, consequence_share, reporting_propensity

    people, incidents = [], []
    for wave in (2014, 2016):
        for i in range(120):
            verbal, physical = (1, 0) if i % 4 == 0 else (0, 1) if i % 4 == 1 else (0, 0)
            counts = {"verbaal": verbal, "fysiek": None if wave == 2014 else physical}
            victim = verbal or (physical and wave == 2016)
            people.append(
                Respondent(
                    f"{i}",
                    wave,
                    "gemeente",
                    "raadslid",
                    victimisations=counts,
                    consequences={"verzuim"}
                    if victim and i % 3 == 0
                    else (set() if victim else None),
                )
            )
            if victim:
                form = "verbaal" if verbal else "fysiek"
                incidents.append(Incident(f"{i}", wave, form, reported_internally=i % 2 == 0))
    data = MonitorData.from_records(people, incidents)
    reported = reporting_propensity(data, by="wave", unit="victim")
    assert isinstance(reported, EstimateTable)
    assert change(reported).reasons[0].endswith("2014: did not ask fysiek (politiek-ambtsdrager)")
    hurt = consequence_share(data, by="wave")
    assert isinstance(hurt, EstimateTable)
    assert "2014: did not ask fysiek" in change(hurt).reasons[0]


def test_a_trend_through_a_wave_at_0_percent_has_no_interval() -> None:
    # a tester's trial: the slope through a wave where no employee was victimised (0%, a
    # standard error of 0) had an interval that excluded 0, from the other waves alone
    people = [
        Respondent(
            f"{wave}-{i}",
            wave,
            "rijk",
            "ambtenaar",
            victimisations={"verbaal": 0 if wave == 2014 else int(i % (wave - 2010) == 0)},
        )
        for wave in (2014, 2016, 2018, 2020)
        for i in range(80)
    ]
    table = victimisation(MonitorData.from_records(people), by="wave")
    assert isinstance(table, EstimateTable)
    assert "boundary" in table[2014].flags
    slope = trend(table, breaks={})
    assert np.isfinite(slope.slope[0])
    assert np.isnan(slope.standard_error[0])
    assert np.isnan(slope.confidence_interval().low[0])
    assert not slope.reliable[0]


def test_the_summary_says_a_change_without_interval_has_none() -> None:
    # a tester: "-66.7 points (n/a; adjusted n/a)" for a change from 100%
    from vpt_monitor.report.content import estimate_rows, summary_changes

    table = _boundary_table()
    shift = change(table)
    rows = [{**row, "group": Group.POLITICAL} for row in change_rows(shift, "en")]
    groups = [{**row, "group": Group.POLITICAL} for row in estimate_rows(table, "en")]
    (line,) = summary_changes(rows, groups, "en")
    assert line.startswith("Change 2014-2016, political office holders: -66.7 points (no interval")
    assert "n/a" not in line
    assert "† 2014: estimate at 0% or 100% (no variance to test with)" in line


def test_a_small_groups_real_answer_is_never_passed_over() -> None:
    # a reviewer's trial against a stricter rule (a form asked when half answered it):
    # one of three mayors reported physical violence, two left it blank; the rule made the
    # form "not asked" of them and the only victim came out not victimised (0%)
    people = [
        Respondent(f"e{i}", 2016, "gemeente", "ambtenaar", victimisations={"verbaal": 0})
        for i in range(100)
    ] + [
        Respondent(
            f"m{i}",
            2016,
            "gemeente",
            "burgemeester",
            victimisations={"verbaal": 0, "fysiek": 3 if i == 0 else None},
        )
        for i in range(3)
    ]
    table = victimisation(MonitorData.from_records(people), by="group")
    assert isinstance(table, EstimateTable)
    mayors = table["politiek-ambtsdrager"]
    assert mayors.estimate == 1.0
    assert mayors.n == 1
    assert "unanswered" in mayors.flags  # 2 of 3 without an answer


def test_a_question_never_asked_of_a_group_is_not_its_non_response() -> None:
    # a reviewer's trial: councillors were not asked the integrity questions; the share of
    # everyone was flagged "more than 30% did not answer", counting them as non-response
    from vpt_monitor import aftercare_share, integrity_perception

    people = []
    for wave in (2014, 2016):
        for i in range(400):
            for office in ("ambtenaar", "raadslid"):
                victim = i % 4 == 0
                asked = office == "ambtenaar" or wave == 2016
                people.append(
                    Respondent(
                        f"{office}{i}",
                        wave,
                        "gemeente",
                        office,
                        victimisations={"verbaal": int(victim)},
                        perceived_violations=(
                            ({"fraude"} if i % 5 == 0 else set()) if office == "ambtenaar" else None
                        ),
                        aftercare=(i % 8 == 0) if victim and asked else None,
                    )
                )
    data = MonitorData.from_records(people)
    seen = integrity_perception(data, by="wave")
    assert isinstance(seen, EstimateTable)
    assert "unanswered" not in seen.flags[0]
    assert seen.notes["missing"] == 800  # the councillors of both waves, all the same
    # aftercare asked of councillors in 2016 only: the change adds them to the question
    care = aftercare_share(data, by="wave")
    assert isinstance(care, EstimateTable)
    shift = change(care)
    assert not shift.reliable[0]
    assert "2014: did not ask aftercare (politiek-ambtsdrager)" in shift.reasons[0]


def test_the_summary_of_a_census_change_gives_its_interval_and_no_test() -> None:
    from vpt_monitor.report.content import estimate_rows, summary_changes

    people = _census_of_provinces()
    table = victimisation(MonitorData.from_records(people), by=("wave", "group"))
    assert isinstance(table, EstimateTable)
    rows = change_rows(change(table), "en")
    (line,) = summary_changes(rows, estimate_rows(table, "en"), "en")
    assert "points (" in line
    assert line.split("points (")[1].startswith(("-", "+", "0"))  # the interval, width 0
    assert "; no test) † 2014: zero variance" in line


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "2014: niet gevraagd naar fysiek geweld (politieke ambtsdragers)"),
        ("en", "2014: did not ask physical violence (political office holders)"),
    ],
)
def test_the_trend_section_says_which_wave_left_a_form_out(language: str, said: str) -> None:
    # A checker's trial: the change table marked the 2014-2016 change, but the table and
    # figure of victimisation by wave, where a reader compares the waves directly, said
    # nothing of 2014 counting fewer forms.
    from vpt_monitor.report.content import Paragraph, compute_report

    content = compute_report(_waves({2014: "fysiek"}), language=language)
    trend = next(s for s in content.sections if s.anchor == "aggression")
    texts = [b.text for b in trend.blocks if isinstance(b, Paragraph)]
    assert any(said in t for t in texts)
    assert any(said in line for line in content.summary)
    # data whose waves asked the same say nothing of it
    same = compute_report(_waves({}), language=language)
    trend = next(s for s in same.sections if s.anchor == "aggression")
    assert not any(
        "fysiek" in b.text or "physical" in b.text for b in trend.blocks if isinstance(b, Paragraph)
    )


def test_a_change_of_shares_has_an_interval_within_the_range_shares_can_change() -> None:
    # A checker's trial: a marked factsheet row with a handful of respondents printed a
    # change of "-4,8 tot 163,0" points; a share cannot rise by more than 100 points.
    import attrs

    table = victimisation(_waves({}), by=("wave", "group"))
    assert isinstance(table, EstimateTable)
    shift = change(table, between=(2014, 2016))
    wide = attrs.evolve(shift, standard_error=np.full(len(shift.rows), 0.6))
    ci = wide.confidence_interval()
    assert np.all(np.asarray(ci.low) >= -1.0)
    assert np.all(np.asarray(ci.high) <= 1.0)
    assert np.any(np.asarray(ci.high) == 1.0)  # the Wald bound went beyond it
    # an interval inside the range is the t interval, unchanged
    plain = shift.confidence_interval()
    from vpt_monitor.stats._design_ci import t_quantile

    q = t_quantile(0.95, shift.df)
    assert np.allclose(plain.low, shift.estimate - q * shift.standard_error)


def test_a_domains_difference_from_the_nation_stays_within_what_its_share_can_reach() -> None:
    import attrs

    from vpt_monitor.report.compare import compare_with_national

    people = [
        Respondent(f"r{i}", 2016, "gemeente", "raadslid", victimisations={"verbaal": int(i < 40)},
                   attributes={"province": "utrecht" if i in (0, 1, 99) else "gelderland"})
        for i in range(100)
    ]  # fmt: skip
    data = MonitorData.from_records(people)
    compared = compare_with_national(data, victimisation, by="province", wave=2016)
    wide = attrs.evolve(compared, standard_error=np.full(len(compared.domains), 0.9))
    ci = wide.confidence_interval()
    present = np.isfinite(compared.difference)  # provinces with respondents
    assert present.sum() == 2
    low, high = np.asarray(ci.low)[present], np.asarray(ci.high)[present]
    national = compared.national[present]
    assert np.all(low >= -national - 1e-15)
    assert np.all(high <= 1.0 - national + 1e-15)
    assert np.any(low == -national)  # the Wald bound went beyond it


def test_a_form_left_out_of_every_groups_questionnaire_is_said_once() -> None:
    # a reviewer's trial: "2014: did not ask sexual intimidation (political office holders);
    # 2014: did not ask sexual intimidation (employees)"
    from vpt_monitor.report.content import Paragraph, compute_report

    people = []
    for wave in (2014, 2016):
        for i in range(200):
            verbal = 1 if i % 10 < 2 else 0
            counts: dict[str, int | None] = {"verbaal": verbal, "fysiek": int(i % 10 == 2)}
            if wave == 2014:
                counts["fysiek"] = None
            for office, tag in (("ambtenaar", "e"), ("raadslid", "p")):
                people.append(
                    Respondent(f"{tag}{wave}-{i}", wave, "gemeente", office, victimisations=counts)
                )
    content = compute_report(MonitorData.from_records(people), language="en")
    trend = next(s for s in content.sections if s.anchor == "aggression")
    said = [b.text for b in trend.blocks if isinstance(b, Paragraph) and "physical" in b.text]
    assert len(said) == 1
    assert said[0].count("2014: did not ask physical violence") == 1
    assert "(employees)" not in said[0]
