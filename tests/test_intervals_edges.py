"""Edge cases and bad input of the count intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vpt_monitor.stats import ConfidenceInterval, difference_ci, proportion_ci, rate_ci
from vpt_monitor.stats.intervals import DIFFERENCE_METHODS, PROPORTION_METHODS, RATE_METHODS


@pytest.mark.parametrize("method", PROPORTION_METHODS)
def test_zero_trials_give_nan(method: str) -> None:
    ci = proportion_ci([0, 3], [0, 10], method=method)
    assert math.isnan(ci.low[0])
    assert math.isnan(ci.high[0])
    assert np.isfinite(ci.low[1])


@pytest.mark.parametrize("method", PROPORTION_METHODS)
def test_zero_successes(method: str) -> None:
    ci = proportion_ci(0, 25, method=method)
    assert ci.low == 0.0
    if method == "wald":
        assert ci.high == 0.0  # the known failure of the Wald interval, kept visible
    else:
        assert 0.0 < ci.high < 0.25


@pytest.mark.parametrize("method", PROPORTION_METHODS)
def test_all_successes(method: str) -> None:
    ci = proportion_ci(25, 25, method=method)
    assert ci.high == 1.0
    assert (ci.low == 1.0) if method == "wald" else (0.75 < ci.low < 1.0)


def test_closed_forms_at_zero() -> None:
    # Wilson's upper bound at 0 of n is z^2 / (n + z^2); Clopper-Pearson's is 1 - (alpha/2)^(1/n)
    z = 1.959963984540054
    assert proportion_ci(0, 20).high == pytest.approx(z**2 / (20 + z**2), rel=1e-12)
    assert proportion_ci(0, 20, method="clopper_pearson").high == pytest.approx(
        1 - 0.025 ** (1 / 20), rel=1e-12
    )
    # likelihood ratio: -2 n log(1 - p) = z^2
    assert proportion_ci(0, 20, method="likelihood").high == pytest.approx(
        1 - math.exp(-(z**2) / 40), rel=1e-12
    )
    # mid-p: (1 - p)^n / 2 = alpha / 2
    assert proportion_ci(0, 20, method="mid_p").high == pytest.approx(
        1 - 0.05 ** (1 / 20), rel=1e-12
    )
    # Poisson mid-p at 0 events: exp(-mu) / 2 = alpha / 2
    assert rate_ci(0, method="mid_p").high == pytest.approx(-math.log(0.05), rel=1e-12)


@pytest.mark.parametrize("method", PROPORTION_METHODS)
@pytest.mark.parametrize("level", [1e-6, 0.5, 1 - 1e-9])
def test_extreme_levels_proportion(method: str, level: float) -> None:
    ci = proportion_ci([0, 7, 30], [30, 30, 30], method=method, level=level)
    assert np.all(np.isfinite(ci.low))
    assert np.all(np.isfinite(ci.high))
    assert np.all((ci.low >= 0) & (ci.low <= ci.high) & (ci.high <= 1))


@pytest.mark.parametrize("method", DIFFERENCE_METHODS)
@pytest.mark.parametrize("level", [1e-6, 0.5, 1 - 1e-9])
def test_extreme_levels_difference(method: str, level: float) -> None:
    ci = difference_ci([0, 7, 30], [30, 30, 30], [5, 7, 0], [9, 30, 12], method=method, level=level)
    assert np.all((ci.low >= -1) & (ci.low <= ci.high) & (ci.high <= 1))


@pytest.mark.parametrize("method", RATE_METHODS)
@pytest.mark.parametrize("level", [1e-6, 0.5, 1 - 1e-9])
def test_extreme_levels_rate(method: str, level: float) -> None:
    ci = rate_ci([0, 1, 30, 5000], [1.0, 2.0, 0.5, 100.0], method=method, level=level)
    assert np.all(np.isfinite(ci.high))
    assert np.all((ci.low >= 0) & (ci.low <= ci.high))


@pytest.mark.parametrize("method", DIFFERENCE_METHODS)
def test_difference_with_empty_sample_is_nan(method: str) -> None:
    ci = difference_ci([0, 1], [0, 5], [2, 0], [5, 0], method=method)
    assert np.isnan(ci.low).all()
    assert np.isnan(ci.high).all()


@pytest.mark.parametrize("method", DIFFERENCE_METHODS)
def test_difference_at_the_extremes(method: str) -> None:
    ci = difference_ci([10, 0], [10, 12], [0, 9], [10, 9], method=method)
    assert ci.high[0] == 1.0
    assert ci.low[1] == -1.0


def test_scalar_input_gives_floats_and_arrays_give_arrays() -> None:
    scalar = proportion_ci(3, 10)
    assert isinstance(scalar.low, float)
    assert scalar.shape == ()
    table = proportion_ci([[1, 2], [3, 4]], 10)
    assert table.shape == (2, 2)
    assert not table.low.flags.writeable


def test_interval_object() -> None:
    ci = proportion_ci([1, 5], 10, level=0.9, method="jeffreys")
    assert isinstance(ci, ConfidenceInterval)
    assert ci.level == 0.9
    assert ci.method == "jeffreys"
    low, high = ci
    np.testing.assert_array_equal(ci.width, high - low)
    np.testing.assert_array_equal(ci.contains([0.1, 0.9]), [True, False])
    assert "jeffreys" in repr(ci)
    frame = ci.to_pandas()
    assert list(frame.columns) == ["low", "high"]
    assert len(frame) == 2


# ---- bad input ---------------------------------------------------------------------------


def test_successes_above_trials_names_both_and_the_index() -> None:
    with pytest.raises(
        ValueError,
        match=r"'trials' must be >= 'successes'; got successes=5, "
        r"trials=3 at index 2",
    ):
        proportion_ci([1, 2, 5], [4, 4, 3])


@pytest.mark.parametrize(
    ("successes", "trials", "message"),
    [
        (-1, 10, r"'successes' must be >= 0; got successes=-1"),
        (1.5, 10, r"'successes' must be a whole number \(a count\); got successes=1.5"),
        ([1, 2], [10, np.nan], r"'trials' must be finite; got trials=nan at index 1"),
        (1, -10, r"'trials' must be >= 0"),
    ],
)
def test_bad_counts(successes: object, trials: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        proportion_ci(successes, trials)  # type: ignore[arg-type]


def test_non_numeric_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'successes' must be numeric"):
        proportion_ci(["a"], [3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="'trials' must be numeric"):
        proportion_ci(1, True)


@pytest.mark.parametrize("level", [0, 1, -0.5, 95, float("nan")])
def test_bad_level(level: float) -> None:
    with pytest.raises(ValueError, match="'level' must be strictly between 0 and 1"):
        proportion_ci(1, 10, level=level)


def test_level_must_be_a_number() -> None:
    with pytest.raises(TypeError, match="'level' must be a number"):
        rate_ci(1, level="95%")  # type: ignore[arg-type]


def test_unknown_method_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown method 'wils'; valid values are 'wilson', "):
        proportion_ci(1, 10, method="wils")
    with pytest.raises(ValueError, match="'miettinen_nurminen'"):
        difference_ci(1, 10, 2, 10, method="score")
    with pytest.raises(ValueError, match="'byar'"):
        rate_ci(1, method="poisson")


def test_difference_names_the_sample() -> None:
    with pytest.raises(ValueError, match="'trials2' must be >= 'successes2'"):
        difference_ci(1, 10, 4, 3)


def test_shapes_that_do_not_broadcast() -> None:
    with pytest.raises(ValueError, match=r"do not broadcast: successes \(3,\), trials \(2,\)"):
        proportion_ci([1, 2, 3], [5, 6])


@pytest.mark.parametrize("exposure", [0, -1.0, np.inf])
def test_bad_exposure(exposure: float) -> None:
    with pytest.raises(ValueError, match="'exposure' must be finite and > 0"):
        rate_ci(3, exposure)
