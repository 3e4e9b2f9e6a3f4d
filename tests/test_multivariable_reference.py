"""Several variables at once against R survey 4.1 (tests/reference/multivariable.R).

``total(["y", "x"], design, by="g")`` is R's ``svyby(~y + x, ~g, design, svytotal,
covmat=TRUE)``: one table whose domains are ``(variable, domain)`` with the joint covariance
of all of them, so that a contrast can take any smooth function across variables and
domains (R's ``svycontrast`` of an expression).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import read_reference_csv
from numpy.testing import assert_allclose
from test_design_reference import DATA

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    ReplicateDesign,
    SurveyDesign,
    contrast,
    mean,
    poststratify,
    proportion,
    ratio,
    total,
)

RTOL = 1e-9
R: dict[tuple[str, str, str, str], float] = {
    (r["design"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("multivariable.csv")
}
FRAME = pd.DataFrame(
    {
        **{k: DATA[k] for k in ("stratum", "cluster", "fpc", "weight", "y", "x", "b", "g", "g2")},
        "b2": (DATA["y"] > 11).astype(float),
    }
)
for _v in ("y", "x"):
    for _g in ("a", "b"):
        FRAME[f"{_v}_{_g}"] = FRAME[_v] * (FRAME["g"] == _g)


def _design(name: str) -> SurveyDesign | ReplicateDesign:
    if name == "poststrat":
        base = SurveyDesign.from_frame(
            FRAME, weights="weight", strata="stratum", clusters="cluster", lonely_psu="certainty"
        )
        return poststratify(base, "g2", {"x": 30000, "y": 50000})
    design = SurveyDesign.from_frame(
        FRAME,
        weights="weight",
        strata="stratum",
        clusters="cluster",
        fpc="fpc",
        lonely_psu="certainty",
    )
    return design.replicate("jkn") if name == "fpc_jkn" else design


DESIGNS = ["fpc", "fpc_jkn", "poststrat"]


def _r_label(label: object) -> str:
    """Our (variable, *domain) label as R's svyby name, e.g. ('y', 'a', 'x') -> 'a.x:y'."""
    if not isinstance(label, tuple):
        return str(label)
    variable, *domain = label
    return ".".join(str(d) for d in domain) + ":" + str(variable)


def _check_table(table: EstimateTable, design: str, estimator: str) -> None:
    labels = [_r_label(label) for label in table.domains]
    expected = [R[(design, estimator, label, "estimate")] for label in labels]
    assert_allclose(table.estimate, expected, rtol=RTOL)
    cov = np.array([[R[(design, estimator, f"{a}|{b}", "cov")] for b in labels] for a in labels])
    assert_allclose(table.covariance, cov, rtol=1e-8, atol=1e-12 * np.abs(cov).max())


@pytest.mark.parametrize("name", DESIGNS)
def test_several_totals_and_means_without_domains(name: str) -> None:
    design = _design(name)
    totals = total(["y", "x"], design)
    assert isinstance(totals, EstimateTable)
    assert totals.domains == ("y", "x")
    assert totals.by == ("variable",)
    _check_table(totals, name, "total")
    means = mean(["y", "x", "b"], design)
    assert isinstance(means, EstimateTable)
    _check_table(means, name, "mean")


@pytest.mark.parametrize("name", DESIGNS)
def test_several_domain_totals_as_totals_of_products(name: str) -> None:
    # R's svyby cannot give a calibrated design's domain covariance; the totals of y * [g == a]
    # are the same numbers, and every design can be checked this way
    table = total(["y", "x"], _design(name), by="g").reindex(
        [("y", "a"), ("y", "b"), ("x", "a"), ("x", "b")]
    )
    renamed = EstimateTable(
        domains=["y_a", "y_b", "x_a", "x_b"],
        estimate=table.estimate,
        standard_error=table.standard_error,
        df=table.df,
        n=table.n,
        deff=table.deff,
        n_effective=table.n_effective,
        covariance=table.covariance,
    )
    _check_table(renamed, name, "total_products")


@pytest.mark.parametrize("name", ["fpc", "fpc_jkn"])
@pytest.mark.parametrize(
    ("estimator", "run"),
    [
        ("total_by_g", lambda d: total(["y", "x"], d, by="g")),
        ("mean_by_g", lambda d: mean(["y", "x"], d, by="g")),
        ("proportion_by_g", lambda d: proportion(["b", "b2"], d, by="g")),
        ("mean_by_g_g2", lambda d: mean(["y", "x"], d, by=("g", "g2"))),
    ],
)
def test_several_variables_by_domain(name: str, estimator: str, run: object) -> None:
    table = run(_design(name))  # type: ignore[operator]
    assert isinstance(table, EstimateTable)
    assert table.by[0] == "variable"
    _check_table(table, name, estimator)


@pytest.mark.parametrize("name", DESIGNS)
def test_ratios_with_one_denominator(name: str) -> None:
    table = ratio(["y", "b"], "x", _design(name))
    assert isinstance(table, EstimateTable)
    assert table.domains == ("y", "b")
    for label, r_name in (("y", "y/x"), ("b", "b/x")):
        assert_allclose(table[label].estimate, R[(name, "ratio", r_name, "estimate")], rtol=RTOL)
        assert_allclose(table[label].standard_error, R[(name, "ratio", r_name, "se")], rtol=1e-8)


@pytest.mark.parametrize("name", ["fpc", "fpc_jkn"])
def test_nonlinear_contrasts_across_variables_and_domains(name: str) -> None:
    design = _design(name)
    totals = total(["y", "x"], design, by="g")
    assert isinstance(totals, EstimateTable)
    log_ratio = contrast(
        totals,
        lambda ay, ax, by_, bx: np.log(ay / ax) - np.log(by_ / bx),
        domains=[("y", "a"), ("x", "a"), ("y", "b"), ("x", "b")],
    )
    key = (name, "contrast_log_ratio_ab", "")
    assert_allclose(log_ratio.estimate, R[(*key, "estimate")], rtol=RTOL)
    assert_allclose(log_ratio.standard_error, R[(*key, "se")], rtol=1e-8)

    means = mean(["y", "x"], design, by="g")
    assert isinstance(means, EstimateTable)
    quotient = contrast(means, lambda cy, cx: cy / cx, domains=[("y", "c"), ("x", "c")])
    key = (name, "contrast_mean_ratio_c", "")
    assert_allclose(quotient.estimate, R[(*key, "estimate")], rtol=RTOL)
    assert_allclose(quotient.standard_error, R[(*key, "se")], rtol=1e-8)

    linear = contrast(means, {("y", "a"): 1, ("x", "a"): -2, ("y", "d"): 0.5})
    key = (name, "contrast_linear", "")
    assert_allclose(linear.estimate, R[(*key, "estimate")], rtol=RTOL)
    assert_allclose(linear.standard_error, R[(*key, "se")], rtol=1e-8)


def test_list_mapping_and_array_forms_agree() -> None:
    framed = _design("fpc")
    arrays = SurveyDesign(
        weights=DATA["weight"],
        strata=DATA["stratum"],
        clusters=DATA["cluster"],
        fpc=DATA["fpc"],
        lonely_psu="certainty",
    )
    by_names = mean(["y", "x"], framed, by="g")
    by_mapping = mean({"y": DATA["y"], "x": "x"}, framed, by="g")
    by_array = mean(np.column_stack([DATA["y"], DATA["x"]]), arrays, by=DATA["g"])
    assert isinstance(by_names, EstimateTable)
    assert isinstance(by_mapping, EstimateTable)
    assert isinstance(by_array, EstimateTable)
    assert by_mapping.domains == by_names.domains
    assert by_array.domains[0] == (0, "a")
    assert_allclose(by_mapping.estimate, by_names.estimate, rtol=1e-14)
    assert_allclose(by_array.covariance, by_names.covariance, rtol=1e-12)
    # one variable alone in a list still gives a table named by the variable
    single = mean(["y"], framed)
    assert isinstance(single, EstimateTable)
    assert single.domains == ("y",)
    plain = mean("y", framed)
    assert isinstance(plain, Estimate)
    assert single["y"].standard_error == plain.standard_error


def test_a_variable_table_matches_separate_calls() -> None:
    design = _design("fpc")
    both = total(["y", "x"], design, by="g")
    alone = total("x", design, by="g")
    assert isinstance(both, EstimateTable)
    assert isinstance(alone, EstimateTable)
    for label in alone.domains:
        assert_allclose(both[("x", label)].estimate, alone[label].estimate, rtol=1e-14)
        assert_allclose(both[("x", label)].standard_error, alone[label].standard_error, rtol=1e-12)
        assert both[("x", label)].df == alone[label].df
