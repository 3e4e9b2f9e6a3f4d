"""Replicate designs and calibration: refusals, edge cases and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from test_design_engine import samples

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    SurveyDesign,
    _cells,
    mean,
    poststratify,
    proportion,
    rake,
    total,
)


def _design(n_strata: int = 4, per: int = 6, seed: int = 1) -> tuple[SurveyDesign, np.ndarray]:
    rng = np.random.default_rng(seed)
    strata = np.repeat(np.arange(n_strata), per * 5)
    clusters = np.repeat(np.arange(n_strata * per), 5)
    weights = rng.uniform(1, 10, strata.size)
    y = rng.normal(size=strata.size) + clusters % 3
    return SurveyDesign(weights=weights, strata=strata, clusters=clusters), y


def test_unknown_replicate_method() -> None:
    design, _ = _design()
    with pytest.raises(ValueError, match="unknown method 'jk2'; valid values are 'jk1', 'jkn'"):
        design.replicate("jk2")


def test_jk1_refuses_strata() -> None:
    design, _ = _design()
    with pytest.raises(ValueError, match="'jk1' is for unstratified designs"):
        design.replicate("jk1")


def test_brr_needs_pairs() -> None:
    design, _ = _design(per=3)
    with pytest.raises(ValueError, match="BRR needs exactly two PSUs in every stratum"):
        design.replicate("brr")


def test_brr_rejects_a_matrix_that_is_not_hadamard() -> None:
    design, _ = _design(per=2)
    with pytest.raises(ValueError, match="is not a Hadamard matrix"):
        design.replicate("brr", hadamard=np.ones((8, 8)) - 2 * np.eye(8))
    with pytest.raises(ValueError, match="at least 5 rows"):
        design.replicate("brr", hadamard=np.ones((4, 4)))


def test_fay_needs_rho_in_the_open_unit_interval() -> None:
    design, _ = _design(per=2)
    with pytest.raises(ValueError, match="'rho' must be strictly between 0 and 1"):
        design.replicate("fay", rho=1.0)


def test_bootstrap_needs_two_replicates() -> None:
    design, _ = _design()
    with pytest.raises(ValueError, match="'replicates' must be a whole number >= 2"):
        design.replicate("bootstrap", replicates=1)


def test_bootstrap_is_reproducible_with_a_seed_and_close_to_taylor() -> None:
    design, y = _design(n_strata=5, per=8)
    first = design.replicate("bootstrap", replicates=2000, seed=7)
    again = design.replicate("bootstrap", replicates=2000, seed=7)
    other = design.replicate("bootstrap", replicates=2000, seed=8)
    np.testing.assert_array_equal(first.multipliers, again.multipliers)
    assert not np.array_equal(first.multipliers, other.multipliers)
    # every replicate keeps each stratum's weight total in expectation: n_h / (n_h - 1)
    # times n_h - 1 draws spread over n_h PSUs
    assert_allclose(first.multipliers.mean(axis=1), 1.0, atol=0.1)
    taylor = mean(y, design)
    boot = mean(y, first)
    assert isinstance(taylor, Estimate)
    assert isinstance(boot, Estimate)
    assert boot.estimate == taylor.estimate
    # Rao-Wu with n_h - 1 draws is unbiased for the with-replacement variance
    assert boot.standard_error == pytest.approx(taylor.standard_error, rel=0.1)
    assert first.df == min(2000, design.n_psu - design.n_strata)


def test_replicate_weights_materialise() -> None:
    design, _ = _design(per=2)
    brr = design.replicate("brr")
    weights = brr.replicate_weights()
    assert weights.shape == (design.n, brr.replicates)
    assert set(np.unique(weights / design.weights[:, None]).round(12)) == {0.0, 2.0}
    assert "ReplicateDesign(method='brr'" in repr(brr)


def test_brr_warns_that_it_drops_the_fpc() -> None:
    design = SurveyDesign(
        weights=np.ones(8),
        strata=np.repeat([0, 1], 4),
        clusters=np.repeat(np.arange(4), 2),
        fpc=np.full(8, 10.0),
    )
    with pytest.warns(UserWarning, match="BRR ignores the finite-population correction"):
        design.replicate("brr")


@settings(max_examples=40, deadline=None)
@given(samples(), st.sampled_from(["jkn", "bootstrap"]))
def test_replicate_sparse_and_dense_paths_agree(s: dict[str, np.ndarray], method: str) -> None:
    design = SurveyDesign(weights=s["weights"], strata=s["strata"], clusters=s["clusters"])
    replicated = design.replicate(method, replicates=20, seed=3)
    dense = mean(s["y"], replicated, by=s["g"])
    limit = _cells.DENSE_LIMIT
    _cells.DENSE_LIMIT = 0
    try:
        sparse = mean(s["y"], replicated, by=s["g"])
    finally:
        _cells.DENSE_LIMIT = limit
    assert isinstance(dense, EstimateTable)
    assert isinstance(sparse, EstimateTable)
    assert_allclose(dense.standard_error, sparse.standard_error, rtol=1e-9, atol=1e-14)
    assert_allclose(dense.covariance, sparse.covariance, rtol=1e-9, atol=1e-14)


@settings(max_examples=40, deadline=None)
@given(samples())
def test_jackknife_of_a_total_equals_taylor(s: dict[str, np.ndarray]) -> None:
    # For a linear statistic the stratified jackknife reproduces the Taylor variance exactly.
    design = SurveyDesign(weights=s["weights"], strata=s["strata"], clusters=s["clusters"])
    taylor = total(s["y"], design, by=s["g"])
    jack = total(s["y"], design.replicate("jkn", mse=True), by=s["g"])
    assert isinstance(taylor, EstimateTable)
    assert isinstance(jack, EstimateTable)
    assert_allclose(jack.covariance, taylor.covariance, rtol=1e-8, atol=1e-8)


# ---- calibration -----------------------------------------------------------------------


def test_poststratify_refusals() -> None:
    design = SurveyDesign(weights=np.ones(4))
    labels = ["m", "m", "a", "a"]
    with pytest.raises(ValueError, match="the sample has cell 'a' that the population counts"):
        poststratify(design, labels, {"m": 10})
    with pytest.raises(ValueError, match="population cell 'w' \\(count 5\\) has no sample"):
        poststratify(design, labels, {"m": 10, "a": 20, "w": 5})
    with pytest.raises(ValueError, match="population count of cell 'a' must be finite and > 0"):
        poststratify(design, labels, {"m": 10, "a": -1})
    with pytest.raises(TypeError, match="population must be a non-empty mapping"):
        poststratify(design, labels, [10, 20])  # type: ignore[arg-type]
    calibrated = poststratify(design, labels, {"m": 10, "a": 20, "w": 0})
    with pytest.raises(ValueError, match="the design is calibrated already"):
        poststratify(calibrated, labels, {"m": 10, "a": 20})
    with pytest.raises(ValueError, match="replicate weights from a calibrated design"):
        calibrated.replicate("jk1")


def test_rake_refusals_and_convergence_report() -> None:
    design = SurveyDesign(weights=np.ones(6))
    office = ["m", "m", "a", "a", "a", "a"]
    sex = ["f", "v", "f", "v", "f", "v"]
    with pytest.raises(ValueError, match="the margins add up to different population totals"):
        rake(design, {"office": (office, {"m": 10, "a": 20}), "sex": (sex, {"f": 10, "v": 10})})
    with pytest.raises(TypeError, match="margin 'sex' must be a pair"):
        rake(design, {"office": (office, {"m": 10, "a": 20}), "sex": sex})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="'max_iter' must be a whole number >= 1"):
        rake(design, {"office": (office, {"m": 10, "a": 20})}, max_iter=0)
    # a sample where the two margins cannot both be met exactly still stops and reports
    rows = ["m", "m", "a"]
    odd = SurveyDesign(weights=np.ones(3))
    with pytest.warns(UserWarning, match="raking did not converge in 3 iterations"):
        raked = rake(
            odd,
            {"office": (rows, {"m": 10, "a": 10}), "sex": (["f", "f", "v"], {"f": 5, "v": 15})},
            max_iter=3,
        )
    step = raked.calibration[-1]
    assert not step.converged
    assert step.iterations == 3
    assert step.max_error > 0.1


def test_raking_meets_every_margin() -> None:
    rng = np.random.default_rng(5)
    n = 300
    office = rng.choice(["m", "a", "c"], n)
    layer = rng.choice(["g", "p"], n)
    design = SurveyDesign(weights=rng.uniform(1, 5, n), clusters=np.arange(n) // 3)
    targets_office = {"m": 390.0, "a": 1400.0, "c": 8900.0}
    targets_layer = {"g": 9000.0, "p": 1690.0}
    raked = rake(design, {"office": (office, targets_office), "layer": (layer, targets_layer)})
    for labels, targets in ((office, targets_office), (layer, targets_layer)):
        for label, count in targets.items():
            assert raked.weights[labels == label].sum() == pytest.approx(count, rel=1e-9)
    # the share of a raking margin is known exactly, so it has (next to) no variance
    share = proportion(office == "m", raked)
    assert isinstance(share, Estimate)
    assert share.estimate == pytest.approx(390.0 / 10690.0, rel=1e-9)
    assert share.standard_error < 1e-6
