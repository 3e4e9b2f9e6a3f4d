"""Codes as people type them: case ignored where unambiguous, close matches suggested."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vpt_monitor import MonitorData, victimisation
from vpt_monitor.attributes import Attribute
from vpt_monitor.data.errors import MonitorDataError
from vpt_monitor.io import read_monitor
from vpt_monitor.synth import simulate

DATA = simulate(waves=(2016,), scale=0.1, seed=3)


def test_codes_in_any_case_are_the_vocabulary_codes() -> None:
    frame = DATA.to_pandas()
    frame["office"] = frame["office"].astype(str).str.capitalize()  # 'Burgemeester'
    frame["layer"] = frame["layer"].astype(str).str.upper()
    upper = frame["province"].astype("string").str.upper()
    frame["province"] = upper.where(np.arange(len(frame)) % 2 == 0, upper.str.title())
    read = MonitorData.from_columns(frame, DATA.to_pandas("incidents"), lonely_psu="adjust")
    for column in ("office", "layer", "province"):
        assert np.array_equal(read.respondents[column], DATA.respondents[column])


def test_an_unknown_code_suggests_the_close_one_with_its_row() -> None:
    frame = DATA.to_pandas().astype({"office": object, "province": object})
    frame.loc[frame.index[3], "office"] = "Burgemeestr"
    frame.loc[frame.index[4], "province"] = "Drente"
    with pytest.raises(MonitorDataError) as caught:
        MonitorData.from_columns(frame, DATA.to_pandas("incidents"), lonely_psu="adjust")
    message = str(caught.value)
    assert "row 3: office='Burgemeestr': not a valid code (did you mean 'burgemeester'?)" in message
    assert "row 4: province='Drente': not a code of 'province' (did you mean 'drenthe'?)" in message


def test_a_file_reports_the_suggestion_with_file_line_and_column(tmp_path: Path) -> None:
    frame = DATA.to_pandas().astype({"province": object})
    frame.loc[frame.index[4], "province"] = "DRENTE"
    frame.loc[frame.index[5], "province"] = "DRENTHE"  # fine
    path = tmp_path / "wave.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(MonitorDataError) as caught:
        read_monitor(path, lonely_psu="adjust")
    problems = str(caught.value).splitlines()[1:]
    assert problems == [
        "  wave.csv line 6: province='DRENTE': not a code of 'province' (did you mean "
        "'drenthe'?); codes are 'groningen', 'fryslan', 'drenthe', 'overijssel', "
        "'flevoland', 'gelderland', 'utrecht', 'noord-holland', 'zuid-holland', 'zeeland', "
        "'noord-brabant', 'limburg'"
    ]


def test_declared_codes_that_differ_only_in_case_match_exactly_only() -> None:
    frame = DATA.to_pandas()
    frame["band"] = (["A", "a", "B", "b "] * len(frame))[: len(frame)]
    read = MonitorData.from_columns(
        frame,
        DATA.to_pandas("incidents"),
        attributes=[Attribute("band", codes=("A", "a", "b"))],
        lonely_psu="adjust",
    )
    assert read.respondents["band"][:4].tolist() == [0, 1, 2, 2]  # 'B' and 'b ' are 'b'
    frame["band"] = (["ab", "Ab"] * len(frame))[: len(frame)]  # 'Ab': 'ab' or 'AB'?
    with pytest.raises(
        MonitorDataError, match=r"band='Ab' on [\d,]+ rows \(1, 3, 5, \.\.\.\): not a code"
    ):
        MonitorData.from_columns(
            frame,
            DATA.to_pandas("incidents"),
            attributes=[Attribute("band", codes=("ab", "AB"))],
            lonely_psu="adjust",
        )


def test_by_names_and_domain_labels_ignore_case_and_suggest() -> None:
    table = victimisation(DATA, by=("WAVE", "Office"))
    assert table.by == ("wave", "office")
    assert table[(2016, "Burgemeester")].estimate == table[(2016, "burgemeester")].estimate
    with pytest.raises(ValueError, match=r"unknown by 'provnce' \(did you mean 'province'\?\)"):
        victimisation(DATA, by="provnce")
    with pytest.raises(KeyError, match=r"did you mean \(2016, 'burgemeester'\)\?"):
        table[(2016, "burgemeestr")]


def test_codes_ignore_accents_when_unambiguous(tmp_path: Path) -> None:
    # the province's official spelling was refused with "did you mean 'fryslan'?"
    frame = DATA.to_pandas().astype({"province": object})
    frisian = frame["province"] == "fryslan"
    assert frisian.any()
    frame.loc[frisian, "province"] = "Fryslân"
    path = tmp_path / "wave.csv"
    frame.to_csv(path, index=False)
    read = read_monitor(path, lonely_psu="adjust")
    assert np.array_equal(read.respondents["province"], DATA.respondents["province"])


def test_declared_codes_that_differ_only_in_accents_match_in_any_case_not_across_accents() -> None:
    # Codes that differ only in accents are each matched in any case (CAFÉ is café: the
    # accents say which); a spelling that needs the accents dropped to match is ambiguous
    # between them and matches neither. (A reviewer's trial: population lines "fryslân"
    # and "FRYSLAN" beside data holding Fryslân and Fryslan were refused.)
    from vpt_monitor.stats._match import positions

    assert positions(["café", "cafe", "CAFÉ", "CAFE", "cafè"], ["cafe", "café"]).tolist() == [
        1,
        0,
        1,
        0,
        -1,
    ]
    assert positions(["CAFÉ", "Cafe"], ["cafe"]).tolist() == [0, 0]
    assert positions(["a", "A"], ["A", "a"]).tolist() == [1, 0]  # exact wins
    assert positions([" a "], ["A", "a"]).tolist() == [-1]  # differ only in case: ambiguous


def test_column_names_are_read_in_any_case(tmp_path: Path) -> None:
    # an upper-case SPSS export: ID, WAVE, ... and a built-in attribute written Gender
    path = tmp_path / "respondents.csv"
    path.write_text(
        "ID,WAVE,LAYER,OFFICE,WEIGHT,INCIDENTS_VERBAAL,Gender\n"
        "a,2016,rijk,ambtenaar,1.5,0,v\n"
        "b,2016,rijk,ambtenaar,2.5,1,m\n",
        encoding="utf-8",
    )
    data = read_monitor(path, lonely_psu="adjust")
    assert list(data.respondents["id"]) == ["a", "b"]
    assert data.respondents["weight"].tolist() == [1.5, 2.5]
    assert "gender" in data.attributes


def test_a_column_in_two_cases_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "respondents.csv"
    path.write_text("id,ID,wave,layer,office,weight\na,a,2016,rijk,ambtenaar,1\n", encoding="utf-8")
    with pytest.raises(MonitorDataError, match="another case of 'id'"):
        read_monitor(path, lonely_psu="adjust")


def test_a_tables_domains_are_looked_up_as_codes_match() -> None:
    # a reviewer's trial: with domains Fryslân and Fryslan, t["fryslan"] and t["FRYSLÂN"]
    # raised KeyError (one fold of case and accents found both), and t["a"] beside "A"
    # too, though the spelling was exact
    from vpt_monitor.stats import SurveyDesign, mean

    design = SurveyDesign(weights=[1.0] * 6)
    table = mean([1.0, 2, 3, 4, 5, 6], design, by=["Fryslân", "Fryslan", "A", "a", "x", "x"])
    assert table["fryslan"].estimate == 2.0
    assert table["FRYSLÂN"].estimate == 1.0
    assert table["a"].estimate == 4.0
    assert table["X"].estimate == 5.5
    with pytest.raises(KeyError):
        table["Fryslän"]  # differs from both in accents only: ambiguous
