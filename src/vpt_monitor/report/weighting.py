"""The weighting report: what was weighted, the weights before and after, the margins.

:func:`weighting_content` turns a :class:`~vpt_monitor.weighting.Weighting` (the result of
:meth:`MonitorData.weight <vpt_monitor.MonitorData.weight>`) into the same kind of
:class:`~vpt_monitor.report.content.Content` as the headline report, so that it is rendered
by the same page (:func:`vpt_monitor.report.html.page`). :func:`weighting_files` renders it
as the files of a report folder (``index.html``, ``summary.md``, ``margins.csv``,
``weights.csv``, and ``weights.png`` when matplotlib is installed), and
:func:`build_weighting_report` writes them atomically, as :func:`~vpt_monitor.report.build_report`
does. Dutch by default, English with ``language="en"``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vpt_monitor import _format, vocab
from vpt_monitor.report import html
from vpt_monitor.report.content import (
    Bullets,
    Content,
    Figure,
    FigureRef,
    Paragraph,
    Progress,
    Section,
    Steps,
    Table,
    TableRef,
    synthetic_note,
)
from vpt_monitor.report.markdown import escape
from vpt_monitor.report.text import source_text, text
from vpt_monitor.report.write import check_target, write_folder

if TYPE_CHECKING:
    from vpt_monitor.stats import WeightDiagnostics
    from vpt_monitor.weighting import Weighting

__all__ = ["build_weighting_report", "weighting_content", "weighting_files"]

#: The columns of the weights table: a key of WeightDiagnostics.weights and its format.
WEIGHT_COLUMNS = (
    ("n", "integer"),
    ("weight_sum", "number"),
    ("minimum", "number"),
    ("q1", "number"),
    ("median", "number"),
    ("q3", "number"),
    ("maximum", "number"),
    ("ratio", "number"),
    ("deff", "deff"),
    ("n_effective", "number"),
)
G_COLUMNS = (
    ("minimum", "deff"),
    ("q1", "deff"),
    ("median", "deff"),
    ("q3", "deff"),
    ("maximum", "deff"),
)
_ENUMS: Mapping[str, type[vocab._Labelled]] = {
    "layer": vocab.Layer,
    "office": vocab.Office,
    "group": vocab.Group,
}


def _category(weighting: Weighting, variable: str, code: str, language: str) -> str:
    """Return the label of a category as the page shows it (the code when none is known)."""
    enum = _ENUMS.get(variable)
    if enum is not None:
        try:
            return _format.label(enum(code), language)
        except ValueError:
            return code
    attribute = weighting.data.attributes.get(variable)
    if attribute is not None:
        return _format.label(code, language, attribute=attribute)
    return code


def _variable(weighting: Weighting, variable: str, language: str) -> str:
    return _format.variable(variable, language, attribute=weighting.data.attributes.get(variable))


def _diagnostic_row(d: WeightDiagnostics, when: str) -> dict[str, Any]:
    row: dict[str, Any] = {"weights": when}
    row.update({key: float(d.weights[key][0]) for key, _ in WEIGHT_COLUMNS})
    return row


def _figure(weighting: Weighting, language: str) -> Figure | None:
    """Histograms of the weights before and after, and of the g-weights; None without matplotlib."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return None
    from vpt_monitor.report import figures

    before, after = weighting.before.values, weighting.after.values
    g = weighting.after.g_values
    title = text("weighting_figure", language, wave=weighting.wave)

    def draw(ax: Any) -> None:
        top = float(max(before.max(), after.max()))
        bins = np.linspace(0.0, top * 1.02 if top > 0 else 1.0, 31)
        ax.hist(
            before,
            bins=bins,
            histtype="step",
            linewidth=1.6,
            color=figures.PALETTE[0],
            label=text("weighting_before", language),
        )
        ax.hist(
            after,
            bins=bins,
            histtype="step",
            linewidth=1.6,
            linestyle="--",
            color=figures.PALETTE[1],
            label=text("weighting_after", language),
        )
        ax.set_xlabel(text("weighting_figure_weight", language))
        ax.set_ylabel(text("weighting_figure_count", language))
        ax.legend(frameon=False)
        ax.set_title(title)
        figures.axis_numbers(ax, language, "x")
        if g is not None:
            inset = ax.inset_axes((0.62, 0.45, 0.34, 0.3))
            # g-weights all (nearly) equal - counts that agree with the weights - have no
            # spread for 20 bins: one bin around them
            spread = float(np.ptp(g)) if len(g) else 0.0
            middle = float(np.mean(g)) if len(g) else 1.0
            edges = (
                np.linspace(float(np.min(g)), float(np.max(g)), 21)
                if spread > 1e-9 * max(abs(middle), 1.0)
                else np.array([middle - 0.05, middle + 0.05])
            )
            inset.hist(g, bins=edges, color=figures.PALETTE[2])
            inset.set_title(text("weighting_figure_g", language), fontsize=8)
            inset.tick_params(labelsize=7)
            figures.axis_numbers(inset, language, "x")

    return Figure("weights", title, figures.png(draw, (7.0, 3.8)))


def weighting_content(weighting: Weighting, *, language: str = "nl") -> Content:
    """Compute the weighting report of ``weighting``: its tables, figure and sections.

    Parameters
    ----------
    weighting : Weighting
        The result of :meth:`MonitorData.weight <vpt_monitor.MonitorData.weight>`.
    language : {"nl", "en"}, default "nl"
        Language of the page, the summary, the figure and the tables.

    Returns
    -------
    Content
        Rendered by :func:`vpt_monitor.report.html.page` and :func:`weighting_summary`.

    Examples
    --------
    >>> import io, numpy as np
    >>> from vpt_monitor import MonitorData
    >>> from vpt_monitor.report.weighting import weighting_content
    >>> data = MonitorData.from_columns({"id": ["a", "b", "c", "d"], "wave": [2024] * 4,
    ...     "layer": ["gemeente"] * 4, "office": ["burgemeester", "raadslid", "raadslid",
    ...     "raadslid"]})
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"variable": ["office", "office"],
    ...     "category": ["burgemeester", "raadslid"], "count": [340, 8500]})
    >>> content = weighting_content(data.weight(counts), language="en")
    >>> [row["after"] for row in content.tables["margins"].rows]
    [340.0, 8500.0]
    """
    lang = _format.check_language(language)
    data = weighting.data
    wave = weighting.wave
    before, after = weighting.before, weighting.after
    n = int(before.weights["n"][0])
    variables: list[str] = []
    for margin in weighting.margins:
        if margin["variable"] not in variables:
            variables.append(margin["variable"])
    population = sum(m["population"] for m in weighting.margins if m["variable"] == variables[0])
    tables: dict[str, Table] = {}
    figs: dict[str, Figure] = {}

    low, high = weighting.bounds
    bounded = math.isfinite(low) or math.isfinite(high)
    what = [
        text("weighting_wave", lang, wave=wave),
        text(
            "weighting_method",
            lang,
            method=text(f"weighting_method_{weighting.method}", lang)
            + ("" if weighting.method == "raking" else f" (method={weighting.method!r})"),
        ),
        text(
            "weighting_bounds",
            lang,
            low=_format.number(low, lang, digits=None),
            high=_format.number(high, lang, digits=None),
        )
        if bounded
        else text("weighting_no_bounds", lang),
        text("weighting_population", lang, source=weighting.population or "-"),
    ]
    if data.source:
        what.append(text("weighting_data", lang, source=source_text(data.source, lang)))

    when = {"before": text("weighting_before", lang), "after": text("weighting_after", lang)}
    tables["weights"] = Table(
        name="weights",
        title=text("weighting_weights_table", lang, wave=wave),
        variables=(),
        rows=[
            {**_diagnostic_row(before, "before"), "weights_label": when["before"]},
            {**_diagnostic_row(after, "after"), "weights_label": when["after"]},
        ],
        kind="plain",
        columns=(
            ("weights_label", text("col_weights", lang), "text"),
            *((k, text(f"col_{k}", lang), f) for k, f in WEIGHT_COLUMNS),
        ),
    )
    blocks: list[Any] = [TableRef("weights")]
    if after.g is not None:
        tables["g_weights"] = Table(
            name="g_weights",
            title=text("weighting_g_table", lang),
            variables=(),
            rows=[{k: float(after.g[k][0]) for k, _ in G_COLUMNS}],
            kind="plain",
            columns=tuple((k, text(f"col_{k}", lang), f) for k, f in G_COLUMNS),
        )
        blocks += [Paragraph(text("weighting_g_table", lang)), TableRef("g_weights")]
    figure = _figure(weighting, lang)
    if figure is not None:
        figs[figure.name] = figure
        blocks.append(FigureRef(figure.name))

    rows = []
    for m in weighting.margins:
        pop = float(m["population"])
        rows.append(
            {
                "variable": m["variable"],
                "variable_label": _variable(weighting, m["variable"], lang),
                "category": m["category"],
                "category_label": _category(weighting, m["variable"], m["category"], lang),
                "population": pop,
                "before": float(m["before"]),
                "before_diff": (float(m["before"]) - pop) / pop if pop else float("nan"),
                "after": float(m["after"]),
            }
        )
    tables["margins"] = Table(
        name="margins",
        title=text("weighting_margins", lang),
        variables=(),
        rows=rows,
        kind="plain",
        columns=(
            ("variable_label", text("col_variable", lang), "text"),
            ("category_label", text("col_category", lang), "text"),
            ("population", text("col_population", lang), "count"),
            ("before", text("col_before", lang), "count"),
            ("before_diff", text("col_before_diff", lang), "percent"),
            ("after", text("col_after", lang), "count"),
        ),
    )
    intro = text(
        "weighting_intro",
        lang,
        wave=wave,
        n=_format.integer(n, lang),
        lines=len(weighting.margins),
        variables=", ".join(_variable(weighting, v, lang) for v in variables),
        population=_format.integer(population, lang),
    )
    lead = text(
        "weighting_lead",
        lang,
        before=_format.number(before.deff[0], lang, digits=3),
        after=_format.number(after.deff[0], lang, digits=3),
        n_before=_format.number(before.n_effective[0], lang, digits=1),
        n_after=_format.number(after.n_effective[0], lang, digits=1),
        n=_format.integer(n, lang),
    )
    sections = (
        Section(
            text("weighting_what", lang),
            [Paragraph(lead, "lead"), Bullets(tuple(what))],
            anchor="what",
        ),
        Section(text("weighting_weights", lang), blocks, anchor="weights"),
        Section(
            text("weighting_margins", lang),
            [Paragraph(text("weighting_margins_note", lang, wave=wave)), TableRef("margins")],
            anchor="margins",
        ),
    )
    return Content(
        title=text("weighting_title", lang, wave=wave),
        language=lang,
        intro=intro,
        lead=lead,
        sections=sections,
        tables=tables,
        figures=figs,
        summary=tuple(what),
        synthetic=data.synthetic,
        synthetic_note=synthetic_note(data, lang) if data.synthetic else "",
        source=data.source,
        method_note=text("weighting_method_note", lang),
        metadata={
            "wave": wave,
            "method": weighting.method,
            "bounds": [low, high],
            "population": weighting.population,
            "language": lang,
        },
    )


def _markdown_table(t: Table, language: str) -> list[str]:
    titles = [_format.variable(v, language) for v in t.variables]
    titles += [title for _, title, _ in t.columns]
    lines = [
        "| " + " | ".join(escape(x) for x in titles) + " |",
        "|"
        + "|".join(
            ["---"] * len(t.variables)
            + ["---" if kind == "text" else "---:" for _, _, kind in t.columns]
        )
        + "|",
    ]
    for row in t.rows:
        labels = [str(row.get(f"{v}_label", row[v])) for v in t.variables]
        cells = [
            str(row[key]) if kind == "text" else html.cell(row[key], kind, language)
            for key, _, kind in t.columns
        ]
        lines.append("| " + " | ".join(escape(x) for x in [*labels, *cells]) + " |")
    return lines


def weighting_summary(content: Content, *, data_files: tuple[str, ...] = ()) -> str:
    """Return ``summary.md`` of a weighting report: what, the lead, both tables, the files."""
    lang = content.language
    lines = [f"# {escape(content.title)}", ""]
    if content.synthetic:
        lines += [f"> **{escape(content.synthetic_note)}**", ""]
    lines += [escape(content.intro), "", escape(content.lead), ""]
    lines += [f"- {escape(item)}" for item in content.summary]
    for name in ("weights", "margins"):
        lines += ["", f"## {escape(content.tables[name].title)}", ""]
        lines += _markdown_table(content.tables[name], lang)
    lines += ["", text("weighting_summary_files", lang)]
    if data_files:
        wave = content.metadata["wave"]
        shown = ", ".join(data_files)
        lines += ["", escape(text("weighting_data_files", lang, files=shown, wave=wave))]
    return "\n".join(lines) + "\n"


def _csv(t: Table, keys: list[str]) -> bytes:
    """Write a table as CSV with the codes and full-precision numbers (not the page's rounding)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    for row in t.rows:
        writer.writerow([repr(row[k]) if isinstance(row[k], float) else row[k] for k in keys])
    return buffer.getvalue().encode("utf-8")


def weighting_files(
    weighting: Weighting, *, language: str = "nl", data_files: tuple[str, ...] = ()
) -> dict[str, bytes]:
    """Render the weighting report as files: ``{relative path: bytes}``.

    ``index.html`` (the figure embedded), ``summary.md``, ``margins.csv`` and
    ``weights.csv`` (codes and unrounded numbers), and ``weights.png`` with matplotlib.
    ``data_files`` names the weighted data files written beside the report (by
    ``vpt-monitor weight``), which the summary then lists.
    """
    content = weighting_content(weighting, language=language)
    files = {
        "index.html": html.page(content).encode("utf-8"),
        "summary.md": weighting_summary(content, data_files=data_files).encode("utf-8"),
        "margins.csv": _csv(
            content.tables["margins"],
            ["variable", "category", "population", "before", "after"],
        ),
        "weights.csv": _csv(
            content.tables["weights"], ["weights", *(k for k, _ in WEIGHT_COLUMNS)]
        ),
    }
    files.update({f"{name}.png": f.png for name, f in content.figures.items()})
    return files


def build_weighting_report(
    weighting: Weighting,
    out: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    language: str = "nl",
) -> Path:
    """Write the weighting report of ``weighting`` into the folder ``out``.

    Parameters
    ----------
    weighting : Weighting
        The result of :meth:`MonitorData.weight <vpt_monitor.MonitorData.weight>`.
    out : path
        Folder to create; it must not exist unless ``force`` is true (and then it must be a
        report folder: see :func:`~vpt_monitor.report.check_target`).
    force : bool, default False
        Replace an existing report, atomically, once the new one is complete.
    progress : callable, optional
        Called with a line of text for each step.
    language : {"nl", "en"}, default "nl"
        Language of the page, the summary and the figure.

    Returns
    -------
    pathlib.Path
        The folder written (absolute): ``index.html``, ``summary.md``, ``margins.csv``,
        ``weights.csv`` and, with matplotlib, ``weights.png``.

    Raises
    ------
    ReportError
        If ``out`` exists and may not be replaced.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> from vpt_monitor import MonitorData
    >>> from vpt_monitor.report import build_weighting_report
    >>> data = MonitorData.from_columns({"id": ["a", "b", "c"], "wave": [2024] * 3,
    ...     "layer": ["gemeente"] * 3, "office": ["burgemeester", "raadslid", "raadslid"]})
    >>> counts = pd.DataFrame({"variable": ["office"] * 2,
    ...     "category": ["burgemeester", "raadslid"], "count": [340, 8500]})
    >>> folder = build_weighting_report(data.weight(counts),
    ...                                 pathlib.Path(tempfile.mkdtemp()) / "weging")
    >>> "Marges vergeleken met de populatie" in (folder / "index.html").read_text()
    True
    """
    target = check_target(out, force=force, kind="weighting report")
    steps = Steps(progress)
    steps("writing the weighting report")
    write_folder(
        target,
        weighting_files(weighting, language=language),
        force=force,
        kind="weighting report",
    )
    steps.done(f"weighting report written to {target}")
    return target
