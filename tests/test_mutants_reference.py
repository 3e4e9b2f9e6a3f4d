"""Corners of the variance formulas that mutation testing found unchecked, against R survey.

``tests/reference/mutants.R`` on ``mutants_data.csv`` (``make_mutants_data.py``): word strata,
PSU labels reused in every stratum, a census stratum of one PSU, a census of three, a lonely
sampled PSU, and replicate weights supplied with the data. Each test names the mutation of
``src/vpt_monitor/stats`` it kills (changing the formula the test checks makes it fail).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import REFERENCE, read_reference_csv
from numpy.testing import assert_allclose

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    ReplicateDesign,
    SurveyDesign,
    glm,
    mean,
    total,
)

R = {(r["key"], r["quantity"]): float(r["value"]) for r in read_reference_csv("mutants.csv")}
DATA = pd.read_csv(REFERENCE / "mutants_data.csv", dtype={"psu": str})
DOMAINS = ("man", "vrouw", "x")  # R's svyby order
POLICIES = ("adjust", "average", "certainty", "remove")


def _design(policy: str, *, fpc: bool = True) -> SurveyDesign:
    return SurveyDesign.from_frame(
        DATA,
        weights="weight",
        strata="stratum",
        clusters="psu",
        fpc="fpc" if fpc else None,
        nest=True,
        lonely_psu=policy,
    )


def _check(key: str, design: SurveyDesign | ReplicateDesign, *, domains: bool = True) -> None:
    m = mean("y", design)
    t = total("x", design)
    assert isinstance(m, Estimate)
    assert isinstance(t, Estimate)
    # svymean(~y), svytotal(~x) and degf(design)
    assert_allclose(m.estimate, R[(key, "mean")], rtol=1e-10)
    assert_allclose(m.standard_error, R[(key, "mean_se")], rtol=1e-8)
    assert_allclose(t.estimate, R[(key, "total")], rtol=1e-10)
    assert_allclose(t.standard_error, R[(key, "total_se")], rtol=1e-8)
    assert design.df == R[(key, "df")]
    if not domains:
        return
    # svyby(~y, ~dom, design, svymean, covmat = TRUE)
    table = mean("y", design, by="dom")
    assert isinstance(table, EstimateTable)
    assert table.domains == DOMAINS
    assert_allclose(table.estimate, [R[(key, f"dom{i}")] for i in (1, 2, 3)], rtol=1e-10)
    cov_se = [R[(key, f"dom_cov_se{i}")] for i in (1, 2, 3)]
    assert_allclose(table.standard_error, cov_se, rtol=1e-8)


@pytest.mark.parametrize("policy", POLICIES)
def test_every_lonely_policy_beside_census_strata(policy: str) -> None:
    # kills: lonely_average_factor counting a census stratum of one PSU as lonely
    # (design.py), and the "average" inflation applied as a square root (variance.py)
    _check(policy, _design(policy))


def test_average_without_fpc_has_two_lonely_strata() -> None:
    _check("average_nofpc", _design("average", fpc=False))


@pytest.mark.parametrize("policy", POLICIES)
def test_jackknife_of_every_lonely_policy(policy: str) -> None:
    # as.svrepdesign(type = "JKn"); kills the "average" scale n_psu / replicates inverted
    # (replicate.py). R discards a replicate without the small domain "x", which this
    # library flags instead (no replicate variance), so the domains are left out here.
    _check(f"{policy}_jkn", _design(policy).replicate("jkn"), domains=False)


def _supplied(method: str, prefix: str, **options: float) -> ReplicateDesign:
    return ReplicateDesign.from_frame(
        DATA, weights="weight", replicate_weights=prefix, method=method, **options
    )


@pytest.mark.parametrize(
    ("key", "make"),
    [
        ("fay", lambda: _supplied("fay", "fay_", rho=0.3)),
        ("bootstrap", lambda: _supplied("bootstrap", "boot_")),
        ("jk1", lambda: _supplied("jk1", "boot_")),
    ],
)
def test_default_scales_of_supplied_replicate_weights(key: str, make: object) -> None:
    # svrepdesign(type = "Fay", rho = 0.3) scale 1 / (R (1 - rho)^2), "bootstrap"
    # 1 / (R - 1), "JK1" (R - 1) / R; kills each written otherwise (replicate.py)
    assert callable(make)
    design = make()
    _check(key, design, domains=False)
    table = mean("y", design, by="dom")
    assert isinstance(table, EstimateTable)
    se = np.asarray(table.standard_error)
    # the domains whose replicates all have an estimate ("x" lacks one in some replicates)
    whole = np.isfinite(se)
    assert whole[:2].all()
    assert_allclose(se[:2], [R[(key, f"dom_se{i}")] for i in (1, 2)], rtol=1e-8)


@pytest.mark.parametrize("policy", ["adjust", "certainty"])
def test_domain_missing_one_psu_of_a_jackknife(policy: str) -> None:
    # R's degf(subset(<JKn>, !(stratum == "Noord" & psu == "1")))
    design = _design(policy).replicate("jkn")
    outside = ~((DATA["stratum"] == "Noord") & (DATA["psu"] == "1")).to_numpy()
    table = mean("y", design, by=outside)
    assert isinstance(table, EstimateTable)
    assert table[True].df == R[(f"{policy}_jkn", "df_without_noord1")]


def test_domain_missing_one_psu_of_an_unstratified_jk1() -> None:
    # kills: a domain in all PSUs but one taking the design's df (_incidence.py), where R's
    # degf of its subset is one less (its replicate weights have rank k = 18 for 19 PSUs)
    frame = DATA.assign(pw=DATA["stratum"] + " " + DATA["psu"])
    design = SurveyDesign.from_frame(frame, weights="weight", clusters="pw").replicate("jk1")
    assert design.df == R[("jk1_psus", "df")]
    table = mean("y", design, by=(frame["pw"] != "Noord 1").to_numpy())
    assert isinstance(table, EstimateTable)
    assert table[True].df == R[("jk1_psus", "df_without_noord1")]
    assert table[False].df == 0.0  # one PSU


@pytest.mark.parametrize("policy", ["adjust", "certainty"])
def test_model_on_a_subset_that_drops_a_stratum(policy: str) -> None:
    # svyglm(y ~ x, subset(design, stratum != "Zuid"), family = quasibinomial()): residual df
    # degf(subset) - p + 1 = 7; kills the model taking the whole design's df (models.py)
    design = _design(policy).subset((DATA["stratum"] != "Zuid").to_numpy())
    fit = glm("y ~ x", None, design, family="quasibinomial")
    key = f"{policy}_glm_subset"
    assert fit.df_residual == R[(key, "df_residual")]
    assert_allclose(fit.params, [R[(key, "coef1")], R[(key, "coef2")]], rtol=1e-7)
    assert_allclose(fit.standard_errors, [R[(key, "se1")], R[(key, "se2")]], rtol=1e-6)


@pytest.mark.parametrize("policy", ["adjust", "certainty"])
def test_model_whose_missing_answers_empty_a_stratum(policy: str) -> None:
    # the answers of "Zuid" missing (a question not asked there): svyglm drops the rows, so
    # its fit and df are those of the subset above; kills the model taking the whole
    # design's df when rows are left out as missing (models.py)
    frame = DATA.assign(y=DATA["y"].where(DATA["stratum"] != "Zuid"))
    design = SurveyDesign.from_frame(
        frame, weights="weight", strata="stratum", clusters="psu", fpc="fpc", nest=True,
        lonely_psu=policy,
    )  # fmt: skip
    fit = glm("y ~ x", None, design, family="quasibinomial", na="domain")
    key = f"{policy}_glm_subset"
    assert fit.df_residual == R[(key, "df_residual")]
    assert_allclose(fit.standard_errors, [R[(key, "se1")], R[(key, "se2")]], rtol=1e-6)
