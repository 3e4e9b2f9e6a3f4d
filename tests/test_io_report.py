"""Readers (CSV, Parquet, SPSS with a codebook) and the report command end to end."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vpt_monitor import MonitorData, MonitorDataError, victimisation
from vpt_monitor.__main__ import main
from vpt_monitor.io import read_codebook, read_monitor
from vpt_monitor.synth import simulate

RESPONDENTS = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d"],
        "wave": [2016, 2016, 2016, 2016],
        "layer": ["gemeente", "gemeente", "provincie", "rijk"],
        "office": ["burgemeester", "raadslid", "statenlid", "ambtenaar"],
        "weight": [2.0, 10.0, 5.0, 40.0],
        "incidents:verbaal": [3, 0, 1, 0],
        "channel:sociale-media": [1, 0, 0, 0],
    }
)
INCIDENTS = pd.DataFrame(
    {
        "respondent_id": ["a", "c"],
        "wave": [2016, 2016],
        "form": ["verbaal", "verbaal"],
        "reported_internally": [1, 0],
    }
)


def _check(data: MonitorData) -> None:
    assert len(data) == 4
    assert data.n_incidents == 2
    est = victimisation(data)
    assert est.estimate == pytest.approx((2 + 5) / 57)


def test_csv_and_parquet_with_the_default_codebook(tmp_path: Path) -> None:
    RESPONDENTS.to_csv(tmp_path / "respondents.csv", index=False)
    INCIDENTS.to_csv(tmp_path / "incidents.csv", index=False)
    _check(read_monitor(tmp_path / "respondents.csv", tmp_path / "incidents.csv"))
    RESPONDENTS.to_parquet(tmp_path / "respondents.parquet")
    INCIDENTS.to_parquet(tmp_path / "incidents.parquet")
    _check(read_monitor(tmp_path / "respondents.parquet", tmp_path / "incidents.parquet"))


def test_spss_file_with_a_codebook(tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    source = pd.DataFrame(
        {
            "respnr": [1.0, 2.0, 3.0, 4.0],
            "jaar": [2016.0] * 4,
            "laag": [3.0, 3.0, 2.0, 1.0],
            "functie": [2.0, 4.0, 7.0, 1.0],
            "gewicht": [2.0, 10.0, 5.0, 40.0],
            "v_verbaal": [3.0, 0.0, 1.0, 0.0],
            "v_social": [1.0, 0.0, 0.0, 0.0],
        }
    )
    pyreadstat.write_sav(source, str(tmp_path / "respondenten.sav"))
    INCIDENTS.assign(respondent_id=["1", "3"]).to_csv(tmp_path / "incidenten.csv", index=False)
    (tmp_path / "codebook.toml").write_text(
        """
[respondents]
file = "respondenten.sav"
[respondents.columns]
id = "respnr"
wave = "jaar"
layer = "laag"
office = "functie"
weight = "gewicht"
"incidents:verbaal" = "v_verbaal"
"channel:sociale-media" = "v_social"
[respondents.codes.layer]
1 = "rijk"
2 = "provincie"
3 = "gemeente"
[respondents.codes.office]
1 = "ambtenaar"
2 = "burgemeester"
4 = "raadslid"
7 = "statenlid"
[incidents]
file = "incidenten.csv"
"""
    )
    book = read_codebook(tmp_path / "codebook.toml")
    assert book.columns["respondents"]["id"] == "respnr"
    data = read_monitor(codebook=tmp_path / "codebook.toml")
    _check(data)
    assert data.respondents["id"].tolist() == ["1", "2", "3", "4"]


def test_bad_files_report_every_bad_row_with_file_and_line(tmp_path: Path) -> None:
    bad = RESPONDENTS.copy()
    bad.loc[1, "office"] = "koning"
    bad.loc[2, "weight"] = -1
    bad.loc[3, "wave"] = 1899
    bad.to_csv(tmp_path / "respondents.csv", index=False)
    INCIDENTS.assign(respondent_id=["a", "zz"]).to_csv(tmp_path / "incidents.csv", index=False)
    with pytest.raises(MonitorDataError) as info:
        read_monitor(tmp_path / "respondents.csv", tmp_path / "incidents.csv")
    problems = info.value.problems
    assert any(
        p.startswith("respondents.csv line 3: office='koning': not a valid code") for p in problems
    )
    assert any(p.startswith("respondents.csv line 4: weight=") for p in problems)
    assert any(p.startswith("respondents.csv line 5: wave=") for p in problems)
    assert any(p.startswith("incidents.csv line 3: respondent_id='zz'") for p in problems)


def test_reader_refusals(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_monitor(tmp_path / "nothing.csv")
    (tmp_path / "r.xlsx").write_text("x")
    with pytest.raises(ValueError, match=r"unknown file type '\.xlsx'"):
        read_monitor(tmp_path / "r.xlsx")
    (tmp_path / "book.toml").write_text("[people]\nfile = 'x.csv'\n")
    with pytest.raises(ValueError, match=r"book.toml \[people\]: unknown section"):
        read_codebook(tmp_path / "book.toml")
    (tmp_path / "book.toml").write_text("[respondents.columns]\nid = 'nr'\n")
    RESPONDENTS.to_csv(tmp_path / "respondents.csv", index=False)
    with pytest.raises(
        ValueError, match=r"\[respondents.columns\] id = 'nr': respondents.csv line"
    ):
        read_monitor(tmp_path / "respondents.csv", codebook=tmp_path / "book.toml")


# ---- the report -------------------------------------------------------------------------------


def test_report_on_the_default_simulation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    assert main(["report", "--out", str(out), "--language", "en"]) == 0
    page = (out / "index.html").read_text()
    assert "Monitor Integriteit en Veiligheid" in page
    assert "data:image/png;base64," in page
    assert "Change from 2014 to 2016" in page
    assert "Method break" not in page  # no registered break between 2014 and 2016
    assert (out / "summary.md").exists()
    tables = {p.name for p in (out / "tables").iterdir()}
    assert "victimisation_by_wave_group.csv" in tables
    # the report's numbers are the library's indicators on the same data
    with open(out / "tables" / "victimisation_by_wave_group.csv") as handle:
        rows = list(csv.DictReader(handle))
    table = victimisation(simulate(), by=("wave", "group"))
    assert float(rows[-1]["estimate"]) == pytest.approx(table.estimate[-1], rel=1e-12)  # type: ignore[union-attr]
    err = capsys.readouterr().err
    assert "simulating monitor waves" in err
    assert "report written to" in err


def test_report_refuses_to_overwrite_and_replaces_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    out.mkdir()
    for name in ("index.html", "summary.md", "old.png"):  # a report from before the marker
        (out / name).write_text("old")
    assert main(["report", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "use --force" in err  # the command's spelling, not force=True
    assert "force=True" not in err
    assert (out / "old.png").exists()
    (out / "notes.txt").write_text("mine")  # not a report file: the folder is not replaced
    assert main(["report", "--out", str(out), "--force"]) == 2
    assert (out / "notes.txt").read_text() == "mine"
    (out / "notes.txt").unlink()
    assert main(["report", "--out", str(out), "--force"]) == 0
    assert not (out / "old.png").exists()
    assert (out / "index.html").exists()
    assert 'written_by = "report"' in (out / ".vpt-monitor.toml").read_text()
    assert main(["report", "--out", str(out), "--force"]) == 0  # marked: replaced again
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_force_never_replaces_a_folder_that_is_not_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.docx").write_text("keep me")
    assert main(["report", "--out", str(out), "--force"]) == 2
    assert (out / "thesis.docx").read_text() == "keep me"
    assert "is not a report folder (it has thesis.docx" in capsys.readouterr().err


def test_report_on_bad_data_fails_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    bad = RESPONDENTS.copy()
    bad.loc[0, "layer"] = "provincie"  # a mayor in a province
    bad.to_csv(folder / "respondents.csv", index=False)
    out = tmp_path / "report"
    assert main(["report", "--data", str(folder), "--out", str(out)]) == 1
    assert not out.exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert "respondents.csv line 2: office='burgemeester'" in capsys.readouterr().err


def test_report_on_real_data_files(tmp_path: Path) -> None:
    data = simulate(waves=(2014, 2016), seed=5)
    folder = tmp_path / "data"
    folder.mkdir()
    r = data.respondents
    frame = pd.DataFrame(
        {
            "id": r["id"],
            "wave": r["wave"],
            "layer": np.array([m.value for m in __import__("vpt_monitor").Layer])[r["layer"]],
            "office": np.array([m.value for m in __import__("vpt_monitor").Office])[r["office"]],
            "weight": r["weight"],
            "stratum": r["stratum"],
            "cluster": r["cluster"],
            "fpc": r["fpc"],
            # a file holds an unanswered count as an empty cell, not as the code -1
            "incidents:verbaal": np.where(
                r["victimisations"][:, 0] < 0, np.nan, r["victimisations"][:, 0]
            ),
            "incidents:bedreiging": np.where(
                r["victimisations"][:, 1] < 0, np.nan, r["victimisations"][:, 1]
            ),
        }
    )
    frame.to_csv(folder / "respondents.csv", index=False)
    out = tmp_path / "report"
    assert main(["report", "--data", str(folder), "--out", str(out), "--language", "en"]) == 0
    page = (out / "index.html").read_text()
    assert "Organisations' policy" not in page  # no organisation file given
    assert "Change from 2014 to 2016" in page
    # the file holds no channels, integrity or incident questions: left out, not shown as 0
    assert ">Not in these data</h2>" in page
    assert "<li>perceived integrity violations</li>" in page
    assert "Aggression via social media" not in page
    assert "Perceived or suspected violations" not in page
    summary = (out / "summary.md").read_text()
    assert "- perceived integrity violations" in summary


def test_module_entry_point_writes_a_report(tmp_path: Path) -> None:
    out = tmp_path / "r"
    done = subprocess.run(
        [sys.executable, "-m", "vpt_monitor", "report", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").exists()
