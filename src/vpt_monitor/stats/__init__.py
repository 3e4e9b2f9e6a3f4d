"""Design-based survey statistics on plain arrays and data frames.

This subpackage knows nothing of the monitor: it offers confidence intervals for counts,
survey designs, estimators (means, totals, ratios, proportions, quantiles, variances and
contrasts of them), generalised linear models and tests, and calibration, all working on
numpy arrays or on the columns of a pandas or polars data frame kept by the design, and the
result types the whole library returns. Every variance comes from one routine,
:mod:`vpt_monitor.stats.variance`.
"""

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
