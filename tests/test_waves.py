"""Waves as independent samples, always explicit; change, trend and weights (issue 10)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from vpt_monitor import (
    METHOD_BREAKS,
    Channel,
    Estimate,
    EstimateTable,
    Form,
    MonitorData,
    Organisation,
    Respondent,
    Violation,
    change,
    cronbach_alpha,
    incidence,
    policy_coverage,
    policy_maturity,
    trend,
    victimisation,
    violation_rate,
)
from vpt_monitor.stats import SurveyDesign, contrast, poststratify, proportion, ratio


def _provinces(per_wave: int) -> MonitorData:
    """Two waves of a province survey with the stratum label reused, fpc 12 in each wave."""
    orgs = [
        Organisation(
            f"pv{i}",
            wave,
            "provincie",
            employees=500 + 10 * i,
            stratum="provincie",
            fpc=12,
            measures={"functiescheiding"} if (i + wave // 2) % 3 else set(),
        )
        for wave in (2014, 2016)
        for i in range(per_wave)
    ]
    return MonitorData.from_records([], organisations=orgs)


# ---- item 1: a stratum label reused across waves --------------------------------------------


def test_a_reused_stratum_label_does_not_pool_two_waves() -> None:
    data = _provinces(6)
    table = policy_coverage(data, "functiescheiding", by="wave")
    assert isinstance(table, EstimateTable)
    assert (table.standard_error > 0).all()
    # the same as a design with strata crossed with the wave (R: strata=~interaction(...))
    o = data.organisations
    design = SurveyDesign(weights=o["weight"], strata=o["wave"], fpc=np.full(12, 12.0))
    y = o["measures"][:, list(__import__("vpt_monitor").Measure).index("functiescheiding")]
    expected = proportion(y, design, by=o["wave"])
    assert isinstance(expected, EstimateTable)
    assert_allclose(table.standard_error, expected.standard_error, rtol=1e-12)
    assert_allclose(table.df, [5, 5])


def test_eight_provinces_a_wave_with_fpc_12_is_a_valid_design() -> None:
    table = policy_coverage(_provinces(8), "functiescheiding", by="wave")
    assert isinstance(table, EstimateTable)
    assert table.n.tolist() == [8, 8]


def test_clusters_reused_across_waves_are_different_psus() -> None:
    people = [
        Respondent(
            f"{w}-{i}",
            w,
            "gemeente",
            "ambtenaar",
            stratum="gemeente",
            cluster=f"gm{i % 4}",
            victimisations={"verbaal": 1} if i % 3 == 0 else {},
        )
        for w in (2014, 2016)
        for i in range(16)
    ]
    data = MonitorData.from_records(people)
    assert data.design.n_psu == 8
    assert data.design.n_strata == 2
    assert data.design.df == 6


def test_a_cluster_in_two_strata_of_one_wave_is_refused_with_its_labels() -> None:
    people = [
        Respondent("a", 2016, "gemeente", "ambtenaar", stratum="klein", cluster="gm1"),
        Respondent("b", 2016, "gemeente", "ambtenaar", stratum="groot", cluster="gm1"),
        Respondent("c", 2016, "gemeente", "ambtenaar", stratum="groot", cluster="gm2"),
    ]
    with pytest.raises(ValueError, match=r"cluster '2016/gm1' appears in more than one stratum"):
        _ = MonitorData.from_records(people).design


# ---- item 2: a census of organisations with people sampled within them -----------------------


def _census(fpc2: bool) -> MonitorData:
    rng = np.random.default_rng(7)
    people = []
    for org in range(12):
        for k in range(20):
            people.append(
                Respondent(
                    f"p{org}-{k}",
                    2016,
                    "provincie",
                    "ambtenaar",
                    weight=900 / 20,
                    stratum="provincie-medewerkers",
                    cluster=f"pv{org}",
                    fpc=12,
                    fpc2=900 if fpc2 else None,
                    victimisations={"verbaal": 1} if rng.random() < 0.2 + 0.02 * org else {},
                )
            )
    return MonitorData.from_records(people)


def test_a_census_of_provinces_keeps_the_second_stage_variance() -> None:
    one_stage = victimisation(_census(fpc2=False))
    assert one_stage.standard_error == 0.0  # the first stage alone: a census, no variance
    assert "zero_variance" in one_stage.flags  # item 3: never reliable, and says why
    ok, reasons = one_stage.reliability()
    assert not ok
    assert any("strata sampled completely" in r for r in reasons)
    two_stage = victimisation(_census(fpc2=True))
    assert two_stage.standard_error > 0.01
    assert np.isfinite(two_stage.confidence_interval(method="wilson").low)
    # against the stats layer's two-stage design (R: ids=~org+id, fpc=~12+900)
    r = _census(fpc2=True).respondents
    design = SurveyDesign(weights=r["weight"], clusters=r["cluster"], fpc=r["fpc"], fpc2=r["fpc2"])
    expected = proportion(r["victimisations"][:, 0] > 0, design)
    assert isinstance(expected, Estimate)
    assert_allclose(two_stage.standard_error, expected.standard_error, rtol=1e-12)


def test_fpc2_must_be_given_for_all_or_none() -> None:
    people = [
        Respondent("a", 2016, "rijk", "ambtenaar", fpc=40, cluster="x", fpc2=100),
        Respondent("b", 2016, "rijk", "ambtenaar", fpc=40, cluster="y"),
    ]
    with pytest.raises(ValueError, match="fpc2: given for some respondents but not for 1"):
        MonitorData.from_records(people)


# ---- item 5: waves are always explicit ------------------------------------------------------


def test_an_estimate_over_several_waves_is_refused_with_the_way_out() -> None:
    data = _provinces(6)
    with pytest.raises(ValueError, match=r"2 waves \(2014, 2016\).*wave=2016"):
        policy_coverage(data, "functiescheiding", by="layer")
    one = policy_coverage(data, "functiescheiding", wave=2016, by="layer")
    table = policy_coverage(data, "functiescheiding", by=("wave", "layer"))
    assert isinstance(one, EstimateTable)
    assert isinstance(table, EstimateTable)
    assert one["provincie"].estimate == table[(2016, "provincie")].estimate
    assert one["provincie"].standard_error == table[(2016, "provincie")].standard_error
    assert one.notes["wave"] == 2016


def test_wave_and_by_wave_together_or_an_unknown_wave_are_refused() -> None:
    data = _provinces(6)
    with pytest.raises(ValueError, match="not both"):
        policy_coverage(data, "functiescheiding", by="wave", wave=2016)
    with pytest.raises(ValueError, match="wave 2018 is not in the data; waves: 2014, 2016"):
        policy_coverage(data, "functiescheiding", wave=2018)
    with pytest.raises(ValueError, match="2 waves"):
        cronbach_alpha(data)
    with pytest.raises(ValueError, match="2 waves"):
        violation_rate(
            MonitorData.from_records(
                [], organisations=data.to_records().organisations, violations=[]
            )
        )


def test_every_indicator_needs_the_wave_on_multi_wave_data() -> None:
    people = [
        Respondent(f"{w}{i}", w, "rijk", "ambtenaar", victimisations={"verbaal": i % 2})
        for w in (2014, 2016)
        for i in range(6)
    ]
    data = MonitorData.from_records(people)
    for indicator in (victimisation, incidence):
        with pytest.raises(ValueError, match="2 waves"):
            indicator(data)
        assert isinstance(indicator(data, wave=2014), Estimate)


# ---- items 6-8: change between waves -----------------------------------------------------


def _two_waves() -> EstimateTable:
    people = [
        Respondent(
            f"{w}-{i}",
            w,
            "gemeente",
            "raadslid",
            victimisations={"verbaal": 1} if i < (4 if w == 2014 else 8) else {},
        )
        for w in (2014, 2016)
        for i in range(40)
    ]
    table = victimisation(MonitorData.from_records(people), by="wave")
    assert isinstance(table, EstimateTable)
    return table


def test_change_defaults_to_the_last_two_waves_and_uses_their_df() -> None:
    table = _two_waves()
    result = change(table)
    assert result.between == (2014, 2016)
    assert result["all"]["estimate"] == pytest.approx(0.1)
    assert result["all"]["df"] == 78  # 40 + 40 PSUs minus 2 strata (the waves)
    linear = contrast(table, {2016: 1, 2014: -1})
    assert result["all"]["standard_error"] == pytest.approx(linear.standard_error, rel=1e-12)


def test_change_as_a_ratio_by_the_delta_method_with_a_log_interval() -> None:
    table = _two_waves()
    result = change(table, kind="ratio")
    p1, p2 = 0.1, 0.2
    v1, v2 = table.standard_error**2
    expected_se = p2 / p1 * np.sqrt(v2 / p2**2 + v1 / p1**2)
    assert result["all"]["estimate"] == pytest.approx(2.0)
    assert result["all"]["standard_error"] == pytest.approx(expected_se, rel=1e-12)
    ci = result.confidence_interval()
    t = __import__("scipy").stats.t.ppf(0.975, 78)
    half = t * expected_se / 2.0
    assert_allclose([ci.low[0], ci.high[0]], [2 * np.exp(-half), 2 * np.exp(half)], rtol=1e-12)
    assert ci.low[0] > 0
    assert "ChangeTable(2016 / 2014" in repr(result)


def test_change_refuses_unknown_kinds_and_waves() -> None:
    table = _two_waves()
    with pytest.raises(ValueError, match="kind"):
        change(table, kind="percent")
    with pytest.raises(ValueError, match="wave 2012 is not in the table"):
        change(table, between=(2012, 2016))


# ---- item 9: trend within method-break segments ------------------------------------------


def _series(waves_and_counts: tuple[tuple[int, int], ...], n: int = 60) -> EstimateTable:
    people = [
        Respondent(
            f"{w}-{i}", w, "rijk", "ambtenaar", victimisations={"verbaal": 1} if i < k else {}
        )
        for w, k in waves_and_counts
        for i in range(n)
    ]
    table = victimisation(MonitorData.from_records(people), by="wave")
    assert isinstance(table, EstimateTable)
    return table


def test_a_step_at_a_method_break_is_not_read_as_a_trend() -> None:
    # flat before and after a break, with a jump at the break: no trend within the segments
    table = _series(((2010, 30), (2012, 30), (2014, 12), (2016, 12)))
    breaks = {(2012, 2014): "new questionnaire"}
    result = trend(table, breaks=breaks)
    assert result.segments == ((2010, 2012), (2014, 2016))
    assert result.slope[0] == pytest.approx(0.0, abs=1e-15)
    assert result.direction == ("no clear trend",)
    one_line = trend(table, breaks={})
    assert one_line.direction == ("down",)  # what one line through the break would claim


def test_trend_directions_use_adjusted_p_values() -> None:
    table = _series(((2014, 20), (2016, 14), (2018, 9)))
    result = trend(table, breaks={}, adjust="bonferroni")
    assert result.p_adjusted[0] == pytest.approx(min(1.0, result.p_value[0]))
    with pytest.raises(ValueError, match="adjust"):
        trend(table, adjust="sidak")


def test_the_method_break_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        METHOD_BREAKS[(2020, 2022)] = "x"  # type: ignore[index]


# ---- item 13: registered violations cluster by organisation -------------------------------


def test_violation_rate_is_design_based_by_default() -> None:
    orgs = [
        Organisation(f"o{i}", 2016, "gemeente", employees=1000, stratum="gm", fpc=390)
        for i in range(10)
    ]
    counts = [0, 0, 0, 0, 0, 0, 0, 1, 2, 27]  # one organisation registers nearly all
    viols = [Violation(f"o{i}", 2016, "fraude") for i, c in enumerate(counts) for _ in range(c)]
    data = MonitorData.from_records([], organisations=orgs, violations=viols)
    design = violation_rate(data)
    poisson = violation_rate(data, method="poisson")
    assert design.estimate == pytest.approx(3.0)
    assert poisson.estimate == pytest.approx(3.0)
    o = data.organisations
    expected = ratio(
        np.array(counts, dtype=float),
        o["employees"] / 1000.0,
        SurveyDesign(weights=o["weight"], strata=o["stratum"], fpc=o["fpc"]),
    )
    assert design.standard_error == pytest.approx(expected.standard_error, rel=1e-12)
    # clustering: the design-based interval is wider than the Poisson one
    assert design.standard_error > 2 * poisson.standard_error
    with pytest.raises(ValueError, match="unknown method 'exact'; valid values are 'design'"):
        violation_rate(data, method="exact")


# ---- item 14: one source of weights ---------------------------------------------------------


def test_calibrated_weights_reach_every_reader_of_weights() -> None:
    # every respondent a victim with one incident, but one councillor with 100: with equal
    # weights the p98 cap is 100; calibrated, councillors weigh little and the cap is 1
    people = [
        Respondent(
            f"r{i}",
            2016,
            "gemeente",
            "raadslid" if i % 2 else "wethouder",
            victimisations={"verbaal": 100 if i == 1 else 1},
        )
        for i in range(40)
    ]
    data = MonitorData.from_records(people)
    offices = data.respondents["office"]
    codes = np.unique(offices)
    population = {int(codes[0]): 1000.0, int(codes[1]): 50.0}
    calibrated = data.with_design(poststratify(data.design, offices, population))
    assert_allclose(calibrated.respondents["weight"], calibrated.design.weights)
    assert calibrated.respondents["weight"].sum() == pytest.approx(1050.0)
    records = calibrated.to_records().respondents
    assert_allclose([r.weight for r in records], calibrated.design.weights)
    assert incidence(data, cap="p98").notes["cap"][Form.VERBAL] == 100
    assert incidence(calibrated, cap="p98").notes["cap"][Form.VERBAL] == 1
    with pytest.raises(TypeError):
        calibrated.respondents["weight"] = np.ones(40)  # type: ignore[index]


def test_organisation_weights_follow_the_organisation_design() -> None:
    data = _provinces(6)
    design = data.organisation_design
    doubled = data.with_design(organisations=design.with_weights(design.weights * 2))
    assert_allclose(doubled.organisations["weight"], data.organisations["weight"] * 2)
    assert policy_maturity(doubled, wave=2016).estimate == pytest.approx(
        policy_maturity(data, wave=2016).estimate
    )


# ---- item 16: bounded quantities keep their intervals in range ------------------------------


def test_maturity_intervals_stay_within_0_and_100() -> None:
    from vpt_monitor import AGGRESSION_SCHEME

    items = {m.value for m in AGGRESSION_SCHEME.items}
    orgs = [
        Organisation(
            f"p{i}",
            2016,
            "provincie",
            employees=500,
            stratum="pv",
            fpc=12,
            measures=items if i else {"nazorg"},
        )
        for i in range(4)
    ]
    result = policy_maturity(
        MonitorData.from_records([], organisations=orgs), scheme=AGGRESSION_SCHEME
    )
    unclipped_high = result.estimate + __import__("scipy").stats.t.ppf(0.975, 3) * (
        result.standard_error
    )
    assert unclipped_high > 100  # a plain t interval would pass 100
    ci = result.confidence_interval()
    assert ci.high == 100.0
    assert 0.0 <= ci.low < result.estimate
    assert result.bounds == (0.0, 100.0)


def test_a_change_from_a_boundary_or_unreliable_estimate_is_not_called_significant() -> None:
    # 4 of 4 King's commissioners victimised in 2014 (100%: no variance), 3 of 9 in 2016;
    # and councillors, large enough to be reliable in both waves
    people = [
        Respondent(f"{w}-c{i}", w, "provincie", "cdk", victimisations={"verbaal": 1} if v else {})
        for w, flags in ((2014, [1, 1, 1, 1]), (2016, [1, 1, 1, 0, 0, 0, 0, 0, 0]))
        for i, v in enumerate(flags)
    ] + [
        Respondent(
            f"{w}-r{i}", w, "gemeente", "raadslid", victimisations={"verbaal": 1} if i < k else {}
        )
        for w, k in ((2014, 150), (2016, 100))
        for i in range(400)
    ]
    table = victimisation(MonitorData.from_records(people), by=("wave", "office"))
    assert isinstance(table, EstimateTable)
    result = change(table, between=(2014, 2016))
    commissioner = result.rows.index("cdk")
    councillor = result.rows.index("raadslid")
    assert np.isnan(result.p_value[commissioner])  # 2014 is 100%: nothing to test with
    assert not result.significant()[commissioner]
    assert not result.reliable[commissioner]
    assert "2014: boundary" in result.reasons[commissioner]
    assert result.significant()[councillor]
    assert result.reliable[councillor]
    assert result.reasons[councillor] == ""
    assert "(unreliable)" in repr(result)


def test_change_takes_the_last_two_of_three_waves_by_default() -> None:
    people = [
        Respondent(
            f"{w}-{i}", w, "gemeente", "raadslid", victimisations={"verbaal": 1} if i < k else {}
        )
        for w, k in ((2012, 30), (2014, 10), (2016, 20))
        for i in range(40)
    ]
    table = victimisation(MonitorData.from_records(people), by="wave")
    assert isinstance(table, EstimateTable)
    result = change(table)
    assert result.between == (2014, 2016)
    assert result["all"]["estimate"] == pytest.approx(0.25)
    with pytest.raises(ValueError, match="names wave 2016 twice"):
        change(table, between=(2016, 2016))


def test_trend_calls_directions_on_adjusted_p_values_across_rows() -> None:
    # six offices with the same decline: each unadjusted p is about 0.019, below 0.05, but
    # Holm across the six rows lifts them to about 0.11: no direction may be called
    people = []
    offices = (
        ("burgemeester", "gemeente"),
        ("wethouder", "gemeente"),
        ("raadslid", "gemeente"),
        ("statenlid", "provincie"),
        ("gedeputeerde", "provincie"),
        ("ab-lid", "waterschap"),
    )
    for office, layer in offices:
        for w, k in ((2014, 167), (2016, 150), (2018, 133)):
            people += [
                Respondent(
                    f"{office}-{w}-{i}",
                    w,
                    layer,
                    office,
                    victimisations={"verbaal": 1} if i < k else {},
                )
                for i in range(500)
            ]
    table = victimisation(MonitorData.from_records(people), by=("wave", "office"))
    assert isinstance(table, EstimateTable)
    result = trend(table, breaks={})
    tested = ~np.isnan(result.p_value)
    assert tested.sum() == 6
    assert (result.p_value[tested] < 0.05).all()
    assert (result.p_adjusted[tested] > 0.05).all()
    assert set(result.direction) == {"no clear trend"}
    unadjusted = trend(table, breaks={}, adjust="none")
    assert unadjusted.direction.count("down") == 6


def test_a_ratio_change_from_zero_has_no_estimate_and_says_why() -> None:
    people = [
        Respondent(
            f"{w}-{i}",
            w,
            "rijk",
            "ambtenaar",
            victimisations={"verbaal": 1} if (w == 2016 and i < 5) else {},
        )
        for w in (2014, 2016)
        for i in range(40)
    ]
    table = victimisation(MonitorData.from_records(people), by="wave")
    assert isinstance(table, EstimateTable)
    result = change(table, kind="ratio")
    assert np.isnan(result.estimate[0])
    assert "2014: 0, no ratio to it" in result.reasons[0]
    assert not result.significant()[0]


def test_wave_labels_must_be_years() -> None:
    from vpt_monitor.stats import SurveyDesign, proportion

    table = proportion(
        [1, 0, 1, 0], SurveyDesign(weights=[1.0] * 4), by=["w14", "w14", "w16", "w16"]
    )
    import attrs

    with pytest.raises(ValueError, match="wave 'w14' is not a year"):
        change(attrs.evolve(table, by=("wave",)))


def test_records_and_options_take_numpy_numbers() -> None:
    r = Respondent(
        "a",
        np.float64(2016.0),
        "rijk",
        "ambtenaar",
        aftercare=np.float64(1.0),
        training=0.0,
        channels={"persoonlijk": np.float64(1.0)},
    )
    assert r.aftercare is True
    assert r.training is False
    assert r.channels == {Channel.IN_PERSON: True}
    people = [
        Respondent(f"r{i}", 2016, "rijk", "ambtenaar", victimisations={"verbaal": i % 3})
        for i in range(12)
    ]
    data = MonitorData.from_records(people)
    assert incidence(data, cap=np.int64(1)).estimate == incidence(data, cap=1).estimate
    orgs = [Organisation(f"o{i}", 2016, "rijk", employees=100) for i in range(4)]
    rated = MonitorData.from_records([], organisations=orgs, violations=[])
    assert violation_rate(rated, per=np.int64(100)).estimate == 0.0


def test_a_trend_row_has_reliable_and_reasons_as_a_change_row() -> None:
    # the rules of change(): a slope resting on an estimate that breaks a publication rule
    # is unreliable, says why, and gets no direction however small its p-value
    from vpt_monitor import MonitorData, Respondent, trend, victimisation

    def people(size: int, counts: tuple[int, ...]) -> MonitorData:
        return MonitorData.from_records(
            [
                Respondent(
                    f"{w}-{i}",
                    w,
                    "rijk",
                    "ambtenaar",
                    victimisations={"verbaal": 1} if i < k else {},
                )
                for w, k in zip((2014, 2016, 2018), counts, strict=True)
                for i in range(size)
            ]
        )

    small = trend(victimisation(people(40, (16, 10, 5)), by="wave"))
    assert small.p_adjusted[0] < 0.05
    assert not small.reliable[0]
    assert small.reasons[0].startswith("2014: interval wider than")
    assert small.direction == ("no clear trend",)
    assert small[small.rows[0]]["reliable"] is False
    frame = small.to_pandas()
    assert {"reliable", "reasons"} <= set(frame.columns)
    large = trend(victimisation(people(120, (48, 30, 15)), by="wave"))
    assert large.reliable.tolist() == [True]
    assert large.reasons == ("",)
    assert large.direction == ("down",)
    # printed, an unreliable row is marked as a change's is
    assert small.to_string("nl").splitlines()[-1].endswith("(onbetrouwbaar)")
    assert small.to_string("en").splitlines()[-1].endswith("(unreliable)")
    assert not large.to_string("en").splitlines()[-1].endswith("(unreliable)")


def test_change_trend_and_the_adjustments_cite_their_references() -> None:
    import inspect
    import re

    from vpt_monitor import change, incidence, trend, violation_rate
    from vpt_monitor.indicators.change import adjust_p_values

    def references(function: object) -> str:
        # the numpydoc section: "References", a rule of dashes, then entries up to the next
        # section (tests need no numpydoc installed)
        doc = inspect.getdoc(function) or ""
        found = re.search(r"^References\n-{10}\n(.*?)(?:^\w[\w ]*\n-{3,}\n|\Z)", doc, re.M | re.S)
        return found.group(1).strip() if found else ""

    for function in (change, trend, adjust_p_values, violation_rate, incidence):
        assert references(function).startswith(".. [1]"), function
    assert "Holm, S. (1979)" in references(adjust_p_values)
