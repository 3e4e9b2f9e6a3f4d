"""The fast paths of glm give the answers of the plain ones (a reviewer's trial of issue 13).

glm sums X'WX per combination of categories (``_formula.FactoredCross``), evaluates a 0/1
logistic response from one exponential, starts large fits from a fit to a subsample and
builds X'WX in blocks of rows. Each is checked here against the plain computation: the
dense matrix, R's starting values, the general formulas, a loop over the columns.
"""

from __future__ import annotations

import warnings

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from vpt_monitor.stats import SurveyDesign, _formula, _glm, glm

pytest.importorskip("formulaic")


def _frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "a": rng.choice(["p", "q", "r"], n),
            "f": rng.random(n) < 0.4,
            "x": rng.normal(size=n),
            "z": rng.normal(size=n),
        }
    )
    eta = 0.8 * frame["x"] - 0.3 * frame["z"] + 0.5 * frame["f"] - 0.2
    frame["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    frame["w"] = rng.uniform(0.5, 2.0, n)
    frame["psu"] = np.arange(n) // 5
    return frame


def _fit(frame: pd.DataFrame, formula: str, **options: object):  # type: ignore[no-untyped-def]
    design = SurveyDesign.from_frame(frame, weights="w", clusters="psu")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return glm(formula, frame, design, **options)  # type: ignore[arg-type]


def test_a_large_fit_from_a_subsample_is_the_fit_from_rs_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 25,000 rows start from a fit to 4,000 of them; the answer is the limit all the same
    frame = _frame(25_000, 1)
    formula = "y ~ a + f + x + z + a:x + x:z"
    fast = _fit(frame, formula, family="quasibinomial")
    monkeypatch.setattr(_formula.ModelSpec, "factored", lambda *args, **kwargs: None)
    monkeypatch.setattr(_glm, "WARM_START", 10**12)
    slow = _fit(frame, formula, family="quasibinomial")
    assert fast.names == slow.names
    assert_allclose(fast.params, slow.params, rtol=1e-10, atol=1e-12)
    assert_allclose(fast.standard_errors, slow.standard_errors, rtol=1e-8)
    assert fast.deviance == pytest.approx(slow.deviance, rel=1e-12)


def test_outliers_far_beyond_the_exponentials_range_do_not_stop_the_iterations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Three rows at |x| = 1e5 give |eta| far above 700. A deviance capped there was flat in
    # their direction: the fit stopped at a slope of 0.63 where the estimate is about 0
    frame = _frame(25_000, 1)
    rows = [10, 20, 30]
    frame.loc[rows, "x"] = [1e5, -1e5, 1e5]
    frame.loc[rows, "y"] = [0.0, 1.0, 1.0]
    fast = _fit(frame, "y ~ a + x + z", family="binomial")  # subsample start, factored
    monkeypatch.setattr(_formula.ModelSpec, "factored", lambda *args, **kwargs: None)
    monkeypatch.setattr(_glm, "WARM_START", 10**12)
    reference = _fit(frame, "y ~ a + x + z", family="binomial")  # dense, R's start
    assert fast.converged
    assert reference.converged
    assert_allclose(fast.params, reference.params, rtol=1e-8, atol=1e-12)
    assert abs(fast.params[3]) < 1e-3
    # the deviance reported is the textbook one at the coefficients
    matrix = np.column_stack(
        [np.ones(len(frame)), frame["a"] == "q", frame["a"] == "r", frame["x"], frame["z"]]
    ).astype(float)
    w = frame["w"].to_numpy() / frame["w"].mean()
    y = frame["y"].to_numpy()
    eta = matrix @ fast.params
    exact = float(2 * np.sum(w * np.logaddexp(0.0, np.where(y == 1, -eta, eta))))
    assert fast.deviance == pytest.approx(exact, rel=1e-12)


def test_aliased_columns_on_the_factored_path_are_those_of_the_dense_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frame = _frame(30_000, 4)
    frame["g"] = frame["f"]  # a second yes/no column equal to the first
    formula = "y ~ a + f + g + x + a:z"
    design = SurveyDesign.from_frame(frame, weights="w", clusters="psu")
    with pytest.warns(UserWarning, match="aliased"):
        fast = glm(formula, frame, design, family="quasibinomial")
    monkeypatch.setattr(_formula.ModelSpec, "factored", lambda *args, **kwargs: None)
    monkeypatch.setattr(_glm, "WARM_START", 10**12)
    with pytest.warns(UserWarning, match="aliased"):
        slow = glm(formula, frame, design, family="quasibinomial")
    assert "aliased" in fast.flags
    assert np.isnan(fast.params[fast.names.index("g")])  # booleans enter as numbers
    assert_allclose(fast.params, slow.params, rtol=1e-10, atol=1e-12)
    assert_allclose(fast.standard_errors, slow.standard_errors, rtol=1e-8)


def test_replicate_refits_take_the_factored_products_too(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _frame(6_000, 5)
    design = SurveyDesign.from_frame(frame, weights="w", clusters="psu").replicate("jk1")
    formula = "y ~ a + f + x + x:z"
    calls = []
    original = _formula.FactoredCross.__call__

    def counted(self: _formula.FactoredCross, weights: np.ndarray) -> np.ndarray:
        calls.append(1)
        return original(self, weights)

    monkeypatch.setattr(_formula.FactoredCross, "__call__", counted)
    monkeypatch.setattr(
        _formula.ModelSpec,
        "factored",
        lambda self, variables, n, force=False: _ORIGINAL_FACTORED(self, variables, n, force=True),
    )
    fast = glm(formula, frame, design, family="quasibinomial")
    assert len(calls) > design.replicates  # every replicate refit used them
    monkeypatch.setattr(_formula.ModelSpec, "factored", lambda *args, **kwargs: None)
    slow = glm(formula, frame, design, family="quasibinomial")
    assert_allclose(fast.params, slow.params, rtol=1e-10)
    assert_allclose(fast.standard_errors, slow.standard_errors, rtol=1e-8)


_ORIGINAL_FACTORED = _formula.ModelSpec.factored


@pytest.mark.parametrize("n", [0, 1, 4095, 4096, 4097, 9000])
def test_the_gram_matrix_in_blocks_is_the_whole_product(n: int) -> None:
    rng = np.random.default_rng(n)
    x = rng.normal(size=(n, 7))
    w = rng.uniform(0.0, 3.0, n)
    expected = x.T @ (x * w[:, None])
    for matrix in (np.asfortranarray(x), np.ascontiguousarray(x), x[:, ::-1][:, ::-1]):
        assert_allclose(_glm.gram(matrix, w), expected, rtol=1e-12, atol=1e-12)


def _kept_by_projection(matrix: np.ndarray, tol: float) -> list[int]:
    """The columns kept in order, by projecting each on those kept before it."""
    kept: list[int] = []
    for j in range(matrix.shape[0]):
        norm2 = matrix[j, j]
        if not norm2 > 0:
            continue
        if kept:
            block = matrix[np.ix_(kept, kept)]
            cross = matrix[kept, j]
            residual = norm2 - cross @ np.linalg.solve(block, cross)
        else:
            residual = norm2
        if residual > tol * norm2:
            kept.append(j)
    return kept


@pytest.mark.parametrize("seed", range(12))
def test_aliased_columns_are_found_as_by_projection(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(200, 8))
    if seed % 3 == 1:
        x[:, 5] = x[:, 1] - 2.0 * x[:, 3]  # exactly aliased
    elif seed % 3 == 2:
        x[:, 6] = x[:, 2] + 1e-7 * rng.normal(size=200)  # nearly aliased, kept
        x[:, 4] = 0.0  # a column of zeros
    matrix = x.T @ x
    found = _glm.kept_columns(matrix).tolist()
    assert found == _kept_by_projection(matrix, _glm.ALIAS_TOLERANCE)
    if seed % 3 == 0:
        assert found == list(range(8))  # the one factorisation of the common case


def test_a_plain_formula_fitted_without_its_matrix_still_refuses_values_not_finite(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the factored path makes no model matrix; an infinite number must still be named with
    # its column and row, and the matrix must still be made for separation and influence
    made: list[int] = []
    original_matrix = _formula.ModelSpec.matrix

    def counted(self: _formula.ModelSpec, variables: object, n: int) -> np.ndarray:
        made.append(n)
        return original_matrix(self, variables, n)  # type: ignore[arg-type]

    monkeypatch.setattr(_formula.ModelSpec, "matrix", counted)
    frame = _frame(600, 4)
    formula = "y ~ a * f + x + z"  # eight columns: factored
    fit = _fit(frame, formula, family="quasibinomial")
    assert 600 not in made  # fitted, with design-based SEs, and no matrix of the rows made
    assert np.all(np.isfinite(fit.standard_errors))
    frame.loc[7, "z"] = np.inf
    with pytest.raises(ValueError, match=r"column 'z' is not finite at row 7"):
        _fit(frame, formula, family="quasibinomial")
    # huge but finite numbers whose sum overflows are not refused
    frame.loc[7, "z"] = 1e308
    frame.loc[8, "z"] = 1e308
    assert _fit(frame, formula, family="quasibinomial").names == fit.names


def test_a_result_does_not_follow_later_changes_to_the_callers_columns() -> None:
    # a reviewer's trial of the speed-ups: reading float columns without a copy made the
    # predictive margins of a finished fit change when the caller scaled its own array
    rng = np.random.default_rng(0)
    n = 400
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(float)
    data = {"y": y, "x": x, "g": rng.choice(["a", "b"], n)}
    design = SurveyDesign(weights=np.ones(n), clusters=np.arange(n) // 4)
    fit = glm("y ~ g + x", data, design, family="binomial")
    before = fit.predictive_margins("g")
    x *= 3.0
    y[:] = 1.0 - y
    after = fit.predictive_margins("g")
    assert_allclose(after.estimate, before.estimate, rtol=0, atol=0)
    assert_allclose(after.standard_error, before.standard_error, rtol=0, atol=0)


@pytest.mark.parametrize("family", ["gaussian", "binomial"])
@pytest.mark.parametrize("formula", ["y ~ 0", "y ~ -1", "y ~ 0 + z", "y ~ 0 + z:g"])
def test_a_model_without_a_coefficient_to_estimate_is_fitted(formula: str, family: str) -> None:
    # a reviewer's trial of the LAPACK solves: a system of no unknowns (no columns, or every
    # column aliased) made dpotrs fail with an f2py shape error
    rng = np.random.default_rng(0)
    n = 50
    y = rng.normal(size=n)
    data = {"y": (y > 0).astype(float) if family == "binomial" else y, "z": np.zeros(n)}
    data["g"] = rng.choice(["a", "b"], n)  # type: ignore[assignment]
    design = SurveyDesign(weights=np.ones(n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = glm(formula, data, design, family=family)
    assert np.all(np.isnan(fit.params))
    assert len(fit.params) == (0 if "z" not in formula else 1 if ":" not in formula else 2)
    # the deviance of the model eta = 0: the sum of squares, or 2n log 2
    expected = float(np.sum(y**2)) if family == "gaussian" else 2 * n * np.log(2)
    assert fit.deviance == pytest.approx(expected, rel=1e-12)
    assert _glm.solve(np.zeros((0, 0)), np.zeros(0)).shape == (0,)


def test_a_category_in_one_psu_has_no_jackknife_variance_and_says_so() -> None:
    # a reviewer's trial: the JK1 replicate that drops the only PSU of a category cannot
    # estimate its coefficient. The version before raised "array must not contain infs or
    # NaNs", then every standard error came out NaN with numpy's warnings; R's svyglm stops
    # with "$ operator is invalid for atomic vectors". The others are estimable in every
    # replicate: their SEs are those of the model without the category in that replicate.
    rng = np.random.default_rng(0)
    n = 2000
    psu = np.arange(n) // 100
    g = np.where(np.arange(n) < 50, "rare", rng.choice(["a", "b"], n))
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(float)
    data = {"y": y, "g": g, "x": x}
    design = SurveyDesign(weights=np.ones(n), clusters=psu).replicate("jk1")
    with pytest.warns(UserWarning, match=r"leave 'g\[T.rare\]' without rows in some replicates"):
        fit = glm("y ~ g + x", data, design, family="binomial")
    assert fit.names == ("Intercept", "g[T.b]", "g[T.rare]", "x")
    assert "replicate_aliased" in fit.flags
    assert "'g[T.rare]' (1)" in fit.flag_detail
    se = fit.standard_errors
    assert np.isnan(se[2])
    assert np.all(np.isfinite(se[[0, 1, 3]]))
    # the margins of the other categories do not need it: only 'rare' has no variance
    margins = fit.predictive_margins("g")
    assert np.isnan(margins.standard_error[2])
    assert np.all(np.isfinite(margins.standard_error[:2]))
    assert np.isfinite(fit.wald_test("x").statistic)
    # by hand: the replicates' coefficients, the one without the category refitted without it
    by_hand = []
    for dropped in range(20):
        keep = psu != dropped
        w = np.where(keep, 20 / 19, 0.0)
        sub = SurveyDesign(weights=w[keep], clusters=psu[keep])
        formula = "y ~ g + x" if dropped else "y ~ x + b"
        part = {"y": y[keep], "g": g[keep], "x": x[keep], "b": (g[keep] == "b").astype(float)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            params = glm(formula, part, sub, family="binomial").params
        by_hand.append(params if dropped else [params[0], params[2], np.nan, params[1]])
    replicates = np.array(by_hand)
    # centred on the replicates' mean, as R's svrepdesign (mse=FALSE) and this library
    variance = 19 / 20 * ((replicates - replicates.mean(axis=0)) ** 2).sum(axis=0)
    assert_allclose(se[[0, 1, 3]], np.sqrt(variance[[0, 1, 3]]), rtol=1e-7)


def test_a_matrix_held_whole_gives_up_its_aliased_columns_once() -> None:
    # a reviewer's trial: wrapping the whole matrix made every iteration and replicate refit
    # of y ~ C(g):C(k) + np.log(pos) (150 of 181 columns aliased) form X'WX of all 181
    # columns: 1.6 s -> 17 s with 20 bootstrap replicates. The kept columns are taken once.
    rng = np.random.default_rng(2)
    x = np.asfortranarray(rng.normal(size=(40, 6)))
    kept = np.array([0, 2, 5])
    chosen = _glm.restricted(_glm.Dense(x), kept)
    assert isinstance(chosen, _glm.Dense)
    assert chosen.x.shape == (40, 3)
    assert chosen.x.flags.f_contiguous
    v = rng.uniform(0.5, 2.0, 40)
    assert_allclose(chosen(v), (x.T @ (x * v[:, None]))[np.ix_(kept, kept)], rtol=1e-12)
    assert _glm.restricted(chosen, np.arange(3)) is chosen


def test_a_negligible_last_step_is_taken_without_evaluating_the_family_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # From the subsample's start three Newton steps reach the limit; the fourth step is too
    # small to overshoot and is taken blind. The fitted means must still be those of the
    # final coefficients, and the fit as precise as one that evaluates every step.
    rng = np.random.default_rng(7)
    n = 30_000
    x = np.column_stack([np.ones(n), rng.normal(size=(n, 3)), rng.random(n) < 0.3])
    y = (rng.random(n) < 1 / (1 + np.exp(-(x @ [-0.4, 0.8, -0.3, 0.1, 0.6])))).astype(float)
    w = rng.uniform(0.2, 3.0, n)
    sizes: list[int] = []
    binary = _glm._binary

    def counted(eta, *args):  # type: ignore[no-untyped-def]
        sizes.append(len(eta))
        return binary(eta, *args)

    monkeypatch.setattr(_glm, "_binary", counted)
    family = _glm.family("quasibinomial")
    kept, fast = _glm.fit(_glm.Dense(x), y, w, family)
    assert len(kept) == 5
    assert fast.converged
    assert sizes.count(n) == 4  # the start and three steps; the fourth is not evaluated
    assert_allclose(fast.eta, x @ fast.coefficients, rtol=1e-13, atol=1e-13)
    assert_allclose(fast.mu, 1 / (1 + np.exp(-(x @ fast.coefficients))), rtol=1e-13)
    # against R's start and iterations that stop on the deviance alone
    monkeypatch.setattr(_glm, "WARM_START", 10**12)
    slow = _glm.irls(_glm.Dense(x), y, w, family, tolerance=0.0)
    assert_allclose(fast.coefficients, slow.coefficients, rtol=1e-12)
    # the working weights of the coefficients before the last step, as R keeps them
    assert_allclose(fast.information, slow.information, rtol=1e-8)
    assert fast.deviance == pytest.approx(slow.deviance, rel=1e-14)


def test_a_subsample_that_misleads_the_start_does_not_mislead_the_fit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a documentation writer's trial: on the simulated waves, the King's Commissioners (38
    # of 33,781 respondents) got -3e53 with a standard error of 0 and no flag. The 4,000-row
    # subsample held few of them, its coefficient for them (-4.7) started the full-sample
    # steps where their rows' working weights vanish, and the iterations "converged" there.
    from vpt_monitor import model
    from vpt_monitor.synth import simulate

    data = simulate()
    formula = "victimised ~ wave + office + gender"
    fast = model(data, formula)
    assert fast.flags == ()
    monkeypatch.setattr(_glm, "WARM_START", 10**12)
    plain = model(data, formula)
    assert fast.names == plain.names
    assert_allclose(fast.params, plain.params, rtol=1e-10, atol=1e-12)
    assert_allclose(fast.standard_errors, plain.standard_errors, rtol=1e-8)
    cdk = fast.names.index("office[T.cdk]")
    assert 1.0 < fast.params[cdk] < 2.5
    assert 0.1 < fast.standard_errors[cdk] < 0.4


def test_a_category_whose_rows_all_have_one_outcome_is_flagged_as_separated() -> None:
    # all four King's Commissioners of 2014 were victimised: the estimate does not exist.
    # The iterations stopped at 22.4 (fitted 1 - 6e-10), inside the old 1e-10 of the edge
    # that starts the search for separation, and it went unflagged with a t of 309
    from vpt_monitor import model
    from vpt_monitor.synth import simulate

    with pytest.warns(UserWarning, match="separation"):
        fit = model(simulate(waves=(2014,)), "victimised ~ office", wave=2014)
    assert "separation" in fit.flags
    assert "office[T.cdk]" in fit.flag_detail


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(-40.0, 40.0), min_size=1, max_size=30),
    st.sampled_from(["quasibinomial", "poisson"]),
    st.booleans(),
)
def test_suspicious_judged_on_the_linear_predictor_is_the_means_rule(
    etas: list[float], name: str, some_unweighted: bool
) -> None:
    # the rule as written on the means: a row with weight fitted within EDGE of 0 (or 1)
    eta = np.array(etas)
    family = _glm.family(name)
    # a predictor within rounding of the edge may fall either side in either form
    edges = [np.log(_glm.EDGE / (1 - _glm.EDGE)), -np.log(_glm.EDGE / (1 - _glm.EDGE))]
    edges = edges if family.base == "binomial" else [np.log(_glm.EDGE)]
    assume(all(np.min(np.abs(eta - edge)) > 1e-9 for edge in edges))
    mu = family.mean(eta)
    w = np.ones(len(eta))
    if some_unweighted:
        w[::2] = 0.0
    used = w > 0
    near = (mu[used] < _glm.EDGE).any()
    if family.base == "binomial":
        near = near or (mu[used] > 1 - _glm.EDGE).any()
    fit = _glm.Fit(np.zeros(1), eta, mu, np.eye(1), 0.0, 3, True)
    assert _glm.suspicious(fit, family, w) == bool(near)
    assert _glm.suspicious(attrs.evolve(fit, converged=False), family, w)


def test_a_replicate_that_separates_a_category_is_flagged() -> None:
    # An analyst's trial: 4 strata of 2 PSUs, BRR. Every "no" of category b lies in one PSU,
    # so each half-sample that drops that PSU has b = "yes" throughout: its refit has no
    # estimate (the coefficient runs off), and the replicate variance built on it means
    # nothing (R's fit there ran to 62; its SE of b 20.4, ours 23.7, neither meaningful).
    # The full sample is fine, and the fit carried no flag.
    rng = np.random.default_rng(5)
    strata = np.repeat(np.arange(4), 40)
    psu = np.repeat(np.arange(8), 20)
    g = np.where(rng.random(160) < 0.3, "b", "a")
    y = (rng.random(160) < 0.4).astype(float)
    b_rows = np.flatnonzero(g == "b")
    y[b_rows] = 1.0
    y[b_rows[psu[b_rows] == 0][:3]] = 0.0  # the only "no" answers of b, all in PSU 0
    data = {"y": y, "g": g}
    design = SurveyDesign(weights=np.ones(160), strata=strata, clusters=psu).replicate("brr")
    with pytest.warns(UserWarning, match="replicate"):
        fit = glm("y ~ g", data, design, family="quasibinomial")
    assert fit.converged
    assert "separation" not in fit.flags  # the full sample has an estimate
    assert "replicate_separation" in fit.flags
    assert "g[T.b]" in fit.flag_detail
    # a design whose replicates all have estimates carries no such flag
    y2 = y.copy()
    y2[b_rows[psu[b_rows] != 0][:8]] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clean = glm("y ~ g", {"y": y2, "g": g}, design, family="quasibinomial")
    assert "replicate_separation" not in clean.flags


def test_replicates_of_a_fit_near_the_edge_without_separation_are_not_flagged() -> None:
    # a reviewer's trial: y ~ x with x from -10 to 10 (fitted means down to 1e-9, no
    # separation) was flagged replicate_separation in 30 of 30 jackknife replicates, "the
    # coefficients of some coefficients run off to infinity"
    rng = np.random.default_rng(4)
    n = 600
    x = np.linspace(-10, 10, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-2 * x))).astype(float)
    data = {"y": y, "x": x}
    design = SurveyDesign(
        weights=rng.uniform(1, 3, n), strata=np.arange(n) % 30 // 10, clusters=np.arange(n) % 30
    )
    taylor = glm("y ~ x", data, design, family="quasibinomial")
    assert taylor.flags == ()
    for replicated in (
        design.replicate("jkn"),
        design.replicate("bootstrap", replicates=40, seed=1),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fit = glm("y ~ x", data, replicated, family="quasibinomial")
        assert fit.flags == ()
        assert_allclose(fit.params, taylor.params)
