"""The monitor's headline report: a self-contained HTML page, figures, CSV tables and a summary.

:func:`build_report` computes the headline indicators of :class:`~vpt_monitor.MonitorData`
with the library's own functions, draws the figures with matplotlib, and writes, into a new
folder, ``index.html`` (figures embedded), one CSV per table in ``tables/`` with
``tables/metadata.json``, and ``summary.md``. A report on synthetic data says so on the page,
in the summary, in a ``synthetic`` column of every table and in the metadata.

The folder is written atomically: the report is written into a hidden folder beside ``out``
and moved into place only when complete. An existing report is replaced only with
``force=True``, by exchanging the two folders in one step where the system can
(``renameat2(RENAME_EXCHANGE)`` on Linux), else by two renames that are undone when the second
fails; at every moment either the old or the new report is at ``out``, and no hidden folder is
left behind (see :func:`build_report`).
"""

from __future__ import annotations

import base64
import contextlib
import csv
import ctypes
import errno
import functools
import html
import io
import json
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

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
from vpt_monitor.stats import Estimate, EstimateTable
from vpt_monitor.vocab import Group, Measure

__all__ = ["ReportError", "build_report", "check_target"]

Progress = Callable[[str], None]

LETTER_MEASURES = (
    Measure.RISK_ANALYSIS,
    Measure.FUNCTION_SEPARATION,
    Measure.CERTIFICATE_OF_CONDUCT,
    Measure.VIOLATION_REGISTRATION,
    Measure.SIDE_JOBS_REGISTER,
)


class ReportError(RuntimeError):
    """The report cannot be written (for example, the output folder exists).

    Examples
    --------
    >>> import tempfile
    >>> from vpt_monitor.report import ReportError, build_report
    >>> from vpt_monitor.synth import simulate
    >>> try:
    ...     build_report(simulate(waves=(2016,)), tempfile.mkdtemp())
    ... except ReportError as error:
    ...     print(str(error).endswith("pass force=True (--force)"))
    True
    """


class _Steps:
    """Announce each step; report its time when it took more than a second."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.start = time.perf_counter()
        self.current: tuple[str, float] | None = None

    def __call__(self, name: str) -> None:
        self.finish()
        self.current = (name, time.perf_counter())
        if self.progress:
            self.progress(f"[{time.perf_counter() - self.start:5.1f}s] {name} ...")

    def finish(self) -> None:
        if self.current and self.progress:
            name, began = self.current
            took = time.perf_counter() - began
            if took > 1.0:
                self.progress(f"        {name}: {took:.1f}s")
        self.current = None


def _text(label: Hashable) -> str:
    if isinstance(label, tuple):
        return ", ".join(_text(p) for p in label)
    if isinstance(label, StrEnum) and hasattr(label, "label"):
        return str(label.label)
    return str(label)


def _rows(
    result: EstimateTable | Estimate, name: str = "all", wave: int | None = None
) -> list[dict[str, Any]]:
    """Return records of a result with its wave, readable labels and a mark for unreliable cells.

    A table by ``("wave", ...)`` gives each row its wave and the rest of the label as the
    domain; otherwise ``wave`` is the wave of every row.
    """
    if isinstance(result, Estimate):
        interval = result.confidence_interval()
        single_ok, single_why = result.reliability()
        return [
            {
                "wave": wave,
                "domain": name,
                "estimate": result.estimate,
                "low": interval.low,
                "high": interval.high,
                "n": result.n,
                "reliable": single_ok,
                "note": "; ".join(single_why),
            }
        ]
    ci = result.confidence_interval()
    ok, why = result.reliability()
    by_wave = bool(result.by) and result.by[0] == "wave"
    rows = []
    for i, label in enumerate(result.domains):
        row_wave, rest = wave, label
        if by_wave:
            parts = label if isinstance(label, tuple) else (label,)
            row_wave = int(parts[0])
            rest = parts[1:] if len(parts) > 2 else parts[1] if len(parts) == 2 else "all"
        rows.append(
            {
                "wave": row_wave,
                "domain": _text(rest),
                "estimate": float(result.estimate[i]),
                "low": float(np.asarray(ci.low)[i]),
                "high": float(np.asarray(ci.high)[i]),
                "n": int(result.n[i]),
                "reliable": bool(ok[i]),
                "note": "; ".join(why[i]),
            }
        )
    return rows


def _wave_rows(table: EstimateTable, wave: int) -> list[dict[str, Any]]:
    """Return the rows of one wave of a table by (wave, ...)."""
    return [row for row in _rows(table) if row["wave"] == wave]


def _figure_png(draw: Callable[[Any], None], size: tuple[float, float]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size, dpi=110)
    draw(ax)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _trend_figure(table: EstimateTable, waves: Sequence[int]) -> bytes:
    def draw(ax: Any) -> None:
        ci = table.confidence_interval()
        for group, colour in ((Group.POLITICAL, "#b03a2e"), (Group.EMPLOYEE, "#1f4e79")):
            idx = [table.index((w, group)) for w in waves]
            est = table.estimate[idx] * 100
            low = np.asarray(ci.low)[idx] * 100
            high = np.asarray(ci.high)[idx] * 100
            ax.plot(waves, est, marker="o", color=colour, label=group.label)
            ax.fill_between(waves, low, high, color=colour, alpha=0.18)
        ax.set_ylabel("victimised in past 12 months (%)")
        ax.set_xticks(list(waves))
        ax.set_ylim(bottom=0)
        ax.legend(frameon=False)
        ax.set_title("Victimisation by group, with 95% intervals")

    return _figure_png(draw, (6.4, 3.6))


def _forest_figure(rows: list[dict[str, Any]], title: str, xlabel: str) -> bytes:
    shown = [r for r in rows if r["n"] > 0]

    def draw(ax: Any) -> None:
        y = np.arange(len(shown))[::-1]
        est = np.array([r["estimate"] for r in shown]) * 100
        low = np.array([r["low"] for r in shown]) * 100
        high = np.array([r["high"] for r in shown]) * 100
        colours = ["#1f4e79" if r["reliable"] else "#9e9e9e" for r in shown]
        ax.hlines(y, low, high, color=colours, lw=2)
        ax.scatter(est, y, color=colours, zorder=3)
        ax.set_yticks(y, [r["domain"] for r in shown])
        ax.set_xlabel(xlabel)
        ax.set_xlim(left=0)
        ax.set_title(title)

    return _figure_png(draw, (6.4, 0.45 * len(shown) + 1.2))


def _grouped_bars(series: dict[str, list[dict[str, Any]]], title: str, ylabel: str) -> bytes:
    def draw(ax: Any) -> None:
        names = list(series)
        groups = [r["domain"] for r in series[names[0]]]
        width = 0.8 / len(names)
        for k, name in enumerate(names):
            rows = series[name]
            x = np.arange(len(groups)) + k * width
            est = np.array([r["estimate"] for r in rows]) * 100
            err = np.array([[r["estimate"] - r["low"], r["high"] - r["estimate"]] for r in rows])
            ax.bar(x, est, width, label=name, yerr=err.T * 100, capsize=3)
        ax.set_xticks(np.arange(len(groups)) + 0.4 - width / 2, groups)
        ax.set_ylabel(ylabel)
        ax.legend(frameon=False)
        ax.set_title(title)

    return _figure_png(draw, (6.4, 3.6))


def _maturity_figure(series: dict[str, list[dict[str, Any]]]) -> bytes:
    def draw(ax: Any) -> None:
        for k, (name, rows) in enumerate(series.items()):
            shown = [r for r in rows if r["n"] > 0]
            x = np.arange(len(shown)) + (k - 0.5) * 0.25
            est = np.array([r["estimate"] for r in shown])
            err = np.array([[r["estimate"] - r["low"], r["high"] - r["estimate"]] for r in shown])
            ax.errorbar(x, est, yerr=err.T, fmt="o", capsize=4, label=name)
            ax.set_xticks(np.arange(len(shown)), [r["domain"] for r in shown])
        ax.set_ylim(0, 100)
        ax.set_ylabel("mean maturity score (0-100)")
        ax.legend(frameon=False)
        ax.set_title("Policy maturity by layer, with 95% intervals")

    return _figure_png(draw, (6.4, 3.6))


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:980px;color:#1d1d1d;line-height:1.45;padding:0 1rem}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;
border-bottom:2px solid #1f4e79;padding-bottom:.2rem}
.lead{color:#555}table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.9rem}
th,td{padding:.25rem .6rem;text-align:right;border-bottom:1px solid #ddd}
th:first-child,td:first-child{text-align:left}th{background:#f2f5f9}
tr.unreliable td{color:#8a8a8a}tr.unreliable td:first-child::after{content:" \\2020"}
.up{color:#b03a2e}.down{color:#2e7d32}figure{margin:1rem 0}figure img{max-width:100%}
.note{font-size:.85rem;color:#555}.synthetic{background:#fde8e8;border:2px solid #b03a2e;
padding:.6rem .9rem;font-weight:600}.breaks{background:#fff6e0;padding:.4rem .8rem;
border-left:4px solid #e0a800}
"""


def _percent(value: float) -> str:
    return "-" if not np.isfinite(value) else f"{100 * value:.1f}"


def _html_estimates(rows: list[dict[str, Any]], scale: str = "percent") -> str:
    fmt = _percent if scale == "percent" else (lambda v: "-" if not np.isfinite(v) else f"{v:.1f}")
    head = "<tr><th>wave</th><th>domain</th><th>estimate</th><th>95% interval</th><th>n</th></tr>"
    body = []
    for r in rows:
        cls = "" if r["reliable"] else ' class="unreliable"'
        title = f' title="{html.escape(r["note"])}"' if r["note"] else ""
        body.append(
            f"<tr{cls}{title}><td>{r['wave']}</td><td>{html.escape(r['domain'])}</td>"
            f"<td>{fmt(r['estimate'])}</td>"
            f"<td>{fmt(r['low'])} - {fmt(r['high'])}</td><td>{r['n']}</td></tr>"
        )
    return f"<table>{head}{''.join(body)}</table>"


def _html_change(table: Any) -> str:
    ci = table.confidence_interval()
    head = "<tr><th>domain</th><th>change (points)</th><th>95% interval</th><th>p (Holm)</th></tr>"
    body = []
    for i, row in enumerate(table.rows):
        est = table.estimate[i]
        significant = table.p_adjusted[i] < 0.05
        cls = ("up" if est > 0 else "down") if significant else ""
        arrow = ("&#9650; " if est > 0 else "&#9660; ") if significant else ""
        body.append(
            f'<tr><td>{html.escape(_text(row))}</td><td class="{cls}">{arrow}'
            f"{_percent(est)}</td><td>{_percent(np.asarray(ci.low)[i])} - "
            f"{_percent(np.asarray(ci.high)[i])}</td><td>{table.p_adjusted[i]:.3g}</td></tr>"
        )
    breaks = "".join(
        f'<p class="breaks">Method break: {html.escape(b)}</p>' for b in table.method_breaks
    )
    return f"{breaks}<table>{head}{''.join(body)}</table>"


def _csv_bytes(rows: list[dict[str, Any]], synthetic: bool) -> bytes:
    """Return a table as CSV; its first column says whether the data are synthetic."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=["synthetic", *rows[0]], lineterminator="\n")
    writer.writeheader()
    writer.writerows({"synthetic": synthetic, **row} for row in rows)
    return buffer.getvalue().encode("utf-8")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!#$])")


def _markdown(text: str) -> str:
    r"""Escape text for Markdown: one line, and no character that starts markup or HTML.

    Examples
    --------
    >>> from vpt_monitor.report import _markdown
    >>> print(_markdown("<b>R&D</b> *1*\n# x"))
    \<b\>R\&D\</b\> \*1\* \# x
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _synthetic_note(data: MonitorData) -> str:
    return (
        "Synthetic data: every figure in this report is computed from simulated respondents "
        f"({data.source or 'vpt_monitor.synth.simulate'}), not from a survey. The report shows "
        "what the monitor's report looks like; do not quote its numbers as findings."
    )


# ---- writing the folder -------------------------------------------------------------------


def _version() -> str:
    import vpt_monitor

    return str(vpt_monitor.__version__)


#: Files whose presence marks a folder as a report that ``force=True`` may replace.
REPORT_MARKERS = ("index.html", "summary.md")


def check_target(out: str | Path, *, force: bool) -> Path:
    """Check that a report may be written to ``out``; return the folder's absolute path.

    A folder that exists is replaced only with ``force``, and only when it is empty or is a
    report (it has ``index.html`` and ``summary.md``): ``force`` never deletes a folder of
    other files. The current folder and the folders above it are never replaced.

    Parameters
    ----------
    out : path
        The report folder.
    force : bool
        Whether an existing report may be replaced.

    Returns
    -------
    pathlib.Path
        ``out`` made absolute, with links resolved (the folder actually written).

    Raises
    ------
    ReportError
        If the folder cannot or may not be replaced.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from vpt_monitor.report import check_target
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_target(folder / "report", force=False) == (folder / "report").resolve()
    True
    """
    target = Path(out).resolve()
    if target == Path.cwd() or target in Path.cwd().parents:
        raise ReportError(
            f"{out} is the current folder or one above it; a report is written into a new "
            "folder of its own (for example --out report)"
        )
    if not target.exists():
        if target.parent.exists() and not target.parent.is_dir():
            raise ReportError(f"cannot write {out}: {target.parent} is a file, not a folder")
        return target
    if not target.is_dir():
        raise ReportError(f"{out} exists and is not a folder; choose another --out")
    if not force:
        raise ReportError(f"{out} exists; choose another folder or pass force=True (--force)")
    contents = {p.name for p in target.iterdir()}
    if contents and not set(REPORT_MARKERS) <= contents:
        shown = ", ".join(sorted(contents)[:5]) + (", ..." if len(contents) > 5 else "")
        raise ReportError(
            f"{out} is not a report folder (it has {shown}, but no "
            f"{' and '.join(REPORT_MARKERS)}); force replaces only a report. Choose another "
            "folder, or remove this one yourself"
        )
    return target


class _Terminated(BaseException):
    """A termination signal turned into an exception, so that clean-up code runs first."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _SignalGuard:
    """Hold Ctrl-C, SIGTERM and SIGHUP back while folders are created, swapped and removed.

    Installed once for the whole writing (main thread only), its handler records a signal,
    except inside :meth:`live` (while the files are written), where it delivers the signal
    at once as the handler it replaced would: a handler function is called (Python's own
    for Ctrl-C raises :class:`KeyboardInterrupt`), and a signal whose default ends the
    process raises :class:`_Terminated`, so that the hidden folder is removed before the
    process ends by the same signal. Signals recorded meanwhile go to the replaced handlers
    when they are put back. Holding back is the default, so that a signal arriving as a
    block ends (where Python could skip a clean-up) is recorded, not raised. (A signal mask
    would not do: the kernel may hand a signal to another thread, such as a BLAS worker,
    that does not share the main thread's mask.)
    """

    ORDER = ("SIGTERM", "SIGHUP", "SIGINT")  # delivered in this order: the ending ones first

    def __init__(self) -> None:
        self.original: dict[int, Any] = {}
        self.holding = 1
        self.received: list[int] = []
        self.active = False

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        self.active = True
        for name in self.ORDER:
            number = getattr(signal, name, None)
            if number is None or signal.getsignal(number) is None:
                continue  # absent here, or a handler set outside Python: leave it alone
            self.original[number] = signal.getsignal(number)
            signal.signal(number, self._handle)

    def restore(self) -> None:
        """Put the replaced handlers back, then give them the signals held back."""
        self.holding += 1  # so that no signal can interrupt the loop half way
        try:
            for number, handler in self.original.items():
                signal.signal(number, handler)
        finally:
            self.active = False
            self.original = {}
        received, self.received = set(self.received), []
        for name in self.ORDER:
            held = getattr(signal, name, None)
            if held in received:
                signal.raise_signal(held)  # to the handler just put back

    def _handle(self, signum: int, frame: Any) -> None:
        if self.holding or not self.active:
            self.received.append(signum)
            return
        handler = self.original.get(signum, signal.SIG_DFL)
        if callable(handler):
            handler(signum, frame)
        elif handler != signal.SIG_IGN:
            raise _Terminated(signum)

    @contextlib.contextmanager
    def live(self) -> Iterator[None]:
        """Deliver signals at once inside the block (and those held back until now)."""
        self.holding -= 1
        try:
            received, self.received = set(self.received), []
            for name in self.ORDER:
                number = getattr(signal, name, None)
                if number in received:
                    self._handle(number, None)
            yield
        finally:
            self.holding += 1


_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@functools.cache
def _renameat2_function() -> Any:
    """Return libc's ``renameat2`` (Linux, glibc 2.28 or later), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to load
        return None
    function = getattr(libc, "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        function.argtypes.append(ctypes.c_uint)
        function.restype = ctypes.c_int
    return function


def _renameat2(source: Path, destination: Path, flags: int) -> bool:
    """Rename with ``renameat2`` flags; False when the system or file system lacks it."""
    function = _renameat2_function()
    if function is None:
        return False
    done = function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(destination), flags)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False  # not supported here: the caller falls back to plain renames
    raise OSError(code, os.strerror(code), str(source), None, str(destination))


def _exchange(staging: Path, target: Path) -> bool:
    """Swap two folders in one atomic step; False when this system cannot."""
    return _renameat2(staging, target, _RENAME_EXCHANGE)


def _move_new(staging: Path, target: Path) -> None:
    """Move the complete new report into place where no folder is."""
    if not _renameat2(staging, target, _RENAME_NOREPLACE):
        if target.exists():  # appeared meanwhile; os.rename would replace an empty folder
            raise FileExistsError(errno.EEXIST, "the report folder appeared meanwhile", str(target))
        os.rename(staging, target)


def _replace(staging: Path, target: Path) -> Path:
    """Put the new report (``staging``) at ``target``; return where the old one went."""
    if _exchange(staging, target):
        return staging
    old = target.parent / f".{target.name}-old-{secrets.token_hex(6)}"
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except BaseException:
        try:
            os.rename(old, target)
        except BaseException as error:
            raise ReportError(
                f"the report folder could not be replaced, and the old report could not be "
                f"put back: it is in {old}; rename it to {target} ({error})"
            ) from error
        raise
    return old


def _remove(folder: Path, what: str) -> None:
    """Remove a hidden folder; warn (naming it) if the system refuses."""
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        pass
    except OSError as error:
        warnings.warn(
            f"could not remove {what} {folder}: {error}; remove it yourself",
            RuntimeWarning,
            stacklevel=5,  # the caller of build_report
        )


def _write_folder(target: Path, files: Mapping[str, bytes], *, force: bool) -> None:
    """Write ``files`` ({relative path: content}) as the folder ``target``, atomically.

    The new report is written into a hidden folder ``.NAME-new-XXXX`` beside ``target`` and
    moved into place only when complete; an existing report is swapped out in one step
    (``renameat2(RENAME_EXCHANGE)``) or, where the system lacks that, by two renames that are
    undone if the second fails. Ctrl-C and termination signals are held back during the
    swap and the clean-up, and a termination signal ends the process only after the
    clean-up. After success or failure no hidden folder remains; the only exceptions are a
    hidden folder the system refuses to delete (a warning names it), and a process killed
    outright (SIGKILL, power loss), which can leave one (never instead of the report at
    ``target``).
    """
    check_target(target, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    guard = _SignalGuard()
    try:
        guard.install()
        _write_staged(target, files, guard)
    except _Terminated as stop:
        guard.restore()
        signal.raise_signal(stop.signum)  # the default action: the process ends here
        raise  # pragma: no cover - only if the default action did not end the process
    finally:
        guard.restore()


def _write_staged(target: Path, files: Mapping[str, bytes], guard: _SignalGuard) -> None:
    """Write into a hidden folder, then swap it in; signals are held back but while writing."""
    parent = target.parent
    staging: Path | None = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=parent))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; a report is shared
        with guard.live():
            for name, content in files.items():
                path = staging / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
        if target.exists():
            old = _replace(staging, target)
            _remove(old, "the old report, kept in")
        else:
            _move_new(staging, target)
    except BaseException:
        if staging is not None and staging.exists():
            _remove(staging, "the unfinished report in")
        raise


def build_report(
    data: MonitorData,
    out: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    title: str = "Monitor Integriteit en Veiligheid: headline report",
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
    title : str
        Title of the page.

    Returns
    -------
    pathlib.Path
        The folder written (absolute), with ``index.html``, ``summary.md``, the figures,
        ``tables/*.csv`` and ``tables/metadata.json``.

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
    >>> sorted(p.name for p in folder.iterdir())[:3]
    ['index.html', 'maturity.png', 'offices.png']
    """
    target = check_target(out, force=force)
    if len(data) == 0:
        raise ReportError("the data have no respondents")
    step = _Steps(progress)
    waves = data.waves
    last = waves[-1]
    previous = waves[-2] if len(waves) > 1 else None
    tables: dict[str, list[dict[str, Any]]] = {}
    sections: list[str] = []
    figures: dict[str, bytes] = {}

    step("estimating victimisation by wave and group")
    try:
        by_group = victimisation(data, by=("wave", "group"))
    except NotMeasuredError as error:
        raise ReportError(f"the headline report needs victimisation: {error}") from None
    assert isinstance(by_group, EstimateTable)
    tables["victimisation_by_wave_group"] = _rows(by_group)
    figures["trend"] = _trend_figure(by_group, waves)
    by_office = victimisation(data, by=("wave", "office"))
    assert isinstance(by_office, EstimateTable)
    office_rows = _wave_rows(by_office, last)
    tables[f"victimisation_by_office_{last}"] = office_rows
    figures["offices"] = _forest_figure(
        office_rows, f"Victimisation by office, {last}", "victimised in past 12 months (%)"
    )
    try:
        social = victimisation(data, channel="sociale-media", by=("wave", "group"))
    except NotMeasuredError:
        pass
    else:
        tables["social_media_by_wave_group"] = _rows(social)

    step("comparing with the previous wave")
    changes = None
    if previous is not None:
        changes = change(by_group, between=(previous, last))
        tables[f"change_by_group_{previous}_{last}"] = [
            {
                "between": f"{previous}-{last}",
                "domain": _text(row),
                "change": float(changes.estimate[i]),
                "standard_error": float(changes.standard_error[i]),
                "p_adjusted": float(changes.p_adjusted[i]),
            }
            for i, row in enumerate(changes.rows)
        ]

    step("estimating reporting, consequences and integrity")
    absent: list[str] = []  # what the data do not measure: left out of the report, with a note

    def measured(what: str, indicator: Callable[..., Any], **options: Any) -> Any:
        try:
            return indicator(data, **options)
        except NotMeasuredError:
            absent.append(what)
            return None

    reporting: dict[str, list[dict[str, Any]]] = {}
    for to, name in (
        ("employer", "reported internally (melden)"),
        ("police", "police report (aangifte)"),
    ):
        result = measured(f"reporting: {name}", reporting_propensity, to=to, by=("wave", "group"))
        if result is not None:
            rows = _wave_rows(result, last)
            reporting[name] = rows
            tables[f"reporting_{to}_{last}"] = rows
    if reporting:
        figures["reporting"] = _grouped_bars(
            reporting, f"Reporting of incidents, {last} (per incident)", "% of incidents"
        )
    influence = measured("influence of aggression on decisions", decision_influence, by="wave")
    if influence is not None:
        tables["decision_influence_by_wave"] = _rows(influence)
    perception = measured(
        "perceived integrity violations", integrity_perception, by=("wave", "group")
    )
    if perception is not None:
        tables["perceived_violations_by_wave_group"] = _rows(perception)

    has_orgs = data.organisations["wave"].shape[0] > 0
    maturity_series: dict[str, list[dict[str, Any]]] = {}
    coverage_rows: list[dict[str, Any]] = []
    violation_rows: list[dict[str, Any]] = []
    org_last = data.organisation_waves[-1] if has_orgs else last
    if has_orgs:
        step("estimating policy coverage and maturity")
        for measure in LETTER_MEASURES:
            share = measured(
                f"policy measure: {measure.label}", policy_coverage, measure=measure, wave=org_last
            )
            if share is not None:
                coverage_rows += _rows(share, measure.label, wave=org_last)
        if coverage_rows:
            tables[f"policy_coverage_{org_last}"] = coverage_rows
        for scheme in (INTEGRITY_SCHEME, AGGRESSION_SCHEME):
            result = measured(
                f"policy maturity, {scheme.name} scheme",
                policy_maturity,
                scheme=scheme,
                by=("wave", "layer"),
            )
            if result is not None:
                rows = _wave_rows(result, org_last)
                maturity_series[f"{scheme.name} scheme"] = rows
                tables[f"maturity_{scheme.name}_by_layer_{org_last}"] = rows
        if maturity_series:
            figures["maturity"] = _maturity_figure(maturity_series)
        rate = measured("registered integrity violations", violation_rate, by=("wave", "layer"))
        if rate is not None:
            violation_rows = _wave_rows(rate, org_last)
            tables[f"violations_per_1000_by_layer_{org_last}"] = violation_rows

    step("writing the report")

    def image(name: str, alt: str) -> str:
        encoded = base64.b64encode(figures[name]).decode("ascii")
        return (
            f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}"></figure>'
        )

    def find(rows: list[dict[str, Any]], domain: str) -> dict[str, Any]:
        return next(r for r in rows if r["domain"] == domain and r["wave"] == last)

    political_now = find(tables["victimisation_by_wave_group"], Group.POLITICAL.label)
    employees_now = find(tables["victimisation_by_wave_group"], Group.EMPLOYEE.label)
    lead = (
        f"In {last}, {_percent(political_now['estimate'])}% of political office holders "
        f"({_percent(political_now['low'])}-{_percent(political_now['high'])}%) and "
        f"{_percent(employees_now['estimate'])}% of employees "
        f"({_percent(employees_now['low'])}-{_percent(employees_now['high'])}%) met aggression "
        "or violence in the past 12 months."
    )
    sections.append(
        f"<h2>Aggression and violence, {waves[0]}-{last}</h2><p>{html.escape(lead)}</p>"
        + image("trend", "victimisation by group over the waves")
        + _html_estimates(tables["victimisation_by_wave_group"])
    )
    if changes is not None:
        sections.append(f"<h2>Change from {previous} to {last}</h2>" + _html_change(changes))
    sections.append(
        f"<h2>Offices, {last}</h2>"
        + image("offices", "victimisation by office")
        + _html_estimates(office_rows)
        + (
            f"<h3>Aggression via social media, {waves[0]}-{last}</h3>"
            + _html_estimates(tables["social_media_by_wave_group"])
            if "social_media_by_wave_group" in tables
            else ""
        )
    )
    if reporting or influence is not None:
        sections.append(
            f"<h2>Reporting, {last}</h2>"
            + (image("reporting", "reporting propensities") if reporting else "")
            + "".join(
                f"<h3>{html.escape(n)}, {last}</h3>" + _html_estimates(r)
                for n, r in reporting.items()
            )
            + (
                "<h3>Political office holders whose decisions aggression influenced, "
                f"{waves[0]}-{last}</h3>" + _html_estimates(tables["decision_influence_by_wave"])
                if influence is not None
                else ""
            )
        )
    if perception is not None:
        sections.append(
            f"<h2>Integrity</h2><h3>Perceived or suspected violations, {waves[0]}-{last}</h3>"
            + _html_estimates(tables["perceived_violations_by_wave_group"])
        )
    if has_orgs and (coverage_rows or maturity_series or violation_rows):
        sections.append(
            f"<h2>Organisations' policy, {org_last}</h2>"
            + (
                f"<h3>Coverage of measures named in the 2016 letter, {org_last}</h3>"
                + _html_estimates(coverage_rows)
                if coverage_rows
                else ""
            )
            + (image("maturity", "policy maturity by layer") if maturity_series else "")
            + "".join(
                f"<h3>Maturity, {html.escape(n)}, {org_last}</h3>" + _html_estimates(r, "score")
                for n, r in maturity_series.items()
            )
            + (
                f"<h3>Registered violations per 1,000 employees, {org_last}</h3>"
                + _html_estimates(violation_rows, "score")
                if violation_rows
                else ""
            )
        )
    if absent:
        sections.append(
            "<h2>Not in these data</h2><p>These questions were not asked (the files hold no "
            "answers to them), so the report leaves them out rather than show them as 0:</p>"
            "<ul>" + "".join(f"<li>{html.escape(a)}</li>" for a in absent) + "</ul>"
        )
    notes = (
        '<p class="note">Estimates are design-based: weights, strata, clusters and '
        "finite-population corrections are respected; intervals are 95% (logit for shares, "
        "Student t on the design's degrees of freedom). Rows marked &#8224; and grey do not meet "
        "the publication rules (effective sample size, interval width, degrees of freedom; "
        "hover for the reason). Produced by vpt_monitor.</p>"
    )
    banner = (
        f'<p class="synthetic" role="alert">{html.escape(_synthetic_note(data))}</p>'
        if data.synthetic
        else ""
    )
    source = (
        f'<p class="note">Data: {html.escape(data.source)}.</p>'
        if data.source and not data.synthetic
        else ""
    )
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<h1>{html.escape(title)}</h1>{banner}<p class="lead">Waves '
        f"{', '.join(map(str, waves))}; "
        f"{len(data):,} respondents, {data.n_incidents:,} incident records"
        + (f", {data.organisations['wave'].shape[0]:,} organisations" if has_orgs else "")
        + f".</p>{''.join(sections)}{notes}{source}{banner}</body></html>"
    )
    summary = [f"# {_markdown(title)}", ""]
    if data.synthetic:
        summary += [f"> **{_markdown(_synthetic_note(data))}**", ""]
    summary += [_markdown(lead), ""]
    if changes is not None:
        for i, label in enumerate(changes.rows):
            summary.append(
                f"- Change {previous}-{last}, {_markdown(_text(label))}: "
                f"{_percent(changes.estimate[i])} points "
                f"(adjusted p = {changes.p_adjusted[i]:.3g})"
            )
        summary += [f"- Method break: {_markdown(b)}" for b in changes.method_breaks]
    if absent:
        summary += ["", "Not in these data (not asked; left out rather than shown as 0):"]
        summary += [f"- {_markdown(a)}" for a in absent]
    summary += ["", "Tables: see `tables/`; figures: see `index.html`."]
    if data.source and not data.synthetic:
        summary += ["", f"Data: {_markdown(data.source)}"]
    if data.synthetic:
        summary += ["", f"**{_markdown(_synthetic_note(data))}**"]
    metadata = {
        "synthetic": data.synthetic,
        "source": data.source,
        "title": title,
        "waves": list(waves),
        "lonely_psu": data.lonely_psu,
        "generator": f"vpt_monitor {_version()}",
        "tables": sorted(f"{name}.csv" for name, rows in tables.items() if rows),
        "columns": {
            "synthetic": "true when the data are simulated (vpt_monitor.synth), not a survey",
            "domain": "the group the row describes",
            "estimate, low, high": "the estimate and its 95% confidence interval",
            "n": "respondents (or incidents, organisations) in the domain",
            "reliable": "whether the cell meets the publication rules; note says why not",
        },
    }
    files: dict[str, bytes] = {
        f"tables/{name}.csv": _csv_bytes(rows, data.synthetic)
        for name, rows in tables.items()
        if rows
    }
    files["tables/metadata.json"] = (json.dumps(metadata, indent=2) + "\n").encode("utf-8")
    files.update({f"{name}.png": png for name, png in figures.items()})
    files["index.html"] = page.encode("utf-8")
    files["summary.md"] = ("\n".join(summary) + "\n").encode("utf-8")
    _write_folder(target, files, force=force)

    step.finish()
    if progress:
        progress(f"[{time.perf_counter() - step.start:5.1f}s] report written to {target}")
    return target
