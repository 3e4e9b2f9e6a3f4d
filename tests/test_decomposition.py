"""The decomposition of a change into composition and rate (issue 13), against R survey.

R: svytotal of y and of the population in each class and wave, jointly, then svycontrast of
the Kitagawa components written out as expressions (tests/reference/decomposition.R).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import read_reference_csv
from numpy.testing import assert_allclose
from test_attributes import DATA

from vpt_monitor import METHOD_BREAKS, Decomposition, MonitorData, Respondent, decompose_change

R = {
    (r["key"], r["part"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("decomposition.csv")
}


@pytest.mark.parametrize(
    ("key", "factor", "group"),
    [("victim_region", "region", None), ("victim_gender_employees", "gender", "medewerker")],
)
def test_components_and_their_standard_errors_equal_r(
    key: str, factor: str, group: str | None
) -> None:
    # the fixture's 2014 questionnaire left out sexual harassment (as the monitor's did):
    # the change is partly one of questionnaire, and says so; R's figures are the same
    with pytest.warns(UserWarning, match="2014: did not ask seksueel"):
        result = decompose_change(DATA, between=(2014, 2016), factor=factor, group=group)
    assert isinstance(result, Decomposition)
    assert result.method_breaks
    assert all(b.startswith("2014-2016: 2014: did not ask seksueel") for b in result.method_breaks)
    for part in ("total", "composition", "rate"):
        estimate = getattr(result, part)
        assert_allclose(estimate.estimate, R[(key, part, "estimate")], rtol=1e-9)
        assert_allclose(estimate.standard_error, R[(key, part, "se")], rtol=1e-7)
        assert estimate.df == R[(key, "", "df")]
    for k, label in enumerate(result.classes):
        code = str(getattr(label, "value", label))
        for part, values in (
            ("composition", result.class_composition),
            ("rate", result.class_rate),
        ):
            assert_allclose(
                values[k].estimate, R[(key, f"{part}:{code}", "estimate")], rtol=1e-9, atol=1e-15
            )
            assert_allclose(values[k].standard_error, R[(key, f"{part}:{code}", "se")], rtol=1e-7)
    # the parts add up to the change, by class too
    assert result.composition.estimate + result.rate.estimate == pytest.approx(
        result.total.estimate, abs=1e-14
    )
    assert sum(e.estimate for e in result.class_composition) == pytest.approx(
        result.composition.estimate, abs=1e-14
    )


def _employee(name: str, wave: int, victim: bool, **attributes: object) -> Respondent:
    """A municipal employee, victim of verbal aggression or not, with ``attributes``."""
    return Respondent(
        name,
        wave,
        "gemeente",
        "ambtenaar",
        victimisations={"verbaal": 1} if victim else {},
        attributes=attributes,
    )


def test_the_changed_mix_of_a_synthetic_population_is_found() -> None:
    # 2014: 50 daily and 50 weekly contacts; 2016: 20 daily, 80 weekly; rates unchanged
    # (60% and 20%): the whole change is composition
    people = []
    for wave, daily in ((2014, 50), (2016, 20)):
        for i in range(100):
            contact = "dagelijks" if i < daily else "wekelijks"
            position = i if i < daily else i - daily
            victim = position < (0.6 * daily if contact == "dagelijks" else 0.2 * (100 - daily))
            people.append(_employee(f"{wave}-{i}", wave, bool(victim), contact=contact))
    result = decompose_change(MonitorData.from_records(people), factor="contact")
    assert result.total.estimate == pytest.approx(0.28 - 0.40)
    assert result.composition.estimate == pytest.approx(-0.12)
    assert result.rate.estimate == pytest.approx(0.0, abs=1e-12)
    assert_allclose(result.shares, [[0.5, 0.5], [0.2, 0.8]])
    assert_allclose(result.rates, [[0.6, 0.2], [0.6, 0.2]])
    frame = result.to_pandas()
    assert list(frame["part"][:3]) == ["total", "composition", "rate"]
    text = repr(result)
    assert "Decomposition(victimised 2016 - 2014" in text
    # "from 50.0 to 20.0" as an arrow, never as "50.0>20.0"; the two effects named apart
    assert "50.0 -> 20.0" in text
    assert ">2" not in text.replace("-> ", "")
    assert "composition  rate effect" in text
    assert result.left_out == 0
    assert "left out" not in text
    # respondents without a class are left out of the decomposition, and it says how many
    people.append(Respondent("2016-x", 2016, "gemeente", "ambtenaar", victimisations={}))
    fewer = decompose_change(MonitorData.from_records(people), factor="contact")
    assert fewer.left_out == 1
    assert fewer.total.estimate == pytest.approx(result.total.estimate)
    note = "(1 respondent of these waves without a class of contact with citizens is left out)"
    assert note in repr(fewer)
    assert note[1:-1] in fewer._repr_html_()  # type: ignore[operator]


def test_refusals() -> None:
    with pytest.raises(ValueError, match="unknown indicator 'crime'"):
        decompose_change(DATA, factor="gender", indicator="crime")
    with pytest.raises(ValueError, match="unknown by 'colour'"):
        decompose_change(DATA, factor="colour")
    with pytest.raises(ValueError, match="not the wave"):
        decompose_change(DATA, factor="wave")
    with pytest.raises(ValueError, match="wave 2012 is not in the data"):
        decompose_change(DATA, factor="gender", between=(2012, 2016))
    # a class with nobody in one wave has no rate there
    people = [
        Respondent(
            f"{w}-{i}",
            w,
            "rijk",
            "ambtenaar",
            victimisations={},
            attributes={"gender": "x" if (w == 2016 and i == 0) else "m"},
        )
        for w in (2014, 2016)
        for i in range(5)
    ]
    with pytest.raises(ValueError, match="'x' in 2014"):
        decompose_change(MonitorData.from_records(people), factor="gender")
    with pytest.warns(UserWarning, match="asked different forms"):
        assert np.isfinite(decompose_change(DATA, factor="gender").total.estimate)


def test_the_classes_are_labelled_in_the_sessions_language() -> None:
    from vpt_monitor import set_language
    from vpt_monitor.synth import simulate

    parts = decompose_change(simulate(waves=(2014, 2016)), factor="contact", group="medewerker")
    assert "dagelijks" in parts.to_pandas()["class"].tolist()  # the data's codes
    assert "daily" in parts.to_pandas(labels="en")["class"].tolist()
    assert "daily" in repr(parts)
    before = set_language("nl")
    try:
        assert "dagelijks" in repr(parts)
        assert "daily" not in repr(parts)
        assert "dagelijks" in (parts._repr_html_() or "")
        # headings, notes and numbers in Dutch too (a tester found English headings here)
        text = repr(parts)
        assert text.startswith(
            "Decompositie(slachtofferschap 2016 - 2014, naar contact met burgers"
        )
        for word in ("verandering", "samenstelling", "binnen klassen", "aandeel %", "%-punt"):
            assert word in text
        for word in ("change", "composition", "rate", "points", "class", "left out"):
            assert word not in text
        assert "respondenten van deze metingen zonder klasse van contact met burgers" in text
        total = parts.total.estimate * 100
        assert f"{total:+.2f}".replace(".", ",") in text
        # counts grouped, long labels cut visibly (a tester read "minder dan 20.0" as 20,0)
        sizes = decompose_change(
            simulate(waves=(2014, 2016), scale=0.3), factor="municipality_size", group="medewerker"
        ).to_string("nl")
        assert "minder dan 20.000 inwoners" in sizes
        assert "zonder klasse van gemeentegrootte" in sizes
    finally:
        set_language(before)
    english = parts.to_string("en")
    assert english.startswith("Decomposition(victimised 2016 - 2014, by contact")
    assert parts.to_string("nl") != english


def test_a_declared_attributes_classes_carry_its_labels() -> None:
    # A reviewer's trial: victimisation(by="region") printed north/south, the decomposition
    # by region noord/zuid
    from vpt_monitor.attributes import Attribute

    rng = np.random.default_rng(7)
    people = []
    for wave in (2014, 2016):
        for i in range(200):
            region = ["noord", "zuid"][int(rng.uniform() < (0.3 if wave == 2014 else 0.6))]
            victim = rng.uniform() < (0.5 if region == "noord" else 0.2)
            people.append(_employee(f"{wave}-{i}", wave, bool(victim), region=region))
    region = Attribute(
        "region",
        codes=("noord", "zuid"),
        labels={"noord": ("north", "noorden"), "zuid": ("south", "zuiden")},
    )
    parts = decompose_change(MonitorData.from_records(people, attributes=[region]), factor="region")
    assert "north" in repr(parts)
    assert "noord" not in repr(parts)
    assert parts.to_pandas(labels="nl")["class"].tolist()[3:] == ["noorden"] * 2 + ["zuiden"] * 2
    # the parts too, as printed (a tester found English parts in a Dutch notebook)
    dutch = parts.to_pandas(labels="nl")
    assert dutch["part"].tolist()[:4] == [
        "verandering",
        "samenstelling",
        "binnen klassen",
        "samenstelling",
    ]
    assert dutch["class"].tolist()[0] == "totaal"
    assert parts.to_pandas()["part"].tolist()[:3] == ["total", "composition", "rate"]
    assert parts.to_pandas()["class"].tolist()[3] == "noord"  # the data's code


def test_a_decomposition_across_a_method_break_says_so() -> None:
    # a tester's observation: the change tables and the factsheets flag a change across
    # the 2012-2014 break, the decomposition printed it without a word
    from vpt_monitor.synth import simulate

    data = simulate(waves=(2012, 2014), scale=0.3)
    with pytest.warns(UserWarning, match="across a method break"):
        parts = decompose_change(data, factor="contact", group="medewerker")
    assert parts.method_breaks == ("2012-2014: " + METHOD_BREAKS[(2012, 2014)],)
    assert "method break: 2012-2014" in parts.to_string("en")
    assert "methodebreuk: 2012-2014: veldwerk door een nieuw" in parts.to_string("nl")
    assert "2012-2014: fieldwork by a new research agency" in (parts._repr_html_() or "")
    assert decompose_change(simulate(waves=(2014, 2016), scale=0.3), factor="contact",
                            group="medewerker").method_breaks == ()  # fmt: skip


def test_a_class_without_victims_in_a_wave_is_not_shown_as_exact() -> None:
    # an analyst's trial: "nooit" had 0 of 13 and 0 of 14 victims; its composition and rate
    # parts came out 0.00 with standard error 0, interval 0 to 0, and no flag
    people = []
    for wave in (2014, 2016):
        for i in range(300):
            contact = ("dagelijks", "wekelijks", "nooit")[i % 3] if i < 40 else "dagelijks"
            victim = contact != "nooit" and (i * 7 + wave) % 4 == 0
            people.append(
                Respondent(
                    f"{wave}-{i}",
                    wave,
                    "gemeente",
                    "ambtenaar",
                    victimisations={"verbaal": int(victim)},
                    attributes={"contact": contact},
                )
            )
    parts = decompose_change(MonitorData.from_records(people), factor="contact")
    never = next(k for k, c in enumerate(parts.classes) if getattr(c, "value", c) == "nooit")
    assert parts.class_rate[never].standard_error == 0.0
    assert "zero_variance" in parts.class_rate[never].flags
    assert not parts.class_rate[never].reliable
    assert parts.class_composition[never].flag_detail.startswith(
        "the class's rate is 0% in 2014 and 0% in 2016:"
    )
    others = [k for k in range(len(parts.classes)) if k != never]
    assert all(parts.class_rate[k].flags == () for k in others)
    frame = parts.to_pandas()
    assert not frame.loc[frame["class"].astype(str).str.contains("nooit"), "reliable"].any()
    assert "(unreliable: rate 0 or 100%)" in parts.to_string("en")
    assert "(onbetrouwbaar: percentage 0 of 100)" in parts.to_string("nl")
