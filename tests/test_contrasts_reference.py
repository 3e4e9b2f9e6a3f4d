"""Contrasts against R survey 4.1 (tests/reference/contrasts.R): issues 10.6, 10.7, 10.8, 17.4.

A panel of organisations surveyed in several waves with the same cluster labels: the waves
share PSUs, so a change between them has a covariance term, and its degrees of freedom are
those of the waves' rows (R's degf of the subset design), not the whole design's.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import numpy as np
import pytest
from conftest import read_reference_columns, read_reference_csv
from numpy.testing import assert_allclose
from scipy import stats
from test_design_reference import DATA, DESIGNS

from vpt_monitor import change
from vpt_monitor.stats import (
    Estimate,
    EstimateTable,
    SurveyDesign,
    contrast,
    mean,
    proportion,
)

RTOL = 1e-8
R = {
    (r["design"], r["estimator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("contrasts.csv")
}
_COLUMNS = read_reference_columns("panel_data.csv")
PANEL = {
    "wave": np.array(_COLUMNS["wave"], dtype=int),
    "layer": np.array(_COLUMNS["layer"]),
    "org": np.array(_COLUMNS["org"], dtype=int),
    "fpc": np.array(_COLUMNS["fpc"], dtype=float),
    "weight": np.array(_COLUMNS["weight"], dtype=float),
    "victim": np.array(_COLUMNS["victim"], dtype=float),
    "score": np.array(_COLUMNS["score"], dtype=float),
}
PAIRS = [(2014, 2016), (2012, 2014), (2012, 2016)]


def _panel() -> SurveyDesign:
    return SurveyDesign(
        weights=PANEL["weight"], strata=PANEL["layer"], clusters=PANEL["org"], fpc=PANEL["fpc"]
    )


def _by_wave(variable: str) -> EstimateTable:
    design = _panel()
    if variable == "victim":
        table = proportion(PANEL["victim"], design, by=PANEL["wave"])
    else:
        table = mean(PANEL["score"], design, by=PANEL["wave"])
    assert isinstance(table, EstimateTable)
    return table


def _key(pair: tuple[int, int]) -> str:
    return f"{pair[1]}-{pair[0]}"


@pytest.mark.parametrize("variable", ["victim", "score"])
def test_panel_domains_and_their_covariance(variable: str) -> None:
    # R: svyby(~victim, ~wave, d, svymean, covmat=TRUE)
    table = _by_wave(variable)
    assert table.domains == (2012, 2014, 2016)
    for label, est in table:
        assert_allclose(est.estimate, R[("panel", variable, str(label), "estimate")], rtol=RTOL)
        assert_allclose(est.standard_error, R[("panel", variable, str(label), "se")], rtol=RTOL)
    expected = [
        [R[("panel", f"{variable}_cov", f"{a}:{b}", "value")] for b in table.domains]
        for a in table.domains
    ]
    assert_allclose(table.covariance, expected, rtol=RTOL)
    # the waves share PSUs: their estimates are correlated
    assert table.covariance[1, 2] > 0


@pytest.mark.parametrize("pair", PAIRS)
def test_degrees_of_freedom_of_a_pair_of_waves(pair: tuple[int, int]) -> None:
    # R: degf(subset(d, wave %in% c(a, b)))
    table = _by_wave("victim")
    assert table.degrees_of_freedom(pair) == R[("panel", "df", _key(pair), "value")]
    assert table.degrees_of_freedom(pair[::-1]) == table.degrees_of_freedom(pair)
    # it survives reindexing (with an empty domain) and relabelling
    wide = table.reindex([2010, *table.domains])
    assert wide.degrees_of_freedom(pair) == R[("panel", "df", _key(pair), "value")]
    assert wide.degrees_of_freedom([2010]) == 0
    renamed = attrs.evolve(table, domains=("w12", "w14", "w16"))
    names = tuple(f"w{w % 100}" for w in pair)
    assert renamed.degrees_of_freedom(names) == R[("panel", "df", _key(pair), "value")]


@pytest.mark.parametrize("variable", ["victim", "score"])
@pytest.mark.parametrize("pair", PAIRS)
def test_difference_and_ratio_of_waves(variable: str, pair: tuple[int, int]) -> None:
    # R: svycontrast(p, c(b=1, a=-1)); svycontrast(p, quote(b / a));
    #    exp(confint(svycontrast(p, quote(log(b / a))), df=degf(subset(...))))
    table = _by_wave(variable)
    first, last = pair
    key = _key(pair)
    df = R[("panel", "df", key, "value")]
    difference = contrast(table, {last: 1, first: -1})
    assert_allclose(
        difference.estimate, R[("panel", f"{variable}_difference", key, "estimate")], rtol=RTOL
    )
    assert_allclose(
        difference.standard_error, R[("panel", f"{variable}_difference", key, "se")], rtol=RTOL
    )
    assert difference.df == df
    times = contrast(table, lambda b, a: b / a, domains=(last, first), method="log")
    assert_allclose(times.estimate, R[("panel", f"{variable}_ratio", key, "estimate")], rtol=RTOL)
    assert_allclose(times.standard_error, R[("panel", f"{variable}_ratio", key, "se")], rtol=RTOL)
    assert times.df == df
    ci = times.confidence_interval()
    assert ci.method == "log"
    expected = [R[("panel", f"{variable}_ratio_log_ci", key, q)] for q in ("low", "high")]
    assert_allclose([ci.low, ci.high], expected, rtol=RTOL)


@pytest.mark.parametrize("pair", PAIRS)
def test_log_odds_ratio_of_waves(pair: tuple[int, int]) -> None:
    # R: svycontrast(p, quote(log((b / (1 - b)) / (a / (1 - a)))))
    table = _by_wave("victim")
    first, last = pair
    key = _key(pair)
    odds = contrast(
        table,
        lambda b, a: np.log((b / (1 - b)) / (a / (1 - a))),
        domains=(last, first),
    )
    assert_allclose(
        odds.estimate, R[("panel", "victim_log_odds_ratio", key, "estimate")], rtol=RTOL
    )
    assert_allclose(
        odds.standard_error, R[("panel", "victim_log_odds_ratio", key, "se")], rtol=RTOL
    )


@pytest.mark.parametrize("variable", ["victim", "score"])
def test_change_uses_the_covariance_between_waves(variable: str) -> None:
    # 17.4 and 10.8: vpt_monitor.change on a panel (waves share PSUs) against R's
    # svycontrast on svyby(covmat=TRUE): the difference, the ratio by the delta method, its
    # log-scale interval, and the df of the two waves' rows, degf(subset(d, wave %in% ...))
    table = attrs.evolve(_by_wave(variable), by=("wave",))
    for pair in PAIRS:
        key = _key(pair)
        result = change(table, between=pair, adjust="none")
        assert_allclose(
            result.estimate[0], R[("panel", f"{variable}_difference", key, "estimate")], rtol=RTOL
        )
        assert_allclose(
            result.standard_error[0], R[("panel", f"{variable}_difference", key, "se")], rtol=RTOL
        )
        assert result.df[0] == R[("panel", "df", key, "value")]
        independent = np.sqrt(
            table[pair[0]].standard_error ** 2 + table[pair[1]].standard_error ** 2
        )
        assert abs(result.standard_error[0] - independent) > 1e-3 * independent
        ratio = change(table, between=pair, adjust="none", kind="ratio")
        value = R[("panel", f"{variable}_ratio", key, "estimate")]
        se = R[("panel", f"{variable}_ratio", key, "se")]
        assert_allclose(ratio.estimate[0], value, rtol=RTOL)
        assert_allclose(ratio.standard_error[0], se, rtol=RTOL)
        ci = ratio.confidence_interval()
        low, high = (R[("panel", f"{variable}_ratio_log_ci", key, q)] for q in ("low", "high"))
        assert_allclose([ci.low[0], ci.high[0]], [low, high], rtol=RTOL)
        # the test of no change is on the log scale: log(r) / (se / r)
        expected = 2 * stats.t.sf(abs(np.log(value)) / (se / value), result.df[0])
        assert_allclose(ratio.p_value[0], expected, rtol=1e-10)


def test_change_within_a_layer_of_a_crossed_table() -> None:
    # R: svycontrast(svyby(~victim, ~wave + layer, ...), c("2016.gemeente"=1, ...)) and
    # degf(subset(d, wave %in% c(2014, 2016) & layer == "gemeente"))
    table = proportion(PANEL["victim"], _panel(), by=(PANEL["wave"], PANEL["layer"]))
    assert isinstance(table, EstimateTable)
    k = contrast(table, {(2016, "gemeente"): 1, (2014, "gemeente"): -1})
    key = ("panel", "victim_difference_gemeente", "2016-2014")
    assert_allclose(k.estimate, R[(*key, "estimate")], rtol=RTOL)
    assert_allclose(k.standard_error, R[(*key, "se")], rtol=RTOL)
    assert k.df == R[("panel", "df_gemeente", "2016-2014", "value")]
    shown = attrs.evolve(table, by=("wave", "layer"))
    result = change(shown, between=(2014, 2016), adjust="none")
    row = result.rows.index("gemeente")
    assert_allclose(result.standard_error[row], R[(*key, "se")], rtol=RTOL)
    assert result.df[row] == R[("panel", "df_gemeente", "2016-2014", "value")]
    # the census layer "rijk" has no sampling variance in either wave: no test, said why
    census = result.rows.index("rijk")
    assert np.isnan(result.p_value[census])
    assert not result.significant()[census]
    assert "zero_variance" in result.reasons[census]


def test_census_layer_has_zero_variance_flagged() -> None:
    # R: svyby(~victim, ~layer, d, svymean): SE 0 for the census layer "rijk"
    table = proportion(PANEL["victim"], _panel(), by=PANEL["layer"])
    assert isinstance(table, EstimateTable)
    for label, est in table:
        assert_allclose(est.estimate, R[("panel", "victim_by_layer", label, "estimate")])
        assert_allclose(est.standard_error, R[("panel", "victim_by_layer", label, "se")], atol=0)
    census = table["rijk"]
    assert census.standard_error == 0.0
    assert "zero_variance" in census.flags
    reliable, reasons = census.reliability()
    assert not reliable
    assert any("strata sampled completely" in reason for reason in reasons)
    assert all("zero_variance" not in est.flags for label, est in table if label != "rijk")


DOMAIN_PAIRS = [("a", "b"), ("a", "d"), ("b", "c"), ("c", "d"), ("a", "b", "c")]


@pytest.mark.parametrize("labels", DOMAIN_PAIRS)
@pytest.mark.parametrize("name", ["clus_certainty", "fpc"])
def test_degrees_of_freedom_of_domains(name: str, labels: tuple[str, ...]) -> None:
    # R: degf(subset(d, g %in% labels))
    table = mean(DATA["y"], DESIGNS[name](), by=DATA["g"])
    assert isinstance(table, EstimateTable)
    expected = R[(name, "df", "+".join(labels), "value")]
    assert table.degrees_of_freedom(labels) == expected
    if len(labels) == 2:
        assert contrast(table, {labels[0]: 1, labels[1]: -1}).df == expected


@pytest.mark.parametrize("name", ["clus_certainty", "fpc"])
def test_degrees_of_freedom_of_crossed_domains_on_the_sparse_path(name: str) -> None:
    # R: degf(subset(d, (g == "a" & g2 == "x") | (g == "b" & g2 == "y")))
    from vpt_monitor.stats import _cells

    limit = _cells.DENSE_LIMIT
    _cells.DENSE_LIMIT = 0
    try:
        table = mean(DATA["y"], DESIGNS[name](), by=(DATA["g"], DATA["g2"]))
    finally:
        _cells.DENSE_LIMIT = limit
    assert isinstance(table, EstimateTable)
    expected = R[(name, "df_crossed", "a.x+b.y", "value")]
    assert table.degrees_of_freedom([("a", "x"), ("b", "y")]) == expected


FUNCTIONS: dict[str, tuple[str, Callable[..., object], tuple[str, ...], str]] = {
    "proportion_ratio": ("a/b", lambda a, b: a / b, ("a", "b"), "b"),
    "proportion_log_odds_ratio": (
        "a:c",
        lambda a, c: np.log((a / (1 - a)) / (c / (1 - c))),
        ("a", "c"),
        "b",
    ),
    "mean_smooth": ("exp(a-b)*c/d", lambda a, b, c, d: np.exp(a - b) * c / d, tuple("abcd"), "y"),
}


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("name", ["clus_certainty", "fpc"])
def test_nonlinear_contrasts_of_domains(name: str, function: str) -> None:
    # R: svycontrast(svyby(~b, ~g, d, svymean, covmat=TRUE), quote(a / b)) and friends
    key, f, labels, variable = FUNCTIONS[function]
    design = DESIGNS[name]()
    if variable == "b":
        table = proportion(DATA["b"], design, by=DATA["g"])
    else:
        table = mean(DATA["y"], design, by=DATA["g"])
    assert isinstance(table, EstimateTable)
    est = contrast(table, f, domains=labels)
    assert_allclose(est.estimate, R[(name, function, key, "estimate")], rtol=RTOL)
    assert_allclose(est.standard_error, R[(name, function, key, "se")], rtol=RTOL)


@pytest.mark.parametrize("name", ["clus_certainty", "fpc"])
def test_nonlinear_contrast_on_a_replicate_design(name: str) -> None:
    # R: svycontrast(svyby(~b, ~g, as.svrepdesign(d, type="JKn"), svymean, covmat=TRUE), ...)
    table = proportion(DATA["b"], DESIGNS[name]().replicate("jkn"), by=DATA["g"])
    assert isinstance(table, EstimateTable)
    est = contrast(table, lambda a, b: a / b, domains=("a", "b"))
    assert isinstance(est, Estimate)
    key = (f"{name}_jkn", "proportion_ratio", "a/b")
    assert_allclose(est.estimate, R[(*key, "estimate")], rtol=RTOL)
    assert_allclose(est.standard_error, R[(*key, "se")], rtol=RTOL)


@pytest.mark.parametrize("variable", ["victim", "score"])
def test_contrast_of_a_reindexed_table_with_an_empty_domain(variable: str) -> None:
    # 10.6: an empty domain (NaN in the covariance factor) must not spill into a contrast
    # of other domains
    table = _by_wave(variable).reindex([2010, 2012, 2014, 2016])
    assert table.flags[0] == ("empty",)
    key = _key((2014, 2016))
    k = contrast(table, {2016: 1, 2014: -1})
    assert_allclose(k.standard_error, R[("panel", f"{variable}_difference", key, "se")], rtol=RTOL)
    assert k.flags == ()
    r = contrast(table, lambda b, a: b / a, domains=(2016, 2014))
    assert_allclose(r.standard_error, R[("panel", f"{variable}_ratio", key, "se")], rtol=RTOL)
    with_empty = contrast(table, {2016: 1, 2010: -1})
    assert np.isnan(with_empty.estimate)
    assert "empty" in with_empty.flags
