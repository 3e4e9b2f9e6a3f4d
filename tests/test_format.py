"""Labels and number formats (issue 12): one vocabulary, Dutch and English numbers, tidy tables."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vpt_monitor import (
    AGGRESSION_SCHEME,
    ContactFrequency,
    Form,
    Gender,
    Group,
    Layer,
    Measure,
    Office,
    Province,
    change,
    get_language,
    maturity_sensitivity,
    set_language,
    trend,
    victimisation,
)
from vpt_monitor import _format as fmt
from vpt_monitor._format import interval, label, number, p_value, percent
from vpt_monitor.synth import simulate

ALL_ENUMS = (Layer, Office, Group, Form, Measure, Gender, Province, ContactFrequency)


@pytest.fixture(scope="module")
def data() -> object:
    return simulate(waves=(2014, 2016), scale=0.3, seed=2)


# ---- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (0.26, "nl", "26,0%"),
        (0.26, "en", "26.0%"),
        (0.0, "nl", "0,0%"),
        (1.0, "en", "100.0%"),
        (-0.0004, "nl", "0,0%"),  # no "-0,0"
        (float("nan"), "nl", "n.b."),
        (None, "en", "n/a"),
    ],
)
def test_percent(value: float | None, language: str, expected: str) -> None:
    assert percent(value, language) == expected


def test_the_issue_examples_in_dutch() -> None:
    assert f"{percent(0.26, 'nl')} ({interval(0.251, 0.27, 'nl')})" == "26,0% (25,1\u201327,0)"
    assert p_value(0.0002, "nl") == "p < 0,001"
    assert interval(-0.056, -0.02, "nl") == "-5,6 tot -2,0"
    assert number(35000, "nl", digits=0) == "35.000"


def test_interval_never_writes_a_hyphen_between_bounds() -> None:
    for low, high in [(-0.056, -0.02), (-0.01, 0.03), (0.1, 0.2), (0.0, 0.0)]:
        for language in ("nl", "en"):
            text = interval(low, high, language)
            assert " - " not in text
            assert "- -" not in text
    assert interval(-0.056, -0.02, "en") == "-5.6 to -2.0"
    assert interval(0.1, 0.2, "en") == "10.0\u201320.0"
    assert interval(float("nan"), float("nan"), "nl") == "n.b."


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False))
def test_no_scientific_notation(value: float) -> None:
    for language in ("nl", "en"):
        for digits in (None, 0, 1, 3):
            text = number(value, language, digits=digits)
            assert "e" not in text.lower()
            assert re.fullmatch(r"-?[0-9][0-9.,]*", text), text


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_dutch_and_english_are_the_same_number(value: float) -> None:
    english = number(value, "en", digits=2)
    dutch = number(value, "nl", digits=2)
    assert float(english.replace(",", "")) == float(dutch.replace(".", "").replace(",", "."))
    assert math.isclose(float(english.replace(",", "")), round(value, 2), abs_tol=0.006)


def test_small_numbers_keep_their_digits() -> None:
    assert number(1.234e-7, "en", digits=None) == "0.0000001234"
    assert number(1e20, "nl", digits=0) == "100.000.000.000.000.000.000"


@pytest.mark.parametrize(
    ("p", "language", "expected"),
    [
        (0.0, "nl", "p < 0,001"),
        (0.000999, "en", "p < 0.001"),
        (0.001, "en", "p = 0.001"),
        (0.0346, "nl", "p = 0,035"),
        (1.0, "nl", "p = 1,000"),
        (float("nan"), "nl", "n.b."),
    ],
)
def test_p_values(p: float, language: str, expected: str) -> None:
    assert p_value(p, language) == expected


def test_signed_changes() -> None:
    assert fmt.signed(2.345, "nl") == "+2,3"
    assert fmt.signed(-5.6, "nl") == "-5,6"
    assert fmt.signed(0.0, "en") == "0.0"
    assert percent(0.023, "nl", sign=True) == "+2,3%"


def test_a_bad_language_is_refused() -> None:
    with pytest.raises(ValueError, match="'language' must be 'nl' or 'en'; got 'de'"):
        percent(0.2, "de")
    with pytest.raises(ValueError, match="'language'"):
        set_language("fr")


# ---- labels ---------------------------------------------------------------------------------


def test_every_member_has_a_label_in_both_languages() -> None:
    for enum in ALL_ENUMS:
        for member in enum:
            assert label(member, "en") == member.label
            assert label(member, "nl") == member.dutch


def test_tuples_waves_and_words() -> None:
    assert label((2016, Office.MAYOR), "nl") == "2016, burgemeester"
    assert label((2016, Province.FRYSLAN), "en") == "2016, Friesland"
    assert label("all", "nl") == "totaal"
    assert label(np.int64(2016), "en") == "2016"  # never "2,016"
    assert label(True, "nl") == "ja"


def test_the_employees_are_one_thing() -> None:
    # the office of employees and the employee group are the same people: the same word
    assert label(Office.CIVIL_SERVANT, "en").rstrip("s") == label(Group.EMPLOYEE, "en").rstrip("s")
    assert label(Office.CIVIL_SERVANT, "nl").rstrip("s") == label(Group.EMPLOYEE, "nl").rstrip("s")


def test_vocabularies_parse_their_labels() -> None:
    assert Office.parse("mayor") is Office.MAYOR
    assert Office.parse(" Burgemeester ") is Office.MAYOR
    assert Province.parse("North Holland") is Province.NOORD_HOLLAND
    assert Province.parse("Fryslân") is Province.FRYSLAN
    assert Form.parse("threats and intimidation") is Form.THREAT
    with pytest.raises(ValueError, match="is not a Office; valid codes"):
        Office.parse("king")


def test_a_table_of_the_monitor_is_indexed_by_code_member_or_parsed_label(data: object) -> None:
    table = victimisation(data, by="office", wave=2016)  # type: ignore[arg-type]
    by_code = table["burgemeester"]  # type: ignore[index]
    assert by_code.estimate == table[Office.MAYOR].estimate  # type: ignore[index]
    assert table[Office.parse("mayor")].estimate == by_code.estimate  # type: ignore[index]


def test_the_language_of_printed_tables(data: object) -> None:
    table = change(victimisation(data, by=("wave", "group")))  # type: ignore[arg-type]
    assert get_language() == "en"
    assert "political office holders" in repr(table)
    before = set_language("nl")
    try:
        text = repr(table)
    finally:
        set_language(before)
    assert "politieke ambtsdragers" in text
    assert "verschil (%-punt)" in text
    assert re.search(r"\d,\d", text)
    assert get_language() == "en"
    with fmt.language("nl"):
        assert "gecorrigeerd" in repr(table)
    assert "adjusted" in repr(table)


def test_an_estimate_table_prints_labels_in_the_language_but_keeps_its_codes(
    data: object,
) -> None:
    # The new-user trial: victimisation(by="office") printed 'ambtenaar' while change() of the
    # same table printed 'employee'. Printing now names domains as ChangeTable does.
    table = victimisation(data, by=("wave", "office"))  # type: ignore[arg-type]
    assert (2016, Office.CIVIL_SERVANT) in table.domains  # the API keys are the codes
    english = repr(table)
    assert "2016, employee" in english
    assert "ambtenaar" not in english
    with fmt.language("nl"):
        dutch = repr(table)
        estimate = table[(2016, "ambtenaar")].estimate  # type: ignore[index]
    assert "2016, overheidsmedewerker" in dutch
    assert "employee" not in dutch
    # the numbers and the column titles are Dutch too, the estimate to its printed digits
    assert dutch.splitlines()[1].split()[:2] == ["domein", "schatting"]
    row = next(line for line in dutch.splitlines() if "2016, overheidsmedewerker" in line)
    shown = row.split()[2]  # "2016," "overheidsmedewerker" estimate se ...
    assert "," in shown
    assert "." not in shown
    assert abs(float(shown.replace(",", ".")) - estimate) < 1e-3
    assert english.splitlines()[1].split()[:2] == ["domain", "estimate"]
    assert estimate == table[(2016, Office.CIVIL_SERVANT)].estimate  # type: ignore[index]
    # the frames keep the codes; the labels are for reading only
    frame = table.to_pandas()  # type: ignore[union-attr]
    assert Office.CIVIL_SERVANT in frame.index.get_level_values("office")
    # a labeller given to to_string wins over the table's own
    shown = table.to_string(labeller=lambda d: "X" + str(d))  # type: ignore[union-attr]
    assert "X(2016" in shown
    # the labeller survives reindex; a labelled table of one attribute too
    wide = table.reindex(table.domains[:2])  # type: ignore[union-attr]
    assert "2014, employee" in repr(wide)
    assert "ambtenaar" not in repr(wide)
    with fmt.language("nl"):
        groups = repr(victimisation(data, by="group", wave=2016))  # type: ignore[arg-type]
    assert "politieke ambtsdragers" in groups


def test_a_notebook_shows_the_labels_of_the_domains_beside_their_codes(data: object) -> None:
    # A notebook showed the frame of codes ('ambtenaar' in an English session) where the
    # printed table showed labels: the HTML now has a first column of labels in the language
    table = victimisation(data, by=("wave", "office"))  # type: ignore[arg-type]
    english = table._repr_html_()  # type: ignore[union-attr]
    assert "<th>label</th>" in english
    assert "2016, employee" in english
    with fmt.language("nl"):
        dutch = table._repr_html_()  # type: ignore[union-attr]
    assert "<th>omschrijving</th>" in dutch
    assert "2016, overheidsmedewerker" in dutch
    # the frame itself keeps the codes and no label column
    assert "label" not in table.to_pandas().columns  # type: ignore[union-attr]
    # a table without a labeller shows its frame as it is
    from vpt_monitor.stats import SurveyDesign, mean

    plain = mean(np.arange(6.0), SurveyDesign(weights=np.ones(6)), by=np.arange(6) % 2)
    assert "<th>label</th>" not in plain._repr_html_()  # type: ignore[operator]


# ---- change, trend and sensitivity as printed and as frames ---------------------------------


def test_change_tables_are_tidy_one_column_per_domain_variable(data: object) -> None:
    table = victimisation(data, by=("wave", "layer", "group"))  # type: ignore[arg-type]
    result = change(table, between=(2014, 2016))
    frame = result.to_pandas()
    assert frame.index.names == ["layer", "group"]
    assert list(frame.columns) == [
        "change",
        "standard_error",
        "df",
        "low",
        "high",
        "p_value",
        "p_adjusted",
        "significant",
        "reliable",
        "reasons",
        "first_wave",
        "last_wave",
        "method_breaks",
    ]
    assert (frame["first_wave"] == 2014).all()
    assert frame.loc[("gemeente", "politiek-ambtsdrager"), "change"] == pytest.approx(
        result[(Layer.MUNICIPALITY, Group.POLITICAL)]["estimate"]
    )
    dutch = result.to_pandas(labels="nl")
    assert ("gemeente", "politieke ambtsdragers") in dutch.index
    assert (
        result[("municipality", "political office holders")]
        == result[(Layer.MUNICIPALITY, Group.POLITICAL)]
    )


def test_change_by_wave_only_has_one_row_all(data: object) -> None:
    result = change(victimisation(data, by="wave"))  # type: ignore[arg-type]
    frame = result.to_pandas(labels="nl")
    assert frame.index.name == "domain"
    assert list(frame.index) == ["totaal"]
    assert result["all"] == result["totaal"]


@pytest.mark.parametrize("between", [("2014", "2016"), (np.int64(2014), 2016), [2014, 2016.0]])
def test_change_between_strings_and_numpy_waves_works(data: object, between: object) -> None:
    table = victimisation(data, by=("wave", "group"))  # type: ignore[arg-type]
    result = change(table, between=between)  # type: ignore[arg-type]
    assert result.between == (2014, 2016)


@pytest.mark.parametrize(
    "between", [("twenty", "2016"), (2014.5, 2016), 2016, (2014,), (True, 2016)]
)
def test_change_between_that_is_not_two_waves_says_waves_are_whole_numbers(
    data: object, between: object
) -> None:
    table = victimisation(data, by=("wave", "group"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'between' must be two waves, years as whole numbers"):
        change(table, between=between)  # type: ignore[arg-type]


def test_trend_tables_print_and_convert(data: object) -> None:
    result = trend(victimisation(data, by=("wave", "office")), breaks={})  # type: ignore[arg-type]
    frame = result.to_pandas(labels="en")
    assert frame.index.name == "office"
    assert "mayor" in frame.index
    assert {"slope", "low", "high", "direction", "segments"} <= set(frame.columns)
    known = frame["low"].notna()  # no interval through a wave at 0% or 100%
    assert (frame.loc[known, "low"] <= frame.loc[known, "slope"]).all()
    assert known.sum() >= len(frame) - 3
    assert result["mayor"]["slope"] == pytest.approx(frame.loc["mayor", "slope"])
    assert "e-0" not in repr(result)
    assert "points per year" in repr(result)
    assert "%-punt per jaar" in result.to_string("nl")


def test_a_sensitivity_result_prints_a_summary_not_arrays() -> None:
    result = maturity_sensitivity(simulate(waves=(2016,), scale=0.3), AGGRESSION_SCHEME, draws=50)
    text = repr(result)
    assert text.startswith("SensitivityResult(50 draws, 4 domains, 7 items)")
    assert "array(" not in text
    assert "municipality" in text
    assert "item whose removal moves the score most" in text
    dutch = result.to_string("nl")
    assert "gemeente" in dutch
    assert "mediane rang" in dutch
    assert isinstance(result.to_pandas(), pd.DataFrame)
