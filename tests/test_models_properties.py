"""Properties of glm, chisq_test, t_test, quantile and var (hypothesis).

What must hold whatever the sample: scaling the weights or permuting the rows changes
nothing; a gaussian model with only an intercept is the mean, a logistic one the logit of
the proportion, a saturated two-group model the contrast of the two domain estimates;
the t test is the gaussian model's group coefficient; an unweighted simple random sample
gives Pearson's X^2 of the counts; quantiles are ordered and within the data.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats
from test_design_engine import samples

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    SurveyDesign,
    chisq_test,
    contrast,
    glm,
    mean,
    proportion,
    quantile,
    t_test,
    var,
)

Sample = dict[str, np.ndarray]


def _design(s: Sample, weights: np.ndarray | None = None, order: np.ndarray | None = None):  # type: ignore[no-untyped-def]
    take = slice(None) if order is None else order
    return SurveyDesign(
        weights=(s["weights"] if weights is None else weights)[take],
        strata=s["strata"][take],
        clusters=s["clusters"][take],
        fpc=s["fpc"][take],
    )


def _data(s: Sample, order: np.ndarray | None = None) -> dict[str, np.ndarray]:
    take = slice(None) if order is None else order
    return {
        "y": s["y"][take],
        "b": s["b"][take],
        "x": s["x"][take],
        "g": np.array(["a", "b", "c"])[s["g"]][take],
    }


def _fit(s: Sample, formula: str, family: str, **options: object):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        # tiny random samples may separate or alias; the properties hold all the same
        warnings.simplefilter("ignore", UserWarning)
        return glm(formula, _data(s, options.get("order")), _design(s, **options), family=family)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(samples())
def test_gaussian_model_with_only_an_intercept_is_the_mean(s: Sample) -> None:
    fit = _fit(s, "y ~ 1", "gaussian")
    plain = mean(s["y"], _design(s))
    assert isinstance(plain, Estimate)
    assert_allclose(fit.params[0], plain.estimate, rtol=1e-12)
    assert_allclose(fit.standard_errors[0], plain.standard_error, rtol=1e-9, atol=1e-15)
    assert fit.df_residual == plain.df


@settings(max_examples=60, deadline=None)
@given(samples())
def test_logistic_model_with_only_an_intercept_is_the_logit_of_the_share(s: Sample) -> None:
    share = proportion(s["b"], _design(s))
    assert isinstance(share, Estimate)
    if not 0 < share.estimate < 1:
        return
    fit = _fit(s, "b ~ 1", "quasibinomial")
    p = share.estimate
    assert_allclose(fit.params[0], np.log(p / (1 - p)), rtol=1e-9, atol=1e-12)
    assert_allclose(fit.standard_errors[0], share.standard_error / (p * (1 - p)), rtol=1e-7)


@settings(max_examples=60, deadline=None)
@given(samples(), st.floats(0.01, 100.0))
def test_scaling_the_weights_changes_nothing(s: Sample, factor: float) -> None:
    for formula, family in (("y ~ x + g", "gaussian"), ("b ~ x", "quasibinomial")):
        a = _fit(s, formula, family)
        if a.flags or not a.converged:  # no estimate exists (separation): nothing to compare
            continue
        b = _fit(s, formula, family, weights=s["weights"] * factor)
        assert_allclose(b.params, a.params, rtol=1e-8, atol=1e-10)
        assert_allclose(b.covariance, a.covariance, rtol=1e-7, atol=1e-12)
    qa = quantile(s["y"], _design(s), [0.25, 0.5])
    qb = quantile(s["y"], _design(s, s["weights"] * factor), [0.25, 0.5])
    assert isinstance(qa, EstimateTable)
    assert isinstance(qb, EstimateTable)
    assert_allclose(qb.estimate, qa.estimate)


@settings(max_examples=60, deadline=None)
@given(samples(), st.integers(0, 2**32 - 1))
def test_permuting_the_rows_changes_nothing(s: Sample, seed: int) -> None:
    order = np.random.default_rng(seed).permutation(len(s["y"]))
    a = _fit(s, "y ~ x + g", "gaussian")
    b = _fit(s, "y ~ x + g", "gaussian", order=order)
    assert_allclose(b.params, a.params, rtol=1e-9, atol=1e-10)
    assert_allclose(b.covariance, a.covariance, rtol=1e-7, atol=1e-12)
    qa = quantile(s["y"], _design(s), 0.5)
    qb = quantile(s["y"][order], _design(s, order=order), 0.5)
    assert isinstance(qa, Estimate)
    assert isinstance(qb, Estimate)
    assert qa.estimate == qb.estimate
    assert_allclose(qb.standard_error, qa.standard_error, rtol=1e-9)
    va, vb = var(s["y"], _design(s)), var(s["y"][order], _design(s, order=order))
    assert isinstance(va, Estimate)
    assert isinstance(vb, Estimate)
    assert_allclose(vb.estimate, va.estimate, rtol=1e-10)


@settings(max_examples=60, deadline=None)
@given(samples())
def test_saturated_two_group_models_are_contrasts_of_domains(s: Sample) -> None:
    group = np.where(s["g"] == 0, "a", "b")
    if len(set(group)) < 2:
        return
    data = {"y": s["y"], "b": s["b"], "grp": group}
    design = _design(s)
    fit = glm("y ~ grp", data, design)
    means = mean(s["y"], design, by=group)
    assert isinstance(means, EstimateTable)
    difference = contrast(means, {"b": 1, "a": -1})
    assert_allclose(fit.params[1], difference.estimate, rtol=1e-9, atol=1e-12)
    # a zero standard error (the difference lies within one PSU) is zero to the rounding of
    # sums of the weighted values: the tolerance is on their scale
    scale = float(np.max(np.abs(s["y"])))
    assert_allclose(
        fit.standard_errors[1], difference.standard_error, rtol=1e-8, atol=1e-13 * scale
    )
    test = t_test(s["y"], group, design)
    assert_allclose(test.estimate, fit.params[1], rtol=1e-9, atol=1e-12)
    assert test.ddf == fit.df_residual
    shares = proportion(s["b"], design, by=group)
    assert isinstance(shares, EstimateTable)
    if np.all((shares.estimate > 0.01) & (shares.estimate < 0.99)):
        logistic = glm("b ~ grp", data, design, family="quasibinomial")
        odds = contrast(
            shares,
            lambda a, b: np.log(b / (1 - b)) - np.log(a / (1 - a)),
            domains=("a", "b"),
        )
        assert_allclose(logistic.params[1], odds.estimate, rtol=1e-8, atol=1e-10)
        assert_allclose(logistic.standard_errors[1], odds.standard_error, rtol=1e-6, atol=1e-8)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(30, 200))
def test_unweighted_srs_gives_pearsons_statistic(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.choice(["a", "b", "c"], n)
    y = rng.choice(["u", "v"], n)
    counts = np.array([[np.sum((x == a) & (y == b)) for b in "uv"] for a in "abc"])
    if (counts.sum(axis=0) == 0).any() or (counts.sum(axis=1) == 0).any():
        return
    design = SurveyDesign(weights=np.ones(n))
    result = chisq_test(x, y, design, method="rao-scott-1")
    expected = stats.chi2_contingency(counts, correction=False).statistic
    assert_allclose(result.notes["pearson"], expected, rtol=1e-9)
    swapped = chisq_test(y, x, design)
    assert_allclose(swapped.statistic, chisq_test(x, y, design).statistic, rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(samples(), st.lists(st.floats(0.05, 0.95), min_size=2, max_size=5, unique=True))
def test_quantiles_are_ordered_and_within_the_data(s: Sample, qs: list[float]) -> None:
    q = sorted(qs)
    table = quantile(s["y"], _design(s), q)
    assert isinstance(table, EstimateTable)
    assert np.all(np.diff(table.estimate) >= 0)
    assert np.all((table.estimate >= s["y"].min()) & (table.estimate <= s["y"].max()))
    ci = table.confidence_interval()
    inside = np.isfinite(ci.low) & np.isfinite(ci.high)
    assert np.all(ci.low[inside] <= table.estimate[inside])
    assert np.all(table.estimate[inside] <= ci.high[inside])


def _formula_frame(rng: np.random.Generator, n: int, b_levels: list[str]) -> object:
    """Variables of every kind a formula takes; None when a category has no row."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "y": rng.normal(size=n),
            "a": pd.Categorical(rng.choice(["p", "q", "r"], n), categories=["r", "p", "q"]),
            "b": rng.choice(b_levels, n),
            "f": rng.random(n) < 0.4,
            "x": rng.normal(size=n),
            "z": rng.integers(0, 5, n).astype(float),
        }
    )
    if frame["a"].value_counts().min() == 0 or frame["b"].nunique() < len(b_levels):
        return None
    return frame


def _encoded(formula: str, data: object, n: int) -> tuple[Any, dict[str, Any], np.ndarray]:
    """The formula's spec learnt on ``data``, its variables and its model matrix."""
    from vpt_monitor.stats import _formula

    _, rhs, fast = _formula.parse(formula)
    assert fast
    variables = {name: _formula.read(data, name) for name in _formula.required(rhs)}
    spec, matrix = _formula.build_spec(formula, rhs, fast, variables, n)
    return spec, variables, matrix


FORMULAS = [
    "y ~ a",
    "y ~ a + b",
    "y ~ a * b",
    "y ~ x + a:x",
    "y ~ a:b",
    "y ~ 0 + a + x",
    "y ~ a * x * b",
    "y ~ x:z + a",
    "y ~ b + x:a:b",
    "y ~ z + x - 1",
]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(FORMULAS))
def test_the_fast_model_matrix_is_formulaics(seed: int, formula: str) -> None:
    # the fast path encodes a small prototype with formulaic and gathers; it must give
    # formulaic's own matrix for the whole data, column names and order included
    import formulaic

    n = 50
    frame = _formula_frame(np.random.default_rng(seed), n, ["u", "v", "w", "x"])
    if frame is None:
        return
    spec, _, ours = _encoded(formula, frame, n)
    theirs = formulaic.model_matrix(formula, frame).rhs
    assert spec.names == tuple(theirs.columns)
    assert_allclose(ours, np.asarray(theirs, dtype=float), rtol=0, atol=0)


FACTORED_FORMULAS = [
    "y ~ a",
    "y ~ a + b + f",
    "y ~ a * b",
    "y ~ a * f + x",
    "y ~ x + a:x + b",
    "y ~ 0 + a + b:f",
    "y ~ a + b + f + x + z",
    "y ~ a:b + f:x + a",
    "y ~ a + x:z + z",
    "y ~ x + z",
    "y ~ 1",
]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(FACTORED_FORMULAS))
def test_factored_cross_products_are_the_model_matrixs(seed: int, formula: str) -> None:
    # X'diag(v)X summed per combination of categories (and of 0/1 columns), and the group
    # sums of x_ij z_i the same way, must equal the products of the whole matrix
    from vpt_monitor.stats import _glm

    rng = np.random.default_rng(seed)
    n = 60
    frame = _formula_frame(rng, n, ["u", "v", "w"])
    if frame is None:
        return
    spec, variables, x = _encoded(formula, frame, n)
    factored = spec.factored(variables, n, force=True)
    assert factored is not None  # every formula of the list can be factored
    v = rng.uniform(0.0, 3.0, n)
    dense = x.T @ (x * v[:, None])
    assert_allclose(factored(v), dense, rtol=1e-12, atol=1e-12 * np.abs(dense).max())
    assert_allclose(_glm.gram(x, v), dense, rtol=1e-12, atol=1e-12 * np.abs(dense).max())
    groups = rng.integers(0, 5, n)
    z = rng.normal(size=n)
    sums = factored.group_sums(groups, 5, z)
    assert sums is not None
    expected = np.zeros((5, x.shape[1]))
    np.add.at(expected, groups, x * z[:, None])
    assert_allclose(sums, expected, rtol=1e-12, atol=1e-12 * np.abs(expected).max())
    # X'z, and the products of some rows and of some columns
    assert_allclose(factored.vector(z), x.T @ z, rtol=1e-12, atol=1e-12 * np.abs(x).sum())
    rows = rng.integers(0, n, 25)
    some = factored.take(rows)
    part = x[rows].T @ (x[rows] * v[rows, None])
    assert_allclose(some(v[rows]), part, rtol=1e-12, atol=1e-12 * np.abs(dense).max())
    kept = np.flatnonzero(rng.random(x.shape[1]) < 0.6)
    columns = _glm.restricted(some, kept)
    assert_allclose(columns(v[rows]), part[np.ix_(kept, kept)], rtol=1e-12, atol=1e-9)
    assert_allclose(columns.vector(z[rows]), (x[rows].T @ z[rows])[kept], rtol=1e-12, atol=1e-9)
    dense_products = _glm.Dense(x).take(rows)
    assert_allclose(dense_products(v[rows]), part, rtol=1e-12, atol=1e-9)
    # X beta, of the whole matrix and of the kept columns (the others' coefficients 0)
    beta = rng.normal(size=x.shape[1])
    scale = np.abs(x).sum(axis=1) * np.abs(beta).max()
    assert_allclose(factored.linear(beta), x @ beta, rtol=0, atol=1e-13 * scale.max())
    kept_beta = beta[kept]
    assert_allclose(columns.linear(kept_beta), x[rows][:, kept] @ kept_beta, atol=1e-12)
    assert factored.width == x.shape[1]
    assert columns.width == len(kept)
    assert factored.finite()


def test_cross_products_stay_whole_when_factoring_would_be_slower() -> None:
    def spec_of(formula: str, data: dict[str, np.ndarray]) -> tuple[Any, dict[str, Any]]:
        spec, variables, _ = _encoded(formula, data, len(data["x"]))
        return spec, variables

    rng = np.random.default_rng(3)
    n = 50_000
    office = np.array(["a", "b", "c", "d", "e", "f"])[rng.integers(0, 6, n)]
    data = {"x": rng.normal(size=n), "z": rng.normal(size=n), "o": office}
    data["f"] = (rng.random(n) < 0.5).astype(float)
    # the benchmark's shape: categories, a 0/1 column and two numbers: six pairs, cheaper
    spec, variables = spec_of("y ~ o + x + z + f", data)
    assert spec.factored(variables, n) is not None  # type: ignore[attr-defined]
    # two numbers and no categories: three pairs for six matrix entries per row
    spec, variables = spec_of("y ~ x + z", data)
    assert spec.factored(variables, n) is None  # type: ignore[attr-defined]
    assert spec.factored(variables, n, force=True) is not None  # type: ignore[attr-defined]
    # more combinations of categories than rows: no table of combinations at all
    small = {"g": np.arange(40).astype(str), "x": rng.normal(size=40)}
    spec, variables = spec_of("y ~ g + x", small)
    assert spec.factored(variables, 40, force=True) is not None  # type: ignore[attr-defined]
    few = {name: v.take(np.arange(39)) for name, v in variables.items()}  # type: ignore[attr-defined]
    assert spec.factored(few, 39, force=True) is None  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.floats(0.1, 900.0),
    st.sampled_from([1, 200, 16_384, 16_385, 40_000]),
)
def test_binary_logistic_evaluation_is_the_families_formulas(
    seed: int, spread: float, n: int
) -> None:
    # mean, derivative, residual and deviance from one exponential equal the textbook
    # formulas wherever those are exact, and stay finite where 1 - mu would cancel; in
    # blocks of 16,384 rows (one, the last one short, several), into arrays given or fresh
    from scipy import special

    from vpt_monitor.stats import _glm

    rng = np.random.default_rng(seed)
    eta = rng.uniform(-spread, spread, n)
    y = (rng.random(n) < 0.5).astype(float)
    w = rng.uniform(0.1, 2.0, n)
    fam = _glm.family("binomial")
    signs = fam.signs(y)
    assert signs is not None
    given_arrays = (np.full(n, np.nan), np.full(n, np.nan))
    got = fam.evaluate(eta, y, w, signs, out=given_arrays if seed % 2 else None)
    assert (got.working is given_arrays[0]) == bool(seed % 2)
    # exact for any eta: no cap on the exponential (a capped deviance stopped the iterations
    # from seeing that a step through an outlier made the fit worse)
    # below 1e-300, subnormal numbers carry fewer digits (scipy's expit gives 0 there)
    mu = special.expit(eta)
    shown = (mu > 1e-300) & (1 - mu > 0)
    assert_allclose(got.mu()[shown], mu[shown], rtol=1e-13, atol=0)
    assert np.all(np.minimum(got.mu(), 1 - got.mu())[~shown] <= 1e-300)
    derivative = special.expit(eta) * special.expit(-eta)
    normal = derivative > 1e-300
    assert_allclose(got.working[normal], w[normal] * derivative[normal], rtol=1e-12, atol=0)
    assert np.all(got.working[~normal] <= w[~normal] * 1e-300)
    residual = np.where(y == 1, special.expit(-eta), -mu)
    assert_allclose(got.score, w * residual, rtol=1e-12, atol=1e-300)
    z = np.where(y == 1, eta, -eta)
    expected = 2.0 * np.sum(w * np.logaddexp(0.0, -z))
    assert_allclose(got.deviance, expected, rtol=1e-12)
    assert fam.signs(np.array([0.0, 0.5, 1.0])) is None  # shares take the general formulas
