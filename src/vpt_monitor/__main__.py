"""Command line of vpt_monitor: ``vpt-monitor`` or ``python -m vpt_monitor``.

``vpt-monitor report`` writes the headline report, on a default simulation or on real data;
``vpt-monitor weight`` calibrates a wave to population counts and writes the weighted files
with the weighting report;
``vpt-monitor factsheets --by province`` writes one page per province (or office, group, any
attribute) against the national figures; ``vpt-monitor demo`` prints the interval methods on
the monitor's own examples. Reports and factsheets are in Dutch unless ``--language en``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple


def _demo() -> str:
    """Build the text of the interval demonstration."""
    import numpy as np

    from vpt_monitor.stats import difference_ci, proportion_ci, rate_ci
    from vpt_monitor.stats.intervals import DIFFERENCE_METHODS, PROPORTION_METHODS, RATE_METHODS

    lines = [
        "vpt_monitor demo: confidence intervals for counts (95%)",
        "",
        "Victimised in the past 12 months: 81 of 263 office holders, and 0 of 20 in a small cell",
    ]
    lines.append(f"  {'method':<20}{'81 / 263':>22}{'0 / 20':>22}")
    for method in PROPORTION_METHODS:
        ci = proportion_ci([81, 0], [263, 20], method=method)
        bounds = zip(np.atleast_1d(ci.low), np.atleast_1d(ci.high), strict=True)
        cells = "".join(f"{f'{lo:.4f} - {hi:.4f}':>22}" for lo, hi in bounds)
        lines.append(f"  {method:<20}{cells}")
    lines += ["", "Change between two waves: 56 / 70 against 48 / 80 (difference 0.2000)"]
    for method in DIFFERENCE_METHODS:
        ci = difference_ci(56, 70, 48, 80, method=method)
        lines.append(f"  {method:<20}{f'{ci.low:.4f} - {ci.high:.4f}':>22}")
    lines += ["", "Registered violations: 12 among 3,000 employees, per 1,000 employees"]
    for method in RATE_METHODS:
        ci = rate_ci(12, 3.0, method=method)
        lines.append(f"  {method:<20}{f'{ci.low:.3f} - {ci.high:.3f}':>22}")
    return "\n".join(lines)


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _say(kind: str, message: str) -> None:
    print(f"vpt-monitor: {kind}: {message}", file=sys.stderr, flush=True)


TABLE_NAMES = ("respondents", "incidents", "organisations", "violations")
SUFFIXES = (".csv", ".tsv", ".parquet", ".sav")


class _UsageError(Exception):
    """The command cannot run as asked (exit status 2)."""


def _os_message(error: OSError) -> str:
    """One line for a file-system error: what, and which file."""
    what = error.strerror or str(error)
    names = [n for n in (error.filename, error.filename2) if n is not None]
    return f"{what}: {' -> '.join(str(n) for n in names)}" if names else what


def _found_files(
    folder: Path, files: dict[str, Path | None], named: set[str]
) -> dict[str, Path | None]:
    """Look in ``--data`` for the tables not given otherwise; refuse ambiguity and nothing."""
    found = dict(files)
    for table in TABLE_NAMES:
        if found[table] is not None or table in named:
            continue
        candidates = [folder / f"{table}{suffix}" for suffix in SUFFIXES]
        present = [c for c in candidates if c.exists()]
        if len(present) > 1:
            raise _UsageError(
                f"--data {folder} has {' and '.join(p.name for p in present)}; keep one, or "
                f"choose with --{table}"
            )
        found[table] = present[0] if present else None
    if not any(found[t] is not None or t in named for t in ("respondents", "organisations")):
        entries = sorted(p.name for p in folder.iterdir())
        has = (
            f"it has {', '.join(entries[:20])}{', ...' if len(entries) > 20 else ''}"
            if entries
            else "it is empty"
        )
        looked = ", ".join(f"{t}{{{','.join(SUFFIXES)}}}" for t in TABLE_NAMES)
        raise _UsageError(
            f"--data {folder}: no respondents or organisations file found. Looked for "
            f"{looked} and codebook.toml; {has}. Rename the files, or map them with a "
            "codebook.toml (see the user guide, 'Reading your own data')"
        )
    return found


def _check_out(out: Path, inputs: list[tuple[str, Path]], data_folder: Path | None) -> None:
    """Refuse an output folder that is or contains an input, or lies in the data folder."""
    target = out.resolve()
    for what, path in inputs:
        folder = path.resolve()
        if target == folder or target in folder.parents:
            relation = "is" if target == folder else "contains"
            raise _UsageError(
                f"--out {out} {relation} {what} ({path}); writing the "
                "report there could replace the data. Choose an output folder elsewhere"
            )
    if data_folder is not None and data_folder.resolve() in target.parents:
        raise _UsageError(
            f"--out {out} lies inside the data folder {data_folder}; keep the delivery "
            "unchanged and write the report elsewhere"
        )


class _Plan(NamedTuple):
    """What the options ask to read."""

    files: dict[str, Path | None]
    codebook: Any  # a Codebook, or None
    inputs: list[tuple[str, Path]]  # (what, folder) of every input
    data_folder: Path | None

    @property
    def simulate(self) -> bool:
        return not any(self.files.values()) and self.codebook is None


def _plan(args: argparse.Namespace) -> _Plan:
    """Find the files the options name (reading only the codebook)."""
    from vpt_monitor.io import _check_format, read_codebook

    for option in ("encoding", "delimiter"):
        value = getattr(args, option)
        if value is not None:
            try:  # the checked value ('tab' is a tab) for everything that follows
                setattr(args, option, _check_format(option, value))
            except ValueError as error:
                raise _UsageError(f"--{option} {value!r}: {error}") from None
    if args.decimal is not None and args.decimal == args.delimiter:
        raise _UsageError(f"--decimal and --delimiter are both {args.decimal!r}")
    files: dict[str, Path | None] = {
        t: None if getattr(args, t) is None else Path(getattr(args, t)) for t in TABLE_NAMES
    }
    codebook_path = None if args.codebook is None else Path(args.codebook)
    folder = None if args.data is None else Path(args.data)
    if folder is not None:
        if not folder.is_dir():
            raise _UsageError(f"--data {folder} is not a folder")
        if codebook_path is None and (folder / "codebook.toml").exists():
            codebook_path = folder / "codebook.toml"
    book = None
    if codebook_path is not None:
        book = read_codebook(codebook_path, allow_outside=args.allow_outside)
    if folder is not None:
        files = _found_files(folder, files, set(book.files) if book is not None else set())
    if book is not None and not book.files and not any(files.values()):
        raise _UsageError(
            f'--codebook {codebook_path} names no files (file = "..." in a section such as '
            "[respondents]) and no option names any; name them in the codebook, or give "
            "--data FOLDER or --respondents FILE (and the other files)"
        )
    inputs = [] if folder is None else [("the data folder", folder)]
    inputs += [(f"the folder of the {t} file", p.parent) for t, p in files.items() if p]
    if book is not None and codebook_path is not None:
        inputs.append(("the codebook's folder", codebook_path.parent))
        inputs += [(f"the folder of the {t} file", p.parent) for t, p in book.files.items()]
    return _Plan(files, book, inputs, folder)


def _load(args: argparse.Namespace, plan: _Plan) -> Any:
    """Read the data of the plan, or simulate when it names none."""
    from vpt_monitor.io import read_monitor

    if plan.simulate:
        _say(
            "note",
            "no data given (--data, --respondents, ... or --codebook): the report is on "
            "SIMULATED data, and says so on every page",
        )
        from vpt_monitor.synth import simulate

        _progress(f"[  0.0s] simulating monitor waves (seed {args.seed}, scale {args.scale}) ...")
        return simulate(seed=args.seed, scale=args.scale, lonely_psu=args.lonely_psu or "adjust")
    files = plan.files
    shown = [str(p) for p in files.values() if p is not None]
    if plan.codebook is not None:
        shown += [str(p) for t, p in plan.codebook.files.items() if files.get(t) is None]
    _progress(f"[  0.0s] reading {', '.join(shown)} ...")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            data = read_monitor(
                files["respondents"],
                files["incidents"],
                files["organisations"],
                files["violations"],
                codebook=plan.codebook,
                lonely_psu=args.lonely_psu or "fail",
                encoding=args.encoding,
                delimiter=args.delimiter,
                decimal=args.decimal,
                ignore_unknown=args.ignore_unknown,
            )
        finally:
            # a column passed over that looks misspelt, said as the rest - also before the
            # problems it caused ('straturn' passed over: the fpc checks fail without strata)
            for warning in caught:
                _say("warning", str(warning.message))
    for what, design in (("respondents", "design"), ("organisations", "organisation_design")):
        if getattr(data, what)["wave"].shape[0] == 0:
            continue  # no records, no design: the command says what it can do without them
        try:
            getattr(data, design)
        except ValueError as error:
            if "lonely_psu" not in str(error):
                raise ValueError(f"the {what}' survey design: {error}") from None
            raise ValueError(
                f"the {what}' survey design: {error}. On the command line: --lonely-psu "
                "adjust, certainty, remove or average (the default, fail, refuses a stratum "
                "with one PSU; see the user guide, 'Design-based estimation')"
            ) from None
    return data


def _data_error(error: Exception) -> str:
    """Return the message of bad data, with the library's advice in the command's words."""
    return str(error).replace("read with ignore_unknown=True", "run with --ignore-unknown")


def _report(args: argparse.Namespace) -> int:
    from vpt_monitor.report import build_report

    def build(data: Any, out: Path) -> None:
        build_report(
            data,
            out,
            force=args.force,
            progress=_progress,
            language=args.language,
            started=args.began,
        )

    return _write(args, build, "report")


def _factsheets(args: argparse.Namespace) -> int:
    from vpt_monitor.report import build_factsheets

    def build(data: Any, out: Path) -> None:
        try:
            build_factsheets(
                data,
                by=args.by,
                out=out,
                language=args.language,
                force=args.force,
                pdf=not args.no_pdf,
                progress=_progress,
                started=args.began,
            )
        except ValueError as error:
            if "'by' must name" in str(error):
                raise _UsageError(f"--by {args.by}: {error}") from None
            raise

    return _write(args, build, "factsheets")


#: Python spellings in the library's messages, and the command's spelling of the same option.
_SPELLINGS = (
    ("pass force=True (--force)", "use --force"),
    ("; force replaces only", "; --force replaces only"),
    ("with wave= (--wave)", "with --wave"),
    ("'bounds' must be a pair of numbers (L, U)", "--bounds must be two numbers L,U"),
    ("'bounds' must be a pair (L, U)", "--bounds must be two numbers L,U"),
    ("'bounds' must satisfy", "--bounds must satisfy"),
    ("bounds=(L, U)", "--bounds L,U"),
    ("method='logit'", "--method logit"),
    ("method='raking'", "--method raking"),
)


def _option_words(message: str) -> str:
    """Return a library message with the command's spelling of its options."""
    for python, command in _SPELLINGS:
        message = message.replace(python, command)
    # the values the library names: bounds=(0.5, 2) is --bounds 0.5,2; max_iter is --max-iter
    message = re.sub(r"\bbounds=\(([^,()]+), ([^()]+)\)", r"--bounds \1,\2", message)
    return re.sub(r"\bmax_iter\b", "--max-iter", message)


def _failed(error: Exception, stage: str) -> int:
    """Say what went wrong in one line and return the command's exit status.

    2: the command was used wrongly (options, the output folder, files that cannot be
    opened); 1: the data or the population counts were refused; 3: a bug of the library.
    """
    from vpt_monitor.data import MonitorDataError
    from vpt_monitor.report import ReportError

    if isinstance(error, _UsageError):
        _say("error", str(error))
        return 2
    if isinstance(error, ReportError):
        _say("error", _option_words(str(error)))
        return 2 if stage == "check the output folder" else 1
    if isinstance(error, MonitorDataError):
        _say("error", _data_error(error))
        return 1
    if isinstance(error, OSError):
        _say("error", f"cannot {stage}: {_os_message(error)}")
        return 2
    if isinstance(error, ValueError | ImportError):
        _say("error", _option_words(str(error)))
        return 1
    _say(
        "internal error",
        f"{type(error).__name__}: {error} (while trying to {stage}); please report it",
    )
    return 3


def _write(args: argparse.Namespace, build: Any, what: str) -> int:
    """Read (or simulate) the data, then ``build(data, out)``; one line for every problem."""
    from vpt_monitor.report import check_target

    out = Path(args.out)
    stage = "find the data"
    try:
        plan = _plan(args)
        stage = "check the output folder"
        _check_out(out, plan.inputs, plan.data_folder)
        check_target(out, force=args.force, kind=what)
        stage = "read the data"
        args.began = time.perf_counter()  # the progress lines' clock runs on from the reading
        data = _load(args, plan)
        stage = f"write the {what}"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            build(data, out)
        for warning in caught:
            _say("warning", str(warning.message))
    except KeyboardInterrupt:
        kept = (
            f"{out} holds the old {what} or the new one, complete"
            if stage == f"write the {what}"
            else "nothing was written"
        )
        _say("error", f"interrupted while trying to {stage}; {kept}")
        return 130
    except Exception as error:  # one line for the user, never a traceback
        return _failed(error, stage)
    print(f"{out / 'index.html'}")
    return 0


def _bounds(value: str | None) -> tuple[float, float] | None:
    """Read ``--bounds L,U`` (also ``L U``, or ``L;U`` with decimal commas: ``0,3;3``)."""
    if value is None:
        return None
    if ";" in value:  # a Dutch list: the numbers may have decimal commas
        parts = [p.strip().replace(",", ".") for p in value.split(";")]
    else:
        parts = value.replace(" ", ",").split(",")
    parts = [p for p in parts if p]
    try:
        low, high = (float(p) for p in parts)
    except ValueError:
        raise _UsageError(
            f"--bounds {value!r}: give two numbers, the lowest and highest g-weight, as L,U "
            "(for example --bounds 0.3,3), or with decimal commas as L;U (--bounds '0,3;3')"
        ) from None
    return low, high


def _checked_bounds(value: str | None, method: str) -> tuple[float, float] | None:
    """Read ``--bounds`` and check it against ``--method`` before any data are read."""
    from vpt_monitor.stats.calibration import _check_bounds

    bounds = _bounds(value)
    try:
        _check_bounds(bounds, method)
    except (TypeError, ValueError) as error:
        shown = "" if value is None else f" (--bounds {value})"
        raise _UsageError(
            f"{_option_words(str(error))}{shown}; for example --bounds 0.3,3"
        ) from None
    return bounds


def _check_wave(wave: int | None, waves: Sequence[int]) -> None:
    """Refuse ``--wave`` missing (several waves) or naming a wave the data lack."""
    listed = ", ".join(map(str, waves))
    if wave is None and len(waves) > 1:
        raise _UsageError(f"the data hold waves {listed}; say which to weight with --wave")
    if wave is not None and wave not in waves:
        raise _UsageError(f"--wave {wave}: not in the data (waves: {listed})")


def _weighted_files(args: argparse.Namespace, plan: _Plan, weighting: Any) -> dict[str, bytes]:
    """Return the files of --out: the data files (respondents reweighted), the report."""
    from vpt_monitor.data.rewrite import reweighted_file
    from vpt_monitor.report import weighting_files

    paths = {t: p for t, p in plan.files.items() if p is not None}
    if plan.codebook is not None:
        for table, path in plan.codebook.files.items():
            paths.setdefault(table, path)
    files: dict[str, bytes] = {}
    origin: dict[str, Path] = {}
    notes: list[str] = []

    def add(name: str, content: bytes, path: Path) -> None:
        if name in origin:
            raise _UsageError(
                f"{origin[name]} and {path} would both be written as {name} in --out; rename one"
            )
        origin[name] = path
        files[name] = content

    for table in TABLE_NAMES:
        path = paths.get(table)
        if path is None:
            continue
        if table == "respondents":
            name, content, said = reweighted_file(
                path,
                weighting.data,
                weighting.wave,
                codebook=plan.codebook,
                encoding=args.encoding,
                delimiter=args.delimiter,
                decimal=args.decimal,
            )
            notes += said
            add(name, content, path)
        else:
            add(path.name, path.read_bytes(), path)
    book = plan.codebook
    if book is not None and book.path is not None:
        # a codebook that names files must name those written; one that names none finds
        # them by their usual names (a .sav written as .csv among them) and is copied
        renamed = bool(book.files) and any(origin[n].name != n for n in origin)
        elsewhere = [
            p for p in book.files.values() if p.parent.resolve() != book.path.parent.resolve()
        ]
        if renamed or elsewhere:
            why = "in other folders" if elsewhere else "under other names than those written"
            notes.append(
                f"the codebook {book.path} is not copied: it names files {why}; read the "
                "weighted files with the file options (--respondents ...) and a codebook "
                "adapted to them"
            )
        else:
            add("codebook.toml", book.path.read_bytes(), book.path)
    for name, content in weighting_files(
        weighting, language=args.language, data_files=tuple(files)
    ).items():
        add(name, content, Path(name))
    for note in notes:
        _say("note", note)
    return files


def _weight(args: argparse.Namespace) -> int:
    """Weight a wave to population counts; write the weighted files and the report."""
    from vpt_monitor.report import check_target
    from vpt_monitor.report.content import Steps
    from vpt_monitor.report.write import write_folder

    out = Path(args.out)
    stage = "find the data"
    try:
        bounds = _checked_bounds(args.bounds, args.method)
        if args.max_iter < 1:
            raise _UsageError(
                f"--max-iter {args.max_iter}: give the iterations the calibration may take, "
                "a whole number of at least 1 (default 50)"
            )
        plan = _plan(args)
        if plan.simulate:
            raise _UsageError(
                "weight needs the data to weight: --data FOLDER (or --respondents FILE, "
                "or --codebook)"
            )
        population = Path(args.population)
        if not population.is_file():
            raise _UsageError(f"--population {population}: no such file")
        stage = "check the output folder"
        _check_out(
            out,
            [*plan.inputs, ("the folder of the population counts", population.parent)],
            plan.data_folder,
        )
        target = check_target(out, force=args.force, kind="weight")
        stage = "read the data"
        began = time.perf_counter()  # the progress lines' clock runs on from the reading
        data = _load(args, plan)
        if len(data) == 0:
            raise _UsageError(
                "weight needs respondents to weight, and the data hold none (an organisations "
                "file alone): give a respondents file (--respondents FILE or --data FOLDER)"
            )
        _check_wave(args.wave, data.waves)
        stage = "weight the data"
        steps = Steps(_progress, start=began)
        steps(f"weighting to {population} ({args.method})")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            weighting = data.weight(
                population,
                wave=args.wave,
                method=args.method,
                bounds=bounds,
                max_iter=args.max_iter,
                codebook=plan.codebook,
            )
            stage = "write the weighted data"
            steps("writing the weighted data and the report")
            files = _weighted_files(args, plan, weighting)
            write_folder(target, files, force=args.force, kind="weight")
        steps.done(f"weighted data and report written to {target}")
        for warning in caught:
            _say("warning", str(warning.message))
    except KeyboardInterrupt:
        kept = (
            f"{out} holds the old folder or the new one, complete"
            if stage == "write the weighted data"
            else "nothing was written"
        )
        _say("error", f"interrupted while trying to {stage}; {kept}")
        return 130
    except Exception as error:  # one line for the user, never a traceback
        return _failed(error, stage)
    print(f"{out / 'index.html'}")
    return 0


#: The exit statuses of the command, as ``--help`` shows them.
EXIT_STATUS = (
    "Exit status: 0 written; 1 the data are bad; 2 the command cannot run as asked (options, "
    "files, the output folder); 3 an internal error (a bug in vpt_monitor: please report the "
    "one-line message); 130 interrupted."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from vpt_monitor import __version__

    parser = argparse.ArgumentParser(
        prog="vpt-monitor",
        description="Indicators of the Monitor Integriteit en Veiligheid.",
        epilog=EXIT_STATUS,
    )
    parser.add_argument("--version", action="version", version=f"vpt-monitor {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="print confidence intervals on the monitor's examples")
    report = commands.add_parser(
        "report",
        help="write the headline report (HTML, figures, CSV and Excel tables, summary)",
        description="Write the headline report. Without any data option it runs on a "
        "default simulation, and the report says so.",
        epilog=EXIT_STATUS,
    )
    report.add_argument("--out", default="report", help="folder to write (default: report)")
    report.add_argument("--force", action="store_true", help="replace an existing report folder")
    _data_options(report)
    factsheets = commands.add_parser(
        "factsheets",
        help="write one page per province, office, group or attribute (HTML and PDF)",
        description="Write a factsheet per value of --by: the domain against the national "
        "figure on every headline indicator, with the change since the previous wave. "
        "Without any data option it runs on a default simulation, and the pages say so.",
        epilog=EXIT_STATUS,
    )
    factsheets.add_argument(
        "--by",
        default="province",
        help="domain variable: province (default), office, group, layer, gender, age_band, "
        "municipality_size, contact or a declared attribute",
    )
    factsheets.add_argument(
        "--out", default="factsheets", help="folder to write (default: factsheets)"
    )
    factsheets.add_argument(
        "--force", action="store_true", help="replace an existing folder of factsheets"
    )
    factsheets.add_argument(
        "--no-pdf", action="store_true", help="write HTML pages only, no factsheets.pdf"
    )
    _data_options(factsheets)
    weight = commands.add_parser(
        "weight",
        help="calibrate a wave to population counts; write the weighted files and a report",
        description="Calibrate the weights of one wave to population counts (a CSV with "
        "columns variable, category, count) and write, into a new folder, the data files "
        "as they were read (the respondents file with the new weights of that wave, every "
        "other column and file unchanged) and the weighting report (index.html, summary.md).",
        epilog=EXIT_STATUS,
    )
    weight.add_argument("--population", required=True, help="CSV of population counts")
    weight.add_argument("--out", required=True, help="folder to write (must not exist)")
    weight.add_argument("--wave", type=int, help="wave to weight (needed when there are several)")
    weight.add_argument(
        "--method",
        default="raking",
        type=str.lower,  # choices are names: RAKING is raking
        choices=["linear", "raking", "logit"],
        help="calibration: raking (default), linear (GREG) or logit (bounded)",
    )
    weight.add_argument(
        "--bounds",
        help="lowest and highest g-weight, as L,U (for example 0.3,3) or L;U ('0,3;3')",
    )
    weight.add_argument(
        "--max-iter",
        type=int,
        default=50,
        help="iterations the calibration may take (default 50)",
    )
    weight.add_argument(
        "--force", action="store_true", help="replace an existing folder written by weight"
    )
    _data_options(weight)
    args = parser.parse_args(argv)
    if args.command == "demo":
        print(_demo())
        return 0
    if args.command == "factsheets":
        return _factsheets(args)
    if args.command == "weight":
        return _weight(args)
    return _report(args)


def _data_options(command: argparse.ArgumentParser) -> None:
    """Add the options that say which data to read, and the language, to a command."""
    command.add_argument(
        "--language",
        default="nl",
        type=str.lower,  # choices are names: RAKING is raking
        choices=["nl", "en"],
        help="language of the pages, figures and labels (default: nl, Dutch)",
    )
    command.add_argument(
        "--data",
        help="folder with respondents/incidents/organisations/violations"
        " files (.csv, .tsv, .parquet or .sav) and optionally codebook.toml",
    )
    for table in ("respondents", "incidents", "organisations", "violations"):
        command.add_argument(f"--{table}", help=f"file of the {table}")
    command.add_argument("--codebook", help="TOML codebook mapping columns and codes")
    command.add_argument(
        "--allow-outside",
        action="store_true",
        help="let the codebook name files outside its own folder",
    )
    command.add_argument(
        "--ignore-unknown",
        action="store_true",
        help="pass over columns the library does not know instead of refusing the file "
        "(as ignore_unknown = true in the codebook); the output lists the columns not read",
    )
    command.add_argument("--encoding", help="text encoding of CSV files (default utf-8)")
    command.add_argument(
        "--delimiter",
        help="field separator of CSV files: one character, or 'tab' (default: found from the "
        "header)",
    )
    command.add_argument(
        "--decimal",
        choices=[".", ","],
        # argparse would show the choices as {.,,}, which reads as three marks
        metavar="MARK",
        help="decimal mark of CSV files, '.' or ',' (default ',' in ';'-separated files, else '.')",
    )
    command.add_argument(
        "--lonely-psu",
        default=None,
        type=str.lower,  # choices are names: RAKING is raking
        choices=["fail", "adjust", "certainty", "remove", "average"],
        help="policy for strata with one PSU (default: fail, as R; adjust on simulated data, "
        "whose small scales leave strata with one PSU); the report's method section says "
        "which was used",
    )
    command.add_argument("--seed", type=int, default=0, help="seed of the simulation (default 0)")
    command.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="size of the simulation (default 1.0, about 35,000 respondents)",
    )


if __name__ == "__main__":
    sys.exit(main())
