"""Design-based logistic regression: vpt_monitor's glm against statsmodels and R svyglm.

The workload of ``design.md`` (``domain_proportions.workload``: 1,000,000 respondents, 50
strata, 2,000 PSUs, weights uniform on [1, 100], seed fixed) with covariates drawn from a
second fixed seed - office (6 categories), age, a standard normal score, daily contact
(yes/no) and layer (3 categories) - and a 0/1 outcome from a logistic model of them (about
27% ones, as the shared outcome). The model ``y ~ office + age + x + contact + layer`` has
eleven coefficients.

Timed side by side in one run:

- ``vpt_monitor``: ``glm(formula, frame, design, family="quasibinomial")`` from a pandas
  frame (office and layer as categoricals, as R's factors): model matrix, weighted IRLS and
  the design-based (Taylor) covariance, every check included. Also a fit whose formula is
  encoded afresh by formulaic (later fits with the same categories reuse the encoding);
- the floor for the point estimates: statsmodels ``GLM(y, X, family=Binomial()).fit()`` on
  the model matrix built beforehand, unweighted, with model-based standard errors only;
- R ``survey``'s ``svyglm`` on the first 100,000 rows (R takes about ten seconds per fit at
  1M rows), against vpt_monitor on the same rows, two ways: the fit alone, the design built
  beforehand on both sides (R timed inside R with ``system.time``, so that neither side pays
  for starting R or moving the data); and the design and the fit together (R's
  ``svydesign`` + ``svyglm`` against ``SurveyDesign.from_frame`` + ``glm``).

Each is timed several times; the table keeps the median, and the ratios are given on the
medians and on the best times (the machine is shared: the best time is the least disturbed).
R is run with ``Rscript`` when it is installed (the script says so when it is not).

Run:  python benchmarks/glm_logistic.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from domain_proportions import paired_times, workload

from vpt_monitor.stats import GLMResult, SurveyDesign, _formula, glm, models

FORMULA = "y ~ office + age + x + contact + layer"
OFFICES = ["ambtenaar", "burgemeester", "wethouder", "raadslid", "statenlid", "dijkgraaf"]
LAYERS = ["rijk", "provincie", "gemeente"]


def frame(n: int = 1_000_000) -> pd.DataFrame:
    """The shared design columns with covariates and a logistic outcome."""
    data = workload(n)
    rng = np.random.default_rng(20161129)
    office = rng.integers(0, len(OFFICES), n)
    layer = rng.integers(0, len(LAYERS), n)
    age = rng.uniform(20, 70, n)
    x = rng.normal(size=n)
    contact = rng.random(n) < 0.5
    effect = np.array([0.0, 0.8, 0.4, 0.2, -0.1, 0.3])[office] + np.array([0.0, -0.2, 0.1])[layer]
    eta = -1.55 + 0.02 * (age - 45) + 0.3 * x + 0.4 * contact + effect
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.float64)
    return pd.DataFrame(
        {
            "y": y,
            "office": pd.Categorical.from_codes(office, categories=OFFICES),
            "age": age,
            "x": x,
            "contact": contact,
            "layer": pd.Categorical.from_codes(layer, categories=LAYERS),
            "w": data["w"],
            "stratum": data["stratum"],
            "psu": data["psu"],
        }
    )


def ours(table: pd.DataFrame) -> Callable[[], GLMResult]:
    design = SurveyDesign.from_frame(table, weights="w", strata="stratum", clusters="psu")
    return lambda: glm(FORMULA, table, design, family="quasibinomial")


def ours_with_design(table: pd.DataFrame) -> Callable[[], GLMResult]:
    """The design built and the model fitted: R's svydesign + svyglm."""

    def run() -> GLMResult:
        design = SurveyDesign.from_frame(table, weights="w", strata="stratum", clusters="psu")
        return glm(FORMULA, table, design, family="quasibinomial")

    return run


def times(func: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median and best of ``repeat`` timed calls, after one untimed call."""
    func()
    taken = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        taken.append(time.perf_counter() - start)
    return statistics.median(taken), min(taken)


def cold_time(run: Callable[[], GLMResult], repeat: int) -> float:
    """Median time of a fit whose formula formulaic encodes afresh.

    Later fits with the same categories reuse the encoding. Timed after a first fit, whose
    extra time is the operating system's first touch of the memory, not the library's.
    """
    run()
    times = []
    for _ in range(repeat):
        models._cached_spec.cache_clear()
        _formula._parse_text.cache_clear()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor(table: pd.DataFrame, fit: GLMResult) -> Callable[[], Any] | None:
    """statsmodels' unweighted GLM on the model matrix, built before the clock starts."""
    try:
        import statsmodels.api as sm
    except ImportError:
        return None
    state = fit._state
    assert state is not None
    x = np.ascontiguousarray(state.matrix(state.variables, len(state.rows)))
    y = table["y"].to_numpy()
    return lambda: sm.GLM(y, x, family=sm.families.Binomial()).fit()


R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
args <- commandArgs(TRUE); dir <- args[1]; n <- as.integer(args[2]); repeats <- as.integer(args[3])
rd <- function(name) readBin(file.path(dir, name), "double", n = n, size = 8)
offices <- c("ambtenaar", "burgemeester", "wethouder", "raadslid", "statenlid", "dijkgraaf")
layers <- c("rijk", "provincie", "gemeente")
dat <- data.frame(y = rd("y.bin"), office = factor(offices[rd("office.bin") + 1], levels = offices),
                  age = rd("age.bin"), x = rd("x.bin"), contact = rd("contact.bin") == 1,
                  layer = factor(layers[rd("layer.bin") + 1], levels = layers),
                  w = rd("w.bin"), stratum = rd("stratum.bin"), psu = rd("psu.bin"))
d <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = dat)
f <- y ~ office + age + x + contact + layer
m <- svyglm(f, d, family = quasibinomial())
fit <- replicate(repeats, system.time(svyglm(f, d, family = quasibinomial()))[["elapsed"]])
both <- replicate(repeats, system.time({
  d2 <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = dat)
  svyglm(f, d2, family = quasibinomial())
})[["elapsed"]])
cat(median(fit), min(fit), median(both), min(both), "\n")
cat(paste(sprintf("%.15g", coef(m)), collapse = ","), "\n")
cat(paste(sprintf("%.15g", SE(m)), collapse = ","), "\n")
"""


def r_svyglm(table: pd.DataFrame, repeat: int) -> tuple[list[float], np.ndarray, np.ndarray] | None:
    """R's svyglm alone and with svydesign: [median, best, median, best] seconds; coef, SE."""
    if shutil.which("Rscript") is None:
        return None
    columns = {
        "y": table["y"],
        "office": table["office"].cat.codes,
        "age": table["age"],
        "x": table["x"],
        "contact": table["contact"],
        "layer": table["layer"].cat.codes,
        "w": table["w"],
        "stratum": table["stratum"],
        "psu": table["psu"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, values in columns.items():
            np.asarray(values, dtype=np.float64).tofile(Path(tmp) / f"{name}.bin")
        script = Path(tmp) / "glm.R"
        script.write_text(R_SCRIPT)
        done = subprocess.run(
            ["Rscript", str(script), tmp, str(len(table)), str(repeat)],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        print(done.stderr)
        return None
    lines = done.stdout.strip().splitlines()
    coef = np.array([float(v) for v in lines[1].split(",")])
    se = np.array([float(v) for v in lines[2].split(",")])
    return [float(v) for v in lines[0].split()], coef, se


def main() -> None:
    parser = argparse.ArgumentParser(description="design-based logistic regression")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no R")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7

    big = frame()
    print(f"workload: 1,000,000 rows, 50 strata, 2,000 PSUs; {FORMULA}")
    run = ours(big)
    cold = cold_time(run, 3)
    fit = run()
    print(f"{len(fit.names)} coefficients, {fit.iterations} iterations, flags {fit.flags}")
    rows: list[tuple[str, float, float | None]] = []  # name, median, best
    ratios: dict[str, float] = {}
    base = floor(big, fit)
    if base is not None:
        reference = base()
        gap = float(np.max(np.abs(reference.params - fit.params)))
        print(f"largest difference from the unweighted statsmodels coefficients: {gap:.3f}")
        t_ours, t_floor = paired_times(run, base, 3 if args.quick else 5)
        rows += [
            ("vpt_monitor glm, design-based SEs", t_ours, None),
            ("statsmodels GLM, unweighted (floor)", t_floor, None),
        ]
        ratios["ours_over_floor"] = t_ours / t_floor
    else:
        t_ours, _ = times(run, repeat)
        rows.append(("vpt_monitor glm, design-based SEs", t_ours, None))
        print("statsmodels: not installed, no floor")
    rows.append(("vpt_monitor glm, formula encoded afresh", cold, None))

    small = big.iloc[:100_000].reset_index(drop=True)
    run_small = ours(small)
    fit_small = run_small()
    small_repeat = 7 if args.quick else 21
    t_small, best_small = times(run_small, small_repeat)
    t_both, best_both = times(ours_with_design(small), small_repeat)
    rows.append(("vpt_monitor glm at 100k rows", t_small, best_small))
    rows.append(("vpt_monitor design + glm at 100k rows", t_both, best_both))
    if not args.quick:
        r = r_svyglm(small, 7)
        if r is not None:
            (r_fit, r_fit_best, r_both, r_both_best), coef, se = r
            rows.append(("R survey svyglm at 100k rows", r_fit, r_fit_best))
            rows.append(("R survey svydesign + svyglm at 100k rows", r_both, r_both_best))
            ratios["r_over_ours_100k"] = r_fit / t_small
            ratios["r_over_ours_100k_best"] = r_fit_best / best_small
            ratios["r_over_ours_100k_with_design"] = r_both / t_both
            ratios["r_over_ours_100k_with_design_best"] = r_both_best / best_both
            coef_gap = float(np.max(np.abs(coef - fit_small.params)))
            se_gap = float(np.max(np.abs(se - fit_small.standard_errors) / se))
            print(
                f"against R at 100k rows: coefficients differ by at most {coef_gap:.1e}, "
                f"standard errors by a relative {se_gap:.1e} (R stops at epsilon = 1e-8)"
            )
        else:
            print("R survey: not available")

    print(f"\n{'contender':<48}{'median s':>10}{'best s':>10}")
    for name, seconds, best in rows:
        print(f"{name:<48}{seconds:10.3f}" + ("" if best is None else f"{best:10.3f}"))
    for name, value in ratios.items():
        print(f"{name}: {value:.2f}")
    if not args.quick:
        results = {
            "workload": "1,000,000 rows, 50 strata, 2,000 PSUs; " + FORMULA,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}",
            "contenders": [
                {"name": n, "seconds": s, **({} if b is None else {"best_seconds": b})}
                for n, s, b in rows
            ],
            "ratios": ratios,
            "iterations": fit.iterations,
            "coefficients": len(fit.names),
        }
        target = Path(__file__).parent / "results" / "glm_logistic.json"
        target.write_text(json.dumps(results, indent=2) + "\n")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
