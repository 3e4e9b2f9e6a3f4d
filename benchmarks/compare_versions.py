"""Time the domain fast path of two versions of the library in one process, in alternation.

A refactoring must not slow the domain estimators down. This script imports an older copy of
the package under another name next to the installed one, runs the question of
``domain_proportions.py`` (proportions with Taylor standard errors in 40 domains of the
1M-row workload) with both and with the numpy floor in alternation, and prints the medians,
their ratios and whether the standard errors are identical.

Run:  git archive <commit> src | tar -x -C /tmp/old
      python benchmarks/compare_versions.py /tmp/old/src [--rounds 60]
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from domain_proportions import floor, workload

import vpt_monitor.stats as current


def load_old(source: Path, into: Path) -> Any:
    """Import the package under ``source`` as ``vpt_old`` (its own imports renamed)."""
    target = into / "vpt_old"
    shutil.copytree(source / "vpt_monitor", target)
    for path in target.rglob("*.py"):
        path.write_text(path.read_text().replace("vpt_monitor", "vpt_old"))
    sys.path.insert(0, str(into))
    return importlib.import_module("vpt_old.stats")


def runner(module: Any, data: dict[str, np.ndarray]) -> Callable[[], Any]:
    design = module.SurveyDesign(weights=data["w"], strata=data["stratum"], clusters=data["psu"])

    def run() -> Any:
        table = module.proportion(data["y"], design, by=data["g"])
        table.confidence_interval()
        return table

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old_src", type=Path, help="the src folder of the older version")
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    data = workload()
    with tempfile.TemporaryDirectory() as tmp:
        old = load_old(args.old_src, Path(tmp))
        runs = {"old": runner(old, data), "new": runner(current, data), "floor": floor(data)}
        same = np.array_equal(runs["old"]().standard_error, runs["new"]().standard_error)
        print(f"identical standard errors: {same}")
        wall: dict[str, list[float]] = {name: [] for name in runs}
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, run in runs.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                run()
                wall[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)
    median = {name: statistics.median(values) for name, values in wall.items()}
    for name in runs:
        print(
            f"{name:>6}: wall {median[name] * 1000:7.2f} ms, "
            f"cpu {statistics.median(cpu[name]) * 1000:7.2f} ms"
        )
    print(
        f"old/floor {median['old'] / median['floor']:.2f}, "
        f"new/floor {median['new'] / median['floor']:.2f}, "
        f"new/old {median['new'] / median['old']:.2f}"
    )


if __name__ == "__main__":
    main()
