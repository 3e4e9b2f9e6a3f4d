"""The weighting report: what was weighted, weights before and after, margins; nl and en."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vpt_monitor import MonitorData
from vpt_monitor.report import ReportError, build_weighting_report, weighting_files

OFFICES = ["burgemeester", "wethouder", "raadslid"]
COUNTS = pd.DataFrame({"variable": ["office"] * 3, "category": OFFICES, "count": [342, 1400, 8500]})


def _weighting(method: str = "raking", bounds: tuple[float, float] | None = None):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(3)
    n = 120
    data = MonitorData.from_columns(
        {
            "id": [f"r{i}" for i in range(n)],
            "wave": [2024] * n,
            "layer": ["gemeente"] * n,
            "office": np.array(OFFICES)[rng.integers(0, 3, n)],
            "weight": rng.uniform(1, 3, n),
        }
    )
    return data.weight(COUNTS, method=method, bounds=bounds)


def test_files_and_margins_in_both_languages() -> None:
    weighting = _weighting("linear")
    dutch = weighting_files(weighting)
    page = dutch["index.html"].decode()
    assert '<html lang="nl">' in page
    assert "Wat is gewogen" in page
    assert "Marges vergeleken met de populatie" in page
    assert "lineaire kalibratie (GREG)" in page
    assert "deff (Kish)" in page
    assert "effectieve n" in page
    assert "g-gewichten" in page
    assert "8.500,0" in page  # Dutch numbers
    english = weighting_files(weighting, language="en")
    assert "Margins against the population" in english["index.html"].decode()
    assert "8,500.0" in english["index.html"].decode()
    summary = english["summary.md"].decode()
    assert summary.startswith("# Monitor Integriteit en Veiligheid: weighting of wave 2024")
    assert "| office | mayor | 342.0 |" in summary
    rows = list(csv.DictReader(io.StringIO(dutch["margins.csv"].decode())))
    assert [r["category"] for r in rows] == OFFICES
    assert [float(r["after"]) for r in rows] == pytest.approx([342, 1400, 8500], rel=1e-9)
    assert [float(r["population"]) for r in rows] == [342, 1400, 8500]
    weights = list(csv.DictReader(io.StringIO(dutch["weights.csv"].decode())))
    assert [r["weights"] for r in weights] == ["before", "after"]
    assert float(weights[1]["deff"]) == pytest.approx(float(weighting.after.deff[0]))
    pytest.importorskip("matplotlib")
    assert dutch["weights.png"].startswith(b"\x89PNG")
    assert "data:image/png;base64," in page


def test_bounds_are_stated() -> None:
    page = weighting_files(_weighting("logit", (0.01, 200.0)), language="en")["index.html"]
    assert "Bounds on the g-weights: 0.01 to 200" in page.decode()
    page = weighting_files(_weighting(), language="en")["index.html"]
    assert "Bounds on the g-weights: none" in page.decode()


def test_build_writes_a_report_folder_and_refuses_to_overwrite(tmp_path: Path) -> None:
    weighting = _weighting()
    folder = build_weighting_report(weighting, tmp_path / "weging")
    assert {"index.html", "summary.md", "margins.csv", "weights.csv"} <= {
        p.name for p in folder.iterdir()
    }
    with pytest.raises(ReportError, match="exists"):
        build_weighting_report(weighting, tmp_path / "weging")
    build_weighting_report(weighting, tmp_path / "weging", force=True, language="en")
    assert "weighting of wave 2024" in (folder / "index.html").read_text()


def test_text_from_the_data_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "<b>counts&.csv"
    COUNTS.to_csv(path, index=False)
    page = weighting_files(_from(path))["index.html"].decode()
    assert "<b>counts&.csv" not in page
    assert "&lt;b&gt;counts&amp;.csv" in page


def _from(path: Path):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(3)
    n = 60
    data = MonitorData.from_columns(
        {
            "id": [f"r{i}" for i in range(n)],
            "wave": [2024] * n,
            "layer": ["gemeente"] * n,
            "office": np.array(OFFICES)[np.arange(n) % 3],
            "weight": rng.uniform(1, 3, n),
        }
    )
    return data.weight(path)


def test_the_note_on_standard_errors_says_where_the_calibration_is_kept() -> None:
    # the note said SEs "account for the calibration", which holds only within the session
    from vpt_monitor.report.text import TEXT

    english, dutch = TEXT["weighting_method_note"]
    assert "only when computed from the weighted data that MonitorData.weight returns" in english
    assert "read back, they give standard errors for fixed weights" in english
    assert "opnieuw ingelezen geven ze standaardfouten voor vaste gewichten" in dutch
