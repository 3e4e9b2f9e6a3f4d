from __future__ import annotations

import subprocess
import sys

import pytest

from vpt_monitor.__main__ import main


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
