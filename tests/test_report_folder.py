"""The report folder: escaping, synthetic-data labels, and replacement that never loses a report.

The replacement tests inject a fault (an OSError or a KeyboardInterrupt) into each file-system
call that writing the folder makes, one call at a time, with and without the atomic exchange
of Linux, and check that the old or the new report is complete at ``out`` afterwards and no
hidden folder is left. One test sends real SIGINTs to a process that replaces a report in a
loop.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from vpt_monitor.io import read_monitor
from vpt_monitor.report import ReportError, build_report, check_target
from vpt_monitor.report import html as report_html
from vpt_monitor.report import write as report
from vpt_monitor.synth import simulate

HOSTILE = "<script>alert(\"x & y\")</script> 'q' *bold* [link](http://x) # h\n# new heading"


@pytest.fixture(scope="module")
def small() -> Any:
    return simulate(waves=(2014, 2016), scale=0.1, seed=3)


@pytest.fixture(scope="module")
def hostile_report(small: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(
        small, tmp_path_factory.mktemp("hostile") / "report", title=HOSTILE, language="en"
    )


# ---- escaping (issue 17, item 1; issue 11, item 15) -------------------------------------------


def test_the_title_is_escaped_in_the_page(hostile_report: Path) -> None:
    page = (hostile_report / "index.html").read_text()
    escaped = "&lt;script&gt;alert(&quot;x &amp; y&quot;)&lt;/script&gt; &#x27;q&#x27;"
    assert f"<title>{escaped}" in page
    assert f"<h1>{escaped}" in page
    assert "<script>" not in page
    assert 'alert("x' not in page


def test_the_title_is_escaped_in_the_summary(hostile_report: Path) -> None:
    summary = (hostile_report / "summary.md").read_text()
    first = summary.splitlines()[0]
    assert first == (
        "# \\<script\\>alert(\"x \\& y\")\\</script\\> 'q' \\*bold\\* \\[link\\](http://x) "
        "\\# h \\# new heading"
    )
    assert "<script>" not in summary
    assert "\n# new heading" not in summary  # a newline in the title cannot start a block


def test_domain_labels_and_notes_are_escaped_in_tables_of_the_page() -> None:
    from vpt_monitor.report.content import Table

    row = {
        "wave": 2016,
        "team": '<img src=x onerror="boom">&',  # a declared attribute's code is shown as is
        "estimate": 0.5,
        "low": 0.4,
        "high": 0.6,
        "n": 10,
        "reliable": False,
        "note": '"><script>',
    }
    for language in ("nl", "en"):
        cell = report_html.table(Table("t", "t", ("wave", "team"), [row]), language)
        assert "&lt;img src=x onerror=&quot;boom&quot;&gt;&amp;" in cell
        assert 'title="&quot;&gt;&lt;script&gt;"' in cell
        assert "<img" not in cell
        assert "<script>" not in cell
        assert "&quot;&gt;&lt;script&gt;</p>" in cell  # the reason, escaped, under the table


# ---- synthetic data say so everywhere (issue 10, item 17) -------------------------------------


def test_a_report_on_synthetic_data_says_so_everywhere(hostile_report: Path) -> None:
    page = (hostile_report / "index.html").read_text()
    assert page.count('<p class="synthetic" role="alert">Synthetic data:') == 2  # top and end
    assert "vpt_monitor.synth.simulate(waves=(2014, 2016), seed=3, scale=0.1)" in page
    summary = (hostile_report / "summary.md").read_text()
    assert summary.splitlines()[2].startswith("> **Synthetic data: every figure")
    for table in (hostile_report / "tables").glob("*.csv"):
        frame = pd.read_csv(table)
        assert frame.columns[0] == "synthetic"
        assert frame["synthetic"].all()
    metadata = json.loads((hostile_report / "tables" / "metadata.json").read_text())
    assert metadata["synthetic"] is True
    assert metadata["source"].startswith("vpt_monitor.synth.simulate(")


def test_a_report_on_survey_files_names_them_and_is_not_marked_synthetic(
    small: Any, tmp_path: Path
) -> None:
    r = small.respondents
    from vpt_monitor import Layer, Office

    pd.DataFrame(
        {
            "id": r["id"],
            "wave": r["wave"],
            "layer": [tuple(Layer)[k].value for k in r["layer"]],
            "office": [tuple(Office)[k].value for k in r["office"]],
            "weight": r["weight"],
            # an unanswered count is an empty cell in a file
            "incidents:verbaal": pd.array(
                np.where(r["victimisations"][:, 0] < 0, None, r["victimisations"][:, 0]),
                dtype="Int64",
            ),
        }
    ).to_csv(tmp_path / "respondents.csv", index=False)
    data = read_monitor(tmp_path / "respondents.csv", lonely_psu="adjust")
    assert data.synthetic is False
    folder = build_report(data, tmp_path / "report")
    page = (folder / "index.html").read_text()
    assert 'class="synthetic"' not in page
    assert "Gegevens: respondenten " in page  # Dutch by default, files in words
    assert "read_monitor(" not in page
    assert "Synthet" not in (folder / "summary.md").read_text()
    frame = pd.read_csv(folder / "tables" / "victimisation_by_wave_group.csv")
    assert not frame["synthetic"].any()
    assert json.loads((folder / "tables" / "metadata.json").read_text())["synthetic"] is False


# ---- the target folder -----------------------------------------------------------------------


def test_check_target_refuses_what_it_must(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ReportError, match="exists and is not a folder"):
        check_target(tmp_path / "file.txt", force=True)
    with pytest.raises(ReportError, match=r"file.txt is a file, not a folder"):
        check_target(tmp_path / "file.txt" / "report", force=True)
    monkeypatch.chdir(tmp_path)
    for folder in (".", tmp_path, tmp_path.parent):
        with pytest.raises(ReportError, match="is the current folder or one above it"):
            check_target(folder, force=True)
    (tmp_path / "empty").mkdir()
    assert check_target("empty", force=True) == tmp_path / "empty"


# ---- replacing a report: faults at every step --------------------------------------------------

OLD = {"index.html": b"old", "summary.md": b"old", "tables/a.csv": b"old", "old.png": b"old"}
NEW = {"index.html": b"new", "summary.md": b"new", "tables/b.csv": b"new", "tables/c.csv": b"n"}


def _contents(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


class _Faults:
    """Make the ``at``-th call (counting all patched functions) raise ``error``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, at: int, error: BaseException) -> None:
        self.calls: list[str] = []
        self.at = at
        self.error = error
        self.hit: str | None = None
        targets: list[tuple[Any, str]] = [
            (os, "rename"),
            (os, "replace"),
            (os, "chmod"),
            (os, "mkdir"),
            (shutil, "rmtree"),
            (tempfile, "mkdtemp"),
            (Path, "write_bytes"),
            (report, "_exchange"),
            (report, "_move_new"),
        ]
        for owner, name in targets:
            monkeypatch.setattr(owner, name, self._wrap(name, getattr(owner, name)))

    def _wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            if len(self.calls) == self.at:
                self.hit = name
                raise self.error
            return function(*args, **kwargs)

        return wrapped


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_fault_at_any_step_of_force_leaves_the_old_or_the_new_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if exchange and report._renameat2_function() is None:
        pytest.skip("no renameat2 on this system")
    seen_steps: set[str] = set()
    for error in (OSError(5, "Input/output error (injected)"), KeyboardInterrupt()):
        at = 0
        while True:
            at += 1
            parent = tmp_path / f"{type(error).__name__}-{at}"
            target = parent / "report"
            report._write_folder(target, OLD, force=False)
            with monkeypatch.context() as patch:
                if not exchange:
                    patch.setattr(report, "_renameat2_function", lambda: None)
                faults = _Faults(patch, at, error)
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    raised: BaseException | None = None
                    try:
                        report._write_folder(target, NEW, force=True)
                    except (OSError, KeyboardInterrupt) as failure:
                        raised = failure
            assert raised in (None, error)
            found = _contents(target)
            assert found in (OLD, NEW), (faults.hit, at)
            hidden = [p.name for p in parent.iterdir() if p.name != "report"]
            if faults.hit == "rmtree" and found == NEW and isinstance(error, OSError):
                # the old report could not be deleted: a warning names where it is
                assert len(hidden) == 1
                assert any(hidden[0] in str(w.message) for w in caught)
            elif faults.hit == "rmtree":
                assert len(hidden) <= 1  # an artificial Ctrl-C inside rmtree (held back in life)
            else:
                assert hidden == [], (faults.hit, at)
                assert caught == []
            if faults.hit is None:
                assert found == NEW
                break
            seen_steps.add(faults.hit)
    expected = {"mkdtemp", "chmod", "mkdir", "write_bytes", "rmtree"}
    expected |= {"_exchange"} if exchange else {"rename"}
    assert expected <= seen_steps


def test_a_failed_second_rename_puts_the_old_report_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the case: a failure between the two renames left --out missing and the old
    # report only in a hidden folder
    target = tmp_path / "report"
    report._write_folder(target, OLD, force=False)
    monkeypatch.setattr(report, "_renameat2_function", lambda: None)
    real = os.rename
    calls: list[tuple[str, str]] = []

    def second_fails(source: Any, destination: Any) -> None:
        calls.append((Path(source).name, Path(destination).name))
        if len(calls) == 2:
            raise OSError(16, "Device or resource busy (injected)")
        real(source, destination)

    monkeypatch.setattr(os, "rename", second_fails)
    with pytest.raises(OSError, match="busy"):
        report._write_folder(target, NEW, force=True)
    assert _contents(target) == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["report"]
    assert len(calls) == 3  # moved aside, failed, moved back


def test_the_exchange_is_one_step_where_the_system_has_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if report._renameat2_function() is None:
        pytest.skip("no renameat2 on this system")
    target = tmp_path / "report"
    report._write_folder(target, OLD, force=False)
    renames: list[Any] = []
    monkeypatch.setattr(os, "rename", lambda *a: renames.append(a))
    report._write_folder(target, NEW, force=True)
    assert renames == []  # no moment without a report at target
    assert _contents(target) == NEW
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


_LOOP = textwrap.dedent(
    """
    import signal, sys
    from pathlib import Path
    from vpt_monitor.report import write as report
    if sys.argv[2] == "two-renames":
        report._renameat2_function = lambda: None
    target = Path(sys.argv[1])
    files = {f"tables/t{i}.csv": b"x" * 2000 for i in range(40)}

    def check():
        found = {p.relative_to(target).as_posix(): p.read_bytes()
                 for p in target.rglob("*") if p.is_file()}
        version = found["index.html"]
        complete = found["summary.md"] == version and (
            version == b"0" or (found.get("tables/v.csv") == version and len(found) == 43))
        hidden = [p.name for p in target.parent.iterdir() if p.name != "report"]
        return "checked" if complete and not hidden else f"BAD {sorted(found)} {hidden}"

    armed = False

    def interrupt(signum, frame):
        # raise only while replacing, and only once per replacement: then the check below
        # cannot itself be interrupted
        global armed
        if armed:
            armed = False
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    version = 0
    print("ready", flush=True)
    while True:
        version += 1
        content = str(version).encode()
        try:
            armed = True
            report._write_folder(
                target,
                {**files, "index.html": content, "summary.md": content, "tables/v.csv": content},
                force=True,
            )
            armed = False
        except KeyboardInterrupt:
            print(check(), flush=True)
    """
)


@pytest.mark.parametrize("mode", ["renameat2", "two-renames"])
def test_sigint_during_replacement_leaves_a_complete_report(tmp_path: Path, mode: str) -> None:
    # real signals, at random moments, into a process that replaces a report in a loop; it
    # checks the folder after each Ctrl-C, and a final SIGTERM ends it
    target = tmp_path / "report"
    report._write_folder(target, {"index.html": b"0", "summary.md": b"0"}, force=False)
    process = subprocess.Popen(
        [sys.executable, "-c", _LOOP, str(target), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == b"ready"
    # one line per Ctrl-C that the loop caught; keep interrupting until 20 were caught (a
    # busy machine lets fewer land inside a replacement), at most 2,000 times
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(line.decode().strip() for line in process.stdout or ())
    )
    reader.start()
    pauses = random.Random(mode).choices([0.002, 0.007, 0.013, 0.029], k=2000)
    for pause in pauses:
        if len(lines) >= 20:
            break
        time.sleep(pause)
        process.send_signal(signal.SIGINT)
    time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    reader.join(timeout=60)
    assert process.stderr is not None
    with process.stdout, process.stderr:
        err = process.stderr.read()
    assert process.returncode == -signal.SIGTERM, err.decode()
    assert not [line for line in lines if line.startswith("BAD")]
    assert len(lines) >= 20
    found = _contents(target)
    assert found["summary.md"] == found["index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_no_raw_less_than_sign_in_any_text_of_the_page(small: Any, tmp_path: Path) -> None:
    """Trial item 5: '< 0,001' in a p-value cell was written unescaped."""
    from html.parser import HTMLParser

    for language in ("nl", "en"):
        folder = build_report(small, tmp_path / language, language=language)
        page = (folder / "index.html").read_text(encoding="utf-8")

        class Strict(HTMLParser):
            raw: list[str]

            def handle_data(self, data: str) -> None:
                if "<" in data or ">" in data:
                    self.raw.append(data)

        parser = Strict(convert_charrefs=False)
        parser.raw = []
        parser.feed(page)
        assert parser.raw == []
        assert "<td>< " not in page


def test_a_p_value_below_0001_is_escaped_in_a_change_table() -> None:
    from vpt_monitor.report.content import Table
    from vpt_monitor.vocab import Group

    row = {
        "group": Group.POLITICAL,
        "change": 0.05,
        "low": 0.03,
        "high": 0.07,
        "p_adjusted": 1e-6,
        "significant": True,
    }
    table = Table("changes", "t", ("group",), [row], kind="changes")
    cells = report_html._changes(table, "nl")
    assert "<td>&lt; 0,001</td>" in cells
    assert "<td>< " not in cells
