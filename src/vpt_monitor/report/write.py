"""Writing a report folder atomically: never a half-written report, never a lost one.

:func:`write_folder` writes the files of a report (or of a set of factsheets) into a hidden
folder beside ``out`` and moves it into place only when complete. An existing report is
replaced only with ``force=True``, by exchanging the two folders in one step where the system
can (``renameat2(RENAME_EXCHANGE)`` on Linux), else by two renames that are undone when the
second fails; at every moment either the old or the new report is at ``out``, and no hidden
folder is left behind. :func:`check_target` says beforehand whether ``out`` may be written.

Every folder written carries a marker, ``.vpt-monitor.toml``, naming the command (or function)
that wrote it and the version; ``force`` replaces only a folder written by the same kind of command,
so that ``vpt-monitor report --force`` never deletes the weighted data files that
``vpt-monitor weight`` wrote, nor the other way round.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import tomllib
from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Any

from vpt_monitor.stats._validation import warn

__all__ = [
    "FOLDER_KINDS",
    "MARKER",
    "REPORT_MARKERS",
    "ReportError",
    "check_target",
    "write_folder",
]


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


#: Files that every folder written before the marker existed has (all kinds).
REPORT_MARKERS = ("index.html", "summary.md")

#: The file that marks a folder written by this library: which kind, and which version.
MARKER = ".vpt-monitor.toml"

#: The kinds of folder written (the command or function that writes them), each with what it
#: is called in messages and the only files (patterns of relative paths) that a folder of the
#: kind held before the marker existed. Such a folder is replaced only when it holds
#: nothing else: the weighted data files of ``vpt-monitor weight`` match no pattern, so an
#: unmarked folder with data is never replaced.
FOLDER_KINDS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "report": (
        "a report folder",
        ("index.html", "summary.md", "*.png", "tables/*.csv", "tables/*.xlsx", "tables/*.json"),
    ),
    "factsheets": (
        "a folder of factsheets",
        (
            "*.html",
            "summary.md",
            "*.pdf",
            "figures/*.png",
            "tables/*.csv",
            "tables/*.xlsx",
            "tables/*.json",
        ),
    ),
    "weighting report": (
        "a weighting report folder",
        ("index.html", "summary.md", "margins.csv", "weights.csv", "weights.png"),
    ),
    "weight": (
        "a folder written by vpt-monitor weight",
        ("index.html", "summary.md", "margins.csv", "weights.csv", "weights.png"),
    ),
}


def _matches(name: str, pattern: str) -> bool:
    """Whether the relative path ``name`` matches ``pattern``, part by part (``*`` not ``/``)."""
    parts, wanted = PurePosixPath(name).parts, PurePosixPath(pattern).parts
    return len(parts) == len(wanted) and all(map(fnmatchcase, parts, wanted))


def marker_bytes(kind: str) -> bytes:
    """Return the content of :data:`~vpt_monitor.report.MARKER` for a folder of ``kind``."""
    from vpt_monitor import __version__

    return (
        "# Written by vpt_monitor; 'vpt-monitor ... --force' replaces this folder only with\n"
        "# a folder of the same kind. Remove this file and the folder will not be replaced.\n"
        f'written_by = "{kind}"\nversion = "{__version__}"\n'
    ).encode()


def _written_by(folder: Path) -> str | None:
    """Return the kind named by the folder's marker; '' if unreadable, None if it has none."""
    path = folder / MARKER
    if not path.is_file():
        return None
    try:
        kind = tomllib.loads(path.read_text(encoding="utf-8")).get("written_by")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
    return kind if isinstance(kind, str) else ""


def _check_kind(out: str | Path, target: Path, kind: str) -> None:
    """Refuse to replace ``target`` unless a folder of ``kind`` wrote it (or it is empty)."""
    what, patterns = FOLDER_KINDS[kind]
    if not any(target.iterdir()):
        return
    written = _written_by(target)
    if written == kind:
        return
    if written:
        other = FOLDER_KINDS[written][0] if written in FOLDER_KINDS else f"a {written} folder"
        raise ReportError(
            f"{out} is {other} (its {MARKER} says written_by = {written!r}), not {what}; "
            f"force replaces only {what}. Choose another folder, or remove this one yourself"
        )
    if written == "":
        raise ReportError(
            f"{out} has a {MARKER} that cannot be read; force replaces only {what}. "
            "Choose another folder, or remove this one yourself"
        )
    contents: list[str] = []
    others: list[str] = []
    for path in target.rglob("*"):  # stops early: a big folder of other files is refused fast
        if path.is_dir():
            continue
        name = path.relative_to(target).as_posix()
        contents.append(name)
        if not any(_matches(name, p) for p in patterns):
            others.append(name)
            if len(others) > 5:
                break
    if others or not set(REPORT_MARKERS) <= set(contents):
        shown = sorted(others or contents)
        listed = ", ".join(shown[:5]) + (", ..." if len(shown) > 5 else "")
        lacks = "" if others else f", but no {' and '.join(REPORT_MARKERS)}"
        raise ReportError(
            f"{out} is not {what} (it has {listed}{lacks}); force replaces only {what}. "
            "Choose another folder, or remove this one yourself"
        )


def check_target(out: str | Path, *, force: bool, kind: str = "report") -> Path:
    """Check that a report may be written to ``out``; return the folder's absolute path.

    A folder that exists is replaced only with ``force``, and only when it is empty or was
    written by the same kind of command: its marker (:data:`~vpt_monitor.report.MARKER`)
    names ``kind``. A folder written before the marker existed is replaced only when it
    holds nothing but the files of ``kind`` (see
    :data:`~vpt_monitor.report.write.FOLDER_KINDS`). ``force`` never deletes a folder of
    other files, such as the weighted data files of ``vpt-monitor weight`` under a report.
    The current folder and the folders above it are never replaced. A folder is made (and
    removed) where ``out`` would go, so that a place that takes no new folder (no write
    permission, a read-only disk) is refused before any work is done.

    Parameters
    ----------
    out : path
        The report folder.
    force : bool
        Whether an existing report may be replaced.
    kind : {"report", "factsheets", "weighting report", "weight"}, default "report"
        What is to be written there (the command or function).

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
    return _target(out, force=force, kind=kind, probe=True)


def _target(out: str | Path, *, force: bool, kind: str, probe: bool) -> Path:
    """Check ``out`` as :func:`check_target`; ``probe``: also make a folder where it goes."""
    if kind not in FOLDER_KINDS:
        raise ValueError(
            f"'kind' must be one of {', '.join(map(repr, FOLDER_KINDS))}; got {kind!r}"
        )
    target = Path(out).resolve()
    if target == Path.cwd() or target in Path.cwd().parents:
        raise ReportError(
            f"{out} is the current folder or one above it; a report is written into a new "
            "folder of its own (for example --out report)"
        )
    if not target.exists():
        if target.parent.exists() and not target.parent.is_dir():
            raise ReportError(f"cannot write {out}: {target.parent} is a file, not a folder")
        if probe:
            _check_writable(out, target)
        return target
    if not target.is_dir():
        raise ReportError(f"{out} exists and is not a folder; choose another --out")
    if not force:
        raise ReportError(f"{out} exists; choose another folder or pass force=True (--force)")
    _check_kind(out, target, kind)
    if probe:
        _check_writable(out, target)
    return target


def _check_writable(out: str | Path, target: Path) -> None:
    """Refuse ``out`` when no folder can be made beside it, before any work is done.

    The report is written into a hidden folder beside ``target`` (in its parent, made if
    need be); a folder is made and removed again in the nearest folder that exists, which
    answers for every cause (permissions, a read-only or virtual file system) as root too.
    """
    place = target.parent
    while not place.exists() and place != place.parent:
        place = place.parent
    if not place.is_dir():
        raise ReportError(f"cannot write {out}: {place} is a file, not a folder")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".vpt-monitor-check-", dir=place))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ReportError(
            f"cannot write {out}: no folder can be made in {place} ({reason}); choose another --out"
        ) from None


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
        warn(f"could not remove {what} {folder}: {error}; remove it yourself", RuntimeWarning)


def _write_folder(
    target: Path, files: Mapping[str, bytes], *, force: bool, kind: str = "report"
) -> None:
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
    _target(target, force=force, kind=kind, probe=False)  # writing is the probe here
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


def write_folder(
    target: str | Path, files: Mapping[str, bytes], *, force: bool, kind: str = "report"
) -> Path:
    """Write ``files`` (``{relative path: content}``) as the folder ``target``, atomically.

    The folder gets the marker :data:`~vpt_monitor.report.MARKER`, naming ``kind`` (see
    :func:`check_target`). Returns the folder written (absolute). See :func:`_write_folder`
    for what happens on failure and signals.
    """
    folder = check_target(target, force=force, kind=kind)
    _write_folder(folder, {**files, MARKER: marker_bytes(kind)}, force=force, kind=kind)
    return folder
