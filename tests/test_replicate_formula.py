"""The replicate variance formula, recomputed by hand from the replicate weights (issue 17.3).

On a tiny seeded design, every replicate estimate is recomputed directly from
``replicate_weights()`` and the variance is assembled here with the scale each method must
have (written out below, not read from the design): a bootstrap scaled by ``1/R`` instead of
``1/(R - 1)``, a jackknife without ``(n - 1)/n``, or a centre on the wrong value fails.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    ReplicateDesign,
    SurveyDesign,
    mean,
    proportion,
    ratio,
    total,
)

RNG = np.random.default_rng(173)
N_STRATA, PER_STRATUM, ROWS = 3, 2, 3  # pairs of PSUs, so that BRR applies
N = N_STRATA * PER_STRATUM * ROWS
STRATA = np.repeat(np.arange(N_STRATA), PER_STRATUM * ROWS)
CLUSTERS = np.repeat(np.arange(N_STRATA * PER_STRATUM), ROWS)
WEIGHTS = RNG.uniform(1, 5, N)
Y = RNG.normal(10, 4, N)
X = RNG.uniform(1, 3, N)
B = (RNG.random(N) < 0.5).astype(float)
G = np.tile(["a", "b", "a"], N // 3)
RHO = 0.3
REPLICATES = 7


def _design(method: str, mse: bool) -> ReplicateDesign:
    stratified = method != "jk1"
    base = SurveyDesign(weights=WEIGHTS, strata=STRATA if stratified else None, clusters=CLUSTERS)
    return base.replicate(method, replicates=REPLICATES, seed=5, rho=RHO, mse=mse)


def _scales(method: str, design: ReplicateDesign) -> np.ndarray:
    """The factor c * c_r of each replicate, by the textbook formula of each method."""
    r = design.replicates
    if method == "jk1":  # delete-one jackknife over n PSUs: (n - 1) / n
        n = N_STRATA * PER_STRATUM
        return np.full(r, (n - 1) / n)
    if method == "jkn":  # one replicate per PSU, (n_h - 1) / n_h of its stratum
        return np.full(r, (PER_STRATUM - 1) / PER_STRATUM)
    if method == "brr":
        return np.full(r, 1.0 / r)
    if method == "fay":
        return np.full(r, 1.0 / (r * (1 - RHO) ** 2))
    return np.full(r, 1.0 / (r - 1))  # bootstrap


def _by_hand(
    method: str, design: ReplicateDesign, theta: np.ndarray, full: np.ndarray
) -> np.ndarray:
    centre = full if design.mse else theta.mean(axis=0)
    return (_scales(method, design)[:, None] * (theta - centre) ** 2).sum(axis=0)


METHODS = ["jk1", "jkn", "brr", "fay", "bootstrap"]


@pytest.mark.parametrize("mse", [False, True])
@pytest.mark.parametrize("method", METHODS)
def test_variance_of_mean_total_ratio_by_hand(method: str, mse: bool) -> None:
    design = _design(method, mse)
    w = design.replicate_weights()  # n x R
    assert w.shape == (N, design.replicates)
    cases = {
        "mean": (mean(Y, design), (w * Y[:, None]).sum(0) / w.sum(0), Y @ WEIGHTS / WEIGHTS.sum()),
        "total": (total(Y, design), (w * Y[:, None]).sum(0), Y @ WEIGHTS),
        "ratio": (
            ratio(Y, X, design),
            (w * Y[:, None]).sum(0) / (w * X[:, None]).sum(0),
            (Y @ WEIGHTS) / (X @ WEIGHTS),
        ),
        "proportion": (
            proportion(B, design),
            (w * B[:, None]).sum(0) / w.sum(0),
            B @ WEIGHTS / WEIGHTS.sum(),
        ),
    }
    for name, (est, theta, full) in cases.items():
        assert isinstance(est, Estimate)
        assert_allclose(est.estimate, full, rtol=1e-13, err_msg=name)
        variance = _by_hand(method, design, theta[:, None], np.array([full]))[0]
        assert_allclose(est.standard_error**2, variance, rtol=1e-11, err_msg=name)
    # the replicate standard error of the log-odds, for the "logit" interval
    share = cases["proportion"]
    assert isinstance(share[0], Estimate)
    logit = np.log(share[1] / (1 - share[1]))
    logit_full = np.log(share[2] / (1 - share[2]))
    expected = _by_hand(method, design, logit[:, None], np.array([logit_full]))[0]
    assert_allclose(share[0].logit_standard_error ** 2, expected, rtol=1e-11)


@pytest.mark.parametrize("mse", [False, True])
@pytest.mark.parametrize("method", METHODS)
def test_domain_covariance_by_hand(method: str, mse: bool) -> None:
    design = _design(method, mse)
    w = design.replicate_weights()
    table = mean(Y, design, by=G)
    assert isinstance(table, EstimateTable)
    inside = np.stack([label == G for label in table.domains], axis=1)  # n x D
    theta = np.stack(
        [(w * (Y * d)[:, None]).sum(0) / (w * d[:, None]).sum(0) for d in inside.T], axis=1
    )  # R x D
    full = np.array([(WEIGHTS * Y)[d].sum() / WEIGHTS[d].sum() for d in inside.T])
    centre = full if mse else theta.mean(axis=0)
    deviation = theta - centre
    expected = (
        _scales(method, design)[:, None, None] * deviation[:, :, None] * deviation[:, None, :]
    ).sum(axis=0)
    assert_allclose(table.covariance, expected, rtol=1e-11)
    assert_allclose(table.standard_error**2, np.diag(expected), rtol=1e-11)
