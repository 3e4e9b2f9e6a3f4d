"""The monitor's headline report and factsheets: HTML, figures, CSV, Excel, a summary.

:func:`build_report` computes the headline indicators of :class:`~vpt_monitor.MonitorData`
with the library's own functions and writes, into a new folder, ``index.html`` (figures
embedded), the figures as PNG, one CSV per table in ``tables/`` with ``tables/tables.xlsx``
(one sheet per table) and ``tables/metadata.json``, and ``summary.md``.
:func:`build_factsheets` writes one page per domain (a province, an office, ...) comparing it
with the national figures. :func:`build_weighting_report` writes the report of a weighting
(:meth:`MonitorData.weight <vpt_monitor.MonitorData.weight>`): what was weighted, the weights
before and after, the margins against the population. All write in Dutch unless asked for
English (``language="en"``).

The work is done in three steps that the factsheets share: the content is computed once
(:mod:`~vpt_monitor.report.content`: tables, figures, sections), rendered
(:mod:`~vpt_monitor.report.html`, :mod:`~vpt_monitor.report.markdown`,
:mod:`~vpt_monitor.report.tables`, :mod:`~vpt_monitor.report.pdf`), and written in one place
(:mod:`~vpt_monitor.report.write`): into a hidden folder beside ``out``, moved into place
only when complete. An existing report is replaced only with ``force=True``, atomically
(see :func:`build_report`). A report on synthetic data says so on the page, in the summary,
in a ``synthetic`` column of every table and in the metadata.
"""

from __future__ import annotations

from pathlib import Path

from vpt_monitor.data import MonitorData
from vpt_monitor.report import html, markdown, tables
from vpt_monitor.report.content import Content, Progress, Steps, compute_report
from vpt_monitor.report.factsheets import build_factsheets
from vpt_monitor.report.weighting import build_weighting_report, weighting_files
from vpt_monitor.report.write import (
    MARKER,
    REPORT_MARKERS,
    ReportError,
    check_target,
    write_folder,
)

__all__ = [
    "MARKER",
    "REPORT_MARKERS",
    "ReportError",
    "build_factsheets",
    "build_report",
    "build_weighting_report",
    "check_target",
    "weighting_files",
]


def report_files(content: Content) -> dict[str, bytes]:
    """Render the content of a report as its files: ``{relative path: bytes}``."""
    names = [name for name, t in content.tables.items() if t.rows]
    files: dict[str, bytes] = {
        f"tables/{name}.csv": tables.csv_bytes(content.tables[name], content) for name in names
    }
    workbook = tables.xlsx_bytes(content)
    if workbook is not None:
        files["tables/tables.xlsx"] = workbook
    files["tables/metadata.json"] = tables.metadata_bytes(content, names, workbook is not None)
    files.update({f"{name}.png": f.png for name, f in content.figures.items()})
    files["index.html"] = html.page(content).encode("utf-8")
    files["summary.md"] = markdown.summary(content).encode("utf-8")
    return files


def build_report(
    data: MonitorData,
    out: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    title: str | None = None,
    language: str = "nl",
    started: float | None = None,
) -> Path:
    """Write the headline report of ``data`` into the folder ``out``.

    Parameters
    ----------
    data : MonitorData
        The monitor data (respondents with incidents, and the organisation survey).
    out : path
        Folder to create. It must not exist, unless ``force`` is true.
    force : bool, default False
        Replace an existing report (only after the new one is complete). A folder that is
        not a report (without ``index.html`` and ``summary.md``) is never replaced.
    progress : callable, optional
        Called with a line of text for each step (for example ``print``).
    title : str, optional
        Title of the page; by default "Monitor Integriteit en Veiligheid: kerncijfers"
        (Dutch) or "...: headline report" (English).
    language : {"nl", "en"}, default "nl"
        Language of the page, the summary, the figures and the label columns of the
        tables: Dutch labels and numbers (``26,0%``, ``25,1–27,0``) or English ones.
    started : float, optional
        The ``time.perf_counter()`` from which the progress lines count (``[  4.2s]``):
        a caller that read the data first passes when it began, so the clock runs on.
        By default, now.

    Returns
    -------
    pathlib.Path
        The folder written (absolute), with ``index.html``, ``summary.md``, the figures,
        ``tables/*.csv``, ``tables/tables.xlsx`` and ``tables/metadata.json``.

    Raises
    ------
    ReportError
        If ``out`` exists and ``force`` is false, is not a report folder, is the current
        folder, or the data lack what the report needs.
    OSError
        If the file system refuses (permissions, a full disk); the old report, if any, is
        then still at ``out``.

    Notes
    -----
    The report is written into a hidden folder beside ``out`` and moved into place when
    complete. With ``force``, the old and the new report are exchanged in one atomic step
    where the system allows it (``renameat2(RENAME_EXCHANGE)``, Linux 3.15 and later on
    local file systems), else by two renames, the first undone when the second fails. Either
    way, at every moment either the old or the new report is at ``out``, Ctrl-C and
    termination signals are held back during the exchange, and no hidden folder is left after
    success or failure (unless the system refuses to delete it, which a warning reports, or
    the process is killed outright).

    A report on synthetic data (``data.synthetic``) says so in a banner on the page, in
    ``summary.md``, in ``tables/metadata.json`` and in the ``synthetic`` column that leads
    every table.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from vpt_monitor.report import build_report
    >>> from vpt_monitor.synth import simulate
    >>> folder = build_report(simulate(), pathlib.Path(tempfile.mkdtemp()) / "report")
    >>> sorted(p.name for p in folder.iterdir())[:4]
    ['.vpt-monitor.toml', 'coverage.png', 'index.html', 'maturity.png']
    >>> "Verandering van 2014 naar 2016" in (folder / "index.html").read_text()
    True
    """
    target = check_target(out, force=force)
    steps = Steps(progress, start=started)
    content = compute_report(data, language=language, title=title, steps=steps)
    steps("writing the report")
    files = report_files(content)
    write_folder(target, files, force=force, kind="report")
    steps.done(f"report written to {target}")
    return target
