"""Printed results use fixed notation (new-user trial: an SE printed as 3.2e-05).

The rule (vpt_monitor.stats._print): one number of decimals per column, enough for the
column's largest value to show 4 significant digits (3 for design effects and ratios), never
scientific notation; a single value (Estimate, ConfidenceInterval) to its own digits.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from vpt_monitor import detectable_change, plan_sample
from vpt_monitor._format import language
from vpt_monitor.stats import SurveyDesign, glm, mean, proportion, total, weight_diagnostics
from vpt_monitor.stats._print import decimals, fixed, fixed_one
from vpt_monitor.synth import simulate

SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")

RNG = np.random.default_rng(7)
Y = RNG.normal(loc=1.0, size=60)
BY = np.arange(60) % 3
DESIGN = SurveyDesign(weights=np.ones(60), clusters=np.arange(60) // 2)


@pytest.mark.parametrize("scale", [1e-5, 1e-9, 1.0, 1e9, 1e13])
def test_an_estimate_table_prints_tiny_and_huge_values_in_fixed_notation(scale: float) -> None:
    table = mean(Y * scale, DESIGN, by=BY)
    text = repr(table)
    assert not SCIENTIFIC.search(text), text
    # the standard error keeps its significant digits: 4 for the column's largest
    se = fixed(table.standard_error)
    assert all(cell in text for cell in se)
    largest = max(table.standard_error)
    shown = float(se[int(np.argmax(table.standard_error))])
    assert shown == pytest.approx(largest, rel=1e-3)


def test_a_tiny_standard_error_is_shown_with_its_digits() -> None:
    table = mean(Y * 1e-4, DESIGN, by=BY)
    rows = repr(table).splitlines()[2:]
    se = float(rows[0].split()[2])
    assert 0 < se == pytest.approx(table.standard_error[0], rel=1e-3)
    assert "0.0000" in rows[0]  # fixed notation, e.g. 0.00002567


@pytest.mark.parametrize("scale", [1e-7, 1.0, 1e12])
def test_an_estimate_and_its_interval_print_in_fixed_notation(scale: float) -> None:
    estimate = mean(Y * scale, DESIGN)
    text = repr(estimate) + repr(estimate.confidence_interval())
    assert not SCIENTIFIC.search(text), text
    number = float(re.search(r"mean: (-?[\d.]+)", text).group(1))  # type: ignore[union-attr]
    assert number == pytest.approx(estimate.estimate, rel=1e-5)
    assert "df=29," in text  # degrees of freedom whole
    big = total(Y * scale, DESIGN)
    assert not SCIENTIFIC.search(repr(big))


def test_weight_diagnostics_print_large_weights_whole() -> None:
    weights = np.where(np.arange(60) % 2 == 0, 123456.7, 0.00004321)
    text = str(weight_diagnostics(SurveyDesign(weights=weights)))
    assert not SCIENTIFIC.search(text), text
    assert "123457" in text  # was 1.235e+05


def test_a_model_prints_small_coefficients_in_fixed_notation() -> None:
    data = {"y": Y, "x": np.linspace(0, 1e6, 60)}
    fit = glm("y ~ x", data, DESIGN)
    text = repr(fit)
    assert not SCIENTIFIC.search(text), text


def test_plan_tables_print_in_fixed_notation_with_labels() -> None:
    data = simulate(waves=(2014, 2016), scale=0.3, seed=2)
    for plan in (plan_sample(data, response_rate=0.4), detectable_change(data, by="office")):
        text = repr(plan)
        assert not SCIENTIFIC.search(text), text
        assert "employee" in text
    with language("nl"):  # the domains named as in the other printed tables
        assert "overheidsmedewerker" in repr(plan_sample(data))


def test_the_rule() -> None:
    assert decimals([0.000032, 0.00001]) == 8
    assert decimals([123456.0]) == 0
    assert decimals([1e-30]) == 12  # at most 12 decimals
    assert decimals([float("nan")]) == 2
    assert fixed([0.25, float("inf"), -0.00001]) == ["0.25", "inf", "0.00"]
    assert fixed([1.0, 1.5, 4.0]) == ["1.0", "1.5", "4.0"]  # zeros all share are dropped
    assert fixed_one(-0.0) == "0"
    assert fixed_one(1.5e15) == "1500000000000000"


# ---- notebooks: every result shows its flags and its numbers as printed ---------------------


def test_a_separated_model_says_so_in_a_notebook_and_in_its_frame() -> None:
    # The new-user trial: a separated fit printed flags=('separation',) as text, but its
    # HTML and its frame showed t=238.8, p=2.78e-160 with nothing to say it is unusable
    rng = np.random.default_rng(13)
    x = rng.normal(size=120)
    design = SurveyDesign(weights=rng.uniform(1, 3, 120), clusters=np.arange(120) // 4)
    with pytest.warns(UserWarning, match="separation"):
        fit = glm("y ~ x", {"y": (x > 0).astype(float), "x": x}, design, family="binomial")
    page = fit._repr_html_()
    assert page is not None
    assert "flags=(&#x27;separation&#x27;" in page  # the header, as repr prints it
    assert "<b>Warning:</b> perfect or quasi-complete separation" in page
    assert not SCIENTIFIC.search(page)
    frame = fit.to_pandas()
    assert "separation" in frame.attrs["flags"]
    assert "run off to infinity" in frame.attrs["flag_detail"]
    assert frame.attrs["formula"] == "y ~ x"
    # a model without flags shows no warning
    plain = glm("y ~ x", {"y": x + rng.normal(size=120), "x": x}, design)
    assert "Warning" not in (plain._repr_html_() or "")


def test_tests_print_p_values_as_the_coefficient_tables_do() -> None:
    from vpt_monitor.stats import t_test

    rng = np.random.default_rng(5)
    design = SurveyDesign(weights=np.ones(80), clusters=np.arange(80) // 2)
    group = np.arange(80) % 2
    result = t_test(rng.normal(size=80) + 3.0 * group, group, design)
    text = repr(result)
    assert "p<0.0001" in text
    assert not SCIENTIFIC.search(text), text
    frame = result.to_pandas()
    assert frame.shape[0] == 1
    assert frame.loc[0, "p_value"] == result.p_value  # the frame keeps every digit
    assert frame.loc[0, "low"] < result.estimate < frame.loc[0, "high"]
    page = result._repr_html_()
    assert page is not None
    assert "<td>&lt;0.0001</td>" in page  # in the table, not only the title line
    assert not SCIENTIFIC.search(page)


def test_the_monitors_tables_show_in_a_notebook_without_scientific_notation() -> None:
    from vpt_monitor import change, decompose_change, maturity_sensitivity, trend, victimisation
    from vpt_monitor.indicators.policy import AGGRESSION_SCHEME

    data = simulate(waves=(2014, 2016), scale=0.3, seed=2)
    table = victimisation(data, by=("wave", "office"))
    results = [
        change(table, between=(2014, 2016)),
        trend(victimisation(data, by="wave")),
        plan_sample(data, response_rate=0.4),
        decompose_change(data, factor="contact"),
        maturity_sensitivity(simulate(waves=(2016,), scale=0.3), AGGRESSION_SCHEME, draws=30),
    ]
    for result in results:
        page = result._repr_html_()
        assert page is not None
        title = repr(result).splitlines()[0]
        assert page.startswith(f"<p><b>{title.replace(chr(39), '&#x27;')}</b></p>")
        assert "<table" in page
        assert not SCIENTIFIC.search(page), type(result).__name__
    # the change table names its domains in the session's language, as it prints them
    assert "employee" in results[0]._repr_html_()  # type: ignore[operator]
    with language("nl"):
        assert "overheidsmedewerker" in results[0]._repr_html_()  # type: ignore[operator]


def test_a_models_notebook_view_gives_each_coefficient_its_digits() -> None:
    # A reviewer's trial: income in euros has a coefficient of 0.000045, which a column of
    # one number of decimals showed as 0.000 beside the intercept
    rng = np.random.default_rng(9)
    n = 400
    income = rng.uniform(20_000, 90_000, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(-2.0 + 0.00004 * income)))).astype(float)
    design = SurveyDesign(weights=np.ones(n), clusters=np.arange(n) // 4)
    fit = glm("y ~ income", {"y": y, "income": income}, design, family="binomial")
    page = fit._repr_html_()
    assert page is not None
    slope = fit.params[1]
    from vpt_monitor.stats._print import fixed_one

    assert f"<td>{fixed_one(slope, 5)}</td>" in page
    assert fixed_one(slope, 5) in repr(fit)  # as printed
    assert not SCIENTIFIC.search(page)


def test_the_monitors_tables_name_their_domains_in_a_notebook() -> None:
    from vpt_monitor import maturity_sensitivity, victimisation
    from vpt_monitor.indicators.policy import AGGRESSION_SCHEME

    data = simulate(waves=(2014, 2016), scale=0.3, seed=2)
    table = victimisation(data, by=("wave", "office"))
    page = table._repr_html_()
    assert page is not None
    assert page.startswith("<p><b>EstimateTable(")
    assert "2016, employee" in page
    assert not SCIENTIFIC.search(page)
    plan = plan_sample(data, response_rate=0.4)._repr_html_()
    assert plan is not None
    assert "employee" in plan
    sensitivity = maturity_sensitivity(
        simulate(waves=(2016,), scale=0.3), AGGRESSION_SCHEME, draws=30
    )
    shown = sensitivity._repr_html_()
    assert shown is not None
    assert "employee" in shown or "state" in shown  # labels beside the codes
    # a chance of ranking first is a share, not a p-value: never "<0.0001"
    assert "&lt;0.0001" not in shown


def test_an_estimate_converts_to_a_frame_with_a_tables_columns() -> None:
    # An analyst's trial: EstimateTable had to_pandas and to_polars, a single Estimate
    # neither, so an overall figure could not be put beside the domains' with concat.
    pd = pytest.importorskip("pandas")
    design = SurveyDesign(weights=[1.0, 2.0, 1.0, 3.0, 2.0], strata=[1, 1, 2, 2, 2])
    y = [1, 0, 1, 1, 0]
    overall = proportion(y, design)
    table = proportion(y, design, by=["a", "a", "b", "b", "b"])
    one = overall.to_pandas(level=0.9)
    assert list(one.columns) == list(table.to_pandas().columns)
    ci = overall.confidence_interval(level=0.9)
    assert one.loc[0, "low"] == ci.low
    assert one.loc[0, "high"] == ci.high
    assert one.loc[0, "estimate"] == overall.estimate
    assert one.loc[0, "n"] == 5
    both = pd.concat([table.to_pandas().reset_index(), one.assign(domain="all")])
    assert both["domain"].tolist() == ["a", "b", "all"]
    pl = pytest.importorskip("polars")
    assert overall.to_polars().columns == list(one.columns)
    assert isinstance(overall.to_polars(), pl.DataFrame)


@pytest.mark.parametrize("chosen", ["en", "nl"])
def test_a_level_of_99_5_percent_prints_as_such_not_as_100(chosen: str) -> None:
    # a reviewer's trial: level=0.995 printed "logit 100% intervals" (':.0%' rounds)
    from vpt_monitor import change, victimisation

    data = simulate(waves=(2014, 2016), scale=0.1)
    with language(chosen):
        table = victimisation(data, by=("wave", "group"), level=0.995)
        title = str(table).splitlines()[0]
        heading = str(change(table, between=(2014, 2016))).splitlines()[1]
    shown = "99,5%" if chosen == "nl" else "99.5%"
    assert shown in title
    assert (f"{shown}-interval" if chosen == "nl" else f"{shown} interval") in heading
    assert "100%" not in title + heading
    assert "90% intervals" in str(  # a whole level keeps no decimals
        proportion([0, 1, 1, 0], SurveyDesign(weights=[1.0] * 4), by=[0, 0, 1, 1], level=0.9)
    )
