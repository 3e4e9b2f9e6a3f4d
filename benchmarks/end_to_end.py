"""End to end at the scale of the whole public sector: file to report on a million respondents.

Issue 15. ``simulate(scale=29)`` (about 1,000,000 respondents, 290,000 incidents, 38,000
organisations) is written as CSV and Parquet files, the way a user has them
(``MonitorData.to_pandas(table).to_csv(...)``), and every step from file to report is timed
in one run, each in a fresh process, best of 3, with the peak memory (resident set) of that
process:

- ``pandas.read_csv`` and ``pandas.read_parquet`` of the same four files: the yardsticks;
  the issue's goals are ratios to ``pandas.read_csv``;
- CSV -> ``MonitorData`` and Parquet -> ``MonitorData`` (:func:`vpt_monitor.io.read_monitor`);
- the survey design from the string labels (``MonitorData.design``), split into the
  container's part (the ``wave/label`` names) and the design's own (``SurveyDesign``, in
  :mod:`vpt_monitor.stats`);
- ``vpt-monitor report --data`` from CSV and from Parquet, the whole command in a new process;
- ``MonitorData.to_records``;
- ``import vpt_monitor``;
- a million rows of bad weights (``"1,5"`` in a file read with decimal ``.``) to the error
  report with every row located;
- the estimator (``victimisation(data, by=("wave", "group"))``) and the proportion kernel's
  time and memory for 40 to 100,000 domains (both in :mod:`vpt_monitor.stats`: measured, not
  changed here);
- the scaling in rows (125,000 to 1,000,000) of reading and of the report;
- the peers on the same file, the question "file to headline table" (victimisation by wave
  and group, two-stage design with both fpcs): R ``read.csv`` + ``svydesign`` + ``svyby``
  and ``svy`` (polars reader + ``Design`` + ``prop(by=)``), against ``read_monitor`` +
  ``victimisation``; svy on the full files, R (whose two-stage variance takes minutes on tens of
  thousands of rows) on ``simulate(scale=1)``, about 35,000 respondents, with all three timed
  there too.

Results go to ``results/end_to_end.json``, which the documentation's performance page shows.
Absolute times depend on the machine (and on what else it runs); the ratios travel.

Run:  python benchmarks/end_to_end.py [--scale 29] [--quick] [--no-peers] [--peers-only]
      [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TABLES = ("respondents", "incidents", "organisations", "violations")
SCALE = 29.0
SEED = 0
REPEAT = 3
DOMAINS = (40, 400, 4_000, 40_000, 100_000)
ROW_FRACTIONS = (0.125, 0.25, 0.5, 1.0)
#: Scale of the files R is timed on (about 35,000 respondents; see run_peers).
PEER_SCALE = 1.0

#: The issue's goals: absolute seconds on its 2-core machine, and ratios to pandas.read_csv.
GOALS = {
    "read_csv": {"seconds": 2.0, "ratio": 2.0},
    "read_parquet": {"seconds": 1.0},
    "design": {"seconds": 0.2},
    "report_csv": {"seconds": 8.0, "ratio": 6.0},
    "report_parquet": {"seconds": 4.0},
    "to_records": {"seconds": 2.0},
    "import": {"seconds": 0.3},
    "bad_weights": {"seconds": 3.0},
}


# ---- the files ------------------------------------------------------------------------------


def write_files(folder: Path, scale: float) -> dict[str, Any]:
    """Write the simulation as CSV and Parquet (and a file of bad weights); describe them."""
    from vpt_monitor.synth import simulate

    data = simulate(seed=SEED, scale=scale)
    (folder / "csv").mkdir(parents=True, exist_ok=True)
    (folder / "parquet").mkdir(exist_ok=True)
    (folder / "bad").mkdir(exist_ok=True)
    for table in TABLES:
        frame = data.to_pandas(table)
        frame.to_csv(folder / "csv" / f"{table}.csv", index=False)
        frame.to_parquet(folder / "parquet" / f"{table}.parquet", index=False)
        if table == "respondents":
            # the classic slip: decimal commas, in a comma-separated file (so quoted)
            frame.astype({"weight": object}).assign(weight="1,5").to_csv(
                folder / "bad" / "respondents.csv", index=False
            )
    return {
        "respondents": len(data),
        "incidents": data.n_incidents,
        "organisations": int(data.organisations["wave"].shape[0]),
        "violations": int(data.violations["wave"].shape[0]),
        "csv_megabytes": round(sum(p.stat().st_size for p in (folder / "csv").iterdir()) / 1e6, 1),
        "parquet_megabytes": round(
            sum(p.stat().st_size for p in (folder / "parquet").iterdir()) / 1e6, 1
        ),
    }


def files(folder: Path, kind: str) -> list[Path]:
    return [folder / kind / f"{table}.{kind}" for table in TABLES]


# ---- steps, each run in a child process ----------------------------------------------------


def best_of(func: Callable[[], Any], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_rss() -> float:
    """Peak resident memory of this process in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(name: str, folder: Path, repeat: int) -> dict[str, Any]:
    """Run one step here (in the child) and return its measurements."""
    if name == "pandas_csv":
        import pandas as pd

        paths = files(folder, "csv")
        return {
            "seconds": best_of(lambda: [pd.read_csv(p, low_memory=False) for p in paths], repeat)
        }
    if name == "pandas_parquet":
        import pandas as pd

        paths = files(folder, "parquet")
        return {"seconds": best_of(lambda: [pd.read_parquet(p) for p in paths], repeat)}
    from vpt_monitor import MonitorDataError
    from vpt_monitor.io import read_monitor

    if name in ("read_csv", "read_parquet"):
        paths = files(folder, name.split("_")[1])
        return {"seconds": best_of(lambda: read_monitor(*paths), repeat)}
    if name == "bad_weights":
        found: list[int] = []

        def refuse() -> None:
            try:
                read_monitor(folder / "bad" / "respondents.csv")
            except MonitorDataError as error:
                str(error)
                found.append(len(error.problems))

        seconds = best_of(refuse, repeat)
        return {"seconds": seconds, "problems": found[-1]}
    data = read_monitor(*files(folder, "parquet"))
    if name == "design":
        from vpt_monitor.data.container import _wave_design, design_labels
        from vpt_monitor.stats import SurveyDesign

        r, o = data.respondents, data.organisations
        total = best_of(
            lambda: (
                _wave_design(r, "fail", "respondents"),
                _wave_design(o, "fail", "organisations"),
            ),
            repeat,
        )
        labels = {"r": design_labels(r), "o": design_labels(o)}
        ours = best_of(lambda: (design_labels(r), design_labels(o)), repeat)

        def engine() -> None:
            for table, (strata, clusters) in (("r", labels["r"]), ("o", labels["o"])):
                columns = r if table == "r" else o
                SurveyDesign._from_codes(
                    columns["weight"],
                    strata,
                    clusters,
                    fpc=columns.get("fpc"),
                    fpc2=columns.get("fpc2"),
                )

        return {"seconds": total, "labels_seconds": ours, "stats_seconds": best_of(engine, repeat)}
    if name == "to_records":
        return {"seconds": best_of(data.to_records, repeat)}
    if name == "kernel":
        from vpt_monitor import victimisation

        data.design  # noqa: B018 - built once, as the report does
        return {"seconds": best_of(lambda: victimisation(data, by=("wave", "group")), repeat)}
    if name == "domains":
        return {"domains": domains(data, repeat)}
    if name == "peer_vpt":
        from vpt_monitor import victimisation

        path = folder / "csv" / "respondents.csv"
        read = best_of(lambda: read_monitor(path), repeat)
        # the design is built afresh each time, as the peers build theirs
        seconds = best_of(lambda: victimisation(read_monitor(path), by=("wave", "group")), repeat)
        table = victimisation(read_monitor(path), by=("wave", "group"))
        rows = [
            {"wave": int(label[0]), "group": str(label[1].value), "estimate": e, "se": s}
            for label, e, s in zip(
                table.domains, table.estimate.tolist(), table.standard_error.tolist(), strict=True
            )
        ]
        return {"seconds": seconds, "read": read, "estimate": seconds - read, "rows": rows}
    raise ValueError(f"unknown step {name!r}")


def domains(data: Any, repeat: int) -> list[dict[str, Any]]:
    """Time and memory of the proportion kernel for many domains (vpt_monitor.stats)."""
    import tracemalloc

    import numpy as np

    from vpt_monitor.stats import proportion

    design = data.design
    rng = np.random.default_rng(SEED)
    counts = data.respondents["victimisations"]
    y = (counts > 0).any(axis=1).astype(np.float64)
    result = []
    for d in DOMAINS:
        g = rng.integers(0, d, len(data))
        seconds = best_of(lambda g=g: proportion(y, design, by=g), repeat)
        tracemalloc.start()
        proportion(y, design, by=g)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result.append({"domains": d, "seconds": seconds, "peak_mib": peak / 2**20})
    return result


def run_child(name: str, folder: Path, repeat: int) -> dict[str, Any]:
    """Run a step in a new process; return its measurements and its peak memory."""
    done = subprocess.run(
        [sys.executable, __file__, "--step", name, "--keep", str(folder), "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"step {name} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run_command(command: list[str], repeat: int) -> dict[str, Any]:
    """Wall time (best of ``repeat``) and peak memory of a command, each run a new process."""
    times, peak = [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - start)
        child.returncode = os.waitstatus_to_exitcode(status)
        error = child.stderr.read().decode() if child.stderr else ""
        if child.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{error[-3000:]}")
        peak = max(peak, usage.ru_maxrss / 1024)
    return {"seconds": min(times), "peak_mib": peak}


def report(folder: Path, kind: str, repeat: int) -> dict[str, Any]:
    out = folder / f"report-{kind}"
    command = [
        sys.executable,
        "-m",
        "vpt_monitor",
        "report",
        "--data",
        str(folder / kind),
        "--out",
        str(out),
        "--force",
    ]
    shutil.rmtree(out, ignore_errors=True)
    return run_command(command, repeat)


def import_time(repeat: int) -> dict[str, Any]:
    code = (
        "import time; t = time.perf_counter(); import vpt_monitor; print(time.perf_counter() - t)"
    )
    times = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        times.append(float(done.stdout))
    return {"seconds": min(times)}


# ---- the peers ------------------------------------------------------------------------------

R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
args <- commandArgs(TRUE); path <- args[1]
t0 <- proc.time()[["elapsed"]]
d <- read.csv(path, check.names = FALSE, stringsAsFactors = FALSE, na.strings = "")
t1 <- proc.time()[["elapsed"]]
forms <- grep("^incidents:", names(d), value = TRUE)
x <- as.matrix(d[, forms])
for (k in seq_along(forms)) {  # a form counts in a wave only if it was asked there
  asked <- tapply(!is.na(x[, k]), d$wave, any)
  x[!asked[as.character(d$wave)], k] <- 0
}
any_pos <- rowSums(x > 0, na.rm = TRUE) > 0
any_na <- rowSums(is.na(x)) > 0
d$victimised <- ifelse(any_pos, 1, ifelse(any_na, NA, 0))
d$group <- ifelse(d$office == "ambtenaar", "medewerker", "politiek-ambtsdrager")
d$strat <- paste(d$wave, d$stratum, sep = "/")
d$psu <- paste(d$wave, d$cluster, sep = "/")
des <- svydesign(ids = ~psu + id, strata = ~strat, fpc = ~fpc + fpc2, weights = ~weight,
                 data = d)
r <- svyby(~victimised, ~wave + group, des, svymean, na.rm = TRUE)
t2 <- proc.time()[["elapsed"]]
cat(t1 - t0, t2 - t1, "\n")
out <- data.frame(wave = r$wave, group = r$group, estimate = coef(r), se = SE(r))
write.csv(out, stdout(), row.names = FALSE)
"""


def r_peer(folder: Path) -> dict[str, Any] | None:
    """R survey on the same file: read.csv, then svydesign and svyby (one run: it is slow)."""
    if shutil.which("Rscript") is None:
        return None
    script = folder / "headline.R"
    script.write_text(R_SCRIPT)
    start = time.perf_counter()
    child = subprocess.Popen(
        ["Rscript", str(script), str(folder / "csv" / "respondents.csv")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    out = child.stdout.read().decode() if child.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        print((child.stderr.read().decode() if child.stderr else "")[-2000:])
        return None
    first, _header, *lines = out.strip().splitlines()
    read, estimate = (float(v) for v in first.split())
    rows = []
    for line in lines:
        wave, group, value, se = (v.strip('"') for v in line.split(","))
        rows.append({"wave": int(wave), "group": group, "estimate": float(value), "se": float(se)})
    return {
        "seconds": read + estimate,
        "read": read,
        "estimate": estimate,
        "wall": wall,
        "peak_mib": usage.ru_maxrss / 1024,
        "rows": rows,
    }


def svy_peer(folder: Path, repeat: int) -> dict[str, Any] | None:
    """svy (Rust engine) with its polars reader on the same file."""
    try:
        import polars as pl
        import svy
    except ImportError:
        return None
    path = folder / "csv" / "respondents.csv"
    times: dict[str, float] = {}

    def headline() -> Any:
        start = time.perf_counter()
        frame = pl.read_csv(path, infer_schema_length=100_000)
        middle = time.perf_counter()
        forms = [c for c in frame.columns if c.startswith("incidents:")]
        asked = frame.group_by("wave").agg([pl.col(f).is_not_null().any().alias(f) for f in forms])
        frame = frame.join(asked, on="wave", suffix="__asked")
        counted = [
            pl.when(pl.col(f"{f}__asked")).then(pl.col(f)).otherwise(0).alias(f) for f in forms
        ]
        frame = frame.with_columns(counted)
        positive = pl.any_horizontal([pl.col(f) > 0 for f in forms]).fill_null(False)
        missing = pl.any_horizontal([pl.col(f).is_null() for f in forms])
        frame = frame.with_columns(
            # svy 0.35's drop_nulls fails here ("invalid utf8"): the answered are a domain
            victimised=pl.when(positive).then(1.0).otherwise(0.0),
            answered=positive | ~missing,
            group=pl.when(pl.col("office") == "ambtenaar")
            .then(pl.lit("medewerker"))
            .otherwise(pl.lit("politiek-ambtsdrager")),
            strat=pl.concat_str([pl.col("wave"), pl.col("stratum")], separator="/"),
            psu=pl.concat_str([pl.col("wave"), pl.col("cluster")], separator="/"),
        )
        design = svy.Design(
            stratum="strat",
            psu="psu",
            ssu="id",
            wgt="weight",
            pop_size=svy.PopSize(psu="fpc", ssu="fpc2"),
        )
        sample = svy.Sample(frame, design)
        result = sample.estimation.prop(
            "victimised", by=["wave", "group"], where={"answered": True}
        )
        end = time.perf_counter()
        times["read"] = min(times.get("read", 1e9), middle - start)
        times["estimate"] = min(times.get("estimate", 1e9), end - middle)
        return result

    seconds = best_of(headline, repeat)
    result = headline()
    rows = []
    for row in result.to_polars().iter_rows(named=True):
        if row.get("victimised") != 1.0:
            continue
        rows.append(
            {
                "wave": int(row["wave"]),
                "group": str(row["group"]),
                "estimate": float(row["est"]),
                "se": float(row["se"]),
            }
        )
    return {"seconds": seconds, **times, "rows": rows}


def agreement(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> dict[str, float]:
    """Largest differences of the estimates (absolute) and standard errors (relative)."""
    key = {(r["wave"], r["group"]): r for r in ours}
    estimate = se = 0.0
    for row in theirs:
        mine = key.get((row["wave"], row["group"]))
        if mine is None:
            continue
        estimate = max(estimate, abs(mine["estimate"] - row["estimate"]))
        se = max(se, abs(mine["se"] - row["se"]) / row["se"])
    return {"estimate": estimate, "relative_se": se}


def run_peers(root: Path, scale: float) -> dict[str, Any]:
    """The three on the same files: svy on the full files, R on smaller ones (it is slow).

    R ``survey``'s two-stage variance (``svyrecvar`` recurses into every PSU for the second
    stage) takes minutes on tens of thousands of respondents, so R is timed on
    ``simulate(scale=PEER_SCALE)``; vpt_monitor and svy are timed on those files too, so that
    every ratio compares the same question on the same file.
    """
    peers: dict[str, Any] = {}
    for label, folder, with_r in (
        ("full", root / "full", False),
        ("small", root / "peer", True),
    ):
        described = prepared(folder, scale if label == "full" else PEER_SCALE)
        mine = run_child("peer_vpt", folder, REPEAT)
        mine.pop("peak_mib", None)
        contenders: dict[str, Any] = {"vpt_monitor": mine}
        theirs = {"svy": svy_peer(folder, REPEAT)}
        if with_r:
            theirs["R survey"] = r_peer(folder)
        for name, result in theirs.items():
            if result is None:
                print(f"{name}: not available")
                continue
            # svy runs in this process, and a child's peak memory (ru_maxrss) counts the
            # parent's from before its exec: peaks of the peers would mislead, so none
            result.pop("peak_mib", None)
            result["agreement"] = agreement(mine["rows"], result["rows"])
            result["ratio"] = result["seconds"] / mine["seconds"]
            contenders[name] = result
            print(
                f"{label} {name}: {result['seconds']:.1f} s, {result['ratio']:.1f}x vpt_monitor",
                flush=True,
            )
        peers[label] = {"respondents": described["respondents"], "contenders": contenders}
    return peers


# ---- the run --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="file to report on a million respondents")
    parser.add_argument("--scale", type=float, default=SCALE)
    parser.add_argument("--quick", action="store_true", help="one repeat, no scaling, no peers")
    parser.add_argument("--no-peers", action="store_true", help="leave out R and svy")
    parser.add_argument("--keep", help="folder for the files (kept; reused when present)")
    parser.add_argument(
        "--peers-only",
        action="store_true",
        help="time only the peers and add them to the existing results file",
    )
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=REPEAT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:  # a child: one step, one line of JSON
        result = step(args.step, Path(args.keep), args.repeat)
        result["peak_mib"] = peak_rss()
        print(json.dumps(result))
        return
    repeat = 1 if args.quick else REPEAT
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="vpt-e2e-"))
    target = Path(__file__).parent / "results" / "end_to_end.json"
    try:
        if args.peers_only:
            results = json.loads(target.read_text())
            results["peers"] = run_peers(root, args.scale)
        else:
            results = run(root, args.scale, repeat, quick=args.quick, peers=not args.no_peers)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    if not args.quick:
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(results, indent=2) + "\n")
        print(f"wrote {target}")


def prepared(root: Path, scale: float) -> dict[str, Any]:
    described = root / "files.json"
    if described.exists() and json.loads(described.read_text()).get("scale") == scale:
        return dict(json.loads(described.read_text()))
    print(f"writing simulate(scale={scale:g}) as CSV and Parquet into {root} ...", flush=True)
    info = {"scale": scale, **write_files(root, scale)}
    described.write_text(json.dumps(info))
    return info


def run(root: Path, scale: float, repeat: int, *, quick: bool, peers: bool) -> dict[str, Any]:
    info = prepared(root / "full", scale)
    folder = root / "full"
    print(json.dumps(info), flush=True)
    steps: dict[str, dict[str, Any]] = {}
    for name in (
        "pandas_csv",
        "pandas_parquet",
        "read_csv",
        "read_parquet",
        "design",
        "to_records",
        "bad_weights",
        "kernel",
    ):
        steps[name] = run_child(name, folder, repeat)
        print(
            f"{name:<16}{steps[name]['seconds']:8.2f} s  {steps[name]['peak_mib']:7.0f} MiB",
            flush=True,
        )
    for kind in ("csv", "parquet"):
        steps[f"report_{kind}"] = report(folder, kind, repeat)
        print(f"report_{kind:<9}{steps[f'report_{kind}']['seconds']:8.2f} s", flush=True)
    steps["import"] = import_time(repeat)
    base = steps["pandas_csv"]["seconds"]
    table = []
    for name, goal in GOALS.items():
        seconds = steps[name]["seconds"]
        ratio = seconds / base
        met = seconds <= goal["seconds"] if "ratio" not in goal else ratio <= goal["ratio"]
        table.append(
            {
                "step": name,
                "seconds": seconds,
                "ratio_to_read_csv": ratio,
                "goal_seconds": goal["seconds"],
                "goal_ratio": goal.get("ratio"),
                "met": met,
                "peak_mib": steps[name].get("peak_mib"),
            }
        )
    results: dict[str, Any] = {
        "data": info,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the start",
        "steps": steps,
        "table": table,
    }
    if quick:
        return results
    results["domains"] = run_child("domains", folder, repeat)["domains"]
    scaling = []
    for fraction in ROW_FRACTIONS:
        part = folder if fraction == 1.0 else root / f"part-{fraction:g}"
        described = info if fraction == 1.0 else prepared(part, scale * fraction)
        row = {"fraction": fraction, "respondents": described["respondents"]}
        for name in ("read_csv", "read_parquet"):
            row[name] = (
                steps[name]["seconds"]
                if fraction == 1.0
                else run_child(name, part, repeat)["seconds"]
            )
        row["report_parquet"] = (
            steps["report_parquet"]["seconds"]
            if fraction == 1.0
            else report(part, "parquet", repeat)["seconds"]
        )
        scaling.append(row)
        print(json.dumps(row), flush=True)
    results["scaling"] = scaling
    if peers:
        results["peers"] = run_peers(root, scale)
    return results


if __name__ == "__main__":
    main()
