"""Models within one wave of a design delivered with replicate weights, against R survey.

``tests/reference/agency_replicate.R`` on ``agency_replicate_respondents.csv``
(``make_agency_replicate_data.py``): three waves with reused stratum and cluster labels, a
census stratum, missing answers and attributes, a form not asked in 2014, and JKn replicate
weights supplied as columns. R's ``svyglm`` on ``subset(<svrepdesign>, wave == w & ...)``
refers its t and F statistics to the degrees of freedom of the rows fitted (the rank of
their replicate weights minus one, ``degf`` of the subset), not to those of all three waves:
a model of one wave of 14 PSUs has about 12, not 42 - 3. ``model(..., wave=w)`` fits the
same rows as a domain of the full design and must give the same degrees of freedom.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import REFERENCE, read_reference_csv
from numpy.testing import assert_allclose

from vpt_monitor import MonitorData, model
from vpt_monitor.stats import ReplicateDesign, glm

R = {
    (r["model"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("agency_replicate.csv")
}
FRAME = pd.read_csv(
    REFERENCE / "agency_replicate_respondents.csv",
    dtype={"gender": str, "contact": str, "training": "Int64"},
)
RSCALES = pd.read_csv(REFERENCE / "agency_replicate_rscales.csv")["rscale"].to_numpy()
MODELS = {  # key: formula, wave, term tested
    "gender_training_2018": ("victimised ~ gender + training", 2018, "gender"),
    "group_training_2016": ("victimised ~ group + training", 2016, "group"),
}


def _data() -> MonitorData:
    replicates = [c for c in FRAME.columns if c.startswith("rep")]
    data = MonitorData.from_columns(FRAME.drop(columns=replicates))
    design = ReplicateDesign.from_frame(
        FRAME, weights="weight", replicate_weights="rep", method="jkn", rscales=RSCALES
    )
    assert design.df == R[("design", "df")]
    return data.with_design(design)


def _r(key: str, quantity: str, size: int) -> list[float]:
    return [R[(key, f"{quantity}{i + 1}")] for i in range(size)]


@pytest.mark.parametrize("key", sorted(MODELS))
def test_model_of_one_wave_takes_the_df_of_its_rows(key: str) -> None:
    formula, wave, term = MODELS[key]
    fit = model(_data(), formula, wave=wave)
    size = len(fit.params)
    assert_allclose(fit.params, _r(key, "coef", size), rtol=1e-9)
    assert_allclose(fit.standard_errors, _r(key, "se", size), rtol=1e-9)
    # the fault: df_residual was 42 + 1 - p, the replicate design's over all waves
    assert fit.df_residual == R[(key, "df_residual")]
    assert_allclose(fit.to_pandas()["p_value"], _r(key, "p", size), rtol=1e-8)
    test = fit.wald_test(term)
    assert test.ddf == R[(key, "df_residual")]
    assert_allclose(
        [test.statistic, test.p_value], [R[(key, "wald_F")], R[(key, "wald_p")]], rtol=1e-8
    )


def test_a_domain_fit_and_a_subset_fit_agree() -> None:
    # glm on the full replicate design with rows left out as a domain (na="domain") and on
    # its subset are one fit: same coefficients, same degrees of freedom
    design = ReplicateDesign.from_frame(
        FRAME, weights="weight", replicate_weights="rep", method="jkn", rscales=RSCALES
    )
    counts = FRAME["incidents:verbaal"]
    asked = ((FRAME["wave"] == 2016) & counts.notna()).to_numpy()
    frame = FRAME.assign(
        y=np.where(asked, counts.gt(0), np.nan), t=FRAME["training"].astype("float64")
    )
    whole = glm("y ~ t", frame, design, family="quasibinomial", na="domain")
    inside = asked & frame["t"].notna().to_numpy()
    part = glm("y ~ t", frame, design.subset(inside), family="quasibinomial", na="domain")
    assert_allclose(whole.params, part.params, rtol=1e-10)
    assert whole.df_residual == part.df_residual < design.df - 1
