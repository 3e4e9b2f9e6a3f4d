"""calibrate, trim_weights and lonely_psu="average" against R survey 4.1 (calibration.R)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from conftest import read_reference_csv
from numpy.testing import assert_allclose
from test_design_reference import DATA

from vpt_monitor.stats import (
    ReplicateDesign,
    SurveyDesign,
    calibrate,
    mean,
    proportion,
    ratio,
    total,
    trim_weights,
)

R = {
    (r["case"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("calibration.csv")
}
MARGINS = {
    "g2": (DATA["g2"], {"x": 5000.0, "y": 6000.0}),
    "g": (DATA["g"], {"a": 4000.0, "b": 3500.0, "c": 2500.0, "d": 1000.0}),
}
TOTALS = {"x": (DATA["x"], 30000.0)}
Design = SurveyDesign | ReplicateDesign


def _design(lonely: str = "certainty", *, fpc: bool = False, ones: bool = False) -> SurveyDesign:
    return SurveyDesign(
        weights=np.ones_like(DATA["weight"]) if ones else DATA["weight"],
        strata=DATA["stratum"],
        clusters=DATA["cluster"],
        fpc=DATA["fpc"] if fpc else None,
        lonely_psu=lonely,
    )


def _jkn() -> ReplicateDesign:
    return _design().replicate("jkn")


def _jk1() -> ReplicateDesign:
    return SurveyDesign(weights=DATA["weight"], clusters=DATA["cluster"]).replicate("jk1")


CASES: dict[str, Callable[[], Design]] = {
    # R: calibrate(d, ~g2 + g + x, pop)
    "linear": lambda: calibrate(_design(), MARGINS, totals=TOTALS),
    "raking": lambda: calibrate(_design(), MARGINS, totals=TOTALS, method="raking"),
    "logit": lambda: calibrate(
        _design(), MARGINS, totals=TOTALS, method="logit", bounds=(0.8, 2.2)
    ),
    "linear_bounded": lambda: calibrate(_design(), MARGINS, totals=TOTALS, bounds=(0.85, 1.9)),
    "raking_bounded": lambda: calibrate(
        _design(), MARGINS, totals=TOTALS, method="raking", bounds=(0.9, 2.1)
    ),
    "raking_margins": lambda: calibrate(_design(), MARGINS, method="raking"),
    # R: calibrate(d, ~x + y - 1, c(x = 30000, y = 110000))
    "linear_numeric": lambda: calibrate(
        _design(), totals={"x": (DATA["x"], 30000.0), "y": (DATA["y"], 110000.0)}
    ),
    "linear_fpc_adjust": lambda: calibrate(_design("adjust", fpc=True), MARGINS, totals=TOTALS),
    "logit_rescaled": lambda: calibrate(
        _design(ones=True), MARGINS, totals=TOTALS, method="logit", bounds=(0.7, 1.6)
    ),
    "jkn_linear": lambda: calibrate(_jkn(), MARGINS, totals=TOTALS),
    "jkn_raking": lambda: calibrate(_jkn(), MARGINS, totals=TOTALS, method="raking"),
    "jkn_logit": lambda: calibrate(
        _jkn(), MARGINS, totals=TOTALS, method="logit", bounds=(0.8, 2.2)
    ),
    "jk1_raking": lambda: calibrate(_jk1(), MARGINS, totals=TOTALS, method="raking"),
    "average": lambda: _design("average"),
    "average_fpc": lambda: _design("average", fpc=True),
    "average_jkn": lambda: _design("average").replicate("jkn"),
    # R: trimWeights(d, upper = 60, lower = 20)
    "trim": lambda: trim_weights(_design(), upper=60.0, lower=20.0),
}
ESTIMATORS: dict[str, Callable[[Design, object], object]] = {
    "mean": lambda d, by: mean(DATA["y"], d, by=by),  # type: ignore[arg-type]
    "total": lambda d, by: total(DATA["y"], d, by=by),  # type: ignore[arg-type]
    "proportion": lambda d, by: proportion(DATA["b"], d, by=by),  # type: ignore[arg-type]
    "ratio": lambda d, by: ratio(DATA["y"], DATA["x"], d, by=by),  # type: ignore[arg-type]
}
# Replicates of raking and logit calibration stop at R's epsilon (1e-7 relative misfit), but
# after the same Newton iterates as R's, so they agree to rounding like everything else.


def _rtol(case: str) -> float:
    return 1e-8


@pytest.fixture(scope="module")
def designs() -> dict[str, Design]:
    return {name: make() for name, make in CASES.items()}


@pytest.mark.parametrize("case", CASES)
def test_weights(case: str, designs: dict[str, Design]) -> None:
    # R: weights(calibrate(...))[i]
    w = designs[case].weights
    for i in (1, 2, 50, 120, 233):
        assert_allclose(w[i - 1], R[(case, "weight", str(i), "value")], rtol=1e-9)
    assert_allclose(w.min(), R[(case, "weight", "min", "value")], rtol=1e-9)
    assert_allclose(w.max(), R[(case, "weight", "max", "value")], rtol=1e-9)


@pytest.mark.parametrize("case", CASES)
def test_df(case: str, designs: dict[str, Design]) -> None:
    assert designs[case].df == R[(case, "design", "", "df")]


@pytest.mark.parametrize("estimator", ESTIMATORS)
@pytest.mark.parametrize("case", CASES)
def test_whole_sample(case: str, estimator: str, designs: dict[str, Design]) -> None:
    # R: svymean(~y, d), svytotal(~y, d), svymean(~b, d), svyratio(~y, ~x, d)
    est = ESTIMATORS[estimator](designs[case], None)
    assert_allclose(est.estimate, R[(case, estimator, "", "estimate")], rtol=1e-9)  # type: ignore[attr-defined]
    # a total of a calibration variable (y in linear_numeric) has no variance: compare to 0
    zero = 1e-12 * abs(est.estimate)  # type: ignore[attr-defined]
    assert_allclose(est.standard_error, R[(case, estimator, "", "se")], rtol=_rtol(case), atol=zero)  # type: ignore[attr-defined]


@pytest.mark.parametrize("estimator", ["mean", "total"])
@pytest.mark.parametrize("case", CASES)
def test_domains(case: str, estimator: str, designs: dict[str, Design]) -> None:
    # R: svyby(~y, ~g, d, svymean), svyby(~y, ~g, d, svytotal)
    table = ESTIMATORS[estimator](designs[case], DATA["g"])
    for label, est in table:  # type: ignore[attr-defined]
        assert_allclose(est.estimate, R[(case, estimator, label, "estimate")], rtol=1e-9)
        assert_allclose(est.standard_error, R[(case, estimator, label, "se")], rtol=_rtol(case))


@pytest.mark.parametrize("case", [c for c in CASES if c not in ("raking_margins",)])
def test_calibration_variable_total(case: str, designs: dict[str, Design]) -> None:
    # R: svytotal(~x, d); zero variance (to rounding) where x is a calibration variable
    est = total(DATA["x"], designs[case])
    assert_allclose(est.estimate, R[(case, "total_x", "", "estimate")], rtol=1e-9)
    expected = R[(case, "total_x", "", "se")]
    if expected < 1e-6 * est.estimate:
        assert est.standard_error < 1e-6 * est.estimate
    else:
        assert_allclose(est.standard_error, expected, rtol=_rtol(case))
