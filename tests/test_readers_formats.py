"""Readers on the other formats agencies deliver: Parquet written by polars or pyarrow, frames.

Each test writes the small file (or frame) a user could bring and checks the numbers read
against a count of its own, or the located message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vpt_monitor import MonitorData, MonitorDataError, victimisation
from vpt_monitor.io import read_monitor

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

OFFICES = ["wethouder", "raadslid", "wethouder", "raadslid", "wethouder", "raadslid"]
VERBAL = [0, 1, 2, None, 1, 0]


def _respondents(**columns: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": ["a", "b", "c", "d", "e", "f"],
        "wave": [2016] * 6,
        "layer": ["gemeente"] * 6,
        "office": OFFICES,
        "incidents:verbaal": VERBAL,
    }
    base.update(columns)
    return base


def _problems(*args: object, **kwargs: object) -> list[str]:
    with pytest.raises(MonitorDataError) as info:
        read_monitor(*args, **kwargs)  # type: ignore[arg-type]
    return info.value.problems


# ---- Parquet columns of every Arrow type a writer uses ----------------------------------


@pytest.mark.parametrize("index_type", ["uint8", "uint16", "uint32", "int8", "int64"])
def test_dictionary_columns_with_any_index_type_read_as_their_codes(
    tmp_path: Path, index_type: str
) -> None:
    # polars writes a Categorical with uint32 indices and an Enum with uint8: reading them
    # raised OverflowError (filling a null index with -1), exit status 3 on the command line
    offices = pa.DictionaryArray.from_arrays(
        pa.array([0, 1, 0, 1, 0, None], type=getattr(pa, index_type)()),
        pa.array(["wethouder", "raadslid"]),
    )
    table = pa.table(_respondents(office=offices, layer=pa.array(["gemeente"] * 6)))
    pq.write_table(table, tmp_path / "r.parquet")
    problems = _problems(tmp_path / "r.parquet", lonely_psu="adjust")
    assert problems == ["r.parquet row 6: office=(empty): missing"]
    table = pa.table(_respondents(office=offices.fill_null("raadslid")))
    pq.write_table(table, tmp_path / "r.parquet")
    data = read_monitor(tmp_path / "r.parquet", lonely_psu="adjust")
    offices_read = data.to_pandas()["office"].astype(str).tolist()
    assert offices_read == OFFICES
    table = victimisation(data, by="office")
    assert table["wethouder"].estimate == pytest.approx(2 / 3)  # 0, 2, 1: two of three
    assert table["raadslid"].n == 2  # 1, None (not answered), 0


# ---- frames: MonitorData.from_columns takes polars and Arrow tables as it takes pandas ------


def _check_frame_read(data: MonitorData) -> None:
    assert data.to_pandas()["office"].astype(str).tolist() == OFFICES
    counts = data.to_pandas()["incidents:verbaal"]
    assert counts.isna().tolist() == [False, False, False, True, False, False]
    table = victimisation(data, by="office")
    assert table["wethouder"].estimate == pytest.approx(2 / 3)
    assert table["raadslid"].n == 2
    assert data.n_incidents == 2


def test_a_polars_frame_of_every_kind_of_column_is_read_as_its_values() -> None:
    # iterating over a polars frame yields its columns, not their names: from_columns raised
    # polars' TypeError "the truth value of a Series is ambiguous"
    pl = pytest.importorskip("polars")
    respondents = pl.DataFrame(_respondents()).with_columns(
        pl.col("office").cast(pl.Categorical),
        pl.col("layer").cast(pl.Enum(["rijk", "gemeente"])),
        pl.col("incidents:verbaal").cast(pl.Int8),
        pl.col("wave").cast(pl.UInt16),
        pl.lit(1.5, dtype=pl.Float32).alias("weight"),
    )
    incidents = pl.DataFrame(
        {"respondent_id": ["b", "c"], "wave": ["2016", "2016"], "form": ["verbaal"] * 2}
    )
    data = MonitorData.from_columns(respondents, incidents, lonely_psu="adjust")
    _check_frame_read(data)
    with pytest.raises(TypeError, match=r"'respondents' is a polars LazyFrame; collect it first"):
        MonitorData.from_columns(respondents.lazy())


def test_an_arrow_table_is_read_as_its_columns() -> None:
    # an Arrow table cannot be iterated: every required column was said to be absent
    respondents = pa.table(_respondents(office=pa.array(OFFICES).dictionary_encode()))
    incidents = pa.table(
        {"respondent_id": ["b", "c"], "wave": [2016, 2016], "form": ["verbaal"] * 2}
    )
    data = MonitorData.from_columns(respondents, incidents, lonely_psu="adjust")
    _check_frame_read(data)


def test_a_named_pandas_index_in_a_parquet_file_is_a_column(tmp_path: Path) -> None:
    # frame.set_index("id").to_parquet() stores id as a column that pandas' metadata calls
    # the index; it was passed over, and the file refused: "respondent column 'id' is required"
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(_respondents())
    frame.set_index(["wave", "id"]).to_parquet(tmp_path / "r.parquet")
    data = read_monitor(tmp_path / "r.parquet", lonely_psu="adjust")
    assert data.respondents["id"].tolist() == ["a", "b", "c", "d", "e", "f"]
    assert victimisation(data, by="office")["wethouder"].estimate == pytest.approx(2 / 3)
    # an unnamed index is row labels, not data: not a column (and so not an unknown one)
    frame.iloc[::-1].to_parquet(tmp_path / "r.parquet")
    data = read_monitor(tmp_path / "r.parquet", lonely_psu="adjust")
    assert data.respondents["id"].tolist() == ["f", "e", "d", "c", "b", "a"]


def test_a_parquet_column_of_bytes_is_read_as_its_text(tmp_path: Path) -> None:
    # ids stored as Arrow binary were read as "b'a'", so no incident file's id matched them
    ids = pa.array([x.encode() for x in "abcdef"], pa.binary())
    table = pa.table(_respondents(id=ids, office=pa.array([o.encode() for o in OFFICES])))
    pq.write_table(table, tmp_path / "r.parquet")
    incidents = tmp_path / "i.csv"
    incidents.write_text("respondent_id,wave,form\nb,2016,verbaal\nc,2016,verbaal\n")
    data = read_monitor(tmp_path / "r.parquet", incidents, lonely_psu="adjust")
    assert data.respondents["id"].tolist() == list("abcdef")
    _check_frame_read(data)
    # ids of a fixed width (Arrow fixed_size_binary) likewise (a reviewer: read as "b'a'")
    fixed = pa.array([x.encode() for x in "abcdef"], pa.binary(1))
    pq.write_table(pa.table(_respondents(id=fixed)), tmp_path / "r.parquet")
    data = read_monitor(tmp_path / "r.parquet", incidents, lonely_psu="adjust")
    assert data.respondents["id"].tolist() == list("abcdef")
    latin = pa.array([b"caf\xe9"] * 6, pa.large_binary())
    pq.write_table(pa.table(_respondents(stratum=latin)), tmp_path / "r.parquet")
    with pytest.raises(MonitorDataError) as info:
        read_monitor(tmp_path / "r.parquet")
    assert info.value.problems == [
        "r.parquet (columns): column 'stratum' holds bytes that are not UTF-8 text; write it "
        "as a text (string) column"
    ]


def test_ids_written_as_numbers_in_one_file_and_with_zeros_in_the_other_are_named(
    tmp_path: Path,
) -> None:
    # a .sav or Parquet file of numeric ids (7.0 is read as '7') beside a CSV file of '007':
    # every incident was "no respondent has this id", with no word on why
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(_respondents(id=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    frame.to_parquet(tmp_path / "r.parquet")
    incidents = tmp_path / "i.csv"
    incidents.write_text(
        "respondent_id,wave,form\n002,2016,verbaal\n3,2016,verbaal\nx,2016,verbaal\n"
    )
    problems = _problems(tmp_path / "r.parquet", incidents, lonely_psu="adjust")
    assert problems == [
        "i.csv line 2: respondent_id='002': no respondent has this id, but respondent '2' has "
        "the same number; ids are compared as text ('002' and '2' are two ids): write them "
        "alike in both files (with or without leading zeros, as text or as whole numbers)",
        "i.csv line 4: respondent_id='x': no respondent has this id",
    ]


# ---- SPSS .sav: value labels name what a refused code means -----------------------------


def test_a_refused_code_that_a_sav_file_labels_says_how_to_map_it(tmp_path: Path) -> None:
    # office 3 labelled 'Wethouder' and aftercare 2 labelled 'nee' (SPSS's usual 1 = ja,
    # 2 = nee) were refused with no word on the labels that say what the codes mean
    pd = pytest.importorskip("pandas")
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "wave": [2016.0] * 3,
            "layer": ["gemeente"] * 3,
            "office": [3.0, 4.0, 3.0],
            "aftercare": [1.0, 2.0, 9.0],
            "gender": [1.0, 2.0, 1.0],
        }
    )
    labels = {
        "office": {3.0: "Wethouder", 4.0: "Raadslid"},
        "aftercare": {1.0: "ja", 2.0: "nee", 9.0: "weet niet"},
        "gender": {1.0: "man", 2.0: "vrouw"},
    }
    pyreadstat.write_sav(frame, str(tmp_path / "r.sav"), variable_value_labels=labels)
    problems = _problems(tmp_path / "r.sav", lonely_psu="adjust")
    mapping = "map the file's codes to the library's in the codebook"
    assert [p.split(": ", 1)[0] for p in problems] == [
        "r.sav row 1",
        "r.sav row 1",
        "r.sav row 2",
        "r.sav row 2",
        "r.sav row 2",
        "r.sav row 3",
        "r.sav row 3",
        "r.sav row 3",
    ]
    assert problems[0].endswith(
        "; the file labels 3 'Wethouder': "
        + mapping
        + ', [respondents.codes.office] 3 = "wethouder"'
    )
    assert problems[1].endswith(
        "; the file labels 1 'man': map it to one of those codes in the codebook's "
        "[respondents.codes.gender] (1 = the code)"
    )
    # every answer's code at once: 2 = "nee" alone would be right here, but not where the
    # file codes 1 = nee (below)
    assert (
        "r.sav row 2: aftercare=2.0: must be 0, 1, true/false, ja/nee or yes/no, or missing; "
        "the file labels 2 'nee': map the file's codes in the codebook, "
        '[respondents.codes.aftercare] 1 = "ja", 2 = "nee"'
    ) in problems
    assert (
        "r.sav row 3: aftercare=9.0: must be 0, 1, true/false, ja/nee or yes/no, or missing; "
        "the file labels 9 'weet niet': declare it missing for this column in the codebook: "
        "[respondents.missing] aftercare = [9]"
    ) in problems
    # the advice, followed, reads the file
    (tmp_path / "codebook.toml").write_text(
        'missing = [9]\n[respondents]\nfile = "r.sav"\n'
        '[respondents.codes.office]\n3 = "wethouder"\n4 = "raadslid"\n'
        '[respondents.codes.aftercare]\n1 = "ja"\n2 = "nee"\n'
        '[respondents.codes.gender]\n1 = "m"\n2 = "v"\n'
    )
    data = read_monitor(codebook=tmp_path / "codebook.toml", lonely_psu="adjust")
    assert data.to_pandas()["aftercare"].tolist() == [True, False, pd.NA]


def test_a_sav_file_coding_1_as_nee_is_refused_not_read_as_yes(tmp_path: Path) -> None:
    # A reviewer's trial: labels 1 = 'nee', 2 = 'ja'. The 1s were read as yes without a
    # word, the 2s refused with the advice 2 = "ja"; following it made every answer yes
    pd = pytest.importorskip("pandas")
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame(_respondents()).drop(columns="incidents:verbaal")  # no ':' in SPSS
    frame["aftercare"] = [1.0, 2.0, 2.0, 2.0, 1.0, None]
    frame["training"] = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]
    labels = {
        "aftercare": {1.0: "nee", 2.0: "ja"},
        "training": {0.0: "Nee", 1.0: "Ja"},  # 0/1 as they read: nothing to say
    }
    pyreadstat.write_sav(frame, str(tmp_path / "r.sav"), variable_value_labels=labels)
    problems = _problems(tmp_path / "r.sav", lonely_psu="adjust")
    lines = '[respondents.codes.aftercare] 1 = "nee", 2 = "ja"'
    nee = (
        "aftercare=1.0: the file labels 1 'nee', but 1 reads as yes; map the file's codes in "
        f"the codebook, {lines}"
    )
    ja = (
        "aftercare=2.0: must be 0, 1, true/false, ja/nee or yes/no, or missing; the file "
        f"labels 2 'ja': map the file's codes in the codebook, {lines}"
    )
    assert problems == [
        f"r.sav row 1: {nee}",
        f"r.sav row 2: {ja}",
        f"r.sav row 3: {ja}",
        f"r.sav row 4: {ja}",
        f"r.sav row 5: {nee}",
    ]
    # the advice, followed, reads the answers as the labels say
    (tmp_path / "codebook.toml").write_text(
        '[respondents]\nfile = "r.sav"\n[respondents.codes.aftercare]\n1 = "nee"\n2 = "ja"\n'
    )
    data = read_monitor(codebook=tmp_path / "codebook.toml", lonely_psu="adjust")
    frame_read = data.to_pandas()
    assert frame_read["aftercare"].tolist() == [False, True, True, True, False, pd.NA]
    assert frame_read["training"].tolist() == [True, False, True, False, True, False]
    # mapping only the code the first version advised is refused again, not read as yes
    (tmp_path / "codebook.toml").write_text(
        '[respondents]\nfile = "r.sav"\n[respondents.codes.aftercare]\n2 = "ja"\n'
    )
    with pytest.raises(MonitorDataError, match=r"the file labels 1 'nee', but 1 reads as yes"):
        read_monitor(codebook=tmp_path / "codebook.toml", lonely_psu="adjust")


def test_a_refused_wave_is_one_problem_not_one_per_incident(tmp_path: Path) -> None:
    # a wave stored as a date refused the respondent, and then each of its incidents was
    # "no respondent 'b' in this wave (that id is in wave 0)"
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(_respondents())
    frame["wave"] = pd.to_datetime(["2016-01-01"] * 6)
    frame.to_parquet(tmp_path / "r.parquet")
    incidents = tmp_path / "i.csv"
    incidents.write_text("respondent_id,wave,form\nb,2016,verbaal\nc,2016,verbaal\n")
    problems = _problems(tmp_path / "r.parquet", incidents, lonely_psu="adjust")
    assert len(problems) == 6
    assert all("wave=Timestamp('2016-01-01 00:00:00'): not a number" in p for p in problems)


def test_a_file_wide_missing_code_that_a_column_uses_as_an_answer_is_refused(
    tmp_path: Path,
) -> None:
    # An analyst's trial: the advice for a yes/no 9 ('weet niet') was "missing = [9]";
    # written before the first section, it emptied every 9 of the file: the province coded
    # 9 ('Zuid-Holland', mapped by the codebook) lost its 156 respondents, in silence
    from vpt_monitor.io import CodebookError

    pd = pytest.importorskip("pandas")
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame(_respondents()).drop(columns="incidents:verbaal")
    frame["province"] = [9.0, 3.0, 9.0, 3.0, 9.0, 3.0]
    frame["training"] = [1.0, 0.0, 9.0, 1.0, 0.0, 1.0]
    labels = {
        "province": {3.0: "Drenthe", 9.0: "Zuid-Holland"},
        "training": {0.0: "nee", 1.0: "ja", 9.0: "weet niet"},
    }
    pyreadstat.write_sav(frame, str(tmp_path / "r.sav"), variable_value_labels=labels)
    problems = _problems(tmp_path / "r.sav", lonely_psu="adjust")
    assert (
        "r.sav row 3: training=9.0: must be 0, 1, true/false, ja/nee or yes/no, or missing; "
        "the file labels 9 'weet niet': declare it missing for this column in the codebook: "
        "[respondents.missing] training = [9]"
    ) in problems
    codes = '[respondents.codes.province]\n3 = "drenthe"\n9 = "zuid-holland"\n'
    book = tmp_path / "codebook.toml"
    book.write_text('missing = [9]\n[respondents]\nfile = "r.sav"\n' + codes)
    with pytest.raises(CodebookError) as caught:
        read_monitor(codebook=book, lonely_psu="adjust")
    assert caught.value.problems == [
        "codebook.toml: missing code 9, declared for every column, would empty the cells 9 "
        "of r.sav's column 'province', which the codebook's [respondents.codes.province] "
        "maps to 'zuid-holland'; declare 9 missing only for the columns that use it as one "
        "([respondents.missing] province = [...] for each)"
    ]
    # without the mapping, the file's own label says 9 may be an answer: warned of (agencies
    # word "no answer" in many ways; a reviewer found a refusal of good files)
    book.write_text('[respondents]\nfile = "r.sav"\nmissing = [9]\n')
    with (
        pytest.warns(
            UserWarning,
            match=r"^r\.sav: missing code 9, declared for every column, "
            r"empties the cells 9 of column 'province', which the file labels "
            r"'Zuid-Holland'; if that is an answer",
        ),
        pytest.raises(MonitorDataError),  # province 3 is not mapped without the codebook
    ):
        read_monitor(codebook=book, lonely_psu="adjust")
    # a code the codebook maps for the column and declares missing for it is the user's word
    book.write_text(
        '[respondents]\nfile = "r.sav"\n[respondents.missing]\nprovince = [9]\n' + codes
    )
    with pytest.raises(MonitorDataError, match=r"training=9\.0"):  # only training's 9 left
        read_monitor(codebook=book, lonely_psu="adjust")
    # the advice as given reads the file, every Zuid-Holland respondent kept
    book.write_text(
        '[respondents]\nfile = "r.sav"\n[respondents.missing]\ntraining = [9]\n' + codes
    )
    read = read_monitor(codebook=book, lonely_psu="adjust").to_pandas()
    assert (read["province"] == "zuid-holland").sum() == 3
    assert read["training"].tolist() == [True, False, pd.NA, True, False, True]
    # a code declared for the column itself is the user's word on it, whatever its label;
    # a code for every column labelled as no answer ("niet gevraagd") is no conflict
    frame["training"] = [1.0, 0.0, -1.0, 1.0, 0.0, 1.0]
    labels["training"] = {0.0: "nee", 1.0: "ja", -1.0: "Niet gevraagd"}
    pyreadstat.write_sav(frame, str(tmp_path / "r.sav"), variable_value_labels=labels)
    for declared in ("[respondents.missing]\ntraining = [-1]\n", "missing = [-1]\n"):
        book.write_text('[respondents]\nfile = "r.sav"\n' + declared + codes)
        read = read_monitor(codebook=book, lonely_psu="adjust").to_pandas()
        assert read["training"].tolist() == [True, False, pd.NA, True, False, True]


def test_a_wave_delivered_before_weighting_reads_as_unweighted(tmp_path: Path) -> None:
    # An analyst's trial: 2016's weight cells were all empty (the wave not yet weighted);
    # the file was refused, 560 rows "missing", with no way forward but writing 1s by hand
    rows = ["id;wave;layer;office;weegfactor;incidents:verbaal"]
    rows += [f"{i};2014;gemeente;raadslid;{1 + i % 3},75;{i % 2}" for i in range(1, 7)]
    rows += [f"{i};2016;gemeente;raadslid;;{i % 3}" for i in range(1, 7)]
    path = tmp_path / "r.csv"
    path.write_text("\n".join(rows) + "\n", encoding="cp1252")
    options = {"delimiter": ";", "decimal": ",", "encoding": "cp1252", "lonely_psu": "adjust"}
    book = tmp_path / "codebook.toml"
    book.write_text('[respondents]\nfile = "r.csv"\n[respondents.columns]\nweight = "weegfactor"\n')
    with pytest.warns(UserWarning, match=r"^respondents: wave 2016 has no weights \(every"):
        data = read_monitor(codebook=book, **options)  # type: ignore[arg-type]
    assert data.source.endswith("; read as unweighted: wave 2016")
    weights = data.respondents["weight"]
    assert weights[:6].tolist() == [2.75, 3.75, 1.75, 2.75, 3.75, 1.75]
    assert weights[6:].tolist() == [1.0] * 6
    # an empty weight within a weighted wave is still refused, saying how many have one
    rows[8] = "2;2016;gemeente;raadslid;2,5;1"
    path.write_text("\n".join(rows) + "\n", encoding="cp1252")
    problems = _problems(codebook=book, **options)
    why = (
        "weight=(empty): missing (1 of 6 respondents of wave 2016 have a weight: weight every "
        "respondent of a wave, or none, as a wave delivered before weighting, which reads as "
        "unweighted) (column 'weegfactor' of the file)"
    )
    assert problems == [f"r.csv line {line}: {why}" for line in (8, 10, 11, 12, 13)]
    # a row without a wave is refused for its wave, not also for a weight "of wave nan"
    rows[8] = "2;;gemeente;raadslid;;1"
    path.write_text("\n".join(rows) + "\n", encoding="cp1252")
    problems = _problems(codebook=book, **options)
    assert [p for p in problems if p.startswith("r.csv line 9:")] == [
        "r.csv line 9: wave=(empty): missing"
    ]


def test_a_nested_parquet_column_is_named_with_its_rows_and_type(tmp_path: Path) -> None:
    # a list or struct per cell gave "read_monitor: 1 problem / setting an array element
    # with a sequence", with no file, row or column
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    n = 6
    base = _respondents()
    table = pa.table(
        {
            **{k: v for k, v in base.items() if k != "office"},
            "office": pa.array([[o] for o in OFFICES[:5]] + [None]),
            "training": pa.array([{"a": 1}] * (n - 1) + [None]),
        }
    )
    pq.write_table(table, tmp_path / "r.parquet")
    problems = _problems(tmp_path / "r.parquet", lonely_psu="adjust")
    for row in range(1, n):
        assert (
            f"r.parquet row {row}: office='[list<element: string>]': not a valid code; valid "
            "codes are 'ambtenaar', "
        ) in "\n".join(problems)
        assert (
            f"r.parquet row {row}: training='[struct<a: int64>]': must be 0, 1, true/false, "
            "ja/nee or yes/no, or missing"
        ) in problems
    # a nested column the library does not read is passed over as any other
    plain = pa.table({**base, "remarks": pa.array([["x"], None, ["y", "z"], [], None, ["w"]])})
    pq.write_table(plain, tmp_path / "p.parquet")
    data = read_monitor(tmp_path / "p.parquet", lonely_psu="adjust", ignore_unknown=True)
    assert len(data) == n


@pytest.mark.parametrize("no", ["Nee, nooit", "Neen", "Nee.", "NEE"])
def test_a_yes_no_label_is_read_by_its_first_word(tmp_path: Path, no: str) -> None:
    # a reviewer: labels {1: "Nee, nooit", 2: "Ja"} let every 1 read as yes, and the advice
    # (2 = "ja" alone) made the whole column yes
    pd = pytest.importorskip("pandas")
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame(_respondents()).drop(columns="incidents:verbaal")
    frame["training"] = [1.0, 2.0, 1.0, 2.0, 1.0, 1.0]
    labels = {"training": {1.0: no, 2.0: "Ja, zeker"}}
    pyreadstat.write_sav(frame, str(tmp_path / "r.sav"), variable_value_labels=labels)
    problems = _problems(tmp_path / "r.sav", lonely_psu="adjust")
    lines = '[respondents.codes.training] 1 = "nee", 2 = "ja"'
    assert (
        f"r.sav row 1: training=1.0: the file labels 1 {no!r}, but 1 reads as yes; map the "
        f"file's codes in the codebook, {lines}" in problems
    )
    book = tmp_path / "codebook.toml"
    book.write_text(
        '[respondents]\nfile = "r.sav"\n[respondents.codes.training]\n1 = "nee"\n2 = "ja"\n'
    )
    read = read_monitor(codebook=book, lonely_psu="adjust").to_pandas()
    assert read["training"].tolist() == [False, True, False, True, False, False]
