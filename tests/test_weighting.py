"""calibrate, adjust_nonresponse, trim_weights, weight_diagnostics: errors and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from test_design_reference import DATA

from vpt_monitor.stats import (
    SurveyDesign,
    adjust_nonresponse,
    calibrate,
    mean,
    rake,
    total,
    trim_weights,
    weight_diagnostics,
)

POP_G2 = {"x": 5000.0, "y": 6000.0}
POP_G = {"a": 4000.0, "b": 3500.0, "c": 2500.0, "d": 1000.0}
MARGINS = {"g2": (DATA["g2"], POP_G2), "g": (DATA["g"], POP_G)}


def _design(**options: object) -> SurveyDesign:
    return SurveyDesign(
        weights=DATA["weight"],
        strata=DATA["stratum"],
        clusters=DATA["cluster"],
        lonely_psu="certainty",
        **options,  # type: ignore[arg-type]
    )


# ---- errors ---------------------------------------------------------------------------


def test_sample_category_missing_from_the_margin() -> None:
    with pytest.raises(ValueError, match="margin 'g': the sample has cell 'd'"):
        calibrate(_design(), {"g": (DATA["g"], {"a": 1.0, "b": 2.0, "c": 3.0})})


def test_margin_category_without_sample() -> None:
    with pytest.raises(ValueError, match=r"population cell 'e' .* has no sample"):
        calibrate(_design(), {"g": (DATA["g"], {**POP_G, "e": 10.0})})


def test_margins_that_disagree() -> None:
    with pytest.raises(
        ValueError, match=r"different population totals \('g2': 11000, 'g': 12000\)"
    ):
        calibrate(_design(), {"g2": (DATA["g2"], POP_G2), "g": (DATA["g"], {**POP_G, "d": 2000})})


def test_infeasible_bounds_name_the_category() -> None:
    # category d: 16 rows with weight sum ~ 500 must reach 3000: g about 6
    with pytest.raises(
        ValueError, match="infeasible bounds: margin 'g' category 'd' needs g-weights"
    ):
        calibrate(
            _design(), {"g": (DATA["g"], {**POP_G, "d": 3000.0})}, method="logit", bounds=(0.5, 2.0)
        )


def test_jointly_infeasible_bounds() -> None:
    # each category alone is reachable within the bounds, all of them at once are not
    office = np.array(["m", "m", "a", "a"])
    sex = np.array(["f", "v", "f", "v"])
    design = SurveyDesign(weights=[1.0, 1.0, 1.0, 1.0])
    margins = {
        "office": (office, {"m": 3.0, "a": 1.0}),
        "sex": (sex, {"f": 1.0, "v": 3.0}),
    }
    with pytest.raises(ValueError, match=r"no g-weights within bounds=.*meet all margins"):
        calibrate(design, margins, method="linear", bounds=(0.4, 1.6))


def test_non_convergence_is_an_error_as_in_r() -> None:
    with pytest.raises(ValueError, match="did not converge in 1 iterations"):
        calibrate(_design(), MARGINS, method="raking", max_iter=1)


def test_negative_greg_weights_are_refused() -> None:
    design = SurveyDesign(weights=[1.0, 1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="linear calibration gives weights <= 0"):
        calibrate(design, totals={"x": ([1.0, 2.0, 3.0, 4.0], 5.0), "one": ([1.0] * 4, 4.0)})
    # a mean of x below its smallest value: no positive weights at all, and no bounds help
    with pytest.raises(ValueError, match="no weights >= 0 meet all margins and totals"):
        calibrate(design, totals={"x": ([1.0, 2.0, 3.0, 4.0], 1.0), "one": ([1.0] * 4, 4.0)})


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="unknown method 'greg'"):
        calibrate(_design(), MARGINS, method="greg")
    with pytest.raises(ValueError, match="method='logit' needs finite bounds"):
        calibrate(_design(), MARGINS, method="logit")
    with pytest.raises(ValueError, match="L < 1 < U"):
        calibrate(_design(), MARGINS, bounds=(1.2, 3.0))
    with pytest.raises(TypeError, match="'bounds' must be a pair"):
        calibrate(_design(), MARGINS, bounds=2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one margin or total"):
        calibrate(_design())
    with pytest.raises(ValueError, match="'max_iter' must be"):
        calibrate(_design(), MARGINS, max_iter=0)
    with pytest.raises(TypeError, match="population total must be a number"):
        calibrate(_design(), totals={"x": (DATA["x"], "many")})  # type: ignore[dict-item]


def test_calibrated_and_subset_designs_are_refused() -> None:
    once = calibrate(_design(), MARGINS)
    with pytest.raises(ValueError, match="calibrated already"):
        calibrate(once, MARGINS)
    with pytest.raises(ValueError, match="calibrate the full design"):
        calibrate(_design().subset(DATA["b"] == 1), MARGINS)


def test_replicate_without_sample_in_a_category() -> None:
    # category d lies in few clusters; drop all but one of them from a jackknife replicate
    only = DATA["g"] != "d"
    only[np.flatnonzero(DATA["g"] == "d")[0]] = True
    keep = only
    design = SurveyDesign(weights=DATA["weight"][keep], clusters=DATA["cluster"][keep])
    jk = design.replicate("jk1")
    with pytest.raises(ValueError, match=r"replicate \d+: margin 'g' category 'd' has no sample"):
        calibrate(jk, {"g": (DATA["g"][keep], POP_G)})


def test_nonresponse_class_without_respondents() -> None:
    responded = DATA["g"] != "c"
    with pytest.raises(
        ValueError, match="weighting class 'c' has 48 sampled rows but no respondent"
    ):
        adjust_nonresponse(_design(), responded, DATA["g"])


def test_trim_errors() -> None:
    with pytest.raises(ValueError, match="'lower' must be below 'upper'"):
        trim_weights(_design(), upper=10.0, lower=20.0)
    with pytest.raises(ValueError, match="every weight lies outside"):
        trim_weights(SurveyDesign(weights=[5.0, 6.0]), upper=4.0)
    with pytest.raises(ValueError, match="weights must stay > 0"):
        trim_weights(SurveyDesign(weights=[1.0, 1.0, 100.0]), lower=60.0)


# ---- behaviour and hand formulas ---------------------------------------------------------


def test_nonresponse_hand_formula_and_class_totals() -> None:
    design = _design()
    rng = np.random.default_rng(3)
    responded = rng.random(design.n) < 0.6
    adjusted = adjust_nonresponse(design, responded, DATA["g"])
    assert isinstance(adjusted, SurveyDesign)
    assert adjusted.n == int(responded.sum())
    w = DATA["weight"]
    for label in "abcd":
        cls = DATA["g"] == label
        factor = w[cls].sum() / w[cls & responded].sum()
        assert_allclose(
            adjusted.weights[(DATA["g"] == label)[responded]], w[cls & responded] * factor
        )
    # the class totals of the whole sample are kept
    assert_allclose(adjusted.weights.sum(), w.sum())


def test_nonresponse_on_a_frame_keeps_the_respondents_rows() -> None:
    frame = pd.DataFrame(
        {"w": [10.0, 10.0, 10.0, 20.0, 20.0], "cls": list("mmmaa"), "ok": [1, 0, 1, 1, 0]}
    )
    frame["ok"] = frame["ok"].astype(bool)
    design = SurveyDesign.from_frame(frame, weights="w")
    adjusted = adjust_nonresponse(design, "ok", "cls")
    assert adjusted.weights.tolist() == [15.0, 15.0, 40.0]
    assert mean("w", adjusted).estimate == pytest.approx((15 * 10 + 15 * 10 + 40 * 20) / 70)


def test_nonresponse_of_a_replicate_design() -> None:
    jk = SurveyDesign(weights=DATA["weight"], clusters=DATA["cluster"]).replicate("jk1")
    responded = np.arange(DATA["y"].size) % 5 != 0
    adjusted = adjust_nonresponse(jk, responded, DATA["g2"])
    full = adjust_nonresponse(jk.base, responded, DATA["g2"])
    assert_allclose(adjusted.weights, full.weights)
    # each replicate keeps its own class totals
    rw = jk.replicate_weights()
    new = adjusted.replicate_weights()  # type: ignore[union-attr]
    for label in ("x", "y"):
        cls = DATA["g2"] == label
        assert_allclose(new[cls[responded]].sum(axis=0), rw[cls].sum(axis=0))


def test_trim_without_redistribution_only_clips() -> None:
    design = SurveyDesign(weights=[1.0, 2.0, 3.0, 10.0])
    assert trim_weights(design, upper=6.0, redistribute=False).weights.tolist() == [1, 2, 3, 6]
    assert trim_weights(design, upper=20.0) is design


def test_rake_and_raking_calibration_agree() -> None:
    raked = rake(_design(), MARGINS, tol=1e-13, max_iter=500)
    calibrated = calibrate(_design(), MARGINS, method="raking", tol=1e-13)
    assert_allclose(calibrated.weights, raked.weights, rtol=1e-9)


def test_frame_design_takes_column_names() -> None:
    frame = pd.DataFrame(
        {k: DATA[k] for k in ("weight", "stratum", "cluster", "g", "g2", "x", "y")}
    )
    design = SurveyDesign.from_frame(
        frame, weights="weight", strata="stratum", clusters="cluster", lonely_psu="certainty"
    )
    by_name = calibrate(design, {"g2": POP_G2, "g": POP_G}, totals={"x": 30000.0})
    by_array = calibrate(_design(), MARGINS, totals={"x": (DATA["x"], 30000.0)})
    assert_allclose(by_name.weights, by_array.weights, rtol=1e-12)
    assert_allclose(
        mean("y", by_name).standard_error, mean(DATA["y"], by_array).standard_error, rtol=1e-12
    )


def test_diagnostics_by_domain_and_g_weights() -> None:
    calibrated = calibrate(_design(), MARGINS, method="logit", bounds=(0.8, 2.2))
    diagnostics = weight_diagnostics(calibrated, by=DATA["g"])
    assert diagnostics.domains == ("a", "b", "c", "d")
    w = calibrated.weights
    for i, label in enumerate("abcd"):
        part = w[DATA["g"] == label]
        assert diagnostics.deff[i] == pytest.approx(1 + (part.std() / part.mean()) ** 2)
        assert diagnostics.n_effective[i] == pytest.approx(part.sum() ** 2 / (part**2).sum())
        assert diagnostics.weights["median"][i] == pytest.approx(np.median(part))
        assert diagnostics.weights["q1"][i] == pytest.approx(np.quantile(part, 0.25))
    assert diagnostics.g is not None
    assert diagnostics.g["minimum"].min() > 0.8
    assert diagnostics.g["maximum"].max() < 2.2
    table = diagnostics.to_pandas()
    assert list(table.index) == ["a", "b", "c", "d"]
    assert "g_deff" in table.columns
    assert "g max" in str(diagnostics)
    figure = diagnostics.figure()
    assert len(figure.axes) == 2


# ---- properties ---------------------------------------------------------------------------


@st.composite
def samples(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(8, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    weights = rng.uniform(1, 10, n)
    a = np.arange(n) % 2
    b = rng.permutation(np.arange(n) % 3)
    x = rng.uniform(0, 5, n)
    return weights, a, b, x


@settings(max_examples=40, deadline=None)
@given(samples(), st.sampled_from(["linear", "raking", "logit"]))
def test_calibrated_weights_reproduce_the_margins(
    s: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], method: str
) -> None:
    weights, a, b, x = s
    design = SurveyDesign(weights=weights)
    # targets from a perturbed version of the sample's own totals, reachable within bounds
    rng = np.random.default_rng(int(weights.sum() * 1000) % 2**32)
    scale = weights * rng.uniform(0.9, 1.1, weights.size)
    pop_a = {k: float(scale[a == k].sum()) for k in (0, 1)}
    pop_b = {k: float(scale[b == k].sum()) for k in (0, 1, 2)}
    target_x = float(scale @ x)
    out = calibrate(
        design,
        {"a": (a, pop_a), "b": (b, pop_b)},
        totals={"x": (x, target_x)},
        method=method,
        bounds=(0.3, 3.0) if method == "logit" else None,
        tol=1e-10,
    )
    for k, count in pop_a.items():
        assert out.weights[a == k].sum() == pytest.approx(count, rel=1e-8)
    for k, count in pop_b.items():
        assert out.weights[b == k].sum() == pytest.approx(count, rel=1e-8)
    assert out.weights @ x == pytest.approx(target_x, rel=1e-8)


@settings(max_examples=30, deadline=None)
@given(samples(), st.sampled_from(["linear", "raking", "logit"]))
def test_calibrating_to_the_sample_totals_is_the_identity(
    s: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], method: str
) -> None:
    weights, a, _, x = s
    design = SurveyDesign(weights=weights)
    out = calibrate(
        design,
        {"a": (a, {k: float(weights[a == k].sum()) for k in (0, 1)})},
        totals={"x": (x, float(weights @ x))},
        method=method,
        bounds=(0.5, 2.0) if method == "logit" else None,
    )
    assert_allclose(out.weights, weights, rtol=1e-10)


@settings(max_examples=30, deadline=None)
@given(samples(), st.floats(0.05, 20.0), st.sampled_from(["linear", "raking"]))
def test_calibration_does_not_depend_on_the_scale_of_the_weights(
    s: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], factor: float, method: str
) -> None:
    weights, a, b, x = s
    y = x**2
    rng = np.random.default_rng(int(weights.sum() * 1000) % 2**32)
    scale = 30 * weights * rng.uniform(0.9, 1.1, weights.size)
    margins = {
        "a": (a, {k: float(scale[a == k].sum()) for k in (0, 1)}),
        "b": (b, {k: float(scale[b == k].sum()) for k in (0, 1, 2)}),
    }
    totals = {"x": (x, float(scale @ x))}
    one = calibrate(SurveyDesign(weights=weights), margins, totals=totals, method=method, tol=1e-11)
    other = calibrate(
        SurveyDesign(weights=weights * factor), margins, totals=totals, method=method, tol=1e-11
    )
    assert_allclose(other.weights, one.weights, rtol=1e-8)
    assert total(y, other).standard_error == pytest.approx(total(y, one).standard_error, rel=1e-6)


@settings(max_examples=30, deadline=None)
@given(samples())
def test_trimming_keeps_the_total_and_caps_the_trimmed(
    s: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    weights = s[0]
    upper = float(np.quantile(weights, 0.8))
    out = trim_weights(SurveyDesign(weights=weights), upper=upper)
    assert out.weights.sum() == pytest.approx(weights.sum())
    assert np.all(out.weights[weights > upper] == upper)
    assert np.all(out.weights[weights <= upper] > weights[weights <= upper])


# ---- calibrated weights against the fpc's population ---------------------------------------


def _persons_with_fpc() -> tuple[SurveyDesign, list[str]]:
    # two strata of 150 and 200 persons, three and two sampled, one row per person
    design = SurveyDesign(
        weights=[50.0, 50.0, 50.0, 100.0, 100.0],
        strata=[1, 1, 1, 2, 2],
        fpc=[150, 150, 150, 200, 200],
    )
    return design, ["a", "b", "a", "b", "a"]


def test_calibrating_to_the_fpcs_population_is_silent() -> None:
    import warnings

    from vpt_monitor.stats import poststratify

    design, office = _persons_with_fpc()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        poststratify(design, office, {"a": 200.0, "b": 150.0})  # 350 = 150 + 200
        calibrate(design, {"office": (office, {"a": 190.0, "b": 170.0})})  # +2.9%: within 5%
        # fractions and two-stage sizes count other things than the weights: not compared
        fractions = SurveyDesign(weights=[2.0] * 4, strata=[1, 1, 2, 2], fpc=[0.5] * 4)
        calibrate(fractions, {"office": (["a", "b", "a", "b"], {"a": 100.0, "b": 100.0})})
        clustered = SurveyDesign(
            weights=[5.0] * 4, strata=[1, 1, 1, 1], clusters=[1, 1, 2, 2], fpc=[10] * 4
        )
        calibrate(clustered, {"office": (["a", "b", "a", "b"], {"a": 50.0, "b": 50.0})})


@pytest.mark.parametrize("how", ["poststratify", "rake", "calibrate"])
def test_calibrating_to_another_population_than_the_fpcs_warns(how: str) -> None:
    from vpt_monitor.stats import poststratify

    design, office = _persons_with_fpc()
    counts = {"a": 300.0, "b": 200.0}  # 500 persons where the fpc says 350
    calibrations = {
        "poststratify": lambda: poststratify(design, office, counts),
        "rake": lambda: rake(design, {"office": (office, counts)}),
        "calibrate": lambda: calibrate(design, {"office": (office, counts)}),
    }
    with pytest.warns(
        UserWarning, match=r"add up to a population of 500 but the fpc gives 350 \(\+42\.9%\)"
    ):
        result = calibrations[how]()
    assert result.weights.sum() == pytest.approx(500.0)  # calibrated all the same


@pytest.mark.parametrize(
    ("method", "bounds"), [("raking", None), ("linear", None), ("logit", (0.01, 100.0))]
)
def test_totals_no_positive_weights_can_meet_are_named_not_blamed_on_iterations(
    method: str, bounds: tuple[float, float] | None
) -> None:
    # a tester's trial: every respondent of 'y' is also a 'q', yet y's total is the larger;
    # the messages said "raise max_iter or widen the bounds", or "give bounds", or "widen
    # the bounds" - none of which can help
    n = 60
    a = np.array(["x", "y"])[np.arange(n) % 2]
    b = np.where(np.arange(n) % 4 == 0, "p", "q")
    margins = {"a": (a, {"x": 100.0, "y": 900.0}), "b": (b, {"p": 500.0, "q": 500.0})}
    with pytest.raises(ValueError, match="no weights >= 0 meet all margins") as caught:
        calibrate(SurveyDesign(weights=np.ones(n)), margins, method=method, bounds=bounds)
    message = str(caught.value)
    assert (
        "margin 'a' category 'y', total 900, has only respondents who are also in margin 'b' "
        "category 'q', total 500" in message
    )
    assert "max_iter" not in message
    assert "widen" not in message


def test_bounded_raking_that_stalls_as_r_does_says_to_use_logit() -> None:
    # a tester's trial: --bounds 0.2,3 with raking, g-weights of 0.26, 0.34 and 1.77 needed,
    # all within the bounds: "Raise max_iter or widen the bounds", neither of which helps
    weights = np.array([1.5, 2.0, 2.7, 2.5, 3.0]) * 10242 / 11.7
    office = np.array(["mayor", "alderman", "alderman", "councillor", "councillor"])
    margins = {"office": (office, {"mayor": 342.0, "alderman": 1400.0, "councillor": 8500.0})}
    design = SurveyDesign(weights=weights)
    with pytest.raises(ValueError, match="did not converge") as caught:
        calibrate(design, margins, method="raking", bounds=(0.2, 3.0), max_iter=200)
    message = str(caught.value)
    assert "Weights within bounds=(0.2, 3) that meet every total exist" in message
    assert "below exp(L - 1) = 0.449; use method='logit' with the same bounds" in message
    assert "max_iter" not in message
    logit = calibrate(design, margins, method="logit", bounds=(0.2, 3.0))
    assert_allclose(
        logit.weights / weights,
        [0.26045694, 0.34027596, 0.34027596, 1.76545774, 1.76545774],
        rtol=1e-6,
    )
    # without bounds the advice has no bounds to widen
    with pytest.raises(ValueError, match=r"Raise max_iter$"):
        calibrate(design, margins, method="raking", max_iter=1)
