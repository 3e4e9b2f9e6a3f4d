"""Method breaks: a change across one is unreliable, says so in every output, in Dutch too.

Trial item 2 and 3: the report drew and tabled 2010-2016 across the 2011 question change and
the 2014 agency change without saying so; the notes stayed English in Dutch output.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from vpt_monitor import METHOD_BREAKS, METHOD_BREAKS_NL, change, trend, victimisation
from vpt_monitor.synth import simulate


@pytest.fixture(scope="module")
def by_wave() -> Any:
    return victimisation(simulate(scale=0.2, seed=5), by=("wave", "group"))


def test_a_change_across_a_break_is_unreliable_with_the_break_as_reason(by_wave: Any) -> None:
    across = change(by_wave, between=(2012, 2014))
    assert across.method_breaks == (f"2012-2014: {METHOD_BREAKS[(2012, 2014)]}",)
    assert not np.asarray(across.reliable).any()
    assert not across.significant().any()
    assert all("method break 2012-2014" in why for why in across.reasons)
    frame = across.to_pandas()
    assert (frame["method_breaks"] == across.method_breaks[0]).all()
    assert not frame["significant"].any()
    within = change(by_wave, between=(2014, 2016))
    assert within.method_breaks == ()
    assert (within.to_pandas()["method_breaks"] == "").all()
    assert not any("method break" in why for why in within.reasons)


def test_break_notes_are_dutch_in_dutch_output(by_wave: Any) -> None:
    assert set(METHOD_BREAKS_NL) == set(METHOD_BREAKS)
    dutch = change(by_wave, between=(2010, 2016)).to_string("nl")
    assert "methodebreuk: 2010-2012: VPT-vragen veranderd" in dutch
    assert "questions changed" not in dutch
    assert "new research agency" not in trend(by_wave).to_string("nl")
    assert "new research agency" in trend(by_wave).to_string("en")


def test_the_trend_figure_breaks_its_lines_at_each_method_break(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from vpt_monitor.report import figures
    from vpt_monitor.report.content import estimate_rows

    drawn: list[Any] = []

    def keep(draw: Any, size: Any, **_: Any) -> bytes:
        _, ax = plt.subplots()
        draw(ax)
        drawn.append(ax)
        return b""

    monkeypatch.setattr(figures, "png", keep)
    table = victimisation(simulate(scale=0.2, seed=5), by=("wave", "group"))
    rows = estimate_rows(table, "nl")
    figures.series_over_waves(
        rows, "group", (2010, 2012, 2014, 2016), title="t", ylabel="y", language="nl",
        breaks=[(2010, 2012), (2012, 2014)],
    )  # fmt: skip
    ax = drawn[0]
    spans = [tuple(line.get_xdata()) for line in ax.lines if len(line.get_xdata()) > 1]
    series = [s for s in spans if s[0] != s[-1]]  # lines over waves, not vertical markers
    assert series, "no lines drawn"
    for xs in series:  # no line joins waves on either side of a break
        assert not (min(xs) <= 2010 and max(xs) >= 2012)
        assert not (min(xs) <= 2012 and max(xs) >= 2014)
    vertical = sorted(s[0] for s in spans if s[0] == s[-1])
    assert vertical == [2011.0, 2013.0]
    assert [t.get_text() for t in ax.texts] == ["methodebreuk", "methodebreuk"]
    plt.close("all")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_report_says_which_breaks_lie_within_the_waves_shown(language: str) -> None:
    from vpt_monitor.report.content import compute_report

    content = compute_report(simulate(scale=0.2, seed=5), language=language)
    section = content.sections[0]
    said = [b.text for b in section.blocks if getattr(b, "style", None) == "breaks"]
    assert len(said) == 1
    if language == "nl":
        assert "Niet alle getoonde metingen zijn vergelijkbaar" in said[0]
        assert METHOD_BREAKS_NL[(2010, 2012)] in said[0]
        assert METHOD_BREAKS_NL[(2012, 2014)] in said[0]
    else:
        assert "Not all waves shown are comparable" in said[0]
        assert METHOD_BREAKS[(2012, 2014)] in said[0]
    recent = compute_report(simulate(waves=(2014, 2016), scale=0.2, seed=5), language=language)
    assert not [b for b in recent.sections[0].blocks if getattr(b, "style", None) == "breaks"]


def test_every_figure_over_the_waves_breaks_at_the_method_breaks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # not the trend alone: social media and perceived violations run over the waves too
    from vpt_monitor.report import content, figures

    seen: dict[str, Any] = {}

    def record(rows: Any, variable: Any, waves: Any, **options: Any) -> bytes:
        seen[options["title"]] = options.get("breaks")
        return b""

    monkeypatch.setattr(figures, "series_over_waves", record)
    content.compute_report(simulate(scale=0.2, seed=5), language="en")
    assert len(seen) >= 3
    for title, breaks in seen.items():
        assert breaks == [(2010, 2012), (2012, 2014)], title
