"""Identities and properties of the design-based intervals that mutation testing found unchecked.

Hand-made mutations of ``src/vpt_monitor/stats`` (a factor dropped, ``n`` for ``n - 1``)
that passed the suite are killed here by exact identities - one formula against another,
written out independently - and by hypothesis properties of the intervals of a design-based
proportion, on samples shaped like an agency's: word strata, PSU labels reused in every
stratum, a census stratum, a stratum of one PSU, weights that add up to nothing in
particular.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats as scipy_stats

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    ReplicateDesign,
    SurveyDesign,
    _design_ci,
    _incidence,
    mean,
    proportion,
    quantiles,
    ratio,
)

METHODS = _design_ci.PROPORTION_METHODS
STRATA = ("Noord", "Oost", "Zuid", "Caribisch", "Eiland")


@st.composite
def agency_samples(draw: st.DrawFn) -> dict[str, np.ndarray]:
    """A wave of an agency's delivery: word strata, PSUs "1", "2", ... in each stratum.

    "Caribisch" is a census of its two PSUs (fpc 2), "Eiland" a lonely PSU of four; the
    others have two to four PSUs of 10.
    """
    seed = draw(st.integers(0, 2**32 - 1))
    share = draw(st.floats(0.05, 0.95))
    rng = np.random.default_rng(seed)
    strata, psus, fpc = [], [], []
    for s in STRATA:
        n_psu = {"Caribisch": 2, "Eiland": 1}.get(s, int(rng.integers(2, 5)))
        population = {"Caribisch": 2, "Eiland": 4}.get(s, 10)
        for p in range(1, n_psu + 1):
            size = int(rng.integers(1, 7))
            strata += [s] * size
            psus += [str(p)] * size
            fpc += [population] * size
    n = len(strata)
    y = (rng.random(n) < share).astype(float)
    y[0], y[-1] = 0.0, 1.0  # a share strictly between 0 and 1
    return {
        "strata": np.array(strata),
        "psu": np.array(psus),
        "fpc": np.array(fpc, dtype=float),
        "weights": rng.uniform(0.3, 40.0, n),
        "y": y,
        "g": rng.choice(np.array(["man", "vrouw"]), n),
    }


def _design(s: dict[str, np.ndarray], weights: np.ndarray | None = None) -> SurveyDesign:
    return SurveyDesign(
        weights=s["weights"] if weights is None else weights,
        strata=s["strata"],
        clusters=s["psu"],
        fpc=s["fpc"],
        nest=True,
        lonely_psu="adjust",
    )


def _one(result: Estimate | EstimateTable) -> Estimate:
    assert isinstance(result, Estimate)
    return result


@settings(max_examples=30)
@given(agency_samples(), st.floats(0.5, 0.9), st.floats(0.91, 0.995))
def test_proportion_intervals_contain_the_estimate_and_nest(
    s: dict[str, np.ndarray], low_level: float, high_level: float
) -> None:
    est = _one(proportion(s["y"], _design(s)))
    for method in METHODS:
        narrow = est.confidence_interval(low_level, method)
        wide = est.confidence_interval(high_level, method)
        assert 0.0 <= wide.low <= narrow.low <= est.estimate + 1e-12, method
        assert est.estimate - 1e-12 <= narrow.high <= wide.high <= 1.0, method


@settings(max_examples=30)
@given(agency_samples(), st.floats(0.5, 0.995))
def test_proportion_intervals_mirror(s: dict[str, np.ndarray], level: float) -> None:
    # ci(share of no) = 1 - ci(share of yes), reversed
    yes = _one(proportion(s["y"], _design(s)))
    no = _one(proportion(1.0 - s["y"], _design(s)))
    for method in METHODS:
        a = yes.confidence_interval(level, method)
        b = no.confidence_interval(level, method)
        assert_allclose([b.low, b.high], [1.0 - a.high, 1.0 - a.low], atol=1e-9, err_msg=method)


@settings(max_examples=30)
@given(agency_samples(), st.floats(1e-3, 1e3), st.integers(0, 2**32 - 1))
def test_proportion_intervals_ignore_weight_scale_and_row_order(
    s: dict[str, np.ndarray], factor: float, seed: int
) -> None:
    order = np.random.default_rng(seed).permutation(len(s["y"]))
    shuffled = {k: v[order] for k, v in s.items()}
    a = proportion(s["y"], _design(s), by=s["g"])
    b = proportion(s["y"], _design(s, s["weights"] * factor), by=s["g"])
    c = proportion(shuffled["y"], _design(shuffled), by=shuffled["g"])
    assert isinstance(a, EstimateTable)
    for method in METHODS:
        expected = np.column_stack(tuple(a.confidence_interval(method=method)))
        for other in (b, c):
            assert isinstance(other, EstimateTable)
            got = np.column_stack(tuple(other.confidence_interval(method=method)))
            assert_allclose(got, expected, rtol=1e-7, atol=1e-10, err_msg=method)


@settings(max_examples=30)
@given(agency_samples())
def test_domain_intervals_equal_those_of_subsets(s: dict[str, np.ndarray]) -> None:
    # vectorised (by=) equals looped (one subset at a time), for every method
    table = proportion(s["y"], _design(s), by=s["g"])
    assert isinstance(table, EstimateTable)
    for label in table.domains:
        alone = _one(proportion(s["y"], _design(s).subset(s["g"] == label)))
        row = table[label]
        assert row.df == alone.df
        for method in METHODS:
            assert_allclose(
                tuple(row.confidence_interval(method=method)),
                tuple(alone.confidence_interval(method=method)),
                rtol=1e-9,
                err_msg=method,
            )


@settings(max_examples=30)
@given(agency_samples(), st.floats(0.5, 0.995))
def test_wilson_on_the_effective_sample_size(s: dict[str, np.ndarray], level: float) -> None:
    # Wilson's score interval with n the effective sample size p (1 - p) / se^2 and the t
    # quantile of the design's df for z, written out (kills z^2/4 -> z^2/2 in _design_ci)
    est = _one(proportion(s["y"], _design(s)))
    p, se = est.estimate, est.standard_error
    n = p * (1 - p) / se**2
    t = scipy_stats.t.isf((1 - level) / 2, est.df)
    centre = (p + t * t / (2 * n)) / (1 + t * t / n)
    half = t / (1 + t * t / n) * np.sqrt(p * (1 - p) / n + t * t / (4 * n * n))
    ci = est.confidence_interval(level, "wilson")
    assert_allclose([ci.low, ci.high], [centre - half, centre + half], rtol=1e-9)


@settings(max_examples=30)
@given(agency_samples())
def test_kish_effective_size_and_the_bound_at_zero(s: dict[str, np.ndarray]) -> None:
    # n_effective = (sum w)^2 / sum w^2 in each domain; at a share of 0 the interval is
    # [0, 1 - alpha^(1 / n_effective)] (kills n_effective written as sum w / sum w^2 * n)
    none = np.zeros_like(s["y"])
    table = proportion(none, _design(s), by=s["g"])
    assert isinstance(table, EstimateTable)
    for label in table.domains:
        w = s["weights"][s["g"] == label]
        kish = w.sum() ** 2 / (w * w).sum()
        assert_allclose(table[label].n_effective, kish, rtol=1e-12)
        ci = table[label].confidence_interval(0.9)
        assert ci.low == 0.0
        assert_allclose(ci.high, 1.0 - 0.1 ** (1.0 / kish), rtol=1e-12)


@settings(max_examples=40)
@given(
    st.floats(0.02, 0.98),
    st.floats(0.005, 0.2),
    st.floats(2.0, 60.0),
    st.integers(3, 80),
    st.sampled_from(["mean", "xlogit", "asin", "beta"]),
    st.floats(0.5, 0.99),
)
def test_woodruff_share_interval_is_that_of_svyciprop(
    share: float, se: float, df: float, n: int, method: str, level: float
) -> None:
    # R's woodruffCI puts svyciprop's interval around the share below the quantile: the same
    # formulas, with Korn and Graubard's t_{n-1} / t_df for "beta" (kills t_n there)
    args = (np.array([share]), np.array([se]), np.array([df]), np.array([float(n)]))
    low, high = quantiles._share_interval(*args, level, method)
    p_low, p_high, _ = _design_ci.proportion_ci(*args, np.array([float(n)]), level, method)
    inside = (p_low > 0) & (p_high < 1)  # the proportion's is clipped to [0, 1]
    if inside.all():
        assert_allclose([low[0], high[0]], [p_low[0], p_high[0]], rtol=1e-9, atol=1e-12)


def _replicated() -> ReplicateDesign:
    rng = np.random.default_rng(5)
    strata = np.repeat(["Noord", "Oost", "Zuid"], 40)
    psu = np.tile(np.repeat(["1", "2", "3", "4"], 10), 3)
    design = SurveyDesign(
        weights=rng.uniform(1, 30, 120), strata=strata, clusters=psu, nest=True
    ).replicate("jkn")
    return design


def test_ratios_with_their_own_denominators_on_replicates_equal_one_at_a_time() -> None:
    # two numerators with two denominators on a replicate design, as two calls (kills the
    # replicate estimates all dividing by the first denominator, _linear.py)
    rng = np.random.default_rng(11)
    y = rng.poisson(2.0, (120, 2)).astype(float)
    x = rng.uniform(0.5, 3.0, (120, 2))
    design = _replicated()
    both = ratio(y, x, design)
    assert isinstance(both, EstimateTable)
    for j in range(2):
        alone = _one(ratio(y[:, j], x[:, j], design))
        assert_allclose(both.estimate[j], alone.estimate, rtol=1e-12)
        assert_allclose(both.standard_error[j], alone.standard_error, rtol=1e-10)


def test_replicate_domain_df_bound_equals_the_rank_where_rows_are_independent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # beyond RANK_BUDGET a replicate domain's df is bounded by min(k - 1, design df) instead
    # of its rank; for JK1 replicates of k < n PSUs the rank is k, so the two agree (kills
    # the bound written min(k, design df), _incidence.py)
    rng = np.random.default_rng(3)
    psu = np.repeat(np.arange(12), 4)
    design = SurveyDesign(weights=rng.uniform(1, 9, 48), clusters=psu).replicate("jk1")
    g = np.where(psu < 5, "small", np.where(psu < 11, "large", "rest"))
    exact = mean(rng.normal(size=48), design, by=g)
    monkeypatch.setattr(_incidence, "RANK_BUDGET", 0.0)
    bounded = mean(rng.normal(size=48), design, by=g)
    assert isinstance(exact, EstimateTable)
    assert isinstance(bounded, EstimateTable)
    assert exact.df.tolist() == [5.0, 0.0, 4.0]  # large, rest, small: 6, 1, 5 PSUs
    assert bounded.df.tolist() == exact.df.tolist()
