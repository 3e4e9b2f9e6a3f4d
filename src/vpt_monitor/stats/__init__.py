"""Design-based survey statistics on plain arrays and data frames.

This subpackage knows nothing of the monitor: it offers confidence intervals for counts,
survey designs, estimators (means, totals, ratios, proportions, quantiles, variances and
contrasts of them), generalised linear models and tests, and calibration, all working on
numpy arrays or on the columns of a pandas or polars data frame kept by the design, and the
result types the whole library returns. Every variance comes from one routine,
:mod:`vpt_monitor.stats.variance`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vpt_monitor._lazy import loader

if TYPE_CHECKING:
    from vpt_monitor.stats._interval import ConfidenceInterval
    from vpt_monitor.stats._test_result import TestResult
    from vpt_monitor.stats.calibration import calibrate, poststratify, rake
    from vpt_monitor.stats.design import ReplicateDesign, SurveyDesign
    from vpt_monitor.stats.diagnostics import WeightDiagnostics, weight_diagnostics
    from vpt_monitor.stats.estimators import contrast, mean, proportion, ratio, total
    from vpt_monitor.stats.hypothesis_tests import chisq_test, t_test
    from vpt_monitor.stats.intervals import difference_ci, proportion_ci, rate_ci
    from vpt_monitor.stats.models import GLMResult, glm
    from vpt_monitor.stats.planning import detectable_difference, sample_size_proportion
    from vpt_monitor.stats.quantiles import quantile, var
    from vpt_monitor.stats.results import Estimate, EstimateTable
    from vpt_monitor.stats.weighting import adjust_nonresponse, trim_weights

#: Where each public name lives; imported on first use (PEP 562), so that a reader that
#: needs one small helper of this package (label matching) does not load scipy and the
#: estimators with it.
_WHERE = {
    "adjust_nonresponse": "vpt_monitor.stats.weighting",
    "calibrate": "vpt_monitor.stats.calibration",
    "chisq_test": "vpt_monitor.stats.hypothesis_tests",
    "ConfidenceInterval": "vpt_monitor.stats._interval",
    "contrast": "vpt_monitor.stats.estimators",
    "detectable_difference": "vpt_monitor.stats.planning",
    "difference_ci": "vpt_monitor.stats.intervals",
    "Estimate": "vpt_monitor.stats.results",
    "EstimateTable": "vpt_monitor.stats.results",
    "glm": "vpt_monitor.stats.models",
    "GLMResult": "vpt_monitor.stats.models",
    "mean": "vpt_monitor.stats.estimators",
    "poststratify": "vpt_monitor.stats.calibration",
    "proportion": "vpt_monitor.stats.estimators",
    "proportion_ci": "vpt_monitor.stats.intervals",
    "quantile": "vpt_monitor.stats.quantiles",
    "rake": "vpt_monitor.stats.calibration",
    "rate_ci": "vpt_monitor.stats.intervals",
    "ratio": "vpt_monitor.stats.estimators",
    "ReplicateDesign": "vpt_monitor.stats.design",
    "sample_size_proportion": "vpt_monitor.stats.planning",
    "SurveyDesign": "vpt_monitor.stats.design",
    "t_test": "vpt_monitor.stats.hypothesis_tests",
    "TestResult": "vpt_monitor.stats._test_result",
    "total": "vpt_monitor.stats.estimators",
    "trim_weights": "vpt_monitor.stats.weighting",
    "var": "vpt_monitor.stats.quantiles",
    "weight_diagnostics": "vpt_monitor.stats.diagnostics",
    "WeightDiagnostics": "vpt_monitor.stats.diagnostics",
}


__getattr__ = loader("vpt_monitor.stats", _WHERE, globals())


__all__ = [
    "ConfidenceInterval",
    "Estimate",
    "EstimateTable",
    "GLMResult",
    "ReplicateDesign",
    "SurveyDesign",
    "TestResult",
    "WeightDiagnostics",
    "adjust_nonresponse",
    "calibrate",
    "chisq_test",
    "contrast",
    "detectable_difference",
    "difference_ci",
    "glm",
    "mean",
    "poststratify",
    "proportion",
    "proportion_ci",
    "quantile",
    "rake",
    "rate_ci",
    "ratio",
    "sample_size_proportion",
    "t_test",
    "total",
    "trim_weights",
    "var",
    "weight_diagnostics",
]
