"""Degenerate domains answered and flagged: issues 10.3, 10.12, 10.16, 11.11."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from numpy.testing import assert_allclose

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    SurveyDesign,
    mean,
    poststratify,
    proportion,
    ratio,
    total,
)

# ---- 10.3: a zero standard error where the outcome varies is never reliable --------------


def _census_design() -> tuple[SurveyDesign, np.ndarray]:
    # stratum "rijk" is a census of its 3 organisations (fpc = PSUs sampled); "gemeente" a
    # sample of 4 of 40
    strata = np.repeat(["rijk", "gemeente"], [30, 40])
    clusters = np.repeat(np.arange(7), 10)
    fpc = np.where(strata == "rijk", 3, 40)
    rng = np.random.default_rng(4)
    design = SurveyDesign(weights=rng.uniform(1, 3, 70), strata=strata, clusters=clusters, fpc=fpc)
    return design, strata


@pytest.mark.parametrize("estimator", ["proportion", "mean", "ratio", "total"])
def test_domain_in_a_census_stratum_is_flagged_zero_variance(estimator: str) -> None:
    design, strata = _census_design()
    y = np.tile([0.0, 1.0, 1.0, 0.0, 1.0], 14)
    x = np.tile([1.0, 2.0, 1.0, 3.0, 1.0], 14)
    if estimator == "proportion":
        table = proportion(y, design, by=strata)
    elif estimator == "mean":
        table = mean(y * 3 + x, design, by=strata)
    elif estimator == "ratio":
        table = ratio(y, x, design, by=strata)
    else:
        table = total(y, design, by=strata)
    assert isinstance(table, EstimateTable)
    census = table["rijk"]
    assert census.standard_error == 0.0
    assert "zero_variance" in census.flags
    assert "strata sampled completely" in census.flag_detail
    reliable, reasons = census.reliability()
    assert not reliable
    assert reasons[0].startswith("zero standard error: all its PSUs lie in strata sampled")
    assert not table.reliable[table.index("rijk")]
    sampled = table["gemeente"]
    assert sampled.standard_error > 0
    assert "zero_variance" not in sampled.flags
    assert not any(reason.startswith("zero") for reason in sampled.reliability()[1])


def test_without_the_flag_a_zero_standard_error_looked_reliable() -> None:
    # the census mean passes every other rule: only the zero-variance rule stops it
    _, strata = _census_design()
    big = SurveyDesign(
        weights=np.ones(700),
        strata=np.repeat(strata, 10),
        clusters=np.arange(700) // 10,
        fpc=np.repeat(np.where(strata == "rijk", 30, 40), 10),
    )
    y = np.tile([0.0, 1.0, 1.0, 0.0, 1.0], 140) + 5.0
    est = mean(y, big, by=np.repeat(strata, 10))
    assert isinstance(est, EstimateTable)
    census = est["rijk"]
    unflagged = attrs.evolve(census, flags=())
    assert unflagged.reliable  # every other rule is met
    assert not census.reliable
    assert census.reliability()[1] == (
        "zero standard error: all its PSUs lie in strata sampled completely "
        "(fpc equal to the PSUs sampled)",
    )


def test_single_psu_domain_says_why() -> None:
    design = SurveyDesign(weights=np.ones(6), clusters=[1, 1, 2, 2, 3, 3])
    table = mean([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], design, by=["a", "a", "b", "b", "b", "b"])
    assert isinstance(table, EstimateTable)
    a = table["a"]
    assert set(a.flags) == {"no_df", "zero_variance"}
    assert a.flag_detail == "all its rows lie in one PSU"
    assert "zero standard error: all its rows lie in one PSU" in a.reliability()[1]


def test_lonely_psu_without_variance_says_why() -> None:
    design = SurveyDesign(
        weights=np.ones(8),
        strata=[1, 1, 1, 1, 2, 2, 3, 3],
        clusters=[1, 1, 2, 2, 3, 3, 4, 4],
        lonely_psu="certainty",
    )
    y = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 6.0, 9.0])
    table = mean(y, design, by=[0, 0, 0, 0, 1, 1, 1, 1])
    assert isinstance(table, EstimateTable)
    assert "zero_variance" in table[1].flags
    assert "single-PSU strata" in table[1].flag_detail
    assert "lonely_psu='certainty'" in table[1].flag_detail


def test_calibrated_count_says_why() -> None:
    design = SurveyDesign(weights=np.ones(8), clusters=[1, 1, 2, 2, 3, 3, 4, 4])
    cells = np.array(["m", "a"] * 4)
    calibrated = poststratify(design, cells, {"m": 40.0, "a": 60.0})
    count = total(cells == "m", calibrated)
    assert isinstance(count, Estimate)
    assert count.standard_error < 1e-9
    assert "zero_variance" in count.flags
    assert count.flag_detail == "it is fixed by the calibration of the weights"


def test_constant_outcome_and_boundary_are_not_zero_variance() -> None:
    design = SurveyDesign(weights=[1.0, 2.0, 1.0, 2.0, 1.0, 3.0], clusters=[1, 1, 2, 2, 3, 3])
    constant = mean([4.0] * 6, design)
    assert isinstance(constant, Estimate)
    assert constant.standard_error < 1e-12
    assert "zero_variance" not in constant.flags
    none = proportion([0, 0, 0, 0, 0, 0], design)
    assert isinstance(none, Estimate)
    assert none.flags == ("boundary",)
    single_row = mean([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], design, by=["a", "b", "b", "b", "b", "b"])
    assert isinstance(single_row, EstimateTable)
    assert "zero_variance" not in single_row["a"].flags  # one row: nothing can vary


def test_zero_variance_on_a_replicate_design() -> None:
    design, strata = _census_design()
    jk = design.replicate("jkn")
    table = mean(np.arange(70.0) % 7, jk, by=strata)
    assert isinstance(table, EstimateTable)
    assert table["rijk"].standard_error == 0.0
    assert "zero_variance" in table["rijk"].flags
    assert "strata sampled completely" in table["rijk"].flag_detail


# ---- 10.12: a replicate that removes all of a domain's PSUs ------------------------------


def test_replicate_without_the_domain_is_flagged() -> None:
    design = SurveyDesign(
        weights=np.ones(12),
        strata=np.repeat([1, 2], 6),
        clusters=np.repeat(np.arange(6), 2),
    )
    y = np.arange(12.0)
    domain = np.array(["x"] * 2 + ["y"] * 10)  # "x" lies in PSU 0 only
    table = mean(y, design.replicate("jkn"), by=domain)
    assert isinstance(table, EstimateTable)
    lost = table["x"]
    assert np.isnan(lost.standard_error)
    assert "no_df" in lost.flags
    assert lost.df == 0
    assert lost.flag_detail.startswith("replicate 0 has no estimate for it")
    assert np.isnan(lost.confidence_interval().low)
    reasons = lost.reliability()[1]
    assert "fewer than 8 degrees of freedom" in reasons
    assert reasons[0].startswith("no standard error: replicate 0 has no estimate for it")
    assert "relative standard error above 30%" not in reasons  # not the NaN's echo
    kept = table["y"]
    assert np.isfinite(kept.standard_error)
    assert kept.flags == ()


def test_bootstrap_replicate_without_the_domain_is_flagged() -> None:
    rng = np.random.default_rng(2)
    design = SurveyDesign(weights=rng.uniform(1, 2, 40), clusters=np.arange(40) // 4)
    boot = design.replicate("bootstrap", replicates=50, seed=1)
    small = np.where(np.arange(40) < 4, "small", "large")  # one PSU of ten
    table = proportion(rng.random(40) < 0.5, boot, by=small)
    assert isinstance(table, EstimateTable)
    assert "no_df" in table["small"].flags
    assert "no_df" not in table["large"].flags


# ---- 11.11: ratio over a zero denominator ------------------------------------------------


def test_ratio_with_zero_denominator_is_nan_and_flagged() -> None:
    design = SurveyDesign(weights=np.ones(6), clusters=[1, 1, 2, 2, 3, 3])
    numerator = [1.0, 2.0, 3.0, 0.0, 4.0, 1.0]
    denominator = [0.0, 0.0, 1.0, 2.0, 1.0, 3.0]
    table = ratio(
        numerator, denominator, design, by=["none", "none", "some", "some", "some", "some"]
    )
    assert isinstance(table, EstimateTable)
    none = table["none"]
    assert np.isnan(none.estimate)  # not inf
    assert np.isnan(none.standard_error)
    assert "zero_denominator" in none.flags
    assert none.flag_detail.startswith("the denominator's total is zero")
    assert np.isfinite(table["some"].estimate)
    assert "zero_denominator" not in table["some"].flags
    whole = ratio([1.0, 2.0], [0.0, 0.0], SurveyDesign(weights=[1.0, 1.0]))
    assert isinstance(whole, Estimate)
    assert np.isnan(whole.estimate)
    assert "zero_denominator" in whole.flags


def test_ratio_with_zero_denominator_on_a_replicate_design() -> None:
    design = SurveyDesign(weights=np.ones(6), clusters=[1, 1, 2, 2, 3, 3]).replicate("jk1")
    table = ratio(
        [1.0, 2.0, 3.0, 0.0, 4.0, 1.0],
        [0.0, 0.0, 1.0, 2.0, 1.0, 3.0],
        design,
        by=["none", "none", "some", "some", "some", "some"],
    )
    assert isinstance(table, EstimateTable)
    assert np.isnan(table["none"].estimate)
    assert "zero_denominator" in table["none"].flags
    assert np.isfinite(table["some"].standard_error)


# ---- 10.16: bounded quantities -------------------------------------------------------------


def test_bounds_clip_the_intervals_of_a_bounded_score() -> None:
    design = SurveyDesign(weights=np.ones(6), clusters=[1, 1, 2, 2, 3, 3])
    scores = [100.0, 95.0, 100.0, 90.0, 60.0, 100.0]
    plain = mean(scores, design)
    assert isinstance(plain, Estimate)
    assert plain.confidence_interval().high > 100
    score = attrs.evolve(plain, bounds=(0, 100))
    ci = score.confidence_interval()
    assert ci.high == 100.0
    assert ci.low == plain.confidence_interval().low
    assert score.confidence_interval(level=0.5).high < 100  # narrower ones are untouched
    table = mean(scores, design, by=["a", "a", "b", "b", "b", "b"])
    assert isinstance(table, EstimateTable)
    bounded = attrs.evolve(table, bounds=(0.0, 100.0))
    assert np.nanmax(bounded.confidence_interval().high) == 100
    assert bounded["b"].bounds == (0.0, 100.0)
    assert bounded.reindex(["b", "c"]).bounds == (0.0, 100.0)
    assert bounded.reindex(["b", "a"]).confidence_interval().high[0] == 100


@pytest.mark.parametrize(
    ("bounds", "error"),
    [((1, 0), ValueError), ((0, np.nan), ValueError), ((0,), TypeError), ("ab", TypeError)],
)
def test_bad_bounds_are_refused(bounds: object, error: type[Exception]) -> None:
    est = mean([1.0, 2.0], SurveyDesign(weights=[1.0, 1.0]))
    with pytest.raises(error, match="'bounds'"):
        attrs.evolve(est, bounds=bounds)


def test_log_interval() -> None:
    est = Estimate(estimate=2.0, standard_error=0.5, df=10, n=20, kind="contrast")
    ci = est.confidence_interval(method="log")
    from scipy import stats

    t = stats.t.ppf(0.975, 10)
    assert_allclose([ci.low, ci.high], [2.0 * np.exp(-t * 0.25), 2.0 * np.exp(t * 0.25)])
    negative = attrs.evolve(est, estimate=-1.0)
    assert np.isnan(negative.confidence_interval(method="log").low)


# ---- 11.11: a rate whose bound overflows ---------------------------------------------------


@pytest.mark.parametrize("method", ["exact", "mid_p", "byar", "wald", "score"])
def test_rate_with_an_overflowing_exposure_is_refused_without_a_runtime_warning(
    method: str,
) -> None:
    from vpt_monitor.stats import rate_ci

    with pytest.raises(ValueError, match=r"'exposure' is too small .* exposure=1e-310 .*index 1"):
        rate_ci([3, 1], [1.0, 1e-310], method=method)
    with pytest.raises(ValueError, match=r"events=1 over exposure=9.99989e-321"):
        rate_ci(1, 1e-320, method=method)
    # a tiny exposure whose rate is still a float is answered
    ci = rate_ci(5, 1e-300, method=method)
    assert np.isfinite(ci.high)
    assert ci.high > 1e300


def test_zero_variance_causes_on_the_sparse_path() -> None:
    from vpt_monitor.stats import _cells

    design, strata = _census_design()
    y = np.tile([0.0, 1.0, 1.0, 0.0, 1.0], 14)
    dense = proportion(y, design, by=strata)
    limit = _cells.DENSE_LIMIT
    _cells.DENSE_LIMIT = 0
    try:
        sparse = proportion(y, design, by=strata)
        single = mean(
            np.arange(6.0),
            SurveyDesign(weights=np.ones(6), clusters=[1, 1, 2, 2, 3, 3]),
            by=["a", "a", "b", "b", "b", "b"],
        )
    finally:
        _cells.DENSE_LIMIT = limit
    assert isinstance(dense, EstimateTable)
    assert isinstance(sparse, EstimateTable)
    assert isinstance(single, EstimateTable)
    assert sparse.flags == dense.flags
    assert sparse.flag_detail == dense.flag_detail
    assert single["a"].flag_detail == "all its rows lie in one PSU"


def test_a_contrast_of_census_domains_is_flagged_zero_variance() -> None:
    from vpt_monitor.stats import SurveyDesign, contrast, proportion

    # two strata sampled completely (fpc equal to the PSUs sampled), and one sampled
    design = SurveyDesign(
        weights=np.ones(9),
        strata=[1, 1, 1, 2, 2, 2, 3, 3, 3],
        fpc=[3, 3, 3, 3, 3, 3, 30, 30, 30],
    )
    table = proportion([1, 0, 1, 0, 0, 1, 1, 0, 0], design, by=[1, 1, 1, 2, 2, 2, 3, 3, 3])
    census = contrast(table, {1: 1, 2: -1})
    assert census.standard_error == 0.0
    assert "zero_variance" in census.flags
    assert not census.reliable
    sampled = contrast(table, {1: 1, 3: -1})
    assert sampled.standard_error > 0
    assert "zero_variance" not in sampled.flags
    with pytest.raises(ValueError, match="'coefficients' is empty"):
        contrast(table, {})
    with pytest.raises(ValueError, match="'domains' names a domain twice"):
        contrast(table, lambda a, b: a - b, domains=(1, 1))


def test_a_zero_standard_error_is_not_also_called_a_wide_interval() -> None:
    # a tester's report: a census share read "zero standard error ...; interval wider than
    # 0.30" - the width rule judged the NaN its formulas make from a zero SE
    design, strata = _census_design()
    y = np.tile([0.0, 1.0, 1.0, 0.0, 1.0], 14)
    table = proportion(y, design, by=strata)
    assert isinstance(table, EstimateTable)
    reliable, reasons = table["rijk"].reliability()
    assert not reliable
    assert reasons == (
        "zero standard error: all its PSUs lie in strata sampled completely "
        "(fpc equal to the PSUs sampled)",
        "fewer than 8 degrees of freedom",  # 3 PSUs in 1 stratum: not of the standard error
    )
    # the sampled domain beside it is judged by the same rules, with its standard error
    assert table["gemeente"].standard_error > 0
    assert table["gemeente"].reliability()[1] == ("fewer than 8 degrees of freedom",)
