"""Default confidence level and interval method of every estimator and interval function.

Issue 17.2: a default level of 0.90 (or a default Wald method) must fail a test. Every
default interval is compared with the explicit 0.95 one and with the formula computed here
from scipy, independently of the library.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import special, stats

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    SurveyDesign,
    contrast,
    difference_ci,
    mean,
    proportion,
    proportion_ci,
    rate_ci,
    ratio,
    total,
)

RNG = np.random.default_rng(17)
N = 40
DESIGN = SurveyDesign(
    weights=RNG.uniform(1, 4, N), strata=np.repeat([1, 2], N // 2), clusters=np.arange(N) // 4
)
Y = RNG.normal(10, 3, N)
X = RNG.uniform(1, 3, N)
B = (RNG.random(N) < 0.4).astype(float)
G = np.tile(["a", "b"], N // 2)

ESTIMATORS: dict[str, Callable[..., Estimate | EstimateTable]] = {
    "mean": lambda by=None: mean(Y, DESIGN, by=by),
    "total": lambda by=None: total(Y, DESIGN, by=by),
    "ratio": lambda by=None: ratio(Y, X, DESIGN, by=by),
    "proportion": lambda by=None: proportion(B, DESIGN, by=by),
}


def _t(df: float) -> float:
    return float(stats.t.ppf(0.975, df))


def _expected(kind: str, estimate: float, se: float, df: float) -> tuple[float, float]:
    if kind == "proportion":  # logit interval, by hand
        centre = np.log(estimate / (1 - estimate))
        half = _t(df) * se / (estimate * (1 - estimate))
        return float(special.expit(centre - half)), float(special.expit(centre + half))
    return estimate - _t(df) * se, estimate + _t(df) * se


@pytest.mark.parametrize("name", ESTIMATORS)
def test_estimator_default_level_and_method(name: str) -> None:
    est = ESTIMATORS[name]()
    assert isinstance(est, Estimate)
    assert est.level == 0.95
    ci = est.confidence_interval()
    assert ci.level == 0.95
    assert ci.method == ("logit" if name == "proportion" else "t")
    explicit = est.confidence_interval(level=0.95, method=ci.method)
    assert (ci.low, ci.high) == (explicit.low, explicit.high)
    assert_allclose(
        [ci.low, ci.high], _expected(name, est.estimate, est.standard_error, est.df), rtol=1e-12
    )


@pytest.mark.parametrize("name", ESTIMATORS)
def test_table_default_level_and_method(name: str) -> None:
    table = ESTIMATORS[name](G)
    assert isinstance(table, EstimateTable)
    assert table.level == 0.95
    ci = table.confidence_interval()
    assert ci.level == 0.95
    assert ci.method == ("logit" if name == "proportion" else "t")
    explicit = table.confidence_interval(level=0.95, method=ci.method)
    np.testing.assert_array_equal(ci.low, explicit.low)
    np.testing.assert_array_equal(ci.high, explicit.high)
    for i, (_, est) in enumerate(table):
        expected = _expected(name, est.estimate, est.standard_error, est.df)
        assert_allclose([ci.low[i], ci.high[i]], expected, rtol=1e-12)
        assert est.level == 0.95
    records = table.to_records()
    assert_allclose([r["low"] for r in records], ci.low, rtol=1e-15)


def test_proportion_signature_defaults() -> None:
    parameters = inspect.signature(proportion).parameters
    assert parameters["method"].default == "logit"
    assert parameters["level"].default == 0.95


@pytest.mark.parametrize("kind", ["mean", "proportion"])
def test_contrast_default_level_and_method(kind: str) -> None:
    table = ESTIMATORS[kind](G)
    assert isinstance(table, EstimateTable)
    for k in (
        contrast(table, {"a": 1, "b": -1}),
        contrast(table, lambda a, b: a / b, domains=("a", "b")),
    ):
        assert k.level == 0.95
        ci = k.confidence_interval()
        assert (ci.level, ci.method) == (0.95, "t")
        assert_allclose(
            [ci.low, ci.high], _expected("contrast", k.estimate, k.standard_error, k.df)
        )
        explicit = k.confidence_interval(level=0.95, method="t")
        assert (ci.low, ci.high) == (explicit.low, explicit.high)
    parameters = inspect.signature(contrast).parameters
    assert parameters["method"].default is None
    assert parameters["level"].default is None


def test_interval_functions_default_level_and_method() -> None:
    z = float(stats.norm.ppf(0.975))
    for function, method in (
        (proportion_ci, "wilson"),
        (difference_ci, "newcombe"),
        (rate_ci, "exact"),
    ):
        parameters = inspect.signature(function).parameters
        assert parameters["method"].default == method
        assert parameters["level"].default == 0.95

    ci = proportion_ci(81, 263)
    assert (ci.level, ci.method) == (0.95, "wilson")
    x, n = 81, 263
    centre = (x + z * z / 2) / (n + z * z)
    half = z / (n + z * z) * np.sqrt(x * (n - x) / n + z * z / 4)
    assert_allclose([ci.low, ci.high], [centre - half, centre + half], rtol=1e-12)
    assert (ci.low, ci.high) == tuple(proportion_ci(81, 263, method="wilson", level=0.95))

    ci = difference_ci(56, 70, 48, 80)
    assert (ci.level, ci.method) == (0.95, "newcombe")
    assert (ci.low, ci.high) == tuple(difference_ci(56, 70, 48, 80, method="newcombe", level=0.95))
    assert_allclose([ci.low, ci.high], [0.0524, 0.3339], atol=5e-5)  # Newcombe (1998), (a)

    ci = rate_ci(12, 3.0)
    assert (ci.level, ci.method) == (0.95, "exact")
    garwood = [stats.chi2.ppf(0.025, 24) / 2 / 3.0, stats.chi2.ppf(0.975, 26) / 2 / 3.0]
    assert_allclose([ci.low, ci.high], garwood, rtol=1e-10)
    assert (ci.low, ci.high) == tuple(rate_ci(12, 3.0, method="exact", level=0.95))


def test_result_classes_default_level() -> None:
    # estimates built by hand (as the monitor's indicators do) get the same default
    est = Estimate(estimate=2.0, standard_error=0.5, df=10, n=20)
    assert est.level == 0.95
    ci = est.confidence_interval()
    assert (ci.level, ci.method) == (0.95, "t")
    assert_allclose([ci.low, ci.high], [2.0 - _t(10) * 0.5, 2.0 + _t(10) * 0.5])
    table = EstimateTable(
        domains=("a",),
        estimate=[2.0],
        standard_error=[0.5],
        df=[10],
        n=[20],
        deff=[1.0],
        n_effective=[20.0],
        covariance=[[0.25]],
    )
    assert table.level == 0.95
    assert table.confidence_interval().level == 0.95
