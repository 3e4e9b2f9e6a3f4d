"""Properties of contrasts and of the degrees of freedom of sets of domains (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from test_design_engine import samples

from vpt_monitor.stats import EstimateTable, SurveyDesign, _cells, contrast, mean, proportion
from vpt_monitor.stats.contrasts import gradient


def _table(s: dict[str, np.ndarray], estimator: str = "mean") -> EstimateTable:
    design = SurveyDesign(weights=s["weights"], strata=s["strata"], clusters=s["clusters"])
    if estimator == "proportion":
        table = proportion(s["b"], design, by=s["g"])
    else:
        table = mean(s["y"], design, by=s["g"])
    assert isinstance(table, EstimateTable)
    return table


coefficient = st.floats(-5, 5, allow_nan=False).filter(lambda c: abs(c) > 1e-3)


@settings(max_examples=60)
@given(samples(), coefficient, coefficient)
def test_linear_mapping_and_callable_agree(s: dict[str, np.ndarray], c1: float, c2: float) -> None:
    table = _table(s)
    assume(len(table) >= 2)
    a, b = table.domains[:2]
    linear = contrast(table, {a: c1, b: c2})
    function = contrast(table, lambda x, y: c1 * x + c2 * y, domains=(a, b))
    assert_allclose(function.estimate, linear.estimate, rtol=1e-12, atol=1e-12)
    assert_allclose(function.standard_error, linear.standard_error, rtol=1e-9, atol=1e-12)
    assert function.df == linear.df
    assert function.n == linear.n


@settings(max_examples=60)
@given(samples())
def test_smooth_function_of_a_linear_contrast_is_the_chain_rule(s: dict[str, np.ndarray]) -> None:
    # exp(a - b) has gradient exp(a - b) * (1, -1): its se is exp(a - b) times the linear one
    table = _table(s)
    assume(len(table) >= 2)
    a, b = table.domains[:2]
    linear = contrast(table, {a: 1, b: -1})
    smooth = contrast(table, lambda x, y: np.exp(x - y), domains=(a, b))
    assert_allclose(smooth.estimate, np.exp(linear.estimate), rtol=1e-12)
    assert_allclose(
        smooth.standard_error, np.exp(linear.estimate) * linear.standard_error, rtol=1e-9
    )


@settings(max_examples=40)
@given(samples())
def test_functions_without_complex_input_fall_back_to_central_differences(
    s: dict[str, np.ndarray],
) -> None:
    table = _table(s)
    assume(len(table) >= 2)
    a, b = table.domains[:2]
    assume(table[a].estimate > 0.5 and table[b].estimate > 0.5)
    exact = contrast(table, lambda x, y: np.log(x / y), domains=(a, b))
    with_math = contrast(table, lambda x, y: math.log(x / y), domains=(a, b))  # no complex
    with_abs = contrast(table, lambda x, y: np.log(abs(x) / y), domains=(a, b))  # not analytic
    for other in (with_math, with_abs):
        assert_allclose(other.estimate, exact.estimate, rtol=1e-12)
        assert_allclose(other.standard_error, exact.standard_error, rtol=1e-6)


@settings(max_examples=40)
@given(samples())
def test_reindexing_with_empty_domains_changes_no_contrast(s: dict[str, np.ndarray]) -> None:
    table = _table(s, "proportion")
    assume(len(table) >= 2)
    a, b = table.domains[:2]
    wide = table.reindex(["nobody", *table.domains, "nobody either"])
    for t in (table, wide):
        assert t.degrees_of_freedom([a, b]) == table.degrees_of_freedom([a, b])
    k, w = contrast(table, {a: 1, b: -1}), contrast(wide, {a: 1, b: -1})
    assert (k.estimate, k.standard_error, k.df) == (w.estimate, w.standard_error, w.df)
    assert_allclose(wide.covariance_of([a, b]), table.covariance_of([a, b]), rtol=1e-15)


@settings(max_examples=60)
@given(samples(), st.data())
def test_degrees_of_freedom_of_sets_of_domains(
    s: dict[str, np.ndarray], data: st.DataObject
) -> None:
    table = _table(s)
    design = SurveyDesign(weights=s["weights"], strata=s["strata"], clusters=s["clusters"])
    # one domain: its own df; all domains: the design's
    for i, label in enumerate(table.domains):
        assert table.degrees_of_freedom([label]) == table.df[i]
    assert table.degrees_of_freedom(table.domains) == design.df
    # adding domains never lowers the df; by hand from the rows of the union
    chosen = data.draw(st.lists(st.sampled_from(table.domains), min_size=1, unique=True))
    rows = np.isin(s["g"], chosen)
    by_hand = len(np.unique(s["clusters"][rows])) - len(np.unique(s["strata"][rows]))
    assert table.degrees_of_freedom(chosen) == by_hand
    assert all(table.degrees_of_freedom(chosen) >= table.degrees_of_freedom([c]) for c in chosen)
    # the sparse path keeps the same record
    limit = _cells.DENSE_LIMIT
    _cells.DENSE_LIMIT = 0
    try:
        sparse = _table(s)
    finally:
        _cells.DENSE_LIMIT = limit
    assert sparse.degrees_of_freedom(chosen) == by_hand


@settings(max_examples=60)
@given(
    st.floats(0.01, 100, allow_nan=False),
    st.floats(0.01, 100, allow_nan=False),
)
def test_gradient_by_complex_step_is_exact(a: float, b: float) -> None:
    theta = np.array([a, b])
    assert_allclose(gradient(lambda x, y: x / y, theta), [1 / b, -a / b**2], rtol=1e-14)
    assert_allclose(
        gradient(lambda x, y: np.log(x) * y, theta), [b / a, math.log(a)], rtol=1e-13, atol=1e-300
    )


def test_contrast_refusals() -> None:
    s = {
        "weights": np.ones(6),
        "strata": np.zeros(6, int),
        "clusters": np.arange(6),
        "y": np.arange(6.0),
        "g": np.array([1, 1, 2, 2, 3, 3]),
    }
    table = _table(s)
    with pytest.raises(ValueError, match="needs 'domains'"):
        contrast(table, lambda a, b: a / b)
    with pytest.raises(ValueError, match="'domains' is for a function"):
        contrast(table, {1: 1}, domains=(1,))
    with pytest.raises(ValueError, match="contrast names 4, which is not a domain"):
        contrast(table, lambda a, b: a / b, domains=(1, 4))
    with pytest.raises(TypeError, match="must return one real number"):
        contrast(table, lambda a, b: (a, b), domains=(1, 2))
    with pytest.raises(TypeError, match="'coefficients' must be a mapping"):
        contrast(table, [1, -1])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="the coefficient of 1 must be a number"):
        contrast(table, {1: "one"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="unknown method 'asin'"):
        contrast(table, {1: 1}, method="asin")


def test_a_contrast_counts_each_respondent_once() -> None:
    # The new-user trial: a contrast of predictive margins reported n=2400 on 1200
    # respondents, a decomposition n=1676 on about 875: rows in several domains of one table
    # (the variables of a total, the predictions of one model) were summed once per domain
    from vpt_monitor.stats import glm, quantile, total

    rng = np.random.default_rng(11)
    n = 40
    design = SurveyDesign(weights=rng.uniform(1, 3, n), clusters=np.arange(n) // 2)
    by = np.arange(n) % 4  # four domains of ten rows
    table = total({"y": rng.normal(size=n), "n": np.ones(n)}, design, by=by)
    assert contrast(table, {("y", 0): 1, ("n", 0): -1}).n == 10  # one domain, two variables
    assert contrast(table, {("y", 0): 1, ("n", 1): -1}).n == 20  # two domains
    assert contrast(table, {("y", 0): 1, ("y", 1): 1, ("n", 0): 1, ("n", 1): 1}).n == 20
    # relabelled and reindexed tables keep which domains share rows; an added domain has none
    wide = table.reindex([*table.domains, ("y", 9)])
    assert wide.row_sets is not None
    assert wide.domains[4] == ("n", 0)
    assert wide.rows_of(np.array([0, 4, 8])) == 10  # ("y", 0), ("n", 0) and the empty one
    # domains of a by never overlap: their rows add up
    means = mean(rng.normal(size=n), design, by=by)
    assert means.row_sets is None
    assert contrast(means, {0: 1, 1: -1}).n == 20
    # every coefficient or prediction of a model rests on the model's rows
    data = {"y": rng.normal(size=n), "g": np.array(["a", "b"])[np.arange(n) % 2]}
    fit = glm("y ~ g", data, design)
    assert contrast(fit.to_table(), {"Intercept": 1, "g[T.b]": 1}).n == n
    margins = fit.predictive_margins("g")
    assert contrast(margins, {"a": 1, "b": -1}).n == n
    # quantiles at two probabilities describe the same rows
    both = quantile(rng.normal(size=n), design, [0.25, 0.75])
    assert contrast(both, {0.25: -1, 0.75: 1}).n == n
