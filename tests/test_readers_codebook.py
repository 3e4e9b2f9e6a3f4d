"""Codebook options from a new-user trial: missing-value codes, columns to pass over, SPSS names.

A count of 99999 (the agencies' "unknown") loaded as 99,999 incidents; a file with one extra
column could not be read at all; SPSS variable names (``incidents_verbaal``) were refused.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vpt_monitor import MonitorData, MonitorDataError
from vpt_monitor.data import MAX_INCIDENTS
from vpt_monitor.io import CodebookError, read_codebook, read_monitor

HEADER = "id,wave,layer,office,incidents:verbaal"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _problems(*args: object, **kwargs: object) -> list[str]:
    with pytest.raises(MonitorDataError) as caught:
        read_monitor(*args, **kwargs)  # type: ignore[arg-type]
    return list(caught.value.problems)


# ---- 1. a sane maximum, and missing-value codes ------------------------------------------


def test_the_maximum_is_a_count_a_person_can_recall() -> None:
    # twice a day on every day of the year; 99999 and 999, the usual codes, lie above it
    assert MAX_INCIDENTS == 730
    assert MAX_INCIDENTS < 999


@pytest.mark.parametrize("code", ["999", "9999", "99999"])
def test_a_missing_value_code_is_refused_without_a_codebook(tmp_path: Path, code: str) -> None:
    path = _write(tmp_path / "c.csv", f"{HEADER}\na,2016,rijk,ambtenaar,{code}\n")
    (problem,) = _problems(path)
    assert problem.startswith(f"c.csv line 2: incidents:verbaal='{code}': must be <= 730")
    assert "missing = [...]" in problem


def test_global_missing_codes_are_read_as_unanswered(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.csv",
        f"{HEADER},training\na,2016,rijk,ambtenaar,99999,99\nb,2016,rijk,ambtenaar,2,1\n"
        "c,2016,rijk,ambtenaar,99,0\nd,2016,rijk,ambtenaar,99.0,0\n99,2016,rijk,ambtenaar,0,0\n",
    )
    book = _write(tmp_path / "book.toml", "missing = [99, 999, 99999]\n")
    data = read_monitor(path, codebook=book)
    # -1 is "not answered", never the count 99; ids are never missing codes
    assert data.respondents["victimisations"][:, 0].tolist() == [-1, 2, -1, -1, 0]
    assert data.respondents["training"].tolist() == [-1, 1, 0, 0, 0]
    assert data.respondents["id"].tolist()[-1] == "99"
    assert "missing-value code read as empty: incidents:verbaal 3, training 1" in data.source


def test_missing_codes_per_table_and_per_column(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.csv",
        "id,wave,layer,office,incidents:verbaal,incidents:bedreiging\n"
        "a,2016,rijk,ambtenaar,99,99\nb,2016,rijk,ambtenaar,1,98\n",
    )
    book = _write(
        tmp_path / "book.toml",
        '[respondents.missing]\n"incidents:verbaal" = [99]\nincidents_bedreiging = [98]\n',
    )
    counts = read_monitor(path, codebook=book).respondents["victimisations"]
    assert counts[:, 0].tolist() == [-1, 1]  # verbaal: 99 missing
    assert counts[:, 1].tolist() == [99, -1]  # bedreiging: only 98 missing
    table_wide = _write(tmp_path / "table.toml", "[respondents]\nmissing = [99]\n")
    counts = read_monitor(path, codebook=table_wide).respondents["victimisations"]
    assert counts[:, :2].tolist() == [[-1, -1], [1, 98]]


def test_missing_codes_in_spss_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "wave": [2016, 2016],
            "layer": ["rijk", "rijk"],
            "office": ["ambtenaar", "ambtenaar"],
            "incidents:verbaal": np.array([99999.0, 3.0]),
        }
    )
    frame.to_parquet(tmp_path / "r.parquet")
    book = _write(tmp_path / "book.toml", "missing = [99999]\n")
    data = read_monitor(tmp_path / "r.parquet", codebook=book)
    assert data.respondents["victimisations"][:, 0].tolist() == [-1, 3]


def test_bad_missing_entries_are_refused(tmp_path: Path) -> None:
    book = _write(tmp_path / "book.toml", 'missing = "99"\n[respondents]\nmissing = [true]\n')
    with pytest.raises(CodebookError) as caught:
        read_codebook(book)
    assert len(caught.value.problems) == 2
    assert "book.toml missing: must be a list of missing-value codes" in caught.value.problems[0]


# ---- 2. columns to pass over, SPSS-safe names -------------------------------------------


def test_an_ignored_column_is_passed_over_and_noted(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.csv", f"{HEADER},interviewer\na,2016,rijk,ambtenaar,1,jan\n")
    (problem,) = _problems(path)
    assert "column 'interviewer': unknown respondent column" in problem
    assert "ignore_unknown=True" in problem
    book = _write(tmp_path / "book.toml", '[respondents]\nignore = ["interviewer"]\n')
    data = read_monitor(path, codebook=book)
    assert "c.csv: columns not read: interviewer" in data.source
    data = read_monitor(path, ignore_unknown=True)
    assert "c.csv: columns not read: interviewer" in data.source
    everywhere = _write(tmp_path / "all.toml", "ignore_unknown = true\n")
    assert "columns not read: interviewer" in read_monitor(path, codebook=everywhere).source


def test_a_misspelt_column_passed_over_is_named_with_its_likely_meaning(tmp_path: Path) -> None:
    # ignore_unknown passed over 'weigth' in silence, and the estimates came out unweighted:
    # a column close to one the file lacks is now named, and a warning says so
    path = _write(
        tmp_path / "c.csv",
        f"{HEADER},weigth,interviewer\na,2016,rijk,ambtenaar,1,2.5,jan\n"
        "b,2016,rijk,ambtenaar,0,1.5,piet\n",
    )
    with pytest.warns(UserWarning, match=r"'weigth' \(did you mean 'weight'\?\)") as caught:
        data = read_monitor(path, ignore_unknown=True)
    assert "interviewer" not in str(caught[0].message)  # nothing like it is known
    assert "columns not read: weigth (did you mean 'weight'?), interviewer" in data.source
    assert data.respondents["weight"].tolist() == [1.0, 1.0]  # unweighted, as warned
    # a column the file has is no one's likely meaning: no warning when weight is present
    present = _write(
        tmp_path / "d.csv",
        f"{HEADER},weight,weigth\na,2016,rijk,ambtenaar,1,2.5,2.5\n",
    )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = read_monitor(present, ignore_unknown=True)
    assert "columns not read: weigth" in data.source


def test_an_ignore_entry_the_file_lacks_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.csv", f"{HEADER}\na,2016,rijk,ambtenaar,1\n")
    book = _write(tmp_path / "book.toml", '[respondents]\nignore = ["interviewr"]\n')
    with pytest.raises(CodebookError, match=r"ignore: c.csv line 1 .header. has no column"):
        read_monitor(path, codebook=book)


def test_spss_safe_names_are_read_as_the_librarys(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.csv",
        "id,wave,layer,office,incidents_verbaal,Channel_Sociale_Media,consequence_Psychische_Klachten\n"
        "a,2016,rijk,ambtenaar,2,1,ja\n",
    )
    data = read_monitor(path)
    assert data.respondents["victimisations"][0, 0] == 2
    from vpt_monitor import Channel

    assert data.to_records().respondents[0].channels[Channel.SOCIAL_MEDIA] is True
    frame = {
        "id": ["a"],
        "wave": [2016],
        "layer": ["rijk"],
        "office": ["ambtenaar"],
        "incidents_verbaal": [3],
    }
    assert MonitorData.from_columns(frame).respondents["victimisations"][0, 0] == 3


def test_both_spellings_of_a_column_are_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.csv",
        "id,wave,layer,office,incidents:verbaal,incidents_verbaal\na,2016,rijk,ambtenaar,2,2\n",
    )
    (problem,) = _problems(path)
    assert problem.startswith("c.csv line 1 (header): column 'incidents_verbaal'")
    assert "SPSS-safe spelling of 'incidents:verbaal', which is there too" in problem


# ---- 4. the codebook's recodings give codes the library knows ----------------------------


def test_a_typo_in_a_recoding_is_one_error_of_the_codebook(tmp_path: Path) -> None:
    # the typo used to be reported once per line of the data, quoting a value not in the file
    book = _write(
        tmp_path / "book.toml",
        "[respondents.codes.office]\n"
        '"burgemeester" = "burgemeestr"\n'
        '"wethouder" = "wethouder"\n'
        "[respondents.codes.province]\n"
        '"Friesland" = "Fryslân"\n'  # the official spelling is the code 'fryslan'
        '"Limbrg" = "limbrug"\n',
    )
    with pytest.raises(CodebookError) as caught:
        read_codebook(book)
    assert caught.value.problems == [
        "book.toml line 2 [respondents.codes.office] 'burgemeester' = 'burgemeestr': not a "
        "code of office (did you mean 'burgemeester'?); codes are 'ambtenaar', 'burgemeester', "
        "'wethouder', 'raadslid', 'cdk', 'gedeputeerde', 'statenlid', 'dijkgraaf', 'db-lid', "
        "'ab-lid'",
        "book.toml line 6 [respondents.codes.province] 'Limbrg' = 'limbrug': not a code of "
        "province (did you mean 'limburg'?); codes are 'groningen', 'fryslan', 'drenthe', "
        "'overijssel', 'flevoland', 'gelderland', 'utrecht', 'noord-holland', 'zuid-holland', "
        "'zeeland', 'noord-brabant', 'limburg'",
    ]


# ---- 3. problems of recoded fields name the file's own cell ------------------------------


def test_a_problem_of_a_recoded_field_names_the_files_column_and_cell(tmp_path: Path) -> None:
    # The new-user trial: with functie 1-4 recoded by the codebook, a bad row was reported as
    # office='wethouder', a value the file does not hold; the file's cell is now named too
    _write(
        tmp_path / "r.csv",
        "respnr;jaar;bestuurslaag;functie;q12;weegfactor\n"
        "A1;2016;1;1;2;1,5\nA2;2016;3;7;1;1\nA3;2016;1;3;0;2\nA4;2016;3;3;0;-1\n",
    )
    book = _write(
        tmp_path / "book.toml",
        '[respondents]\nfile = "r.csv"\ndelimiter = ";"\ndecimal = ","\n'
        '[respondents.columns]\nid = "respnr"\nwave = "jaar"\nlayer = "bestuurslaag"\n'
        'office = "functie"\n"incidents:verbaal" = "q12"\nweight = "weegfactor"\n'
        '[respondents.codes.layer]\n1 = "rijk"\n2 = "provincie"\n3 = "gemeente"\n'
        '[respondents.codes.office]\n1 = "ambtenaar"\n2 = "burgemeester"\n3 = "wethouder"\n',
    )
    problems = _problems(codebook=book)
    assert len(problems) == 3
    unmapped, wrong_layer, weight = problems
    assert unmapped.startswith("r.csv line 3: office='7': not a valid code")
    assert unmapped.endswith(
        "; in the file functie='7', which the codebook's [respondents.codes.office] does not map"
    )
    assert wrong_layer.startswith("r.csv line 4: office='wethouder': does not exist in layer")
    # mapped: no advice; the layer the message names is the file's bestuurslaag=1
    assert wrong_layer.endswith("; in the file functie='3', bestuurslaag='1'")
    # a field renamed only holds the file's own value: its column is named
    assert weight.startswith("r.csv line 5: weight=")
    assert weight.endswith("(column 'weegfactor' of the file)")
    # a file read without a codebook names no other column
    plain = _write(tmp_path / "p.csv", f"{HEADER}\na,2016,rijk,wethouder,1\n")
    (problem,) = _problems(plain)
    assert "in the file" not in problem
    assert "of the file" not in problem


def test_a_required_cell_emptied_as_a_missing_code_says_so(tmp_path: Path) -> None:
    # A tester's trial: weight 999 declared missing was reported as "weight=(empty): missing"
    # while the file plainly holds 999
    path = _write(
        tmp_path / "c.csv",
        f"{HEADER},weight\na,2016,rijk,ambtenaar,1,2.5\nb,2016,rijk,ambtenaar,0,999\n",
    )
    book = _write(tmp_path / "book.toml", "missing = [999]\n")
    (problem,) = _problems(path, codebook=book)
    assert problem.startswith("c.csv line 3: weight=(empty): missing")
    assert problem.endswith(
        "(the file's '999' is one of the codebook's missing-value codes, read as empty)"
    )


def test_a_codebook_mapping_to_no_column_of_the_library_is_named_there(tmp_path: Path) -> None:
    # A tester's trial: `wieght = "contact"` was reported as a column 'wieght' of the file's
    # header, which has none; the mistake is the codebook's left-hand side
    path = _write(tmp_path / "c.csv", f"{HEADER},contact\na,2016,rijk,ambtenaar,1,dagelijks\n")
    book = _write(tmp_path / "book.toml", '[respondents.columns]\nwieght = "contact"\n')
    with pytest.raises(CodebookError) as caught:
        read_monitor(path, codebook=book)
    (problem,) = caught.value.problems
    assert problem.startswith(
        "book.toml [respondents.columns] wieght = 'contact': 'wieght' is not a respondents "
        "column of the library (did you mean 'weight'?)"
    )
    # a library name in the SPSS-safe spelling is a library name
    good = _write(tmp_path / "good.toml", '[respondents.columns]\nincidents_fysiek = "contact"\n')
    spss = _write(tmp_path / "s.csv", f"{HEADER},contact\na,2016,rijk,ambtenaar,1,2\n")
    data = read_monitor(spss, codebook=good)
    assert data.respondents["victimisations"].shape[0] == 1


def test_an_empty_cell_of_a_recoded_column_is_not_called_unmapped(tmp_path: Path) -> None:
    # A reviewer's trial: a Parquet NaN in a recoded numeric column read "functie=nan, which
    # the codebook ... does not map", and numbers showed as 3.0 against the key "3"
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "wave": [2016, 2016, 2016],
            "layer": ["rijk", "rijk", "rijk"],
            "functie": [1.0, 9.0, np.nan],
        }
    )
    frame.to_parquet(tmp_path / "r.parquet", index=False)
    book = _write(
        tmp_path / "book.toml",
        '[respondents]\nfile = "r.parquet"\n[respondents.columns]\noffice = "functie"\n'
        '[respondents.codes.office]\n1 = "ambtenaar"\n2 = "burgemeester"\n',
    )
    unmapped, empty = _problems(codebook=book)
    assert unmapped.endswith(
        "in the file functie='9', which the codebook's [respondents.codes.office] does not map"
    )
    assert empty.endswith("; in the file functie=(empty)")
    assert "does not map" not in empty


def test_the_files_a_codebook_names_are_recorded_as_the_codebook_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A checker's trial: the report's data note (data.source) gave the codebook as the user
    # wrote it (levering/codebook.toml) and its files as absolute paths, which put the
    # analyst's home folder into a page meant for publication.
    folder = tmp_path / "levering"
    folder.mkdir()
    (folder / "respondenten.csv").write_text(
        "id,wave,layer,office\n1,2016,gemeente,wethouder\n", encoding="utf-8"
    )
    (folder / "codebook.toml").write_text(
        '[respondents]\nfile = "respondenten.csv"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    data = read_monitor(codebook="levering/codebook.toml")
    assert "respondents='levering/respondenten.csv'" in data.source
    assert "codebook='levering/codebook.toml'" in data.source
    assert str(tmp_path) not in data.source
