"""Readers under hostile input (issue 11): every bad file refused clearly, nothing loaded wrong.

Each test writes the file a user could bring - Dutch CSV conventions, SPSS and Parquet with
missing values, labels reused across waves - and checks the located message.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vpt_monitor import MonitorData, MonitorDataError, incidence, victimisation
from vpt_monitor.data import MAX_INCIDENTS
from vpt_monitor.io import (
    CodebookError,
    FileFormatError,
    read_codebook,
    read_monitor,
    read_table,
)

HEADER = "id,wave,layer,office,incidents:verbaal"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _problems(*args: object, **kwargs: object) -> list[str]:
    with pytest.raises(MonitorDataError) as info:
        read_monitor(*args, **kwargs)  # type: ignore[arg-type]
    return info.value.problems


# ---- 1. counts and other integers are finite whole numbers in range, never wrapped ---------


@pytest.mark.parametrize("count", ["1e30", "inf", "-inf", "9223372036854775807", "731", "99999"])
def test_a_count_that_would_wrap_is_refused_with_file_and_line(tmp_path: Path, count: str) -> None:
    # the reproducer: 1e30 loaded as -9223372036854775808 and incidence -4.61e18
    path = _write(
        tmp_path / "c.csv",
        f"{HEADER}\na,2016,rijk,ambtenaar,{count}\nb,2016,rijk,ambtenaar,1\n",
    )
    problems = _problems(path, lonely_psu="adjust")
    assert len(problems) == 1
    assert problems[0].startswith(f"c.csv line 2: incidents:verbaal='{count}': must be")
    assert "finite" in problems[0] or f"<= {MAX_INCIDENTS} incidents a year" in problems[0]


def test_the_largest_count_allowed_loads(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.csv",
        f"{HEADER}\na,2016,rijk,ambtenaar,{MAX_INCIDENTS}\nb,2016,rijk,ambtenaar,0\n",
    )
    data = read_monitor(path)
    assert data.respondents["victimisations"][0, 0] == MAX_INCIDENTS
    assert incidence(data).estimate == MAX_INCIDENTS / 2


def test_integer_columns_of_every_table_are_checked_for_range(tmp_path: Path) -> None:
    respondents = _write(
        tmp_path / "r.csv",
        "id,wave,layer,office\na,1e30,rijk,ambtenaar\nb,2016,rijk,ambtenaar\n",
    )
    incidents = _write(
        tmp_path / "i.csv",
        "respondent_id,wave,form,severity\nb,2016,verbaal,1e30\nb,2016,verbaal,inf\n",
    )
    organisations = _write(
        tmp_path / "o.csv",
        "id,wave,layer,employees\nx,2016,rijk,9223372036854775807\ny,2016,rijk,inf\n",
    )
    problems = _problems(respondents, incidents, organisations)
    text = "\n".join(problems)
    assert "r.csv line 2: wave='1e30': must be <= 2100" in text
    assert "i.csv line 2: severity='1e30': must be <= 5" in text
    assert "i.csv line 3: severity='inf': must be a finite number" in text
    assert "o.csv line 2: employees='9223372036854775807': must be <= 1e+06" in text
    assert "o.csv line 3: employees='inf': must be a finite number" in text


def test_int64_extremes_in_parquet_and_in_columns_are_refused(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "wave": [2016, 2016],
            "layer": ["rijk", "rijk"],
            "office": ["ambtenaar", "ambtenaar"],
            "incidents:verbaal": np.array([np.iinfo(np.int64).max, 1], dtype=np.int64),
        }
    )
    frame.to_parquet(tmp_path / "r.parquet")
    problems = _problems(tmp_path / "r.parquet")
    assert problems == [
        f"r.parquet row 1: incidents:verbaal=9223372036854775807: must be <= {MAX_INCIDENTS} "
        "incidents a year (MAX_INCIDENTS: twice a day); is it a missing-value code? Declare it "
        "in the codebook: missing = [...]"
    ]
    with pytest.raises(MonitorDataError, match=r"row 0: incidents:verbaal=inf: must be a finite"):
        MonitorData.from_columns(frame.assign(**{"incidents:verbaal": [np.inf, 1.0]}))


# ---- 2. unknown columns are refused in every file, with the close match ---------------------


def test_unknown_columns_in_every_file_name_the_close_match(tmp_path: Path) -> None:
    respondents = _write(
        tmp_path / "r.csv", "id,wave,layer,office,trainig\na,2016,rijk,ambtenaar,1\n"
    )
    incidents = _write(
        tmp_path / "i.csv", "respondent_id,wave,form,polic_report\na,2016,verbaal,1\n"
    )
    organisations = _write(tmp_path / "o.csv", "id,wave,layer,employees,weigth\nx,2016,rijk,10,1\n")
    violations = _write(tmp_path / "v.csv", "organisation_id,wave,kind,stauts\nx,2016,fraude,x\n")
    for table, path, expected in (
        (
            "respondents",
            respondents,
            "r.csv line 1 (header): column 'trainig': unknown "
            "respondent column (did you mean 'training'?)",
        ),
        (
            "incidents",
            incidents,
            "i.csv line 1 (header): column 'polic_report': unknown "
            "incident column (did you mean 'police_report'?)",
        ),
        (
            "organisations",
            organisations,
            "o.csv line 1 (header): column 'weigth': unknown "
            "organisation column (did you mean 'weight'?)",
        ),
        (
            "violations",
            violations,
            "v.csv line 1 (header): column 'stauts': unknown "
            "violation column (did you mean 'status'?)",
        ),
    ):
        files = {
            "respondents": _write(
                tmp_path / "ok.csv", "id,wave,layer,office\na,2016,rijk,ambtenaar\n"
            )
        }
        if table in ("organisations", "violations"):
            files["organisations"] = _write(
                tmp_path / "ok_o.csv", "id,wave,layer,employees\nx,2016,rijk,10\n"
            )
        files[table] = path
        problems = _problems(**files)
        assert any(p.startswith(expected) for p in problems), (table, problems)


# ---- 3. a ragged row is named as such, not as thousands of bogus problems --------------------


def test_a_ragged_first_data_row_is_reported_as_ragged(tmp_path: Path) -> None:
    names = ["id", "wave", "layer", "office"] + [f"consequence:{c}" for c in ("verzuim",)]
    extra = [f"channel:{c}" for c in ("persoonlijk", "telefoon-post", "sociale-media")]
    header = names + extra
    rows = [f"r{i},2016,rijk,ambtenaar,0,0,0,0" for i in range(200)]
    rows[0] += ",1"  # one field too many on the first data row
    path = _write(tmp_path / "r.csv", ",".join(header) + "\n" + "\n".join(rows) + "\n")
    with pytest.raises(FileFormatError) as info:
        read_monitor(path)
    assert info.value.problems == [
        f"r.csv line 2: {len(header) + 1} fields, but the header (line 1) has {len(header)} "
        "(a value with an unquoted ',', such as a decimal comma?)"
    ]
    assert "duplicate" not in str(info.value)


def test_every_ragged_row_is_listed(tmp_path: Path) -> None:
    text = HEADER + "\n" + "".join(f"r{i},2016,rijk,ambtenaar,0\n" for i in range(8))
    lines = text.splitlines()
    lines[5] += ",9"  # line 6, as in the issue ("Expected 33 fields in line 6")
    lines[7] = lines[7].rsplit(",", 1)[0]  # line 8 is cut short
    path = _write(tmp_path / "r.csv", "\n".join(lines) + "\n")
    with pytest.raises(FileFormatError) as info:
        read_monitor(path)
    assert [p.split(":")[0] for p in info.value.problems] == ["r.csv line 6", "r.csv line 8"]
    assert "6 fields, but the header (line 1) has 5" in info.value.problems[0]
    assert "4 fields" in info.value.problems[1]
    assert "cut-off line" in info.value.problems[1]


# ---- 4. missing values of pandas are missing, never the text "<NA>" --------------------------


def test_pandas_na_in_a_parquet_id_is_a_missing_id(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "id": pd.array(["a", pd.NA, "c"], dtype="string"),
            "wave": pd.array([2016, 2016, pd.NA], dtype="Int64"),
            "layer": ["rijk"] * 3,
            "office": ["ambtenaar"] * 3,
            "incidents:verbaal": pd.array([1, pd.NA, 0], dtype="Int64"),
        }
    )
    frame.to_parquet(tmp_path / "r.parquet")
    problems = _problems(tmp_path / "r.parquet")
    assert problems == [
        "r.parquet row 2: id=(empty): must be a non-empty id",
        "r.parquet row 3: wave=(empty): missing",
    ]
    with pytest.raises(MonitorDataError, match=r"row 1: id=\(empty\): must be a non-empty id"):
        MonitorData.from_columns(frame.assign(wave=[2016] * 3))


def test_pandas_na_in_optional_parquet_columns_is_a_missing_answer(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "wave": [2016, 2016],
            "layer": ["rijk", "rijk"],
            "office": ["ambtenaar", "ambtenaar"],
            "incidents:verbaal": pd.array([2, pd.NA], dtype="Int64"),
            "training": pd.array([True, pd.NA], dtype="boolean"),
        }
    )
    frame.to_parquet(tmp_path / "r.parquet")
    data = read_monitor(tmp_path / "r.parquet")
    assert data.respondents["victimisations"][:, 0].tolist() == [2, -1]  # -1: not answered
    assert data.respondents["training"].tolist() == [1, -1]


# ---- 5. the design is checked when reading: (wave, stratum) strata, nested clusters ----------

DESIGN_HEADER = "id,wave,layer,office,stratum,cluster,fpc"


def test_an_fpc_that_varies_within_a_stratum_of_a_wave_is_located(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "r.csv",
        f"{DESIGN_HEADER}\n"
        "a,2016,rijk,ambtenaar,A,c1,10\n"
        "b,2016,rijk,ambtenaar,A,c2,10\n"
        "c,2016,rijk,ambtenaar,A,c3,12\n",
    )
    assert _problems(path) == [
        "r.csv line 4: fpc='12': differs within stratum 'A' of wave 2016, where r.csv line 2 "
        "has '10'; the fpc is one number per stratum (its population or sampling fraction)"
    ]


def test_a_cluster_in_two_strata_of_one_wave_is_located(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "r.csv",
        f"{DESIGN_HEADER}\n"
        "a,2016,rijk,ambtenaar,A,c1,10\n"
        "b,2016,rijk,ambtenaar,A,c2,10\n"
        "c,2016,rijk,ambtenaar,B,c1,20\n"
        "d,2016,rijk,ambtenaar,B,c3,20\n",
    )
    (problem,) = _problems(path)
    assert problem.startswith(
        "r.csv line 4: cluster='c1': in stratum 'B' here but in stratum 'A' on r.csv line 2 "
        "(wave 2016); clusters are nested in strata"
    )


def test_stratum_and_cluster_labels_reused_across_waves_are_fine(tmp_path: Path) -> None:
    # agencies number strata and clusters afresh in every wave: (wave, stratum) is the stratum
    path = _write(
        tmp_path / "r.csv",
        f"{DESIGN_HEADER}\n"
        "a,2014,rijk,ambtenaar,A,c1,10\n"
        "b,2014,rijk,ambtenaar,A,c2,10\n"
        "c,2016,rijk,ambtenaar,A,c1,30\n"
        "d,2016,rijk,ambtenaar,A,c2,30\n"
        "e,2016,rijk,ambtenaar,B,c3,20\n"
        "f,2016,rijk,ambtenaar,B,c4,20\n"
        "g,2014,rijk,ambtenaar,B,c6,40\n"
        "h,2014,rijk,ambtenaar,B,c5,40\n",
    )
    data = read_monitor(path)
    assert data.waves == (2014, 2016)


def test_an_fpc_that_varies_within_a_wave_without_strata_is_located(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "r.csv",
        "id,wave,layer,office,fpc\na,2016,rijk,ambtenaar,100\nb,2016,rijk,ambtenaar,100\n"
        "c,2016,rijk,ambtenaar,90\nd,2014,rijk,ambtenaar,90\n",
    )
    (problem,) = _problems(path)
    assert problem.startswith("r.csv line 4: fpc='90': differs within wave 2016 (no strata")


def test_the_organisation_survey_fpc_is_checked_per_wave_and_stratum(tmp_path: Path) -> None:
    respondents = _write(tmp_path / "r.csv", "id,wave,layer,office\na,2016,rijk,ambtenaar\n")
    organisations = _write(
        tmp_path / "o.csv",
        "id,wave,layer,employees,stratum,fpc\n"
        "x,2014,gemeente,10,G,390\n"
        "y,2016,gemeente,10,G,380\n"
        "z,2016,gemeente,10,G,381\n",
    )
    (problem,) = _problems(respondents, organisations=organisations)
    assert problem.startswith(
        "o.csv line 4: fpc='381': differs within stratum 'G' of wave 2016, where o.csv line 3 "
        "has '380'"
    )


# ---- 6. file-level errors name the file and the line and say what to do ----------------------


def test_a_latin1_file_is_refused_with_advice_and_read_with_its_encoding(tmp_path: Path) -> None:
    text = "id,wave,layer,office,stratum\na,2016,gemeente,raadslid,Súdwest-Fryslân\n"
    path = _write(tmp_path / "r.csv", text, "latin-1")
    with pytest.raises(FileFormatError) as info:
        read_monitor(path)
    (problem,) = info.value.problems
    assert problem.startswith("r.csv line 2: byte 0xfa (character 27) is not UTF-8")
    assert "encoding='cp1252'" in problem
    assert "save the file as UTF-8" in problem
    data = read_monitor(path, encoding="cp1252")
    assert data.respondents["stratum"].tolist() == ["Súdwest-Fryslân"]


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", "id,wave,layer,office\na,2016,rijk,ambtenaar\n", "utf-16")
    with pytest.raises(FileFormatError, match=r"r.csv line 1: .*the file is UTF-16"):
        read_monitor(path)
    assert read_monitor(path, encoding="utf-16").waves == (2016,)


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", "id,wave,layer,office\na,2016,rijk,ambtenaar\n", "utf-8-sig")
    assert read_monitor(path).respondents["id"].tolist() == ["a"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "r.csv line 1: the file is empty"),
        ("\n\n   \n", "r.csv line 1: the file is empty"),
        (
            'id,wave,layer,office\na,2016,"rijk,ambtenaar\nb,2016,rijk,ambtenaar\n',
            "r.csv line 2: a quoted field starts on this line and its closing '\"' never comes",
        ),
        (
            'id,wave,layer,office\na,2016,rijk,amb"ten"aar\n',
            "",  # a quote inside an unquoted value is kept as text (then an unknown code)
        ),
        (
            'id,wave,layer,office\na,2016,"rijk"x,ambtenaar\n',
            "r.csv line 2: a '\"' inside a value that is not quoted as a whole",
        ),
        (
            "id,wave,layer,office\na,2016,rijk\x00,ambtenaar\n",
            "r.csv line 2: has a NUL character",
        ),
        (
            "id,wave,id,office\na,2016,b,ambtenaar\n",
            "r.csv line 1 (header): column 'id' appears 2 times (fields 1, 3)",
        ),
        (
            "id,wave,,office\na,2016,rijk,ambtenaar\n",
            "r.csv line 1 (header): field 3 has no name, but line 2 has a value there ('rijk')",
        ),
    ],
)
def test_unparseable_csv_files_are_refused_with_file_and_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path / "r.csv", text)
    with pytest.raises(MonitorDataError) as info:
        read_monitor(path)
    if expected:
        assert isinstance(info.value, FileFormatError)
        assert info.value.problems[0].startswith(expected), info.value.problems
    else:
        assert info.value.problems[0].startswith("r.csv line 2: office='amb\"ten\"aar'")


def test_a_dutch_excel_file_loads_semicolons_decimal_commas_cp1252(tmp_path: Path) -> None:
    # what "Opslaan als CSV (puntkomma)" in Dutch Excel writes: cp1252, ';', decimal commas,
    # WAAR/ONWAAR, a trailing row of empty cells, CRLF line ends
    text = (
        "id;wave;layer;office;weight;fpc;stratum;incidents:verbaal;training\r\n"
        "1;2016;gemeente;wethouder;12,5;0,25;Súdwest;2;WAAR\r\n"
        "2;2016;gemeente;raadslid;3,75;0,25;Súdwest;0;ONWAAR\r\n"
        "3;2016;gemeente;burgemeester;1;0,25;Súdwest;1;\r\n"
        ";;;;;;;;\r\n"
    )
    path = _write(tmp_path / "respondenten.csv", text, "cp1252")
    (tmp_path / "codebook.toml").write_text(
        '[respondents]\nfile = "respondenten.csv"\nencoding = "cp1252"\n', encoding="utf-8"
    )
    data = read_monitor(codebook=tmp_path / "codebook.toml")
    assert data.respondents["weight"].tolist() == [12.5, 3.75, 1.0]
    assert data.respondents["fpc"].tolist() == [0.25] * 3
    assert data.respondents["training"].tolist() == [1, 0, -1]
    assert data.respondents["stratum"].tolist() == ["Súdwest"] * 3
    assert victimisation(data).n == 3
    assert "respondenten.csv" in data.source
    assert "codebook.toml" in data.source
    # the same file read with decimal '.' says what is wrong
    problems = _problems(path, encoding="cp1252", decimal=".")
    assert problems[0].startswith(
        "respondenten.csv line 2: weight='12,5': not a number; a decimal comma? pass decimal=','"
    )


def test_a_thousands_separator_in_a_decimal_comma_file_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "r.csv",
        "id;wave;layer;office;weight\na;2016;rijk;ambtenaar;1.500\nb;2016;rijk;ambtenaar;2,5\n",
    )
    (problem,) = _problems(path)
    assert problem.startswith(
        "r.csv line 2: weight='1.500': not a number; the file is read "
        "with decimal ','. Is the '.' a thousands separator"
    )
    data = read_monitor(
        _write(tmp_path / "ok.csv", "id;wave;layer;office;weight\na;2016;rijk;ambtenaar;1.5\n"),
        decimal=".",
    )
    assert data.respondents["weight"].tolist() == [1.5]


@pytest.mark.parametrize("junk", ["1_000", "0x10", "nan", "1.5.2", "½", "--1"])
def test_number_cells_accept_only_plain_numbers(tmp_path: Path, junk: str) -> None:
    path = _write(tmp_path / "r.csv", f"{HEADER}\na,2016,rijk,ambtenaar,{junk}\n")
    (problem,) = _problems(path)
    assert problem.startswith(f"r.csv line 2: incidents:verbaal={junk!r}: not a number")


# ---- 7. lines are physical lines; Parquet and SPSS files have rows ---------------------------


def test_lines_are_the_physical_lines_of_the_records(tmp_path: Path) -> None:
    text = (
        "\n"  # a blank line before the header
        "id,wave,layer,office\n"  # line 2
        '"a\nwith a line break",2016,rijk,ambtenaar\n'  # lines 3-4
        "\n"  # line 5
        "b,2016,rijk,koning\n"  # line 6
        '"c ""quoted""",2016,rijk,ambtenaar\n'  # line 7
        "d,2016,rijk,keizer\n"  # line 8
    )
    path = _write(tmp_path / "r.csv", text)
    assert _problems(path) == [
        "r.csv line 6: office='koning': not a valid code; valid codes are 'ambtenaar', "
        "'burgemeester', 'wethouder', 'raadslid', 'cdk', 'gedeputeerde', 'statenlid', "
        "'dijkgraaf', 'db-lid', 'ab-lid'",
        "r.csv line 8: office='keizer': not a valid code; valid codes are 'ambtenaar', "
        "'burgemeester', 'wethouder', 'raadslid', 'cdk', 'gedeputeerde', 'statenlid', "
        "'dijkgraaf', 'db-lid', 'ab-lid'",
    ]
    unknown = _write(tmp_path / "u.csv", "\n\nid,wave,layer,office,x\n")
    assert _problems(unknown)[0].startswith("u.csv line 3 (header): column 'x'")


def test_parquet_and_spss_problems_are_located_by_row(tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame(
        {
            "id": [1.0, 2.0, 3.0],
            "wave": [2016.0, 2016.0, 1899.0],
            "layer": ["rijk"] * 3,
            "office": ["ambtenaar"] * 3,
        }
    )
    frame.to_parquet(tmp_path / "r.parquet")
    pyreadstat.write_sav(frame, str(tmp_path / "r.sav"))
    for name in ("r.parquet", "r.sav"):
        (problem,) = _problems(tmp_path / name)
        assert problem.startswith(f"{name} row 3: wave=1899"), problem


def test_empty_text_in_spss_and_parquet_files_is_missing(tmp_path: Path) -> None:
    # SPSS stores a missing string answer as empty text
    pyreadstat = pytest.importorskip("pyreadstat")
    respondents = pd.DataFrame(
        {
            "id": ["a", "b"],
            "wave": [2016.0, 2016.0],
            "layer": ["rijk", "rijk"],
            "office": ["ambtenaar", "ambtenaar"],
            "incidents:verbaal": [1.0, 0.0],
        }
    )
    incidents = pd.DataFrame(
        {
            "respondent_id": [" a ", "a"],
            "wave": [2016.0, 2016.0],
            "form": ["verbaal"] * 2,
            "channel": ["", "persoonlijk"],
        }
    )
    respondents.to_parquet(tmp_path / "r.parquet")
    pyreadstat.write_sav(incidents, str(tmp_path / "i.sav"))
    data = read_monitor(tmp_path / "r.parquet", tmp_path / "i.sav", lonely_psu="adjust")
    assert data.incidents["channel"].tolist() == [-1, 0]


# ---- 8. every problem is kept; the message shows the first 20 ---------------------------------


def test_problems_keeps_every_problem(tmp_path: Path) -> None:
    rows = "".join(f"r{i},2016,rijk,koning{i}\n" for i in range(30))
    path = _write(tmp_path / "r.csv", "id,wave,layer,office\n" + rows)
    with pytest.raises(MonitorDataError) as info:
        read_monitor(path)
    assert len(info.value.problems) == 30 == info.value.total
    assert info.value.problems[-1].startswith("r.csv line 31: office='koning29'")
    message = str(info.value)
    assert "30 problems\n" in message
    assert "... and 10 more" in message
    assert "line 31" not in message


def test_a_problem_repeated_on_many_lines_is_one_line_of_the_message(tmp_path: Path) -> None:
    # 25 copies of one problem used to fill the message and hide the one on the last line
    rows = "".join(f"r{i},2016,rijk,koning\n" for i in range(25)) + "r25,2016,rijk,keizer\n"
    path = _write(tmp_path / "r.csv", "id,wave,layer,office\n" + rows)
    with pytest.raises(MonitorDataError) as info:
        read_monitor(path)
    assert len(info.value.problems) == 26 == info.value.total
    assert info.value.problems[1].startswith("r.csv line 3: office='koning': not a valid code")
    lines = str(info.value).splitlines()
    assert lines[0] == (
        "read_monitor: 26 problems, 2 different (a problem on several lines is shown once)"
    )
    assert lines[1].startswith("  r.csv: office='koning' on 25 lines (2, 3, 4, ...): not a valid")
    assert lines[2].startswith("  r.csv line 27: office='keizer': not a valid code")
    assert len(lines) == 3


def test_from_columns_keeps_every_problem_of_every_table() -> None:
    n = 25
    with pytest.raises(MonitorDataError) as info:
        MonitorData.from_columns(
            {
                "id": [f"r{i}" for i in range(n)],
                "wave": [1899] * n,
                "layer": ["rijk"] * n,
                "office": ["ambtenaar"] * n,
            },
            {"respondent_id": ["zz"] * n, "wave": [2016] * n, "form": ["verbaal"] * n},
        )
    assert len(info.value.problems) == 2 * n


# ---- 9. yes/no columns read words ------------------------------------------------------------


def test_yes_no_columns_accept_words_in_any_case(tmp_path: Path) -> None:
    words = ["true", "False", "TRUE", "ja", "Nee", "yes", "NO", "1", "0", "", "1.0", "waar"]
    rows = "".join(f"r{i},2016,rijk,ambtenaar,{w}\n" for i, w in enumerate(words))
    path = _write(tmp_path / "r.csv", "id,wave,layer,office,training\n" + rows)
    data = read_monitor(path)
    assert data.respondents["training"].tolist() == [1, 0, 1, 1, 0, 1, 0, 1, 0, -1, 1, 1]
    bad = _write(
        tmp_path / "b.csv", "id,wave,layer,office,training\na,2016,rijk,ambtenaar,misschien\n"
    )
    (problem,) = _problems(bad)
    assert problem == (
        "b.csv line 2: training='misschien': must be 0, 1, true/false, ja/nee or yes/no, or missing"
    )


# ---- 10. no traceback: empty respondents, bad codebooks, damaged binary files ------------------


def test_a_header_only_respondents_file_with_an_incident_is_located(tmp_path: Path) -> None:
    respondents = _write(tmp_path / "r.csv", "id,wave,layer,office\n")
    incidents = _write(tmp_path / "i.csv", "respondent_id,wave,form\na,2016,verbaal\n")
    # the cause, not its effect on each incident (see below)
    assert _problems(respondents, incidents) == ["r.csv has no records (a header only)"]


@pytest.mark.parametrize(
    ("book", "expected"),
    [
        (
            "[respondents.codes]\nlayer = 3\n",
            "codebook.toml [respondents.codes] layer: must be a table of source code = library "
            "code; got 3",
        ),
        (
            '[respondents]\ncolumns = "x"\n',
            "codebook.toml [respondents.columns]: must be a table of library field = source "
            "column; got 'x'",
        ),
        ('[respondents]\ncodes = "x"\n', "codebook.toml [respondents.codes]: must be a table"),
        (
            "[respondents.columns]\nid = 3\n",
            "codebook.toml [respondents.columns] id: must name a source column; got 3",
        ),
        (
            "[respondents.codes.layer]\n1 = [1, 2]\n",
            "codebook.toml [respondents.codes.layer] 1: must be a code",
        ),
        ("respondents = 3\n", "codebook.toml [respondents]: must be a table; got 3"),
        (
            "[respondent]\n",
            "codebook.toml [respondent]: unknown section (did you mean 'respondents'?)",
        ),
        (
            "[respondents]\nfiel = 'x.csv'\n",
            "codebook.toml [respondents]: unknown key 'fiel' (did you mean 'file'?)",
        ),
        (
            '[respondents]\nencoding = "klingon"\n',
            "codebook.toml [respondents] encoding: unknown encoding 'klingon'",
        ),
        (
            '[respondents]\ndecimal = ";"\n',
            "codebook.toml [respondents] decimal: must be '.' or ','",
        ),
        ("[respondents\n", "codebook.toml: not valid TOML: "),
    ],
)
def test_bad_codebooks_are_refused_with_the_entry(tmp_path: Path, book: str, expected: str) -> None:
    (tmp_path / "codebook.toml").write_text(book)
    with pytest.raises(CodebookError) as info:
        read_codebook(tmp_path / "codebook.toml")
    assert info.value.problems[0].startswith(expected), info.value.problems
    assert isinstance(info.value, MonitorDataError)


def test_a_codebook_mapping_an_absent_column_names_the_close_match(tmp_path: Path) -> None:
    _write(tmp_path / "r.csv", "respnr,Jaar,layer,office\na,2016,rijk,ambtenaar\n")
    (tmp_path / "codebook.toml").write_text(
        '[respondents]\nfile = "r.csv"\n[respondents.columns]\nid = "respnr"\nwave = "jaar"\n'
    )
    with pytest.raises(CodebookError) as info:
        read_monitor(codebook=tmp_path / "codebook.toml")
    assert info.value.problems == [
        "codebook.toml [respondents.columns] wave = 'jaar': r.csv line 1 (header) has no "
        "column 'jaar' (did you mean 'Jaar'?)"
    ]


def test_a_codebook_mapping_that_would_hide_a_column_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "r.csv", "id,jaar,wave,layer,office\na,2016,2014,rijk,ambtenaar\n")
    (tmp_path / "codebook.toml").write_text(
        '[respondents]\nfile = "r.csv"\n[respondents.columns]\nwave = "jaar"\n'
    )
    with pytest.raises(CodebookError, match="also has a column 'wave', which the mapping would"):
        read_monitor(codebook=tmp_path / "codebook.toml")


@pytest.mark.parametrize("suffix", [".sav", ".parquet"])
def test_a_damaged_binary_file_is_refused_with_its_name(tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("pyreadstat")
    path = tmp_path / f"r{suffix}"
    path.write_bytes(b"$FL2@(#) IBM SPSS STATISTICS" + bytes(range(256)) * 3)
    with pytest.raises(FileFormatError) as info:
        read_monitor(path)
    (problem,) = info.value.problems
    assert problem.startswith(f"r{suffix} row 1: cannot be read as ")
    assert "Export it again" in problem


def test_a_required_column_missing_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", "id,jaar,layer,office\na,2016,rijk,ambtenaar\n")
    (problem,) = _problems(path)
    assert problem.startswith("r.csv line 1 (header): respondent column 'wave' is required")
    assert "the file has id, jaar, layer, office" in problem


# ---- 15. a codebook reads only files in its own folder ---------------------------------------


@pytest.mark.parametrize("name", ["../outside.csv", "/etc/passwd", "sub/../../outside.csv"])
def test_a_codebook_may_not_name_files_outside_its_folder(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "delivery"
    folder.mkdir()
    _write(tmp_path / "outside.csv", "id,wave,layer,office\na,2016,rijk,ambtenaar\n")
    (folder / "codebook.toml").write_text(f'[respondents]\nfile = "{name}"\n')
    with pytest.raises(CodebookError) as info:
        read_monitor(codebook=folder / "codebook.toml")
    (problem,) = info.value.problems
    assert problem.startswith(
        f"codebook.toml [respondents] file: {name!r} is outside the codebook's folder"
    )
    assert "allow_outside=True" in problem
    if name != "/etc/passwd":
        data = read_monitor(codebook=folder / "codebook.toml", allow_outside=True)
        assert len(data) == 1


def test_a_codebook_reads_files_relative_to_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "delivery"
    (folder / "sub").mkdir(parents=True)
    _write(folder / "sub" / "r.csv", "id,wave,layer,office\na,2016,rijk,ambtenaar\n")
    (folder / "codebook.toml").write_text('[respondents]\nfile = "sub/r.csv"\n')
    monkeypatch.chdir(tmp_path)
    assert len(read_monitor(codebook="delivery/codebook.toml")) == 1


def test_long_values_are_cut_in_messages(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", f"id,wave,layer,office\na,2016,rijk,{'x' * 500}\n")
    (problem,) = _problems(path)
    assert "x" * 100 not in problem
    assert problem.endswith(
        "...xxxxxxxx' (500 characters): not a valid code; valid codes are 'ambtenaar', "
        "'burgemeester', "
        "'wethouder', 'raadslid', 'cdk', 'gedeputeerde', 'statenlid', "
        "'dijkgraaf', 'db-lid', 'ab-lid'"
    )


def test_read_table_keeps_text_and_refuses_unknown_types(tmp_path: Path) -> None:
    frame = read_table(_write(tmp_path / "r.tsv", "id\twave\n007\t2016\n"))
    assert frame.to_dict("list") == {"id": ["007"], "wave": ["2016"]}
    (tmp_path / "r.xlsx").write_bytes(b"PK")
    with pytest.raises(FileFormatError, match=r"r.xlsx: unknown file type '\.xlsx'"):
        read_table(tmp_path / "r.xlsx")
    with pytest.raises(ValueError, match="unknown encoding"):
        read_table(tmp_path / "r.tsv", encoding="klingon")


def test_respondents_without_records_are_one_problem_not_one_per_incident(
    tmp_path: Path,
) -> None:
    # A tester's trial: a header-only respondents file (or none, beside incidents) gave one
    # "no respondent has this id" per incident, 196 lines for one cause
    header = _write(tmp_path / "r.csv", "id,wave,layer,office,incidents:verbaal\n")
    incidents = _write(
        tmp_path / "i.csv",
        "respondent_id,wave,form\n" + "".join(f"r{k},2016,verbaal\n" for k in range(50)),
    )
    assert _problems(header, incidents) == ["r.csv has no records (a header only)"]
    assert _problems(header) == ["r.csv has no records (a header only)"]
    # other problems of the files are still listed
    unknown = _write(tmp_path / "u.csv", "id,wave,layer,office,x\n")
    problems = _problems(unknown, incidents)
    assert "u.csv has no records (a header only)" in problems
    assert any("column 'x'" in problem for problem in problems)
    assert not any("no respondent has this id" in problem for problem in problems)
    # incidents beside organisations, without a respondents file
    organisations = _write(tmp_path / "o.csv", "id,wave,layer\ng1,2016,gemeente\n")
    problems = _problems(incidents=incidents, organisations=organisations)
    assert (
        "i.csv has incidents but no respondents file was given; incidents belong to respondents"
        in problems
    )


@pytest.mark.parametrize(("mark", "given"), [(";", ","), (",", ";"), ("\t", ","), ("|", ";")])
def test_a_file_read_with_the_wrong_delimiter_is_told_which_one_it_has(
    tmp_path: Path, mark: str, given: str
) -> None:
    # a tester's trial: the message listed the one column the file was read as, and left
    # the user to see why
    text = f"{HEADER}\na,2016,rijk,ambtenaar,1\n".replace(",", mark)
    path = _write(tmp_path / "r.csv", text)
    (problem,) = _problems(path, delimiter=given)
    assert problem.startswith("r.csv line 1 (header): respondent column 'id' is required")
    named = {";": "';'", ",": "','", "\t": "a tab", "|": "'|'"}[mark]
    expected = f"the names are separated by {named}, not by {given!r} (the delimiter the file"
    assert expected in problem
    if mark == "|":  # not one the reader looks for: the advice is to give it
        assert problem.endswith("give the delimiter '|'")
        assert _problems(path) == [problem.replace("not by ';'", "not by ','")]  # default
        assert len(read_monitor(path, delimiter="|", lonely_psu="adjust")) == 1
    else:  # found by itself
        assert "leave the delimiter out (it is found from the header)" in problem
        assert len(read_monitor(path, lonely_psu="adjust")) == 1


@pytest.mark.parametrize("digits", [309, 400])
def test_a_number_too_large_for_a_float_says_so_with_its_length(
    tmp_path: Path, digits: int
) -> None:
    # a tester's trial: a count of 400 digits was cut to 57 nines and called "not finite"
    path = _write(
        tmp_path / "c.csv",
        f"{HEADER}\na,2016,rijk,ambtenaar,{'9' * digits}\nb,2016,rijk,ambtenaar,1\n",
    )
    (problem,) = _problems(path, lonely_psu="adjust")
    assert problem.startswith("c.csv line 2: incidents:verbaal='9999")
    assert problem.endswith(f"99999999' ({digits} characters): a number too large to read")


def test_the_separator_hint_names_the_mark_that_splits_the_header_and_advises_rightly(
    tmp_path: Path,
) -> None:
    # a tester's trials of the first hint: a tab header with a ',' in one name was said to
    # be split by ','; a ';' header with a ',' in a name was told to leave the delimiter out
    # (the reader then picks ','); a file read with the mark named was told to give it; a
    # Dutch file with decimal commas read with ',' got only "4 fields ... decimal comma?"
    from vpt_monitor.data.reading import separator_hint

    hint = separator_hint("id\twave\tlayer\toffice\tweight, final", ";")
    assert "separated by a tab, not by ';'" in hint
    assert hint.endswith("give the delimiter '\\t' (--delimiter tab)")  # ',' would be found
    hint = separator_hint("id;wave;layer;office;gewicht, definitief", "|")
    assert "separated by ';'" in hint
    assert hint.endswith("give the delimiter ';'")
    assert "quoted value holding ';'" in separator_hint("naam; functie", ";")
    assert separator_hint("naam", ",") == ""
    path = _write(
        tmp_path / "r.csv",
        "id;wave;layer;office;weight\n1;2016;gemeente;burgemeester;1,5\n"
        "2;2016;gemeente;wethouder;2\n",
    )
    problems = _problems(path, delimiter=",")
    assert problems[0].startswith("r.csv line 1 (header): 'id;wave;layer;office;weight' - one")
    assert "separated by ';', not by ','" in problems[0]
    assert problems[1].startswith("r.csv line 2: 2 fields, but the header (line 1) has 1")
    assert len(problems) == 2  # line 3 has no ',' and reads as one field too
    path = _write(tmp_path / "s.csv", "id,wave\n1,2016\n2\n")
    assert _problems(path)[0].startswith("s.csv line 3: 1 field, but the header")


def test_a_tab_is_named_tab_in_the_codebook_and_in_python_too(tmp_path: Path) -> None:
    # a tester's trial: the command line took --delimiter tab, the codebook refused it
    path = _write(tmp_path / "r.csv", f"{HEADER}\na,2016,rijk,ambtenaar,1\n".replace(",", "\t"))
    assert len(read_monitor(path, delimiter="tab", lonely_psu="adjust")) == 1
    book = _write(tmp_path / "codebook.toml", '[respondents]\nfile = "r.csv"\ndelimiter = "TAB"\n')
    assert read_codebook(book).options["respondents"]["delimiter"] == "\t"
    with pytest.raises(ValueError, match=r"cannot separate fields \(it quotes values"):
        read_monitor(path, delimiter='"')


def test_the_problems_left_out_of_the_message_are_counted_as_the_lines_above() -> None:
    # a tester's trial: "... and 500 more" under lines that each stood for 50 problems read
    # as 500 more different problems; 10 were left out
    from vpt_monitor.data.errors import MonitorDataError

    problems = [f"r.csv line {2 + i}: office='bad{k}': not a valid code" for k in range(30)
                for i in range(50)]  # fmt: skip
    message = str(MonitorDataError("read_monitor", problems)).splitlines()
    assert message[0] == (
        "read_monitor: 1,500 problems, 30 different (a problem on several lines is shown once)"
    )
    assert message[-1] == "  ... and 10 more different, 500 problems between them"
    # a total beyond the problems kept: no "0 more different"
    capped = str(MonitorDataError("read_monitor", problems[:1000], total=1462)).splitlines()
    assert capped[-1] == "  ... and 462 more"
    single = str(MonitorDataError("x", [f"r.csv line {i}: a='{i}': bad" for i in range(25)]))
    assert single.splitlines()[-1] == "  ... and 5 more"


def test_a_number_too_small_for_a_float_is_not_read_as_zero(tmp_path: Path) -> None:
    # a tester's trial: a count of 0,000...001 (400 zeros) underflowed and loaded as 0
    # incidents, where 0,5 is refused as "must be a whole number"
    text = (
        "id;wave;layer;office;incidents:verbaal\n"
        f"a;2016;rijk;ambtenaar;0,{'0' * 400}1\nb;2016;rijk;ambtenaar;1e-400\n"
        "c;2016;rijk;ambtenaar;0,0\nd;2016;rijk;ambtenaar;0e5\n"
    )
    problems = _problems(_write(tmp_path / "t.csv", text), lonely_psu="adjust")
    assert [p.split(":")[0] for p in problems] == ["t.csv line 2", "t.csv line 3"]
    assert all(p.endswith("a number too small to read") for p in problems)


def test_every_file_missing_required_columns_is_reported_at_once(tmp_path: Path) -> None:
    # a tester's trial: four '|' files read with ',' were reported one per run
    respondents = _write(tmp_path / "r.csv", "id|wave|layer|office\na|2016|rijk|ambtenaar\n")
    incidents = _write(tmp_path / "i.csv", "respondent_id|wave|form\na|2016|verbaal\n")
    problems = _problems(respondents, incidents)
    assert len(problems) == 2
    assert problems[0].startswith(
        "r.csv line 1 (header): respondent column 'id' is required (and 'wave', 'layer', "
        "'office'); the file has id|wave|layer|office - one column: the names are separated"
    )
    assert problems[1].startswith(
        "i.csv line 1 (header): incident column 'respondent_id' is required (and 'wave', 'form')"
    )


def test_a_tsv_file_is_never_told_to_leave_the_delimiter_out(tmp_path: Path) -> None:
    # a reviewer's trial: a .tsv file is read with tabs unless told otherwise, so "leave the
    # delimiter out (it is found from the header)" could not work for its ';' header
    path = _write(tmp_path / "r.tsv", "id;wave;layer;office\na;2016;rijk;ambtenaar\n")
    (problem,) = _problems(path)
    assert "separated by ';', not by a tab" in problem
    assert problem.endswith("give the delimiter ';'")


def test_a_decimal_comma_clashing_with_one_files_delimiter_names_that_file(
    tmp_path: Path,
) -> None:
    # a tester's trial: --decimal , on a folder of a tab file and a comma file stopped with
    # "the decimal mark and the delimiter are both ','", naming no file
    respondents = _write(
        tmp_path / "r.csv", "id\twave\tlayer\toffice\tweight\na\t2016\trijk\tambtenaar\t1,5\n"
    )
    incidents = _write(tmp_path / "i.csv", "respondent_id,wave,form\na,2016,verbaal\n")
    with pytest.raises(ValueError, match=r"^i.csv: the decimal mark and the delimiter \(found"):
        read_monitor(respondents, incidents, decimal=",")


@pytest.mark.parametrize("exact", [False, True])
def test_a_refused_number_is_shown_as_the_file_wrote_it(tmp_path: Path, exact: bool) -> None:
    # a tester's trial: '0,5' in a count was refused as incidents:verbaal='0.5'
    note = ';"two\nlines"' if exact else ";x"  # a line break in a value: Python's reader
    text = (
        "id;wave;layer;office;incidents:verbaal;weight;remark\n"
        f"a;2016;rijk;ambtenaar;0,5;1,5{note}\nb;2016;rijk;ambtenaar;2;-1,5;y\n"
    )
    problems = _problems(_write(tmp_path / "h.csv", text), lonely_psu="adjust", ignore_unknown=True)
    assert any("incidents:verbaal='0,5': must be a whole number" in p for p in problems)
    assert any("weight='-1,5': must be finite and > 0" in p for p in problems)
