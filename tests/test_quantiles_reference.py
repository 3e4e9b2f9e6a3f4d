"""quantile and var against R survey 4.1's svyquantile (qrule "math") and svyvar.

tests/reference/quantiles.R: five probabilities of a continuous and of a five-valued
(tied) variable, the four Woodruff interval types at two levels, medians and variances in
domains, on Taylor and replicate designs.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import read_reference_csv
from numpy.testing import assert_allclose
from test_models_reference import DESIGNS, FRAME

from vpt_monitor.stats import Estimate, EstimateTable, quantile, var

R: dict[tuple[str, str, str, str], float] = {
    (r["design"], r["statistic"], r["item"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("quantiles.csv")
}
PROBABILITIES = [0.1, 0.25, 0.5, 0.75, 0.9]
QUANTILE_DESIGNS = sorted(name for name in DESIGNS if name != "subset")


@pytest.mark.parametrize("design", QUANTILE_DESIGNS)
@pytest.mark.parametrize("method", ["mean", "xlogit", "asin", "beta"])
@pytest.mark.parametrize("level", [0.95, 0.9])
@pytest.mark.parametrize("variable", ["y", "x"])
def test_quantiles_and_woodruff_intervals(
    design: str, method: str, level: float, variable: str
) -> None:
    if design in ("jkn", "jk1") and method != "mean":
        # R 4.1's svyquantile on a replicate design does not pass interval.type on to
        # woodruffCI, so every type gives the "mean" interval there; this side gives the
        # interval asked for
        for p in PROBABILITIES:
            asked = (design, "quantile", f"{variable}:{method}:{level}:{p}", "low")
            plain = (design, "quantile", f"{variable}:mean:{level}:{p}", "low")
            assert R[asked] == R[plain] or (np.isnan(R[asked]) and np.isnan(R[plain]))
        method = "mean"
    table = quantile(variable, DESIGNS[design](), PROBABILITIES, method=method, level=level)
    assert isinstance(table, EstimateTable)
    assert table.domains == tuple(PROBABILITIES)
    ci = table.confidence_interval()
    for i, p in enumerate(PROBABILITIES):
        key = (design, "quantile", f"{variable}:{method}:{level}:{p}")
        assert table.estimate[i] == R[(*key, "estimate")]
        assert_allclose(
            [ci.low[i], ci.high[i], table.standard_error[i]],
            [R[(*key, "low")], R[(*key, "high")], R[(*key, "se")]],
            rtol=1e-12,
        )


@pytest.mark.parametrize("design", ["fpc", "adjust", "two_stage", "poststrat"])
def test_medians_and_variances_in_domains(design: str) -> None:
    medians = quantile("y", DESIGNS[design](), 0.5, by="grp")
    assert isinstance(medians, EstimateTable)
    ci = medians.confidence_interval()
    for i, label in enumerate(medians.domains):
        key = (design, "quantile_by_g", f"y:mean:0.95:0.5:{label}")
        assert medians.estimate[i] == R[(*key, "estimate")]
        assert_allclose(medians.standard_error[i], R[(*key, "se")], rtol=1e-12)
        assert_allclose([ci.low[i], ci.high[i]], [R[(*key, "low")], R[(*key, "high")]])
    variances = var("y", DESIGNS[design](), by="grp")
    assert isinstance(variances, EstimateTable)
    for i, label in enumerate(variances.domains):
        key = (design, "var_by_g", str(label))
        assert_allclose(variances.estimate[i], R[(*key, "estimate")], rtol=1e-12)
        assert_allclose(variances.standard_error[i], R[(*key, "se")], rtol=1e-10)


@pytest.mark.parametrize("design", QUANTILE_DESIGNS)
def test_variance(design: str) -> None:
    result = var("y", DESIGNS[design]())
    assert isinstance(result, Estimate)
    assert result.kind == "variance"
    assert_allclose(result.estimate, R[(design, "var", "y", "estimate")], rtol=1e-12)
    assert_allclose(result.standard_error, R[(design, "var", "y", "se")], rtol=1e-10)


def test_one_probability_gives_an_estimate_whose_interval_can_be_asked_again() -> None:
    design = DESIGNS["fpc"]()
    median = quantile("y", design, 0.5)
    assert isinstance(median, Estimate)
    key = ("fpc", "quantile", "y:mean:0.95:0.5")
    assert median.estimate == R[(*key, "estimate")]
    narrow = median.confidence_interval(level=0.9, method="beta")
    other = ("fpc", "quantile", "y:beta:0.9:0.5")
    assert_allclose([narrow.low, narrow.high], [R[(*other, "low")], R[(*other, "high")]])
    assert narrow.method == "beta"
    # a table's row keeps its interval too
    assert quantile(FRAME["y"].to_numpy(), design, [0.5])[0.5].confidence_interval().low == (
        median.confidence_interval().low
    )
    assert np.isfinite(median.standard_error)
