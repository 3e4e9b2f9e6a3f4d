"""The library's distribution functions are scipy.stats' own, without importing it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

from vpt_monitor.stats import _distributions as dist

PROBABILITIES = st.floats(1e-12, 1 - 1e-12)
DF = st.one_of(st.floats(0.05, 1e7), st.just(np.inf))
SHAPES = st.floats(1e-3, 1e4)
VALUES = st.floats(-1e3, 1e3)


@settings(max_examples=200)
@given(VALUES, PROBABILITIES, DF)
def test_student_t(x: float, p: float, df: float) -> None:
    assert_allclose(dist.t_sf(x, df), stats.t.sf(x, df), rtol=1e-13, atol=1e-300)
    assert_allclose(dist.t_ppf(p, df), stats.t.ppf(p, df), rtol=1e-13)
    assert_allclose(dist.t_isf(p, df), stats.t.isf(p, df), rtol=1e-13)


@settings(max_examples=200)
@given(PROBABILITIES, SHAPES, SHAPES)
def test_beta(p: float, a: float, b: float) -> None:
    assert_allclose(dist.beta_ppf(p, a, b), stats.beta.ppf(p, a, b), rtol=1e-13, atol=1e-300)
    assert_allclose(dist.beta_isf(p, a, b), stats.beta.isf(p, a, b), rtol=1e-13, atol=1e-300)


@settings(max_examples=200)
@given(st.floats(-1e4, 1e4), st.floats(0.1, 1e4), DF)
def test_f_and_chi_square(x: float, dfn: float, dfd: float) -> None:
    if np.isfinite(dfd):
        assert_allclose(dist.f_sf(x, dfn, dfd), stats.f.sf(x, dfn, dfd), rtol=1e-12, atol=1e-300)
    assert_allclose(dist.chi2_sf(x, dfn), stats.chi2.sf(x, dfn), rtol=1e-12, atol=1e-300)


def test_the_ends_of_the_distributions_as_scipy_stats() -> None:
    for df in (0.5, 5.0, np.inf):
        assert dist.t_ppf(0.0, df) == stats.t.ppf(0.0, df) == -np.inf
        assert dist.t_ppf(1.0, df) == stats.t.ppf(1.0, df) == np.inf
        assert dist.t_isf(0.0, df) == stats.t.isf(0.0, df) == np.inf
        assert dist.t_isf(1.0, df) == stats.t.isf(1.0, df) == -np.inf
    # a statistic below 0 (a quadratic form that rounding made negative) has p = 1
    assert dist.f_sf(-5.9e16, 2.0, 50.0) == stats.f.sf(-5.9e16, 2.0, 50.0) == 1.0
    assert dist.chi2_sf(-1e-12, 3.0) == stats.chi2.sf(-1e-12, 3.0) == 1.0
    assert np.isnan(dist.f_sf(np.nan, 2.0, 50.0))


def test_invalid_parameters_give_nan_as_scipy_stats() -> None:
    for df in (0.0, -1.0, np.nan):
        assert np.isnan(dist.t_isf(0.025, df))
        assert np.isnan(stats.t.isf(0.025, df))
    assert np.isnan(dist.beta_ppf(0.025, 0.0, 3.0))
    assert np.isnan(dist.beta_isf(0.025, 2.5, 0.0))


def test_the_statistics_never_import_scipy_stats() -> None:
    # scipy.stats takes about a second to import; every interval and test avoids it
    code = (
        "import sys\n"
        "from vpt_monitor.synth import simulate\n"
        "from vpt_monitor import victimisation, change\n"
        "from vpt_monitor.stats import proportion, t_test\n"
        "data = simulate(seed=1, scale=0.05)\n"
        "table = victimisation(data, by=('wave', 'group'))\n"
        "table.confidence_interval()\n"
        "change(table)\n"
        "print('scipy.stats' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
