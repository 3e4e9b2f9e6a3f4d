"""The aggression indicators against R survey 4.1 (tests/reference/monitor.R)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import read_reference_columns, read_reference_csv
from numpy.testing import assert_allclose

from vpt_monitor import (
    Estimate,
    EstimateTable,
    MonitorData,
    Office,
    aftercare_share,
    consequence_share,
    decision_influence,
    incidence,
    reporting_propensity,
    victimisation,
)

RTOL = 1e-8
R = {
    (r["indicator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("monitor.csv")
}


def _load() -> MonitorData:
    resp = read_reference_columns("monitor_respondents.csv")
    inc = read_reference_columns("monitor_incidents.csv")
    columns: dict[str, object] = {}
    for key, values in resp.items():
        if key in ("id", "layer", "office", "stratum", "cluster"):
            columns[key] = values
        else:  # numbers; empty cells are missing answers
            columns[key] = np.array([float(v) if v != "" else np.nan for v in values])
    incidents: dict[str, object] = {
        "respondent_id": inc["respondent_id"],
        "wave": np.array(inc["wave"], dtype=float),
        "form": inc["form"],
        "channel": inc["channel"],
        "reported_internally": np.array(
            [float(v) if v else np.nan for v in inc["reported_internally"]]
        ),
        "police_report": np.array([float(v) if v else np.nan for v in inc["police_report"]]),
    }
    return MonitorData.from_columns(columns, incidents)


DATA = _load()


def _check(result: Estimate, key: str, domain: str = "") -> None:
    assert_allclose(result.estimate, R[(key, domain, "estimate")], rtol=RTOL)
    assert_allclose(result.standard_error, R[(key, domain, "se")], rtol=RTOL, atol=1e-15)
    if (key, domain, "low") in R:
        ci = result.confidence_interval()
        assert_allclose(
            [ci.low, ci.high], [R[(key, domain, "low")], R[(key, domain, "high")]], rtol=RTOL
        )


def test_data_loaded() -> None:
    assert len(DATA) == 1960
    assert DATA.n_incidents == 606
    assert DATA.waves == (2014, 2016)


def test_victimisation_whole_sample() -> None:
    # R: svyciprop(~victim, d, method="logit")
    est = victimisation(DATA)
    assert isinstance(est, Estimate)
    _check(est, "victimisation")


def test_victimisation_by_form_and_channel() -> None:
    # R: svyciprop(~threat, d); social = victim & channel:sociale-media
    threat = victimisation(DATA, form="bedreiging")
    social = victimisation(DATA, channel="sociale-media")
    assert isinstance(threat, Estimate)
    assert isinstance(social, Estimate)
    _check(threat, "victimisation_threat")
    _check(social, "victimisation_social")


@pytest.mark.parametrize("by", ["wave", "office"])
def test_victimisation_domains(by: str) -> None:
    # R: svyby(~victim, ~wave, d, svymean) (and ~office)
    table = victimisation(DATA, by=by)
    assert isinstance(table, EstimateTable)
    for label, est in table:
        key = str(label)
        if ("victimisation", key, "estimate") not in R:
            assert est.n == 0
            assert "empty" in est.flags
            continue
        assert_allclose(est.estimate, R[("victimisation", key, "estimate")], rtol=RTOL)
        assert_allclose(est.standard_error, R[("victimisation", key, "se")], rtol=RTOL, atol=1e-15)


def test_domain_intervals_use_the_domain_df() -> None:
    # R: svyciprop(~victim, subset(d, wave == w)): t with degf of the subset
    table = victimisation(DATA, by="wave")
    assert isinstance(table, EstimateTable)
    for wave in (2014, 2016):
        _check(table[wave], "victimisation", str(wave))


def test_crossed_domains_and_a_domain_without_victims() -> None:
    # R: svyby(~victim, ~wave + office, d, svymean)
    table = victimisation(DATA, by=("wave", "office"))
    assert isinstance(table, EstimateTable)
    chair = table[(2016, Office.WATER_BOARD_CHAIR)]
    assert chair.estimate == 0.0
    assert "boundary" in chair.flags
    ci = chair.confidence_interval()
    assert ci.low == 0.0
    assert 0.0 < ci.high < 1.0
    for (wave, office), est in table:
        key = f"{wave}:{office.value}"
        if ("victimisation", key, "estimate") in R:
            assert_allclose(est.estimate, R[("victimisation", key, "estimate")], rtol=RTOL)
            assert_allclose(
                est.standard_error, R[("victimisation", key, "se")], rtol=RTOL, atol=1e-15
            )
        else:
            assert "empty" in est.flags


def test_incidence_and_capping() -> None:
    # R: svymean(~total, d); svymean(~capped10, d) with counts capped at 10 per form
    plain = incidence(DATA)
    capped = incidence(DATA, cap=10)
    assert isinstance(plain, Estimate)
    assert isinstance(capped, Estimate)
    _check(plain, "incidence")
    _check(capped, "incidence_cap10")
    assert capped.notes["capped_respondents"] == R[("incidence_cap10", "", "capped_respondents")]
    assert capped.notes["incidents_removed"] == R[("incidence_cap10", "", "incidents_removed")]
    table = incidence(DATA, cap=10, by="wave")
    assert isinstance(table, EstimateTable)
    for wave, est in table:
        assert_allclose(est.estimate, R[("incidence_cap10", str(wave), "estimate")], rtol=RTOL)
        assert_allclose(est.standard_error, R[("incidence_cap10", str(wave), "se")], rtol=RTOL)


def test_reporting_per_incident_is_a_ratio_on_the_respondent_design() -> None:
    # R: svyratio(~reported, ~answered, subset(d, answered > 0)), by wave with svyby
    est = reporting_propensity(DATA)
    assert isinstance(est, Estimate)
    _check(est, "reporting_incident")
    table = reporting_propensity(DATA, by="wave")
    assert isinstance(table, EstimateTable)
    for wave, dom in table:
        assert_allclose(dom.estimate, R[("reporting_incident", str(wave), "estimate")], rtol=RTOL)
        assert_allclose(dom.standard_error, R[("reporting_incident", str(wave), "se")], rtol=RTOL)
    police = reporting_propensity(DATA, to="police")
    assert isinstance(police, Estimate)
    _check(police, "reporting_police")


def test_reporting_per_victim() -> None:
    # R: svyciprop(~reported_any, subset(d, answered > 0))
    est = reporting_propensity(DATA, unit="victim")
    assert isinstance(est, Estimate)
    _check(est, "reporting_victim")


def test_consequences_aftercare_and_decision_influence() -> None:
    # R: svyciprop on subset(d, victim == 1), (victim & known aftercare), (political == 1)
    adverse = consequence_share(DATA)
    aftercare = aftercare_share(DATA)
    influence = decision_influence(DATA)
    assert isinstance(adverse, Estimate)
    assert isinstance(aftercare, Estimate)
    assert isinstance(influence, Estimate)
    _check(adverse, "consequence_adverse")
    _check(aftercare, "aftercare")
    _check(influence, "decision_influence")
    table = decision_influence(DATA, by="wave")
    assert isinstance(table, EstimateTable)
    for wave, est in table:
        assert_allclose(est.estimate, R[("decision_influence", str(wave), "estimate")], rtol=RTOL)
        assert_allclose(est.standard_error, R[("decision_influence", str(wave), "se")], rtol=RTOL)
