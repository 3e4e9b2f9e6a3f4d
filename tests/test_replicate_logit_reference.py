"""Logit and xlogit intervals on replicate designs against R (replicate_logit.R, issue 10.11).

On a replicate design R's ``svyciprop(method="logit")`` takes the standard error of the
log-odds from the replicates (it refits ``svyglm`` on each), while ``"xlogit"`` is the delta
method on the proportion; they differ, and the library must give both.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from conftest import read_reference_csv
from numpy.testing import assert_allclose
from test_design_reference import DATA

from vpt_monitor.stats import Estimate, EstimateTable, ReplicateDesign, SurveyDesign, proportion

# R reaches the replicate log-odds by iterating glm.fit to its convergence tolerance, which
# leaves errors up to about 8e-9 in its bounds (see the exact check below)
RTOL = 1e-8
R = {
    (r["design"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("replicate_logit.csv")
}
PAIRS = DATA["cluster"] <= 28
PAIR_DATA = {k: v[PAIRS] for k, v in DATA.items()}
PAIR_DATA["pair"] = np.array([f"p{int((c - 1) // 2):02d}" for c in PAIR_DATA["cluster"]])


def _stratified() -> SurveyDesign:
    return SurveyDesign(
        weights=DATA["weight"],
        strata=DATA["stratum"],
        clusters=DATA["cluster"],
        lonely_psu="certainty",
    )


def _pairs() -> SurveyDesign:
    return SurveyDesign(
        weights=PAIR_DATA["weight"], strata=PAIR_DATA["pair"], clusters=PAIR_DATA["cluster"]
    )


DESIGNS: dict[str, tuple[Callable[[], ReplicateDesign], dict[str, np.ndarray]]] = {
    "jk1": (
        lambda: SurveyDesign(weights=DATA["weight"], clusters=DATA["cluster"]).replicate("jk1"),
        DATA,
    ),
    "jkn": (lambda: _stratified().replicate("jkn"), DATA),
    "jkn_mse": (lambda: _stratified().replicate("jkn", mse=True), DATA),
    "brr": (lambda: _pairs().replicate("brr"), PAIR_DATA),
    "fay": (lambda: _pairs().replicate("fay", rho=0.3), PAIR_DATA),
}


@pytest.mark.parametrize("level", [0.95, 0.9])
@pytest.mark.parametrize("method", ["logit", "xlogit"])
@pytest.mark.parametrize("name", DESIGNS)
def test_whole_sample(name: str, method: str, level: float) -> None:
    # R: svyciprop(~b, as.svrepdesign(...), method=method, level=level)
    make, data = DESIGNS[name]
    design = make()
    assert design.df == R[(name, "design", "", "df")]
    est = proportion(data["b"], design)
    assert isinstance(est, Estimate)
    ci = est.confidence_interval(level=level, method=method)
    key = (name, f"proportion_{method}_{level:g}", "")
    assert_allclose([ci.low, ci.high], [R[(*key, "low")], R[(*key, "high")]], rtol=RTOL)


@pytest.mark.parametrize("method", ["logit", "xlogit"])
@pytest.mark.parametrize("name", DESIGNS)
def test_domains(name: str, method: str) -> None:
    # R: svyby(~b, ~g, subset(d, g != "d"), svyciprop, vartype="ci", method=method,
    #          df=degf(d))
    make, data = DESIGNS[name]
    table = proportion(data["b"], make(), by=data["g"], method=method)
    assert isinstance(table, EstimateTable)
    ci = table.confidence_interval()
    for label in ("a", "b", "c"):
        i = table.index(label)
        key = (name, f"proportion_{method}_0.95", label)
        assert_allclose([ci.low[i], ci.high[i]], [R[(*key, "low")], R[(*key, "high")]], rtol=RTOL)


@pytest.mark.parametrize("name", DESIGNS)
def test_whole_sample_against_the_exact_replicate_log_odds(name: str) -> None:
    # R: plogis(qlogis(p) -/+ qt(0.975, degf(d)) * sqrt(svrVar(qlogis(replicate shares), ...)))
    # svyciprop reaches the same through svyglm, stopped at glm's convergence tolerance
    make, data = DESIGNS[name]
    est = proportion(data["b"], make())
    assert isinstance(est, Estimate)
    ci = est.confidence_interval(method="logit")
    key = (name, "proportion_logit_exact_0.95", "")
    assert_allclose([ci.low, ci.high], [R[(*key, "low")], R[(*key, "high")]], rtol=1e-12)


def test_logit_and_xlogit_differ_on_replicates_and_agree_on_taylor() -> None:
    make, data = DESIGNS["jkn"]
    replicated = proportion(data["b"], make())
    assert isinstance(replicated, Estimate)
    logit = replicated.confidence_interval(method="logit")
    xlogit = replicated.confidence_interval(method="xlogit")
    assert abs(logit.low - xlogit.low) > 1e-5
    taylor = proportion(data["b"], _stratified())
    assert isinstance(taylor, Estimate)
    assert np.isnan(taylor.logit_standard_error)
    a = taylor.confidence_interval(method="logit")
    b = taylor.confidence_interval(method="xlogit")
    assert (a.low, a.high) == (b.low, b.high)


def test_replicate_share_of_zero_gives_the_whole_unit_interval() -> None:
    # one PSU holds every positive answer: the jackknife replicate that drops it has a share
    # of 0, whose log-odds is infinite, so the replicate logit interval is [0, 1]
    design = SurveyDesign(weights=np.ones(8), clusters=[1, 1, 2, 2, 3, 3, 4, 4]).replicate("jk1")
    est = proportion([1, 1, 0, 0, 0, 0, 0, 0], design)
    assert isinstance(est, Estimate)
    assert est.logit_standard_error == np.inf
    ci = est.confidence_interval(method="logit")
    assert (ci.low, ci.high) == (0.0, 1.0)
    assert est.confidence_interval(method="xlogit").low > 0
