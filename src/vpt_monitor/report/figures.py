"""The report's figures, drawn with matplotlib in colours that colour-blind readers tell apart.

Colours come from the Okabe-Ito palette (Okabe and Ito 2008) without its red-green pair
(vermillion and bluish green): blue, orange, sky blue, reddish purple, black and yellow, and
every series also has its own marker, so no figure relies on colour alone. Cells that do not
meet the publication rules are drawn grey and hollow. Axis numbers follow the language (a
decimal comma in Dutch).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from vpt_monitor import _format

__all__ = ["MARKERS", "PALETTE", "UNRELIABLE", "forest", "grouped_bars", "png", "series_over_waves"]

#: Okabe-Ito colours without vermillion and bluish green: no red-green pair in any figure.
PALETTE = ("#0072B2", "#E69F00", "#56B4E9", "#CC79A7", "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P")
#: Grey of cells that do not meet the publication rules.
UNRELIABLE = "#9e9e9e"

Row = Mapping[str, Any]


def png(draw: Callable[[Any], None], size: tuple[float, float], *, dpi: int = 110) -> bytes:
    """Draw on a new axes with ``draw(ax)`` and return the figure as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size, dpi=dpi)
    try:
        draw(ax)
        fit_title(fig, ax)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
    finally:
        plt.close(fig)
    return buffer.getvalue()


def fit_title(fig: Any, ax: Any) -> None:
    """Wrap the axes' title onto more lines until it fits the figure's width."""
    title = ax.title
    words = title.get_text().replace("\n", " ")
    if not words:
        return
    renderer = fig.canvas.get_renderer()
    room = fig.bbox.width * 0.96
    width = len(words)
    while width > 12 and title.get_window_extent(renderer).width > room:
        width = int(width * 0.85)
        title.set_text(textwrap.fill(words, width))


def axis_numbers(ax: Any, language: str, axis: str = "y") -> None:
    """Write the tick labels of ``axis`` in the language's number format."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _: _format.number(value, language, digits=None))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _scale(kind: str) -> float:
    return 100.0 if kind == "percent" else 1.0


def series_over_waves(
    rows: Sequence[Row],
    variable: str | None,
    waves: Sequence[int],
    *,
    title: str,
    ylabel: str,
    language: str,
    kind: str = "percent",
    breaks: Sequence[tuple[int, int]] = (),
) -> bytes:
    """Draw a line with a 95% band per value of ``variable`` (or one line) over the waves.

    At each method break ``(wave before, wave after)`` the lines and bands stop (a segment
    per stretch of comparable waves) and a dotted vertical line marks the break.
    """
    from vpt_monitor.report.text import text

    scale = _scale(kind)
    levels: list[Any] = []

    def segment(wave: int) -> int:
        return sum(1 for _, after in breaks if after <= wave)

    for row in rows:
        key = row[variable] if variable else None
        if key not in levels:
            levels.append(key)

    def draw(ax: Any) -> None:
        for k, level in enumerate(levels):
            chosen = [r for r in rows if (r[variable] if variable else None) == level]
            chosen = [r for r in chosen if r["wave"] in waves and r["n"] > 0]
            if not chosen:
                continue
            colour, marker = PALETTE[k % len(PALETTE)], MARKERS[k % len(MARKERS)]
            x = [r["wave"] for r in chosen]
            est = np.array([r["estimate"] for r in chosen]) * scale
            low = np.array([r["low"] for r in chosen]) * scale
            high = np.array([r["high"] for r in chosen]) * scale
            name = _format.label(level, language) if variable else None
            parts = np.array([segment(w) for w in x])
            for part in np.unique(parts):  # one line per stretch between breaks
                keep = parts == part
                xs = [w for w, k in zip(x, keep, strict=True) if k]
                label = name if part == parts[0] else None
                ax.plot(xs, est[keep], marker=marker, color=colour, label=label)
                ax.fill_between(xs, low[keep], high[keep], color=colour, alpha=0.18, linewidth=0)
            for r, value in zip(chosen, est, strict=True):
                if not r["reliable"]:
                    ax.plot(
                        [r["wave"]], [value], marker=marker, color=UNRELIABLE, mfc="white", ms=8
                    )
        for before, after in breaks:
            ax.axvline((before + after) / 2, color="grey", linestyle=":", linewidth=1)
            ax.annotate(
                text("fig_break", language),
                ((before + after) / 2, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(2, -10),
                textcoords="offset points",
                fontsize=7,
                color="grey",
            )
        ax.set_ylabel(ylabel)
        ax.set_xticks(list(waves))
        ax.set_ylim(bottom=0)
        axis_numbers(ax, language)
        if variable:
            ax.legend(frameon=False)
        ax.set_title(title)

    return png(draw, (6.4, 3.6))


def forest(
    rows: Sequence[Row],
    variable: str,
    *,
    title: str,
    xlabel: str,
    language: str,
    kind: str = "percent",
) -> bytes:
    """Draw a horizontal interval per row, labelled by ``variable``; unreliable rows grey."""
    scale = _scale(kind)
    shown = [r for r in rows if r["n"] > 0 and np.isfinite(r["estimate"])]

    def draw(ax: Any) -> None:
        y = np.arange(len(shown))[::-1]
        est = np.array([r["estimate"] for r in shown]) * scale
        low = np.array([r["low"] for r in shown]) * scale
        high = np.array([r["high"] for r in shown]) * scale
        high = np.where(np.isfinite(high), high, est)
        colours = [PALETTE[0] if r["reliable"] else UNRELIABLE for r in shown]
        faces = [PALETTE[0] if r["reliable"] else "white" for r in shown]
        ax.hlines(y, low, high, color=colours, lw=2)
        ax.scatter(est, y, color=faces, edgecolors=colours, zorder=3)
        ax.set_yticks(y, [_format.label(r[variable], language) for r in shown])
        ax.set_xlabel(xlabel)
        ax.set_xlim(left=0)
        axis_numbers(ax, language, "x")
        ax.set_title(title)

    return png(draw, (6.4, 0.42 * len(shown) + 1.3))


def grouped_bars(
    series: Mapping[str, Sequence[Row]],
    variable: str,
    *,
    title: str,
    ylabel: str,
    language: str,
) -> bytes:
    """Draw bars with 95% error bars: a colour per series, groups along ``variable``."""
    names = list(series)

    def draw(ax: Any) -> None:
        groups = [r[variable] for r in series[names[0]]]
        width = 0.8 / len(names)
        for k, name in enumerate(names):
            rows = series[name]
            x = np.arange(len(groups)) + k * width
            est = np.nan_to_num(np.array([r["estimate"] for r in rows]) * 100)
            err = np.array([[r["estimate"] - r["low"], r["high"] - r["estimate"]] for r in rows]).T
            ax.bar(
                x,
                est,
                width,
                label=name,
                yerr=np.nan_to_num(err) * 100,
                capsize=3,
                color=PALETTE[k % len(PALETTE)],
                hatch=("", "//", "..", "xx")[k % 4],
                edgecolor="white",
            )
        ax.set_xticks(
            np.arange(len(groups)) + 0.4 - width / 2, [_format.label(g, language) for g in groups]
        )
        ax.set_ylabel(ylabel)
        axis_numbers(ax, language)
        ax.legend(frameon=False)
        ax.set_title(title)

    return png(draw, (6.4, 3.6))


def scores(
    series: Mapping[str, Sequence[Row]],
    variable: str,
    *,
    title: str,
    ylabel: str,
    language: str,
    top: float = 100.0,
) -> bytes:
    """Draw points with 95% error bars per series (maturity schemes by layer)."""

    def draw(ax: Any) -> None:
        for k, (name, rows) in enumerate(series.items()):
            shown = [r for r in rows if r["n"] > 0 and np.isfinite(r["estimate"])]
            x = np.arange(len(shown)) + (k - 0.5) * 0.25
            est = np.array([r["estimate"] for r in shown])
            err = np.array([[r["estimate"] - r["low"], r["high"] - r["estimate"]] for r in shown])
            ax.errorbar(
                x,
                est,
                yerr=err.T,
                fmt=MARKERS[k % len(MARKERS)],
                capsize=4,
                label=name,
                color=PALETTE[k % len(PALETTE)],
            )
            ax.set_xticks(
                np.arange(len(shown)), [_format.label(r[variable], language) for r in shown]
            )
        ax.set_ylim(0, top)
        ax.set_ylabel(ylabel)
        axis_numbers(ax, language)
        ax.legend(frameon=False)
        ax.set_title(title)

    return png(draw, (6.4, 3.6))


def draw_comparison(ax: Any, rows: Sequence[Row], *, title: str, language: str) -> None:
    """Draw a factsheet's indicators: the domain (blue circles) and national (orange diamonds).

    Rows that do not meet the publication rules are grey and hollow; rows without an
    estimate are left out.
    """
    shown = [r for r in rows if np.isfinite(r["estimate"]) or np.isfinite(r["national"])]
    y = np.arange(len(shown))[::-1].astype(float)
    for k, r in enumerate(shown):
        yk = y[k]
        ax.hlines(yk - 0.15, 100 * r["national_low"], 100 * r["national_high"], color=PALETTE[1])
        ax.plot(100 * r["national"], yk - 0.15, marker="D", color=PALETTE[1], ms=6)
        if np.isfinite(r["estimate"]):
            colour = PALETTE[0] if r["reliable"] else UNRELIABLE
            face = colour if r["reliable"] else "white"
            ax.hlines(yk + 0.15, 100 * r["low"], 100 * r["high"], color=colour, lw=2)
            ax.plot(100 * r["estimate"], yk + 0.15, marker="o", color=colour, mfc=face, ms=7)
    # two lines at most at 8 points: three lines of 10 points ran into the next row's label
    # on a factsheet's page ("slachtoffer in de afgelopen 12 maanden (politieke
    # ambtsdragers)" wraps to two lines of 38)
    names = [textwrap.fill(str(r.get("indicator_label", r["indicator"])), 38) for r in shown]
    ax.set_yticks(y, names)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlim(left=0)
    ax.set_xlabel("%")
    axis_numbers(ax, language, "x")
    ax.grid(axis="x", color="#e5e5e5")
    ax.set_axisbelow(True)
    ax.set_title(textwrap.fill(title, 64), fontsize=10)


def comparison(rows: Sequence[Row], *, title: str, language: str) -> bytes:
    """Return a factsheet's figure as PNG (see :func:`draw_comparison`)."""
    return png(
        lambda ax: draw_comparison(ax, rows, title=title, language=language),
        (7.2, 0.45 * len(rows) + 1.4),
    )
