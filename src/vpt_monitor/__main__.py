"""Command line of vpt_monitor: ``vpt-monitor`` or ``python -m vpt_monitor``.

``vpt-monitor report`` writes the headline report, on a default simulation or on real data;
``vpt-monitor demo`` prints the interval methods on the monitor's own examples.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vpt_monitor.stats import difference_ci, proportion_ci, rate_ci
from vpt_monitor.stats.intervals import DIFFERENCE_METHODS, PROPORTION_METHODS, RATE_METHODS


def _demo() -> str:
    """Build the text of the interval demonstration."""
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


def _find(folder: Path, stem: str) -> Path | None:
    for suffix in (".csv", ".parquet", ".sav"):
        candidate = folder / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    return None


def _report(args: argparse.Namespace) -> int:
    from vpt_monitor.data import MonitorDataError
    from vpt_monitor.io import read_monitor
    from vpt_monitor.report import ReportError, build_report

    out = Path(args.out)
    if out.exists() and not args.force:
        print(f"vpt-monitor: error: {out} exists; use --force to replace it", file=sys.stderr)
        return 2
    try:
        files = {
            "respondents": args.respondents,
            "incidents": args.incidents,
            "organisations": args.organisations,
            "violations": args.violations,
        }
        codebook = args.codebook
        if args.data is not None:
            folder = Path(args.data)
            if not folder.is_dir():
                raise FileNotFoundError(f"--data {folder} is not a folder")
            for table in files:
                files[table] = files[table] or _find(folder, table)
            if codebook is None and (folder / "codebook.toml").exists():
                codebook = folder / "codebook.toml"
        if any(files.values()) or codebook is not None:
            _progress(f"[  0.0s] reading {', '.join(str(p) for p in files.values() if p)} ...")
            data = read_monitor(**files, codebook=codebook, lonely_psu=args.lonely_psu)
        else:
            from vpt_monitor.synth import simulate

            _progress(
                f"[  0.0s] simulating monitor waves (seed {args.seed}, scale {args.scale}) ..."
            )
            data = simulate(seed=args.seed, scale=args.scale)
        build_report(data, out, force=args.force, progress=_progress)
    except (MonitorDataError, ReportError, FileNotFoundError, ValueError, ImportError) as error:
        print(f"vpt-monitor: error: {error}", file=sys.stderr)
        return 1
    print(f"{out / 'index.html'}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="vpt-monitor",
        description="Indicators of the Monitor Integriteit en Veiligheid.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="print confidence intervals on the monitor's examples")
    report = commands.add_parser(
        "report",
        help="write the headline report (HTML, figures, CSV tables, summary)",
        description="Write the headline report. Without data it runs on a default simulation.",
    )
    report.add_argument("--out", default="report", help="folder to write (default: report)")
    report.add_argument("--force", action="store_true", help="replace an existing folder")
    report.add_argument(
        "--data",
        help="folder with respondents/incidents/organisations/violations"
        " files (.csv, .parquet or .sav) and optionally codebook.toml",
    )
    for table in ("respondents", "incidents", "organisations", "violations"):
        report.add_argument(f"--{table}", help=f"file of the {table}")
    report.add_argument("--codebook", help="TOML codebook mapping columns and codes")
    report.add_argument(
        "--lonely-psu",
        default="adjust",
        choices=["fail", "adjust", "certainty", "remove"],
        help="policy for strata with one PSU (default: adjust)",
    )
    report.add_argument("--seed", type=int, default=0, help="seed of the simulation (default 0)")
    report.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="size of the simulation (default 1.0, about 35,000 respondents)",
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        print(_demo())
        return 0
    return _report(args)


if __name__ == "__main__":
    sys.exit(main())
