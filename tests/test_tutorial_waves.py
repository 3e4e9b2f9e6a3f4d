"""The waves tutorial shows a relative change (review): its code runs and says what it shows."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from vpt_monitor import ChangeTable

TUTORIAL = Path(__file__).parents[1] / "docs" / "tutorials" / "waves.md"


def test_the_waves_tutorial_shows_change_as_a_ratio_with_its_log_interval() -> None:
    text = TUTORIAL.read_text(encoding="utf-8")
    cells = re.findall(r"```\{code-cell\} python\n(.*?)```", text, flags=re.S)
    ratio = [i for i, cell in enumerate(cells) if 'kind="ratio"' in cell]
    assert ratio, "the tutorial shows no change(kind='ratio')"
    namespace: dict[str, object] = {}
    for cell in cells[: ratio[0] + 1]:  # the cells up to the ratio, as the docs build runs them
        exec(compile(cell, str(TUTORIAL), "exec"), namespace)
    relative = next(
        v for v in namespace.values() if isinstance(v, ChangeTable) and v.kind == "ratio"
    )
    ci = relative.confidence_interval()
    assert ci.method == "log"
    # the log-scale interval is not symmetric around the ratio
    assert not np.allclose(relative.estimate - ci.low, ci.high - relative.estimate)
    assert "log scale" in text
    assert "Prefer the ratio" in text
