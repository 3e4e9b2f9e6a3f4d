"""Default BRR and Fay designs against R survey 4.1 (tests/reference/brr_defaults.R, issue 10.10).

No Hadamard matrix is given on either side: the library must pick R's matrix for the number
of strata, give its rows to the strata in R's order, and apply R's sign rule for its own
matrices (the complement of the rule for a matrix passed by the user).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import read_reference_columns, read_reference_csv
from numpy.testing import assert_allclose
from test_design_reference import DATA

from vpt_monitor.stats import Estimate, EstimateTable, SurveyDesign, mean, proportion, ratio, total
from vpt_monitor.stats._hadamard import default_matrix

RTOL = 1e-8
R = {
    (r["design"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("brr_defaults.csv")
}
SCD = {k: np.array(v, dtype=float) for k, v in read_reference_columns("scd.csv").items()}


def _scd(method: str) -> object:
    design = SurveyDesign(
        weights=np.ones(6), strata=SCD["ESA"], clusters=SCD["ambulance"], nest=True
    )
    return design.replicate(method, rho=0.3) if method == "fay" else design.replicate(method)


@pytest.mark.parametrize("method", ["brr", "fay"])
def test_scd_ratio_with_default_matrices(method: str) -> None:
    # R: svyratio(~alive, ~arrests, as.svrepdesign(scdnofpc, type="BRR")) (and Fay, rho 0.3)
    design = _scd(method)
    name = f"scd_{method}"
    assert design.replicates == R[(name, "design", "", "replicates")]  # type: ignore[attr-defined]
    est = ratio(SCD["alive"], SCD["arrests"], design)  # type: ignore[arg-type]
    assert isinstance(est, Estimate)
    assert_allclose(est.estimate, R[(name, "ratio", "", "estimate")], rtol=RTOL)
    assert_allclose(est.standard_error, R[(name, "ratio", "", "se")], rtol=RTOL)
    for estimator, function in (("mean", mean), ("total", total)):
        other = function(SCD["alive"], design)  # type: ignore[arg-type]
        assert isinstance(other, Estimate)
        assert_allclose(other.standard_error, R[(name, estimator, "", "se")], rtol=RTOL)


def _pairs(k: int) -> tuple[SurveyDesign, dict[str, np.ndarray]]:
    keep = DATA["cluster"] <= 2 * k
    data = {key: value[keep] for key, value in DATA.items()}
    pair = ((data["cluster"] - 1) // 2 + 1).astype(int)  # integers, sorted as text by R
    design = SurveyDesign(weights=data["weight"], strata=pair, clusters=data["cluster"])
    return design, data


@pytest.mark.parametrize("method", ["brr", "fay"])
@pytest.mark.parametrize("k", [6, 10])
def test_pairs_with_default_matrices(k: int, method: str) -> None:
    # R: as.svrepdesign(svydesign(ids=~cluster, strata=~pair, ...), type="BRR") without
    # hadamard.matrix: order 8 (Sylvester) for 6 strata, 12 (Paley) for 10 strata
    base, data = _pairs(k)
    design = base.replicate(method, rho=0.3) if method == "fay" else base.replicate(method)
    name = f"pairs{k}_{method}"
    assert design.replicates == R[(name, "design", "", "replicates")]
    assert design.df == R[(name, "design", "", "df")]
    m = mean(data["y"], design)
    r = ratio(data["y"], data["x"], design)
    p = proportion(data["b"], design)
    assert isinstance(m, Estimate)
    assert isinstance(r, Estimate)
    assert isinstance(p, Estimate)
    assert_allclose(m.standard_error, R[(name, "mean", "", "se")], rtol=RTOL)
    assert_allclose(r.estimate, R[(name, "ratio", "", "estimate")], rtol=RTOL)
    assert_allclose(r.standard_error, R[(name, "ratio", "", "se")], rtol=RTOL)
    assert_allclose(p.standard_error, R[(name, "proportion", "", "se")], rtol=RTOL)
    table = mean(data["y"], design, by=data["g"])
    assert isinstance(table, EstimateTable)
    for label, est in table:
        assert_allclose(est.standard_error, R[(name, "mean", str(label), "se")], rtol=RTOL)


HADAMARD = sorted({int(key[1]) for key in R if key[0] == "hadamard"})


def test_default_matrix_is_r_hadamard_where_r_does_not_use_a_stored_table() -> None:
    # R: hadamard(n) for n = 1..130, compared by order and a weighted sum of its 0/1 entries
    exact_sizes = 0
    for n in HADAMARD:
        matrix, exact = default_matrix(n)
        order = matrix.shape[0]
        assert order == R[("hadamard", str(n), "", "order")], n
        signs = matrix.astype(np.int64)
        assert np.array_equal(signs.T @ signs, order * np.eye(order, dtype=np.int64))
        i, j = np.indices(matrix.shape)
        fingerprint = int(((matrix > 0) * ((7 * i + 13 * j) % 97 + 1)).sum())
        same = fingerprint == R[("hadamard", str(n), "", "fingerprint")]
        assert same == exact, n
        exact_sizes += exact
    assert exact_sizes == len(HADAMARD) - 24  # 24-27, 32-35, 48-55, 68-71, 108-111


def test_strata_where_r_uses_a_stored_matrix_warn_at_the_caller() -> None:
    rng = np.random.default_rng(3)
    design = SurveyDesign(
        weights=rng.uniform(1, 2, 100),
        strata=np.repeat(np.arange(25), 4),
        clusters=np.repeat(np.arange(50), 2),
    )
    with pytest.warns(UserWarning, match=r"survey:::hadamard\(25\)") as record:
        brr = design.replicate("brr")
    assert record[0].filename == __file__
    assert brr.replicates == 28


def test_every_default_matrix_is_hadamard_and_large_enough() -> None:
    for n in range(1, 260):
        matrix, _ = default_matrix(n)
        order = matrix.shape[0]
        assert order >= n + 1
        assert order - (n + 1) <= max(8, order // 10)  # R's excess, as its documentation says
        assert np.all(matrix[0] == 1)  # rows 2.. are balanced: each sums to zero
        signs = matrix.astype(np.float64)
        assert np.array_equal(signs @ signs.T, order * np.eye(order)), n
