"""Factsheets: one page per domain (a province, an office, ...) against the national figures.

:func:`build_factsheets` writes, for every value of a domain variable, a page that compares the
domain with the national figure of the latest wave on every headline indicator the data measure,
within each group (political office holders with political office holders, employees with
employees): the domain's estimate and interval, the national one, the difference with its
interval and Holm-adjusted p-value (over the domains within a group; tested on the full design,
see :mod:`vpt_monitor.report.compare`), and the change since the previous wave. Cells that do
not meet the publication rules are grey, with the reason. The pages are HTML (always) and one
PDF with a page per domain (matplotlib), next to CSV files, an Excel workbook and an index,
written atomically like the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vpt_monitor import _format
from vpt_monitor.data import MonitorData
from vpt_monitor.indicators import (
    NotMeasuredError,
    change,
    consequence_share,
    decision_influence,
    integrity_perception,
    reporting_propensity,
    victimisation,
)
from vpt_monitor.indicators._common import Unit
from vpt_monitor.indicators.change import adjust_p_values, break_note
from vpt_monitor.report import figures
from vpt_monitor.report.compare import (
    compare_with_national,
    domain_name,
    domain_values,
    reusing_stacks,
)
from vpt_monitor.report.content import (
    Content,
    Figure,
    FigureRef,
    Links,
    Paragraph,
    Progress,
    Section,
    Steps,
    Table,
    TableRef,
    base_metadata,
    design_words,
    estimate_rows,
    intro,
    synthetic_note,
)
from vpt_monitor.report.text import change_reason, text
from vpt_monitor.report.text import indicator as indicator_name
from vpt_monitor.report.write import ReportError, check_target, write_folder
from vpt_monitor.stats import EstimateTable
from vpt_monitor.vocab import Channel, Form, Group

__all__ = ["ASKED_OF", "HEADLINES", "build_factsheets", "compute_factsheets"]

Indicator = Callable[..., Any]

#: The headline indicators of a factsheet: ``(key, indicator, options)``; each is a ratio
#: of weighted totals, so that :func:`~vpt_monitor.report.compare.compare_with_national`
#: applies.
HEADLINES: tuple[tuple[str, Indicator, Mapping[str, Any]], ...] = (
    ("victimisation", victimisation, {}),
    ("verbal", victimisation, {"form": Form.VERBAL}),
    ("threat", victimisation, {"form": Form.THREAT}),
    ("physical", victimisation, {"form": Form.PHYSICAL}),
    ("social_media", victimisation, {"channel": Channel.SOCIAL_MEDIA}),
    ("adverse", consequence_share, {}),
    ("reported_internally", reporting_propensity, {"to": "employer"}),
    ("police_report", reporting_propensity, {"to": "police"}),
    ("decision_influence", decision_influence, {}),
    ("perceived_violations", integrity_perception, {}),
)

#: Headline indicators asked of one group only: no row for the other group (it would be
#: empty), and no "(group)" after their names, which say the group already.
ASKED_OF: Mapping[str, Group] = {"decision_influence": Group.POLITICAL}

ALPHA = 0.05


#: Names a page cannot have: the folder's own files, and the device names Windows reserves
#: whatever the extension (``con.html`` cannot be opened or copied there).
_RESERVED = frozenset(
    {"index", "summary", "tables", "factsheets", "figures", "con", "prn", "aux", "nul"}
    | {f"{device}{k}" for device in ("com", "lpt") for k in range(10)}
)


def _slug(value: Any, taken: set[str]) -> str:
    raw = value.value if hasattr(value, "value") else value
    base = re.sub(r"[^a-z0-9]+", "-", str(raw).lower()).strip("-") or "domain"
    if base in _RESERVED:
        base = f"{base}-page"
    slug, k = base, 2
    while slug in taken:
        slug, k = f"{base}-{k}", k + 1
    taken.add(slug)
    return slug


def comparison_titles(table: Table, language: str) -> list[str]:
    """Column titles of a factsheet's comparison table."""
    row = table.rows[0] if table.rows else {}
    variable = next((v for v in table.variables if v != "indicator"), "domain")
    domain = (
        _format.label(row.get(variable), language) if row else _format.variable(variable, language)
    )
    previous = row.get("previous_wave")
    return [
        text("fs_col_indicator", language),
        domain,
        text("fs_col_national", language),
        text("fs_col_difference", language),
        (
            text("fs_col_change", language, previous=previous)
            if previous is not None
            else text("fs_no_previous", language)
        ),
    ]


#: The factsheets compare a domain with the nation within this variable's classes: the
#: political office holders of a province with those of the nation, its employees with the
#: nation's employees (their levels differ too much for a pooled figure to say anything).
WITHIN = "group"


def _within(by: str) -> str | None:
    return None if by == WITHIN else WITHIN


def _present(data: MonitorData, by: str) -> list[tuple[Any, Any]]:
    """Return the pairs (value of ``by``, group) with respondents in the latest wave."""
    within = _within(by)
    values = domain_values(data, by)
    if within is None:
        return [(value, None) for value in values]
    unit = Unit(data)
    groups = unit.labels(within)
    last = data.respondents["wave"] == data.waves[-1]
    codes = unit.column(by)[last].astype(np.int64)
    classes = unit.column(within)[last].astype(np.int64)
    seen = {(int(a), int(b)) for a, b in zip(codes, classes, strict=True) if a >= 0 and b >= 0}
    return [
        (value, group)
        for i, value in enumerate(values)
        for j, group in enumerate(groups)
        if (i, j) in seen
    ]


def _indicator_rows(
    data: MonitorData,
    key: str,
    function: Indicator,
    options: Mapping[str, Any],
    *,
    by: str,
    pairs: Sequence[tuple[Any, Any]],
    language: str,
) -> tuple[list[dict[str, Any]], dict[Any, int]]:
    """One row per (domain value, group) for one indicator (before Holm's adjustment).

    An indicator asked of one group only (:data:`ASKED_OF`) has no rows for the other.
    Also returns the national figure's respondents in the latest wave per group (None
    without ``within``), from the table by wave the rows take the national figure from.
    """
    within = _within(by)
    only = ASKED_OF.get(key)
    if only is not None:  # a pair's group is its class, or the domain itself (by="group")
        pairs = [(v, g) for v, g in pairs if (v if within is None else g) is only]
        if not pairs:
            return [], {}
    waves = data.waves
    last = waves[-1]
    previous = waves[-2] if len(waves) > 1 else None
    extra: tuple[str, ...] = () if within is None else (within,)
    national_table = function(data, by=("wave", *extra) if extra else "wave", **options)
    domain_table = function(data, by=("wave", by, *extra), **options)
    assert isinstance(national_table, EstimateTable)
    assert isinstance(domain_table, EstimateTable)
    n_ci = national_table.confidence_interval()
    domain_rows = {
        (r[by], r.get(within) if within else None): r
        for r in estimate_rows(domain_table, language, where={"wave": last})
    }
    values = tuple(dict.fromkeys(value for value, _ in pairs))
    compared = compare_with_national(
        data, function, by=by, wave=last, domains=values, within=within, **options
    )
    difference_ci = compared.confidence_interval()
    changes = None
    if previous is not None:
        changes = change(domain_table, between=(previous, last), adjust="none")
        change_ci = changes.confidence_interval()
    rows = []
    national_n: dict[Any, int] = {}
    for value, group in pairs:
        label: Any = value if within is None else (value, group)
        i = compared.domains.index(label)
        j = national_table.index(last if within is None else (last, group))
        national_n[group if within else None] = int(national_table.n[j])
        base = domain_rows[(value, group)]
        name = indicator_name(key, language)
        row: dict[str, Any] = {
            by: value,
            **({within: group} if within else {}),
            "indicator": key,
            "indicator_label": (
                name
                if within is None or only is not None
                else f"{name} ({_format.label(group, language)})"
            ),
            "wave": last,
            "estimate": base["estimate"],
            "low": base["low"],
            "high": base["high"],
            "n": base["n"],
            "reliable": base["reliable"],
            "note": base["note"],
            "national": float(national_table.estimate[j]),
            "national_low": float(np.asarray(n_ci.low)[j]),
            "national_high": float(np.asarray(n_ci.high)[j]),
            "difference": float(compared.difference[i]),
            "difference_low": float(np.asarray(difference_ci.low)[i]),
            "difference_high": float(np.asarray(difference_ci.high)[i]),
            "standard_error": float(compared.standard_error[i]),
            "df": float(compared.df[i]),
            "p_value": float(compared.p_value[i]),
            "previous_wave": previous,
        }
        if changes is not None:
            k = changes.rows.index(label)
            assert changes.reliable is not None
            row.update(
                change=float(changes.estimate[k]),
                change_low=float(np.asarray(change_ci.low)[k]),
                change_high=float(np.asarray(change_ci.high)[k]),
                change_p_value=float(changes.p_value[k]),
                # a change across a method break, or from an estimate that breaks a rule,
                # is shown but never called significant; the reason goes in a footnote
                change_reliable=bool(changes.reliable[k]),
                change_note=change_reason(_without_breaks(changes.reasons[k]), language),
                change_breaks="; ".join(break_note(b, language) for b in changes.method_breaks),
            )
        else:
            row.update(
                change=np.nan,
                change_low=np.nan,
                change_high=np.nan,
                change_p_value=np.nan,
                change_reliable=False,
                change_note="",  # the column's title says there is no earlier wave
                change_breaks="",
            )
        rows.append(row)
    return rows, national_n


def _without_breaks(reasons: str) -> str:
    """Return a change's reasons without its method breaks (the footnotes say those once)."""
    return "; ".join(
        part for part in reasons.split("; ") if part and not part.startswith("method break ")
    )


def change_footnotes(rows: Sequence[Mapping[str, Any]], language: str) -> list[tuple[str, str]]:
    """Footnotes of the changes not called significant for a reason: ``(rows, reason)``.

    A method break between the two waves is said once, for every change; then one footnote
    per row whose estimates break a publication rule or have no variance. None without an
    earlier wave (the column's title says so).
    """
    compared = [row for row in rows if row.get("previous_wave") is not None]
    notes = []
    breaks = {str(row.get("change_breaks") or "") for row in compared} - {""}
    for note in sorted(breaks):
        what = text("fs_change_all", language)
        notes.append((what, f"{text('fig_break', language)} {note}"))
    change = text("fs_change", language)
    for row in compared:
        if not row.get("change_reliable", True) and row.get("change_note"):
            notes.append((f"{row['indicator_label']} ({change})", str(row["change_note"])))
    return notes


def _adjust(rows: list[dict[str, Any]]) -> None:
    """Holm across ``rows`` (the domains of one group and indicator), each question apart."""
    for p_key, adjusted_key, flag, estimate in (
        ("p_value", "p_adjusted", "significant", "difference"),
        ("change_p_value", "change_p_adjusted", "change_significant", "change"),
    ):
        adjusted = adjust_p_values(np.array([r[p_key] for r in rows], dtype=float), "holm")
        for r, p in zip(rows, adjusted, strict=True):
            r[adjusted_key] = float(p)
            reliable = r["reliable"] if flag == "significant" else r["change_reliable"]
            r[flag] = bool(p < ALPHA and reliable and np.isfinite(r[estimate]))


def compute_factsheets(
    data: MonitorData,
    *,
    by: str = "province",
    language: str = "nl",
    steps: Steps | None = None,
) -> tuple[Content, list[tuple[str, Content]]]:
    """Compute the index and one content per domain value of ``by``.

    Returns the index's content and ``(file name stem, content)`` per domain, in the order of
    the domain values.
    """
    lang = _format.check_language(language)
    step = steps or Steps(None)
    if len(data) == 0:
        raise ReportError(
            f"the data hold no respondents: factsheets compare respondents by {by} with the "
            "national figures; give a respondents file (the headline report shows an "
            "organisations file alone)"
        )
    by = domain_name(data, by)  # "Province" is "province"
    values = domain_values(data, by)
    if not values:
        raise ReportError(f"the data have no values of {by!r} to make factsheets of")
    waves = data.waves
    last = waves[-1]
    previous = waves[-2] if len(waves) > 1 else None
    spec = data.attributes.get(by)
    variable_title = _format.variable(by, lang, attribute=spec)
    within = _within(by)
    pairs = _present(data, by)
    declared = values
    values = tuple(dict.fromkeys(value for value, _ in pairs))
    if not values:
        raise ReportError(f"the data have no values of {by!r} in {last} to make factsheets of")
    without_page = tuple(v for v in declared if v not in values)
    unknown = _unknown(data, by)
    per_value: dict[Any, list[dict[str, Any]]] = {v: [] for v in values}
    national: list[dict[str, Any]] = []
    absent: list[str] = []
    with reusing_stacks():  # every indicator compares on the same stacked data
        for key, function, options in HEADLINES:
            step(f"comparing {key} by {by} with the national figure")
            try:
                rows, national_n = _indicator_rows(
                    data, key, function, options, by=by, pairs=pairs, language=lang
                )
            except NotMeasuredError:
                absent.append(indicator_name(key, lang))
                continue
            for row in rows:
                per_value[row[by]].append(row)
            # Holm over the domains within a group: the claims "this province differs from the
            # nation" that one indicator makes for the group's people
            by_group: dict[Any, list[dict[str, Any]]] = {}
            for row in rows:
                by_group.setdefault(row.get(within) if within else None, []).append(row)
            for group, group_rows in by_group.items():
                _adjust(group_rows)
                first = group_rows[0]
                national.append(
                    {
                        **({within: group} if within else {}),
                        "indicator": key,
                        "indicator_label": first["indicator_label"],
                        "wave": last,
                        "estimate": first["national"],
                        "low": first["national_low"],
                        "high": first["national_high"],
                        "n": national_n[group],
                        "reliable": True,
                        "note": "",
                    }
                )
    if not national:
        raise ReportError("the data measure none of the factsheets' headline indicators")
    metadata = base_metadata(
        data, lang, text("fs_index_title", lang, variable=variable_title, wave=last)
    )
    metadata["by"] = by
    metadata["by_label"] = variable_title  # in the page's language: "provincie"
    metadata["without_page"] = [str(getattr(v, "value", v)) for v in without_page]
    metadata["unknown"] = unknown  # respondents of the latest wave without a value of ``by``
    taken: set[str] = set()
    sheets: list[tuple[str, Content]] = []
    for value in values:
        slug = _slug(value, taken)
        domain = _format.label(value, lang, attribute=spec)
        heading = domain[:1].upper() + domain[1:]  # "Mayor: ..." in a title
        rows = per_value[value]
        table = Table(
            slug,
            text("fs_section", lang, domain=heading, wave=last),
            (by, *((within,) if within else ()), "indicator"),
            [{**r, f"{by}_label": domain} for r in rows],
            kind="comparison",
        )
        figure = Figure(
            slug,
            text("fs_figure", lang, domain=domain, wave=last),
            figures.comparison(
                rows, title=text("fs_figure", lang, domain=domain, wave=last), language=lang
            ),
        )
        explain = text(
            "fs_explain",
            lang,
            domain=domain,
            variable=variable_title,
            wave=last,
            previous=previous if previous is not None else text("fs_no_previous", lang),
        )
        sheets.append(
            (
                slug,
                Content(
                    title=text("fs_title", lang, domain=heading, wave=last),
                    language=lang,
                    intro=intro(data, lang),
                    lead=_lead(rows, domain, lang),
                    sections=(
                        Section(
                            text("fs_section", lang, domain=heading, wave=last),
                            [
                                Paragraph(explain),
                                TableRef(slug),
                                FigureRef(slug),
                                Links(((text("fs_back", lang), "index.html"),)),
                            ],
                            slug,
                        ),
                    ),
                    tables={slug: table},
                    figures={slug: figure},
                    summary=tuple(_summary_lines(rows, domain, lang)),
                    absent=tuple(absent),
                    synthetic=data.synthetic,
                    synthetic_note=synthetic_note(data, lang) if data.synthetic else "",
                    source=data.source,
                    method_note=text(
                        "fs_method", lang, domain=domain, design=design_words(data, lang)
                    ),
                    metadata=metadata,
                ),
            )
        )
    national_table = Table(
        "national",
        text("fs_national", lang, wave=last),
        (*((within,) if within else ()), "indicator"),
        national,
    )
    links = tuple(
        (content.tables[slug].rows[0][f"{by}_label"], f"{slug}.html") for slug, content in sheets
    )
    # the pages, the values of ``by`` without one and the respondents in none, in words
    lead = " ".join(
        [
            text("fs_index_lead", lang, variable=variable_title, count=len(sheets)),
            *_left_out(without_page, unknown, variable_title, last, lang, spec),
        ]
    )
    index = Content(
        title=text("fs_index_title", lang, variable=variable_title, wave=last),
        language=lang,
        intro=intro(data, lang),
        lead=lead,
        sections=(
            Section(text("fs_pages", lang), [Paragraph(lead, "lead"), Links(links)], "pages"),
            Section(text("fs_national", lang, wave=last), [TableRef("national")], "national"),
        ),
        tables={"national": national_table},
        figures={},
        summary=tuple(line for _, c in sheets for line in c.summary),
        absent=tuple(absent),
        synthetic=data.synthetic,
        synthetic_note=synthetic_note(data, lang) if data.synthetic else "",
        source=data.source,
        method_note=text(
            "fs_method_index", lang, variable=variable_title, design=design_words(data, lang)
        ),
        metadata=metadata,
    )
    return index, sheets


def _unknown(data: MonitorData, by: str) -> int:
    """Count the respondents of the latest wave whose value of ``by`` is unknown."""
    last = data.respondents["wave"] == data.waves[-1]
    return int(np.count_nonzero(Unit(data).column(by)[last] < 0))


def _left_out(
    without_page: Sequence[Any],
    unknown: int,
    variable: str,
    wave: int,
    language: str,
    spec: Any,
) -> list[str]:
    """Say which values of the domain variable have no page, and who is on none."""
    said = []
    if without_page:
        names = [_format.label(v, language, attribute=spec) for v in without_page]
        listed = names[0]
        if len(names) > 1:
            listed = ", ".join(names[:-1]) + text("design_and", language) + names[-1]
        said.append(text("fs_without_page", language, domains=listed, wave=wave))
    if unknown:
        said.append(
            text(
                "fs_unknown_one" if unknown == 1 else "fs_unknown",
                language,
                count=_format.integer(unknown, language),
                variable=variable,
                wave=wave,
            )
        )
    return said


def _lead(rows: Sequence[Mapping[str, Any]], domain: str, language: str) -> str:
    lines = _summary_lines(rows, domain, language)
    return "; ".join(lines)


def _summary_lines(rows: Sequence[Mapping[str, Any]], domain: str, language: str) -> list[str]:
    lines = []
    for r in rows:
        if r["significant"]:
            lines.append(
                text(
                    "fs_summary_line",
                    language,
                    domain=domain,
                    indicator=r["indicator_label"],
                    direction=text("fs_higher" if r["difference"] > 0 else "fs_lower", language),
                    difference=_format.signed(100 * r["difference"], language),
                    p=_format.p_value(r["p_adjusted"], language),
                )
            )
    return lines or [text("fs_summary_none", language, domain=domain)]


def factsheet_files(
    index: Content, sheets: Sequence[tuple[str, Content]], *, pdf: bool = True
) -> dict[str, bytes]:
    """Render the factsheets as files: pages, figures, PDF, tables, summary."""
    from vpt_monitor.report import html, markdown, tables

    lang = index.language
    files: dict[str, bytes] = {}
    pdf_bytes = None
    if pdf:
        from vpt_monitor.report.pdf import factsheets_pdf

        pdf_bytes = factsheets_pdf(sheets)
    if pdf_bytes is not None:
        files["factsheets.pdf"] = pdf_bytes
    else:
        index = _without_pdf(index, str(index.metadata.get("by_label", "")))
    for slug, content in sheets:
        files[f"{slug}.html"] = html.page(content).encode("utf-8")
        files[f"figures/{slug}.png"] = content.figures[slug].png
    files["index.html"] = html.page(index).encode("utf-8")
    everything = Table(
        "factsheets",
        index.title,
        sheets[0][1].tables[sheets[0][0]].variables,
        [row for slug, c in sheets for row in c.tables[slug].rows],
        kind="comparison",
    )
    combined = Content(
        title=index.title,
        language=lang,
        intro=index.intro,
        lead=index.lead,
        sections=(),
        tables={
            "factsheets": everything,
            "national": index.tables["national"],
            **{slug: c.tables[slug] for slug, c in sheets},
        },
        figures={},
        synthetic=index.synthetic,
        synthetic_note=index.synthetic_note,
        source=index.source,
        metadata=index.metadata,
    )
    names = ["factsheets", "national"]
    for name in names:
        files[f"tables/{name}.csv"] = tables.csv_bytes(combined.tables[name], combined)
    workbook = tables.xlsx_bytes(combined)
    if workbook is not None:
        files["tables/tables.xlsx"] = workbook
    files["tables/metadata.json"] = tables.metadata_bytes(combined, names, workbook is not None)
    variable_title = str(index.metadata.get("by_label", ""))
    files["summary.md"] = markdown.summary(
        index, files=text("fs_summary_files", lang, variable=variable_title)
    ).encode("utf-8")
    return files


def _without_pdf(index: Content, variable_title: str) -> Content:
    """Return the index without its mention of the PDF (the lead, and where it is shown)."""
    import attrs

    links = [b for s in index.sections for b in s.blocks if isinstance(b, Links)]
    count = len(links[0].items) if links else 0
    words = {"variable": variable_title, "count": count}
    with_pdf = text("fs_index_lead", index.language, **words)
    lead = index.lead.replace(with_pdf, text("fs_index_lead_no_pdf", index.language, **words))
    sections = tuple(
        attrs.evolve(
            s,
            blocks=[
                Paragraph(lead, b.style) if isinstance(b, Paragraph) and b.text == index.lead else b
                for b in s.blocks
            ],
        )
        for s in index.sections
    )
    return attrs.evolve(index, lead=lead, sections=sections)


def build_factsheets(
    data: MonitorData,
    *,
    by: str = "province",
    out: str | Path,
    language: str = "nl",
    force: bool = False,
    pdf: bool = True,
    progress: Progress | None = None,
    started: float | None = None,
) -> Path:
    r"""Write one factsheet per value of ``by`` into the folder ``out``.

    Parameters
    ----------
    data : MonitorData
        The monitor data.
    by : str, default "province"
        The domain variable: ``"province"``, ``"office"``, ``"group"``, ``"layer"``, any
        attribute of the respondents (``"gender"``, ``"municipality_size"``, a declared one),
        in any case (``"Province"``).
    out : path
        Folder to create; it must not exist, unless ``force`` is true (and then it must be
        a report or factsheets folder, with ``index.html`` and ``summary.md``).
    language : {"nl", "en"}, default "nl"
        Language of the pages, the PDF and the label columns.
    force : bool, default False
        Replace an existing folder of factsheets (atomically, as
        :func:`~vpt_monitor.report.build_report`).
    pdf : bool, default True
        Also write ``factsheets.pdf``, a page per domain, drawn with matplotlib.
    progress : callable, optional
        Called with a line of text for each step.
    started : float, optional
        The ``time.perf_counter()`` from which the progress lines count (see
        :func:`~vpt_monitor.report.build_report`); by default, now.

    Returns
    -------
    pathlib.Path
        The folder written: ``index.html``, one ``<domain>.html`` per domain value (the
        code, such as ``utrecht.html``), ``factsheets.pdf``, ``figures/*.png``,
        ``tables/factsheets.csv`` (all pages, one row per domain and indicator),
        ``tables/national.csv``, ``tables/tables.xlsx``, ``tables/metadata.json`` and
        ``summary.md``.

    Raises
    ------
    ReportError
        For the folder problems of :func:`~vpt_monitor.report.build_report`, or data
        without respondents or without any headline indicator.
    ValueError
        If ``by`` is not a domain variable of the respondents.

    Notes
    -----
    Every page compares the domain with the national figure of the latest wave on each
    headline indicator (``HEADLINES`` in this module) the data measure, within each group:
    the domain's political office holders with the nation's political office holders, its
    employees with the nation's employees (a row each; with ``by="group"`` the groups
    themselves are the domains). A figure that pooled the two groups would compare a domain
    with a mixture of populations whose levels differ several-fold. The national figure
    includes the domain, so the difference and its variance are estimated on the full design
    with the covariance between the two: every respondent counted in their domain and in the
    nation, on the same strata, PSUs and second-stage units (the full linearisation of
    :math:`\hat\theta_d - \hat\theta`, as R's ``svycontrast``); with a calibrated or given
    design, through the domain against the rest of the country (see
    :mod:`vpt_monitor.report.compare`). The p-values are adjusted with Holm's method across
    the domains (the provinces) within a group, per indicator - the claims "this province
    differs from the nation" that one indicator makes for one group - separately for the
    difference from the national figure and for the change since the previous wave. Rows
    that do not meet the publication rules are grey, give their reason, and are never marked
    significant.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from vpt_monitor.report import build_factsheets
    >>> from vpt_monitor.synth import simulate
    >>> folder = build_factsheets(simulate(waves=(2014, 2016), scale=0.2), by="group",
    ...                           out=pathlib.Path(tempfile.mkdtemp()) / "sheets", pdf=False)
    >>> sorted(p.name for p in folder.glob("*.html"))
    ['index.html', 'medewerker.html', 'politiek-ambtsdrager.html']
    """
    target = check_target(out, force=force, kind="factsheets")
    steps = Steps(progress, start=started)
    index, sheets = compute_factsheets(data, by=by, language=language, steps=steps)
    steps("writing the factsheets")
    files = factsheet_files(index, sheets, pdf=pdf)
    write_folder(target, files, force=force, kind="factsheets")
    steps.done(f"factsheets written to {target}")
    return target
