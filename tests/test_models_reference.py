"""glm against R survey 4.1's svyglm (tests/reference/models.R).

Coefficients, their design-based covariance and residual df, regTermTest (F and
chi-square), confint, predict (response and link, with the covariance of the predictions)
and predictive margins (R's svypredmeans, and the full delta method computed in R from
svyrecvar and svrVar), on Taylor designs (fpc, lonely "adjust", two stages, post-stratified,
a subset) and replicate designs (JKn, JK1). R's fits use epsilon = 1e-14 so that both sides
report the limit of the iterations; the "default" models show R's own stopping rule.

R's coefficient names ("(Intercept)", "grpb", "x:g2y") are compared by position with
formulaic's ("Intercept", "grp[T.b]", "x:g2[T.y]"), which follow the same order.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from conftest import read_reference_csv
from numpy.testing import assert_allclose
from test_design_reference import DATA

from vpt_monitor.stats import (
    GLMResult,
    ReplicateDesign,
    SurveyDesign,
    glm,
    poststratify,
)

ROWS = read_reference_csv("models.csv")
R: dict[tuple[str, str, str, str], float] = {
    (r["design"], r["model"], r["item"], r["quantity"]): float(r["value"]) for r in ROWS
}
FRAME = pd.DataFrame(
    {
        **{k: DATA[k] for k in ("stratum", "cluster", "fpc", "weight", "y", "b", "x", "g2")},
        "grp": DATA["g"],
        "xc": DATA["x"] - 1,
        "x2": 2 * DATA["x"],
        "fpc2": pd.Series(DATA["cluster"]).map(pd.Series(DATA["cluster"]).value_counts() * 3),
    }
)
NEWDATA = pd.DataFrame(
    {"y": [8.0, 12.0, 10.5], "x": [1.0, 4.0, 2.0], "grp": ["a", "c", "d"], "g2": ["x", "y", "y"]}
)


def _taylor(**options: object) -> SurveyDesign:
    return SurveyDesign.from_frame(
        FRAME, weights="weight", strata="stratum", clusters="cluster", **options
    )


DESIGNS: dict[str, Callable[[], SurveyDesign | ReplicateDesign]] = {
    "fpc": lambda: _taylor(fpc="fpc", lonely_psu="certainty"),
    "adjust": lambda: _taylor(lonely_psu="adjust"),
    "two_stage": lambda: _taylor(fpc="fpc", fpc2="fpc2", lonely_psu="certainty"),
    "poststrat": lambda: poststratify(
        _taylor(lonely_psu="certainty"), "g2", {"x": 30000, "y": 50000}
    ),
    "subset": lambda: _taylor(fpc="fpc", lonely_psu="certainty").subset(
        lambda frame: frame["grp"] != "d"
    ),
    "jkn": lambda: _taylor(fpc="fpc", lonely_psu="certainty").replicate("jkn"),
    "jk1": lambda: SurveyDesign.from_frame(FRAME, weights="weight", clusters="cluster").replicate(
        "jk1"
    ),
}
MODELS = {
    "gauss": ("y ~ x + grp", "gaussian", {"grp": "grp", "x": "x"}, "grp"),
    "logit": ("b ~ y + x + g2", "quasibinomial", {"g2": "g2", "yx": ["y", "x"]}, "g2"),
    "binom": ("b ~ y + x + g2", "binomial", {"g2": "g2"}, None),
    "poisson": ("xc ~ y + g2", "quasipoisson", {"g2": "g2"}, "g2"),
    "inter": ("y ~ x * g2 + grp", "gaussian", {"xg2": "x:g2"}, None),
}
CASES = sorted({(r["design"], r["model"]) for r in ROWS if r["model"] in MODELS})
RTOL_COEF = 1e-9
RTOL_COV = 1e-8


def _coefficients(design: str, model: str) -> tuple[list[str], np.ndarray]:
    names = [
        r["item"]
        for r in ROWS
        if (r["design"], r["model"], r["quantity"]) == (design, model, "coef")
    ]
    return names, np.array([R[(design, model, name, "coef")] for name in names])


def _matrix(design: str, model: str, item: str, size: int) -> np.ndarray:
    return np.array(
        [
            [R[(design, model, f"{item}{i + 1}|{j + 1}", "cov")] for j in range(size)]
            for i in range(size)
        ]
    )


_FITS: dict[tuple[str, str], GLMResult] = {}


def _fit(design: str, model: str) -> GLMResult:
    if (design, model) not in _FITS:
        formula, family, _, _ = MODELS[model]
        _FITS[(design, model)] = glm(formula, None, DESIGNS[design](), family=family)
    return _FITS[(design, model)]


@pytest.mark.parametrize(("design", "model"), CASES)
def test_coefficients_covariance_and_df(design: str, model: str) -> None:
    fit = _fit(design, model)
    names, coef = _coefficients(design, model)
    assert len(fit.names) == len(names)
    assert fit.names[0] == "Intercept"
    assert_allclose(fit.params, coef, rtol=RTOL_COEF, atol=1e-12)
    cov = _matrix(design, model, "", len(names))
    assert_allclose(fit.covariance, cov, rtol=RTOL_COV, atol=1e-14 * np.abs(cov).max())
    assert fit.df_residual == R[(design, model, "", "df_residual")]
    ci = fit.confidence_interval(0.9)
    low = [R[(design, model, name, "low90")] for name in names]
    high = [R[(design, model, name, "high90")] for name in names]
    assert_allclose(ci.low, low, rtol=1e-8)
    assert_allclose(ci.high, high, rtol=1e-8)
    # the subset has no row of category "d": R's model.frame drops the level silently
    assert fit.flags == (
        ("empty_category",) if design == "subset" and "grp" in MODELS[model][0] else ()
    )


@pytest.mark.parametrize(("design", "model"), CASES)
def test_wald_tests_of_terms(design: str, model: str) -> None:
    fit = _fit(design, model)
    for label, terms in MODELS[model][2].items():
        key = (design, model, label)
        test = fit.wald_test(terms)
        assert test.name == "F"
        assert_allclose(test.statistic, R[(*key, "F")], rtol=1e-8)
        assert test.df == R[(*key, "df")]
        assert test.ddf == R[(*key, "ddf")]
        assert_allclose(test.p_value, R[(*key, "p")], rtol=1e-7)
        chisq = fit.wald_test(terms, df=np.inf)
        assert chisq.name == "X-squared"
        assert_allclose(chisq.statistic, R[(*key, "chisq")], rtol=1e-8)
        assert_allclose(chisq.p_value, R[(*key, "p_chisq")], rtol=1e-7)


@pytest.mark.parametrize(("design", "model"), [c for c in CASES if c[0] != "subset"])
@pytest.mark.parametrize("kind", ["response", "link"])
def test_predictions_with_their_covariance(design: str, model: str, kind: str) -> None:
    table = _fit(design, model).predict(NEWDATA, type=kind)
    expected = [R[(design, model, f"predict_{kind}{i}", "estimate")] for i in (1, 2, 3)]
    assert_allclose(table.estimate, expected, rtol=1e-9)
    cov = _matrix(design, model, f"predict_{kind}", 3)
    assert_allclose(table.covariance, cov, rtol=1e-8)
    assert table.domains == (0, 1, 2)


@pytest.mark.parametrize(
    ("design", "model"),
    [c for c in CASES if c[0] != "subset" and MODELS[c[1]][3] is not None],
)
def test_predictive_margins(design: str, model: str) -> None:
    fit = _fit(design, model)
    variable = MODELS[model][3]
    assert variable is not None
    full = fit.predictive_margins(variable)
    levels = list(full.domains)
    expected = [R[(design, model, f"margin_full_{level}", "estimate")] for level in levels]
    assert_allclose(full.estimate, expected, rtol=1e-9)
    assert_allclose(full.covariance, _matrix(design, model, "margins_full", len(levels)), rtol=1e-7)
    if (design, model, "margins_r1|1", "cov") in R:  # svypredmeans (Taylor designs only)
        r_style = fit.predictive_margins(variable, cross_covariance=False)
        expected = [R[(design, model, f"margin_{level}", "estimate")] for level in levels]
        assert_allclose(r_style.estimate, expected, rtol=1e-9)
        cov = _matrix(design, model, "margins_r", len(levels))
        assert_allclose(r_style.covariance, cov, rtol=1e-7)


@pytest.mark.parametrize("design", ["fpc", "jkn"])
def test_r_default_stopping_rule_agrees_to_the_stated_tolerances(design: str) -> None:
    # R stops when the deviance changes by less than 1e-8 of itself; the coefficients it
    # reports then differ from the limit in the 8th digit or so, its SEs a little more
    fit = _fit(design, "logit")
    names, coef = _coefficients(design, "logit_default")
    assert_allclose(fit.params, coef, rtol=1e-7)
    cov = _matrix(design, "logit_default", "", len(names))
    assert_allclose(fit.standard_errors, np.sqrt(np.diag(cov)), rtol=1e-5)


def test_aliased_column_is_nan_and_the_rest_is_r() -> None:
    with pytest.warns(UserWarning, match="aliased coefficients, reported as NaN: x2"):
        fit = glm("y ~ x + x2 + grp", None, DESIGNS["fpc"]())
    assert fit.flags == ("aliased",)
    assert "x2" in fit.flag_detail
    assert np.isnan(fit.params[2])
    assert np.isnan(fit.covariance[2]).all()
    keep = [0, 1, 3, 4, 5]
    names, coef = _coefficients("fpc", "alias")
    assert_allclose(fit.params[keep], coef, rtol=1e-9)
    cov = _matrix("fpc", "alias", "", len(names))
    assert_allclose(fit.covariance[np.ix_(keep, keep)], cov, rtol=1e-8)
    assert fit.df_residual == R[("fpc", "alias", "", "df_residual")]
    # a Wald test leaves the aliased coefficient out, as regTermTest does
    assert fit.wald_test(["x", "x2"]).df == 1
