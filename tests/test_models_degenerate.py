"""Degenerate cases and bad input of glm, chisq_test, t_test, quantile and var.

Degenerate cases are answered and flagged: perfect and quasi-complete separation, a
category without events in a Poisson model, aliased columns, a category without rows, too
few degrees of freedom, a table with one category, empty domains. Bad input raises at once
naming the argument, the value and where it is.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import polars as pl
import pytest
from numpy.testing import assert_allclose

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    SurveyDesign,
    chisq_test,
    contrast,
    glm,
    quantile,
    t_test,
    var,
)

RNG = np.random.default_rng(13)
N = 240
X = RNG.normal(size=N)
G = RNG.choice(["a", "b", "c"], N)
DESIGN = SurveyDesign(weights=RNG.uniform(1, 3, N), clusters=np.arange(N) // 4)


def test_perfect_separation_is_detected_and_named() -> None:
    data = {"y": (X > 0).astype(float), "x": X, "g": G}
    with pytest.warns(UserWarning, match=r"separation .* the coefficients of x run off"):
        fit = glm("y ~ x + g", data, DESIGN, family="binomial")
    assert "separation" in fit.flags
    assert "coefficients of x run off to infinity" in fit.flag_detail
    assert f"{N} rows are predicted exactly" in fit.flag_detail
    assert np.all(np.isfinite(fit.params))  # answered, not crashed on


def test_quasi_complete_separation_names_the_category() -> None:
    y = ((G == "b") | (RNG.random(N) < 0.3)).astype(float)
    with pytest.warns(UserWarning, match=r"g\[T\.b\] run off"):
        fit = glm("y ~ x + g", {"y": y, "x": X, "g": G}, DESIGN, family="quasibinomial")
    assert fit.flags == ("separation",)
    assert "g[T.b]" in fit.flag_detail
    assert "x" not in fit.flag_detail.split("coefficients of ")[1].split(" run")[0]


def test_a_poisson_category_without_events_is_flagged() -> None:
    count = RNG.poisson(2.0, N).astype(float)
    count[G == "c"] = 0
    with pytest.warns(UserWarning, match="no events in part of the data"):
        fit = glm("y ~ x + g", {"y": count, "x": X, "g": G}, DESIGN, family="poisson")
    assert "separation" in fit.flags
    assert "g[T.c]" in fit.flag_detail


def test_an_ordinary_fit_carries_no_flag_and_no_warning() -> None:
    y = (RNG.random(N) < 0.3 + 0.2 * (G == "b")).astype(float)
    fit = glm("y ~ x + g", {"y": y, "x": X, "g": G}, DESIGN, family="binomial")
    assert fit.flags == ()
    assert fit.converged
    assert fit.iterations < 10


def test_an_empty_category_is_left_out_and_flagged() -> None:
    office = pd.Categorical(G, categories=["a", "q", "b", "c"])  # "q" has no rows
    frame = pd.DataFrame({"y": X + (G == "b"), "office": office})
    fit = glm("y ~ office", frame, DESIGN)
    assert fit.names == ("Intercept", "office[T.b]", "office[T.c]")  # category order kept
    assert fit.flags == ("empty_category",)
    assert "'q'" in fit.flag_detail


def test_first_category_is_the_reference_in_category_order() -> None:
    frame = pd.DataFrame({"y": X, "office": pd.Categorical(G, categories=["c", "a", "b"])})
    fit = glm("y ~ office", frame, DESIGN)
    assert fit.names == ("Intercept", "office[T.a]", "office[T.b]")
    polars_fit = glm(
        "y ~ office",
        pl.DataFrame({"y": X, "office": pl.Series(G, dtype=pl.Enum(["c", "a", "b"]))}),
        DESIGN,
    )
    assert polars_fit.names == fit.names
    assert_allclose(polars_fit.params, fit.params, rtol=1e-12)


def test_too_few_degrees_of_freedom() -> None:
    design = SurveyDesign(weights=np.ones(12), clusters=np.repeat([1, 2, 3], 4))
    data = {"y": RNG.normal(size=12), "g": np.tile(["a", "b", "c", "d"], 3)}
    fit = glm("y ~ g", data, design)
    assert fit.df_residual == -1
    assert "no_df" in fit.flags
    assert np.all(np.isnan(fit.p_values))
    assert np.all(np.isnan(fit.confidence_interval().low))


def test_lonely_psu_under_adjust_is_used_by_the_model() -> None:
    design = SurveyDesign(
        weights=np.ones(9),
        strata=[1, 1, 1, 1, 2, 2, 2, 2, 3],
        clusters=[1, 1, 2, 2, 3, 3, 4, 4, 5],
        lonely_psu="adjust",
    )
    y = np.arange(9.0)
    fit = glm("y ~ 1", {"y": y}, design)
    assert np.isfinite(fit.standard_errors[0])
    assert fit.standard_errors[0] > 0


def test_missing_values_are_refused_or_left_out_as_na_omit() -> None:
    y = X.copy()
    y[[5, 9]] = np.nan
    data = {"y": y, "x": X, "g": G}
    with pytest.raises(ValueError, match=r"'y' has 2 missing values \(first at row 5\)"):
        glm("y ~ x", data, DESIGN)
    left_out = glm("y ~ x", data, DESIGN, na="domain")
    assert left_out.n == N - 2
    assert left_out.notes["missing"] == 2
    keep = ~np.isnan(y)
    on_subset = glm("y ~ x", {"y": np.where(keep, y, 0.0), "x": X}, DESIGN.subset(keep))
    assert_allclose(left_out.params, on_subset.params, rtol=1e-12)
    assert_allclose(left_out.covariance, on_subset.covariance, rtol=1e-10)
    assert left_out.df_residual == on_subset.df_residual


def test_bad_input_names_argument_value_and_place() -> None:
    data = {"y": X, "x": X, "g": G}
    with pytest.raises(ValueError, match=r"unknown family 'logistic'; valid values are 'gaussian'"):
        glm("y ~ x", data, DESIGN, family="logistic")
    with pytest.raises(ValueError, match="has no response"):
        glm("~ x", data, DESIGN)
    with pytest.raises(ValueError, match=r"cannot be parsed"):
        glm("y ~ (x", data, DESIGN)
    with pytest.raises(ValueError, match=r"uses 'age', which is not a column of 'data'"):
        glm("y ~ age", data, DESIGN)
    with pytest.raises(ValueError, match=r"needs a response between 0 and 1 .* got 1\.5 at row 3"):
        glm(
            "y ~ x", {"y": np.where(np.arange(N) == 3, 1.5, 0.0), "x": X}, DESIGN, family="binomial"
        )
    with pytest.raises(ValueError, match=r"'data' has 10 rows but the design has 240"):
        glm("y ~ x", {"y": X[:10], "x": X[:10]}, DESIGN)
    with pytest.raises(TypeError, match=r"'design' must be a SurveyDesign"):
        glm("y ~ x", data, "design")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'data' is None but the design was not made from a"):
        glm("y ~ x", None, DESIGN)
    with pytest.raises(ValueError, match=r"is not finite at row"):
        glm("y ~ np.log(x)", data, DESIGN)
    fit = glm("y ~ x + g", data, DESIGN)
    with pytest.raises(ValueError, match=r"'terms' names 'h', which is neither a term .* 'g'"):
        fit.wald_test("h")
    with pytest.raises(ValueError, match=r"'g' has 'z' at row 1, a category the model was not"):
        fit.predict({"x": [0.0, 1.0], "g": ["a", "z"]})
    with pytest.raises(ValueError, match=r"unknown type 'mean'; valid values are 'response'"):
        fit.predict({"x": [0.0], "g": ["a"]}, type="mean")
    with pytest.raises(ValueError, match=r"'x' is numeric: pass the values"):
        fit.predictive_margins("x")
    with pytest.raises(ValueError, match=r"'variable' 'h' is not a variable of the model"):
        fit.predictive_margins("h")


def test_expressions_go_through_formulaic() -> None:
    data = {"y": X, "x": np.abs(X) + 1, "g": G}
    fit = glm("y ~ np.log(x) + C(g)", data, DESIGN)
    assert fit.names == ("Intercept", "np.log(x)", "C(g)[T.b]", "C(g)[T.c]")
    plain = glm("y ~ lx + g", {"y": X, "lx": np.log(np.abs(X) + 1), "g": G}, DESIGN)
    assert_allclose(fit.params, plain.params, rtol=1e-12)
    at = fit.predict({"x": [1.0, np.e], "g": ["a", "c"]})
    assert_allclose(at.estimate, [fit.params[0], fit.params[0] + fit.params[1] + fit.params[3]])


def test_predictions_margins_and_contrasts_fit_together() -> None:
    y = (RNG.random(N) < 0.2 + 0.3 * (G == "c")).astype(float)
    fit = glm("y ~ x + g", {"y": y, "x": X, "g": G}, DESIGN, family="quasibinomial")
    link = fit.predict({"x": [0.0], "g": ["a"]}, type="link")
    assert_allclose(link.estimate[0], fit.params[0])
    assert_allclose(link.standard_error[0], fit.standard_errors[0])
    response = fit.predict({"x": [0.0], "g": ["a"]})
    assert response.confidence_interval().method == "logit"
    margins = fit.predictive_margins("g")
    assert margins.domains == ("a", "b", "c")
    assert margins.by == ("g",)
    assert np.all((margins.estimate > 0) & (margins.estimate < 1))
    gap = contrast(margins, {"c": 1, "a": -1})
    assert gap.estimate > 0
    ratio = contrast(fit, lambda b: np.exp(b), domains=["g[T.c]"])
    assert_allclose(ratio.estimate, np.exp(fit.params[3]))
    assert "GLMResult(quasibinomial" in repr(fit)
    frame = fit.to_pandas()
    assert list(frame.columns) == [
        "estimate",
        "standard_error",
        "statistic",
        "p_value",
        "low",
        "high",
    ]
    assert list(frame.index) == list(fit.names)


def test_replicate_margins_refit_per_replicate() -> None:
    y = (RNG.random(N) < 0.3).astype(float)
    jk = DESIGN.replicate("jk1")
    fit = glm("y ~ x + g", {"y": y, "x": X, "g": G}, jk, family="quasibinomial")
    full = fit.predictive_margins("g")
    summed = fit.predictive_margins("g", cross_covariance=False)
    assert_allclose(full.estimate, summed.estimate)
    assert full.notes["cross_covariance"]
    assert not summed.notes["cross_covariance"]
    taylor = glm("y ~ x + g", {"y": y, "x": X, "g": G}, DESIGN, family="quasibinomial")
    assert_allclose(full.standard_error, taylor.predictive_margins("g").standard_error, rtol=0.1)


def test_chisq_test_degenerate_tables_and_refusals() -> None:
    one = chisq_test(np.full(N, "a"), G, DESIGN)
    assert one.flags == ("no_test",)
    assert np.isnan(one.statistic)
    assert "1 row(s)" in one.notes["detail"]
    with pytest.raises(
        ValueError, match=r"unknown method 'pearson'; valid values are 'rao-scott-2'"
    ):
        chisq_test(G, G, DESIGN, method="pearson")
    assert chisq_test(G, X > 0, DESIGN, method="rao_scott_1").name == "X-squared"


def test_t_test_needs_two_groups_and_answers_an_empty_one() -> None:
    with pytest.raises(ValueError, match=r"'group' must have two categories .* it has 3"):
        t_test(X, G, DESIGN)
    y = np.where(G == "a", np.nan, X)
    empty = t_test(y, np.where(G == "a", "a", "b"), DESIGN, na="domain")
    assert empty.flags == ("no_test",)
    assert np.isnan(empty.statistic)


def test_quantile_bad_probabilities_and_empty_domains() -> None:
    with pytest.raises(ValueError, match=r"'q' must lie in \[0, 1\]; got q=1.5 at index 1"):
        quantile(X, DESIGN, [0.5, 1.5])
    with pytest.raises(ValueError, match=r"unknown method 'wald'; valid values are 'mean'"):
        quantile(X, DESIGN, 0.5, method="wald")
    y = np.where(G == "c", np.nan, X)
    table = quantile(y, DESIGN, 0.5, by=G, na="domain")
    assert isinstance(table, EstimateTable)
    assert "not_measured" in table.flags[2]
    assert np.isnan(table.estimate[2])
    assert np.isnan(table.confidence_interval().low[2])
    variances = var(y, DESIGN, by=G, na="domain")
    assert isinstance(variances, EstimateTable)
    assert np.isnan(variances.estimate[2])
    assert "not_measured" in variances.flags[2]
    single = quantile(X, DESIGN, 0.0)
    assert isinstance(single, Estimate)
    assert single.estimate == X.min()  # the inverse distribution function (R gives the 2nd)


def test_test_arguments_are_named_as_the_caller_wrote_them() -> None:
    # The new-user trial: chisq_test's x and y and t_test's group were all called 'by'
    design = SurveyDesign(weights=np.ones(6))
    with pytest.raises(ValueError, match=r"^'x' has a missing value"):
        chisq_test(["a", None, "b", "a", "b", "a"], ["x", "y"] * 3, design)
    with pytest.raises(ValueError, match=r"^'y' has a missing value"):
        chisq_test(["a", "b"] * 3, ["x", None, "y", "x", "y", "x"], design)
    with pytest.raises(ValueError, match=r"^'group' has a missing value"):
        t_test([1.0, 2, 3, 4, 5, 6], ["m", "v", "m", "v", None, "v"], design)
    # the t test says which difference it is
    result = t_test([1.0, 2, 3, 4, 5, 6], ["v", "m", "v", "m", "v", "m"], design)
    assert result.method == "Design-based t-test, mean of v minus mean of m"
    assert result.estimate == pytest.approx(3.0 - 4.0)  # v: 1, 3, 5; m: 2, 4, 6
    assert "mean of v minus mean of m" in repr(result)


def test_a_response_with_a_colon_is_told_to_use_backticks() -> None:
    # the README names columns such as incidents:verbaal; formulaic reads ':' as interaction
    design = SurveyDesign(weights=np.ones(4))
    data = {"incidents:verbaal": [1.0, 2.0, 3.0, 4.0], "g": ["a", "b", "a", "b"]}
    with pytest.raises(ValueError, match=r"write it in backticks, `incidents:verbaal`"):
        glm("incidents:verbaal ~ g", data, design)
    assert glm("`incidents:verbaal` ~ g", data, design).params.tolist() == [2.0, 1.0]
    # '-' and the right-hand side too (a reviewer's trial: 'a-b ~ x' said only "cannot be
    # evaluated"), and a backticked name with ':' is one variable, not an interaction
    more = {**data, "a-b": [1.0, 2.0, 4.0, 3.0], "channel:sociale-media": [0.0, 1.0, 1.0, 0.0]}
    with pytest.raises(ValueError, match=r"write it in backticks, `a-b`"):
        glm("a-b ~ g", more, design)
    with pytest.raises(ValueError, match=r"write it in backticks, `channel:sociale-media`"):
        glm("`a-b` ~ channel:sociale-media", more, design)
    fit = glm("`a-b` ~ `channel:sociale-media`", more, design)
    assert fit.names == ("Intercept", "channel:sociale-media")
    assert fit.params.tolist() == pytest.approx([2.0, 1.0])


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_weights_read_as_text_with_decimal_commas_get_the_readers_advice(library: str) -> None:
    # a Dutch CSV read without decimal=',': "has dtype str" said nothing of why
    import io

    text = "w;g\n1,5;a\n2,25;b\n"
    if library == "pandas":
        import pandas as pd

        frame = pd.read_csv(io.StringIO(text), sep=";")
        advice = r"pandas\.read_csv\(\.\.\., sep=';', decimal=','\)"
    else:
        import polars as pl

        frame = pl.read_csv(io.StringIO(text), separator=";")
        advice = r"polars\.read_csv\(\.\.\., separator=';', decimal_comma=True\)"
    with pytest.raises(
        TypeError, match=r"it holds '1,5' at row 0: a number with a decimal comma"
    ) as caught:
        SurveyDesign.from_frame(frame, weights="w")
    assert re.search(advice, str(caught.value))


def test_terms_of_backticked_names_are_tested_by_their_labels() -> None:
    # a column named with ':' is one factor: wald_test finds its term with or without the
    # backticks, and its interactions in any order
    rng = np.random.default_rng(0)
    n = 60
    design = SurveyDesign(weights=np.ones(n), clusters=np.arange(n) // 2)
    data = {
        "y": rng.normal(size=n),
        "channel:sociale-media": rng.integers(0, 2, n).astype(float),
        "g": rng.choice(["x", "y", "z"], n),
    }
    fit = glm("y ~ `channel:sociale-media` + g + g:`channel:sociale-media`", data, design)
    assert fit.wald_test("channel:sociale-media").df == 1
    assert fit.wald_test("`channel:sociale-media`").df == 1
    assert fit.wald_test("g").df == 2
    assert fit.wald_test("`channel:sociale-media`:g").df == 2
    assert fit.wald_test("g:channel:sociale-media").df == 2


def test_two_independent_separations_are_both_named() -> None:
    # an agency's file: nobody who never meets citizens was victimised, and the two
    # respondents of gender "x" both were; both coefficients run off (here to -30 and +60,
    # printed with t = -118 and 60), and the warning named gender[T.x] only
    rng = np.random.default_rng(1)
    n = 200
    frame = pd.DataFrame(
        {
            "organisation": np.repeat(np.arange(20), 10),
            "contact": rng.choice(["daily", "weekly", "never"], n),
            "gender": rng.choice(["m", "v"], n),
            "weight": 1.0,
        }
    )
    frame.loc[:3, "gender"] = "x"
    victim = rng.random(n) < 0.4
    victim[frame["contact"] == "never"] = False
    victim[frame["gender"] == "x"] = True
    frame["victim"] = victim
    design = SurveyDesign.from_frame(frame, weights="weight", clusters="organisation")
    with pytest.warns(UserWarning, match=r"contact\[T.never\], gender\[T.x\] run off"):
        fit = glm("victim ~ contact + gender", None, design, family="binomial")
    assert fit.flags == ("separation",)
    assert "contact[T.never], gender[T.x] run off" in fit.flag_detail
    assert "77 rows are predicted exactly" in fit.flag_detail
