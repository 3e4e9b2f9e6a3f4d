"""The organisation survey's indicators against R survey 4.1, wave by wave (policy.R).

The data (tests/reference/make_organisation_data.py): two independent waves with stratum
labels and organisation codes reused, the population of each stratum per wave as fpc, a
census of the 12 provinces, empty cells among the measures, and registered violations that
cluster by organisation. Change between waves of respondent indicators is tested in
test_monitor_reference.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from conftest import read_reference_columns, read_reference_csv
from numpy.testing import assert_allclose
from scipy import stats
from test_monitor_reference import DATA as RESPONDENT_DATA
from test_monitor_reference import label_of

from vpt_monitor import (
    AGGRESSION_SCHEME,
    INTEGRITY_SCHEME,
    Estimate,
    EstimateTable,
    Measure,
    MonitorData,
    NotMeasuredError,
    change,
    cronbach_alpha,
    policy_coverage,
    policy_maturity,
    violation_rate,
)

RTOL = 1e-8
WAVES = (2014, 2016)
R = {
    (r["indicator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("policy.csv")
}
SCHEMES = {"integrity": INTEGRITY_SCHEME, "aggression": AGGRESSION_SCHEME}


def _numbers(values: list[str]) -> Any:
    return np.array([float(v) if v != "" else np.nan for v in values])


def load(*, violations: bool = True, drop: tuple[str, ...] = ()) -> MonitorData:
    """The organisation files as MonitorData (without the violations file if asked)."""
    orgs = read_reference_columns("organisations.csv")
    columns = {
        key: (values if key in ("id", "layer", "stratum") else _numbers(values))
        for key, values in orgs.items()
        if key not in drop
    }
    viols = read_reference_columns("violations.csv")
    registered = {**viols, "wave": _numbers(viols["wave"])} if violations else None
    respondents: dict[str, list[Any]] = {"id": [], "wave": [], "layer": [], "office": []}
    return MonitorData.from_columns(respondents, None, columns, registered)


DATA = load()


def check_domain(key: str, label: str, est: Estimate, missing: int | None = None) -> None:
    """One domain against R: estimate, se, df, n, interval, flags and missing answers."""
    where = (key, label)
    if missing is not None:
        assert missing == R.get((*where, "missing"), 0), (where, "missing")
    if (*where, "not_measured") in R:
        assert "not_measured" in est.flags, where
        return
    assert not {"empty", "not_measured"} & set(est.flags), where
    assert_allclose(est.estimate, R[(*where, "estimate")], rtol=RTOL, atol=1e-15, err_msg=label)
    assert_allclose(est.standard_error, R[(*where, "se")], rtol=RTOL, atol=1e-15, err_msg=label)
    assert est.df == R[(*where, "df")], where
    assert est.n == R[(*where, "n")], where
    if (*where, "low") in R:
        ci = est.confidence_interval()
        expected = [R[(*where, "low")], R[(*where, "high")]]
        if est.bounds is not None:  # R's t interval, clipped to the quantity's range
            expected = list(np.clip(expected, *est.bounds))
        assert_allclose([ci.low, ci.high], expected, rtol=RTOL, err_msg=label)
    if est.kind == "proportion":
        p = R[(*where, "estimate")]
        assert ("boundary" in est.flags) == (p < 1e-12 or p > 1 - 1e-12), where


def check_table(key: str, table: EstimateTable) -> None:
    counted = table.notes.get("missing_by_domain")
    for domain, est in table:
        check_domain(
            key, label_of(domain), est, None if counted is None else counted.get(domain, 0)
        )
    if counted is not None:
        assert table.notes["missing"] == sum(R[(key, str(w), "missing")] for w in WAVES)


Indicator = Callable[..., Estimate | EstimateTable]
# R key, indicator, its positional arguments after the data, its options
Case = tuple[str, Indicator, tuple[Any, ...], dict[str, Any]]
CASES: list[Case] = [
    *((f"coverage_{m.value}", policy_coverage, (m,), {}) for m in Measure),
    *((f"maturity_{name}", policy_maturity, (), {"scheme": s}) for name, s in SCHEMES.items()),
    ("violation_rate", violation_rate, (), {}),
    ("violation_rate_confirmed", violation_rate, (), {"status": "vastgesteld"}),
]


def test_data_are_shaped_like_an_agency_delivery() -> None:
    o = DATA.organisations
    assert o["wave"].shape == (189,)
    assert DATA.violations["wave"].shape == (818,)
    for wave in WAVES:
        rows = o["wave"] == wave
        assert set(o["stratum"][rows]) == {"rijk", "provincie", "gemeente", "waterschap"}
        assert "gm0344" in set(o["id"][rows])
        provinces = rows & (o["stratum"] == "provincie")
        assert provinces.sum() == 12
        assert set(o["fpc"][provinces]) == {12.0}  # a census stratum
    municipalities = {
        w: set(o["fpc"][(o["wave"] == w) & (o["stratum"] == "gemeente")]) for w in WAVES
    }
    assert municipalities == {2014: {403.0}, 2016: {390.0}}
    assert ((o["measures"] > 0).any(axis=0)).all()  # every measure in place somewhere
    assert ((o["measures"] < 0).any(axis=1)).sum() > 10  # empty cells
    per_organisation = np.bincount(DATA.violations["organisation"], minlength=o["wave"].shape[0])
    assert per_organisation.max() >= 40  # registrations cluster by organisation
    assert (per_organisation == 0).sum() > 50
    assert set(DATA.violations["kind"]) == set(range(9))
    assert set(DATA.violations["status"]) == set(range(3))


@pytest.mark.parametrize(("key", "function", "args", "options"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("by", [("wave",), ("wave", "layer")], ids=["wave", "wave-layer"])
def test_indicator_by_wave_and_layer(
    key: str,
    function: Indicator,
    args: tuple[Any, ...],
    options: dict[str, Any],
    by: tuple[str, ...],
) -> None:
    # R: svyciprop(method="logit") / svymean / svyratio(~viol, ~emp_k) on
    #    subset(d, wave == w & <layer> & !is.na(y)), d with strata (wave, stratum) and fpc
    table = function(DATA, *args, by=by, **options)
    assert isinstance(table, EstimateTable)
    check_table(key, table)


@pytest.mark.parametrize(("key", "function", "args", "options"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("wave", WAVES)
def test_indicator_for_one_wave(
    key: str, function: Indicator, args: tuple[Any, ...], options: dict[str, Any], wave: int
) -> None:
    est = function(DATA, *args, wave=wave, **options)
    assert isinstance(est, Estimate)
    missing = est.notes["missing"] if "violation" not in key else None
    check_domain(key, str(wave), est, missing)


def test_a_census_stratum_has_no_sampling_variance() -> None:
    # R: all 12 provinces with fpc = 12: the province domain's se is 0
    table = policy_maturity(DATA, by=("wave", "layer"))
    assert isinstance(table, EstimateTable)
    rates = violation_rate(DATA, by=("wave", "layer"))
    assert isinstance(rates, EstimateTable)
    for wave in WAVES:
        assert table[(wave, "provincie")].standard_error == 0.0
        assert rates[(wave, "provincie")].standard_error == 0.0
        assert R[("maturity_integrity", f"{wave}:provincie", "se")] == 0.0


@pytest.mark.parametrize("name", ["integrity", "aggression"])
@pytest.mark.parametrize("wave", WAVES)
def test_cronbach_alpha_per_wave(name: str, wave: int) -> None:
    # R: k / (k - 1) * (1 - trace(S) / sum(S)), S = cov.wt(items of the wave's complete rows)
    for weighted in (False, True):
        alpha = cronbach_alpha(DATA, SCHEMES[name], weighted=weighted, wave=wave)
        expected = R[(f"alpha_{name}", str(wave), "weighted" if weighted else "unweighted")]
        assert_allclose(alpha, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="2 waves"):
        cronbach_alpha(DATA, SCHEMES[name])


@pytest.mark.parametrize("by", [("wave",), ("wave", "layer")], ids=["wave", "wave-layer"])
def test_violation_rates_as_poisson_counts(by: tuple[str, ...]) -> None:
    # R: poisson.test(x, employees / 1000)$conf.int; and the chi-square definition
    table = violation_rate(DATA, by=by, method="poisson")
    assert isinstance(table, EstimateTable)
    ci = table.confidence_interval()
    for i, domain in enumerate(table.domains):
        key = ("violation_poisson", label_of(domain))
        x = R[(*key, "events")]
        assert table.n[i] == x
        exposure = table.exposure[i]  # type: ignore[index]
        assert_allclose(exposure, R[(*key, "exposure")], rtol=1e-12)
        assert_allclose(table.estimate[i], R[(*key, "estimate")], rtol=1e-12)
        assert_allclose([ci.low[i], ci.high[i]], [R[(*key, "low")], R[(*key, "high")]], rtol=1e-9)
        assert_allclose(ci.low[i], stats.chi2.ppf(0.025, 2 * x) / 2 / exposure, rtol=1e-10)
        assert_allclose(ci.high[i], stats.chi2.ppf(0.975, 2 * x + 2) / 2 / exposure, rtol=1e-10)
    one = violation_rate(DATA, wave=2016, method="poisson", status="vastgesteld")
    assert isinstance(one, Estimate)
    assert one.n == R[("violation_poisson_confirmed", "2016", "events")]
    assert_allclose(
        one.estimate, R[("violation_poisson_confirmed", "2016", "estimate")], rtol=1e-12
    )


def test_registrations_that_cluster_widen_the_design_interval() -> None:
    design = violation_rate(DATA, wave=2016)
    poisson = violation_rate(DATA, wave=2016, method="poisson")
    assert isinstance(design, Estimate)
    assert isinstance(poisson, Estimate)
    assert design.standard_error > 2 * poisson.standard_error


CHANGES: list[Case] = [
    ("change_maturity_integrity", policy_maturity, (), {"scheme": INTEGRITY_SCHEME}),
    ("change_maturity_aggression", policy_maturity, (), {"scheme": AGGRESSION_SCHEME}),
    ("change_coverage_functiescheiding", policy_coverage, ("functiescheiding",), {}),
    ("change_violation_rate", violation_rate, (), {}),
]


@pytest.mark.parametrize(
    ("key", "function", "args", "options"), CHANGES, ids=[c[0] for c in CHANGES]
)
def test_change_between_independent_waves(
    key: str, function: Indicator, args: tuple[Any, ...], options: dict[str, Any]
) -> None:
    # R: svycontrast(svyby(~y, ~wave (+ layer), subset(d, !is.na(y)), svymean (or svyratio),
    #    covmat = TRUE), c(-1, 1))
    overall = function(DATA, *args, by="wave", **options)
    assert isinstance(overall, EstimateTable)
    result = change(overall, between=WAVES)
    assert_allclose(result.estimate[0], R[(key, "", "estimate")], rtol=RTOL)
    assert_allclose(result.standard_error[0], R[(key, "", "se")], rtol=RTOL)
    # df of the comparison: PSUs minus strata among both waves' rows, R's degf(sub)
    assert result.df[0] == R[(key, "", "df")]
    assert result.df[0] < R[("design_df", "", "df")] or key == "change_violation_rate"
    t = result.estimate[0] / result.standard_error[0]
    assert_allclose(result.p_value[0], 2 * stats.t.sf(abs(t), result.df[0]), rtol=1e-12)
    layers = function(DATA, *args, by=("wave", "layer"), **options)
    assert isinstance(layers, EstimateTable)
    rows = change(layers, between=WAVES)
    for i, layer in enumerate(rows.rows):
        where = (key, label_of(layer))
        assert_allclose(rows.estimate[i], R[(*where, "estimate")], rtol=RTOL, atol=1e-12)
        assert_allclose(rows.standard_error[i], R[(*where, "se")], rtol=RTOL, atol=1e-15)
        assert rows.df[i] == R[(*where, "df")]
        if rows.standard_error[i] == 0:  # the census of provinces: no test, no adjustment
            assert np.isnan(rows.p_value[i])


def test_design_degrees_of_freedom_per_wave() -> None:
    # R: degf(subset(d, wave == w)) and degf(d)
    o = DATA.organisations
    for wave in WAVES:
        rows = o["wave"] == wave
        assert rows.sum() - len(set(o["stratum"][rows])) == R[("design_df", str(wave), "df")]
    assert DATA.organisation_design.df == R[("design_df", "", "df")]


def test_what_the_files_do_not_hold_is_not_measured() -> None:
    with pytest.raises(NotMeasuredError, match="registered violations are not in these data"):
        violation_rate(load(violations=False), by="wave")
    without = load(drop=("measure:nazorg",))
    with pytest.raises(NotMeasuredError, match="nazorg"):
        policy_coverage(without, "nazorg", by="wave")
    with pytest.raises(NotMeasuredError, match="aggression maturity score"):
        policy_maturity(without, scheme=AGGRESSION_SCHEME, by="wave")
    integrity = policy_maturity(without, by="wave")  # the other scheme does not need it
    assert isinstance(integrity, EstimateTable)
    check_table("maturity_integrity", integrity)
    with pytest.raises(NotMeasuredError, match="registered violations"):
        violation_rate(RESPONDENT_DATA, by="wave")
