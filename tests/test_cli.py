from __future__ import annotations

import inspect
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from vpt_monitor import Layer, Office
from vpt_monitor import report as report_module
from vpt_monitor.__main__ import main
from vpt_monitor.io import read_monitor
from vpt_monitor.report import write as report_write
from vpt_monitor.synth import simulate


def test_demo_prints_the_published_intervals(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "0.2553 - 0.3662" in out  # Wilson, 81 of 263 (Newcombe 1998a)
    assert "0.0524 - 0.3339" in out  # hybrid score, 56/70 - 48/80 (Newcombe 1998b)


def test_module_entry_point_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vpt_monitor", "demo"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "clopper_pearson" in done.stdout


def test_unknown_command_exits_non_zero() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["nonsense"])
    assert exit_info.value.code == 2


# ---- the report command under hostile input (issues 10, 11) ------------------------------------


@pytest.fixture(scope="module")
def survey_csv(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A respondents file of two waves, with strata and clusters, as an agency delivers it."""
    data = simulate(waves=(2014, 2016), scale=0.1, seed=3)
    r = data.respondents
    frame = pd.DataFrame(
        {
            "id": r["id"],
            "wave": r["wave"],
            "layer": [tuple(Layer)[k].value for k in r["layer"]],
            "office": [tuple(Office)[k].value for k in r["office"]],
            "weight": r["weight"],
            "stratum": r["stratum"],
            "cluster": r["cluster"],
            # an unanswered count is an empty cell in a file
            "incidents:verbaal": pd.array(
                np.where(r["victimisations"][:, 0] < 0, None, r["victimisations"][:, 0]),
                dtype="Int64",
            ),
        }
    )
    return str(frame.to_csv(index=False))


# small simulated waves have strata with one PSU
ADJUST = ["--lonely-psu", "adjust"]


def _data_folder(tmp_path: Path, text: str, name: str = "respondents.csv") -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / name).write_text(text)
    return folder


def _error_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [
        line
        for line in err.splitlines()
        if line.startswith("vpt-monitor: ") and ": note:" not in line
    ]


def test_a_data_folder_without_known_files_fails_listing_what_was_looked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], survey_csv: str
) -> None:
    folder = _data_folder(tmp_path, survey_csv, "respondenten.csv")
    out = tmp_path / "report"
    assert main(["report", "--data", str(folder), "--out", str(out)]) == 2
    (line,) = _error_lines(capsys)
    assert "no respondents or organisations file found" in line
    assert "respondents{.csv,.tsv,.parquet,.sav}" in line
    assert "codebook.toml" in line
    assert "it has respondenten.csv" in line
    assert not out.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["report", "--data", str(empty), "--out", str(out)]) == 2
    assert "it is empty" in _error_lines(capsys)[0]
    assert not out.exists()


def test_two_files_for_one_table_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], survey_csv: str
) -> None:
    folder = _data_folder(tmp_path, survey_csv)
    (folder / "respondents.sav").write_bytes(b"")
    assert main(["report", "--data", str(folder), "--out", str(tmp_path / "r")]) == 2
    assert "has respondents.csv and respondents.sav" in _error_lines(capsys)[0]


def test_without_data_the_command_simulates_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    assert main(["report", "--out", str(out), "--scale", "0.1"]) == 0
    err = capsys.readouterr().err
    assert "the report is on SIMULATED data" in err
    assert 'class="synthetic"' in (out / "index.html").read_text()


def test_a_codebook_in_the_data_folder_names_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], survey_csv: str
) -> None:
    dutch = survey_csv.replace(",", ";").replace(".", ",")  # ';' and decimal commas
    folder = _data_folder(tmp_path, dutch, "respondenten.csv")
    (folder / "codebook.toml").write_text('[respondents]\nfile = "respondenten.csv"\n')
    out = tmp_path / "report"
    assert main(["report", "--data", str(folder), "--out", str(out), *ADJUST]) == 0
    page = (out / "index.html").read_text()
    assert 'class="synthetic"' not in page
    assert "respondenten.csv" in page


def test_the_lonely_psu_default_is_fail_and_its_message_names_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert inspect.signature(read_monitor).parameters["lonely_psu"].default == "fail"
    rows = [
        f"{i},2016,gemeente,raadslid,{stratum},{cluster},{i % 2}"
        for i, (stratum, cluster) in enumerate(
            [("A", "a1"), ("A", "a1"), ("A", "a2"), ("A", "a2"), ("B", "b1"), ("B", "b1")]
        )
    ]
    text = "id,wave,layer,office,stratum,cluster,incidents:verbaal\n" + "\n".join(rows) + "\n"
    folder = _data_folder(tmp_path, text)
    out = tmp_path / "report"
    assert main(["report", "--data", str(folder), "--out", str(out)]) == 1
    (line,) = _error_lines(capsys)
    assert "stratum '2016/B' has only one PSU" in line
    assert "--lonely-psu adjust, certainty, remove or average" in line
    assert not out.exists()
    assert main(["report", "--data", str(folder), "--out", str(out), "--lonely-psu", "adjust"]) == 0


@pytest.mark.parametrize("where", ["is", "contains", "inside", "respondents", "codebook"])
def test_the_output_may_not_be_contain_or_lie_in_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], survey_csv: str, where: str
) -> None:
    # the case: report --data dd --out dd --force deleted the data
    folder = _data_folder(tmp_path, survey_csv)
    for name in ("index.html", "summary.md"):  # even when the folder looks like a report
        (folder / name).write_text("x")
    before = sorted(p.name for p in folder.iterdir())
    args = {
        "is": ["--data", str(folder), "--out", str(folder)],
        "contains": ["--data", str(folder), "--out", str(tmp_path)],
        "inside": ["--data", str(folder), "--out", str(folder / "report")],
        "respondents": ["--respondents", str(folder / "respondents.csv"), "--out", str(folder)],
        "codebook": ["--codebook", str(folder / "book.toml"), "--out", str(folder)],
    }[where]
    (folder / "book.toml").write_text('[respondents]\nfile = "respondents.csv"\n')
    before.append("book.toml")
    assert main(["report", *args, "--force"]) == 2
    (line,) = _error_lines(capsys)
    assert "--out" in line
    assert "data" in line or "file" in line or "codebook" in line
    assert sorted(p.name for p in folder.iterdir()) == sorted(before)


def test_an_output_beside_the_input_files_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, survey_csv: str
) -> None:
    # the documented form: vpt-monitor report --respondents r.csv --out report
    monkeypatch.chdir(tmp_path)
    Path("r.csv").write_text(survey_csv)
    assert main(["report", "--respondents", "r.csv", "--out", "report", *ADJUST]) == 0
    assert Path("report/index.html").exists()


def test_file_system_errors_are_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    survey_csv: str,
) -> None:
    (tmp_path / "afile").write_text("x")
    assert main(["report", "--out", str(tmp_path / "afile" / "report")]) == 2
    assert _error_lines(capsys) == [
        f"vpt-monitor: error: cannot write {tmp_path / 'afile' / 'report'}: "
        f"{tmp_path / 'afile'} is a file, not a folder"
    ]
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--out", ".", "--force"]) == 2
    assert "is the current folder" in _error_lines(capsys)[0]
    folder = _data_folder(tmp_path, survey_csv)
    real_read = Path.read_bytes

    def unreadable(self: Path) -> bytes:
        if self.name == "respondents.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    with monkeypatch.context() as patch:
        patch.setattr(Path, "read_bytes", unreadable)
        assert main(["report", "--data", str(folder), "--out", "r1"]) == 2
    assert _error_lines(capsys) == [
        f"vpt-monitor: error: cannot read the data: Permission denied: {folder / 'respondents.csv'}"
    ]

    real_mkdtemp = tempfile.mkdtemp

    def not_writable(*args: object, **kwargs: object) -> str:
        if str(kwargs.get("prefix", "")).startswith(".r2-new-"):  # only when writing
            raise PermissionError(13, "Permission denied", str(tmp_path))
        return real_mkdtemp(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    with monkeypatch.context() as patch:
        patch.setattr(tempfile, "mkdtemp", not_writable)
        assert main(["report", "--data", str(folder), "--out", "r2", *ADJUST]) == 2
    assert _error_lines(capsys) == [
        f"vpt-monitor: error: cannot write the report: Permission denied: {tmp_path}"
    ]
    assert not Path("r2").exists()


def test_a_busy_folder_during_force_is_an_error_and_keeps_the_old_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    assert main(["report", "--out", str(out), "--scale", "0.1", "--seed", "1"]) == 0
    old = (out / "index.html").read_text()
    capsys.readouterr()

    def busy(*args: object) -> bool:
        raise OSError(16, "Device or resource busy", str(out))

    monkeypatch.setattr(report_write, "_exchange", busy)
    monkeypatch.setattr(os, "rename", busy)
    assert main(["report", "--out", str(out), "--scale", "0.1", "--force"]) == 2
    assert _error_lines(capsys) == [
        f"vpt-monitor: error: cannot write the report: Device or resource busy: {out}"
    ]
    assert (out / "index.html").read_text() == old
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


@pytest.mark.parametrize(
    ("error", "status", "expected"),
    [
        (KeyboardInterrupt(), 130, "interrupted while trying to write the report"),
        (TypeError("'<' not supported"), 3, "internal error: TypeError: '<' not supported"),
    ],
)
def test_interrupts_and_bugs_reach_the_user_as_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    status: int,
    expected: str,
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(report_module, "build_report", fail)
    assert main(["report", "--out", str(tmp_path / "r"), "--scale", "0.1"]) == status
    (line,) = _error_lines(capsys)
    assert expected in line


def test_csv_options_reach_the_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], survey_csv: str
) -> None:
    text = survey_csv.replace(",", "\t").replace("gemeente", "gemeente")
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "respondents.csv").write_bytes(text.encode("utf-16"))
    out = tmp_path / "report"
    assert main(["report", "--data", str(folder), "--out", str(out)]) == 1
    assert "the file is UTF-16" in capsys.readouterr().err
    args = ["--encoding", "utf-16", "--delimiter", "\t", *ADJUST]
    assert main(["report", "--data", str(folder), "--out", str(out), *args]) == 0
    # a tab is hard to type in a shell: 'tab' names it
    args = ["--encoding", "utf-16", "--delimiter", "tab", "--force", *ADJUST]
    assert main(["report", "--data", str(folder), "--out", str(out), *args]) == 0
    # the wrong delimiter: the file reads as one column, and the message says which it is
    args = ["--encoding", "utf-16", "--delimiter", ";", "--force", *ADJUST]
    assert main(["report", "--data", str(folder), "--out", str(out), *args]) == 1
    assert "the names are separated by a tab, not by ';' (the delimiter the file was read" in (
        capsys.readouterr().err
    )


def test_a_codebook_naming_a_file_outside_needs_allow_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], survey_csv: str
) -> None:
    (tmp_path / "r.csv").write_text(survey_csv)
    books = tmp_path / "books"
    books.mkdir()
    (books / "codebook.toml").write_text('[respondents]\nfile = "../r.csv"\n')
    out = tmp_path / "report"
    args = ["report", "--codebook", str(books / "codebook.toml"), "--out", str(out)]
    assert main(args) == 1
    assert "is outside the codebook's folder" in capsys.readouterr().err
    assert main([*args, "--allow-outside", *ADJUST]) == 0


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--encoding", "klingon"], "--encoding 'klingon': unknown encoding"),
        (["--delimiter", "ab"], "--delimiter 'ab': must be one character"),
        (["--delimiter", "tabs"], "such as ',', ';' or 'tab'; got 'tabs'"),
        (["--delimiter", '"'], "'\"' cannot separate fields (it quotes values or ends lines)"),
        (["--delimiter", ",", "--decimal", ","], "--decimal and --delimiter are both ','"),
    ],
)
def test_bad_csv_options_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], expected: str
) -> None:
    args = ["report", "--respondents", str(tmp_path / "r.csv"), "--out", str(tmp_path / "o")]
    assert main([*args, *options]) == 2
    (line,) = _error_lines(capsys)
    assert expected in line


# ---- --ignore-unknown: a file with a column the library does not know -----------------------


@pytest.fixture
def extra_column_folder(tmp_path: Path, survey_csv: str) -> Path:
    frame = pd.read_csv(__import__("io").StringIO(survey_csv))
    frame["interviewer_note"] = "called back"
    return _data_folder(tmp_path, frame.to_csv(index=False))


@pytest.mark.parametrize(
    ("command", "options"), [("report", []), ("factsheets", ["--by", "office", "--no-pdf"])]
)
def test_ignore_unknown_passes_over_an_extra_column_and_says_so(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra_column_folder: Path,
    command: str,
    options: list[str],
) -> None:
    out = tmp_path / "out"
    args = [command, "--data", str(extra_column_folder), "--out", str(out), *ADJUST, *options]
    # refused without the flag: exit 1, the message names the column and the option
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "vpt-monitor: error: read_monitor: 1 problem\n" in err
    assert "column 'interviewer_note': unknown respondent column" in err
    assert "run with --ignore-unknown" in err
    assert "ignore_unknown=True" not in err  # the command's words, not the library's
    assert not out.exists()
    # read with it, and the output names the column passed over
    assert main([*args, "--ignore-unknown"]) == 0
    assert _error_lines(capsys) == []
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "kolommen niet gelezen: interviewer_note" in page  # a Dutch page, in Dutch
    assert "columns not read" not in page
    assert "read_monitor(" not in page


def test_weight_takes_ignore_unknown_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra_column_folder: Path
) -> None:
    population = tmp_path / "population.csv"
    population.write_text("variable,category,count\noffice,burgemeester,300\n")
    args = ["weight", "--data", str(extra_column_folder), "--out", str(tmp_path / "w")]
    args += ["--population", str(population), "--wave", "2016", *ADJUST]
    assert main(args) == 1
    assert "run with --ignore-unknown" in capsys.readouterr().err
    main([*args, "--ignore-unknown"])  # read now; whatever the weighting says
    assert "interviewer_note" not in capsys.readouterr().err


def test_a_misspelt_column_passed_over_is_a_warning_of_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], survey_csv: str
) -> None:
    # 'straturn' for 'stratum': passed over under --ignore-unknown, the design would lose its
    # strata; the command says which column it looks like, in its own one-line format
    frame = pd.read_csv(__import__("io").StringIO(survey_csv)).rename(
        columns={"stratum": "straturn"}
    )
    folder = _data_folder(tmp_path, frame.to_csv(index=False))
    out = tmp_path / "out"
    args = ["report", "--data", str(folder), "--out", str(out), *ADJUST, "--ignore-unknown"]
    main(args)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "vpt-monitor: warning: " in err
    assert "'straturn' (did you mean 'stratum'?)" in err
    page = (out / "index.html").read_text(encoding="utf-8")
    assert (
        "straturn (bedoeld: &#x27;stratum&#x27;?)" in page
        or "straturn (bedoeld: 'stratum'?)" in page
    )


def _text_nodes(page: str) -> list[str]:
    """The text of an HTML page outside tags, scripts and styles."""
    from html.parser import HTMLParser

    nodes: list[str] = []

    class Collect(HTMLParser):
        skip = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in ("script", "style")

        def handle_data(self, data: str) -> None:
            if not self.skip and data.strip():
                nodes.append(data)

    Collect().feed(page)
    return nodes


def test_a_dutch_page_on_files_with_a_codebook_has_no_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], survey_csv: str
) -> None:
    frame = pd.read_csv(__import__("io").StringIO(survey_csv))
    frame["interviewer_note"] = "called back"
    frame.loc[frame.index[:5], "incidents:verbaal"] = 99
    folder = _data_folder(tmp_path, frame.to_csv(index=False))
    (folder / "codebook.toml").write_text(
        "missing = [99]\n[respondents]\nignore = ['interviewer_note']\n", encoding="utf-8"
    )
    out = tmp_path / "rapport"
    assert main(["report", "--data", str(folder), "--out", str(out), *ADJUST]) == 0, (
        capsys.readouterr().err
    )
    text = " ".join(_text_nodes((out / "index.html").read_text(encoding="utf-8")))
    assert "kolommen niet gelezen: interviewer_note" in text
    assert "gelezen als leeg: incidents:verbaal 5" in text
    english = [
        "read_monitor(", "columns not read", "missing-value code", "method break",
        "questions changed", "research agency", "respondents ", "codebook ",
    ]  # fmt: skip
    assert [w for w in english if w in text] == []


def test_a_misspelt_column_is_warned_of_even_when_reading_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], survey_csv: str
) -> None:
    # 'straturn' passed over made the fpc checks fail without strata; the warning that
    # would have explained them was only printed when reading succeeded
    frame = pd.read_csv(__import__("io").StringIO(survey_csv)).rename(
        columns={"stratum": "straturn"}
    )
    frame.loc[0, "office"] = "koning"  # and a problem that stops the reading
    folder = _data_folder(tmp_path, frame.to_csv(index=False))
    args = ["report", "--data", str(folder), "--out", str(tmp_path / "out"), *ADJUST]
    assert main([*args, "--ignore-unknown"]) == 1
    err = capsys.readouterr().err
    warning = err.index("vpt-monitor: warning: ")
    assert "'straturn' (did you mean 'stratum'?)" in err
    assert warning < err.index("vpt-monitor: error: ")  # the cause before its effects


# ---- choices, codebooks without files, output folders that cannot be written ---------------


def test_choices_that_are_names_are_read_in_any_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sheets"
    status = main(
        ["factsheets", "--by", "Province", "--out", str(out), "--scale", "0.1", "--no-pdf",
         "--language", "EN", "--lonely-psu", "Adjust"]
    )  # fmt: skip
    assert status == 0, capsys.readouterr().err
    assert (out / "utrecht.html").exists()
    assert 'lang="en"' in (out / "index.html").read_text()
    assert main(["factsheets", "--by", "Provincie", "--out", str(tmp_path / "x"), "--scale",
                 "0.1", "--no-pdf", *ADJUST]) == 2  # fmt: skip
    assert "got 'Provincie' (did you mean 'province'?)" in _error_lines(capsys)[0]


def test_a_codebook_that_names_no_files_says_so_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codebook = tmp_path / "codebook.toml"
    codebook.write_text('[respondents.columns]\nid = "respnr"\n')
    assert main(["report", "--codebook", str(codebook), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "reading" not in err
    assert (
        f'vpt-monitor: error: --codebook {codebook} names no files (file = "..." in a section '
        "such as [respondents]) and no option names any" in err
    )


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize("command", ["report", "factsheets", "weight"])
def test_an_output_folder_that_cannot_be_made_is_refused_before_any_work(
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    survey_csv: str,
) -> None:
    import vpt_monitor.__main__ as cli

    folder = _data_folder(tmp_path, survey_csv)
    (tmp_path / "counts.csv").write_text("variable,category,count\nlayer,rijk,10\n")
    loaded: list[object] = []
    monkeypatch.setattr(cli, "_load", lambda *args: loaded.append(args))
    extra = ["--population", str(tmp_path / "counts.csv")] if command == "weight" else []
    out = "/proc/vpt-monitor-test/out"  # /proc takes no new folders, not even from root
    assert main([command, "--data", str(folder), "--out", out, *extra]) == 2
    assert _error_lines(capsys) == [
        f"vpt-monitor: error: cannot write {out}: no folder can be made in /proc (No such file "
        "or directory); choose another --out"
    ]
    assert loaded == []  # refused before the data were read


@pytest.mark.parametrize("given", ["", "folder"])
def test_a_folder_given_as_a_file_is_a_usage_error(tmp_path: Path, given: str) -> None:
    # a tester's trial: --respondents "" read the current folder as a file of unknown type
    # '' and exited 1, as if the data were refused
    (tmp_path / "folder").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "vpt_monitor", "report", "--respondents", given, "--out", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "a folder, not a file" in done.stderr


@pytest.mark.parametrize("command", ["report", "factsheets", "weight"])
def test_help_shows_the_decimal_marks_readably(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "{.,,}" not in out  # argparse's rendering of the two choices
    assert "--decimal MARK" in out
    assert "'.' or ','" in " ".join(out.split())
