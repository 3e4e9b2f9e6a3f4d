"""The Dutch of what the library prints and writes, as a BZK reader checks it.

Each test looks at one text (a label, a heading, a number format) on small hand-made data,
and at its English counterpart, so that a fix in one language leaves the other right.
"""

from __future__ import annotations

import pytest

from vpt_monitor import (
    Measure,
    MonitorData,
    Office,
    Respondent,
    ViolationType,
    change,
    set_language,
    trend,
    victimisation,
)
from vpt_monitor._format import label
from vpt_monitor.attributes import Attribute


def _people() -> MonitorData:
    """Provincial office holders of two waves, as a delivery has them (weights, strata)."""
    rows = []
    for wave in (2014, 2016):
        for i in range(40):
            office = "cdk" if i < 4 else "statenlid"
            rows.append(
                Respondent(
                    f"r{wave}-{i}",
                    wave,
                    "provincie",
                    office,
                    weight=3.0 if office == "cdk" else 14.25,
                    stratum=office,
                    victimisations={"verbaal": 1} if i % 3 == 0 else {},
                )
            )
    return MonitorData.from_records(rows)


@pytest.fixture
def dutch():
    before = set_language("nl")
    yield
    set_language(before)


def test_offices_and_measures_are_spelled_as_the_groene_boekje_has_them() -> None:
    # a function name is written in lower case ("de commissaris van de Koning", as the
    # Rijksoverheid writes it and as burgemeester, wethouder and dijkgraaf are here);
    # "financiële" has its diaeresis; the gifts item names the invitations as well
    assert label(Office.KINGS_COMMISSIONER, "nl") == "commissaris van de Koning"
    assert label(Measure.FINANCIAL_INTERESTS, "nl") == "melding financiële belangen"
    assert label(ViolationType.GIFTS, "nl") == "aannemen van geschenken of uitnodigingen"
    assert label(Measure.INCIDENT_REGISTRATION, "nl") == "incidenten altijd geregistreerd"
    # "always", as the English and the letter have it ("meldingen ... altijd registreren"):
    # an organisation that registers some violations does not have the measure
    assert label(Measure.VIOLATION_REGISTRATION, "nl") == "schendingen altijd geregistreerd"
    assert Measure.parse("schendingen altijd geregistreerd") is Measure.VIOLATION_REGISTRATION
    # the labels of earlier versions still read (a reviewer: notebooks and schemes name them)
    assert Measure.parse("registratie van schendingen") is Measure.VIOLATION_REGISTRATION
    assert Measure.parse("Incidenten altijd registreren") is Measure.INCIDENT_REGISTRATION
    assert ViolationType.parse("aannemen van geschenken") is ViolationType.GIFTS
    # English unchanged; labels still find their domains
    assert label(Office.KINGS_COMMISSIONER, "en") == "King's Commissioner"
    assert Office.parse("Commissaris van de Koning") is Office.KINGS_COMMISSIONER
    assert Measure.parse("melding financiele belangen") is Measure.FINANCIAL_INTERESTS


def test_a_table_by_office_prints_the_commissioner_in_lower_case(dutch: None) -> None:
    table = victimisation(_people(), by=("wave", "office"))
    assert "2016, commissaris van de Koning" in repr(table)
    assert "Commissaris" not in repr(table)


def test_an_estimate_table_prints_its_title_and_flags_in_dutch(dutch: None) -> None:
    # no commissioner victimised in 2014: a share of 0% (flag "boundary")
    rows = [
        Respondent(
            f"r{i}",
            2014,
            "provincie",
            "cdk" if i < 4 else "statenlid",
            victimisations={"verbaal": 1} if i >= 4 and i % 2 else {},
        )
        for i in range(12)
    ]
    table = victimisation(MonitorData.from_records(rows), by="office", wave=2014)
    text = repr(table)
    title = text.splitlines()[0]
    assert title == "EstimateTable(aandeel, 10 domeinen, 95%-intervallen (logit))"
    assert "commissaris van de Koning" in text
    assert "[0% of 100%]" in text
    assert "[leeg]" in text  # the offices without respondents
    for english in ("proportion", "domains", "intervals", "boundary", "empty"):
        assert english not in text
    set_language("en")
    text = repr(table)
    assert text.splitlines()[0] == "EstimateTable(proportion, 10 domains, logit 95% intervals)"
    assert "[boundary]" in text
    assert "[empty]" in text


def test_a_table_of_one_domain_says_domain_not_domains(dutch: None) -> None:
    rows = [
        Respondent(
            f"r{i}",
            2016,
            "provincie",
            "statenlid",
            attributes={"team": "noord"},
            victimisations={"verbaal": i % 2},
        )
        for i in range(10)
    ]
    data = MonitorData.from_records(rows, attributes=[Attribute("team", codes=("noord",))])
    one = victimisation(data, by="team", wave=2016)
    assert repr(one).startswith("EstimateTable(aandeel, 1 domein, ")
    set_language("en")
    assert repr(one).startswith("EstimateTable(proportion, 1 domain, ")


def test_change_and_trend_name_holm_and_write_95_percent_interval_as_dutch_does(
    dutch: None,
) -> None:
    table = victimisation(_people(), by=("wave", "office"))
    changes = change(table)
    text = repr(changes)
    # Holm is a name; "95%-interval" with a hyphen, as the report writes it
    assert "p gecorrigeerd met Holm)" in text.splitlines()[0]
    assert "95%-interval" in text
    assert "holm" not in text
    trends = trend(table)
    assert "p gecorrigeerd met Holm)" in repr(trends).splitlines()[0]
    assert "p niet gecorrigeerd)" in repr(change(table, adjust="none")).splitlines()[0]
    set_language("en")
    assert "p adjusted by Holm)" in repr(changes).splitlines()[0]
    assert "95% interval" in repr(changes)
    assert "p not adjusted)" in repr(change(table, adjust="none")).splitlines()[0]


def test_a_change_of_one_row_says_rij(dutch: None) -> None:
    rows = [
        Respondent(
            f"r{wave}-{i}",
            wave,
            "provincie",
            "statenlid",
            victimisations={"verbaal": 1} if i % 3 == 0 else {},
            attributes={"team": "noord"},
        )
        for wave in (2014, 2016)
        for i in range(20)
    ]
    data = MonitorData.from_records(rows, attributes=[Attribute("team", codes=("noord",))])
    table = victimisation(data, by=("wave", "team"))
    assert ", 1 rij," in repr(change(table)).splitlines()[0]
    set_language("en")
    assert ", 1 row," in repr(change(table)).splitlines()[0]


def test_the_maturity_sensitivity_writes_90_percent_range_as_one_word(dutch: None) -> None:
    from vpt_monitor import maturity_sensitivity
    from vpt_monitor.synth import simulate

    result = maturity_sensitivity(simulate(waves=(2016,), scale=0.2), by="layer", draws=50)
    assert "90%-bereik" in result.to_string("nl").splitlines()[1]
    assert "90% range" in result.to_string("en").splitlines()[1]


def test_a_sample_plan_groups_thousands_and_writes_no_nan(dutch: None) -> None:
    from vpt_monitor import detectable_change, plan_sample

    rows = [
        Respondent(
            f"r{i}",
            2016,
            "provincie",
            "cdk" if i < 4 else "statenlid",
            weight=3.0 if i < 4 else 1250.0,  # 12 commissioners, 45,000 councillors
            victimisations={"verbaal": 1} if i % 3 == 0 else {},
        )
        for i in range(40)
    ]
    data = MonitorData.from_records(rows)
    plan = plan_sample(data, margin=0.05, response_rate=0.5)
    line = next(row for row in plan.to_string("nl").splitlines() if "Statenlid" in row)
    assert "45.000" in line
    line = next(row for row in plan.to_string("en").splitlines() if "provincial councillor" in row)
    assert "45,000" in line
    detect = detectable_change(data)
    assert "nan" not in detect.to_string("nl")
    assert "n.b." in detect.to_string("nl")
    assert "nan" not in detect.to_string("en")
    assert "n/a" in detect.to_string("en")


def test_a_decomposition_names_its_outcome_in_dutch(dutch: None) -> None:
    from vpt_monitor import decompose_change
    from vpt_monitor.indicators.decomposition import _OUTCOMES_NL
    from vpt_monitor.indicators.outcomes import OUTCOMES

    assert set(_OUTCOMES_NL) == set(OUTCOMES)  # every outcome has its Dutch name
    result = decompose_change(_people(), factor="office")
    title = result.to_string("nl").splitlines()[0]
    assert title.startswith("Decompositie(slachtofferschap 2016 - 2014, naar functie")
    assert "victimised" not in result.to_string("nl")
    assert result.to_string("en").startswith("Decomposition(victimised 2016 - 2014, by office")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from vpt_monitor.report import build_report
    from vpt_monitor.synth import simulate

    data = simulate(waves=(2014, 2016), scale=0.2, seed=3)
    return {
        lang: (
            build_report(data, tmp_path_factory.mktemp(lang) / "r", language=lang) / "index.html"
        ).read_text()
        for lang in ("nl", "en")
    }


def test_the_reports_headings_begin_with_a_capital(pages: dict[str, str]) -> None:
    import re

    for lang, page in pages.items():
        headings = re.findall(r"<h[1-4][^>]*>([^<]*)</h[1-4]>", page)
        assert headings, lang
        assert all(h[:1].isupper() or h[:1].isdigit() for h in headings), (lang, headings)
    assert "<h3>Gemeld binnen de organisatie, 2016</h3>" in pages["nl"]
    assert "<h3>Aangifte bij de politie, 2016</h3>" in pages["nl"]
    assert "<h3>Reported internally, 2016</h3>" in pages["en"]


def test_the_maturity_headings_say_what_is_mature(pages: dict[str, str]) -> None:
    # "Volwassenheid, integriteit, 2016" left the reader to guess whose maturity
    assert "<h3>Volwassenheid van het beleid: integriteit, 2016</h3>" in pages["nl"]
    assert "<h3>Volwassenheid van het beleid: agressie en geweld, 2016</h3>" in pages["nl"]
    assert "<h3>Maturity, integrity scheme, 2016</h3>" in pages["en"]


def test_no_factsheet_indicator_has_a_second_pair_of_parentheses() -> None:
    # a factsheet row is "<indicator> (<group>)": an indicator name with parentheses of its
    # own made "negatieve gevolgen (slachtoffers) (politieke ambtsdragers)"
    from vpt_monitor.report.text import INDICATORS

    for key, (english, dutch) in INDICATORS.items():
        if key != "decision_influence":  # asked of one group: no group is added
            assert "(" not in english, key
            assert "(" not in dutch, key
    assert INDICATORS["adverse"] == (
        "adverse consequences among victims",
        "negatieve gevolgen bij slachtoffers",
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_synthetic_banner_fits_a_factsheet_as_well_as_the_report(language: str) -> None:
    # the factsheets carry the report's banner: "elk cijfer in dit rapport" on a factsheet
    from vpt_monitor.report.text import text

    banner = text("synthetic", language, source="simulate()")
    assert "rapport" not in banner.split(";")[0].replace("rapportage", "")
    assert "report" not in banner.split(";")[0].replace("reporting", "")
    assert ("elk cijfer hier" if language == "nl" else "every figure here") in banner


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_plan_of_one_domain_says_domain(language: str) -> None:
    from vpt_monitor import plan_sample
    from vpt_monitor.synth import simulate

    plan = plan_sample(simulate(waves=(2016,), scale=0.1), by=None, margin=0.05)
    title = plan.to_string(language).splitlines()[0]
    assert (", 1 domein," if language == "nl" else ", 1 domain,") in title


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_method_note_names_a_wave_delivered_without_weights(language: str) -> None:
    # An analyst's trial: 2016 came without weights (set to 1 to read it) beside a weighted
    # 2014; the report said its estimates respected "weights and strata" and printed a
    # change of +5.2 points where weighting 2016 gave +1.7
    import numpy as np

    from vpt_monitor import MonitorData
    from vpt_monitor.report.content import design_words

    n = 40
    k = np.arange(n)
    data = MonitorData.from_columns(
        {
            "id": [str(i % 20 + 1) for i in range(n)],
            "wave": np.where(k < 20, 2014, 2016),
            "layer": ["gemeente"] * n,
            "office": np.array(["burgemeester", "raadslid"])[k % 2],
            "weight": np.where(k < 20, 2.0 + k % 3, 1.0),
            "stratum": np.array(["Noord", "Zuid"])[k % 2],
            "incidents:verbaal": k % 3,
        }
    )
    words = design_words(data, language)
    expected = (
        "ongewogen in 2016: elke respondent van die meting telt één keer"
        if language == "nl"
        else "unweighted in 2016: every respondent of that wave counts once"
    )
    assert words.endswith(expected)
    assert words.startswith("gewichten" if language == "nl" else "weights")
    weighted = MonitorData.from_columns({**data.to_pandas(), "weight": 2.0 + k % 3})
    assert "2016" not in design_words(weighted, language)
    both = MonitorData.from_columns(
        {**data.to_pandas(), "wave": np.where(k < 20, 2014, np.where(k < 30, 2016, 2018))}
    )
    plural = (
        "ongewogen in 2016 en 2018: elke respondent van die metingen telt één keer"
        if language == "nl"
        else "unweighted in 2016 and 2018: every respondent of those waves counts once"
    )
    assert design_words(both, language).endswith(plural)
