"""Writing a report folder atomically: never a half-written report, never a lost one.

:func:`write_folder` writes the files of a report (or of a set of factsheets) into a hidden
folder beside ``out`` and moves it into place only when complete. An existing report is
replaced only with ``force=True``, by exchanging the two folders in one step where the system
can (``renameat2(RENAME_EXCHANGE)`` on Linux), else by two renames that are undone when the
second fails; at every moment either the old or the new report is at ``out``, and no hidden
folder is left behind. :func:`check_target` says beforehand whether ``out`` may be written.
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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from vpt_monitor.stats._validation import warn

__all__ = ["REPORT_MARKERS", "ReportError", "check_target", "write_folder"]


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
        warn(f"could not remove {what} {folder}: {error}; remove it yourself", RuntimeWarning)


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


def write_folder(target: str | Path, files: Mapping[str, bytes], *, force: bool) -> Path:
    """Write ``files`` (``{relative path: content}``) as the folder ``target``, atomically.

    Returns the folder written (absolute). See :func:`_write_folder` for what happens on
    failure and signals.
    """
    folder = check_target(target, force=force)
    _write_folder(folder, files, force=force)
    return folder
