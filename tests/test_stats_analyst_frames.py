"""A statistics office's own survey frame through the design-based layer, against R survey.

The frame is written by hand as an analyst brings it: strata as text, PSU numbers reused
in every stratum (``nest=True``), weights with two decimals. Reference values from R 4.1's
``survey`` are pasted next to each check, with the R call.
"""

from __future__ import annotations

import decimal
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from numpy.testing import assert_allclose

from vpt_monitor.stats import (
    ReplicateDesign,
    SurveyDesign,
    glm,
    mean,
    poststratify,
    rake,
    total,
)

RTOL = 1e-10

# R: d <- read.csv("tiny.csv"); names(d)[names(d) == "g"] <- "grp"
#    des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d, nest = TRUE)
TINY = {
    "stratum": ["noord"] * 6 + ["zuid"] * 6,
    "psu": [1, 1, 2, 2, 3, 3] * 2,
    "w": [12.5, 12.5, 20.0, 20.0, 8.25, 8.25, 30.0, 30.0, 15.75, 15.75, 40.0, 40.0],
    "y": [3.1, 4.7, 2.2, 5.9, 3.3, 4.1, 6.4, 2.8, 3.9, 5.2, 4.4, 3.6],
    "b": [1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1],
    "grp": ["a", "b"] * 6,
    "g2": ["m", "v", "v", "m", "m", "v", "v", "m", "m", "v", "v", "m"],
}
# R: svymean(~y, des)
R_MEAN = (4.18922924901186, 0.138941301347844)


def _tiny(**columns: Any) -> pd.DataFrame:
    return pd.DataFrame(TINY).assign(**columns)


def _design(frame: Any) -> SurveyDesign:
    return SurveyDesign.from_frame(frame, weights="w", strata="stratum", clusters="psu", nest=True)


def _decimals(values: list[float]) -> list[decimal.Decimal]:
    return [decimal.Decimal(str(v)) for v in values]


@pytest.mark.parametrize("column", ["w", "y"])
def test_decimal_objects_read_as_numbers(column: str) -> None:
    # pandas.read_sql gives a NUMERIC column as Python Decimals (dtype object); polars'
    # Decimal dtype was read already, a pandas column of Decimals was refused as "not numbers"
    frame = _tiny(**{column: _decimals(TINY[column])})
    est = mean("y", _design(frame))
    assert_allclose([est.estimate, est.standard_error], R_MEAN, rtol=RTOL)


def test_arrow_decimal_column_reads_as_numbers() -> None:
    # pandas.read_parquet(..., dtype_backend="pyarrow") of a decimal column
    pa = pytest.importorskip("pyarrow")
    dtype = pd.ArrowDtype(pa.decimal128(10, 2))
    frame = _tiny(w=pd.Series(_decimals(TINY["w"]), dtype=dtype))
    est = mean("y", _design(frame))
    assert_allclose([est.estimate, est.standard_error], R_MEAN, rtol=RTOL)


def test_decimal_nan_is_a_missing_value() -> None:
    values = _decimals(TINY["y"])
    values[4] = decimal.Decimal("NaN")
    design = _design(_tiny(y=values))
    missing = r"column 'y' \('y'\) has 1 missing value \(first at row 4\)"
    with pytest.raises(ValueError, match=missing):
        mean("y", design)
    assert mean("y", design, na="domain").n == 11


def test_decimal_labels_sort_as_numbers() -> None:
    # a stratum code read from a database as NUMERIC(2, 0)
    frame = _tiny(stratum=_decimals([10.0] * 6 + [9.0] * 6))
    table = mean("y", _design(frame), by="stratum")
    assert table.domains == (decimal.Decimal("9"), decimal.Decimal("10"))
    est = mean("y", _design(frame))
    assert_allclose([est.estimate, est.standard_error], R_MEAN, rtol=RTOL)


def test_polars_decimal_agrees() -> None:
    frame = pl.DataFrame(TINY).with_columns(pl.col("w").cast(pl.Decimal(10, 2)))
    est = mean("y", _design(frame))
    assert_allclose([est.estimate, est.standard_error], R_MEAN, rtol=RTOL)


def test_mean_matches_r() -> None:
    est = mean("y", _design(_tiny()))
    assert_allclose([est.estimate, est.standard_error], R_MEAN, rtol=RTOL)
    assert np.isclose(est.df, 4)


# R: rd <- as.svrepdesign(des, type = "JKn")
#    ps <- postStratify(rd, ~grp, data.frame(grp = c("a", "b"), Freq = c(150, 170)))
#    svymean(~y, ps); degf(ps)
R_JKN_POSTSTRATIFIED = (4.18455410079051, 0.143503302061013)
R_JKN_POSTSTRATIFIED_DF = 4
#    rk <- rake(rd, list(~grp, ~g2), list(data.frame(grp = c("a", "b"), Freq = c(150, 170)),
#               data.frame(g2 = c("m", "v"), Freq = c(140, 180))),
#               control = list(epsilon = 1e-12, maxit = 200))
#    degf(rk)
# R's rake stops when the full-sample weights converge, its replicates' weights then still
# 4e-6 from theirs (standard error 0.16630623087752, 5e-8 off); the converged replicates are
#    cl <- calibrate(rd, ~grp + g2, c(320, 170, 180), calfun = "raking", epsilon = 1e-14,
#                    maxit = 500)
#    svymean(~y, cl); svytotal(~y, cl)
R_JKN_RAKED_MEAN = (4.26034540083021, 0.166306239174471)
R_JKN_RAKED_TOTAL = (1363.31052826567, 53.2179965358308)
R_JKN_RAKED_DF = 5
MARGINS = {"grp": {"a": 150, "b": 170}, "g2": {"m": 140, "v": 180}}


def _jackknife(library: str, supplied: bool) -> ReplicateDesign:
    frame = pd.DataFrame(TINY) if library == "pandas" else pl.DataFrame(TINY)
    own = _design(frame).replicate("jkn")
    if not supplied:
        return own
    # the same replicate weights delivered in the file, as svrepdesign reads them
    weights = own.replicate_weights()
    columns = {f"rw{r}": weights[:, r] for r in range(weights.shape[1])}
    if library == "pandas":
        frame = frame.assign(**columns)
    else:
        frame = frame.with_columns(**{k: pl.Series(v) for k, v in columns.items()})
    return ReplicateDesign.from_frame(
        frame, weights="w", replicate_weights="rw", method="jkn", rscales=own.rscales
    )


@pytest.mark.parametrize("supplied", [False, True])
@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_poststratify_replicate_design(library: str, supplied: bool) -> None:
    # R's postStratify takes a replicate design; poststratify refused it with
    # "'design' must be a SurveyDesign", which left supplied replicate weights uncalibratable
    calibrated = poststratify(_jackknife(library, supplied), "grp", MARGINS["grp"])
    assert isinstance(calibrated, ReplicateDesign)
    assert_allclose(calibrated.weights.sum(), 320.0, rtol=1e-12)
    est = mean("y", calibrated)
    assert_allclose([est.estimate, est.standard_error], R_JKN_POSTSTRATIFIED, rtol=RTOL)
    assert calibrated.df == R_JKN_POSTSTRATIFIED_DF


@pytest.mark.parametrize("supplied", [False, True])
@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_rake_replicate_design(library: str, supplied: bool) -> None:
    raked = rake(_jackknife(library, supplied), MARGINS, tol=1e-12)
    assert isinstance(raked, ReplicateDesign)
    est = mean("y", raked)
    assert_allclose([est.estimate, est.standard_error], R_JKN_RAKED_MEAN, rtol=1e-9)
    est = total("y", raked)
    assert_allclose([est.estimate, est.standard_error], R_JKN_RAKED_TOTAL, rtol=1e-9)
    assert raked.df == R_JKN_RAKED_DF
    assert raked.base.calibration[-1].converged


def test_rake_replicate_design_with_label_arrays() -> None:
    design = SurveyDesign(
        weights=TINY["w"], strata=TINY["stratum"], clusters=TINY["psu"], nest=True
    ).replicate("jkn")
    raked = rake(design, {name: (np.array(TINY[name]), MARGINS[name]) for name in MARGINS})
    est = mean(np.array(TINY["y"]), raked)
    assert_allclose([est.estimate, est.standard_error], R_JKN_RAKED_MEAN, rtol=1e-9)


def test_rake_replicate_design_refuses_what_rake_refuses() -> None:
    design = _jackknife("pandas", supplied=False)
    with pytest.raises(ValueError, match="different population totals"):
        rake(design, {"grp": MARGINS["grp"], "g2": {"m": 140, "v": 100}})
    with pytest.raises(ValueError, match="'tol' must be a number > 0"):
        rake(design, MARGINS, tol=0)
    with pytest.raises(ValueError, match="calibrated already"):
        rake(poststratify(design, "grp", MARGINS["grp"]), MARGINS)


# R: d$x <- c(1.25, 2.5, 3.75, 1.5, 2.25, 4.0, 3.5, 1.75, 2.75, 3.25, 4.5, 2.0)
#    svyglm(y ~ x + grp, des)
X = [1.25, 2.5, 3.75, 1.5, 2.25, 4.0, 3.5, 1.75, 2.75, 3.25, 4.5, 2.0]
R_GLM = (3.18492426023259, 0.312016185327033, 0.243961127045412)
R_GLM_SE = (0.738369214439565, 0.28256675995902, 0.835418637131249)


@pytest.mark.parametrize("kind", ["objects", "arrow"])
def test_glm_reads_a_decimal_covariate_as_a_number(kind: str) -> None:
    # a pandas column of Decimals entered the model as a category per value (x[T.1.5], ...)
    if kind == "objects":
        x: Any = _decimals(X)
    else:
        pa = pytest.importorskip("pyarrow")
        x = pd.Series(_decimals(X), dtype=pd.ArrowDtype(pa.decimal128(6, 2)))
    fit = glm("y ~ x + grp", None, _design(_tiny(x=x)))
    assert fit.names == ("Intercept", "x", "grp[T.b]")
    assert_allclose(fit.params, R_GLM, rtol=1e-10)
    assert_allclose(fit.standard_errors, R_GLM_SE, rtol=1e-10)
    predicted = fit.predict(pd.DataFrame({"x": _decimals([2.0]), "grp": ["a"]}))
    assert_allclose(predicted.estimate, [R_GLM[0] + 2.0 * R_GLM[1]], rtol=1e-10)


def test_glm_object_column_of_labels_stays_categorical() -> None:
    # numbers mixed with text are labels, as everywhere else
    labels = np.array([1, "1a"] * 6, dtype=object)
    fit = glm("y ~ lab", None, _design(_tiny(lab=labels)))
    assert fit.names == ("Intercept", "lab[T.1a]")


@pytest.mark.parametrize("library", ["pandas", "polars", "mapping"])
def test_predict_names_newdata_when_a_column_is_missing(library: str) -> None:
    fit = glm("y ~ x + grp", None, _design(_tiny(x=X)))
    newdata: Any = {"x": [2.0, 3.0]}
    if library == "pandas":
        newdata = pd.DataFrame(newdata)
    elif library == "polars":
        newdata = pl.DataFrame(newdata)
    with pytest.raises(ValueError, match=r"^'newdata' has no column 'grp'") as caught:
        fit.predict(newdata)
    message = str(caught.value)
    assert "'formula'" not in message
    assert "'data'" not in message
    assert message.endswith("its columns: 'x'")


R_ZERO_PSU = (4.21537558685446, 0.172113579670988)
R_ZERO_PSU_DF = 3


def _zero_psu(library: str) -> Any:
    # the survey's second PSU of 'noord' (rows 2 and 3) holds only out-of-scope cases
    weights = list(TINY["w"])
    weights[2] = weights[3] = 0.0
    data = {**TINY, "w": weights}
    return pd.DataFrame(data) if library == "pandas" else pl.DataFrame(data)


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_zero_weight_says_how_to_keep_the_psu(library: str) -> None:
    with pytest.raises(ValueError, match=r"got 0\.0 at row 2; a row of weight 0") as caught:
        _design(_zero_psu(library))
    assert "design.subset(" in str(caught.value)
    with pytest.raises(ValueError, match=r"got weights=0\.0 at index 2; a row of weight 0"):
        SurveyDesign(weights=_zero_psu(library)["w"].to_numpy())


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_the_advice_for_zero_weights_gives_r_numbers(library: str) -> None:
    # R: z <- d; z$w[3:4] <- 0
    #    zd <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = z, nest = TRUE)
    #    svymean(~y, zd); degf(zd)
    frame = _zero_psu(library)
    positive = (frame["w"] > 0).to_numpy()
    if library == "pandas":
        frame = frame.assign(w=np.where(positive, frame["w"], 1.0))
    else:
        frame = frame.with_columns(w=pl.Series(np.where(positive, frame["w"].to_numpy(), 1.0)))
    est = mean("y", _design(frame).subset(positive))
    assert_allclose([est.estimate, est.standard_error], R_ZERO_PSU, rtol=RTOL)
    assert est.df == R_ZERO_PSU_DF


def test_negative_weight_says_what_a_weight_is() -> None:
    weights = list(TINY["w"])
    weights[5] = -8.25
    with pytest.raises(ValueError, match=r"got -8\.25 at row 5; a weight is the number of"):
        _design(_tiny(w=weights))


def test_one_psu_without_strata_is_not_called_stratum_0() -> None:
    # R: svydesign(ids = ~1, weights = ~w, data = d[1, ]) stops with "Design has only one
    # primary sampling unit"; the message named a "stratum 0" the analyst never gave
    with pytest.raises(ValueError, match=r"^the design has only one PSU") as caught:
        SurveyDesign.from_frame(_tiny().iloc[:1], weights="w")
    assert "stratum 0" not in str(caught.value)
    with pytest.raises(ValueError, match=r"^the design has only one PSU \(cluster 1\)"):
        SurveyDesign.from_frame(_tiny().iloc[:2], weights="w", clusters="psu")
    with pytest.raises(ValueError, match=r"^stratum 'zuid' has only one PSU \(cluster 1\)"):
        _design(_tiny().iloc[:8])


def test_glm_print_keeps_columns_apart_for_a_perfect_fit() -> None:
    # two rows, a line through both: se ~1e-15 and t ~1e14 ran into the se column
    # ("  Intercept   1   0281474976710653.562   nan")
    two = pd.DataFrame({"w": [10.0, 20.0], "y": [3.0, 5.0], "x": [1.0, 2.0]})
    fit = glm("y ~ x", None, SurveyDesign.from_frame(two, weights="w"))
    for line in repr(fit).splitlines()[2:]:
        fields = line.split()
        assert len(fields) == 5, line
        assert fields[2] == "0", line


def test_arrays_of_decimals_are_numbers_as_columns_of_them_are() -> None:
    # An analyst's trial: SurveyDesign(weights=[Decimal(...)]) was refused with "must be
    # numeric; got an array of dtype object", where a frame's column of Decimals was read
    from decimal import Decimal

    from vpt_monitor.stats import SurveyDesign, mean

    weights = [Decimal("1.5"), Decimal("2"), Decimal("1")]
    values = [Decimal("1"), Decimal("2"), Decimal("NaN")]
    as_objects = mean(values, SurveyDesign(weights=weights), na="domain")
    as_floats = mean([1.0, 2.0, np.nan], SurveyDesign(weights=[1.5, 2.0, 1.0]), na="domain")
    assert as_objects.estimate == as_floats.estimate
    assert as_objects.standard_error == as_floats.standard_error
    with pytest.raises(TypeError, match="'weights' must be numeric; it holds 'x' at index 1"):
        SurveyDesign(weights=[Decimal("1.5"), "x", 1])
    with pytest.raises(TypeError, match="it holds True at index 0"):
        SurveyDesign(weights=np.array([True, Decimal("2")], dtype=object))


def test_design_effects_of_weights_scaled_to_the_sample_are_rs_with_replacement() -> None:
    # An analyst's trial: weights scaled to mean 1 (as agencies deliver them) gave every
    # design effect as NaN (R's deff=TRUE: Inf), and a domain whose weights average just
    # over 1 a meaningless large one. Such weights have no population size: the comparison
    # is with SRS with replacement, R's deff="replace" (tests/reference/deff_scaled_weights.R).
    from pathlib import Path

    from vpt_monitor.stats import SurveyDesign, mean, total

    x = pd.read_csv(Path(__file__).parent / "reference" / "deff_scaled_weights_data.csv")
    y, g = x["y"].to_numpy(float), x["g"].to_numpy()
    for scale in (1.0, 1e-12):
        d = SurveyDesign(weights=x["w"].to_numpy() * scale, strata=x["s"].to_numpy())
        assert_allclose(mean(y, d).deff, 1.11086069586554, rtol=1e-12)
        assert_allclose(total(y, d).deff, 0.96029287524641, rtol=1e-12)
        assert_allclose(mean(y, d, by=g).deff, [0.747581636470526, 1.051605622242742], rtol=1e-12)
        assert_allclose(total(y, d, by=g).deff, [0.727272727272727, 2.685185185185186], rtol=1e-12)
    # population weights keep R's deff=TRUE (without replacement): 100 times the weights
    d = SurveyDesign(weights=x["w"].to_numpy() * 100, strata=x["s"].to_numpy())
    n, big = 12, 100 * 12.0
    assert_allclose(mean(y, d).deff, 1.11086069586554 * big / (big - n), rtol=1e-12)


def test_poststratify_refuses_a_replicate_design_in_the_words_it_uses_for_a_taylor_one() -> None:
    # a reviewer's trial: the replicate path said "margin 'labels': ...", though
    # poststratify has no margins
    from vpt_monitor.stats import SurveyDesign, poststratify

    design = SurveyDesign(weights=np.ones(8), strata=np.repeat([1, 2], 4), clusters=np.arange(8))
    labels = np.array(list("aabbaabb"))
    messages = []
    for chosen in (design, design.replicate("jkn")):
        with pytest.raises(ValueError, match="cell 'b'") as caught:
            poststratify(chosen, labels, {"a": 10})
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert messages[1].startswith("labels: ")
