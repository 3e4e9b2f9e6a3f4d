"""Properties of the frame path, over generated designs.

- Every estimator gives identical numbers from a pandas frame, a polars frame and arrays.
- A subset gives the estimates of the corresponding domain of the full design.
- ``na="domain"`` gives the estimates of the domain of rows with a value.
- Replicate weights handed over in a frame give the replicate design they were made from.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    ReplicateDesign,
    SurveyDesign,
    mean,
    proportion,
    ratio,
    total,
)

ESTIMATORS = ("mean", "total", "ratio", "proportion")
FIELDS = ("estimate", "standard_error", "df", "n", "deff", "n_effective")
#: Each example runs every estimator on three designs; fewer examples keep the suite quick.
EXAMPLES = settings(max_examples=60)


@st.composite
def surveys(draw: st.DrawFn) -> dict[str, np.ndarray]:
    """A stratified cluster sample with text strata, several analysis and domain variables."""
    n = draw(st.integers(4, 40))

    def column(elements: st.SearchStrategy[Any]) -> list[Any]:
        return draw(st.lists(elements, min_size=n, max_size=n))

    return {
        "stratum": np.array(column(st.sampled_from(["h1", "h2", "h3"]))),
        "cluster": np.array(column(st.integers(0, 5))),
        "weight": np.array(column(st.floats(0.5, 50.0))),
        "y": np.array(column(st.floats(-100.0, 100.0))),
        "x": np.array(column(st.floats(0.5, 10.0))),
        "b": np.array(column(st.booleans())),
        "g": np.array(column(st.sampled_from(["a", "b", "c"]))),
        "g2": np.array(column(st.integers(1, 3))),
        "keep": np.array(column(st.booleans())),
        "gone": np.array(column(st.booleans())),
    }


def _designs(data: dict[str, np.ndarray]) -> dict[str, SurveyDesign]:
    options: dict[str, Any] = {"nest": True, "lonely_psu": "adjust"}
    frames = {"pandas": pd.DataFrame(data), "polars": pl.DataFrame(data)}
    designs = {
        name: SurveyDesign.from_frame(
            frame, weights="weight", strata="stratum", clusters="cluster", **options
        )
        for name, frame in frames.items()
    }
    designs["arrays"] = SurveyDesign(
        weights=data["weight"], strata=data["stratum"], clusters=data["cluster"], **options
    )
    return designs


def _estimate(estimator: str, design: Any, variables: dict[str, Any], **options: Any) -> Any:
    if estimator == "mean":
        return mean(variables["y"], design, **options)
    if estimator == "total":
        return total(variables["y"], design, **options)
    if estimator == "ratio":
        return ratio(variables["y"], variables["x"], design, **options)
    return proportion(variables["b"], design, **options)


def _same(first: Estimate | EstimateTable, second: Estimate | EstimateTable) -> None:
    """The two results hold the same numbers (NaN where the other has NaN)."""
    assert type(first) is type(second)
    for field in FIELDS:
        assert_array_equal(getattr(first, field), getattr(second, field), err_msg=field)
    assert first.flags == second.flags
    ci, other = first.confidence_interval(), second.confidence_interval()
    assert_array_equal(ci.low, other.low)
    assert_array_equal(ci.high, other.high)
    if isinstance(first, EstimateTable):
        assert isinstance(second, EstimateTable)
        assert first.domains == second.domains
        assert_array_equal(first.covariance, second.covariance)


@EXAMPLES
@given(surveys())
def test_frames_and_arrays_give_identical_numbers(data: dict[str, np.ndarray]) -> None:
    designs = _designs(data)
    arrays = designs.pop("arrays")
    assert {d.df for d in designs.values()} == {arrays.df}
    by_arrays: list[Any] = [None, data["g"], (data["g"], data["g2"])]
    by_names: list[Any] = [None, "g", ("g", "g2")]
    for estimator in ESTIMATORS:
        for by_array, by_name in zip(by_arrays, by_names, strict=True):
            expected = _estimate(estimator, arrays, data, by=by_array)
            for design in designs.values():
                named = {k: k for k in ("y", "x", "b")}
                result = _estimate(estimator, design, named, by=by_name)
                _same(result, expected)
                if by_name is not None:
                    assert result.by == (by_name if isinstance(by_name, tuple) else (by_name,))


@EXAMPLES
@given(surveys())
def test_a_subset_is_the_domain_of_the_full_design(data: dict[str, np.ndarray]) -> None:
    if not data["keep"].any():
        return
    for name, design in _designs(data).items():
        where: Any = data["keep"] if name == "arrays" else "keep"
        subset = design.subset(where)
        variables = data if name == "arrays" else {k: k for k in ("y", "x", "b")}
        for estimator in ESTIMATORS:
            domain = _estimate(estimator, design, variables, by=data["keep"])[True]
            on_subset = _estimate(estimator, subset, variables)
            for field in FIELDS:
                assert_allclose(
                    getattr(on_subset, field), getattr(domain, field), rtol=1e-12, atol=1e-300
                )
            table = _estimate(estimator, subset, variables, by=data["g"])
            assert set(table.domains) == set(data["g"][data["keep"]].tolist())


@EXAMPLES
@given(surveys())
def test_na_domain_is_the_domain_of_rows_with_a_value(data: dict[str, np.ndarray]) -> None:
    gone = data["gone"]
    if gone.all():
        return
    y = np.where(gone, np.nan, data["y"])
    frames = {
        "pandas": pd.DataFrame({**data, "y_na": y}),
        "polars": pl.DataFrame({**data, "y_na": y}).with_columns(pl.col("y_na").fill_nan(None)),
    }
    arrays = SurveyDesign(
        weights=data["weight"],
        strata=data["stratum"],
        clusters=data["cluster"],
        nest=True,
        lonely_psu="adjust",
    )
    answered = mean(data["y"], arrays, by=(~gone, data["g"]))
    assert isinstance(answered, EstimateTable)
    for frame in frames.values():
        design = SurveyDesign.from_frame(
            frame,
            weights="weight",
            strata="stratum",
            clusters="cluster",
            nest=True,
            lonely_psu="adjust",
        )
        whole = mean("y_na", design, na="domain")
        assert isinstance(whole, Estimate)
        domain = mean(data["y"], arrays, by=~gone)[True]
        for field in FIELDS:
            assert_allclose(getattr(whole, field), getattr(domain, field), rtol=1e-12)
        assert whole.notes["missing"] == int(gone.sum())
        table = mean("y_na", design, by="g", na="domain")
        assert isinstance(table, EstimateTable)
        for label, est in table:
            if (True, label) not in answered.domains:  # every row of the domain is missing
                assert "not_measured" in est.flags
                assert est.n == 0
                continue
            for field in FIELDS:
                assert_allclose(
                    getattr(est, field), getattr(answered[(True, label)], field), rtol=1e-12
                )


@EXAMPLES
@given(surveys(), st.sampled_from(["jk1", "jkn", "bootstrap"]))
def test_supplied_replicate_weights_give_the_design_they_came_from(
    data: dict[str, np.ndarray], method: str
) -> None:
    strata = data["stratum"] if method != "jk1" else None
    base = SurveyDesign(
        weights=data["weight"],
        strata=strata,
        clusters=data["cluster"],
        nest=True,
        lonely_psu="certainty",
    )
    if base.n_psu < 3 or (method != "jk1" and base.df < 1):
        return
    made = (
        base.replicate(method, replicates=20, seed=1)
        if method == "bootstrap"
        else (base.replicate(method))
    )
    if made.replicates < 2:
        return
    weights = made.replicate_weights()
    columns = {f"rep_{r:03d}": weights[:, r] for r in range(made.replicates)}
    frame = pl.DataFrame({**data, **columns})
    supplied = ReplicateDesign.from_frame(
        frame,
        weights="weight",
        replicate_weights="rep_",
        method="other",
        scale=made.scale,
        rscales=made.rscales,
    )
    for estimator in ESTIMATORS:
        expected = _estimate(estimator, made, data, by=data["g"])
        result = _estimate(estimator, supplied, {k: k for k in ("y", "x", "b")}, by="g")
        # an estimate near zero (a total of values of both signs) is exact to the rounding of
        # its terms, not of itself: the tolerance is relative to the values' scale
        scale = float(np.max(np.abs(data["y"]))) * float(np.sum(data["weight"]))
        assert_allclose(result.estimate, expected.estimate, rtol=1e-12, atol=1e-14 * scale)
        assert_allclose(result.standard_error, expected.standard_error, rtol=1e-9, atol=1e-12)
