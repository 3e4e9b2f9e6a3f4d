"""Two-stage designs with lonely units against R survey (tests/reference/lonely_ssu.R).

A PSU with one sampled second-stage unit and a stratum with one PSU, under every lonely-PSU
policy: the "adjust" path centres the lonely unit at the grand mean in both stages.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import read_reference_columns, read_reference_csv
from numpy.testing import assert_allclose

from vpt_monitor.stats import Estimate, EstimateTable, SurveyDesign, mean, total

R = {
    (r["policy"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("lonely_ssu.csv")
}
DATA = read_reference_columns("lonely_ssu_data.csv")


def _design(policy: str) -> SurveyDesign:
    return SurveyDesign(
        weights=np.array(DATA["w"], dtype=float),
        strata=DATA["h"],
        clusters=DATA["psu"],
        fpc=np.array(DATA["fpc1"], dtype=float),
        fpc2=np.array(DATA["fpc2"], dtype=float),
        lonely_psu=policy,
    )


@pytest.mark.parametrize("policy", ["adjust", "certainty", "remove"])
def test_lonely_units_in_both_stages(policy: str) -> None:
    y = np.array(DATA["y"], dtype=float)
    design = _design(policy)
    for name, estimator in (("mean", mean), ("total", total)):
        est = estimator(y, design)
        assert isinstance(est, Estimate)
        assert_allclose(est.estimate, R[(policy, name, "", "estimate")], rtol=1e-12)
        assert_allclose(est.standard_error, R[(policy, name, "", "se")], rtol=1e-10)
    table = mean(y, design, by=np.array(DATA["dom"], dtype=object))
    assert isinstance(table, EstimateTable)
    for label, est in table:
        assert_allclose(est.standard_error, R[(policy, "mean", str(label), "se")], rtol=1e-10)


def test_the_adjust_policy_differs_from_the_others() -> None:
    y = np.array(DATA["y"], dtype=float)
    adjusted = mean(y, _design("adjust"))
    certain = mean(y, _design("certainty"))
    assert isinstance(adjusted, Estimate)
    assert isinstance(certain, Estimate)
    assert adjusted.standard_error > certain.standard_error * 1.01
    with pytest.raises(ValueError, match="stratum 's2' has only one PSU"):
        _design("fail")
