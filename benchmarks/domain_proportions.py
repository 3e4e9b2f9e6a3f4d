"""Proportion with Taylor-linearised standard errors in domains: vpt_monitor against its peers.

The workload of ``design.md``: 1,000,000 respondents, 50 strata, 2,000 PSUs (PSU ``i`` in
stratum ``i % 50``), weights uniform on [1, 100], a 0/1 outcome with p = 0.27, 40 domains,
fixed seed. Timed side by side in one run:

- ``vpt_monitor``: ``proportion(y, design, by=g)`` and its logit intervals;
- ``vpt_monitor`` from a frame: the same design made with ``SurveyDesign.from_frame`` from a
  pandas and from a polars frame, and ``proportion("y", design, by="g")`` by column name,
  timed in alternation with the array path (the frame path's overhead is their ratio);
- the numpy floor: the same proportions and Taylor standard errors from two weighted
  ``bincount`` passes over (PSU, domain) cells, with no validation, intervals or design
  effects;
- ``svy`` (PyPI, Rust engine): ``Sample.estimation.prop("y", by="g")``, logit intervals;
- R ``survey``: ``svyby(~y, ~g, design, svymean)``.

Designs are built before the clock starts for every contender. Each is timed several times
and the median is kept; the table reports ratios, which travel between machines better than
seconds. Missing peers are installed (``pip install svy``; ``apt-get install r-cran-survey``
when running as root) or reported as missing.

Run:  python benchmarks/domain_proportions.py [--quick]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from vpt_monitor.stats import EstimateTable, SurveyDesign, proportion

SEED = 2016


def workload(n: int = 1_000_000, n_domains: int = 40) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)
    psu = rng.integers(0, 2000, n)
    return {
        "psu": psu,
        "stratum": psu % 50,
        "w": rng.uniform(1, 100, n),
        "y": (rng.random(n) < 0.27).astype(np.float64),
        "g": rng.integers(0, n_domains, n),
    }


def paired_times(
    first: Callable[[], Any], second: Callable[[], Any], repeat: int
) -> tuple[float, float]:
    """Median times of two functions timed in alternation, so that both see the same load."""
    first(), second()  # warm up
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for func, record in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            func()
            record.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def median_time(func: Callable[[], Any], repeat: int) -> float:
    func()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ours(data: dict[str, np.ndarray]) -> Callable[[], EstimateTable]:
    design = SurveyDesign(weights=data["w"], strata=data["stratum"], clusters=data["psu"])

    def run() -> EstimateTable:
        table = proportion(data["y"], design, by=data["g"])
        assert isinstance(table, EstimateTable)
        table.confidence_interval()
        return table

    return run


def framed(data: dict[str, np.ndarray], library: str) -> Callable[[], EstimateTable] | None:
    """The same question from a pandas or polars frame, by column name; None if not installed."""
    if importlib.util.find_spec(library) is None:
        return None
    columns = {k: data[k] for k in ("psu", "stratum", "w", "y", "g")}
    if library == "pandas":
        import pandas as pd

        frame: Any = pd.DataFrame(columns)
    else:
        import polars as pl

        frame = pl.DataFrame(columns)
    design = SurveyDesign.from_frame(frame, weights="w", strata="stratum", clusters="psu")

    def run() -> EstimateTable:
        table = proportion("y", design, by="g")
        assert isinstance(table, EstimateTable)
        table.confidence_interval()
        return table

    return run


def floor(data: dict[str, np.ndarray]) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
    """The hand-written numpy kernel: the same question with two weighted bincount passes.

    Domain proportions and their Taylor standard errors (with replacement, strata, PSUs)
    from the weighted sums of w and w*y per (PSU, domain) cell; everything after the two
    passes works on the 2,000 x 40 cell table. No validation, no intervals, no design effect.
    """
    g, w, y, psu = data["g"], data["w"], data["y"], data["psu"]
    d = int(g.max()) + 1
    n_psu = int(psu.max()) + 1
    psu_stratum = np.zeros(n_psu, dtype=np.int64)
    psu_stratum[psu] = data["stratum"]
    n_strata = int(psu_stratum.max()) + 1
    per_stratum = np.bincount(psu_stratum, minlength=n_strata).astype(float)
    scale = (per_stratum / (per_stratum - 1))[psu_stratum]

    def run() -> tuple[np.ndarray, np.ndarray]:
        key = psu * d + g
        cell_w = np.bincount(key, weights=w, minlength=n_psu * d).reshape(n_psu, d)
        cell_wy = np.bincount(key, weights=w * y, minlength=n_psu * d).reshape(n_psu, d)
        total_w = cell_w.sum(axis=0)
        p = cell_wy.sum(axis=0) / total_w
        z = (cell_wy - p * cell_w) / total_w  # PSU totals of the linearised values
        sums = np.zeros((n_strata, d))
        np.add.at(sums, psu_stratum, z)
        centred = z - (sums / per_stratum[:, None])[psu_stratum]
        se = np.sqrt((scale[:, None] * centred**2).sum(axis=0))
        return p, se

    return run


def svy_runner(data: dict[str, np.ndarray]) -> Callable[[], Any] | None:
    if importlib.util.find_spec("svy") is None:
        print("installing svy from PyPI ...", flush=True)
        done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "svy"], check=False)
        if done.returncode != 0:
            return None
    import polars as pl
    import svy

    frame = pl.DataFrame({k: data[k] for k in ("stratum", "psu", "w", "y", "g")})
    sample = svy.Sample(frame, svy.Design(stratum="stratum", psu="psu", wgt="w"))
    return lambda: sample.estimation.prop("y", by="g")


R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
args <- commandArgs(TRUE); dir <- args[1]; n <- as.integer(args[2]); repeats <- as.integer(args[3])
rd <- function(name, what = "double") readBin(file.path(dir, name), what, n = n, size = 8)
dat <- data.frame(psu = rd("psu.bin"), stratum = rd("stratum.bin"), w = rd("w.bin"),
                  y = rd("y.bin"), g = rd("g.bin"))
d <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = dat)
r <- svyby(~y, ~g, d, svymean)
times <- replicate(repeats, system.time(svyby(~y, ~g, d, svymean))[["elapsed"]])
cat(median(times), "\n")
cat(paste(sprintf("%.12g", SE(r)), collapse = ","), "\n")
"""


def r_time(data: dict[str, np.ndarray], repeat: int) -> tuple[float, np.ndarray] | None:
    if shutil.which("Rscript") is None:
        if shutil.which("apt-get") is None:
            return None
        print("installing R survey (apt-get install r-cran-survey) ...", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "r-cran-survey"], check=False)
        if shutil.which("Rscript") is None:
            return None
    with tempfile.TemporaryDirectory() as tmp:
        for key in ("psu", "stratum", "w", "y", "g"):
            data[key].astype(np.float64).tofile(Path(tmp) / f"{key}.bin")
        script = Path(tmp) / "bench.R"
        script.write_text(R_SCRIPT)
        done = subprocess.run(
            ["Rscript", str(script), tmp, str(len(data["y"])), str(repeat)],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        print(done.stderr)
        return None
    first, second = done.stdout.strip().splitlines()[:2]
    return float(first), np.array([float(v) for v in second.split(",")])


def peak_memory(data: dict[str, np.ndarray]) -> tuple[int, int]:
    run = ours(data)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    inputs = sum(data[k].nbytes for k in ("psu", "stratum", "w", "y", "g"))
    return peak, inputs


def main() -> None:
    parser = argparse.ArgumentParser(description="domain proportions against the peers")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no R")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7

    data = workload()
    print("workload: 1,000,000 rows, 50 strata, 2,000 PSUs, 40 domains")
    run = ours(data)
    table = run()
    t_ours, t_floor = paired_times(run, floor(data), 3 * repeat)
    rows = [("vpt_monitor proportion(..., by=g)", t_ours), ("numpy floor (2 bincounts)", t_floor)]
    _, floor_se = floor(data)()
    gap_floor = np.max(np.abs(floor_se - table.standard_error) / table.standard_error)
    print(f"largest relative difference between the floor's and vpt_monitor's SEs: {gap_floor:.1e}")

    frame_overhead = {}
    for library in ("pandas", "polars"):
        frame_run = framed(data, library)
        if frame_run is None:
            print(f"{library}: not installed, frame path not timed")
            continue
        same = np.array_equal(frame_run().standard_error, table.standard_error)
        t_array, t_frame = paired_times(run, frame_run, 3 * repeat)
        frame_overhead[library] = t_frame / t_array
        rows.append((f"vpt_monitor from a {library} frame", t_frame * t_ours / t_array))
        print(
            f"{library} frame path / array path (timed in alternation): "
            f"{t_frame / t_array:.3f} (identical standard errors: {same})"
        )

    svy_run = svy_runner(data)
    if svy_run is not None:
        rows.append(("svy estimation.prop(by=g)", median_time(svy_run, repeat)))
    else:
        print("svy: not available")
    if not args.quick:
        r = r_time(data, 3)
        if r is not None:
            rows.append(("R survey svyby(svymean)", r[0]))
            gap = np.max(np.abs(r[1] - table.standard_error) / r[1])
            print(f"largest relative difference from R's standard errors: {gap:.2e}")
        else:
            print("R survey: not available")

    print(f"\n{'contender':<38}{'median s':>10}{'vs vpt_monitor':>16}")
    for name, seconds in rows:
        print(f"{name:<38}{seconds:10.4f}{seconds / t_ours:15.1f}x")

    print("\nscaling of vpt_monitor (median seconds; ratio to the 1M-row, 40-domain time)")
    scaling = []
    for n in (250_000, 500_000, 1_000_000):
        t = median_time(ours(workload(n, 40)), repeat)
        scaling.append({"rows": n, "domains": 40, "seconds": t})
        print(f"  rows {n:>9,}  domains  40  {t:8.4f}  {t / t_ours:5.2f}")
    for d in (4, 40, 400):
        t = median_time(ours(workload(1_000_000, d)), repeat)
        scaling.append({"rows": 1_000_000, "domains": d, "seconds": t})
        print(f"  rows 1,000,000  domains {d:>3}  {t:8.4f}  {t / t_ours:5.2f}")

    peak, inputs = peak_memory(data)
    print(
        f"\npeak memory of one call: {peak / 2**20:.0f} MiB, {peak / inputs:.1f}x the "
        f"{inputs / 2**20:.0f} MiB of input columns"
    )
    if not args.quick:
        results = {
            "workload": "1,000,000 rows, 50 strata, 2,000 PSUs, 40 domains",
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}",
            "contenders": [{"name": n, "seconds": s, "ratio": s / t_ours} for n, s in rows],
            "scaling": scaling,
            "peak_memory_ratio": peak / inputs,
            "frame_over_array": frame_overhead,
        }
        target = Path(__file__).parent / "results" / "domain_proportions.json"
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(results, indent=2) + "\n")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
