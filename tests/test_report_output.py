"""The report's output (issue 12): Dutch by default, tidy CSV, Excel, figures for everyone."""

from __future__ import annotations

import colorsys
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from vpt_monitor import Group, victimisation
from vpt_monitor.report import build_report
from vpt_monitor.report import figures as report_figures
from vpt_monitor.report.content import compute_report
from vpt_monitor.synth import simulate


@pytest.fixture(scope="module")
def data() -> Any:
    return simulate(waves=(2014, 2016), scale=0.3, seed=7)


@pytest.fixture(scope="module")
def dutch(data: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(data, tmp_path_factory.mktemp("nl") / "report")


@pytest.fixture(scope="module")
def english(data: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(data, tmp_path_factory.mktemp("en") / "report", language="en")


def _visible_text(page: str) -> str:
    body = re.sub(r'src="data:image/png;base64,[^"]*"', "", page)
    body = re.sub(r"<style>.*?</style>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_the_report_is_dutch_by_default(dutch: Path) -> None:
    page = (dutch / "index.html").read_text()
    assert '<html lang="nl">' in page
    assert "<title>Monitor Integriteit en Veiligheid: kerncijfers</title>" in page
    assert "Verandering van 2014 naar 2016" in page
    assert "politieke ambtsdragers" in page
    assert "overheidsmedewerkers" in page
    summary = (dutch / "summary.md").read_text()
    assert "van de politieke ambtsdragers" in summary
    assert "Verandering 2014-2016, politieke ambtsdragers:" in summary


def test_dutch_numbers_in_dutch_output(dutch: Path) -> None:
    text = _visible_text((dutch / "index.html").read_text())
    shares = re.findall(r"\d+[.,]\d%", text)
    assert shares
    assert all("," in s for s in shares)  # 26,0%, never 26.0%
    assert re.search(r"\d+,\d\u2013\d+,\d", text)  # 25,1–27,0
    assert " - -" not in text
    assert not re.search(r"\d - \d", text)  # intervals are never written with " - "
    assert not re.search(r"\de[-+]\d", text)  # no scientific notation
    assert "< 0,001" in text or re.search(r"0,\d\d\d", text)
    assert re.search(r"\d{1,3}\.\d{3} respondenten", text)  # thousands: 12.345


def test_english_on_request_keeps_points_and_never_x_minus_minus_y(english: Path) -> None:
    page = (english / "index.html").read_text()
    assert '<html lang="en">' in page
    assert "Change from 2014 to 2016" in page
    text = _visible_text(page)
    assert all("." in s for s in re.findall(r"\d+[.,]\d%", text))
    assert " - -" not in text
    assert not re.search(r"\de[-+]\d", text)


def test_the_width_rule_is_said_in_the_points_the_page_shows(english: Path) -> None:
    # English pages said "interval wider than 0.30" beside intervals printed in per cent
    # (17.4-54.3), where the Dutch ones say "30 procentpunt"
    page = _visible_text((english / "index.html").read_text())
    assert "interval wider than 30 points" in page
    assert "wider than 0.30" not in page
    frame = pd.read_csv(english / "tables" / "victimisation_by_office_2016.csv")
    notes = " ".join(frame["note"].dropna())
    assert "interval wider than 30 points" in notes
    assert "wider than 0.30" not in notes


def test_csv_tables_are_tidy_with_codes_and_labels(dutch: Path, data: Any) -> None:
    frame = pd.read_csv(dutch / "tables" / "victimisation_by_wave_group.csv")
    assert list(frame.columns) == [
        "synthetic",
        "wave",
        "wave_label",
        "group",
        "group_label",
        "estimate",
        "low",
        "high",
        "n",
        "reliable",
        "note",
    ]
    assert set(frame["group"]) == {g.value for g in Group}  # the codes of the data files
    assert set(frame["group_label"]) == {g.dutch for g in Group}  # labels in the language
    assert frame["wave"].tolist() == [2014, 2014, 2016, 2016]
    table = victimisation(data, by=("wave", "group"))
    mine = frame.set_index(["wave", "group"])["estimate"]
    for (wave, group), estimate in table:  # type: ignore[misc]
        assert mine[(wave, group.value)] == pytest.approx(estimate.estimate, rel=1e-12)
    changes = pd.read_csv(dutch / "tables" / "change_by_group_2014_2016.csv")
    assert {"group", "group_label", "first_wave", "last_wave", "change", "p_adjusted"} <= set(
        changes.columns
    )


def test_a_question_not_asked_in_a_wave_says_so() -> None:
    # the simulated 2010 wave has no integrity questions: the grey rows say "not asked",
    # not "no observations"
    data = simulate(waves=(2010, 2016), scale=0.2, seed=1)
    for language, words in (
        ("nl", "niet gevraagd in deze meting"),
        ("en", "not asked in this wave"),
    ):
        content = compute_report(data, language=language)
        rows = content.tables["perceived_violations_by_wave_group"].rows
        unasked = [r for r in rows if r["wave"] == 2010]
        assert unasked
        assert all(r["note"] == words and not r["reliable"] for r in unasked)


def test_english_csv_labels_are_english(english: Path) -> None:
    frame = pd.read_csv(english / "tables" / "victimisation_by_office_2016.csv")
    assert "mayor" in set(frame["office_label"])
    assert "burgemeester" in set(frame["office"])


def test_an_excel_workbook_with_a_sheet_per_table(dutch: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    metadata = json.loads((dutch / "tables" / "metadata.json").read_text())
    assert metadata["workbook"] == "tables.xlsx"
    assert metadata["language"] == "nl"
    book = openpyxl.load_workbook(dutch / "tables" / "tables.xlsx")
    assert book.sheetnames[0] == "info"
    for csv_name in metadata["tables"]:
        name = csv_name.removesuffix(".csv")
        sheet = metadata["sheets"][name]
        assert len(sheet) <= 31
        rows = list(book[sheet].iter_rows(values_only=True))
        frame = pd.read_csv(dutch / "tables" / csv_name)
        assert list(rows[0]) == list(frame.columns)
        assert len(rows) == len(frame) + 1
        if "estimate" in frame.columns:
            column = list(rows[0]).index("estimate")
            from_sheet = np.array([r[column] for r in rows[1:]], dtype=float)
            np.testing.assert_allclose(from_sheet, frame["estimate"].to_numpy(), rtol=1e-15)
    cell = book[metadata["sheets"]["victimisation_by_wave_group"]]["F2"]
    assert cell.number_format == "0.0%"


def _hue(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hsv(r, g, b)[0] * 360


def test_figures_have_no_red_green_pair_and_cover_social_media_integrity_violations(
    dutch: Path,
) -> None:
    coloured = [c for c in report_figures.PALETTE if c not in ("#000000",)]
    reds = [c for c in coloured if _hue(c) < 20 or _hue(c) > 340]
    greens = [c for c in coloured if 75 < _hue(c) < 165]
    assert not (reds and greens)
    assert len(set(report_figures.MARKERS)) == len(report_figures.MARKERS)
    for name in ("trend", "offices", "social_media", "perceived_violations", "violations"):
        assert (dutch / f"{name}.png").read_bytes().startswith(b"\x89PNG")
    page = (dutch / "index.html").read_text()
    assert "#2e7d32" not in page  # the old green ...
    assert "#b03a2e" not in page  # ... and red of the change table
    assert "\u25b2" in page or "\u25bc" in page or "significant" not in page


def test_the_content_is_computed_once_and_rendered_by_each_renderer(data: Any) -> None:
    from vpt_monitor.report import html, markdown, tables

    content = compute_report(data, language="en")
    assert set(content.figures) >= {"trend", "social_media", "perceived_violations"}
    shown = {b.name for s in content.sections for b in s.blocks if hasattr(b, "name")}
    assert shown <= set(content.tables) | set(content.figures)
    assert set(content.tables) <= shown
    page = html.page(content)
    for t in content.tables.values():
        assert t.title.split(",")[0] in page or t.kind != "estimates"
    assert markdown.summary(content).startswith("# Monitor Integriteit en Veiligheid")
    assert tables.csv_bytes(content.tables["victimisation_by_wave_group"], content).startswith(
        b"synthetic,wave,wave_label,group,group_label,estimate"
    )


def test_a_bad_language_is_refused_before_anything_is_written(data: Any, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'language' must be 'nl' or 'en'"):
        build_report(data, tmp_path / "r", language="fr")
    assert not (tmp_path / "r").exists()


def test_the_report_folder_is_ignored_by_git() -> None:
    ignored = (Path(__file__).parents[1] / ".gitignore").read_text().splitlines()
    assert "/report/" in ignored
    assert "/factsheets/" in ignored
