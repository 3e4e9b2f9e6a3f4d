"""Replicate designs and calibration against R survey 4.1 (replicate_calibration.R)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from conftest import read_reference_csv
from numpy.testing import assert_allclose
from scipy.linalg import hadamard as sylvester
from test_design_reference import DATA

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    ReplicateDesign,
    SurveyDesign,
    mean,
    poststratify,
    proportion,
    rake,
    ratio,
    total,
)

RTOL = 1e-8
R = {
    (r["design"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("replicate_calibration.csv")
}
PAIRS = DATA["cluster"] <= 28
PAIR_DATA = {k: v[PAIRS] for k, v in DATA.items()}
PAIR_DATA["pair"] = np.array([f"p{int((c - 1) // 2):02d}" for c in PAIR_DATA["cluster"]])


def _stratified(lonely: str, fpc: bool = False) -> SurveyDesign:
    return SurveyDesign(
        weights=DATA["weight"],
        strata=DATA["stratum"],
        clusters=DATA["cluster"],
        fpc=DATA["fpc"] if fpc else None,
        lonely_psu=lonely,
    )


def _pairs() -> SurveyDesign:
    return SurveyDesign(
        weights=PAIR_DATA["weight"], strata=PAIR_DATA["pair"], clusters=PAIR_DATA["cluster"]
    )


POP_G2 = {"x": 5000.0, "y": 6000.0}
POP_G = {"a": 4000.0, "b": 3500.0, "c": 2500.0, "d": 1000.0}

DESIGNS: dict[str, tuple[Callable[[], SurveyDesign | ReplicateDesign], dict[str, np.ndarray]]] = {
    "jk1": (
        lambda: SurveyDesign(weights=DATA["weight"], clusters=DATA["cluster"]).replicate("jk1"),
        DATA,
    ),
    "jk1_fpc": (
        lambda: SurveyDesign(
            weights=DATA["weight"], clusters=DATA["cluster"], fpc=np.full(len(DATA["y"]), 60.0)
        ).replicate("jk1"),
        DATA,
    ),
    "jkn_certainty": (lambda: _stratified("certainty").replicate("jkn"), DATA),
    "jkn_fpc": (lambda: _stratified("certainty", fpc=True).replicate("jkn"), DATA),
    "jkn_adjust": (lambda: _stratified("adjust").replicate("jkn"), DATA),
    "brr": (lambda: _pairs().replicate("brr", hadamard=sylvester(16)), PAIR_DATA),
    "fay": (lambda: _pairs().replicate("fay", rho=0.3, hadamard=sylvester(16)), PAIR_DATA),
    "poststratify": (lambda: poststratify(_stratified("certainty"), DATA["g2"], POP_G2), DATA),
    "rake": (
        lambda: rake(
            _stratified("certainty"), {"g2": (DATA["g2"], POP_G2), "g": (DATA["g"], POP_G)}
        ),
        DATA,
    ),
}


def _run(
    estimator: str,
    design: SurveyDesign | ReplicateDesign,
    data: dict[str, np.ndarray],
    by: object = None,
) -> Estimate | EstimateTable:
    if estimator == "mean":
        return mean(data["y"], design, by=by)  # type: ignore[arg-type]
    if estimator == "total":
        return total(data["y"], design, by=by)  # type: ignore[arg-type]
    if estimator == "ratio":
        return ratio(data["y"], data["x"], design, by=by)  # type: ignore[arg-type]
    return proportion(data["b"], design, by=by)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", DESIGNS)
def test_df(name: str) -> None:
    make, _ = DESIGNS[name]
    design = make()
    assert design.df == R[(name, "design", "", "df")]


@pytest.mark.parametrize("estimator", ["mean", "total", "ratio", "proportion"])
@pytest.mark.parametrize("name", DESIGNS)
def test_whole_sample(name: str, estimator: str) -> None:
    # R: as.svrepdesign(d, type=...) / postStratify / rake, then svymean etc.
    make, data = DESIGNS[name]
    est = _run(estimator, make(), data)
    assert isinstance(est, Estimate)
    assert_allclose(est.estimate, R[(name, estimator, "", "estimate")], rtol=RTOL)
    assert_allclose(est.standard_error, R[(name, estimator, "", "se")], rtol=RTOL)


@pytest.mark.parametrize("estimator", ["mean", "total", "ratio"])
@pytest.mark.parametrize("name", DESIGNS)
def test_domains(name: str, estimator: str) -> None:
    # R: svyby(~y, ~g, d, svymean) and friends
    make, data = DESIGNS[name]
    table = _run(estimator, make(), data, by=data["g"])
    assert isinstance(table, EstimateTable)
    for label, est in table:
        key = (name, estimator, str(label))
        assert_allclose(est.estimate, R[(*key, "estimate")], rtol=RTOL)
        assert_allclose(est.standard_error, R[(*key, "se")], rtol=RTOL)


@pytest.mark.parametrize("name", [n for n in DESIGNS if n not in ("poststratify", "rake")])
def test_domain_covariance(name: str) -> None:
    # R: vcov(svyby(~y, ~g, d, svymean, covmat=TRUE))
    make, data = DESIGNS[name]
    table = mean(data["y"], make(), by=data["g"])
    assert isinstance(table, EstimateTable)
    labels = table.domains
    expected = [[R[(name, "mean_cov", f"{a}:{b}", "value")] for b in labels] for a in labels]
    assert_allclose(table.covariance, expected, rtol=RTOL, atol=1e-15)


def test_poststratified_counts_have_no_variance() -> None:
    # R: SE(svytotal(~g2, postStratify(...))) is 0 up to rounding
    design = poststratify(_stratified("certainty"), DATA["g2"], POP_G2)
    est = total(DATA["g2"] == "x", design)
    assert isinstance(est, Estimate)
    assert est.estimate == pytest.approx(5000.0, rel=1e-12)
    assert est.standard_error < 1e-9
    assert abs(R[("poststratify", "count_g2", "x", "se")]) < 1e-6


def test_raked_weights_match_r() -> None:
    # R: weights(rake(d, list(~g2, ~g), ..., control=list(maxit=500, epsilon=1e-14)))
    design = rake(_stratified("certainty"), {"g2": (DATA["g2"], POP_G2), "g": (DATA["g"], POP_G)})
    step = design.calibration[-1]
    assert step.converged
    assert step.max_error <= 1e-10
    for i in (1, 2, 50, 233):
        assert_allclose(design.weights[i - 1], R[("rake", "weight", str(i), "value")], rtol=1e-9)
