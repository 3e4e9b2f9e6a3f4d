"""Render the summary of a :class:`~vpt_monitor.report.content.Content` as Markdown.

Every text from the data or the caller is escaped (:func:`escape`): one line, and no
character that starts markup or HTML.
"""

from __future__ import annotations

import re

from vpt_monitor.report.content import Content
from vpt_monitor.report.text import source_text, text

__all__ = ["escape", "summary"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!#$])")


def escape(value: str) -> str:
    r"""Escape text for Markdown: one line, and no character that starts markup or HTML.

    Examples
    --------
    >>> from vpt_monitor.report.markdown import escape
    >>> print(escape("<b>R&D</b> *1*\n# x"))
    \<b\>R\&D\</b\> \*1\* \# x
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def summary(content: Content, *, files: str | None = None) -> str:
    """Return ``summary.md``: title, lead, changes, what is not measured, the files."""
    lang = content.language
    lines = [f"# {escape(content.title)}", ""]
    if content.synthetic:
        lines += [f"> **{escape(content.synthetic_note)}**", ""]
    lines += [escape(content.lead)]
    if content.summary:
        lines += ["", *(f"- {escape(item)}" for item in content.summary)]
    if content.absent:
        lines += ["", text("absent_summary", lang)]
        lines += [f"- {escape(item)}" for item in content.absent]
    lines += ["", files if files is not None else text("summary_files", lang)]
    if content.source and not content.synthetic:
        lines += ["", escape(text("data_source", lang, source=source_text(content.source, lang)))]
    if content.synthetic:
        lines += ["", f"**{escape(content.synthetic_note)}**"]
    return "\n".join(lines) + "\n"
