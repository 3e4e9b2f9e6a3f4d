"""Render :class:`~vpt_monitor.report.content.Content` as one self-contained HTML page.

Every text that comes from the data or the caller (title, labels, notes) is escaped. Numbers
are written in the content's language (:mod:`vpt_monitor._format`). Rows that do not meet
the publication rules are grey, marked † and explained in a footnote under their table (and
on hover). Significant changes carry an arrow as well as a colour, and the colours are the
colour-blind-safe blue and orange of :mod:`vpt_monitor.report.figures`. Wide tables scroll
sideways instead of being cut off.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from typing import Any

from vpt_monitor import _format
from vpt_monitor.report.content import (
    Bullets,
    Content,
    Figure,
    FigureRef,
    Heading,
    Links,
    Paragraph,
    Section,
    Table,
    TableRef,
)
from vpt_monitor.report.text import source_text, text

__all__ = ["CSS", "cell", "page", "table"]

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:980px;color:#1d1d1d;line-height:1.45;padding:0 1rem}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;
border-bottom:2px solid #0072B2;padding-bottom:.2rem}h3{font-size:1.05rem}
.lead{color:#333;font-size:1.05rem}.intro{color:#555}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.6rem 0 .3rem;font-size:.9rem}
th,td{padding:.25rem .6rem;text-align:right;border-bottom:1px solid #ddd;white-space:nowrap}
th.label,td.label{text-align:left;white-space:normal}th{background:#eef3f8}
tr.unreliable td{color:#8a8a8a;background:#f4f4f4}
td .mark{color:#8a8a8a}
.up{color:#a35200;font-weight:600}.down{color:#0072B2;font-weight:600}
figure{margin:1rem 0}figure img{max-width:100%}
.note,.footnotes{font-size:.85rem;color:#555}.footnotes{margin:.1rem 0 1rem}
.synthetic{background:#fff0d6;border:2px solid #a35200;padding:.6rem .9rem;font-weight:600}
.breaks{background:#fff6e0;padding:.4rem .8rem;border-left:4px solid #E69F00}
@media print{.scroll{overflow:visible}h2{break-after:avoid}figure,table{break-inside:avoid}}
"""

DAGGER = "\u2020"
UP, DOWN = "\u25b2", "\u25bc"


def _e(value: Any) -> str:
    return html.escape(str(value))


def _cell_label(row: Mapping[str, Any], variable: str, language: str) -> str:
    given = row.get(f"{variable}_label")
    return str(given) if given is not None else _format.label(row[variable], language)


def _value(value: Any, scale: str, language: str) -> str:
    if scale == "percent":
        return _format.percent(value, language)
    digits = 2 if scale == "rate" else 1
    return _format.number(value, language, digits=digits)


def _bounds(low: Any, high: Any, scale: str, language: str) -> str:
    if scale == "percent":
        return _format.interval(low, high, language)
    digits = 2 if scale == "rate" else 1
    return _format.interval(low, high, language, scale=1.0, digits=digits)


def _head(titles: Sequence[str], labels: int) -> str:
    cells = "".join(
        f'<th class="label">{_e(t)}</th>' if i < labels else f"<th>{_e(t)}</th>"
        for i, t in enumerate(titles)
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _footnotes(notes: Sequence[tuple[str, str]]) -> str:
    if not notes:
        return ""
    items = "<br>".join(f"{DAGGER} {_e(name)}: {_e(note)}" for name, note in notes)
    return f'<p class="footnotes">{items}</p>'


def _estimates(t: Table, language: str) -> str:
    titles = [_format.variable(v, language) for v in t.variables]
    titles += [text("col_estimate", language), text("col_interval", language), "n"]
    body, notes = [], []
    for row in t.rows:
        labels = [_cell_label(row, v, language) for v in t.variables]
        reliable = bool(row["reliable"])
        cls = "" if reliable else ' class="unreliable"'
        title = f' title="{_e(row["note"])}"' if row.get("note") else ""
        mark = "" if reliable else f' <span class="mark">{DAGGER}</span>'
        if not reliable and row.get("note"):
            notes.append((", ".join(labels), str(row["note"])))
        cells = "".join(f'<td class="label">{_e(x)}</td>' for x in labels)
        estimate = _e(_value(row["estimate"], t.scale, language))
        body.append(
            f"<tr{cls}{title}>{cells}<td>{estimate}{mark}</td>"
            f"<td>{_e(_bounds(row['low'], row['high'], t.scale, language))}</td>"
            f"<td>{_e(_format.integer(row['n'], language))}</td></tr>"
        )
    return (
        f'<div class="scroll"><table>{_head(titles, len(t.variables))}'
        f"<tbody>{''.join(body)}</tbody></table></div>{_footnotes(notes)}"
    )


def _arrow(estimate: float, significant: bool) -> tuple[str, str]:
    if not significant:
        return "", ""
    return ("up", f"{UP} ") if estimate > 0 else ("down", f"{DOWN} ")


def _changes(t: Table, language: str) -> str:
    titles = [_format.variable(v, language) for v in t.variables]
    titles += [text("col_change", language), text("col_interval", language), "p (Holm)"]
    body, notes = [], []
    for row in t.rows:
        names = [_cell_label(row, v, language) for v in t.variables]
        labels = "".join(f'<td class="label">{_e(name)}</td>' for name in names)
        cls, arrow = _arrow(row["change"], bool(row["significant"]))
        reliable = bool(row.get("reliable", True))
        mark = "" if reliable else f' <span class="mark">{DAGGER}</span>'
        if not reliable and row.get("note"):
            notes.append((", ".join(names), str(row["note"])))
        shaded = "" if reliable else ' class="unreliable"'
        body.append(
            f'<tr{shaded}>{labels}<td class="{cls}">'
            f"{arrow}{_e(_format.signed(100 * row['change'], language))}{mark}</td>"
            f"<td>{_e(_format.interval(row['low'], row['high'], language))}</td>"
            f"<td>{_e(_format.p_value(row['p_adjusted'], language, prefix=False))}</td></tr>"
        )
    breaks = "".join(f'<p class="breaks">{_e(note)}</p>' for note in t.notes)
    return (
        f'{breaks}<div class="scroll"><table>{_head(titles, len(t.variables))}'
        f"<tbody>{''.join(body)}</tbody></table></div>{_footnotes(notes)}"
    )


def _points(
    value: float, low: float, high: float, p: float, significant: bool, language: str
) -> str:
    cls, arrow = _arrow(value, significant)
    return (
        f'<span class="{cls}">{arrow}{_e(_format.signed(100 * value, language))}</span><br>'
        f"<small>{_e(_format.interval(low, high, language))}; "
        f"{_e(_format.p_value(p, language))}</small>"
    )


def _comparison(t: Table, language: str) -> str:
    from vpt_monitor.report.factsheets import change_footnotes, comparison_titles

    titles = comparison_titles(t, language)
    body, notes = [], []
    for row in t.rows:
        name = _cell_label(row, "indicator", language)
        reliable = bool(row["reliable"])
        cls = "" if reliable else ' class="unreliable"'
        mark = "" if reliable else f' <span class="mark">{DAGGER}</span>'
        if not reliable:
            notes.append((name, str(row.get("note") or "")))
        value = (
            f"{_e(_value(row['estimate'], t.scale, language))}{mark}"
            f"<br><small>{_e(_bounds(row['low'], row['high'], t.scale, language))}</small>"
        )
        national = (
            f"{_e(_value(row['national'], t.scale, language))}"
            "<br><small>"
            f"{_e(_bounds(row['national_low'], row['national_high'], t.scale, language))}"
            "</small>"
        )
        difference = _points(
            row["difference"],
            row["difference_low"],
            row["difference_high"],
            row["p_adjusted"],
            bool(row["significant"]),
            language,
        )
        if row.get("previous_wave") is not None:
            changed = _points(
                row["change"],
                row["change_low"],
                row["change_high"],
                row["change_p_adjusted"],
                bool(row["change_significant"]),
                language,
            )
            if not row.get("change_reliable", True):
                changed += f' <span class="mark">{DAGGER}</span>'
        else:
            changed = _format.MISSING[language]
        body.append(
            f'<tr{cls}><td class="label">{_e(name)}</td><td>{value}</td><td>{national}</td>'
            f"<td>{difference}</td><td>{changed}</td></tr>"
        )
    notes += change_footnotes(t.rows, language)
    return (
        f'<div class="scroll"><table>{_head(titles, 1)}<tbody>{"".join(body)}</tbody></table>'
        f"</div>{_footnotes(notes)}"
    )


def cell(value: Any, kind: str, language: str) -> str:
    """Write one cell of a plain table in the language (see :attr:`Table.columns`)."""
    if kind == "integer":
        return _format.integer(value, language)
    if kind == "number":
        return _format.number(value, language, digits=2)
    if kind == "count":
        return _format.number(value, language, digits=1)
    if kind == "deff":
        return _format.number(value, language, digits=3)
    if kind == "percent":
        return _format.percent(value, language, sign=True)
    return str(value)


def _plain(t: Table, language: str) -> str:
    titles = [_format.variable(v, language) for v in t.variables]
    titles += [title for _, title, _ in t.columns]
    leading = len(t.variables)
    for _, _, kind in t.columns:
        if kind != "text":
            break
        leading += 1
    body = []
    for row in t.rows:
        labels = "".join(
            f'<td class="label">{_e(_cell_label(row, v, language))}</td>' for v in t.variables
        )
        cells = "".join(
            f'<td class="label">{_e(row[key])}</td>'
            if kind == "text"
            else f"<td>{_e(cell(row[key], kind, language))}</td>"
            for key, _, kind in t.columns
        )
        body.append(f"<tr>{labels}{cells}</tr>")
    notes = "".join(f'<p class="note">{_e(note)}</p>' for note in t.notes)
    return (
        f'<div class="scroll"><table>{_head(titles, leading)}'
        f"<tbody>{''.join(body)}</tbody></table></div>{notes}"
    )


def table(t: Table, language: str) -> str:
    """Return the HTML of one table (estimates, changes, a comparison, or plain)."""
    if t.kind == "plain":
        return _plain(t, language)
    if t.kind == "changes":
        return _changes(t, language)
    if t.kind == "comparison":
        return _comparison(t, language)
    return _estimates(t, language)


def image(f: Figure) -> str:
    """Return a figure as an ``<img>`` with its PNG embedded."""
    encoded = base64.b64encode(f.png).decode("ascii")
    return f'<figure><img alt="{_e(f.alt)}" src="data:image/png;base64,{encoded}"></figure>'


def section(s: Section, content: Content, level: int = 2) -> str:
    """Return the HTML of a section and its blocks."""
    anchor = f' id="{_e(s.anchor)}"' if s.anchor else ""
    parts = [f"<h{level}{anchor}>{_e(s.title)}</h{level}>"]
    for block in s.blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{level + 1}>{_e(block.text)}</h{level + 1}>")
        elif isinstance(block, Paragraph):
            cls = f' class="{_e(block.style)}"' if block.style else ""
            parts.append(f"<p{cls}>{_e(block.text)}</p>")
        elif isinstance(block, FigureRef):
            parts.append(image(content.figures[block.name]))
        elif isinstance(block, TableRef):
            parts.append(table(content.tables[block.name], content.language))
        elif isinstance(block, Bullets):
            parts.append("<ul>" + "".join(f"<li>{_e(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Links):
            parts.append(
                '<ul class="links">'
                + "".join(f'<li><a href="{_e(href)}">{_e(t)}</a></li>' for t, href in block.items)
                + "</ul>"
            )
    return "".join(parts)


def page(content: Content, *, css: str = CSS, extra_head: str = "") -> str:
    """Return the whole page: title, banners for synthetic data, sections, notes."""
    banner = (
        f'<p class="synthetic" role="alert">{_e(content.synthetic_note)}</p>'
        if content.synthetic
        else ""
    )
    where = source_text(content.source, content.language)
    source = (
        f'<p class="note">{_e(text("data_source", content.language, source=where))}</p>'
        if content.source and not content.synthetic
        else ""
    )
    sections = "".join(section(s, content) for s in content.sections)
    note = f'<p class="note">{_e(content.method_note)}</p>' if content.method_note else ""
    return (
        f'<!doctype html><html lang="{_e(content.language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(content.title)}</title><style>{css}</style>{extra_head}</head><body>"
        f"<h1>{_e(content.title)}</h1>{banner}"
        f'<p class="intro">{_e(content.intro)}</p>'
        f"{sections}{note}{source}{banner}</body></html>"
    )
