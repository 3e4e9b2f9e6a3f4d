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

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    ReplicateDesign,
    SurveyDesign,
    mean,
    proportion,
)

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
    # R: svyby(~b, ~g, subset(d, g != "d"), svyciprop, vartype="ci", method=method), each
    # domain on its own degrees of freedom: degf(subset(d, g == label)), the rank of its
    # rows' replicate weights minus one (the whole design's was used before)
    make, data = DESIGNS[name]
    design = make()
    table = proportion(data["b"], design, by=data["g"], method=method)
    assert isinstance(table, EstimateTable)
    ci = table.confidence_interval()
    for label in ("a", "b", "c"):
        i = table.index(label)
        assert table.df[i] == R[(name, "domain_df", label, "value")]
        key = (name, f"proportion_{method}_0.95", label)
        assert_allclose([ci.low[i], ci.high[i]], [R[(*key, "low")], R[(*key, "high")]], rtol=RTOL)
    # two domains together: the rank of their rows' replicate weights, as a subset of both
    both = design.subset(np.isin(data["g"], ["a", "b"]))
    assert table.degrees_of_freedom(["a", "b"]) == both.df


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


@pytest.mark.parametrize("method", ["jk1", "jkn", "brr", "bootstrap"])
def test_domains_and_their_unions_take_the_degrees_of_freedom_of_their_subset(method: str) -> None:
    # An analyst's trial: on a replicate design every domain and every change had the whole
    # design's degrees of freedom (42), where R's degf of the domain's subset gives 4 and a
    # Taylor design 4 too; a change resting on 4 PSUs passed the rule of 8 df.
    rng = np.random.default_rng(3)
    n = 240
    clusters = np.repeat(np.arange(24), 10)
    strata = {"jk1": None, "brr": clusters // 2}.get(method, clusters // 4)
    design = SurveyDesign(weights=rng.uniform(1, 3, n), strata=strata, clusters=clusters)
    replicated = (
        design.replicate(method, replicates=30, seed=1)
        if method == "bootstrap"
        else design.replicate(method)
    )
    g = np.array(["small", "medium", "large", "rest"])[np.minimum(clusters // 4, 3)]
    g[clusters >= 16] = "rest"
    y = rng.random(n) < 0.3
    table = proportion(y, replicated, by=g)
    assert isinstance(table, EstimateTable)
    for label in ("small", "medium", "large", "rest"):
        alone = replicated.subset(g == label)
        assert table.df[table.index(label)] == alone.df
        assert proportion(y, alone).df == alone.df
    for pair in (("small", "medium"), ("medium", "rest"), ("small", "large")):
        together = replicated.subset(np.isin(g, pair))
        assert table.degrees_of_freedom(pair) == together.df
    assert table.df[table.index("small")] < replicated.df


def test_the_fast_rank_of_domains_is_rs_column_rule_on_exact_ranks() -> None:
    # the domains' ranks take a pivoted Cholesky factorisation (milliseconds) where the
    # design's own takes R's column-by-column rule: on exactly deficient matrices, as a
    # jackknife domain's whole strata make them, the two agree
    from vpt_monitor.stats._incidence import _rank
    from vpt_monitor.stats.replicate import qr_rank

    rng = np.random.default_rng(8)
    for _ in range(40):
        k, r, true = (int(v) for v in rng.integers(2, 60, 3))
        low = rng.normal(size=(k, min(true, k, r))) @ rng.normal(size=(min(true, k, r), r))
        low *= rng.uniform(0.1, 10.0, k)[:, None]
        for gram in (low @ low.T, low.T @ low):
            assert _rank(gram) == qr_rank(gram) == np.linalg.matrix_rank(low)
    design = SurveyDesign(
        weights=np.ones(60), strata=np.repeat(np.arange(6), 10), clusters=np.arange(60)
    ).replicate("jkn")
    rows = design.multipliers[:35]  # three whole strata and half of the fourth
    assert _rank(rows @ rows.T) == qr_rank(rows.T @ rows) == 35 - 3 + 1


def test_supplied_replicate_weights_give_domains_their_own_degrees_of_freedom() -> None:
    # a reviewer's trial: with replicate weights supplied with the data every row is a PSU
    # of its own, so a domain of 8,000 rows took the bound for large domains, the whole
    # design's 40 df, where R's degf of its subset (and the same weights made by the
    # library) give 17 and 3
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(5)
    strata = np.repeat(np.arange(40), 400)
    clusters = np.repeat(np.arange(80), 200)
    n = strata.size
    frame = pd.DataFrame({"w": rng.uniform(1, 3, n), "y": rng.normal(size=n)})
    small = np.where(strata < 3, "s3", np.where(strata < 23, "s20", "rest"))
    made = SurveyDesign(weights=frame["w"], strata=strata, clusters=clusters).replicate("jkn")
    weights = made.replicate_weights()
    columns = pd.DataFrame(weights, columns=[f"rep{i + 1}" for i in range(weights.shape[1])])
    supplied = ReplicateDesign.from_frame(
        pd.concat([frame, columns], axis=1),
        weights="w",
        replicate_weights="rep",
        method="jkn",
        rscales=np.full(weights.shape[1], 0.5),
    )
    for design in (made, supplied):
        table = mean(frame["y"].to_numpy(), design, by=small)
        assert isinstance(table, EstimateTable)
        assert {label: table[label].df for label in table.domains} == {
            "rest": 17.0,
            "s20": 20.0,
            "s3": 3.0,
        }
        assert table.degrees_of_freedom(["s3", "s20"]) == design.subset(small != "rest").df
