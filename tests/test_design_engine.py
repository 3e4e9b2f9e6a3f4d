"""SurveyDesign and the estimators: bad input, edge cases and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    SurveyDesign,
    _cells,
    contrast,
    mean,
    proportion,
    ratio,
    total,
    variance,
)

# ---- bad input ---------------------------------------------------------------------------


def test_arrays_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="'strata' has 2 values but 'weights' has 3"):
        SurveyDesign(weights=[1, 2, 3], strata=[1, 2])
    design = SurveyDesign(weights=[1, 2, 3])
    with pytest.raises(ValueError, match="'y' has shape \\(2,\\) but the design has 3 rows"):
        mean([1.0, 2.0], design)


@pytest.mark.parametrize("bad", [-1.0, 0.0, np.nan, np.inf])
def test_bad_weights(bad: float) -> None:
    with pytest.raises(
        ValueError, match=r"'weights' must be finite and > 0; got weights=.* at index 1"
    ):
        SurveyDesign(weights=[1.0, bad, 2.0])


def test_cluster_in_two_strata_without_nesting() -> None:
    with pytest.raises(ValueError, match="cluster 7 appears in more than one stratum"):
        SurveyDesign(weights=[1, 1, 1, 1], strata=["a", "a", "b", "b"], clusters=[7, 8, 7, 9])
    nested = SurveyDesign(
        weights=[1, 1, 1, 1], strata=["a", "a", "b", "b"], clusters=[7, 8, 7, 9], nest=True
    )
    assert nested.n_psu == 4


def test_fpc_smaller_than_sample() -> None:
    with pytest.raises(
        ValueError, match=r"'fpc' is smaller than the sample in stratum 'b': 2 PSUs"
    ):
        SurveyDesign(
            weights=[1] * 6, strata=["a", "a", "b", "b", "b", "b"], fpc=[10, 10, 2, 2, 2, 2]
        )


def test_fpc_varying_within_stratum() -> None:
    with pytest.raises(ValueError, match="'fpc' must be constant within a stratum"):
        SurveyDesign(weights=[1] * 4, strata=[1, 1, 2, 2], fpc=[10, 11, 5, 5])


def test_lonely_psu_under_fail() -> None:
    with pytest.raises(ValueError, match="stratum 'h2' has only one PSU"):
        SurveyDesign(weights=[1, 1, 1], strata=["h1", "h1", "h2"])
    # a stratum sampled completely is not lonely: it adds no variance
    design = SurveyDesign(weights=[1, 1, 1], strata=["h1", "h1", "h2"], fpc=[10, 10, 1])
    assert design.n_strata == 2


def test_unknown_lonely_policy() -> None:
    with pytest.raises(ValueError, match="unknown lonely_psu 'mean'; valid values are 'fail'"):
        SurveyDesign(weights=[1, 1], lonely_psu="mean")


def test_contrast_with_unknown_label() -> None:
    design = SurveyDesign(weights=[1, 1, 1, 1])
    table = mean([1.0, 2.0, 3.0, 4.0], design, by=[2014, 2014, 2016, 2016])
    assert isinstance(table, EstimateTable)
    with pytest.raises(ValueError, match="contrast names 2018, which is not a domain"):
        contrast(table, {2016: 1, 2018: -1})
    with pytest.raises(KeyError, match="2018 is not a domain"):
        table[2018]


def test_bad_analysis_values() -> None:
    design = SurveyDesign(weights=[1, 1, 1])
    with pytest.raises(ValueError, match="'y' must be finite; got y=nan at index 2"):
        mean([1.0, 2.0, np.nan], design)
    with pytest.raises(ValueError, match="'y' must be 0 or 1"):
        proportion([0, 1, 2], design)
    with pytest.raises(TypeError, match="'design' must be a SurveyDesign"):
        mean([1.0, 2.0, 3.0], [1, 1, 1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown method 'wald'"):
        proportion([0, 1, 1], design, method="wald")


def test_missing_labels_are_refused() -> None:
    with pytest.raises(ValueError, match="'strata' has a missing value \\(NaN\\) at index 1"):
        SurveyDesign(weights=[1, 1], strata=[1.0, np.nan])
    with pytest.raises(ValueError, match="'by' has a missing value \\(None\\) at index 0"):
        mean([1.0, 2.0], SurveyDesign(weights=[1, 1]), by=np.array([None, "a"], dtype=object))


# ---- edge cases ---------------------------------------------------------------------------


def test_domain_without_positives_is_flagged_with_a_one_sided_bound() -> None:
    design = SurveyDesign(weights=np.ones(12), clusters=np.repeat(np.arange(6), 2))
    table = proportion(np.r_[np.zeros(6), [1, 0, 1, 1, 0, 1]], design, by=np.repeat(["x", "y"], 6))
    assert isinstance(table, EstimateTable)
    empty = table["x"]
    assert empty.estimate == 0.0
    assert empty.flags == ("boundary",)
    ci = empty.confidence_interval()
    assert ci.low == 0.0
    assert ci.high == pytest.approx(1 - 0.05 ** (1 / 6))  # Kish n = 6 with equal weights
    assert table["y"].flags == ()


def test_single_psu_domain_has_no_df() -> None:
    design = SurveyDesign(weights=np.ones(6), clusters=[1, 1, 2, 2, 3, 3])
    table = mean(np.arange(6.0), design, by=["a", "a", "b", "b", "b", "b"])
    assert isinstance(table, EstimateTable)
    assert table["a"].df == 0
    assert "no_df" in table["a"].flags
    assert np.isnan(table["a"].confidence_interval().low)


def test_results_print_and_convert() -> None:
    design = SurveyDesign(weights=[1, 2, 3, 4], strata=[1, 1, 2, 2])
    table = proportion([0, 1, 1, 0], design, by=(["m", "m", "v", "v"], [1, 2, 1, 2]))
    assert isinstance(table, EstimateTable)
    assert table.domains == (("m", 1), ("m", 2), ("v", 1), ("v", 2))
    assert "EstimateTable(proportion, 4 domains, logit 95% intervals)" in repr(table)
    frame = table.to_pandas()
    assert list(frame.index.names) == ["by0", "by1"]
    assert {"estimate", "standard_error", "low", "high", "df", "n", "deff"} <= set(frame.columns)
    assert len(table.to_records(level=0.9)) == 4
    est = mean([1.0, 2.0, 3.0, 4.0], design)
    assert isinstance(est, Estimate)
    assert repr(est).startswith("Estimate(mean: 3, se=")
    assert est.confidence_interval(level=0.8).level == 0.8


def test_estimate_keeps_its_default_method_and_level() -> None:
    design = SurveyDesign(weights=np.ones(8), strata=np.repeat([1, 2], 4))
    est = proportion([0, 1, 1, 0, 1, 1, 1, 0], design, method="beta", level=0.9)
    ci = est.confidence_interval()
    assert (ci.method, ci.level) == ("beta", 0.9)
    assert est.confidence_interval(method="asin").method == "asin"


# ---- properties ---------------------------------------------------------------------------


@st.composite
def samples(draw: st.DrawFn) -> dict[str, np.ndarray]:
    n_strata = draw(st.integers(1, 4))
    psu_per = draw(st.lists(st.integers(2, 5), min_size=n_strata, max_size=n_strata))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    strata, clusters = [], []
    cluster = 0
    for h, k in enumerate(psu_per):
        for _ in range(k):
            size = int(rng.integers(1, 6))
            strata += [h] * size
            clusters += [cluster] * size
            cluster += 1
    n = len(strata)
    return {
        "strata": np.array(strata),
        "clusters": np.array(clusters),
        "weights": rng.uniform(0.5, 20, n),
        "y": rng.normal(5, 2, n),
        "b": (rng.random(n) < 0.4).astype(float),
        "x": rng.integers(1, 4, n).astype(float),
        "g": rng.integers(0, 3, n),
        "fpc": np.array([k * 3 for k in psu_per])[np.array(strata)],
    }


def _design(s: dict[str, np.ndarray], weights: np.ndarray | None = None) -> SurveyDesign:
    return SurveyDesign(
        weights=s["weights"] if weights is None else weights,
        strata=s["strata"],
        clusters=s["clusters"],
        fpc=s["fpc"],
    )


def _all(table: Estimate | EstimateTable) -> np.ndarray:
    assert isinstance(table, EstimateTable)
    return np.concatenate([table.estimate, table.standard_error, table.covariance.ravel()])


@settings(max_examples=60, deadline=None)
@given(samples(), st.integers(0, 2**32 - 1))
def test_permuting_rows_changes_nothing(s: dict[str, np.ndarray], seed: int) -> None:
    order = np.random.default_rng(seed).permutation(len(s["y"]))
    shuffled = {k: v[order] for k, v in s.items()}
    for estimator in (mean, total, proportion):
        y = "b" if estimator is proportion else "y"
        a = estimator(s[y], _design(s), by=s["g"])
        b = estimator(shuffled[y], _design(shuffled), by=shuffled["g"])
        assert_allclose(_all(a), _all(b), rtol=1e-9, atol=1e-12)
    a = ratio(s["y"], s["x"], _design(s), by=s["g"])
    b = ratio(shuffled["y"], shuffled["x"], _design(shuffled), by=shuffled["g"])
    assert_allclose(_all(a), _all(b), rtol=1e-9, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(samples(), st.floats(1e-3, 1e3))
def test_scaling_weights_leaves_means_and_ratios_unchanged(
    s: dict[str, np.ndarray], factor: float
) -> None:
    for estimator in (mean, proportion):
        y = "b" if estimator is proportion else "y"
        a = estimator(s[y], _design(s), by=s["g"])
        b = estimator(s[y], _design(s, s["weights"] * factor), by=s["g"])
        assert_allclose(_all(a), _all(b), rtol=1e-9, atol=1e-12)
    a_total = total(s["y"], _design(s))
    b_total = total(s["y"], _design(s, s["weights"] * factor))
    assert isinstance(a_total, Estimate)
    assert isinstance(b_total, Estimate)
    assert_allclose(b_total.estimate, factor * a_total.estimate, rtol=1e-10)
    assert_allclose(b_total.standard_error, factor * a_total.standard_error, rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(samples())
def test_dense_and_sparse_paths_agree(s: dict[str, np.ndarray]) -> None:
    # The sparse path serves huge PSU-by-domain tables; force it on small ones.
    dense = mean(s["y"], _design(s), by=s["g"])
    limits = _cells.DENSE_LIMIT, variance.DENSE_LIMIT
    _cells.DENSE_LIMIT = variance.DENSE_LIMIT = 0
    try:
        sparse = mean(s["y"], _design(s), by=s["g"])
    finally:
        _cells.DENSE_LIMIT, variance.DENSE_LIMIT = limits
    assert_allclose(_all(dense), _all(sparse), rtol=1e-7, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(samples())
def test_domain_totals_add_up_and_contrast_matches_covariance(s: dict[str, np.ndarray]) -> None:
    whole = total(s["y"], _design(s))
    parts = total(s["y"], _design(s), by=s["g"])
    assert isinstance(whole, Estimate)
    assert isinstance(parts, EstimateTable)
    # the sum of domain totals is the total, and the contrast with all ones has its variance
    summed = contrast(parts, dict.fromkeys(parts.domains, 1.0))
    assert_allclose(summed.estimate, whole.estimate, rtol=1e-10)
    assert_allclose(summed.standard_error, whole.standard_error, rtol=1e-8)


@settings(max_examples=40, deadline=None)
@given(samples(), st.integers(1, 5))
def test_chunking_the_rows_changes_nothing(s: dict[str, np.ndarray], chunks: int) -> None:
    # Rows given in contiguous chunks whose order is reversed: labels and codes are rebuilt
    # from scratch for the reordered array, and nothing may depend on that.
    pieces = np.array_split(np.arange(len(s["y"])), chunks)
    order = np.concatenate(pieces[::-1])
    chunked = {k: v[order] for k, v in s.items()}
    a = proportion(s["b"], _design(s), by=(s["g"], s["strata"]))
    b = proportion(chunked["b"], _design(chunked), by=(chunked["g"], chunked["strata"]))
    assert_allclose(_all(a), _all(b), rtol=1e-9, atol=1e-12)


def test_second_stage_refusals() -> None:
    base = {"weights": np.ones(6), "strata": [1, 1, 1, 2, 2, 2], "clusters": [1, 1, 2, 3, 3, 4]}
    with pytest.raises(ValueError, match="'ssu' needs 'fpc2'"):
        SurveyDesign(**base, lonely_psu="certainty", ssu=[1, 2, 1, 1, 2, 1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'fpc2' needs a first-stage 'fpc'"):
        SurveyDesign(**base, fpc2=np.full(6, 10.0))  # type: ignore[arg-type]
    fpc = np.full(6, 10.0)
    with pytest.raises(ValueError, match="cluster 2 has only one second-stage unit"):
        SurveyDesign(**base, fpc=fpc, fpc2=np.full(6, 10.0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'fpc2' must be constant within a PSU; cluster 1 has"):
        SurveyDesign(**base, fpc=fpc, fpc2=[5, 6, 5, 5, 5, 5], lonely_psu="certainty")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'fpc2' is smaller than the sample in cluster 1"):
        SurveyDesign(**base, fpc=fpc, fpc2=np.full(6, 1.5), lonely_psu="certainty")  # type: ignore[arg-type]
    design = SurveyDesign(**base, fpc=fpc, fpc2=np.full(6, 10.0), lonely_psu="certainty")  # type: ignore[arg-type]
    assert design.second_stage is not None
    assert design.second_stage.n_ssu == 6
    with pytest.warns(UserWarning, match="second-stage fpc is dropped"):
        design.replicate("jkn")
    from vpt_monitor.stats import poststratify

    with pytest.raises(ValueError, match="calibrating a design with a second-stage fpc"):
        poststratify(design, ["a"] * 6, {"a": 100})
