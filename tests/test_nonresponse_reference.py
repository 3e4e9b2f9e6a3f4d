"""adjust_nonresponse against R survey (tests/reference/nonresponse.R).

The weighting-class adjustment of the sample's weights to its respondents, then the
respondents' design (the sample's strata, clusters and fpc, the adjusted weights as given):
weights, means, totals and domain means with their standard errors.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import read_reference_csv
from numpy.testing import assert_allclose
from test_design_reference import DATA

from vpt_monitor.stats import EstimateTable, SurveyDesign, adjust_nonresponse, mean, total

R = {
    (r["case"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("nonresponse.csv")
}
RESPONDED = (np.arange(1, len(DATA["weight"]) + 1) % 5) != 0  # R: every row but each fifth


def _adjusted(case: str) -> SurveyDesign:
    design = SurveyDesign(
        weights=DATA["weight"],
        strata=DATA["stratum"],
        clusters=DATA["cluster"],
        fpc=DATA["fpc"] if case == "fpc" else None,
        lonely_psu="certainty",
    )
    adjusted = adjust_nonresponse(design, RESPONDED, DATA["g"])
    assert isinstance(adjusted, SurveyDesign)
    return adjusted


def test_the_adjusted_weights_equal_r() -> None:
    weights = _adjusted("plain").weights
    for i in (1, 2, 50, 120, int(RESPONDED.sum())):
        assert_allclose(weights[i - 1], R[("nonresponse", "weight", str(i), "value")], rtol=1e-14)
    assert_allclose(weights.sum(), R[("nonresponse", "weight", "sum", "value")], rtol=1e-14)


@pytest.mark.parametrize("case", ["plain", "fpc"])
def test_estimates_on_the_respondents_equal_r(case: str) -> None:
    design = _adjusted(case)
    y = DATA["y"][RESPONDED]
    for name, estimator in (("mean", mean), ("total", total)):
        whole = estimator(y, design)
        assert_allclose(whole.estimate, R[(case, name, "", "estimate")], rtol=1e-12)
        assert_allclose(whole.standard_error, R[(case, name, "", "se")], rtol=1e-10)
    by = mean(y, design, by=DATA["g"][RESPONDED])
    assert isinstance(by, EstimateTable)
    for i, label in enumerate(by.domains):
        assert_allclose(by.estimate[i], R[(case, "mean", str(label), "estimate")], rtol=1e-12)
        assert_allclose(by.standard_error[i], R[(case, "mean", str(label), "se")], rtol=1e-10)
