"""Hypothesis properties of the count intervals (see STYLE.md)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from vpt_monitor.stats import difference_ci, proportion_ci, rate_ci
from vpt_monitor.stats.intervals import DIFFERENCE_METHODS, PROPORTION_METHODS, RATE_METHODS

TOL = 1e-9


@st.composite
def binomial(draw: st.DrawFn, max_n: int = 2000) -> tuple[int, int]:
    n = draw(st.integers(1, max_n))
    return draw(st.integers(0, n)), n


levels = st.floats(0.5, 0.999)


@given(binomial(), st.sampled_from(PROPORTION_METHODS), levels)
def test_proportion_contains_estimate_and_stays_in_range(
    xn: tuple[int, int], method: str, level: float
) -> None:
    x, n = xn
    ci = proportion_ci(x, n, method=method, level=level)
    assert 0.0 <= ci.low <= ci.high <= 1.0
    assert ci.low - TOL <= x / n <= ci.high + TOL


@given(binomial(), st.sampled_from(PROPORTION_METHODS), levels, levels)
def test_proportion_wider_at_higher_level(
    xn: tuple[int, int], method: str, a: float, b: float
) -> None:
    lower, higher = sorted((a, b))
    narrow = proportion_ci(*xn, method=method, level=lower)
    wide = proportion_ci(*xn, method=method, level=higher)
    assert wide.low <= narrow.low + TOL
    assert wide.high >= narrow.high - TOL


@given(binomial(), st.sampled_from(PROPORTION_METHODS), levels)
def test_proportion_mirrors(xn: tuple[int, int], method: str, level: float) -> None:
    x, n = xn
    ci = proportion_ci(x, n, method=method, level=level)
    mirror = proportion_ci(n - x, n, method=method, level=level)
    assert_allclose([ci.low, ci.high], [1 - mirror.high, 1 - mirror.low], atol=1e-9)


@settings(max_examples=50)
@given(st.lists(binomial(300), min_size=1, max_size=12), st.sampled_from(PROPORTION_METHODS))
def test_proportion_array_equals_elementwise(pairs: list[tuple[int, int]], method: str) -> None:
    x, n = (np.array(v) for v in zip(*pairs, strict=True))
    table = proportion_ci(x, n, method=method)
    one_by_one = [proportion_ci(int(a), int(b), method=method) for a, b in pairs]
    assert_allclose(table.low, [ci.low for ci in one_by_one], rtol=1e-12, atol=1e-15)
    assert_allclose(table.high, [ci.high for ci in one_by_one], rtol=1e-12, atol=1e-15)


@given(binomial(500), binomial(500), st.sampled_from(DIFFERENCE_METHODS), levels)
def test_difference_contains_estimate_and_is_antisymmetric(
    a: tuple[int, int], b: tuple[int, int], method: str, level: float
) -> None:
    ci = difference_ci(*a, *b, method=method, level=level)
    d = a[0] / a[1] - b[0] / b[1]
    assert -1.0 <= ci.low <= ci.high <= 1.0
    if method != "agresti_caffo":  # Agresti-Caffo is centred on shrunken estimates
        assert ci.low - TOL <= d <= ci.high + TOL
    swapped = difference_ci(*b, *a, method=method, level=level)
    assert_allclose([ci.low, ci.high], [-swapped.high, -swapped.low], atol=1e-9)


@given(binomial(500), binomial(500), st.sampled_from(DIFFERENCE_METHODS), levels, levels)
def test_difference_wider_at_higher_level(
    a: tuple[int, int], b: tuple[int, int], method: str, l1: float, l2: float
) -> None:
    lower, higher = sorted((l1, l2))
    narrow = difference_ci(*a, *b, method=method, level=lower)
    wide = difference_ci(*a, *b, method=method, level=higher)
    assert wide.low <= narrow.low + TOL
    assert wide.high >= narrow.high - TOL


@settings(max_examples=40)
@given(
    st.lists(st.tuples(binomial(200), binomial(200)), min_size=1, max_size=8),
    st.sampled_from(DIFFERENCE_METHODS),
)
def test_difference_array_equals_elementwise(
    rows: list[tuple[tuple[int, int], tuple[int, int]]], method: str
) -> None:
    x1, n1, x2, n2 = (np.array(v) for v in zip(*[(*a, *b) for a, b in rows], strict=True))
    table = difference_ci(x1, n1, x2, n2, method=method)
    for i, (a, b) in enumerate(rows):
        one = difference_ci(*a, *b, method=method)
        assert_allclose([table.low[i], table.high[i]], [one.low, one.high], rtol=1e-12, atol=1e-14)


@given(
    st.integers(0, 100_000),
    st.floats(0.01, 1e5),
    st.sampled_from(RATE_METHODS),
    levels,
    levels,
)
def test_rate_properties(x: int, exposure: float, method: str, l1: float, l2: float) -> None:
    lower, higher = sorted((l1, l2))
    narrow = rate_ci(x, exposure, method=method, level=lower)
    wide = rate_ci(x, exposure, method=method, level=higher)
    rate = x / exposure
    assert 0.0 <= narrow.low <= narrow.high
    assert narrow.low <= rate * (1 + TOL) + TOL
    assert narrow.high >= rate * (1 - TOL) - TOL
    assert wide.low <= narrow.low * (1 + TOL) + TOL
    assert wide.high >= narrow.high * (1 - TOL)
    # the exposure only rescales the count's interval
    unit = rate_ci(x, method=method, level=lower)
    assert_allclose(
        [narrow.low, narrow.high],
        [unit.low / exposure, unit.high / exposure],
        rtol=1e-12,
        atol=1e-300,
    )
