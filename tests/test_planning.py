"""Planning the next wave (issue 14): sample sizes and detectable changes.

Reference values are the worked examples of R PracTools' ``nPropMoe`` help page (Valliant,
Dever and Kreuter 2018), computed here from their published formula, and hand-computed
cases on small data.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats as scipy_stats

from vpt_monitor import MonitorData, Respondent, detectable_change, plan_sample
from vpt_monitor.stats import detectable_difference, sample_size_proportion

Z = scipy_stats.norm.ppf(0.975)


def test_practools_examples() -> None:
    # nPropMoe(moe.sw=1, e=0.01, alpha=0.05, pU=0.04, N=Inf)
    assert_allclose(sample_size_proportion(0.04, 0.01), Z**2 * 0.04 * 0.96 / 0.01**2)
    assert round(float(sample_size_proportion(0.04, 0.01))) == 1475
    # nPropMoe(moe.sw=1, e=seq(0.01, 0.08, 0.01), alpha=0.05, pU=0.5)
    e = np.arange(1, 9) / 100
    assert_allclose(sample_size_proportion(0.5, e), Z**2 / 4 / e**2)
    assert np.round(sample_size_proportion(0.5, e)).astype(int).tolist() == [
        9604,
        2401,
        1067,
        600,
        384,
        267,
        196,
        150,
    ]
    # nPropMoe(moe.sw=2, e=0.05, alpha=0.05, pU=0.5): relative margin
    assert_allclose(sample_size_proportion(0.5, 0.05, relative=True), Z**2 * 1 / 0.05**2)


def test_finite_population_and_design_effect() -> None:
    # the PracTools formula n = a z^2 pq / (e^2 + z^2 pq / (N - 1)), a = N / (N - 1)
    n, p, e = 390.0, 0.55, 0.05
    expected = n / (n - 1) * Z**2 * p * (1 - p) / (e**2 + Z**2 * p * (1 - p) / (n - 1))
    assert_allclose(sample_size_proportion(p, e, population=n), expected)
    # the same as the usual n0 / (1 + (n0 - 1) / N)
    n0 = Z**2 * p * (1 - p) / e**2
    assert_allclose(sample_size_proportion(p, e, population=n), n0 / (1 + (n0 - 1) / n))
    # a design effect d: the variance d a (1/n - 1/N) pq meets the target exactly
    d = 1.7
    size = sample_size_proportion(p, e, population=n, deff=d)
    variance = d * n / (n - 1) * (1 / size - 1 / n) * p * (1 - p)
    assert_allclose(Z * np.sqrt(variance), e)
    # a population of 12 never needs more than 12
    assert sample_size_proportion(0.3, 0.01, population=12) < 12


@given(
    st.floats(0.02, 0.98),
    st.floats(0.005, 0.2),
    st.floats(20, 1e6),
    st.floats(0.5, 4.0),
)
def test_the_planned_size_meets_the_margin(p: float, e: float, n: float, d: float) -> None:
    size = float(sample_size_proportion(p, e, population=n, deff=d))
    assert 0 < size < n
    half = Z * np.sqrt(d * n / (n - 1) * (1 / size - 1 / n) * p * (1 - p))
    assert half == pytest.approx(e, rel=1e-9)
    assert sample_size_proportion(p, e / 2, population=n, deff=d) > size


def test_planning_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="'p' must be in"):
        sample_size_proportion(1.0, 0.05)
    with pytest.raises(ValueError, match="'margin' must be in"):
        sample_size_proportion(0.5, 0)
    with pytest.raises(ValueError, match="'population' must be > 1"):
        sample_size_proportion(0.5, 0.05, population=1)
    with pytest.raises(ValueError, match="'deff' must be finite"):
        sample_size_proportion(0.5, 0.05, deff=0)
    with pytest.raises(ValueError, match="'power' must be in"):
        detectable_difference(0.02, power=1.0)


def test_planning_errors_name_the_argument_and_its_value() -> None:
    # a tester's trial: "got np.float64(1.5) at index 0" for a plain 1.5, and "standard
    # errors must be >= 0" without the argument or the value
    with pytest.raises(ValueError, match=r"^'p' must be in \(0, 1\); got 1\.5$"):
        sample_size_proportion(1.5, 0.05)
    with pytest.raises(ValueError, match=r"^'p' must be in \(0, 1\); got -0\.2 at index 1$"):
        sample_size_proportion(np.array([0.3, -0.2]), 0.05)
    with pytest.raises(ValueError, match=r"^'margin' must be in \(0, 1\); got -0\.05$"):
        sample_size_proportion(0.3, -0.05)
    with pytest.raises(ValueError, match=r"^'population' must be > 1; got 0\.0 at index 1$"):
        sample_size_proportion(0.3, 0.05, population=[390, 0])
    with pytest.raises(ValueError, match=r"^'standard_error' must be >= 0; got -0\.01$"):
        detectable_difference(-0.01)
    with pytest.raises(ValueError, match=r"^'other' must be >= 0; got -0\.02 at index 0$"):
        detectable_difference([0.01], [-0.02])
    assert np.isnan(detectable_difference([np.nan])[0])  # a domain without an estimate


def test_plan_sample_refuses_weights_that_add_up_to_less_than_the_sample() -> None:
    # a tester's trial: weights normalised to the sample (here 0.5 each) made the population
    # of 100 respondents 50, and the plan said 45 were needed and the office out of reach
    n = 300
    data = MonitorData.from_columns(
        {
            "id": [f"r{i}" for i in range(n)],
            "wave": [2024] * n,
            "layer": ["gemeente"] * n,
            "office": np.array(["burgemeester", "wethouder", "raadslid"])[np.arange(n) % 3],
            "weight": np.full(n, 0.5),
            "incidents:verbaal": np.arange(n) % 2,
        }
    )
    with pytest.raises(
        ValueError,
        match=r"the weights of wave 2024 add up to fewer people than respondents in 3 "
        r"domain\(s\) \('burgemeester': 50 for 100 respondents, ",
    ) as caught:
        plan_sample(data, margin=0.05)
    assert "Weight the wave to population counts first" in str(caught.value)


def test_detectable_difference() -> None:
    z = Z + scipy_stats.norm.ppf(0.8)
    assert_allclose(detectable_difference(0.02), z * np.sqrt(2) * 0.02)
    assert_allclose(
        detectable_difference(0.02, 0.03, power=0.9),
        (Z + scipy_stats.norm.ppf(0.9)) * np.sqrt(0.02**2 + 0.03**2),
    )
    # a change of the detectable size is found with the stated power
    se = 0.015
    delta = float(detectable_difference(se))
    power = scipy_stats.norm.sf(Z - delta / (np.sqrt(2) * se))
    assert power == pytest.approx(0.8, abs=1e-3)


# ---- on monitor data ---------------------------------------------------------------------


def _wave() -> MonitorData:
    # 40 mayors of 390 (8 victims) and 100 councillors of 8,900 (25 victims), SRS per office
    people = [
        Respondent(
            f"m{i}",
            2016,
            "gemeente",
            "burgemeester",
            weight=390 / 40,
            stratum="m",
            fpc=390,
            victimisations={"verbaal": 1} if i < 8 else {},
        )
        for i in range(40)
    ] + [
        Respondent(
            f"c{i}",
            2016,
            "gemeente",
            "raadslid",
            weight=89.0,
            stratum="c",
            fpc=8900,
            victimisations={"verbaal": 1} if i < 25 else {},
        )
        for i in range(100)
    ]
    return MonitorData.from_records(people)


def test_plan_sample_per_office_by_hand() -> None:
    plan = plan_sample(
        _wave(), margin=0.05, response_rate={"burgemeester": 0.6, "raadslid": 0.4}, by="office"
    )
    mayor = plan.domains.index("burgemeester")
    councillor = plan.domains.index("raadslid")
    assert plan.population[mayor] == pytest.approx(390)
    assert plan.population[councillor] == pytest.approx(8900)
    assert plan.deff[mayor] == pytest.approx(1.0)  # SRS within the office
    for i, (p, n) in {mayor: (0.2, 390), councillor: (0.25, 8900)}.items():
        expected = np.ceil(
            n / (n - 1) * Z**2 * p * (1 - p) / (0.05**2 + Z**2 * p * (1 - p) / (n - 1))
        )
        assert plan.needed[i] == expected
    assert plan.invite[mayor] == np.ceil(plan.needed[mayor] / 0.6)
    assert plan.reachable[mayor]
    assert plan.reachable[councillor]
    # an office without respondents plans nothing
    commissioner = plan.domains.index("cdk")
    assert np.isnan(plan.needed[commissioner])
    frame = plan.to_pandas()
    assert frame.loc["burgemeester", "needed"] == plan.needed[mayor]
    assert "PlanTable(wave 2016" in repr(plan)


def test_plan_sample_with_a_given_deff_and_p_and_an_unreachable_office() -> None:
    plan = plan_sample(_wave(), margin=0.02, by="office", deff=2.0, p=0.5, response_rate=0.3)
    mayor = plan.domains.index("burgemeester")
    n = 390.0
    expected = np.ceil(2 * n / (n - 1) * Z**2 * 0.25 / (0.02**2 + 2 * Z**2 * 0.25 / (n - 1)))
    assert plan.needed[mayor] == expected
    assert not plan.reachable[mayor]  # needs more than 30% of 390
    assert plan.invite[mayor] == 390  # invite everyone, and it is still not enough
    with pytest.raises(ValueError, match="'response_rate' has no rate for"):
        plan_sample(_wave(), response_rate={"burgemeester": 0.5})
    with pytest.raises(ValueError, match="'margin' must be in"):
        plan_sample(_wave(), margin=3)


def test_detectable_change_uses_the_design_based_standard_error() -> None:
    data = _wave()
    plan = detectable_change(data, by="office", power=0.9)
    mayor = plan.domains.index("burgemeester")
    se = plan.standard_error[mayor]
    # the SRS-without-replacement standard error of 8 in 40 of 390
    expected_se = np.sqrt((1 - 40 / 390) * 0.2 * 0.8 / 39)
    assert se == pytest.approx(expected_se, rel=1e-12)
    assert plan.detectable[mayor] == pytest.approx(
        (Z + scipy_stats.norm.ppf(0.9)) * np.sqrt(2) * expected_se
    )
    assert np.isnan(plan.needed).all()


def test_without_domains_the_plan_is_for_everyone() -> None:
    data = _wave()
    plan = detectable_change(data)
    assert plan.domains == ("all",)
    assert plan.population[0] == pytest.approx(390 + 8900)
    assert plan.n[0] == 140
    everyone = plan_sample(data, by=None, margin=0.05)
    assert everyone.domains == ("all",)
    assert everyone.needed[0] > 0


def test_a_small_office_is_reachable_by_a_census_whatever_its_weights_sum_to() -> None:
    # Ten commissioners answered with weight 1.19 each (the weights of an agency that
    # estimates twelve): the population is 11.9, the margin needs all twelve. Inviting
    # everyone with full response is a census, whose margin is 0: the target is met. The
    # plan compared the rounded-up need (12) with the fractional 11.9 and said it was not.
    people = [
        Respondent(
            f"k{i}",
            2016,
            "provincie",
            "cdk",
            weight=1.19,
            stratum="k",
            victimisations={"verbaal": 1} if i < 5 else {},
        )
        for i in range(10)
    ]
    data = MonitorData.from_records(people)
    plan = plan_sample(data, margin=0.01, by="office")
    row = plan.domains.index("cdk")
    assert plan.population[row] == pytest.approx(11.9)
    assert plan.needed[row] == 12
    assert plan.reachable[row]
    # with half responding, six of twelve answer: short of the need
    half = plan_sample(data, margin=0.01, by="office", response_rate=0.5)
    assert not half.reachable[half.domains.index("cdk")]


def test_an_office_without_respondents_is_printed_as_such_not_as_unreachable() -> None:
    plan = plan_sample(_wave(), margin=0.05, by="office", response_rate=0.6)
    commissioner = next(line for line in str(plan).splitlines() if "King's Commissioner" in line)
    assert "(no respondents)" in commissioner
    assert "not reachable" not in commissioner


def test_a_plan_prints_in_the_chosen_language_with_its_decimal_mark() -> None:
    plan = plan_sample(_wave(), margin=0.05, by="office", response_rate=0.3)
    dutch = plan.to_string("nl")
    assert dutch.startswith("PlanTable(jaar 2016, 10 domeinen, marge 0,05)")
    assert "nodig" in dutch
    assert "needed" not in dutch
    mayor = next(line for line in dutch.splitlines() if line.strip().startswith("burgemeester"))
    assert "0,20" in mayor
    assert "(niet haalbaar)" in mayor
    assert "(geen respondenten)" in dutch
    english = plan.to_string("en")
    assert "margin 0.05" in english
    assert "0.20" in english
    assert "(not reachable)" in english


def test_a_share_of_zero_in_a_small_office_detects_nothing_not_every_change() -> None:
    # a user's trial: 0 of 4 dike-reeves victimised; its standard error of 0 gave a
    # detectable change of 0.000, in plan_sample and detectable_change alike
    people = [
        Respondent(f"d{i}", 2016, "waterschap", "dijkgraaf", weight=1.75, stratum="d",
                   victimisations={"verbaal": 0})
        for i in range(4)
    ] + [
        Respondent(f"r{i}", 2016, "gemeente", "raadslid", weight=10.0, stratum="r",
                   victimisations={"verbaal": int(i % 4 == 0)})
        for i in range(80)
    ]  # fmt: skip
    data = MonitorData.from_records(people)
    for plan in (plan_sample(data, margin=0.05), detectable_change(data, by="office")):
        reeves = plan.domains.index("dijkgraaf")
        assert plan.estimate[reeves] == 0.0
        assert np.isnan(plan.detectable[reeves])
        councillors = plan.domains.index("raadslid")
        assert 0 < plan.detectable[councillors] < 1


def _unweighted_columns(n: int = 90) -> dict[str, object]:
    return {
        "id": [str(i) for i in range(1, n + 1)],
        "wave": [2024] * n,
        "layer": ["gemeente"] * n,
        "office": np.array(["burgemeester", "wethouder", "raadslid"])[np.arange(n) % 3],
        "incidents:verbaal": (np.arange(n) % 5 == 0).astype(int),
    }


def _unweighted(n: int = 90) -> MonitorData:
    """A wave delivered without weights (as a file without a weight column reads)."""
    return MonitorData.from_columns(_unweighted_columns(n))


def test_an_unweighted_wave_is_refused_rather_than_planned_as_a_census() -> None:
    # a wave without weights read every office as a census of its 30 respondents: the plan
    # said 30 mayors were needed for a margin of 3 points, of some 340 in the country
    data = _unweighted()
    assert np.all(np.asarray(data.respondents["weight"]) == 1.0)
    with pytest.raises(ValueError, match=r"^the weights of wave 2024 are all 1 ") as caught:
        plan_sample(data, margin=0.03)
    assert "population={domain: N}" in str(caught.value)
    assert "vpt-monitor weight" in str(caught.value)
    # weights of 1 written with a rounding error are as unweighted
    nearly = MonitorData.from_columns({**_unweighted_columns(), "weight": np.full(90, 1 + 1e-12)})
    with pytest.raises(ValueError, match=r"^the weights of wave 2024 are all 1 "):
        plan_sample(nearly, margin=0.03)


def test_given_population_sizes_are_planned_with_by_hand() -> None:
    data = _unweighted()
    sizes = {"burgemeester": 342, "wethouder": 1400.0, "raadslid": np.int64(8900)}
    plan = plan_sample(data, margin=0.05, population=sizes)
    for office, size in sizes.items():
        row = plan.domains.index(office)
        assert plan.population[row] == float(size)
        share = plan.estimate[row]  # 6 of 30: an unweighted SRS, design effect 1
        assert share == pytest.approx(0.2)
        effect = plan.deff[row]
        z2pq = Z**2 * share * (1 - share)
        expected = np.ceil(
            effect * size / (size - 1) * z2pq / (0.05**2 + effect * z2pq / (size - 1))
        )
        assert plan.needed[row] == expected
    # an office of the plan without respondents and without a size plans nothing
    assert np.isnan(plan.needed[plan.domains.index("cdk")])
    # a census given as such: the plan needs at most everyone
    census = plan_sample(
        data, margin=0.01, population={"burgemeester": 30, "wethouder": 30, "raadslid": 30}
    )
    assert census.needed[census.domains.index("burgemeester")] == 30
    assert census.reachable[census.domains.index("burgemeester")]
    everyone = plan_sample(data, by=None, margin=0.05, population={"all": 10_642})
    assert everyone.population[0] == 10_642


def test_population_sizes_are_checked_against_the_plan() -> None:
    data = _unweighted()
    full = {"burgemeester": 342, "wethouder": 1400, "raadslid": 8900}
    with pytest.raises(ValueError, match=r"^'population' has no size for 'raadslid'; give"):
        plan_sample(data, population={"burgemeester": 342, "wethouder": 1400})
    with pytest.raises(ValueError, match=r"^'population' names 'mayor', which is not a domain"):
        plan_sample(data, population={**full, "mayor": 342})
    with pytest.raises(
        ValueError,
        match=r"^'population' of 'wethouder' must be a number of people at least its 30 "
        r"respondents; got 12$",
    ):
        plan_sample(data, population={**full, "wethouder": 12})
    with pytest.raises(ValueError, match=r"got 'veel'$"):
        plan_sample(data, population={**full, "wethouder": "veel"})
    with pytest.raises(ValueError, match=r"got nan$"):
        plan_sample(data, population={**full, "wethouder": float("nan")})
    with pytest.raises(
        TypeError, match=r"^'population' must be a mapping \{domain: size\}; got list"
    ):
        plan_sample(data, population=[342, 1400, 8900])  # type: ignore[arg-type]


def test_population_sizes_as_a_series_and_named_as_a_table_names_its_domains() -> None:
    pd = pytest.importorskip("pandas")
    data = _unweighted()
    series = pd.Series({"Burgemeester": 342, "wethouder": 1400, "RAADSLID": 8900})
    plan = plan_sample(data, margin=0.05, population=series)
    assert plan.population[plan.domains.index("burgemeester")] == 342
    assert plan.population[plan.domains.index("raadslid")] == 8900
    with pytest.raises(ValueError, match=r"^'population' gives 'burgemeester' twice$"):
        plan_sample(data, population={**series.to_dict(), "burgemeester": 342})
    # a size for an office without respondents plans it at p = 0.5 and design effect 1
    with_cdk = plan_sample(data, margin=0.1, population={**series.to_dict(), "cdk": 12})
    row = with_cdk.domains.index("cdk")
    z2 = Z**2 * 0.25
    assert with_cdk.needed[row] == np.ceil(12 / 11 * z2 / (0.1**2 + z2 / 11))
