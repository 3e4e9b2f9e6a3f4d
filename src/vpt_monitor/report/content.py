"""What a report says, computed once: tables, figures and sections, before any rendering.

:func:`compute_report` runs the monitor's indicators on the data and returns a
:class:`Content`: plain tables (rows of domain values as in the data, with estimates,
intervals, counts and the publication-rule verdict), figures as PNG bytes, and sections that
say in which order to show them, all in one language. The renderers
(:mod:`vpt_monitor.report.html`, :mod:`~vpt_monitor.report.markdown`,
:mod:`~vpt_monitor.report.tables`) turn it into the page, the summary, the CSV files and the
Excel workbook; the factsheets (:mod:`vpt_monitor.report.factsheets`) build the same kind of
content and use the same renderers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from vpt_monitor import _format
from vpt_monitor.data import MonitorData
from vpt_monitor.indicators import (
    AGGRESSION_SCHEME,
    INTEGRITY_SCHEME,
    NotMeasuredError,
    change,
    decision_influence,
    integrity_perception,
    policy_coverage,
    policy_maturity,
    reporting_propensity,
    victimisation,
    violation_rate,
)
from vpt_monitor.indicators._common import unweighted_waves
from vpt_monitor.indicators.change import (
    METHOD_BREAKS,
    ChangeTable,
    break_note,
    method_breaks,
    question_note,
    questionnaire_differences,
)
from vpt_monitor.report import figures
from vpt_monitor.report.text import change_reason, reason, text
from vpt_monitor.report.write import ReportError
from vpt_monitor.stats import Estimate, EstimateTable
from vpt_monitor.stats.results import FLAGS
from vpt_monitor.vocab import Channel, Group, Measure

__all__ = [
    "Bullets",
    "Content",
    "Figure",
    "FigureRef",
    "Heading",
    "Links",
    "Paragraph",
    "Section",
    "Table",
    "TableRef",
    "compute_report",
    "estimate_rows",
]

Progress = Callable[[str], None]

#: The measures the 2016 letter quotes.
LETTER_MEASURES = (
    Measure.RISK_ANALYSIS,
    Measure.FUNCTION_SEPARATION,
    Measure.CERTIFICATE_OF_CONDUCT,
    Measure.VIOLATION_REGISTRATION,
    Measure.SIDE_JOBS_REGISTER,
)

Row = Mapping[str, Any]


def _row_tuple(rows: Iterable[Row]) -> tuple[Row, ...]:
    return tuple(rows)


@attrs.frozen
class Table:
    """A table of the report: rows of domain values and what was estimated for them.

    Attributes
    ----------
    name : str
        File name without extension (``victimisation_by_wave_group``); also the key in
        :attr:`Content.tables`.
    title : str
        Title in the content's language.
    variables : tuple of str
        The domain variables, in order (``("wave", "group")``); each row has a value of
        each, as in the data (vocabulary members, waves as ints).
    rows : tuple of mapping
        One mapping per row: the domain variables, then the columns of ``kind``.
    kind : {"estimates", "changes", "comparison", "plain"}
        Estimates: ``estimate``, ``low``, ``high``, ``n``, ``reliable``, ``note``. Changes:
        ``first_wave``, ``last_wave``, ``change``, ``standard_error``, ``low``, ``high``,
        ``p_value``, ``p_adjusted``, ``significant``, ``reliable``, ``note`` (why a
        change is not called significant). Comparison (factsheets): see
        :mod:`vpt_monitor.report.factsheets`. Plain (the weighting report): the columns
        that ``columns`` lists.
    scale : {"percent", "score", "rate"}
        How estimates are written: shares as percentages, scores and rates as numbers.
    notes : tuple of str
        Notes shown with the table (method breaks).
    columns : tuple of (str, str, str)
        For ``kind="plain"``: ``(key, title, format)`` of each column after the domain
        variables, ``format`` one of "integer", "count" (one decimal), "number" (two),
        "deff" (three), "percent" (a share) or "text" (left-aligned, as given).
    """

    name: str
    title: str
    variables: tuple[str, ...]
    rows: tuple[Row, ...] = attrs.field(converter=_row_tuple)
    kind: str = "estimates"
    scale: str = "percent"
    notes: tuple[str, ...] = ()
    columns: tuple[tuple[str, str, str], ...] = ()


@attrs.frozen
class Figure:
    """A figure: its file name (without ``.png``), a text alternative and the PNG bytes."""

    name: str
    alt: str
    png: bytes = attrs.field(repr=False)


@attrs.frozen
class Heading:
    """A sub-heading inside a section."""

    text: str


@attrs.frozen
class Paragraph:
    """A paragraph; ``style`` is "", "lead", "note" or "breaks" (a method-break warning)."""

    text: str
    style: str = ""


@attrs.frozen
class FigureRef:
    """Show the figure ``name`` here."""

    name: str


@attrs.frozen
class TableRef:
    """Show the table ``name`` here."""

    name: str


@attrs.frozen
class Bullets:
    """A list of short items."""

    items: tuple[str, ...]


@attrs.frozen
class Links:
    """A list of links: ``(text, relative address)`` pairs."""

    items: tuple[tuple[str, str], ...]


Block = Heading | Paragraph | FigureRef | TableRef | Bullets | Links


def _block_tuple(blocks: Iterable[Block]) -> tuple[Block, ...]:
    return tuple(blocks)


@attrs.frozen
class Section:
    """A section of the page: a title and its blocks, in order."""

    title: str
    blocks: tuple[Block, ...] = attrs.field(converter=_block_tuple)
    anchor: str = ""


@attrs.frozen
class Content:
    """Everything a report (or a set of factsheets) shows, in one language.

    Attributes
    ----------
    title, language : str
        Title of the page and its language ("nl" or "en").
    intro : str
        What the data are (waves, numbers of respondents).
    lead : str
        The headline sentence.
    sections : tuple of Section
        The page, in order.
    tables, figures : mapping
        By name; every table and figure a section refers to.
    summary : tuple of str
        Bullet points of ``summary.md`` after the lead (changes, method breaks).
    absent : tuple of str
        What the data do not measure (left out, not shown as 0).
    synthetic : bool
        Whether the data are simulated; said on the page, in the summary and every table.
    synthetic_note, source, method_note : str
        The banner text for synthetic data, where the data came from, and the note on
        method at the bottom of the page.
    metadata : mapping
        Written to ``tables/metadata.json``.
    """

    title: str
    language: str
    intro: str
    lead: str
    sections: tuple[Section, ...]
    tables: Mapping[str, Table]
    figures: Mapping[str, Figure]
    summary: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    synthetic: bool = False
    synthetic_note: str = ""
    source: str = ""
    method_note: str = ""
    metadata: Mapping[str, Any] = attrs.field(factory=dict)


class Steps:
    """Announce each step of a long computation; report its time when over a second.

    Every line starts with the time since ``start`` (by default, now), as ``[  1.2s]``; a
    command that read its data first passes the time it began, so the clock runs on.
    """

    def __init__(self, progress: Progress | None, start: float | None = None) -> None:
        self.progress = progress
        self.start = time.perf_counter() if start is None else start
        self.current: tuple[str, float] | None = None

    def _say(self, now: float, message: str) -> None:
        if self.progress:
            self.progress(f"[{now - self.start:5.1f}s] {message}")

    def __call__(self, name: str) -> None:
        self.finish()
        now = time.perf_counter()
        self.current = (name, now)
        self._say(now, f"{name} ...")

    def finish(self) -> None:
        if self.current:
            name, began = self.current
            now = time.perf_counter()
            if now - began > 1.0:
                self._say(now, f"{name}: took {now - began:.1f}s")
        self.current = None

    def done(self, message: str) -> None:
        self.finish()
        self._say(time.perf_counter(), message)


def estimate_rows(
    result: Estimate | EstimateTable,
    language: str,
    *,
    fixed: Mapping[str, Any] | None = None,
    where: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Return one row per domain of ``result``: its domain values and the estimate.

    ``fixed`` adds domain values to every row (the wave of an estimate for one wave);
    ``where`` keeps the rows with those values (``{"wave": 2016}``). The ``note`` says, in
    ``language``, why a row does not meet the publication rules.
    """
    fixed = dict(fixed or {})
    rows: list[dict[str, Any]] = []
    if isinstance(result, Estimate):
        interval = result.confidence_interval()
        ok, why = result.reliability()
        rows.append(
            {
                **fixed,
                "estimate": result.estimate,
                "low": interval.low,
                "high": interval.high,
                "n": result.n,
                "reliable": ok,
                "note": "; ".join(reason(w, language) for w in why),
            }
        )
    else:
        names = result.by or ("domain",)
        ci = result.confidence_interval()
        ok_all, why_all = result.reliability()
        unasked = np.asarray(result.flag_array)[:, FLAGS.index("not_measured")]
        low, high = np.asarray(ci.low), np.asarray(ci.high)
        for i, label in enumerate(result.domains):
            parts = label if isinstance(label, tuple) and len(names) > 1 else (label,)
            rows.append(
                {
                    **fixed,
                    **dict(zip(names, parts, strict=True)),
                    "estimate": float(result.estimate[i]),
                    "low": float(low[i]),
                    "high": float(high[i]),
                    "n": int(result.n[i]),
                    "reliable": bool(ok_all[i]),
                    "note": (
                        text("not_asked", language)
                        if unasked[i]
                        else "; ".join(reason(w, language) for w in why_all[i])
                    ),
                }
            )
    if where:
        rows = [r for r in rows if all(r.get(k) == v for k, v in where.items())]
    return rows


def change_rows(table: ChangeTable, language: str = "en") -> list[dict[str, Any]]:
    """Return one row per row of a change table, with its domain values.

    ``reliable`` and ``note`` say, in ``language``, why a change is not called significant
    (a wave's estimate that breaks a publication rule or has no variance, forms one wave
    did not ask, a method break).
    """
    ci = table.confidence_interval()
    names = table.by or ("domain",)
    assert table.reliable is not None
    rows = []
    for i, label in enumerate(table.rows):
        parts = label if isinstance(label, tuple) and len(names) > 1 else (label,)
        rows.append(
            {
                **dict(zip(names, parts, strict=True)),
                "first_wave": table.between[0],
                "last_wave": table.between[1],
                "change": float(table.estimate[i]),
                "standard_error": float(table.standard_error[i]),
                "low": float(np.asarray(ci.low)[i]),
                "high": float(np.asarray(ci.high)[i]),
                "p_value": float(table.p_value[i]),
                "p_adjusted": float(table.p_adjusted[i]),
                "significant": bool(table.significant()[i]),
                "reliable": bool(table.reliable[i]),
                "note": change_reason(table.reasons[i], language) if table.reasons else "",
            }
        )
    return rows


def break_sentences(breaks: Sequence[str], language: str) -> list[str]:
    """Say the method breaks between the two waves of a change, in one sentence (or none)."""
    if not breaks:
        return []
    notes = "; ".join(break_note(b, language) for b in breaks)
    if len(breaks) == 1:
        return [text("method_break", language, note=notes)]
    return [text("method_breaks", language, notes=notes)]


def summary_changes(
    change_rows: Sequence[Mapping[str, Any]],
    group_rows: Sequence[Mapping[str, Any]],
    language: str,
) -> list[str]:
    """Return the summary's line for each group's change, in words.

    A group the data do not hold in any wave has no line; one without respondents in either
    wave of the change (or without an estimate for another reason) is said to have no
    estimate, and why - never "n.a. points (n.a.; adjusted n.a.)".
    """
    lines = []
    for row in change_rows:
        group, first, last = row["group"], row["first_wave"], row["last_wave"]
        held = {r["wave"] for r in group_rows if r["group"] is group and r["n"] > 0}
        if not held:
            continue
        domain = _format.label(group, language)
        words: dict[str, Any] = {"first": first, "last": last, "domain": domain}
        if np.isfinite(row["change"]):
            # not comparable or not publishable: marked, with the reasons (a method break
            # is said once for all, beside these lines)
            breaks = text("fig_break", language)
            why = [
                part
                for part in str(row.get("note") or "").split("; ")
                if part and not part.startswith(breaks)
            ]
            mark = f" † {'; '.join(why)}" if not row.get("reliable", True) and why else ""
            if not np.isfinite(row["low"]):
                key = "summary_change_untested"
            else:  # a census's exact change has an interval (of width 0) but no test
                key = (
                    "summary_change" if np.isfinite(row["p_adjusted"]) else "summary_change_no_test"
                )
            lines.append(
                text(
                    key,
                    language,
                    **words,
                    change=_format.signed(100 * row["change"], language),
                    interval=_format.interval(row["low"], row["high"], language),
                    p=_format.p_value(row["p_adjusted"], language),
                )
                + mark
            )
            continue
        missing = [str(w) for w in (first, last) if w not in held]
        if missing:
            waves = text("design_and", language).join(missing)
            lines.append(text("summary_change_absent", language, **words, waves=waves))
        else:
            lines.append(text("summary_change_none", language, **words))
    return lines


def span(first: int, last: int) -> str:
    """Return the waves a section covers: ``"2014-2016"``, or ``"2016"`` for one wave."""
    return str(first) if first == last else f"{first}-{last}"


def lead_text(group_rows: Sequence[Mapping[str, Any]], wave: int, language: str) -> str:
    """Return the report's lead: each group's share in ``wave``, in words.

    A group without respondents in the wave is said to be absent (never shown as "n.a."),
    and a share that does not meet the publication rules carries † and its reasons.
    """
    parts: list[str] = []
    after: list[str] = []
    for group in (Group.POLITICAL, Group.EMPLOYEE):
        name = _format.label(group, language)
        row = next((r for r in group_rows if r["group"] is group and r["wave"] == wave), None)
        if row is None or row["n"] == 0 or not np.isfinite(row["estimate"]):
            after.append(text("lead_absent", language, group=name, wave=wave))
            continue
        parts.append(
            text(
                "lead_part",
                language,
                share=_format.percent(row["estimate"], language),
                mark="" if row["reliable"] else "†",
                group=name,
                interval=_format.interval(row["low"], row["high"], language),
            )
        )
        if not row["reliable"]:
            after.append(text("lead_unreliable", language, group=name, reasons=row["note"] or "?"))
    if not parts:
        return text("lead_none", language, wave=wave)
    first = text("lead", language, wave=wave, parts=text("lead_and", language).join(parts))
    return " ".join([first, *after])


def design_words(data: MonitorData, language: str) -> str:
    """Name what the respondents' design holds: weights, strata, clusters, fpc.

    The page says what the estimates respected, not what a design could hold: a file
    without weights (or with a weight column passed over) is called unweighted. Data
    without respondents (an organisations file alone) are named by the organisations' design.
    """
    if len(data):
        design, waves = data.design, data.waves
    else:
        design, waves = data.organisation_design, data.organisation_waves
    weighted = bool(np.ptp(np.asarray(design.weights)) > 0)
    held = [
        text(key, language)
        for key, has in (
            ("design_weights", weighted),
            ("design_strata", design.n_strata > len(waves)),  # more than the waves
            ("design_clusters", design.n_psu < design.n),
            ("design_fpc", design.fpc is not None),
        )
        if has
    ]
    listed = ", ".join(held[:-1]) + text("design_and", language) + held[-1] if held else ""
    if len(held) == 1:
        listed = held[0]
    if weighted:
        flat = unweighted_waves(data) if len(data) else []
        if not flat:
            return listed
        # a wave delivered without weights (all 1) beside weighted ones: its estimates,
        # and the changes from or to it, do not stand for the population as the others do
        shown = text("design_and", language).join(str(w) for w in flat)
        key = "design_unweighted_waves" + ("_many" if len(flat) > 1 else "")
        return f"{listed}; {text(key, language, waves=shown)}"
    unweighted = text("design_unweighted", language)
    return f"{unweighted}; {listed}" if listed else unweighted  # the note stands apart


def synthetic_note(data: MonitorData, language: str) -> str:
    """Return the banner of a report on simulated data."""
    return text("synthetic", language, source=data.source or "vpt_monitor.synth.simulate")


def intro(data: MonitorData, language: str) -> str:
    """Return the waves and numbers of respondents, incidents and organisations, in words."""
    orgs = data.organisations["wave"].shape[0]
    if len(data) == 0:  # an organisations file alone
        return text(
            "intro_organisations_only",
            language,
            waves=", ".join(map(str, data.organisation_waves)),
            count=_format.integer(orgs, language),
        )
    return text(
        "intro",
        language,
        waves=", ".join(map(str, data.waves)),
        respondents=_format.integer(len(data), language),
        incidents=_format.integer(data.n_incidents, language),
        organisations=(
            text("intro_organisations", language, count=_format.integer(orgs, language))
            if orgs
            else ""
        ),
    )


def _version() -> str:
    import vpt_monitor

    return str(vpt_monitor.__version__)


@attrs.define
class _Parts:
    """What a report gathers while its indicators run: tables, figures, sections and notes."""

    data: MonitorData
    language: str
    tables: dict[str, Table] = attrs.field(factory=dict)
    figures: dict[str, Figure] = attrs.field(factory=dict)
    sections: list[Section] = attrs.field(factory=list)
    absent: list[str] = attrs.field(factory=list)
    summary: list[str] = attrs.field(factory=list)

    def add(self, table: Table) -> str:
        """Keep ``table``; return its name."""
        self.tables[table.name] = table
        return table.name

    def figure(self, name: str, alt: str, png: bytes) -> str:
        """Keep a figure; return its name."""
        self.figures[name] = Figure(name, alt, png)
        return name

    def measured(self, what: str, indicator: Callable[..., Any], **options: Any) -> Any:
        """Return ``indicator(data, **options)``, or None (noting ``what``) if not measured."""
        try:
            return indicator(self.data, **options)
        except NotMeasuredError:
            self.absent.append(what)
            return None


def compute_report(
    data: MonitorData,
    *,
    language: str = "nl",
    title: str | None = None,
    steps: Steps | None = None,
) -> Content:
    """Compute the headline report of ``data``: its tables, figures and sections.

    Data without respondents (an organisations file alone) give the sections on the
    organisations' policy; the lead and the list of what is not in the data say that the
    sections on respondents are absent.

    Raises
    ------
    ReportError
        If the data hold neither respondents nor organisations, or have respondents but do
        not measure victimisation.
    """
    lang = _format.check_language(language)
    step = steps or Steps(None)
    has_orgs = data.organisations["wave"].shape[0] > 0
    if len(data) == 0 and not has_orgs:
        raise ReportError(
            "the data hold no respondents and no organisations: give a respondents file, or an "
            "organisations file with records"
        )
    title = text("title", lang) if title is None else title
    parts = _Parts(data, lang)
    if len(data):
        lead = _respondent_sections(parts, step)
    else:
        lead = text("lead_no_respondents", lang)
        parts.absent.append(text("not_measured_respondents", lang))
    _policy_sections(parts, step)
    sections = parts.sections
    if parts.absent:
        sections.append(
            Section(
                text("section_absent", lang),
                [Paragraph(text("absent_intro", lang)), Bullets(tuple(parts.absent))],
                "absent",
            )
        )
    if not len(data):  # the lead opens the page, as the trend's does on respondents
        opening = sections[0]
        sections[0] = attrs.evolve(opening, blocks=(Paragraph(lead, "lead"), *opening.blocks))
    metadata = base_metadata(data, lang, title)
    return Content(
        title=title,
        language=lang,
        intro=intro(data, lang),
        lead=lead,
        sections=tuple(sections),
        tables=parts.tables,
        figures=parts.figures,
        summary=tuple(parts.summary),
        absent=tuple(parts.absent),
        synthetic=data.synthetic,
        synthetic_note=synthetic_note(data, lang) if data.synthetic else "",
        source=data.source,
        method_note=text("method_note", lang, design=design_words(data, lang))
        + " "
        + text(f"lonely_{data.lonely_psu}", lang),
        metadata=metadata,
    )


def _respondent_sections(parts: _Parts, step: Steps) -> str:
    """Add the sections on the respondents (aggression, reporting, integrity); return the lead."""
    data, lang = parts.data, parts.language
    waves = data.waves
    first, last = waves[0], waves[-1]
    previous = waves[-2] if len(waves) > 1 else None
    # every line over the waves is broken at the method breaks between the waves shown
    breaks = [k for k in sorted(METHOD_BREAKS) if first <= k[0] and k[1] <= last]

    def over_waves(name: str, rows: list[dict[str, Any]], title: str, axis: str) -> str:
        """Add the figure of ``rows`` by group over the waves (``title``, ``axis``: text keys)."""
        return parts.figure(
            name,
            text(title, lang),
            figures.series_over_waves(
                rows,
                "group",
                waves,
                title=text(title, lang),
                ylabel=text(axis, lang),
                language=lang,
                breaks=breaks,
            ),
        )

    step("estimating victimisation by wave and group")
    try:
        by_group = victimisation(data, by=("wave", "group"))
    except NotMeasuredError as error:
        raise ReportError(f"the headline report needs victimisation: {error}") from None
    assert isinstance(by_group, EstimateTable)
    group_rows = estimate_rows(by_group, lang)
    trend_title = text("section_aggression", lang, span=span(first, last))
    parts.add(Table("victimisation_by_wave_group", trend_title, ("wave", "group"), group_rows))
    over_waves("trend", group_rows, "fig_trend_title", "fig_victimised")

    lead = lead_text(group_rows, last, lang)
    trend_blocks: list[Block] = [Paragraph(lead, "lead")]
    shown_breaks = method_breaks(first, last)
    # the waves shown are not all comparable: say where and why, in one sentence on the
    # page and in the summary alike
    notes = "; ".join(break_note(b, lang) for b in shown_breaks)
    said_breaks = [text("trend_breaks", lang, notes=notes)] if shown_breaks else []
    # waves that left forms out of a group's questionnaire count fewer forms (the change
    # table marks the changes; the table and figure by wave are compared by eye as well)
    groups = sorted({row["group"] for row in group_rows}, key=list(Group).index)
    differences = questionnaire_differences(
        by_group.notes.get("not_asked_by_group") or {}, groups, waves
    )
    if differences:
        # one mention of a wave's forms left out of every group's questionnaire
        whose: dict[str, list[str]] = {}
        for part in differences.split("; "):
            what, _, group = part.partition(" (")
            whose.setdefault(what, []).append(group)
        mentions = [
            what if len(found) == len(groups) or not found[0] else f"{what} ({group}"
            for what, found in whose.items()
            for group in (found[:1] if len(found) == len(groups) else found)
        ]
        asked = "; ".join(question_note(part, lang) for part in mentions)
        said_breaks.append(text("trend_questions", lang, notes=asked))
    trend_blocks += [Paragraph(said, "breaks") for said in said_breaks]
    trend_blocks += [FigureRef("trend"), TableRef("victimisation_by_wave_group")]
    parts.sections.append(Section(trend_title, trend_blocks, "aggression"))
    parts.summary += said_breaks

    step("comparing with the previous wave")
    if previous is not None:
        changes = change(by_group, between=(previous, last))
        change_breaks = break_sentences(changes.method_breaks, lang)
        name = parts.add(
            Table(
                f"change_by_group_{previous}_{last}",
                text("section_change", lang, first=previous, last=last),
                ("group",),
                change_rows(changes, lang),
                kind="changes",
                notes=(text("change_intervals", lang), *change_breaks),
            )
        )
        parts.sections.append(
            Section(
                text("section_change", lang, first=previous, last=last),
                [TableRef(name)],
                "change",
            )
        )
        parts.summary += summary_changes(parts.tables[name].rows, group_rows, lang)
        parts.summary += change_breaks

    step("estimating victimisation by office")
    by_office = victimisation(data, by=("wave", "office"))
    assert isinstance(by_office, EstimateTable)
    office_rows = estimate_rows(by_office, lang, where={"wave": last})
    offices = parts.add(
        Table(
            f"victimisation_by_office_{last}",
            text("section_offices", lang, wave=last),
            ("wave", "office"),
            office_rows,
        )
    )
    parts.figure(
        "offices",
        text("fig_offices_title", lang, wave=last),
        figures.forest(
            office_rows,
            "office",
            title=text("fig_offices_title", lang, wave=last),
            xlabel=text("fig_victimised", lang),
            language=lang,
        ),
    )
    office_blocks: list[Block] = [FigureRef("offices"), TableRef(offices)]
    social = parts.measured(
        text("not_measured_social", lang),
        victimisation,
        channel=Channel.SOCIAL_MEDIA,
        by=("wave", "group"),
    )
    parts.sections.append(
        Section(text("section_offices", lang, wave=last), office_blocks, "offices")
    )
    if social is not None:
        social_rows = estimate_rows(social, lang)
        social_title = text("section_social", lang, span=span(first, last))
        parts.add(Table("social_media_by_wave_group", social_title, ("wave", "group"), social_rows))
        over_waves("social_media", social_rows, "fig_social_title", "fig_social_axis")
        parts.sections.append(
            Section(
                social_title,
                [FigureRef("social_media"), TableRef("social_media_by_wave_group")],
                "social-media",
            )
        )

    step("estimating reporting, consequences and integrity")
    reporting: dict[str, list[dict[str, Any]]] = {}
    reporting_blocks: list[Block] = []
    for to, key in (("employer", "reported_internally"), ("police", "police_report")):
        what = text(key, lang)
        result = parts.measured(
            text("not_measured_reporting", lang, what=what),
            reporting_propensity,
            to=to,
            by=("wave", "group"),
        )
        if result is not None:
            rows = estimate_rows(result, lang, where={"wave": last})
            reporting[what] = rows
            # a heading begins with a capital, as every other heading of the page does; the
            # figure's legend keeps the label as it is
            title = f"{what[:1].upper()}{what[1:]}, {last}"
            name = parts.add(Table(f"reporting_{to}_{last}", title, ("wave", "group"), rows))
            reporting_blocks += [Heading(title), TableRef(name)]
    if reporting:
        parts.figure(
            "reporting",
            text("fig_reporting_title", lang, wave=last),
            figures.grouped_bars(
                reporting,
                "group",
                title=text("fig_reporting_title", lang, wave=last),
                ylabel=text("fig_reporting_axis", lang),
                language=lang,
            ),
        )
        reporting_blocks.insert(0, FigureRef("reporting"))
    influence = parts.measured(text("not_measured_influence", lang), decision_influence, by="wave")
    if influence is not None:
        influence_title = text("section_influence", lang, span=span(first, last))
        parts.add(
            Table(
                "decision_influence_by_wave",
                influence_title,
                ("wave",),
                estimate_rows(influence, lang),
            )
        )
        reporting_blocks += [Heading(influence_title), TableRef("decision_influence_by_wave")]
    if reporting_blocks:
        parts.sections.append(
            Section(text("section_reporting", lang, wave=last), reporting_blocks, "reporting")
        )
    perception = parts.measured(
        text("not_measured_perceived", lang), integrity_perception, by=("wave", "group")
    )
    if perception is not None:
        perceived_rows = estimate_rows(perception, lang)
        perceived_title = text("section_perceived", lang, span=span(first, last))
        parts.add(
            Table(
                "perceived_violations_by_wave_group",
                perceived_title,
                ("wave", "group"),
                perceived_rows,
            )
        )
        over_waves(
            "perceived_violations", perceived_rows, "fig_perceived_title", "fig_perceived_axis"
        )
        parts.sections.append(
            Section(
                text("section_integrity", lang),
                [
                    Heading(perceived_title),
                    FigureRef("perceived_violations"),
                    TableRef("perceived_violations_by_wave_group"),
                ],
                "integrity",
            )
        )

    return lead


def _policy_sections(parts: _Parts, step: Steps) -> None:
    """Add the sections on the organisations' policy, or say that the data lack them."""
    data, lang = parts.data, parts.language
    has_orgs = data.organisations["wave"].shape[0] > 0
    if not has_orgs:
        # an organisations file was read (named in the source) but held no records
        read = "organisations=" in data.source
        parts.absent.append(
            text("not_measured_organisations_empty" if read else "not_measured_organisations", lang)
        )
    if has_orgs:
        step("estimating policy coverage and maturity")
        org_last = data.organisation_waves[-1]
        policy_blocks: list[Block] = []
        coverage: list[dict[str, Any]] = []
        for measure in LETTER_MEASURES:
            share = parts.measured(
                text("not_measured_policy", lang, measure=_format.label(measure, lang)),
                policy_coverage,
                measure=measure,
                wave=org_last,
            )
            if share is not None:
                coverage += estimate_rows(share, lang, fixed={"wave": org_last, "measure": measure})
        if coverage:
            coverage_title = text("section_coverage", lang, wave=org_last)
            name = parts.add(
                Table(f"policy_coverage_{org_last}", coverage_title, ("wave", "measure"), coverage)
            )
            parts.figure(
                "coverage",
                text("fig_coverage_title", lang, wave=org_last),
                figures.forest(
                    coverage,
                    "measure",
                    title=text("fig_coverage_title", lang, wave=org_last),
                    xlabel=text("fig_coverage_axis", lang),
                    language=lang,
                ),
            )
            policy_blocks += [Heading(coverage_title), FigureRef("coverage"), TableRef(name)]
        maturity: dict[str, list[dict[str, Any]]] = {}
        maturity_blocks: list[Block] = []
        for scheme in (INTEGRITY_SCHEME, AGGRESSION_SCHEME):
            scheme_name = text(f"scheme_{scheme.name}", lang)
            result = parts.measured(
                text("not_measured_maturity", lang, scheme=scheme_name),
                policy_maturity,
                scheme=scheme,
                by=("wave", "layer"),
            )
            if result is not None:
                rows = estimate_rows(result, lang, where={"wave": org_last})
                maturity[scheme_name] = rows
                heading = text("section_maturity", lang, scheme=scheme_name, wave=org_last)
                name = parts.add(
                    Table(
                        f"maturity_{scheme.name}_by_layer_{org_last}",
                        heading,
                        ("wave", "layer"),
                        rows,
                        scale="score",
                    )
                )
                maturity_blocks += [Heading(heading), TableRef(name)]
        if maturity:
            parts.figure(
                "maturity",
                text("fig_maturity_title", lang),
                figures.scores(
                    maturity,
                    "layer",
                    title=text("fig_maturity_title", lang),
                    ylabel=text("fig_maturity_axis", lang),
                    language=lang,
                ),
            )
            policy_blocks += [FigureRef("maturity"), *maturity_blocks]
        rate = parts.measured(
            text("not_measured_violations", lang), violation_rate, by=("wave", "layer")
        )
        if rate is not None:
            violation_rows = estimate_rows(rate, lang, where={"wave": org_last})
            heading = text("section_violations", lang, wave=org_last)
            name = parts.add(
                Table(
                    f"violations_per_1000_by_layer_{org_last}",
                    heading,
                    ("wave", "layer"),
                    violation_rows,
                    scale="rate",
                )
            )
            parts.figure(
                "violations",
                text("fig_violations_title", lang, wave=org_last),
                figures.forest(
                    violation_rows,
                    "layer",
                    title=text("fig_violations_title", lang, wave=org_last),
                    xlabel=text("fig_violations_axis", lang),
                    language=lang,
                    kind="rate",
                ),
            )
            policy_blocks += [Heading(heading), FigureRef("violations"), TableRef(name)]
        if policy_blocks:
            parts.sections.append(
                Section(text("section_policy", lang, wave=org_last), policy_blocks, "policy")
            )


def base_metadata(data: MonitorData, language: str, title: str) -> dict[str, Any]:
    """Return the metadata that every report and set of factsheets writes."""
    return {
        "synthetic": data.synthetic,
        "source": data.source,
        "title": title,
        "language": language,
        "waves": list(data.waves),
        "organisation_waves": list(data.organisation_waves),
        "lonely_psu": data.lonely_psu,
        "generator": f"vpt_monitor {_version()}",
    }
