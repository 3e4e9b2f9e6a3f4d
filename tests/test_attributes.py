"""Respondent attributes as domains (issue 12): records, columns, codebooks, R's svyby."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import read_reference_columns, read_reference_csv
from numpy.testing import assert_allclose
from test_monitor_reference import DATA as PLAIN

from vpt_monitor import (
    EstimateTable,
    Gender,
    MonitorData,
    MonitorDataError,
    Province,
    Respondent,
    incidence,
    victimisation,
)
from vpt_monitor.attributes import BUILT_IN_ATTRIBUTES, Attribute
from vpt_monitor.io import CodebookError, read_codebook, read_monitor

R = {
    (r["indicator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("attributes.csv")
}
DECLARED = [
    Attribute(
        "region", codes=("noord", "oost", "zuid", "west"), labels={"noord": ("north", "noord")}
    ),
    Attribute("team_size", "integer"),
    Attribute("works_shifts", "boolean"),
]


def _with_attributes() -> MonitorData:
    attributes = read_reference_columns("monitor_attributes.csv")
    where = {rid: i for i, rid in enumerate(attributes["id"])}
    order = [where[str(rid)] for rid in PLAIN.respondents["id"]]
    frame = PLAIN.to_pandas()
    for name in ("gender", "region", "team_size", "works_shifts"):
        column = [attributes[name][i] or None for i in order]
        frame[name] = column
    return MonitorData.from_columns(
        frame,
        PLAIN.to_pandas("incidents"),
        lonely_psu=PLAIN.lonely_psu,
        attributes=DECLARED,
    )


DATA = _with_attributes()


# ---- against R: svyby(~y, ~wave + attribute, subset(d, !is.na(y) & !is.na(attribute))) -----


@pytest.mark.parametrize("attribute", ["gender", "region", "team_size", "works_shifts"])
@pytest.mark.parametrize(("key", "indicator"), [("victim", victimisation), ("total", incidence)])
def test_estimates_by_attribute_equal_r_svyby(key: str, indicator: object, attribute: str) -> None:
    table = indicator(DATA, by=("wave", attribute))  # type: ignore[operator]
    assert isinstance(table, EstimateTable)
    name = f"{key}_{attribute}"
    checked = 0
    for (wave, value), estimate in table:  # type: ignore[misc]
        text = str(value).lower() if isinstance(value, bool) else str(value)
        where = (name, f"{wave}:{text}")
        if (*where, "estimate") not in R:
            assert estimate.n == 0
            assert "empty" in estimate.flags
            continue
        assert_allclose(estimate.estimate, R[(*where, "estimate")], rtol=1e-10)
        assert_allclose(estimate.standard_error, R[(*where, "se")], rtol=1e-10)
        assert estimate.df == R[(*where, "df")]
        assert estimate.n == R[(*where, "n")]
        checked += 1
    assert checked >= 4
    assert table.notes["unknown_domain"] == R[(name, "", "unknown_domain")]


def test_the_declared_codes_list_every_domain_even_an_unused_one() -> None:
    table = victimisation(DATA, wave=2016, by="region")
    assert isinstance(table, EstimateTable)
    assert table.domains == ("noord", "oost", "zuid", "west")
    assert table["oost"].flags == ("empty",)
    assert DATA.attributes["region"].label("noord", "en") == "north"


def test_built_in_attributes_take_their_vocabulary() -> None:
    table = victimisation(DATA, wave=2014, by="gender")
    assert isinstance(table, EstimateTable)
    assert table.domains == (Gender.MAN, Gender.WOMAN, Gender.OTHER)
    assert table[Gender.WOMAN].estimate == table["v"].estimate
    assert table["v"].estimate > table["m"].estimate  # the fixture's victims are more often women


def test_attributes_combine_with_built_in_domains() -> None:
    table = victimisation(DATA, by=("wave", "group", "gender"))
    assert isinstance(table, EstimateTable)
    assert len(table) == 2 * 2 * 3
    assert table.by == ("wave", "group", "gender")


def test_unknown_and_numeric_names_are_refused_with_the_valid_ones() -> None:
    with pytest.raises(
        ValueError,
        match=r"unknown by 'gendr' \(did you mean 'gender'\?\); valid values are .*'gender'",
    ):
        victimisation(DATA, wave=2016, by="gendr")
    numbers = MonitorData.from_records(
        [
            Respondent(
                f"r{i}", 2016, "rijk", "ambtenaar", victimisations={}, attributes={"age": 30.5 + i}
            )
            for i in range(3)
        ],
        attributes=[Attribute("age", "number")],
    )
    with pytest.raises(ValueError, match="'age': the attribute is a number"):
        victimisation(numbers, by="age")


# ---- records ---------------------------------------------------------------------------


def test_records_carry_attributes_through_the_data_and_back() -> None:
    people = [
        Respondent(
            "a",
            2016,
            "provincie",
            "statenlid",
            victimisations={"verbaal": 1},
            attributes={"province": "utrecht", "gender": "v", "team": "b"},
        ),
        Respondent(
            "b",
            2016,
            "provincie",
            "statenlid",
            victimisations={},
            attributes={"province": "zeeland", "team": "a"},
        ),
        Respondent(
            "c",
            2016,
            "provincie",
            "statenlid",
            victimisations={},
            attributes={"province": "utrecht", "gender": None},
        ),
    ]
    data = MonitorData.from_records(people, attributes=["team"])
    assert set(data.attributes) == {"province", "gender", "team"}
    assert data.attributes["team"].codes == ("a", "b")  # found in the data, sorted
    assert data.respondents["province"].tolist() == [6, 9, 6]
    assert data.respondents["gender"].tolist() == [1, -1, -1]
    again = data.to_records().respondents
    assert again[0].attributes == {
        "province": Province.UTRECHT,
        "gender": Gender.WOMAN,
        "team": "b",
    }
    assert again[2].attributes == {"province": Province.UTRECHT}
    table = victimisation(data, by="province")
    assert isinstance(table, EstimateTable)
    assert len(table) == 12
    assert table[Province.UTRECHT].estimate == 0.5


def test_undeclared_attributes_and_bad_values_are_all_reported() -> None:
    people = [
        Respondent("a", 2016, "rijk", "ambtenaar", attributes={"teem": "x"}),
        Respondent("b", 2016, "rijk", "ambtenaar", attributes={"size": "big"}),
    ]
    with pytest.raises(MonitorDataError) as info:
        MonitorData.from_records(people, attributes=[Attribute("size", "integer")])
    text = "\n".join(info.value.problems)
    assert "respondents[0]: attribute 'teem' is not declared" in text
    assert "respondents[1]: attribute size: 'big' is not a number" in text
    with pytest.raises(ValueError, match="gender: 'f' is not a code of 'gender'"):
        Respondent("c", 2016, "rijk", "ambtenaar", attributes={"gender": "f"})


def test_declarations_are_checked() -> None:
    with pytest.raises(ValueError, match="name 'weight' is a field of the respondent"):
        Attribute("weight")
    with pytest.raises(ValueError, match="kind must be one of category"):
        Attribute("x", "text")
    with pytest.raises(ValueError, match="codes repeat"):
        Attribute("x", codes=("a", "a"))
    with pytest.raises(ValueError, match="only a category has codes"):
        Attribute("x", "integer", codes=("1",))
    with pytest.raises(ValueError, match="'gender' is built in"):
        MonitorData.from_records([], attributes=[Attribute("gender", codes=("m", "f"))])
    assert BUILT_IN_ATTRIBUTES["contact"].title == ("contact with citizens", "contact met burgers")


# ---- columns and files ----------------------------------------------------------------


def test_columns_report_every_bad_attribute_cell() -> None:
    columns = {
        "id": ["a", "b", "c", "d"],
        "wave": [2016] * 4,
        "layer": ["rijk"] * 4,
        "office": ["ambtenaar"] * 4,
        "gender": ["v", "f", None, "m"],
        "region": ["noord", "midden", "", "zuid"],
        "team_size": [1, 2.5, None, 3],
        "works_shifts": ["ja", "misschien", None, 0],
    }
    with pytest.raises(MonitorDataError) as info:
        MonitorData.from_columns(columns, attributes=DECLARED)
    text = "\n".join(info.value.problems)
    assert "respondents row 1: gender='f': not a code of 'gender'" in text
    assert "respondents row 1: region='midden': not a code of 'region'" in text
    assert "respondents row 1: team_size=2.5: must be a whole number" in text
    assert "respondents row 1: works_shifts='misschien': must be 0, 1" in text
    assert info.value.total == 4
    with pytest.raises(MonitorDataError, match="column 'region': unknown respondent column"):
        MonitorData.from_columns(columns)  # not declared


def test_a_codebook_declares_attributes(tmp_path: Path) -> None:
    (tmp_path / "codebook.toml").write_text(
        '[respondents]\nfile = "r.csv"\n'
        '[attributes.team]\nkind = "category"\ncodes = ["a", "b"]\n'
        'labels = { a = ["team A", "team A"], b = "team B" }\ntitle = ["team", "ploeg"]\n'
        '[attributes.years]\nkind = "integer"\n'
    )
    (tmp_path / "r.csv").write_text(
        "id,wave,layer,office,incidents:verbaal,team,years,province\n"
        "1,2016,rijk,ambtenaar,1,a,3,utrecht\n"
        "2,2016,rijk,ambtenaar,0,b,,zeeland\n"
        "3,2016,rijk,ambtenaar,0,a,3,\n"
    )
    book = read_codebook(tmp_path / "codebook.toml")
    assert [a.name for a in book.attributes] == ["team", "years"]
    assert book.attributes[0].title == ("team", "ploeg")
    data = read_monitor(codebook=tmp_path / "codebook.toml")
    assert data.attributes["team"].label("b", "nl") == "team B"
    table = victimisation(data, by="years")
    assert isinstance(table, EstimateTable)
    assert table.domains == (3,)
    assert table.notes["unknown_domain"] == 1
    (tmp_path / "codebook.toml").write_text('[attributes.team]\nkind = "text"\ncolour = 1\n')
    with pytest.raises(CodebookError) as info:
        read_codebook(tmp_path / "codebook.toml")
    text = "\n".join(info.value.problems)
    assert "[attributes.team]: unknown key 'colour'" in text
    assert "kind must be one of category" in text


def test_monitor_data_to_pandas_round_trips_with_attributes() -> None:
    frame = DATA.to_pandas()
    assert str(frame["gender"].dtype) == "category"
    assert list(frame["region"].cat.categories) == ["noord", "oost", "zuid", "west"]
    assert str(frame["team_size"].dtype) == "Int64"
    assert str(frame["works_shifts"].dtype) == "boolean"
    again = MonitorData.from_columns(frame, attributes=DECLARED)
    for name in ("gender", "region", "team_size", "works_shifts"):
        np.testing.assert_array_equal(again.respondents[name], DATA.respondents[name])
    labelled = DATA.to_pandas(labels="nl")
    assert set(labelled["gender"].cat.categories) == {"mannen", "vrouwen", "anders"}
    assert "noord" in set(labelled["region"].dropna())
    with pytest.raises(ValueError, match="'table' must be one of"):
        DATA.to_pandas("people")
    assert isinstance(DATA.to_pandas("incidents"), pd.DataFrame)


def test_the_simulation_has_plausible_attributes() -> None:
    from vpt_monitor.synth import simulate

    data = simulate(waves=(2010, 2016))
    assert set(data.attributes) == {
        "gender",
        "age_band",
        "province",
        "municipality_size",
        "contact",
    }
    women = victimisation(data, wave=2016, by=("group", "gender"))
    assert isinstance(women, EstimateTable)
    for group in ("politiek-ambtsdrager", "medewerker"):
        assert women[(group, "v")].estimate > women[(group, "m")].estimate
    contact = victimisation(data, by=("wave", "contact"))
    assert isinstance(contact, EstimateTable)
    assert contact[(2016, "dagelijks")].estimate > 2 * contact[(2016, "nooit")].estimate
    r = data.respondents
    daily = [
        float(np.mean(r["contact"][(r["wave"] == w) & (r["contact"] >= 0)] == 0))
        for w in (2010, 2016)
    ]
    assert daily[1] < daily[0] - 0.05  # digitalisation: less daily contact
    provinces = victimisation(data, wave=2016, by="province")
    assert isinstance(provinces, EstimateTable)
    assert (provinces.n > 100).all()
