"""Issue 12's housekeeping in vpt_monitor.stats, kept by tests.

- a method name may be written with '-' or '_' wherever one is taken, and unknown names
  still list the valid ones;
- design.py and replicate.py no longer import each other;
- the read-only array helper exists once;
- only the variance module scales and centres PSU totals (the one variance routine).
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from vpt_monitor.stats import (
    SurveyDesign,
    chisq_test,
    difference_ci,
    proportion,
    proportion_ci,
    quantile,
    rate_ci,
)
from vpt_monitor.stats.intervals import DIFFERENCE_METHODS, PROPORTION_METHODS, RATE_METHODS

STATS = Path(__file__).parents[1] / "src" / "vpt_monitor" / "stats"


def _respell(name: str) -> str:
    return name.replace("_", "-") if "_" in name else name.replace("-", "_")


@pytest.mark.parametrize("method", PROPORTION_METHODS)
def test_count_interval_methods_take_either_separator(method: str) -> None:
    a = proportion_ci(7, 40, method=method)
    b = proportion_ci(7, 40, method=_respell(method))
    assert (a.low, a.high, a.method) == (b.low, b.high, b.method)
    assert b.method == method


@pytest.mark.parametrize("method", DIFFERENCE_METHODS)
def test_difference_methods_take_either_separator(method: str) -> None:
    a = difference_ci(7, 40, 12, 45, method=method)
    b = difference_ci(7, 40, 12, 45, method=_respell(method))
    assert (a.low, a.high) == (b.low, b.high)


@pytest.mark.parametrize("method", RATE_METHODS)
def test_rate_methods_take_either_separator(method: str) -> None:
    assert rate_ci(7, 40.0, method=method).low == rate_ci(7, 40.0, method=_respell(method)).low


def test_design_based_methods_take_either_separator() -> None:
    rng = np.random.default_rng(1)
    design = SurveyDesign(weights=rng.uniform(1, 2, 60), clusters=np.arange(60) // 3)
    y = (rng.random(60) < 0.3).astype(float)
    spelled = proportion(y, design, method="clopper-pearson")
    assert spelled.method == "clopper_pearson"
    a = spelled.confidence_interval()
    b = proportion(y, design).confidence_interval(method="clopper_pearson")
    assert (a.low, a.high, a.method) == (b.low, b.high, b.method)
    groups = rng.choice(["a", "b"], 60)
    assert (
        chisq_test(groups, y, design, method="rao_scott_2").statistic
        == chisq_test(groups, y, design).statistic
    )
    assert quantile(rng.normal(size=60), design, 0.5, method="xlogit").method == "xlogit"


def test_unknown_methods_still_list_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown method 'clopper'; valid values are 'wilson'"):
        proportion_ci(1, 10, method="clopper")
    with pytest.raises(ValueError, match=r"'-' and '_' may be swapped"):
        proportion_ci(1, 10, method="Wilson")  # no case folding, no prefixes


def _imports(module: str) -> set[str]:
    tree = ast.parse((STATS / f"{module}.py").read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_design_and_replicate_do_not_import_each_other() -> None:
    assert "vpt_monitor.stats.replicate" in _imports("design")
    assert not any("design" in name for name in _imports("replicate"))


def test_the_read_only_helper_is_written_once() -> None:
    writers = [
        path.name for path in STATS.glob("*.py") if "setflags(write=False)" in path.read_text()
    ]
    assert writers == ["_arrays.py"]


def test_only_the_variance_module_turns_psu_totals_into_a_covariance() -> None:
    # the strata scale factors of the Taylor variance and the replicate scales are used in
    # the variance module, nowhere else (the design makes them; one reader uses them)
    users = {
        path.name
        for path in STATS.glob("*.py")
        if ".psu_scale" in path.read_text() or ".rscales" in path.read_text()
    }
    # _linear reads psu_scale only to explain a zero variance, never to compute one
    assert users <= {"variance.py", "_linear.py", "design.py", "_stages.py"}
