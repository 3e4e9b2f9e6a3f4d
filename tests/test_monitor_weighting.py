"""MonitorData.weight: calibrating one wave to population counts, and every refusal."""

from __future__ import annotations

from pathlib import Path

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
