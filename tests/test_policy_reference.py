"""Integrity, policy and change indicators against R survey 4.1 (tests/reference/policy.R)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import read_reference_columns, read_reference_csv
from numpy.testing import assert_allclose
from scipy import stats
from test_monitor_reference import DATA as RESPONDENT_DATA

from vpt_monitor import (
    AGGRESSION_SCHEME,
    INTEGRITY_SCHEME,
    Estimate,
    EstimateTable,
    Layer,
    MonitorData,
    Office,
    change,
    cronbach_alpha,
    policy_coverage,
    policy_maturity,
    victimisation,
    violation_rate,
)

RTOL = 1e-8
R = {
    (r["indicator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("policy.csv")
}


def _load() -> MonitorData:
    orgs = read_reference_columns("organisations.csv")
    columns: dict[str, object] = {
        key: (values if key in ("id", "layer", "stratum") else np.array(values, dtype=float))
        for key, values in orgs.items()
    }
    viols = read_reference_columns("violations.csv")
    violations = {**viols, "wave": np.array(viols["wave"], dtype=float)}
    respondents = {"id": [], "wave": [], "layer": [], "office": []}
    return MonitorData.from_columns(respondents, None, columns, violations)


DATA = _load()
SCHEMES = {"integrity": INTEGRITY_SCHEME, "aggression": AGGRESSION_SCHEME}


@pytest.mark.parametrize(
    ("name", "measure"), [("separation", "functiescheiding"), ("adviser", "vertrouwenspersoon")]
)
def test_policy_coverage(name: str, measure: str) -> None:
    # R: svyciprop(~separation, d) and svyby(~separation, ~layer, d, svymean), fpc by stratum
    est = policy_coverage(DATA, measure)
    assert isinstance(est, Estimate)
    key = f"coverage_{name}"
    assert_allclose(est.estimate, R[(key, "", "estimate")], rtol=RTOL)
    assert_allclose(est.standard_error, R[(key, "", "se")], rtol=RTOL)
    ci = est.confidence_interval()
    assert_allclose([ci.low, ci.high], [R[(key, "", "low")], R[(key, "", "high")]], rtol=RTOL)
    table = policy_coverage(DATA, measure, by="layer")
    assert isinstance(table, EstimateTable)
    for layer, dom in table:
        assert_allclose(dom.estimate, R[(key, layer.value, "estimate")], rtol=RTOL)
        assert_allclose(dom.standard_error, R[(key, layer.value, "se")], rtol=RTOL)


@pytest.mark.parametrize("name", ["integrity", "aggression"])
def test_mean_maturity_with_fpc(name: str) -> None:
    # R: svymean(~score, d); svyby(~score, ~wave + layer, d, svymean)
    est = policy_maturity(DATA, scheme=SCHEMES[name])
    assert isinstance(est, Estimate)
    assert_allclose(est.estimate, R[(f"maturity_{name}", "", "estimate")], rtol=RTOL)
    assert_allclose(est.standard_error, R[(f"maturity_{name}", "", "se")], rtol=RTOL)
    table = policy_maturity(DATA, scheme=SCHEMES[name], by=("wave", "layer"))
    assert isinstance(table, EstimateTable)
    for (wave, layer), dom in table:
        key = (f"maturity_{name}", f"{wave}:{layer.value}")
        assert_allclose(dom.estimate, R[(*key, "estimate")], rtol=RTOL)
        assert_allclose(dom.standard_error, R[(*key, "se")], rtol=RTOL)


@pytest.mark.parametrize("name", ["integrity", "aggression"])
def test_change_of_maturity_between_waves(name: str) -> None:
    # R: svycontrast(svyby(~score, ~wave, d, svymean, covmat=TRUE), c(`2014`=-1, `2016`=1))
    overall = change(policy_maturity(DATA, scheme=SCHEMES[name], by="wave"))  # type: ignore[arg-type]
    assert_allclose(overall.estimate[0], R[(f"change_{name}", "", "estimate")], rtol=RTOL)
    assert_allclose(overall.standard_error[0], R[(f"change_{name}", "", "se")], rtol=RTOL)
    layers = change(policy_maturity(DATA, scheme=SCHEMES[name], by=("wave", "layer")))  # type: ignore[arg-type]
    for i, layer in enumerate(layers.rows):
        assert isinstance(layer, Layer)
        assert_allclose(
            layers.estimate[i], R[(f"change_{name}", layer.value, "estimate")], rtol=RTOL
        )
        assert_allclose(
            layers.standard_error[i], R[(f"change_{name}", layer.value, "se")], rtol=RTOL
        )
    # the test statistic is Student's t with the design df
    t = overall.estimate[0] / overall.standard_error[0]
    assert_allclose(overall.p_value[0], 2 * stats.t.sf(abs(t), overall.df[0]), rtol=1e-12)


def test_change_of_victimisation_between_waves() -> None:
    # R: svycontrast on svyby(~victim, ~wave (+ office), d, svymean, covmat=TRUE)
    overall = change(victimisation(RESPONDENT_DATA, by="wave"))  # type: ignore[arg-type]
    assert_allclose(overall.estimate[0], R[("change_victimisation", "", "estimate")], rtol=RTOL)
    assert_allclose(overall.standard_error[0], R[("change_victimisation", "", "se")], rtol=RTOL)
    offices = change(victimisation(RESPONDENT_DATA, by=("wave", "office")))  # type: ignore[arg-type]
    for office in (Office.MAYOR, Office.COUNCILLOR, Office.ALDERMAN):
        row = offices[office]
        key = ("change_victimisation", office.value)
        assert_allclose(row["estimate"], R[(*key, "estimate")], rtol=RTOL)
        assert_allclose(row["standard_error"], R[(*key, "se")], rtol=RTOL)
    # offices without respondents have no change, and are left out of the adjustment
    empty = offices.rows.index(Office.KINGS_COMMISSIONER)
    assert np.isnan(offices.p_value[empty])
    assert np.isnan(offices.p_adjusted[empty])


def test_cronbach_alpha() -> None:
    # R: the alpha formula with and without the survey weights
    assert_allclose(
        cronbach_alpha(DATA, INTEGRITY_SCHEME, weighted=False),
        R[("alpha_integrity", "", "unweighted")],
        rtol=1e-12,
    )
    assert_allclose(
        cronbach_alpha(DATA, INTEGRITY_SCHEME), R[("alpha_integrity", "", "weighted")], rtol=1e-12
    )


def test_violation_rates_against_poisson_test_and_chi_square() -> None:
    # R: poisson.test(x, employees / 1000)$conf.int; and the chi-square definition
    table = violation_rate(DATA, by="layer")
    assert isinstance(table, EstimateTable)
    ci = table.confidence_interval()
    for i, layer in enumerate(table.domains):
        assert isinstance(layer, Layer)
        key = ("violation_rate", layer.value)
        x = R[(*key, "events")]
        assert table.n[i] == x
        assert_allclose(table.estimate[i], R[(*key, "estimate")], rtol=1e-12)
        assert_allclose([ci.low[i], ci.high[i]], [R[(*key, "low")], R[(*key, "high")]], rtol=1e-9)
        exposure = table.exposure[i]  # type: ignore[index]
        assert_allclose(ci.low[i], stats.chi2.ppf(0.025, 2 * x) / 2 / exposure, rtol=1e-10)
        assert_allclose(ci.high[i], stats.chi2.ppf(0.975, 2 * x + 2) / 2 / exposure, rtol=1e-10)
