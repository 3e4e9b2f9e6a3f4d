"""MonitorData.weight: calibrating one wave to population counts, and every refusal."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vpt_monitor import MonitorData
from vpt_monitor.weighting import PopulationError

OFFICES = ["burgemeester", "wethouder", "raadslid"]


def _data() -> MonitorData:
    rng = np.random.default_rng(5)
    n = 300
    wave = np.where(np.arange(n) < 150, 2022, 2024)
    office = np.array(OFFICES)[rng.integers(0, 3, n)]
    return MonitorData.from_columns(
        {
            "id": [f"r{i}" for i in range(n)],
            "wave": wave,
            "layer": ["gemeente"] * n,
            "office": office,
            "weight": rng.uniform(1, 3, n),
        }
    )


COUNTS = (
    "variable,category,count\n"
    "office,burgemeester,342\noffice,wethouder,1400\noffice,raadslid,8500\n"
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_weighting_meets_the_counts_and_leaves_other_waves(tmp_path: Path) -> None:
    data = _data()
    result = data.weight(_write(tmp_path, COUNTS), wave=2024)
    w = result.data.respondents["weight"]
    wave = data.respondents["wave"]
    offices = result.data.to_pandas()["office"].astype(str).to_numpy()
    for office, count in zip(OFFICES, (342, 1400, 8500), strict=True):
        assert w[(wave == 2024) & (offices == office)].sum() == pytest.approx(count, rel=1e-7)
    np.testing.assert_array_equal(w[wave == 2022], data.respondents["weight"][wave == 2022])
    assert [m["after"] for m in result.margins] == pytest.approx([342, 1400, 8500], rel=1e-7)
    assert result.before.deff[0] != pytest.approx(result.after.deff[0])
    assert result.after.g is not None
    # the calibration is in the design: a calibrated count has no sampling variance
    from vpt_monitor.stats import total

    design = result.data.design
    est = total((wave == 2024) & (offices == "wethouder"), design)
    assert est.standard_error < 1e-6


def test_dutch_csv_with_semicolons(tmp_path: Path) -> None:
    text = (
        "variable;category;count\n"
        "office;burgemeester;342\noffice;wethouder;1400,0\noffice;raadslid;8500\n"
    )
    result = _data().weight(_write(tmp_path, text), wave=2024)
    assert result.margins[1]["population"] == 1400.0


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        "variable,category,count\n"
        "ofice,burgemeester,342\n"  # 2: unknown variable
        "office,burgemeestr,342\n"  # 3: unknown category
        "office,wethouder,-5\n"  # 4: negative count
        "office,raadslid,many\n"  # 5: not a number
    )
    with pytest.raises(PopulationError) as caught:
        _data().weight(_write(tmp_path, text), wave=2024)
    message = str(caught.value)
    assert "counts.csv:2: unknown variable 'ofice'; did you mean 'office'?" in message
    assert (
        "counts.csv:3: unknown category 'burgemeestr' of 'office'; did you mean 'burgemeester'?"
        in message
    )
    assert (
        "counts.csv:4: the count of office 'wethouder' must be a number >= 0; got '-5'" in message
    )
    assert "counts.csv:5:" in message
    assert len(caught.value.problems) == 4


def test_category_with_respondents_but_no_count(tmp_path: Path) -> None:
    text = "variable,category,count\noffice,burgemeester,342\noffice,wethouder,1400\n"
    with pytest.raises(
        PopulationError,
        match=r"office 'raadslid' has \d+ respondents in wave 2024 but no population count",
    ):
        _data().weight(_write(tmp_path, text), wave=2024)


def test_margins_that_disagree(tmp_path: Path) -> None:
    text = COUNTS + "layer,gemeente,9000\n"
    with pytest.raises(PopulationError, match="margins add up to different populations"):
        _data().weight(_write(tmp_path, text), wave=2024)


def test_count_without_respondents(tmp_path: Path) -> None:
    text = COUNTS + "layer,gemeente,10242\nlayer,provincie,10\n"
    with pytest.raises(
        PopulationError, match=r"counts\.csv:6: layer 'provincie' has a population count"
    ):
        _data().weight(_write(tmp_path, text), wave=2024)


def test_infeasible_bounds_and_waves(tmp_path: Path) -> None:
    data = _data()
    path = _write(tmp_path, COUNTS)
    with pytest.raises(ValueError, match="infeasible bounds: total 'office=burgemeester'"):
        data.weight(path, wave=2024, method="logit", bounds=(0.5, 2.0))
    with pytest.raises(ValueError, match="say which to weight with wave="):
        data.weight(path)
    with pytest.raises(ValueError, match="wave 2030 is not in the data"):
        data.weight(path, wave=2030)
    once = data.weight(path, wave=2024).data
    with pytest.raises(ValueError, match="calibrated already"):
        once.weight(path, wave=2024)
    both = once.weight(path, wave=2022).data
    assert len(both.design.calibration) == 2


@pytest.mark.parametrize(
    ("count", "delimiter"),
    [
        ("290.000", ";"),
        ('"290,000"', ","),
        ("290,000", ";"),
        ("1.234.567", ";"),
        ("290 000", ";"),
        ("290\u00a0000", ","),
        ("1.234,5", ";"),
    ],
)
def test_counts_with_thousands_grouping_are_refused(
    tmp_path: Path, count: str, delimiter: str
) -> None:
    # 290.000 in a Dutch file was read as 290: wrong weights and no error
    text = (
        f"variable{delimiter}category{delimiter}count\n"
        f"office{delimiter}burgemeester{delimiter}{count}\n"
        f"office{delimiter}wethouder{delimiter}1400\noffice{delimiter}raadslid{delimiter}8500\n"
    )
    with pytest.raises(PopulationError) as caught:
        _data().weight(_write(tmp_path, text), wave=2024)
    assert caught.value.problems == [
        f"counts.csv:2: the count of office 'burgemeester' is {count.strip(chr(34))!r}, "
        "written with thousands grouping (or a decimal mark followed by three digits); it is "
        "not read, as it may mean either. Write counts in plain digits, without separators "
        f"({''.join(c for c in count if c.isdigit())} if the separators group thousands)"
    ]


@pytest.mark.parametrize(
    ("count", "value"), [("342", 342.0), ("341,5", 341.5), ("341.25", 341.25), ("3420.000", 3420.0)]
)
def test_counts_with_an_unmistakable_decimal_mark_are_read(
    tmp_path: Path, count: str, value: float
) -> None:
    text = (
        "variable;category;count\n"
        f"office;burgemeester;{count}\noffice;wethouder;1400\noffice;raadslid;8500\n"
    )
    result = _data().weight(_write(tmp_path, text), wave=2024)
    assert result.margins[0]["population"] == value


def test_a_frame_of_numbers_is_read_as_numbers() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "variable": ["office"] * 3,
            "category": OFFICES,
            "count": [342.125, 1400.0, 8500.0],
        }
    )
    result = _data().weight(frame, wave=2024)
    assert result.margins[0]["population"] == 342.125


def test_dutch_header(tmp_path: Path) -> None:
    text = (
        "Variabele;Categorie;Aantal\n"
        "office;burgemeester;342\noffice;wethouder;1400\noffice;raadslid;8500\n"
    )
    result = _data().weight(_write(tmp_path, text), wave=2024)
    assert [m["population"] for m in result.margins] == [342, 1400, 8500]
    with pytest.raises(PopulationError, match=r"or in Dutch variabele, categorie, aantal"):
        _data().weight(_write(tmp_path, "var;cat;n\noffice;raadslid;1\n"), wave=2024)


def test_a_refused_count_is_the_only_problem_reported(tmp_path: Path) -> None:
    # the refused line used to bring "has no population count" and "different populations"
    text = COUNTS.replace("8500", "-1") + "layer,gemeente,10242\n"
    with pytest.raises(PopulationError) as caught:
        _data().weight(_write(tmp_path, text), wave=2024)
    assert len(caught.value.problems) == 1
    assert "counts.csv:4: the count of office 'raadslid' must be a number >= 0" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (  # a count of 0 for a category with respondents: its line is there
            "variable,category,count\nlayer,gemeente,9900\noffice,burgemeester,0\n"
            "office,wethouder,1400\noffice,raadslid,8500\n",
            r"counts.csv:3: office 'burgemeester' has \d+ respondents in wave 2024 but a "
            r"population count of 0; correct the count",
        ),
        (  # a stratum of the population absent from the sample: its people are counted
            "variable,category,count\nlayer,gemeente,10242\noffice,burgemeester,342\n"
            "office,wethouder,1400\noffice,raadslid,8000\noffice,ambtenaar,500\n",
            r"counts.csv:6: office 'ambtenaar' has a population count \(500\) but no "
            r"respondent in wave 2024; merge it",
        ),
    ],
)
def test_a_refused_category_does_not_bring_false_problems(
    tmp_path: Path, text: str, problem: str
) -> None:
    # a tester's trial: the count of 0 also brought "no population count; add a line for it"
    # (the line was there), the absent category "the margins add up to different
    # populations" (they did, with its line)
    with pytest.raises(PopulationError) as caught:
        _data().weight(_write(tmp_path, text), wave=2024)
    assert len(caught.value.problems) == 1, caught.value.problems
    assert re.search(problem, caught.value.problems[0]), caught.value.problems


def test_respondents_without_a_value_get_the_ways_forward(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    n = 300
    gender = np.where(np.arange(n) % 7 == 0, None, np.where(np.arange(n) % 2, "m", "v"))
    data = MonitorData.from_columns(
        {
            "id": [f"r{i}" for i in range(n)],
            "wave": np.where(np.arange(n) < 150, 2022, 2024),
            "layer": ["gemeente"] * n,
            "office": np.array(OFFICES)[rng.integers(0, 3, n)],
            "gender": gender,
        },
        attributes=["gender"],
    )
    text = "variable,category,count\ngender,m,5000\ngender,v,5242\n"
    with pytest.raises(PopulationError) as caught:
        data.weight(_write(tmp_path, text), wave=2024)
    message = str(caught.value)
    assert "have no value, so they cannot be weighted to gender counts" in message
    assert "leave the gender margin out of the counts" in message
    assert "add a line with its population count" in message


def test_counts_inconsistent_with_the_sample_are_named_when_calibration_diverges() -> None:
    from vpt_monitor.stats import SurveyDesign, calibrate

    n = 200
    a = np.array(["a1", "a2"])[np.arange(n) % 2]
    b = np.where(np.arange(n) % 4 == 0, "b2", "b1")
    margins = {"a": (a, {"a1": 100.0, "a2": 100000.0}), "b": (b, {"b1": 100000.0, "b2": 100.0})}
    with pytest.raises(ValueError, match="calibration diverged") as caught:
        calibrate(SurveyDesign(weights=np.ones(n)), margins, method="raking")
    message = str(caught.value)
    assert "probably inconsistent with the sample" in message
    assert "ranges from 1 for margin 'a' category 'a1' (100 against 100)" in message
    assert "to 1e+03 for margin 'a' category 'a2' (100000 against 100)" in message
    assert "Raise max_iter" not in message


def _with_fpc(counts_per_office: tuple[int, int, int]) -> MonitorData:
    """One wave, stratified by office without clusters, the fpc the offices' populations."""
    rng = np.random.default_rng(6)
    n = 150
    office = np.array(OFFICES)[np.arange(n) % 3]
    sizes = dict(zip(OFFICES, counts_per_office, strict=True))
    population = np.array([sizes[o] for o in office], dtype=float)
    return MonitorData.from_columns(
        {
            "id": [f"r{i}" for i in range(n)],
            "wave": [2024] * n,
            "layer": ["gemeente"] * n,
            "office": office,
            "weight": population / 50.0 * rng.uniform(0.9, 1.1, n),
            "stratum": office,
            "fpc": population,
        }
    )


def test_weighting_to_another_population_than_the_fpcs_warns(tmp_path: Path) -> None:
    # The tester's trial: stats.calibrate warned, the weight command and MonitorData.weight
    # did not (they calibrate one wave through the same model, another path)
    import warnings

    data = _with_fpc((342, 1400, 8500))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data.weight(_write(tmp_path, COUNTS), wave=2024)  # the fpc's own counts
    more = COUNTS.replace("8500", "11500")  # 13,242 where the fpc gives 10,242
    with pytest.warns(
        UserWarning, match=r"add up to a population of 13,242 but the fpc gives 10,242"
    ):
        result = data.weight(_write(tmp_path, more), wave=2024)
    assert result.data.respondents["weight"].sum() == pytest.approx(13_242, rel=1e-7)


def test_the_weighting_report_draws_g_weights_that_are_all_one(tmp_path: Path) -> None:
    # counts equal to the weights' sums: every g-weight 1, and the histogram of 20 bins over
    # no range crashed the report ("Too many bins for data range")
    pytest.importorskip("matplotlib")
    from vpt_monitor.report.weighting import _figure

    data = _with_fpc((342, 1400, 8500))
    w = data.respondents["weight"]
    office = data.to_pandas()["office"].astype(str).to_numpy()
    sums = {o: float(w[office == o].sum()) for o in OFFICES}
    counts = "variable,category,count\n" + "".join(f"office,{o},{sums[o]!r}\n" for o in OFFICES)
    result = data.weight(_write(tmp_path, counts), wave=2024)
    assert result.after.g is not None
    assert np.ptp(result.after.g_values) < 1e-9
    figure = _figure(result, "nl")
    assert figure is not None
    assert figure.png.startswith(b"\x89PNG")


def _provinces() -> MonitorData:
    n = 120
    return MonitorData.from_columns(
        {
            "id": [f"r{i}" for i in range(n)],
            "wave": [2024] * n,
            "layer": ["gemeente"] * n,
            "office": np.array(OFFICES)[np.arange(n) % 3],
            # as a data file may write them: the official spelling, capitals
            "province": np.array(["Fryslân", "ZUID-HOLLAND", "noord-brabant"])[
                (np.arange(n) // 3) % 3
            ],
        }
    )


def test_population_categories_match_as_the_data_files_cells_do(tmp_path: Path) -> None:
    # a tester's trial: 'Fryslân' in the respondents file is Fryslan, but in the population
    # counts it was "unknown category 'Fryslân' (did you mean 'fryslan'?)"
    data = _provinces()
    text = (
        "variabele;categorie;aantal\nprovince;Fryslân;1000\nprovince;Zuid-Holland;5000\n"
        "province;NOORD-BRABANT;4242\n"
    )
    result = data.weight(_write(tmp_path, text))
    assert [m["after"] for m in result.margins] == pytest.approx([1000, 5000, 4242], rel=1e-7)
    twice = text + "province;fryslan;1000\n"
    with pytest.raises(PopulationError, match=r"counts.csv:5: province 'fryslan' is given twice"):
        data.weight(_write(tmp_path, twice))


def _offices(columns: dict[str, Any], n: int = 90) -> MonitorData:
    """Ninety councillors' respondents of 2024, a third each of the three offices."""
    return MonitorData.from_columns(
        {
            "id": [f"r{i}" for i in range(n)],
            "wave": [2024] * n,
            "layer": ["gemeente"] * n,
            "office": np.array(OFFICES)[np.arange(n) % 3],
            **columns,
        }
    )


def _mayors_of_fryslan() -> tuple[MonitorData, str]:
    """Every respondent of Fryslân a mayor, and Fryslân more people than the mayors."""
    data = _offices({"province": np.where(np.arange(90) % 3 == 0, "fryslan", "utrecht")})
    return data, COUNTS + "province,fryslan,1000\nprovince,utrecht,9242\n"


def test_counts_no_weights_can_meet_name_the_contradiction(tmp_path: Path) -> None:
    # a tester's trial: every respondent of one province is a mayor, yet the province has
    # more people than there are mayors; the message said "raise max_iter or widen the bounds"
    data, text = _mayors_of_fryslan()
    with pytest.raises(ValueError, match="no weights >= 0 meet all margins") as caught:
        data.weight(_write(tmp_path, text))
    message = str(caught.value)
    assert (
        "total 'province=fryslan', total 1000, has only respondents who are also in total "
        "'office=burgemeester', total 342" in message
    )
    assert "max_iter" not in message


def test_a_wave_given_as_text_is_refused_as_such(tmp_path: Path) -> None:
    # a tester's trial: wave="2024" said "wave '2024' is not in the data (waves: 2022, 2024)"
    with pytest.raises(
        TypeError,
        match=r"'wave' must be a whole number, the wave's year; got "
        r"'2024' \(str; waves: 2022, 2024\)",
    ):
        _data().weight(_write(tmp_path, COUNTS), wave="2024")  # type: ignore[arg-type]
    result = _data().weight(_write(tmp_path, COUNTS), wave=np.int64(2024))
    assert result.wave == 2024


def test_categories_that_differ_only_in_accents_are_each_matched_in_any_case(
    tmp_path: Path,
) -> None:
    # a reviewer's trial: a declared region holding both Fryslân and Fryslan; population
    # lines 'fryslân' and 'FRYSLAN' were refused ("did you mean 'fryslân' or 'fryslan'?",
    # the categories listed in lower case) where the lines matched by case before
    n = 90
    regions = np.array(["Fryslân", "Fryslan", "Groningen"])[np.arange(n) % 3]
    data = MonitorData.from_columns(
        {
            "id": [f"r{i}" for i in range(n)],
            "wave": [2024] * n,
            "layer": ["gemeente"] * n,
            "office": ["raadslid"] * n,
            "regio": regions,
        },
        attributes=["regio"],
    )
    text = "variable,category,count\nregio,fryslân,100\nregio,FRYSLAN,200\nregio,groningen,300\n"
    result = data.weight(_write(tmp_path, text))
    assert [m["after"] for m in result.margins] == pytest.approx([100, 200, 300], rel=1e-7)
    wrong = "variable,category,count\nregio,Frieslan,100\nregio,Fryslan,200\nregio,Groningen,300\n"
    with pytest.raises(PopulationError) as caught:
        data.weight(_write(tmp_path, wrong))
    assert "(categories: Fryslan, Fryslân, Groningen)" in str(caught.value)


def test_contradicting_counts_with_bounds_are_named_as_such_not_as_bounds(
    tmp_path: Path,
) -> None:
    # a reviewer's trial: with --bounds 0.5,3 the nested totals said "infeasible bounds ...
    # widen the bounds", which no bounds can help
    data, text = _mayors_of_fryslan()
    with pytest.raises(ValueError, match="no weights >= 0 meet all margins") as caught:
        data.weight(_write(tmp_path, text), bounds=(0.5, 3.0))
    assert "widen the bounds" not in str(caught.value)


def test_one_iteration_is_not_called_a_divergence(tmp_path: Path) -> None:
    # a reviewer's trial: max_iter=1 on consistent counts said the calibration "diverged"
    # and the totals were "probably inconsistent with the sample"
    data = _offices({"weight": np.linspace(1.0, 3.0, 90)})
    text = COUNTS  # 342, 1400 and 8500 people for 30 respondents each: far apart, consistent
    assert data.weight(_write(tmp_path, text)).margins  # converges by default
    with pytest.raises(ValueError, match="did not converge in 1 iterations") as caught:
        data.weight(_write(tmp_path, text), max_iter=1)
    assert "inconsistent" not in str(caught.value)
    assert "diverged" not in str(caught.value)
