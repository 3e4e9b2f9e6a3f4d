"""Factsheets as one PDF, a page per domain, drawn with matplotlib.

Matplotlib is the PDF backend because it installs from PyPI as wheels on every platform
without system libraries (an HTML-to-PDF converter such as WeasyPrint needs Pango from the
system) and the report already draws its figures with it. Each page holds the same content
as the HTML factsheet: the title, the banner for synthetic data, the comparison table (grey
rows that do not meet the publication rules, with their reasons), the figure and the note on
method.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from vpt_monitor import _format
from vpt_monitor.indicators.change import ASKED_NOT, ASKED_NOT_NL
from vpt_monitor.report import figures
from vpt_monitor.report.content import Content
from vpt_monitor.report.factsheets import change_footnotes
from vpt_monitor.report.text import text

__all__ = ["factsheets_pdf"]

A4 = (8.27, 11.69)
#: Height of a page's figure (a share of the page): room for the labels of every row.
FIGURE_HEIGHT = 0.36
GREY = "#8a8a8a"
#: Margin of the indicators' labels in their cells, a share of the column's width (matplotlib's
#: 0.1 on each side leaves a fifth of the widest column empty).
LABEL_PAD = 0.02
#: Height of a line of the notes (7 points), a share of the page's height.
NOTE_LINE = 0.0115


def _cells(row: Mapping[str, Any], language: str) -> list[str]:
    def points(value: Any, significant: bool) -> str:
        arrow = ("\u25b2 " if value > 0 else "\u25bc ") if significant else ""
        return arrow + _format.signed(100 * value, language)

    mark = "" if row["reliable"] else " \u2020"
    change = (
        points(row["change"], bool(row["change_significant"]))
        + ("" if row.get("change_reliable", True) else " \u2020")
        if row.get("previous_wave") is not None
        else _format.MISSING[language]
    )
    return [
        str(row["indicator_label"]),
        _format.percent(row["estimate"], language) + mark,
        _format.interval(row["low"], row["high"], language),
        _format.percent(row["national"], language),
        points(row["difference"], bool(row["significant"])),
        _format.p_value(row["p_adjusted"], language, prefix=False),
        change,
    ]


def _split_notes(notes: Sequence[str], top: float, bottom: float) -> tuple[list[str], list[str]]:
    """Return the notes' lines that fit between ``top`` and ``bottom``, and the rest.

    A note is wrapped to lines of 130 characters and never split between pages; the
    heights are shares of the page, :data:`NOTE_LINE` a line.
    """
    room = int((top - bottom - 0.01) / NOTE_LINE)
    here: list[str] = []
    later: list[str] = []
    for note in notes:
        lines = textwrap.fill(note, 130).split("\n")
        if not later and len(here) + len(lines) <= room:
            here += lines
        else:
            later += lines
    return here, later


def _headings(headers: Sequence[str]) -> list[str]:
    """Return the table's headings wrapped to their columns, words whole.

    The domain's column wraps at 11 characters, the others at 16; a longer word stays
    whole ("burgemeester" was broken into "burgemeeste" and "r").
    """
    return [
        textwrap.fill(h, 11 if k == 1 else 16, break_long_words=False)
        for k, h in enumerate(headers)
    ]


def _fit_labels(fig: Any, drawn: Any) -> None:
    """Wrap the indicators' labels that are wider than their column; their rows grow.

    "slachtoffer in de afgelopen 12 maanden (politieke ambtsdragers)" was cut at the
    column's edge, leaving the two groups' rows of an indicator alike.
    """
    renderer = fig.canvas.get_renderer()
    cells = drawn.get_celld()
    columns = 1 + max(j for _, j in cells)
    for (i, j), cell in list(cells.items()):
        if i == 0 or j != 0:
            continue
        label = cell.get_text()
        room = cell.get_window_extent(renderer).width * (1.0 - 2 * LABEL_PAD)
        wide = label.get_window_extent(renderer).width
        if wide <= room:
            continue
        words = label.get_text()
        chars = max(10, int(len(words) * room / wide))
        wrapped = textwrap.fill(words, chars)
        while chars > 10 and _width(label, wrapped, renderer) > room:
            chars -= 2
            wrapped = textwrap.fill(words, chars)
        label.set_text(wrapped)
        lines = wrapped.count("\n") + 1
        for k in range(columns):
            other = cells[i, k]
            other.set_height(other.get_height() * (1.0 + 0.75 * (lines - 1)))


def _width(label: Any, value: str, renderer: Any) -> float:
    """Return the width on the page of ``label`` if it said ``value``."""
    before = label.get_text()
    label.set_text(value)
    try:
        return float(label.get_window_extent(renderer).width)
    finally:
        label.set_text(before)


def _change_notes(rows: Sequence[Mapping[str, Any]], language: str) -> list[str]:
    """Return the footnotes of the change column, short enough for the page.

    A method break is said once; the changes from estimates that break the rules are
    counted in one line (their reasons are on the HTML page and in the tables), and the
    changes from a wave that did not ask some forms in one line per such wave, which says
    so, as the page does: not as a publication rule, so that the notes leave room for the
    figure and the method note.
    """
    notes = []
    marked = change_footnotes(rows, language)
    change = text("fs_change", language)
    own = [note for label, note in marked if label.endswith(f"({change})")]
    notes += [
        f"\u2020 {label}: {note}" for label, note in marked if not label.endswith(f"({change})")
    ]
    unasked: dict[str, int] = {}
    rules = 0
    for note in own:
        parts = note.split("; ")
        asked_not = [part for part in parts if ASKED_NOT in part or ASKED_NOT_NL in part]
        for part in asked_not:
            unasked[part] = unasked.get(part, 0) + 1
        rules += len(asked_not) < len(parts)
    if rules:
        key = "fs_change_rules_one" if rules == 1 else "fs_change_rules"
        notes.append("\u2020 " + text(key, language, count=rules))
    for part, count in sorted(unasked.items()):
        key = "fs_change_unasked_one" if count == 1 else "fs_change_unasked"
        notes.append("\u2020 " + text(key, language, note=part, count=count))
    return notes


def _page(pdf: Any, slug: str, content: Content) -> None:
    import matplotlib.pyplot as plt

    lang = content.language
    table = content.tables[slug]
    rows = table.rows
    variable = next(v for v in table.variables if v != "indicator")
    domain = str(rows[0][f"{variable}_label"]) if rows else ""
    fig = plt.figure(figsize=A4)
    try:
        top = 0.965
        fig.text(0.06, top, content.title, fontsize=14, weight="bold", va="top")
        top -= 0.03
        if content.synthetic:
            wrapped = textwrap.fill(content.synthetic_note, 110)
            fig.text(
                0.06,
                top,
                wrapped,
                fontsize=7.5,
                va="top",
                weight="bold",
                bbox={"facecolor": "#fff0d6", "edgecolor": "#a35200", "pad": 4},
            )
            top -= 0.012 * (wrapped.count("\n") + 1) + 0.02
        fig.text(0.06, top, textwrap.fill(content.intro, 120), fontsize=8, va="top", color="#555")
        top -= 0.03
        fig.text(0.06, top, table.title, fontsize=11, weight="bold", va="top")
        top -= 0.015
        previous = rows[0].get("previous_wave") if rows else None
        headers = [
            text("fs_col_indicator", lang),
            domain,
            text("col_interval", lang),
            text("fs_col_national", lang),
            text("fs_col_difference", lang),
            "p (Holm)",
            (
                text("fs_col_change", lang, previous=previous)
                if previous is not None
                else text("fs_no_previous", lang)
            ),
        ]
        headers = _headings(headers)
        height = 0.028 * (len(rows) + 1.6)
        ax = fig.add_axes((0.04, top - height, 0.92, height))
        ax.axis("off")
        cells = [_cells(r, lang) for r in rows]
        drawn = ax.table(
            cellText=cells,
            colLabels=headers,
            loc="upper center",
            cellLoc="right",
            colLoc="center",
            colWidths=[0.38, 0.10, 0.11, 0.08, 0.12, 0.07, 0.12],
        )
        drawn.auto_set_font_size(False)
        drawn.set_fontsize(7)
        drawn.scale(1.0, 1.35)
        for (i, j), cell in drawn.get_celld().items():
            cell.set_edgecolor("#dddddd")
            if i == 0:
                cell.set_facecolor("#eef3f8")
                cell.set_height(cell.get_height() * 2.2)
                cell.get_text().set_fontweight("bold")
                continue
            if j == 0:
                cell.get_text().set_horizontalalignment("left")
                cell._loc = "left"  # type: ignore[attr-defined]  # no public setter
            row = rows[i - 1]
            if j == 0:
                cell.PAD = LABEL_PAD  # the label's own margin (a class attribute by default)
            if not row["reliable"]:
                cell.set_facecolor("#f4f4f4")
                cell.get_text().set_color(GREY)
            elif j == 4 and row["significant"]:
                cell.get_text().set_color("#a35200" if row["difference"] > 0 else "#0072B2")
                cell.get_text().set_fontweight("bold")
            elif j == 6 and row.get("change_significant"):
                cell.get_text().set_color("#a35200" if row["change"] > 0 else "#0072B2")
                cell.get_text().set_fontweight("bold")
        _fit_labels(fig, drawn)
        extent = drawn.get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]
        top = extent.y0 / fig.bbox.height - 0.012
        notes = [f"\u2020 {r['indicator_label']}: {r['note']}" for r in rows if not r["reliable"]]
        notes += _change_notes(rows, lang)
        note = textwrap.fill(content.method_note, 135)
        bottom = 0.035 + 0.0105 * (note.count("\n") + 1) + 0.01  # above the method note
        here, later = _split_notes(notes, top, bottom)
        if here:
            fig.text(0.06, top, "\n".join(here), fontsize=7, va="top", color="#555")
            top -= NOTE_LINE * len(here) + 0.01
        if later or top - bottom < FIGURE_HEIGHT:
            # the notes that do not fit, and the figure, continue on a page of their own,
            # rather than run off the page or be drawn over the method note
            pdf.savefig(fig)
            plt.close(fig)
            fig = plt.figure(figsize=A4)
            continued = f"{content.title} ({text('fs_continued', lang)})"
            fig.text(0.06, 0.965, continued, fontsize=14, weight="bold", va="top")
            top = 0.92
            if later:
                fig.text(0.06, top, "\n".join(later), fontsize=7, va="top", color="#555")
                top -= NOTE_LINE * len(later) + 0.01
            height = top - bottom - 0.03  # the rest of the page: room for the rows' labels
        else:
            height = FIGURE_HEIGHT
        ax = fig.add_axes((0.36, top - height, 0.58, height - 0.04))
        figures.draw_comparison(ax, rows, title=content.figures[slug].alt, language=lang)
        fig.text(0.06, 0.035, note, fontsize=6.5, va="bottom", color="#555")
        pdf.savefig(fig)
    finally:
        plt.close(fig)


def factsheets_pdf(sheets: Sequence[tuple[str, Content]]) -> bytes | None:
    """Return the PDF of the factsheets, a page each; None when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.backends.backend_pdf import PdfPages
    except ImportError:  # pragma: no cover - matplotlib comes with the report extra
        return None
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Creator": "vpt_monitor", "CreationDate": None}) as pdf:
        for slug, content in sheets:
            _page(pdf, slug, content)
    data = buffer.getvalue()
    return data if np.size(data) else None
