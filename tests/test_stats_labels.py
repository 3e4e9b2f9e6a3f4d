"""Labels as users bring them: mixed numbers and text, missing values (issues 10.15, 11.10)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from vpt_monitor.stats import (
    EstimateTable,
    SurveyDesign,
    mean,
    poststratify,
    proportion,
    rake,
)
from vpt_monitor.stats._labels import factorize

N = 12
Y = np.arange(N, dtype=float) % 5
WEIGHTS = np.linspace(1.0, 3.0, N)


def _objects(values: list[Any]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


# a spreadsheet column that holds numbers for some rows and text for others
MIXED = _objects([1, "b", 2, "a", 1, "b", 2, "a", 1, "b", 2, "a"])
RECODED = np.array(["1", "b", "2", "a", "1", "b", "2", "a", "1", "b", "2", "a"])


def test_mixed_labels_in_strata_and_clusters_are_accepted() -> None:
    clusters = _objects([10, 11, 12, "x", "y", "z", 10, 11, 12, "x", "y", "z"])
    strata = _objects([1, 1, 1, "two", "two", "two", 1, 1, 1, "two", "two", "two"])
    design = SurveyDesign(weights=WEIGHTS, strata=strata, clusters=clusters)
    plain = SurveyDesign(
        weights=WEIGHTS, strata=[str(s) for s in strata], clusters=[str(c) for c in clusters]
    )
    assert (design.n_strata, design.n_psu, design.df) == (2, 6, 4)
    a, b = mean(Y, design), mean(Y, plain)
    assert_allclose([a.estimate, a.standard_error], [b.estimate, b.standard_error], rtol=1e-12)


def test_mixed_domain_labels_keep_their_values_and_a_documented_order() -> None:
    design = SurveyDesign(weights=WEIGHTS)
    table = mean(Y, design, by=MIXED)
    assert isinstance(table, EstimateTable)
    # numbers first (numeric order), then text (code-point order); values as given
    assert table.domains == (1, 2, "a", "b")
    assert type(table.domains[0]) is int
    recoded = mean(Y, design, by=RECODED)
    assert isinstance(recoded, EstimateTable)
    for label in table.domains:
        assert_allclose(table[label].estimate, recoded[str(label)].estimate, rtol=1e-12)
        assert_allclose(table[label].standard_error, recoded[str(label)].standard_error, rtol=1e-12)


def test_a_plain_list_of_mixed_labels_is_not_turned_into_text() -> None:
    table = mean(Y, SurveyDesign(weights=WEIGHTS), by=list(MIXED))
    assert isinstance(table, EstimateTable)
    assert table.domains == (1, 2, "a", "b")


def test_mixed_labels_in_a_crossed_domain() -> None:
    table = proportion(Y > 2, SurveyDesign(weights=WEIGHTS), by=(MIXED, np.arange(N) % 2))
    assert isinstance(table, EstimateTable)
    assert table.domains[:2] == ((1, 0), (2, 0))
    assert table.domains[-1] == ("b", 1)


def test_mixed_labels_in_calibration() -> None:
    design = SurveyDesign(weights=WEIGHTS)
    calibrated = poststratify(design, MIXED, {1: 30.0, 2: 20.0, "a": 25.0, "b": 25.0})
    assert_allclose(calibrated.weights[MIXED == 1].sum(), 30.0)
    sex = np.repeat(["f", "v"], 6)
    cells = {1: 30.0, 2: 20.0, "a": 25.0, "b": 25.0}
    raked = rake(design, {"cell": (MIXED, cells), "sex": (sex, {"f": 40.0, "v": 60.0})})
    assert_allclose(raked.weights[sex == "f"].sum(), 40.0)
    assert_allclose(raked.weights[MIXED == "a"].sum(), 25.0)


MISSING: list[tuple[str, Any]] = [
    ("None", None),
    ("NaN", float("nan")),
    ("NaN", np.float64("nan")),
    ("pandas.NA", pd.NA),
    ("NaT", pd.NaT),
]

ARGUMENTS: dict[str, Callable[[Any], object]] = {
    "strata": lambda labels: SurveyDesign(weights=WEIGHTS, strata=labels),
    "clusters": lambda labels: SurveyDesign(weights=WEIGHTS, clusters=labels),
    "by": lambda labels: mean(Y, SurveyDesign(weights=WEIGHTS), by=labels),
    "labels": lambda labels: poststratify(
        SurveyDesign(weights=WEIGHTS), labels, {1: 30.0, 2: 20.0, "a": 25.0, "b": 25.0}
    ),
    "margin 'cell'": lambda labels: rake(
        SurveyDesign(weights=WEIGHTS), {"cell": (labels, {1: 30.0, 2: 20.0, "a": 25.0, "b": 25.0})}
    ),
    "by[1]": lambda labels: mean(Y, SurveyDesign(weights=WEIGHTS), by=(np.arange(N) % 2, labels)),
}


def _pattern(argument: str) -> str:
    shown = f"'{argument}'" if argument.isidentifier() else argument
    return re.escape(shown)


@pytest.mark.parametrize("argument", ARGUMENTS)
@pytest.mark.parametrize(("shown", "value"), MISSING)
def test_missing_labels_are_refused_with_name_and_index(
    argument: str, shown: str, value: Any
) -> None:
    labels = MIXED.copy()
    labels[7] = value
    with pytest.raises(
        ValueError, match=rf"{_pattern(argument)} has a missing value \({shown}\) at index 7"
    ):
        ARGUMENTS[argument](labels)


@pytest.mark.parametrize("argument", ARGUMENTS)
def test_missing_labels_in_pandas_columns(argument: str) -> None:
    text = pd.Series(["a", "b"] * 6, dtype="string")
    text[4] = pd.NA
    with pytest.raises(
        ValueError, match=rf"{_pattern(argument)} has a missing value \(pandas.NA\) at index 4"
    ):
        ARGUMENTS[argument](text)
    category = pd.Categorical(["a", None] + ["b"] * 10)
    with pytest.raises(
        ValueError, match=rf"{_pattern(argument)} has a missing value \(NaN\) at index 1"
    ):
        ARGUMENTS[argument](category)


def test_missing_label_in_a_list_is_not_the_text_none() -> None:
    with pytest.raises(ValueError, match=r"'by' has a missing value \(None\) at index 2"):
        mean(Y[:3], SurveyDesign(weights=[1, 1, 1]), by=["a", "b", None])
    with pytest.raises(ValueError, match=r"'strata' has a missing value \(NaN\) at index 0"):
        SurveyDesign(weights=[1, 1, 1], strata=[np.nan, "a", "a"])


# (booleans are left out: True == 1, so they share a label with 1, as dictionary keys do)
label = st.one_of(
    st.integers(-5, 5),
    st.integers(-30, 30).map(lambda k: k / 10 + 0.05),
    st.sampled_from(["a", "B", "10", "2", "é"]),
)


@settings(max_examples=100)
@given(st.lists(label, min_size=1, max_size=30))
def test_factorize_keeps_values_and_orders_numbers_before_text(values: list[Any]) -> None:
    array = _objects(values)
    codes, labels = factorize("by", array, len(values))
    decoded = labels[codes].tolist()
    assert decoded == values  # every row gets its own label back, value and type
    assert [type(v) for v in decoded] == [type(v) for v in values]
    listed = labels.tolist()
    assert len(set(listed)) == len(listed)
    numbers = [v for v in listed if not isinstance(v, str)]
    text = [v for v in listed if isinstance(v, str)]
    assert listed == numbers + text
    assert numbers == sorted(numbers)
    assert text == sorted(text)
    # the order does not depend on the order of the rows
    _, again = factorize("by", array[::-1].copy(), len(values))
    assert again.tolist() == listed
