"""Command line of vpt_monitor: ``python -m vpt_monitor`` or ``vpt-monitor``.

For now one command, ``demo``, prints the interval methods on the monitor's own examples; the
headline report (``report``) arrives with the indicators.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="vpt-monitor",
        description="Indicators of the Monitor Integriteit en Veiligheid.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="print confidence intervals on the monitor's examples")
    args = parser.parse_args(argv)
    if args.command == "demo":
        print(_demo())
    return 0


if __name__ == "__main__":
    sys.exit(main())
