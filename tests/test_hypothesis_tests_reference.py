"""chisq_test and t_test against R survey 4.1's svychisq and svyttest.

tests/reference/hypothesis_tests.R: three tables (4 x 2, 4 x 3, 3 x 2) with the four
statistics of svychisq, and svyttest with a two-level factor, a 0/1 group and one sample,
on the Taylor and replicate designs of the model fixtures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import read_reference_csv
from numpy.testing import assert_allclose
from test_models_reference import DESIGNS, FRAME

from vpt_monitor.stats import TestResult, chisq_test, t_test

R: dict[tuple[str, str, str, str], float] = {
    (r["design"], r["test"], r["item"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("hypothesis_tests.csv")
}
DATA = FRAME.assign(
    band=np.where(FRAME["y"] < 9, "low", np.where(FRAME["y"] < 12, "mid", "high")),
    bf=FRAME["b"].astype(int),
    yc=FRAME["y"] - 10,
)
TABLES = {"g_g2": ("grp", "g2"), "g_band": ("grp", "band"), "band_bf": ("band", "bf")}
METHODS = {
    "F": "rao-scott-2",
    "Chisq": "rao-scott-1",
    "Wald": "wald",
    "adjWald": "adjusted_wald",  # either separator names the method
}


def _design(name: str):  # type: ignore[no-untyped-def]
    design = DESIGNS[name]()
    base = getattr(design, "base", design)
    assert len(base.weights) == len(DATA)
    return design


@pytest.mark.parametrize("design", sorted(DESIGNS))
@pytest.mark.parametrize("table", sorted(TABLES))
@pytest.mark.parametrize("statistic", sorted(METHODS))
def test_chisq_test_as_svychisq(design: str, table: str, statistic: str) -> None:
    x, y = TABLES[table]
    result = chisq_test(
        DATA[x].to_numpy(), DATA[y].to_numpy(), _design(design), method=METHODS[statistic]
    )
    key = (design, "chisq", f"{table}:{statistic}")
    assert isinstance(result, TestResult)
    if statistic == "Chisq":
        # R prints Pearson's X^2 and takes its p-value from X^2 over the mean design effect
        assert result.name == "X-squared"
        assert_allclose(result.notes["pearson"], R[(*key, "statistic")], rtol=1e-9)
        assert result.df == R[(*key, "df")]
        assert_allclose(
            result.statistic, result.notes["pearson"] / result.notes["mean_design_effect"]
        )
    else:
        assert result.name == "F"
        assert_allclose(result.statistic, R[(*key, "statistic")], rtol=1e-8)
        assert_allclose(result.df, R[(*key, "ndf")], rtol=1e-8)
        assert_allclose(result.ddf, R[(*key, "ddf")], rtol=1e-8)
    assert_allclose(result.p_value, R[(*key, "p")], rtol=1e-7)


@pytest.mark.parametrize("design", sorted(DESIGNS))
@pytest.mark.parametrize(
    ("formula", "y", "group"),
    [("y ~ g2", "y", "g2"), ("y ~ b", "y", "b"), ("yc ~ 0", "yc", None)],
)
def test_t_test_as_svyttest(design: str, formula: str, y: str, group: str | None) -> None:
    result = t_test(
        DATA[y].to_numpy(), None if group is None else DATA[group].to_numpy(), _design(design)
    )
    key = (design, "ttest", formula)
    assert result.name == "t"
    assert_allclose(result.statistic, R[(*key, "statistic")], rtol=1e-9)
    assert result.ddf == R[(*key, "df")]
    assert_allclose(result.estimate, R[(*key, "estimate")], rtol=1e-9)
    assert_allclose(result.p_value, R[(*key, "p")], rtol=1e-8)
    ci = result.confidence_interval()
    assert_allclose([ci.low, ci.high], [R[(*key, "low")], R[(*key, "high")]], rtol=1e-9)


def test_column_names_and_arrays_give_one_answer() -> None:
    design = DESIGNS["fpc"]()
    by_name = chisq_test("grp", "g2", design)
    by_array = chisq_test(DATA["grp"].to_numpy(), DATA["g2"].to_numpy(), design)
    assert by_name.statistic == by_array.statistic
    assert (
        t_test("y", "g2", design).statistic
        == t_test(DATA["y"].to_numpy(), pd.Series(DATA["g2"]).to_numpy(), design).statistic
    )
