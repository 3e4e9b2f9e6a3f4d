"""Publication rules at their boundaries (issue 17.5).

Every rule of ``stats/_reliability.py`` is checked just below, at and just above its limit,
so that ``>=`` turned into ``>`` (or a limit moved) fails a test.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from vpt_monitor.stats import Estimate, _design_ci, _reliability
from vpt_monitor.stats._reliability import RULES

DF = "fewer than 8 degrees of freedom"
EFFECTIVE_N = "effective sample size below 30"
WIDTH = "interval wider than 0.30"
RELATIVE = "interval wider than 130% of the estimate"
RSE = "relative standard error above 30%"
EVENTS = "fewer than 20 events"


def _reasons(**fields: Any) -> tuple[str, ...]:
    return Estimate(**fields).reliability()[1]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.quantity}-{sorted(r.kinds)[0]}")
def test_every_declared_rule_keeps_its_limit(rule: _reliability.Rule) -> None:
    below = np.nextafter(rule.limit, -np.inf)
    above = np.nextafter(rule.limit, np.inf)
    broken = rule.broken(np.array([below, rule.limit, above, np.nan]))
    expected = [True, False, False, True] if rule.at_least else [False, False, True, True]
    assert broken.tolist() == expected


def test_the_limits_are_the_documented_ones() -> None:
    limits = {(r.quantity, r.reason): (r.limit, r.at_least) for r in RULES}
    assert limits == {
        ("effective_n", EFFECTIVE_N): (30.0, True),
        ("width", WIDTH): (0.30, False),
        ("relative_width", RELATIVE): (1.30, False),
        ("df", DF): (8.0, True),
        ("rse", RSE): (0.30, False),
        ("events", EVENTS): (20.0, True),
    }
    assert _reliability.RELATIVE_WIDTH_FROM == 0.05


@pytest.mark.parametrize("kind", ["mean", "total", "ratio", "contrast", "proportion"])
@pytest.mark.parametrize(("df", "broken"), [(7, True), (8, False), (9, False)])
def test_degrees_of_freedom_7_8_9(kind: str, df: int, broken: bool) -> None:
    # p = 0.5 with a small se meets every other rule of a proportion; for the others the
    # relative standard error is 0.1
    estimate, se = (0.5, 0.01) if kind == "proportion" else (1.0, 0.1)
    reasons = _reasons(
        estimate=estimate, standard_error=se, df=df, n=400, n_effective=400.0, kind=kind
    )
    assert (DF in reasons) is broken
    assert reasons == ((DF,) if broken else ())


def _effective_n_case(target: float) -> tuple[float, float]:
    """A proportion and standard error with p (1 - p) / se**2 exactly ``target`` in floats."""
    for j in range(32, 0, -1):
        p = j / 64  # p (1 - p) is exact
        se = float(np.sqrt(p * (1 - p) / target))
        for _ in range(64):
            value = p * (1 - p) / se**2
            if value == target:
                return p, se
            se = float(np.nextafter(se, np.inf if value > target else -np.inf))
    raise AssertionError(f"no float case gives {target}")


@pytest.mark.parametrize(("n_eff", "broken"), [(29.0, True), (30.0, False), (31.0, False)])
def test_effective_sample_size_29_30_31(n_eff: float, broken: bool) -> None:
    # with n - 1 equal to df the Korn-Graubard factor (t_{n-1} / t_df)^2 is exactly 1, so
    # the effective sample size is p (1 - p) / se^2
    p, se = _effective_n_case(n_eff)
    reasons = _reasons(
        estimate=p, standard_error=se, df=99, n=100, n_effective=100.0, kind="proportion"
    )
    assert (EFFECTIVE_N in reasons) is broken


def _with_interval(monkeypatch: pytest.MonkeyPatch, low: float, high: float) -> None:
    """Make the Korn-Graubard interval of the rules exactly ``[low, high]``."""

    def fake(p: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any, Any]:
        shape = np.shape(p)
        return np.full(shape, low), np.full(shape, high), np.zeros(shape, dtype=bool)

    monkeypatch.setattr(_design_ci, "proportion_ci", fake)


def _proportion_reasons(estimate: float) -> tuple[str, ...]:
    return _reasons(
        estimate=estimate,
        standard_error=0.001,
        df=50,
        n=1000,
        n_effective=1000.0,
        kind="proportion",
    )


@pytest.mark.parametrize(
    ("high", "broken"), [(np.nextafter(0.3, 0), False), (0.3, False), (np.nextafter(0.3, 1), True)]
)
def test_absolute_width_at_the_limit(
    monkeypatch: pytest.MonkeyPatch, high: float, broken: bool
) -> None:
    _with_interval(monkeypatch, 0.0, high)
    assert (WIDTH in _proportion_reasons(0.5)) is broken


@pytest.mark.parametrize(
    ("high", "broken"),
    [(np.nextafter(0.13, 0), False), (0.13, False), (np.nextafter(0.13, 1), True)],
)
def test_relative_width_at_the_limit(
    monkeypatch: pytest.MonkeyPatch, high: float, broken: bool
) -> None:
    # width 0.13 over an estimate of 0.1 is exactly 1.3 in floating point
    assert 0.13 / 0.1 == 1.3
    _with_interval(monkeypatch, 0.0, high)
    assert (RELATIVE in _proportion_reasons(0.1)) is broken


@pytest.mark.parametrize(
    ("high", "applies"),
    [(0.05, False), (np.nextafter(0.05, 1), True)],
)
def test_relative_width_applies_only_above_005(
    monkeypatch: pytest.MonkeyPatch, high: float, applies: bool
) -> None:
    # an interval 0.05 wide around 0.001 is 50 times the estimate, and still fine
    _with_interval(monkeypatch, 0.0, high)
    assert (RELATIVE in _proportion_reasons(0.001)) is applies


@pytest.mark.parametrize("kind", ["mean", "total", "ratio", "contrast", "rate"])
@pytest.mark.parametrize(
    ("se", "broken"), [(np.nextafter(0.3, 0), False), (0.3, False), (np.nextafter(0.3, 1), True)]
)
def test_relative_standard_error_at_the_limit(kind: str, se: float, broken: bool) -> None:
    reasons = _reasons(estimate=1.0, standard_error=se, df=30, n=100, n_effective=100.0, kind=kind)
    assert (RSE in reasons) is broken
    negative = _reasons(estimate=-1.0, standard_error=se, df=30, n=100, kind=kind)
    assert (RSE in negative) is broken


@pytest.mark.parametrize(("events", "broken"), [(19, True), (20, False), (21, False)])
def test_events_19_20_21_for_rates(events: int, broken: bool) -> None:
    reasons = _reasons(estimate=1.0, standard_error=0.1, df=np.inf, n=events, kind="rate")
    assert (EVENTS in reasons) is broken
    assert reasons == ((EVENTS,) if broken else ())


def test_rates_have_no_df_rule_and_proportions_no_rse_rule() -> None:
    rate = _reasons(estimate=1.0, standard_error=0.1, df=2, n=50, kind="rate")
    assert rate == ()
    share = _reasons(
        estimate=0.5, standard_error=0.01, df=30, n=900, n_effective=900.0, kind="proportion"
    )
    assert share == ()


def test_empty_estimates_only_say_so() -> None:
    reasons = _reasons(estimate=np.nan, standard_error=np.nan, df=np.nan, n=0, kind="mean")
    assert reasons == ("no observations",)


def test_a_quantile_without_an_upper_limit_is_not_reliable() -> None:
    # The new-user trial: quantile(..., [0.5, 0.99]) gave a NaN standard error and upper
    # limit at 0.99 (as R does) yet reliable=True and no reason
    import numpy as np

    from vpt_monitor.stats import EstimateTable, SurveyDesign, quantile

    rng = np.random.default_rng(1)
    design = SurveyDesign(weights=np.ones(300), clusters=np.arange(300) // 3)
    table = quantile(rng.uniform(20, 70, 300), design, [0.5, 0.99])
    assert isinstance(table, EstimateTable)
    assert np.isfinite(table.standard_error[0])
    assert np.isnan(table.standard_error[1])
    reliable, reasons = table.reliability()
    assert reliable.tolist() == [True, False]
    assert reasons[1] == ("no standard error: an end of the interval lies beyond the data's range",)
    assert table.to_pandas()["reliable"].tolist() == [True, False]
