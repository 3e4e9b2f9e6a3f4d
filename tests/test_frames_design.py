"""Designs from data frames: columns by name, labels, copies, subsets and the messages."""

from __future__ import annotations

import datetime
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from numpy.testing import assert_array_equal

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    ReplicateDesign,
    SurveyDesign,
    mean,
    poststratify,
    proportion,
    rake,
    ratio,
    total,
)
from vpt_monitor.stats._frames import numbers

LIBRARIES = ("pandas", "polars")


def _data() -> dict[str, Any]:
    rng = np.random.default_rng(7)
    n = 60
    return {
        "weight": rng.uniform(1.0, 9.0, n),
        "stratum": np.where(np.arange(n) < 32, "north", "south"),
        "municipality": np.arange(n) // 4,
        "score": rng.normal(50.0, 10.0, n),
        "incidents": rng.integers(0, 4, n).astype(float),
        "respondents": np.ones(n),
        "victim": rng.random(n) < 0.3,
        "office": rng.choice(["mayor", "alderman", "councillor"], n),
        "wave": np.where(np.arange(n) % 2 == 0, 2014, 2016),
        "recent": np.arange(n) % 3 == 0,
    }


DATA = _data()


def _frame(library: str, data: dict[str, Any] | None = None) -> Any:
    data = DATA if data is None else data
    return pd.DataFrame(data) if library == "pandas" else pl.DataFrame(data)


def _design(frame: Any) -> SurveyDesign:
    return SurveyDesign.from_frame(
        frame, weights="weight", strata="stratum", clusters="municipality"
    )


# ---- the design and its frame ---------------------------------------------------------


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_frame_design_is_the_array_design(library: str) -> None:
    design = _design(_frame(library))
    arrays = SurveyDesign(
        weights=DATA["weight"], strata=DATA["stratum"], clusters=DATA["municipality"]
    )
    assert (design.n, design.n_strata, design.n_psu, design.df) == (
        arrays.n,
        arrays.n_strata,
        arrays.n_psu,
        arrays.df,
    )
    assert design.strata_labels.tolist() == ["north", "south"]
    assert_array_equal(design.weights, arrays.weights)
    assert repr(design).endswith(f"frame={library!r})")


@pytest.mark.parametrize("library", LIBRARIES)
def test_every_estimator_takes_column_names(library: str) -> None:
    design = _design(_frame(library))
    arrays = SurveyDesign(
        weights=DATA["weight"], strata=DATA["stratum"], clusters=DATA["municipality"]
    )
    pairs = [
        (mean("score", design, by="office"), mean(DATA["score"], arrays, by=DATA["office"])),
        (total("incidents", design), total(DATA["incidents"], arrays)),
        (
            ratio("incidents", "respondents", design, by=("wave", "office")),
            ratio(
                DATA["incidents"], DATA["respondents"], arrays, by=(DATA["wave"], DATA["office"])
            ),
        ),
        (
            proportion("victim", design, by="wave"),
            proportion(DATA["victim"], arrays, by=DATA["wave"]),
        ),
    ]
    for framed, plain in pairs:
        assert_array_equal(framed.estimate, plain.estimate)
        assert_array_equal(framed.standard_error, plain.standard_error)
    table = pairs[2][0]
    assert isinstance(table, EstimateTable)
    assert table.by == ("wave", "office")
    assert table.domains[0] == (2014, "alderman")
    assert type(table.domains[0][0]) is int


@pytest.mark.parametrize("library", LIBRARIES)
def test_columns_and_arrays_mix(library: str) -> None:
    design = _design(_frame(library))
    both = mean("score", design, by=("wave", DATA["office"]))
    assert isinstance(both, EstimateTable)
    assert both.by == ("wave", "by1")
    series = (
        pd.Series(DATA["office"], name="role")
        if library == "pandas"
        else pl.Series("role", DATA["office"])
    )
    named = mean(DATA["score"], design, by=series)
    assert isinstance(named, EstimateTable)
    assert named.by == ("role",)


def test_pandas_numeric_columns_are_read_without_a_copy() -> None:
    frame = pd.DataFrame(DATA)
    design = _design(frame)
    kept = design.frame
    assert np.shares_memory(kept["score"].to_numpy(), frame["score"].to_numpy())
    assert np.shares_memory(numbers(kept["score"], "y"), frame["score"].to_numpy())
    assert np.shares_memory(numbers(kept["wave"], "y"), frame["wave"].to_numpy())


def test_polars_numeric_columns_are_read_without_a_copy() -> None:
    frame = pl.DataFrame(DATA)
    column = frame.get_column("score")
    first, second = numbers(column, "y"), numbers(column, "y")
    assert np.shares_memory(first, second)  # both views of polars' own buffer


def test_the_design_keeps_its_own_view_of_the_frame() -> None:
    frame = pd.DataFrame(DATA)
    design = _design(frame)
    before = mean("score", design)
    frame.loc[0, "score"] = 1e6  # copy-on-write: the design's view does not change
    frame["extra"] = 1.0
    assert mean("score", design).estimate == before.estimate
    assert "extra" not in design.frame.columns
    handed_out = design.frame
    handed_out["score"] = 0.0  # changing what the design hands out changes nothing
    assert mean("score", design).estimate == before.estimate


# ---- labels ---------------------------------------------------------------------------


def test_pandas_categories_give_the_domain_order_and_empty_ones_are_left_out() -> None:
    data = dict(DATA)
    data["office"] = pd.Categorical(
        DATA["office"], categories=["mayor", "alderman", "councillor", "secretary"]
    )
    table = mean("score", _design(pd.DataFrame(data)), by="office")
    assert isinstance(table, EstimateTable)
    assert table.domains == ("mayor", "alderman", "councillor")


def test_polars_enum_gives_the_domain_order_and_categorical_sorts_as_text() -> None:
    order = ["mayor", "alderman", "councillor", "secretary"]
    frame = pl.DataFrame(DATA).with_columns(
        pl.col("office").cast(pl.Enum(order)).alias("enum"),
        pl.col("office").cast(pl.Categorical).alias("categorical"),
    )
    design = _design(frame)
    assert mean("score", design, by="enum").domains == ("mayor", "alderman", "councillor")
    assert mean("score", design, by="categorical").domains == ("alderman", "councillor", "mayor")
    crossed = mean("score", design, by=("enum", "wave"))
    assert crossed.domains[:2] == (("mayor", 2014), ("mayor", 2016))


@pytest.mark.parametrize("library", LIBRARIES)
def test_labels_keep_the_values_of_the_frame(library: str) -> None:
    data = dict(DATA)
    data["day"] = [datetime.date(2016, 1, 1 + (i % 2)) for i in range(len(DATA["weight"]))]
    design = _design(_frame(library, data))
    by_flag = mean("score", design, by="recent")
    assert by_flag.domains == (False, True)
    by_day = mean("score", design, by="day")
    assert [datetime.date(2016, 1, 1), datetime.date(2016, 1, 2)] == [
        pd.Timestamp(d).date() for d in by_day.domains
    ]


@pytest.mark.parametrize("library", LIBRARIES)
def test_text_strata_with_nulls_are_refused_with_the_count_and_row(library: str) -> None:
    data = dict(DATA)
    data["stratum"] = np.where(np.arange(60) % 20 == 7, None, DATA["stratum"]).tolist()
    with pytest.raises(
        ValueError,
        match=r"column 'stratum' \('strata'\) has 3 missing values \(first at row 7\); "
        "every row needs a label",
    ):
        _design(_frame(library, data))


# ---- messages -------------------------------------------------------------------------


@pytest.mark.parametrize("library", LIBRARIES)
def test_unknown_names_list_the_columns(library: str) -> None:
    frame = _frame(library)
    with pytest.raises(
        ValueError,
        match=r"'weights' names column 'wieght', which is not in the frame; did you mean "
        r"'weight'\? The frame's columns: 'weight', 'stratum', ",
    ):
        SurveyDesign.from_frame(frame, weights="wieght")
    design = _design(frame)
    with pytest.raises(
        ValueError, match=r"'by\[1\]' names column 'sex', which is not in the frame\. "
    ):
        mean("score", design, by=("wave", "sex"))


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_column_of_the_wrong_type_says_which_and_why(library: str) -> None:
    design = _design(_frame(library))
    with pytest.raises(TypeError, match=r"column 'office' \('y'\) has dtype .*; 'y' needs numbers"):
        mean("office", design)
    with pytest.raises(TypeError, match=r"column 'stratum' \('weights'\) has dtype"):
        SurveyDesign.from_frame(_frame(library), weights="stratum")
    with pytest.raises(TypeError, match=r"column 'victim' \('weights'\) is boolean"):
        SurveyDesign.from_frame(_frame(library), weights="victim")
    with pytest.raises(ValueError, match=r"column 'score' \('y'\) must be 0 or 1 \(or boolean\)"):
        proportion("score", design)


def test_a_categorical_outcome_suggests_a_boolean() -> None:
    data = dict(DATA)
    data["office"] = pd.Categorical(DATA["office"])
    with pytest.raises(TypeError, match=r"is categorical; 'y' needs numbers .* == 'mayor'"):
        proportion("office", _design(pd.DataFrame(data)))


def test_text_in_an_object_column_of_numbers_is_named() -> None:
    data = dict(DATA)
    data["score"] = np.array([*DATA["score"][:5], "n.v.t.", *DATA["score"][6:]], dtype=object)
    with pytest.raises(TypeError, match=r"must hold numbers .* it holds 'n.v.t.' at row 5"):
        mean("score", _design(pd.DataFrame(data)))


def test_weights_that_are_not_positive_are_named_with_the_index_label() -> None:
    frame = pd.DataFrame(DATA, index=[f"r{i}" for i in range(60)])
    frame.loc["r3", "weight"] = 0.0
    with pytest.raises(
        ValueError,
        match=r"column 'weight' \('weights'\) must be finite and > 0; got 0.0 at "
        r"row 3 \(index 'r3'\)",
    ):
        _design(frame)


@pytest.mark.parametrize("library", LIBRARIES)
def test_missing_values_are_refused_with_the_column_and_count(library: str) -> None:
    data = dict(DATA)
    data["score"] = np.where(np.arange(60) % 10 == 4, np.nan, DATA["score"])
    frame = _frame(library, data)
    if library == "polars":
        frame = frame.with_columns(pl.col("score").fill_nan(None))
    design = _design(frame)
    with pytest.raises(
        ValueError,
        match=r"column 'score' \('y'\) has 6 missing values \(first at row 4\); pass "
        r"na='domain'",
    ):
        mean("score", design)
    est = mean("score", design, na="domain")
    assert isinstance(est, Estimate)
    assert est.n == 54
    assert est.notes == {"missing": 6}
    with pytest.raises(ValueError, match=r"unknown na 'drop'; valid values are 'fail', 'domain'"):
        mean("score", design, na="drop")


@pytest.mark.parametrize("library", LIBRARIES)
def test_missing_domain_labels_are_refused_or_left_out(library: str) -> None:
    data = dict(DATA)
    data["office"] = np.where(np.arange(60) % 15 == 1, None, DATA["office"]).tolist()
    design = _design(_frame(library, data))
    with pytest.raises(
        ValueError, match=r"column 'office' \('by'\) has 4 missing values \(first at row 1\)"
    ):
        mean("score", design, by="office")
    table = mean("score", design, by="office", na="domain")
    assert isinstance(table, EstimateTable)
    assert int(table.n.sum()) == 56
    assert table.notes["missing"] == 4
    kept = DATA["office"][np.arange(60) % 15 != 1]
    arrays = SurveyDesign(
        weights=DATA["weight"], strata=DATA["stratum"], clusters=DATA["municipality"]
    )
    reference = mean(DATA["score"], arrays, by=(np.arange(60) % 15 != 1, DATA["office"]))
    for label, est in table:
        assert est.standard_error == pytest.approx(
            reference[(True, label)].standard_error, rel=1e-12
        )
    assert set(table.domains) == set(kept.tolist())


def test_a_domain_without_any_answer_is_flagged_not_measured() -> None:
    data = dict(DATA)
    data["score"] = np.where(DATA["office"] == "mayor", np.nan, DATA["score"])
    table = mean("score", _design(pd.DataFrame(data)), by="office", na="domain")
    assert isinstance(table, EstimateTable)
    mayor = table["mayor"]
    assert "not_measured" in mayor.flags
    assert np.isnan(mayor.estimate)
    assert mayor.n == 0
    assert table.notes["missing_by_domain"] == {"mayor": int(np.sum(DATA["office"] == "mayor"))}


def test_what_is_not_a_frame_or_a_column_name_is_refused() -> None:
    with pytest.raises(TypeError, match="'frame' must be a pandas or polars DataFrame; got dict"):
        SurveyDesign.from_frame(DATA, weights="weight")
    with pytest.raises(TypeError, match=r"polars LazyFrame; collect it first"):
        SurveyDesign.from_frame(pl.DataFrame(DATA).lazy(), weights="weight")
    with pytest.raises(TypeError, match=r"'weights' must be the name of a column .* got ndarray"):
        SurveyDesign.from_frame(pd.DataFrame(DATA), weights=DATA["weight"])
    arrays = SurveyDesign(weights=DATA["weight"])
    with pytest.raises(TypeError, match=r"'y' is the column name 'score', but the design was not"):
        mean("score", arrays)
    with pytest.raises(TypeError, match=r"'y' is a whole data frame"):
        mean(pd.DataFrame(DATA), arrays)
    with pytest.raises(ValueError, match="'frame' has no rows"):
        SurveyDesign.from_frame(pd.DataFrame(DATA).iloc[:0], weights="weight")


def test_pandas_and_polars_are_imported_only_when_given() -> None:
    code = "\n".join(
        [
            "import sys",
            "from vpt_monitor.stats import SurveyDesign, mean, proportion",
            "d = SurveyDesign(weights=[1.0, 2.0, 3.0], strata=[1, 1, 2], lonely_psu='adjust')",
            "mean([1.0, 2.0, 3.0], d, by=['x', 'y', 'x'])",
            "proportion([1, 0, 1], d.subset([True, True, False]))",
            "print('pandas' in sys.modules, 'polars' in sys.modules)",
        ]
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


# ---- subsets --------------------------------------------------------------------------


@pytest.mark.parametrize("library", LIBRARIES)
def test_subsets_from_masks_columns_functions_and_expressions(library: str) -> None:
    design = _design(_frame(library))
    wanted = DATA["wave"] == 2016
    ways: list[Any] = [
        wanted,
        lambda f: f["wave"] == 2016,
        (pd.Series(wanted) if library == "pandas" else pl.Series(wanted)),
    ]
    if library == "polars":
        ways.append(pl.col("wave") == 2016)
    expected = mean("score", design, by="wave")[2016]
    for way in ways:
        subset = design.subset(way)
        assert_array_equal(subset.in_subset, wanted)
        est = mean("score", subset)
        assert est.estimate == pytest.approx(expected.estimate, rel=1e-13)
        assert est.standard_error == pytest.approx(expected.standard_error, rel=1e-12)
    recent = design.subset("recent")
    assert_array_equal(recent.in_subset, DATA["recent"])
    both = recent.subset(wanted)
    assert_array_equal(both.in_subset, DATA["recent"] & wanted)
    assert repr(both).endswith(f"subset={int((DATA['recent'] & wanted).sum())})")


def test_subsets_refuse_what_they_cannot_read() -> None:
    design = _design(pd.DataFrame(DATA))
    with pytest.raises(ValueError, match=r"an expression in a string is not evaluated"):
        design.subset("wave == 2016")
    with pytest.raises(TypeError, match=r"must be boolean .* it has dtype int64"):
        design.subset("wave")
    with pytest.raises(TypeError, match=r"the subset must be a boolean mask .* dtype int64"):
        design.subset(np.ones(60, dtype=int))
    with pytest.raises(ValueError, match=r"the subset has shape \(3,\) but the design has 60"):
        design.subset([True, False, True])
    with pytest.raises(ValueError, match="the subset keeps no row"):
        design.subset(np.zeros(60, dtype=bool))
    holes = pd.Series([True, None] * 30, dtype="boolean")
    with pytest.raises(ValueError, match=r"'where' has 30 missing values \(first at row 1\)"):
        design.subset(lambda f: holes)
    arrays = SurveyDesign(weights=DATA["weight"])
    with pytest.raises(TypeError, match="not made from a data frame"):
        arrays.subset(lambda f: f["wave"] == 2016)
    with pytest.raises(TypeError, match="a polars expression needs a design made from a polars"):
        design.subset(pl.col("wave") == 2016)


def test_a_subset_is_not_calibrated_or_replicated() -> None:
    subset = _design(pd.DataFrame(DATA)).subset("recent")
    with pytest.raises(ValueError, match="calibrate the full design, then take the subset"):
        poststratify(subset, "office", {"mayor": 10.0, "alderman": 10.0, "councillor": 10.0})
    with pytest.raises(ValueError, match="make the replicate design from the full design"):
        subset.replicate("jkn")


def test_values_outside_a_subset_are_not_checked() -> None:
    data = dict(DATA)
    data["score"] = np.where(DATA["wave"] == 2014, np.nan, DATA["score"])
    subset = _design(pd.DataFrame(data)).subset(lambda f: f["wave"] == 2016)
    est = mean("score", subset)
    assert isinstance(est, Estimate)
    assert np.isfinite(est.standard_error)


# ---- calibration and results ------------------------------------------------------------


@pytest.mark.parametrize("library", LIBRARIES)
def test_calibration_by_column_name(library: str) -> None:
    design = _design(_frame(library))
    counts = {"mayor": 300.0, "alderman": 1200.0, "councillor": 8000.0}
    by_name = poststratify(design, "office", counts)
    by_array = poststratify(design, DATA["office"], counts)
    assert_array_equal(by_name.weights, by_array.weights)
    assert by_name.frame is not None
    waves = {2014: 4750.0, 2016: 4750.0}
    raked = rake(design, {"office": counts, "wave": waves})
    spelled_out = rake(design, {"office": ("office", counts), "w": (DATA["wave"], waves)})
    assert_array_equal(raked.weights, spelled_out.weights)
    with pytest.raises(TypeError, match="a mapping alone names a column"):
        rake(SurveyDesign(weights=DATA["weight"]), {"office": counts})


def test_results_name_their_domain_variables_after_the_columns() -> None:
    design = _design(pl.DataFrame(DATA))
    table = proportion("victim", design, by=("wave", "office"))
    assert isinstance(table, EstimateTable)
    frame = table.to_pandas()
    assert list(frame.index.names) == ["wave", "office"]
    polars = table.to_polars()
    assert polars.columns[:3] == ["wave", "office", "estimate"]
    assert polars["wave"].dtype == pl.Int64
    assert polars.height == len(table)


def test_to_polars_writes_mixed_labels_as_text() -> None:
    table = mean([1.0, 2.0, 3.0], SurveyDesign(weights=[1.0, 1.0, 1.0]), by=[1, "a", 1])
    assert isinstance(table, EstimateTable)
    assert table.to_polars()["domain"].to_list() == ["1", "a"]


# ---- replicate weights from a frame ------------------------------------------------------


def _replicated(library: str) -> tuple[Any, ReplicateDesign]:
    made = SurveyDesign(
        weights=DATA["weight"], strata=DATA["stratum"], clusters=DATA["municipality"]
    ).replicate("jkn")
    weights = made.replicate_weights()
    data = dict(DATA)
    data.update({f"repw{r + 1}": weights[:, r] for r in range(made.replicates)})
    return _frame(library, data), made


@pytest.mark.parametrize("library", LIBRARIES)
def test_replicate_weights_by_prefix_or_by_list(library: str) -> None:
    frame, made = _replicated(library)
    names = [f"repw{r + 1}" for r in range(made.replicates)]
    options: dict[str, Any] = {"weights": "weight", "method": "jkn", "rscales": made.rscales}
    by_prefix = ReplicateDesign.from_frame(frame, replicate_weights="repw", **options)
    by_list = ReplicateDesign.from_frame(frame, replicate_weights=names, **options)
    for design in (by_prefix, by_list):
        assert design.replicates == made.replicates
        est, expected = (
            mean("score", design, by="office"),
            mean(DATA["score"], made, by=DATA["office"]),
        )
        np.testing.assert_allclose(est.standard_error, expected.standard_error, rtol=1e-10)
    assert by_prefix.frame is not None
    subset = by_prefix.subset("recent")
    assert repr(subset).endswith(f"subset={int(DATA['recent'].sum())})")


@pytest.mark.parametrize("library", LIBRARIES)
def test_replicate_weights_refused_with_reasons(library: str) -> None:
    frame, _ = _replicated(library)
    base: dict[str, Any] = {"weights": "weight", "replicate_weights": "repw"}
    with pytest.raises(ValueError, match="method 'jkn' needs 'rscales'"):
        ReplicateDesign.from_frame(frame, method="jkn", **base)
    with pytest.raises(ValueError, match="method 'fay' needs Fay's factor 'rho'"):
        ReplicateDesign.from_frame(frame, method="fay", **base)
    with pytest.raises(ValueError, match=r"method 'brr' fixes the scale"):
        ReplicateDesign.from_frame(frame, method="brr", scale=0.5, **base)
    with pytest.raises(ValueError, match="method 'other' needs 'scale'"):
        ReplicateDesign.from_frame(frame, method="other", **base)
    with pytest.raises(ValueError, match=r"unknown method 'JK1'; valid values are 'jk1'"):
        ReplicateDesign.from_frame(frame, method="JK1", **base)
    with pytest.raises(ValueError, match=r"the prefix 'rw', which starts 0 column names"):
        ReplicateDesign.from_frame(frame, weights="weight", replicate_weights="rw", method="jk1")
    with pytest.raises(ValueError, match=r"'rscales' has 3 values but there are"):
        ReplicateDesign.from_frame(frame, method="jkn", rscales=[1.0, 1.0, 1.0], **base)
    with pytest.raises(TypeError, match=r"column 'office' \('replicate_weights'\) has dtype"):
        ReplicateDesign.from_frame(
            frame, weights="weight", replicate_weights=["repw1", "office"], method="jk1"
        )


def test_missing_replicate_weights_are_refused() -> None:
    frame, _ = _replicated("pandas")
    frame.loc[5, "repw2"] = np.nan
    with pytest.raises(
        ValueError, match=r"column 'repw2' \('replicate_weights'\) has 1 missing value"
    ):
        ReplicateDesign.from_frame(frame, weights="weight", replicate_weights="repw", method="jk1")


def test_a_by_without_any_label_is_refused_under_na_domain() -> None:
    data = dict(DATA)
    data["gender"] = [None] * 60
    design = _design(pd.DataFrame(data))
    with pytest.raises(ValueError, match=r"'by' leaves no domain: every row .* gender"):
        mean("score", design, by="gender", na="domain")


def test_a_ratio_domain_without_answers_is_not_measured_not_zero_denominator() -> None:
    data = dict(DATA)
    data["incidents"] = np.where(DATA["office"] == "mayor", np.nan, DATA["incidents"])
    table = ratio("incidents", "respondents", _design(pl.DataFrame(data)), by="office", na="domain")
    assert isinstance(table, EstimateTable)
    assert "not_measured" in table["mayor"].flags
    assert "zero_denominator" not in table["mayor"].flags


@pytest.mark.parametrize("library", LIBRARIES)
def test_nullable_and_temporal_columns(library: str) -> None:
    flags: Any = [True, None, False] * 20
    counts: Any = [1, None, 2, 2] * 15
    if library == "pandas":
        extra = {
            "flag": pd.array(flags, dtype="boolean"),
            "count": pd.array(counts, dtype="Int64"),
        }
    else:
        extra = {"flag": pl.Series(flags), "count": pl.Series(counts)}
    design = _design(_frame(library, {**DATA, **extra}))
    by_flag = mean("score", design, by="flag", na="domain")
    assert by_flag.domains == (False, True)
    assert by_flag.notes["missing"] == 20
    share = proportion("flag", design, na="domain")
    assert isinstance(share, Estimate)
    assert share.n == 40
    counted = mean("count", design, by="count", na="domain")
    assert counted.domains == (1, 2)
    assert type(counted.domains[0]) is int
