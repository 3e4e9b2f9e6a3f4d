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

from vpt_monitor.stats import SurveyDesign, mean

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
