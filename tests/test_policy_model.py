"""Maturity schemes, sensitivity analysis, change and trend, publication rules."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import read_reference_csv
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from test_monitor_reference import DATA as RESPONDENTS
from test_policy_reference import DATA

from vpt_monitor import (
    AGGRESSION_SCHEME,
    INTEGRITY_SCHEME,
    METHOD_BREAKS,
    Estimate,
    EstimateTable,
    Layer,
    MaturityScheme,
    Measure,
    MonitorData,
    Organisation,
    Respondent,
    Violation,
    change,
    integrity_perception,
    maturity_scores,
    maturity_sensitivity,
    policy_maturity,
    trend,
    victimisation,
    violation_rate,
)
from vpt_monitor.indicators.change import adjust_p_values, method_breaks
from vpt_monitor.stats import SurveyDesign, mean, proportion

MEASURES = list(Measure)

# ---- the maturity score ---------------------------------------------------------------------

schemes = st.dictionaries(
    st.sampled_from(MEASURES), st.floats(0.1, 10), min_size=1, max_size=len(MEASURES)
)
rows = st.lists(st.sets(st.sampled_from(MEASURES)), min_size=1, max_size=20)


@given(schemes, rows)
def test_score_is_between_0_and_100(
    weights: dict[Measure, float], orgs: list[set[Measure]]
) -> None:
    scores = MaturityScheme("s", weights).score([list(o) for o in orgs])
    assert np.all((scores >= -1e-9) & (scores <= 100 + 1e-9))


@given(schemes, st.sets(st.sampled_from(MEASURES)), st.sampled_from(MEASURES))
def test_score_is_monotone_in_measures_present(
    weights: dict[Measure, float], present: set[Measure], extra: Measure
) -> None:
    scheme = MaturityScheme("s", weights)
    before, after = scheme.score([list(present), [*present, extra]])
    assert after >= before - 1e-12
    if extra in weights and extra not in present:
        assert after > before


@given(schemes, rows, st.randoms(use_true_random=False))
def test_score_ignores_the_order_of_items(
    weights: dict[Measure, float], orgs: list[set[Measure]], rnd: object
) -> None:
    items = list(weights.items())
    rnd.shuffle(items)  # type: ignore[attr-defined]
    a = MaturityScheme("a", weights).score([list(o) for o in orgs])
    b = MaturityScheme("b", dict(items)).score([list(o) for o in orgs])
    assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_scheme_refusals_and_levels() -> None:
    with pytest.raises(ValueError, match="weights: name at least one measure"):
        MaturityScheme("empty", {})
    with pytest.raises(ValueError, match="the weight of 'nazorg' must be finite and > 0"):
        MaturityScheme("bad", {"nazorg": 0})
    with pytest.raises(ValueError, match="weights: 'coffee' is not a Measure"):
        MaturityScheme("bad", {"coffee": 1})
    with pytest.raises(ValueError, match="strictly ascending starts, the first 0"):
        MaturityScheme("bad", {"nazorg": 1}, levels=(("low", 10), ("high", 50)))
    scheme = MaturityScheme("s", {"nazorg": 1, "schadeverhaal": 1})
    assert scheme.level(np.array([0.0, 39.9, 40.0, 89.9, 100.0])).tolist() == [0, 0, 1, 2, 3]
    assert all(m.area.value == "integriteit" for m in INTEGRITY_SCHEME.items)
    assert all(m.area.value == "agressie-geweld" for m in AGGRESSION_SCHEME.items)


def test_level_distribution_adds_up_per_domain() -> None:
    result = policy_maturity(DATA, by=("wave", "layer"))
    assert isinstance(result, EstimateTable)
    shares = np.stack([t.estimate for t in result.notes["levels"].values()])
    assert_allclose(shares.sum(axis=0), 1.0, rtol=1e-12)
    scores = maturity_scores(DATA)
    assert scores.shape == (DATA.organisations["wave"].shape[0],)


def test_sensitivity_analysis() -> None:
    result = maturity_sensitivity(DATA, INTEGRITY_SCHEME, wave=2016, draws=400, seed=1)
    nominal = policy_maturity(DATA, by="layer", wave=2016)
    assert isinstance(nominal, EstimateTable)
    assert result.domains == nominal.domains
    assert_allclose(result.nominal, nominal.estimate, rtol=1e-10)
    # the sampling part alone reproduces the design-based standard errors (Monte Carlo)
    assert_allclose(result.sampling_only, nominal.standard_error, rtol=0.15)
    # with no weight spread, the scores vary by sampling alone
    fixed = maturity_sensitivity(DATA, INTEGRITY_SCHEME, wave=2016, draws=400, seed=1, spread=0.0)
    assert_allclose(fixed.weights_only, 0.0, atol=1e-9)
    probabilities = result.rank_probabilities()
    assert_allclose(probabilities.sum(axis=0), 1.0)
    assert_allclose(probabilities.sum(axis=1), 1.0)
    assert result.drop_one.shape == (len(INTEGRITY_SCHEME.items), 4)
    low, high = result.interval(0.9)
    assert np.all(low <= result.nominal + 1e-9)
    assert np.all(result.nominal <= high + 1e-9)
    frame = result.to_pandas()
    assert list(frame.index) == [layer.value for layer in Layer]
    with pytest.raises(ValueError, match="'draws' must be a whole number >= 2"):
        maturity_sensitivity(DATA, draws=1)


# ---- integrity ------------------------------------------------------------------------------


def test_integrity_perception_and_rates_on_records() -> None:
    people = [
        Respondent(
            f"r{i}",
            2016,
            "gemeente",
            "raadslid",
            perceived_violations={"fraude"} if i % 3 == 0 else set(),
        )
        for i in range(30)
    ]
    orgs = [
        Organisation("a", 2016, "gemeente", employees=500),
        Organisation("b", 2016, "provincie", employees=1500),
    ]
    violations = [
        Violation("a", 2016, "fraude"),
        Violation("b", 2016, "geschenken"),
        Violation("b", 2016, "geschenken", status="vermoeden"),
    ]
    data = MonitorData.from_records(people, organisations=orgs, violations=violations)
    share = integrity_perception(data)
    assert isinstance(share, Estimate)
    assert share.estimate == pytest.approx(1 / 3)
    fraud = integrity_perception(data, kind="fraude")
    assert isinstance(fraud, Estimate)
    assert fraud.estimate == pytest.approx(1 / 3)
    rates = violation_rate(data, by="layer")
    assert isinstance(rates, EstimateTable)
    assert rates[Layer.MUNICIPALITY].estimate == pytest.approx(2.0)
    assert rates[Layer.STATE].flags == ("empty",)
    confirmed = violation_rate(data, status="vastgesteld")
    assert isinstance(confirmed, Estimate)
    assert confirmed.n == 2
    with pytest.raises(ValueError, match="'per' must be a number > 0"):
        violation_rate(data, per=0)
    with pytest.raises(ValueError, match="unknown by 'office'; valid values are 'wave', 'layer'"):
        violation_rate(data, by="office")


def test_organisation_refusals() -> None:
    with pytest.raises(
        ValueError, match="Organisation 'x': employees: must be a whole number >= 1"
    ):
        Organisation("x", 2016, "rijk", employees=0)
    with pytest.raises(ValueError, match="Violation 'x': kind: 'theft' is not a ViolationType"):
        Violation("x", 2016, "theft")
    from vpt_monitor import MonitorDataError

    with pytest.raises(MonitorDataError, match="no organisation 'zz' in wave 2016"):
        MonitorData.from_records(
            [],
            organisations=[Organisation("a", 2016, "rijk", employees=9)],
            violations=[Violation("zz", 2016, "fraude")],
        )


# ---- change and trend -----------------------------------------------------------------------

ADJUST = {
    name: [
        float(r["value"])
        for r in read_reference_csv("policy.csv")
        if r["indicator"] == f"p_adjust_{name}"
    ]
    for name in ("holm", "bonferroni", "BH")
}


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [("holm", "holm"), ("bonferroni", "bonferroni"), ("benjamini-hochberg", "BH")],
)
def test_adjustments_match_r_p_adjust(ours: str, theirs: str) -> None:
    p = np.array([0.01, 0.04, 0.03, 0.2, 0.005, 0.5])
    assert_allclose(adjust_p_values(p, ours), ADJUST[theirs], rtol=1e-12)
    with_nan = adjust_p_values(np.array([np.nan, *p]), ours)
    assert np.isnan(with_nan[0])
    assert_allclose(with_nan[1:], ADJUST[theirs], rtol=1e-12)


def test_change_refusals_and_method_breaks() -> None:
    design = SurveyDesign(weights=np.ones(4))
    no_wave = mean([1.0, 2.0, 3.0, 4.0], design, by=["a", "a", "b", "b"])
    assert isinstance(no_wave, EstimateTable)
    with pytest.raises(ValueError, match="'table' has no wave domain"):
        change(no_wave)
    by_wave = victimisation(RESPONDENTS, by="wave")
    assert isinstance(by_wave, EstimateTable)
    with pytest.raises(ValueError, match="wave 2010 is not in the table; waves: \\[2014, 2016\\]"):
        change(by_wave, between=(2010, 2016))
    with pytest.raises(ValueError, match="unknown adjust 'fdr'"):
        change(by_wave, adjust="fdr")
    result = change(by_wave, between=(2014, 2016))
    assert result.method_breaks == ()
    assert "ChangeTable(2016 - 2014" in repr(result)
    frame = result.to_pandas()
    assert list(frame.columns)[:2] == ["change", "standard_error"]
    assert method_breaks(2010, 2016) == tuple(
        f"{a}-{b}: {n}" for (a, b), n in METHOD_BREAKS.items()
    )
    assert method_breaks(2014, 2016, {(2014, 2016): "new scale"}) == ("2014-2016: new scale",)


def test_trend_of_a_linear_series_and_its_flat_case() -> None:
    people = []
    for wave, k in ((2010, 32), (2012, 24), (2014, 16), (2016, 8)):
        people += [
            Respondent(
                f"{wave}-{i}",
                wave,
                "gemeente",
                "raadslid",
                victimisations={"verbaal": 1} if i < k else {},
            )
            for i in range(80)
        ]
    table = victimisation(MonitorData.from_records(people), by="wave")
    assert isinstance(table, EstimateTable)
    result = trend(table)
    # with the two method breaks only 2014-2016 informs the slope: too little to call it
    assert result.direction == ("no clear trend",)
    assert result.slope[0] == pytest.approx(-0.05, rel=1e-9)  # 10 points per 2 years
    assert result.method_breaks == tuple(f"{a}-{b}: {n}" for (a, b), n in METHOD_BREAKS.items())
    assert result.segments == ((2010,), (2012,), (2014, 2016))
    flat = trend(table, breaks={})
    assert flat.method_breaks == ()
    assert flat.segments == ((2010, 2012, 2014, 2016),)
    assert flat.slope[0] == pytest.approx(-0.05, rel=1e-9)
    assert flat.p_adjusted[0] < 0.05  # a clear decline ...
    assert not flat.reliable[0]  # ... on 80 respondents a wave: breaks the publication rules
    assert flat.reasons[0] == "2016: interval wider than 130% of the estimate"
    assert flat.direction == ("no clear trend",)  # so no direction, as change() marks none
    assert flat.standard_error[0] < result.standard_error[0]
    assert "TrendTable(segments 2010 | 2012 | 2014-2016" in repr(result)


# ---- publication rules -------------------------------------------------------------------------


def test_reliability_rules() -> None:
    big = proportion(np.r_[np.ones(300), np.zeros(700)], SurveyDesign(weights=np.ones(1000)))
    assert isinstance(big, Estimate)
    assert big.reliable
    small = proportion([1, 0, 0, 1, 0, 0, 0, 0, 0, 0], SurveyDesign(weights=np.ones(10)))
    assert isinstance(small, Estimate)
    ok, reasons = small.reliability()
    assert not ok
    assert "effective sample size below 30" in reasons
    assert "interval wider than 0.30" in reasons
    rare = proportion(np.r_[np.ones(2), np.zeros(998)], SurveyDesign(weights=np.ones(1000)))
    assert isinstance(rare, Estimate)
    assert "interval wider than 130% of the estimate" not in rare.reliability()[1]
    noisy = mean(np.r_[np.zeros(98), [50.0, 60.0]], SurveyDesign(weights=np.ones(100)))
    assert isinstance(noisy, Estimate)
    assert noisy.reliability() == (False, ("relative standard error above 30%",))
    table = victimisation(RESPONDENTS, by="office", wave=2014)  # no cdk surveyed in 2014
    assert isinstance(table, EstimateTable)
    reliable, why = table.reliability()
    empty = table.index("cdk")
    assert not reliable[empty]
    assert why[empty] == ("no observations",)
    assert "reliable" in table.to_pandas().columns


def test_sensitivity_frame_is_indexed_by_its_domain_variables() -> None:
    # a new user's trial: the sensitivity table's index was named 'domain' where every
    # other table of the maturity tutorial names it 'layer', and domains by wave and layer
    # were strings such as "(2014, <Layer.STATE: 'rijk'>)"
    from vpt_monitor import AGGRESSION_SCHEME, maturity_sensitivity
    from vpt_monitor.synth import simulate

    data = simulate(waves=(2014, 2016), scale=0.3)
    by_layer = maturity_sensitivity(data, AGGRESSION_SCHEME, wave=2016, draws=50).to_pandas()
    assert by_layer.index.name == "layer"
    assert list(by_layer.index) == ["rijk", "provincie", "gemeente", "waterschap"]
    both = maturity_sensitivity(data, AGGRESSION_SCHEME, by=("wave", "layer"), draws=50)
    frame = both.to_pandas()
    assert list(frame.index.names) == ["wave", "layer"]
    assert frame.index[0] == (2014, "rijk")
