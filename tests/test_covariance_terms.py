"""The covariance of many domains kept as cross products of tables (memory linear in D).

For more than ``variance.MATRIX_LIMIT`` estimates without a dense factor (occupied cells
only, or a second stage), the covariance is kept as :class:`variance.CrossProducts` and a
block is formed only for the domains asked for. These tests force that path on small
designs and compare it with the ``D x D`` matrix the small path forms, and check that a
table of many domains stays small in memory.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager

import attrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from vpt_monitor.stats import (
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


@contextmanager
def limits(*, matrix: int, dense: int | None = None) -> Iterator[None]:
    saved = variance.MATRIX_LIMIT, _cells.DENSE_LIMIT, variance.DENSE_LIMIT
    variance.MATRIX_LIMIT = matrix
    if dense is not None:
        _cells.DENSE_LIMIT = variance.DENSE_LIMIT = dense
    try:
        yield
    finally:
        variance.MATRIX_LIMIT, _cells.DENSE_LIMIT, variance.DENSE_LIMIT = saved


@st.composite
def designs(draw: st.DrawFn) -> dict[str, np.ndarray]:
    n = draw(st.integers(12, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_strata = draw(st.integers(1, 3))
    strata = rng.permutation(np.arange(n) % n_strata)  # at least four rows a stratum
    clusters = strata * 100 + rng.integers(0, 4, n)  # nested in the strata
    for h in np.unique(strata):  # every stratum has at least two clusters
        rows = np.flatnonzero(strata == h)
        clusters[rows[0]], clusters[rows[1]] = h * 100, h * 100 + 1
    if draw(st.booleans()):  # one more stratum with a single cluster: a lonely PSU
        strata = np.where(np.arange(n) < 3, strata.max() + 1, strata)
        clusters = np.where(np.arange(n) < 3, 999, clusters)
    return {
        "policy": np.array(draw(st.sampled_from(["adjust", "average", "certainty", "remove"]))),
        "fpc": np.array(draw(st.booleans())),
        "weights": rng.uniform(0.5, 5.0, n),
        "strata": strata,
        "clusters": clusters,
        "y": rng.normal(2.0, 1.0, n),
        "x": rng.uniform(1.0, 3.0, n),
        "b": (rng.random(n) < 0.4).astype(float),
        "g": rng.integers(0, draw(st.integers(1, 6)), n),
        "two_stage": np.array(draw(st.booleans())),
    }


def _design(s: dict[str, np.ndarray]) -> SurveyDesign:
    if bool(s["two_stage"]):
        # a second stage: PSUs of the population with 10 clusters per stratum, 50 people each
        return SurveyDesign(
            weights=s["weights"],
            strata=s["strata"],
            clusters=s["clusters"],
            fpc=np.full(s["weights"].shape, 10.0),
            fpc2=np.full(s["weights"].shape, 50.0),
            # also a cluster of one person (second stage), which "average" refuses
            lonely_psu="adjust" if str(s["policy"]) == "average" else str(s["policy"]),
        )
    return SurveyDesign(
        weights=s["weights"],
        strata=s["strata"],
        clusters=s["clusters"],
        fpc=np.full(s["weights"].shape, 20.0) if bool(s["fpc"]) else None,
        lonely_psu=str(s["policy"]),
    )


def _tables(s: dict[str, np.ndarray]) -> list[EstimateTable]:
    design = _design(s)
    tables = [
        mean(np.column_stack([s["y"], s["x"]]), design, by=s["g"]),  # two variables
        mean(s["y"], design, by=s["g"]),
        proportion(s["b"], design, by=s["g"]),
        total(s["y"], design, by=s["g"]),
        ratio(s["y"], s["x"], design, by=s["g"]),
    ]
    assert all(isinstance(t, EstimateTable) for t in tables)
    return tables  # type: ignore[return-value]


@settings(max_examples=60, deadline=None)
@given(designs(), st.sampled_from([None, 0]))
def test_cross_products_give_the_matrix_of_the_small_path(
    s: dict[str, np.ndarray], dense: int | None
) -> None:
    small = _tables(s)
    with limits(matrix=0, dense=dense):
        many = _tables(s)
    for a, b in zip(small, many, strict=True):
        if dense == 0 or bool(s["two_stage"]):
            # no dense factor: the cross-product terms are what the table keeps
            assert b.covariance_cross is not None
            assert not b._covariance
        assert_allclose(b.standard_error, a.standard_error, rtol=1e-9, atol=1e-13)
        assert_allclose(b.covariance, a.covariance, rtol=1e-9, atol=1e-13)
        chosen = list(reversed(a.domains))[:2]
        assert_allclose(b.covariance_of(chosen), a.covariance_of(chosen), rtol=1e-9, atol=1e-13)
        # a reindexed table: unknown domains have no covariance (NaN), the others keep it
        wanted = ["none", *a.domains]
        ra, rb = a.reindex(wanted), b.reindex(wanted)
        assert_allclose(rb.covariance, ra.covariance, rtol=1e-9, atol=1e-13)
        mixed = rb.covariance_of(["none", a.domains[0]])
        assert np.isnan(mixed[0]).all()
        assert np.isnan(mixed[:, 0]).all()
        assert_allclose(mixed[1, 1], a.standard_error[0] ** 2, rtol=1e-9, atol=1e-13)
        if len(a.domains) >= 2:
            one = contrast(a, {a.domains[0]: 1.0, a.domains[-1]: -1.0})
            two = contrast(b, {a.domains[0]: 1.0, a.domains[-1]: -1.0})
            assert_allclose(two.standard_error, one.standard_error, rtol=1e-9, atol=1e-13)


def test_many_domains_stay_linear_in_memory() -> None:
    # 30,000 domains over 60,000 rows, every row its own PSU: a D x D matrix would take
    # 30,000^2 x 8 bytes = 7.2 GB; the terms take a few MB
    rng = np.random.default_rng(7)
    n, d = 60_000, 30_000
    design = SurveyDesign(weights=rng.uniform(1, 3, n), strata=rng.integers(0, 20, n))
    y = (rng.random(n) < 0.3).astype(float)
    g = rng.integers(0, d, n)
    tracemalloc.start()
    try:
        table = proportion(y, design, by=g)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(table, EstimateTable)
    assert len(table.domains) == len(np.unique(g))
    assert table.covariance_cross is not None
    assert peak < 200 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    # the block of two domains is their covariance: by hand from the PSU (row) deviations
    a, b = table.domains[0], table.domains[1]
    block = table.covariance_of([a, b])
    for k, label in enumerate((a, b)):
        assert_allclose(block[k, k], table[label].standard_error ** 2, rtol=1e-12)
    w = design.weights
    stratum = design.strata
    influence = np.zeros((n, 2))
    for k, label in enumerate((a, b)):
        rows = g == label
        share = table[label].estimate
        influence[rows, k] = w[rows] * (y[rows] - share) / w[rows].sum()
    expected = np.zeros((2, 2))
    for h in np.unique(stratum):
        z = influence[stratum == h]
        m = z.shape[0]
        centred = z - z.mean(axis=0)
        expected += m / (m - 1) * centred.T @ centred
    assert_allclose(block, expected, rtol=1e-10, atol=1e-18)


WAVES = (2014, 2016, 2018)


def test_change_and_trend_of_many_domains_form_no_d_by_d_block() -> None:
    # 3 waves x 2,000 domains, every row its own PSU (the cross-product path): change() and
    # trend() take the variances of their contrasts from the domains they use, never a
    # (6,000 x 6,000) covariance (290 MB); and they equal the contrasts computed by hand
    from vpt_monitor.indicators.change import change, trend

    rng = np.random.default_rng(11)
    n, d = 30_000, 2_000
    wave = rng.choice([2014, 2016, 2018], n)
    group = rng.integers(0, d, n)
    design = SurveyDesign(weights=rng.uniform(1, 3, n), strata=rng.integers(0, 30, n))
    y = (rng.random(n) < 0.3).astype(float)
    table = proportion(y, design, by=(wave, group))
    assert isinstance(table, EstimateTable)
    table = attrs.evolve(table, by=("wave", "group"))
    assert table.covariance_cross is not None
    tracemalloc.start()
    try:
        shift = change(table, between=(2014, 2018), adjust="none")
        ratio_shift = change(table, between=(2014, 2018), kind="ratio", adjust="none")
        slope = trend(table, adjust="none", breaks={})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 150 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    where = {label: i for i, label in enumerate(table.domains)}
    complete = [
        r
        for r, label in enumerate(shift.rows)
        if all((w, label) in where and 0 < table.estimate[where[(w, label)]] < 1 for w in WAVES)
    ]
    assert len(complete) > 0.3 * d
    for row in (complete[0], complete[len(complete) // 2], complete[-1]):
        label = shift.rows[row]
        at = np.array([where[(w, label)] for w in WAVES])
        block = table._covariance_at(at)
        before, after = table.estimate[at[0]], table.estimate[at[2]]
        difference = np.sqrt(block[0, 0] + block[2, 2] - 2 * block[0, 2])
        assert_allclose(shift.standard_error[row], difference, rtol=1e-10)
        relative = (
            block[2, 2] / after**2 + block[0, 0] / before**2 - 2 * block[0, 2] / (before * after)
        )
        assert_allclose(
            ratio_shift.standard_error[row], after / before * np.sqrt(relative), rtol=1e-10
        )
        c = np.array([-2.0, 0.0, 2.0]) / 8.0  # centred years over their sum of squares
        assert_allclose(slope.standard_error[row], np.sqrt(c @ block @ c), rtol=1e-10)


def test_an_empty_table_reindexed_keeps_no_covariance() -> None:
    rng = np.random.default_rng(2)
    n = 200
    design = SurveyDesign(weights=rng.uniform(1, 2, n), strata=rng.integers(0, 4, n))
    with limits(matrix=0, dense=0):
        table = mean(rng.normal(size=n), design, by=rng.integers(0, 3, n))
    assert isinstance(table, EstimateTable)
    empty = table.reindex([])
    again = empty.reindex([0, 99])
    assert np.isnan(again.covariance).all()
    assert np.isnan(again.standard_error).all()


@settings(max_examples=40, deadline=None)
@given(designs(), st.sampled_from(["poststratify", "rake", "linear", "raking"]))
def test_calibrated_designs_keep_their_residuals_low_rank(
    s: dict[str, np.ndarray], how: str
) -> None:
    # the calibration residuals T - B M as cross products plus a low-rank part: the same
    # covariance as the dense residual table of the small path
    from vpt_monitor.stats import calibrate, poststratify, rake

    design = _design({**s, "two_stage": np.array(False)})  # calibration is one-stage
    cell = (s["x"] > 2.0).astype(int)  # two calibration cells with rows in both
    if len(np.unique(cell)) < 2:
        return
    sizes = np.bincount(cell) * 3.0
    counts = {0: float(sizes[0]), 1: float(sizes[1])}
    halves = (np.arange(s["x"].size) % 2).astype(int)
    half_counts = dict(enumerate(np.bincount(halves) * sizes.sum() / halves.size))
    if how == "poststratify":
        calibrated = poststratify(design, cell, counts)
    elif how == "rake":
        calibrated = rake(design, {"cell": (cell, counts), "half": (halves, half_counts)})
    else:
        calibrated = calibrate(
            design, {"cell": (cell, counts), "half": (halves, half_counts)}, method=how
        )
    assert isinstance(calibrated, SurveyDesign)
    small = [mean(s["y"], calibrated, by=s["g"]), proportion(s["b"], calibrated, by=s["g"])]
    with limits(matrix=0, dense=0):
        many = [mean(s["y"], calibrated, by=s["g"]), proportion(s["b"], calibrated, by=s["g"])]
    for a, b in zip(small, many, strict=True):
        assert isinstance(a, EstimateTable)
        assert isinstance(b, EstimateTable)
        assert b.covariance_cross is not None
        assert b.covariance_cross.low_rank is not None
        assert_allclose(b.standard_error, a.standard_error, rtol=1e-8, atol=1e-12)
        assert_allclose(b.covariance, a.covariance, rtol=1e-8, atol=1e-12)
        if len(a.domains) >= 2:
            pair = {a.domains[0]: 1.0, a.domains[-1]: -1.0}
            assert_allclose(
                contrast(b, pair).standard_error,
                contrast(a, pair).standard_error,
                rtol=1e-8,
                atol=1e-12,
            )


def test_a_calibrated_design_of_many_domains_stays_small() -> None:
    # post-stratified weights, 20,000 domains over 40,000 one-row PSUs: the residual table
    # would be 40,000 x 20,000 (6.4 GB) and its D x D covariance 3.2 GB
    from vpt_monitor.stats import poststratify

    rng = np.random.default_rng(5)
    n, d = 40_000, 20_000
    design = SurveyDesign(weights=rng.uniform(1, 3, n), strata=rng.integers(0, 10, n))
    cell = rng.integers(0, 4, n)
    design = poststratify(design, cell, {k: 30_000.0 for k in range(4)})
    y = (rng.random(n) < 0.3).astype(float)
    tracemalloc.start()
    try:
        table = proportion(y, design, by=rng.integers(0, d, n))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(table, EstimateTable)
    assert table.covariance_cross is not None
    assert peak < 300 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    assert np.isfinite(table.standard_error).mean() > 0.99
