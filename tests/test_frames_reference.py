"""The frame path against R survey 4.1: every R fixture of the design engine, run from frames.

Two kinds of reference values:

- the fixtures of the array path (``design.R``, ``replicate_calibration.R``), with the same
  data handed over as a pandas and as a polars frame and every variable named by column;
- ``frames.R``: designs with their data inside (``svydesign(data=)``), replicate weights
  supplied with the data (``svrepdesign``), subsets (``subset(design, ...)``) and missing
  values (``na.rm=TRUE``), on ``frames_data.csv``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from conftest import REFERENCE, read_reference_csv
from numpy.testing import assert_allclose
from scipy.linalg import hadamard as sylvester
from test_design_reference import DATA
from test_design_reference import R as R_DESIGN
from test_replicate_calibration_reference import POP_G, POP_G2
from test_replicate_calibration_reference import R as R_REP

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    ReplicateDesign,
    SurveyDesign,
    contrast,
    mean,
    poststratify,
    proportion,
    rake,
    ratio,
    total,
)

RTOL = 1e-8
LIBRARIES = ("pandas", "polars")
R = {
    (r["design"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("frames.csv")
}


def _frame(library: str, columns: dict[str, Any]) -> Any:
    return pd.DataFrame(columns) if library == "pandas" else pl.DataFrame(columns)


def _run(
    estimator: str,
    design: SurveyDesign | ReplicateDesign,
    by: Any = None,
    *,
    y: str = "y",
    x: str = "x",
    b: str = "b",
    na: str = "fail",
) -> Estimate | EstimateTable:
    """The estimators by column name (R: svymean(~y), svytotal, svyratio(~y, ~x), svymean(~b))."""
    if estimator == "mean":
        return mean(y, design, by=by, na=na)
    if estimator == "total":
        return total(y, design, by=by, na=na)
    if estimator == "ratio":
        return ratio(y, x, design, by=by, na=na)
    return proportion(b, design, by=by, na=na)


ESTIMATORS = ("mean", "total", "ratio", "proportion")


# ---- design.R through frames -----------------------------------------------------------

DESIGN_FRAME = {k: v for k, v in DATA.items()}
DESIGN_FRAME["row"] = np.arange(len(DATA["y"]))
DESIGN_FRAME["fpc2_rows"] = np.array([np.sum(DATA["cluster"] == c) * 3.0 for c in DATA["cluster"]])
DESIGN_FRAME["fpc2_ssu"] = np.full(len(DATA["y"]), 4.0)
DESIGN_FRAME["sixty"] = np.full(len(DATA["y"]), 60.0)
FRAMES_OF_DESIGN_DATA = {library: _frame(library, DESIGN_FRAME) for library in LIBRARIES}

DESIGN_ARGUMENTS: dict[str, dict[str, Any]] = {
    "srs": {},
    "strat": {"strata": "stratum"},
    "clus_only": {"clusters": "cluster"},
    "clus_adjust": {"strata": "stratum", "clusters": "cluster", "lonely_psu": "adjust"},
    "clus_certainty": {"strata": "stratum", "clusters": "cluster", "lonely_psu": "certainty"},
    "clus_remove": {"strata": "stratum", "clusters": "cluster", "lonely_psu": "remove"},
    "fpc": {"strata": "stratum", "clusters": "cluster", "fpc": "fpc", "lonely_psu": "certainty"},
    "fpc_frac": {
        "strata": "stratum",
        "clusters": "cluster",
        "fpc": "fpc_frac",
        "lonely_psu": "adjust",
    },
}


def _design(library: str, name: str) -> SurveyDesign:
    frame = FRAMES_OF_DESIGN_DATA[library]
    return SurveyDesign.from_frame(frame, weights="weight", **DESIGN_ARGUMENTS[name])


@pytest.mark.parametrize("name", DESIGN_ARGUMENTS)
@pytest.mark.parametrize("library", LIBRARIES)
def test_design_fixture_whole_sample_and_domains(library: str, name: str) -> None:
    # R (design.R): svymean(~y, d, deff=TRUE) and friends; svyby(~y, ~g, d, svymean, deff=TRUE)
    design = _design(library, name)
    assert design.df == R_DESIGN[(name, "design", "", "df")]
    for estimator in ESTIMATORS:
        est = _run(estimator, design)
        assert isinstance(est, Estimate)
        key = (name, estimator, "")
        assert_allclose(est.estimate, R_DESIGN[(*key, "estimate")], rtol=RTOL)
        assert_allclose(est.standard_error, R_DESIGN[(*key, "se")], rtol=RTOL)
        assert_allclose(est.deff, R_DESIGN[(*key, "deff")], rtol=RTOL)
        table = _run(estimator, design, by="g")
        assert isinstance(table, EstimateTable)
        assert table.by == ("g",)
        assert table.domains == ("a", "b", "c", "d")
        for label, dom in table:
            key = (name, estimator, str(label))
            assert_allclose(dom.estimate, R_DESIGN[(*key, "estimate")], rtol=RTOL)
            assert_allclose(dom.standard_error, R_DESIGN[(*key, "se")], rtol=RTOL, atol=1e-15)
            assert dom.df == R_DESIGN[(name, "design", str(label), "df")]


@pytest.mark.parametrize("name", DESIGN_ARGUMENTS)
@pytest.mark.parametrize("library", LIBRARIES)
def test_design_fixture_covariance_contrasts_and_crossed_domains(library: str, name: str) -> None:
    # R: vcov(svyby(..., covmat=TRUE)); svycontrast; svyby(~y, ~g + g2, d, svymean)
    design = _design(library, name)
    for estimator in ("mean", "proportion"):
        table = _run(estimator, design, by="g")
        assert isinstance(table, EstimateTable)
        expected = [
            [R_DESIGN[(name, f"{estimator}_cov", f"{a}:{b}", "value")] for b in table.domains]
            for a in table.domains
        ]
        assert_allclose(table.covariance, expected, rtol=RTOL, atol=1e-14)
    means = mean("y", design, by="g")
    assert isinstance(means, EstimateTable)
    k = contrast(means, {"a": 1, "b": -1})
    assert_allclose(
        k.standard_error, R_DESIGN[(name, "contrast_mean_a_minus_b", "", "se")], rtol=RTOL
    )
    crossed = mean("y", design, by=("g", "g2"))
    assert isinstance(crossed, EstimateTable)
    assert crossed.by == ("g", "g2")
    assert len(crossed) == 8
    for (g, g2), est in crossed:
        assert_allclose(est.standard_error, R_DESIGN[(name, "mean", f"{g}:{g2}", "se")], rtol=RTOL)


@pytest.mark.parametrize("name", DESIGN_ARGUMENTS)
@pytest.mark.parametrize("library", LIBRARIES)
def test_design_fixture_svyciprop(library: str, name: str) -> None:
    # R: svyciprop(~b, d, method=...) whole sample and svyby(~b, ~g, d, svyciprop)
    design = _design(library, name)
    est = proportion("b", design)
    table = proportion("b", design, by="g")
    assert isinstance(table, EstimateTable)
    for method in ("logit", "xlogit", "asin", "beta", "mean"):
        ci = est.confidence_interval(method=method)
        key = (name, f"proportion_{method}_0.95", "")
        assert_allclose(
            [ci.low, ci.high], [R_DESIGN[(*key, "low")], R_DESIGN[(*key, "high")]], rtol=RTOL
        )
        cis = table.confidence_interval(method=method)
        for label in ("a", "b", "c"):
            i = table.index(label)
            key = (name, f"proportion_{method}_0.95", label)
            assert_allclose(
                [cis.low[i], cis.high[i]],
                [R_DESIGN[(*key, "low")], R_DESIGN[(*key, "high")]],
                rtol=RTOL,
            )


@pytest.mark.parametrize(("name", "ssu"), [("two_stage", None), ("two_stage_ssu", "g2")])
@pytest.mark.parametrize("library", LIBRARIES)
def test_design_fixture_two_stages(library: str, name: str, ssu: str | None) -> None:
    # R: svydesign(ids=~cluster+row, strata=~stratum, fpc=~fpc+fpc2, ...) (and ids=~cluster+ssu)
    design = SurveyDesign.from_frame(
        FRAMES_OF_DESIGN_DATA[library],
        weights="weight",
        strata="stratum",
        clusters="cluster",
        fpc="fpc",
        ssu=ssu,
        fpc2="fpc2_ssu" if ssu else "fpc2_rows",
        lonely_psu="certainty",
    )
    for estimator in ("mean", "total", "ratio"):
        est = _run(estimator, design)
        assert isinstance(est, Estimate)
        assert_allclose(est.standard_error, R_DESIGN[(name, estimator, "", "se")], rtol=RTOL)
    table = mean("y", design, by="g")
    assert isinstance(table, EstimateTable)
    expected = [
        [R_DESIGN[(name, "mean_cov", f"{a}:{b}", "value")] for b in table.domains]
        for a in table.domains
    ]
    assert_allclose(table.covariance, expected, rtol=RTOL, atol=1e-15)


# ---- replicate_calibration.R through frames ---------------------------------------------

PAIRS = DATA["cluster"] <= 28
PAIR_FRAME = {k: v[PAIRS] for k, v in DATA.items()}
PAIR_FRAME["pair"] = np.array([f"p{int((c - 1) // 2):02d}" for c in PAIR_FRAME["cluster"]])
FRAMES_OF_PAIRS = {library: _frame(library, PAIR_FRAME) for library in LIBRARIES}


def _stratified(library: str, **options: Any) -> SurveyDesign:
    return SurveyDesign.from_frame(
        FRAMES_OF_DESIGN_DATA[library],
        weights="weight",
        strata="stratum",
        clusters="cluster",
        lonely_psu="certainty",
        **options,
    )


def _pairs(library: str) -> SurveyDesign:
    return SurveyDesign.from_frame(
        FRAMES_OF_PAIRS[library], weights="weight", strata="pair", clusters="cluster"
    )


REPLICATE_CALIBRATION: dict[str, Callable[[str], SurveyDesign | ReplicateDesign]] = {
    "jk1": lambda lib: SurveyDesign.from_frame(
        FRAMES_OF_DESIGN_DATA[lib], weights="weight", clusters="cluster"
    ).replicate("jk1"),
    "jk1_fpc": lambda lib: SurveyDesign.from_frame(
        FRAMES_OF_DESIGN_DATA[lib], weights="weight", clusters="cluster", fpc="sixty"
    ).replicate("jk1"),
    "jkn_adjust": lambda lib: SurveyDesign.from_frame(
        FRAMES_OF_DESIGN_DATA[lib],
        weights="weight",
        strata="stratum",
        clusters="cluster",
        lonely_psu="adjust",
    ).replicate("jkn"),
    "jkn_certainty": lambda lib: _stratified(lib).replicate("jkn"),
    "jkn_fpc": lambda lib: _stratified(lib, fpc="fpc").replicate("jkn"),
    "brr": lambda lib: _pairs(lib).replicate("brr", hadamard=sylvester(16)),
    "fay": lambda lib: _pairs(lib).replicate("fay", rho=0.3, hadamard=sylvester(16)),
    "poststratify": lambda lib: poststratify(_stratified(lib), "g2", POP_G2),
    "rake": lambda lib: rake(_stratified(lib), {"g2": POP_G2, "g": ("g", POP_G)}),
}


@pytest.mark.parametrize("name", REPLICATE_CALIBRATION)
@pytest.mark.parametrize("library", LIBRARIES)
def test_replicate_calibration_fixture(library: str, name: str) -> None:
    # R (replicate_calibration.R): as.svrepdesign, postStratify(d, ~g2, ...), rake(d, list(~g2, ~g))
    design = REPLICATE_CALIBRATION[name](library)
    assert design.df == R_REP[(name, "design", "", "df")]
    for estimator in ESTIMATORS:
        est = _run(estimator, design)
        assert isinstance(est, Estimate)
        assert_allclose(est.estimate, R_REP[(name, estimator, "", "estimate")], rtol=RTOL)
        assert_allclose(est.standard_error, R_REP[(name, estimator, "", "se")], rtol=RTOL)
    for estimator in ("mean", "total", "ratio"):
        table = _run(estimator, design, by="g")
        assert isinstance(table, EstimateTable)
        for label, est in table:
            key = (name, estimator, str(label))
            assert_allclose(est.estimate, R_REP[(*key, "estimate")], rtol=RTOL)
            assert_allclose(est.standard_error, R_REP[(*key, "se")], rtol=RTOL)


# ---- frames.R: data inside the design, svrepdesign, subsets, na.rm ---------------------

FRAMES_CSV = REFERENCE / "frames_data.csv"
FRAMES_DATA = {
    "pandas": pd.read_csv(FRAMES_CSV),
    "polars": pl.read_csv(FRAMES_CSV),
}


def _taylor(library: str) -> SurveyDesign:
    return SurveyDesign.from_frame(
        FRAMES_DATA[library], weights="weight", strata="stratum", clusters="cluster"
    )


def _jkn_rscales(library: str) -> np.ndarray:
    frame = pd.read_csv(FRAMES_CSV) if library == "pandas" else FRAMES_DATA["pandas"]
    clusters = frame.drop_duplicates("cluster").set_index("cluster")["stratum"]
    n_h = clusters.value_counts()
    return np.array([(n_h[clusters[k]] - 1) / n_h[clusters[k]] for k in range(1, 49)])


def _jk1_factors(library: str) -> Any:
    frame = FRAMES_DATA[library]
    names = [f"jk1_{k:02d}" for k in range(1, 49)]
    if library == "pandas":
        factors = frame[names].div(frame["weight"], axis=0)
        factors.columns = [f"jkf_{k:02d}" for k in range(1, 49)]
        return pd.concat([frame, factors], axis=1)
    return frame.with_columns(
        [(pl.col(n) / pl.col("weight")).alias(n.replace("jk1", "jkf")) for n in names]
    )


SUPPLIED: dict[str, Callable[[str], ReplicateDesign]] = {
    "jk1": lambda lib: ReplicateDesign.from_frame(
        FRAMES_DATA[lib], weights="weight", replicate_weights="jk1_", method="jk1"
    ),
    "jkn": lambda lib: ReplicateDesign.from_frame(
        FRAMES_DATA[lib],
        weights="weight",
        replicate_weights="jkn_",
        method="jkn",
        rscales=_jkn_rscales(lib),
    ),
    "jkn_mse": lambda lib: ReplicateDesign.from_frame(
        FRAMES_DATA[lib],
        weights="weight",
        replicate_weights="jkn_",
        method="jkn",
        rscales=_jkn_rscales(lib),
        mse=True,
    ),
    "brr": lambda lib: ReplicateDesign.from_frame(
        FRAMES_DATA[lib], weights="weight", replicate_weights="brr_", method="brr"
    ),
    "fay": lambda lib: ReplicateDesign.from_frame(
        FRAMES_DATA[lib], weights="weight", replicate_weights="fay_", method="fay", rho=0.3
    ),
    "bootstrap": lambda lib: ReplicateDesign.from_frame(
        FRAMES_DATA[lib],
        weights="weight",
        replicate_weights=[f"boot_{k:02d}" for k in range(1, 31)],
        method="bootstrap",
    ),
    "sdr": lambda lib: ReplicateDesign.from_frame(
        FRAMES_DATA[lib], weights="weight", replicate_weights="boot_", method="sdr"
    ),
    "other": lambda lib: ReplicateDesign.from_frame(
        FRAMES_DATA[lib],
        weights="weight",
        replicate_weights="boot_",
        method="other",
        scale=0.05,
        rscales=np.linspace(0.5, 1.5, 30),
    ),
    "jk1_factors": lambda lib: ReplicateDesign.from_frame(
        _jk1_factors(lib),
        weights="weight",
        replicate_weights="jkf_",
        method="jk1",
        combined_weights=False,
    ),
}


def _check_report(name: str, design: SurveyDesign | ReplicateDesign, **variables: Any) -> None:
    """Compare df, whole-sample and by-g estimates and the covariance of the means with R."""
    assert design.df == R[(name, "design", "", "df")]
    for estimator in ESTIMATORS:
        est = _run(estimator, design, **variables)
        assert isinstance(est, Estimate)
        assert_allclose(est.estimate, R[(name, estimator, "", "estimate")], rtol=RTOL)
        assert_allclose(est.standard_error, R[(name, estimator, "", "se")], rtol=RTOL)
        table = _run(estimator, design, by="g", **variables)
        assert isinstance(table, EstimateTable)
        assert table.domains == ("a", "b", "c", "d")
        for label, dom in table:
            key = (name, estimator, str(label))
            assert_allclose(dom.estimate, R[(*key, "estimate")], rtol=RTOL)
            assert_allclose(dom.standard_error, R[(*key, "se")], rtol=RTOL)
    table = _run("mean", design, by="g", **variables)
    assert isinstance(table, EstimateTable)
    expected = [[R[(name, "mean_cov", f"{a}:{b}", "value")] for b in "abcd"] for a in "abcd"]
    assert_allclose(table.covariance, expected, rtol=RTOL, atol=1e-15)


def _check_ciprop(name: str, est: Estimate | EstimateTable) -> None:
    assert isinstance(est, Estimate)
    for method in ("logit", "beta"):
        ci = est.confidence_interval(method=method)
        key = (name, f"proportion_{method}", "")
        assert_allclose([ci.low, ci.high], [R[(*key, "low")], R[(*key, "high")]], rtol=RTOL)


@pytest.mark.parametrize("library", LIBRARIES)
def test_data_inside_the_design(library: str) -> None:
    # R: d <- svydesign(ids=~cluster, strata=~stratum, weights=~weight, data=dat)
    design = _taylor(library)
    _check_report("taylor", design)
    _check_ciprop("taylor", proportion("b", design))


@pytest.mark.parametrize("library", LIBRARIES)
def test_missing_values_as_na_rm(library: str) -> None:
    # R: svymean(~y_na, d, na.rm=TRUE), svyby(~y_na, ~g, d, svymean, na.rm=TRUE), ...
    design = _taylor(library)
    _check_report("taylor_na", design, y="y_na", x="x_na", b="b_na", na="domain")
    # R: degf(subset(d, !is.na(y_na))); svyciprop(~b_na, subset(d, !is.na(b_na)))
    est = mean("y_na", design, na="domain")
    assert isinstance(est, Estimate)
    assert est.df == R[("taylor_na", "df_answered", "y_na", "value")]
    assert est.notes["missing"] == int(np.sum(np.arange(len(FRAMES_DATA["pandas"])) % 11 == 3))
    _check_ciprop("taylor_na", proportion("b_na", design, na="domain"))


def _g_is_a(library: str) -> Any:
    return (lambda f: f["g"] == "a") if library == "pandas" else pl.col("g") == "a"


def _s12x(library: str) -> Callable[[Any], Any]:
    if library == "pandas":
        return lambda f: f["stratum"].isin(["s1", "s2"]) & (f["g2"] == "x")
    return lambda f: f["stratum"].is_in(["s1", "s2"]) & (f["g2"] == "x")


@pytest.mark.parametrize("library", LIBRARIES)
def test_subsets(library: str) -> None:
    # R: ds <- subset(d, g == "a"); svymean(~y, ds), ...; svyby(~y, ~g2, ds, svymean)
    subset = _taylor(library).subset(_g_is_a(library))
    assert subset.df == R[("subset_a", "design", "", "df")]
    for estimator in ESTIMATORS:
        est = _run(estimator, subset)
        assert isinstance(est, Estimate)
        assert_allclose(est.estimate, R[("subset_a", estimator, "", "estimate")], rtol=RTOL)
        assert_allclose(est.standard_error, R[("subset_a", estimator, "", "se")], rtol=RTOL)
    _check_ciprop("subset_a", proportion("b", subset))
    table = mean("y", subset, by="g2")
    assert isinstance(table, EstimateTable)
    assert table.domains == ("x", "y")
    for label, est in table:
        assert_allclose(est.standard_error, R[("subset_a", "mean", str(label), "se")], rtol=RTOL)
    expected = [[R[("subset_a", "mean_cov", f"{a}:{b}", "value")] for b in "xy"] for a in "xy"]
    assert_allclose(table.covariance, expected, rtol=RTOL, atol=1e-15)
    # R: subset(d, stratum %in% c("s1", "s2") & g2 == "x"): whole strata leave the subset
    narrow = _taylor(library).subset(_s12x(library))
    assert narrow.df == R[("subset_s12x", "design", "", "df")]
    for estimator in ("mean", "proportion"):
        est = _run(estimator, narrow)
        assert isinstance(est, Estimate)
        assert_allclose(est.standard_error, R[("subset_s12x", estimator, "", "se")], rtol=RTOL)
        assert est.df == narrow.df
    _check_ciprop("subset_s12x", proportion("b", narrow))


@pytest.mark.parametrize("name", SUPPLIED)
@pytest.mark.parametrize("library", LIBRARIES)
def test_supplied_replicate_weights(library: str, name: str) -> None:
    # R: svrepdesign(data=dat, repweights="jk1_[0-9]+", type="JK1", ...) and the others
    _check_report(name, SUPPLIED[name](library))


@pytest.mark.parametrize("library", LIBRARIES)
def test_supplied_replicate_weights_with_missing_values_and_subsets(library: str) -> None:
    # R: svymean(~y_na, jkn, na.rm=TRUE); degf(subset(jkn, g == "a")); svymean(~y, subset(...))
    jkn = SUPPLIED["jkn"](library)
    _check_report("jkn_na", jkn, y="y_na", x="x_na", b="b_na", na="domain")
    subset = jkn.subset(_g_is_a(library))
    assert subset.df == R[("jkn_subset_a", "design", "", "df")]
    for estimator in ("mean", "ratio"):
        est = _run(estimator, subset)
        assert isinstance(est, Estimate)
        assert_allclose(est.estimate, R[("jkn_subset_a", estimator, "", "estimate")], rtol=RTOL)
        assert_allclose(est.standard_error, R[("jkn_subset_a", estimator, "", "se")], rtol=RTOL)
    strata = jkn.subset(
        (lambda f: f["stratum"].isin(["s1", "s2"]))
        if library == "pandas"
        else pl.col("stratum").is_in(["s1", "s2"])
    )
    assert strata.df == R[("jkn_subset_s12", "design", "", "df")]
    est = mean("y", strata)
    assert isinstance(est, Estimate)
    assert_allclose(est.standard_error, R[("jkn_subset_s12", "mean", "", "se")], rtol=RTOL)


# ---- contrasts.R, brr_defaults.R and replicate_logit.R through frames -------------------

R_CONTRASTS = {
    (r["design"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("contrasts.csv")
}
PANEL_CSV = REFERENCE / "panel_data.csv"
PANELS = {"pandas": pd.read_csv(PANEL_CSV), "polars": pl.read_csv(PANEL_CSV)}


@pytest.mark.parametrize("library", LIBRARIES)
def test_contrasts_fixture(library: str) -> None:
    # R (contrasts.R): svycontrast(svyby(~victim, ~wave, d, svymean, covmat=TRUE), ...) and
    # degf(subset(d, wave %in% c(a, b))), on a panel whose waves share PSUs
    design = SurveyDesign.from_frame(
        PANELS[library], weights="weight", strata="layer", clusters="org", fpc="fpc"
    )
    for variable in ("victim", "score"):
        table = (
            proportion(variable, design, by="wave")
            if variable == "victim"
            else mean(variable, design, by="wave")
        )
        assert isinstance(table, EstimateTable)
        assert table.domains == (2012, 2014, 2016)
        for first, last in ((2014, 2016), (2012, 2014), (2012, 2016)):
            key = f"{last}-{first}"
            assert (
                table.degrees_of_freedom([first, last])
                == R_CONTRASTS[("panel", "df", key, "value")]
            )
            difference = contrast(table, {last: 1, first: -1})
            expected = R_CONTRASTS[("panel", f"{variable}_difference", key, "se")]
            assert_allclose(difference.standard_error, expected, rtol=RTOL)
            times = contrast(table, lambda b, a: b / a, domains=(last, first), method="log")
            ci = times.confidence_interval()
            expected_ci = [
                R_CONTRASTS[("panel", f"{variable}_ratio_log_ci", key, q)] for q in ("low", "high")
            ]
            assert_allclose([ci.low, ci.high], expected_ci, rtol=RTOL)
    crossed = proportion("victim", design, by=("wave", "layer"))
    assert isinstance(crossed, EstimateTable)
    k = contrast(crossed, {(2016, "gemeente"): 1, (2014, "gemeente"): -1})
    key = ("panel", "victim_difference_gemeente", "2016-2014")
    assert_allclose(k.standard_error, R_CONTRASTS[(*key, "se")], rtol=RTOL)
    assert k.df == R_CONTRASTS[("panel", "df_gemeente", "2016-2014", "value")]


R_BRR = {
    (r["design"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("brr_defaults.csv")
}
SCD_CSV = REFERENCE / "scd.csv"
SCD_FRAMES = {"pandas": pd.read_csv(SCD_CSV), "polars": pl.read_csv(SCD_CSV)}


@pytest.mark.parametrize("method", ["brr", "fay"])
@pytest.mark.parametrize("library", LIBRARIES)
def test_default_brr_fixture(library: str, method: str) -> None:
    # R (brr_defaults.R): svyratio(~alive, ~arrests, as.svrepdesign(scdnofpc, type="BRR"));
    # as.svrepdesign(svydesign(ids=~cluster, strata=~pair, ...)) without hadamard.matrix
    scd = SCD_FRAMES[library]
    base = SurveyDesign.from_frame(
        scd.assign(one=1.0) if library == "pandas" else scd.with_columns(one=pl.lit(1.0)),
        weights="one",
        strata="ESA",
        clusters="ambulance",
        nest=True,
    )
    design = base.replicate(method, rho=0.3) if method == "fay" else base.replicate(method)
    est = ratio("alive", "arrests", design)
    assert isinstance(est, Estimate)
    assert_allclose(est.standard_error, R_BRR[(f"scd_{method}", "ratio", "", "se")], rtol=RTOL)
    for k in (6, 10):
        keep = DATA["cluster"] <= 2 * k
        columns = {key: value[keep] for key, value in DESIGN_FRAME.items()}
        columns["pair"] = ((columns["cluster"] - 1) // 2 + 1).astype(int)
        pairs = SurveyDesign.from_frame(
            _frame(library, columns), weights="weight", strata="pair", clusters="cluster"
        )
        replicated = (
            pairs.replicate(method, rho=0.3) if method == "fay" else pairs.replicate(method)
        )
        name = f"pairs{k}_{method}"
        assert replicated.df == R_BRR[(name, "design", "", "df")]
        r = ratio("y", "x", replicated)
        assert isinstance(r, Estimate)
        assert_allclose(r.standard_error, R_BRR[(name, "ratio", "", "se")], rtol=RTOL)


R_LOGIT = {
    (r["design"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("replicate_logit.csv")
}
LOGIT_DESIGNS: dict[str, Callable[[str], ReplicateDesign]] = {
    "jk1": lambda lib: SurveyDesign.from_frame(
        FRAMES_OF_DESIGN_DATA[lib], weights="weight", clusters="cluster"
    ).replicate("jk1"),
    "jkn": lambda lib: _stratified(lib).replicate("jkn"),
    "jkn_mse": lambda lib: _stratified(lib).replicate("jkn", mse=True),
    "brr": lambda lib: _pairs(lib).replicate("brr"),
    "fay": lambda lib: _pairs(lib).replicate("fay", rho=0.3),
}


@pytest.mark.parametrize("name", LOGIT_DESIGNS)
@pytest.mark.parametrize("library", LIBRARIES)
def test_replicate_logit_fixture(library: str, name: str) -> None:
    # R (replicate_logit.R): svyciprop(~b, as.svrepdesign(...), method="logit"/"xlogit")
    design = LOGIT_DESIGNS[name](library)
    est = proportion("b", design)
    table = proportion("b", design, by="g")
    assert isinstance(est, Estimate)
    assert isinstance(table, EstimateTable)
    for method in ("logit", "xlogit"):
        ci = est.confidence_interval(method=method)
        key = (name, f"proportion_{method}_0.95", "")
        assert_allclose(
            [ci.low, ci.high], [R_LOGIT[(*key, "low")], R_LOGIT[(*key, "high")]], rtol=RTOL
        )
        cis = table.confidence_interval(method=method)
        for label in ("a", "b", "c"):
            i = table.index(label)
            key = (name, f"proportion_{method}_0.95", label)
            assert_allclose(
                [cis.low[i], cis.high[i]],
                [R_LOGIT[(*key, "low")], R_LOGIT[(*key, "high")]],
                rtol=RTOL,
            )
