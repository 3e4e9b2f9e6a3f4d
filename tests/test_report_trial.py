"""The report and the factsheets on what a tester brought: files that lack something.

From a tester's trial: an organisations file alone stopped the report on the respondents'
design; factsheets left out a province without respondents without a word; the summary
printed "n.b. procentpunt (n.b.; gecorrigeerde n.b.)" for a group without respondents;
factsheets showed decision influence (asked of political office holders only) for employees,
and doubled its group in the label; the index said "omvat provincie"; the English pages
carried Dutch terms; and summary.md said each method break in a sentence of its own.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import pytest

from vpt_monitor.__main__ import main
from vpt_monitor.attributes import declare
from vpt_monitor.io import read_monitor
from vpt_monitor.report import ReportError, build_factsheets, build_report

ADJUST = ["--lonely-psu", "adjust"]
NO_PDF = ["--no-pdf", *ADJUST]

#: The measures of the organisations file written below (the 2016 letter's five and two more).
MEASURES = (
    "risicoanalyse",
    "functiescheiding",
    "vog",
    "registratie-schendingen",
    "nevenwerkzaamheden",
    "gedragscode",
    "vertrouwenspersoon",
)


def _organisations_files(folder: Path) -> tuple[Path, Path]:
    """Write an organisations file of two waves and a violations file, as an agency does.

    Dutch CSV conventions (semicolons, decimal commas, "ja"/"nee"), strata named alike in
    both waves, one layer sampled completely (fpc equal to the organisations sampled).
    """
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    layers = (("gemeente", 12, "40"), ("provincie", 12, "12"), ("rijk", 12, "30"))
    for wave in (2014, 2016):
        for layer, count, fpc in layers:
            for k in range(count):
                answers = ";".join(
                    "ja" if (k + j + wave) % (2 + j % 3) else "nee" for j in range(len(MEASURES))
                )
                weight = str(int(fpc) / count).replace(".", ",")
                rows.append(
                    f"{layer[:2]}{k:03d};{wave};{layer};{150 + 37 * k};{weight};{layer};{fpc};"
                    + answers
                )
    header = "id;wave;layer;employees;weight;stratum;fpc;" + ";".join(
        f"measure:{m}" for m in MEASURES
    )
    organisations = folder / "organisaties.csv"
    organisations.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    violations = folder / "schendingen.csv"
    violations.write_text(
        "organisation_id;wave;kind;status\n"
        "ge001;2016;fraude;vermoeden\n"
        "ge001;2016;ongewenst-gedrag;onderzocht\n"
        "pr004;2016;misbruik-middelen;vermoeden\n"
        "ri007;2014;fraude;onderzocht\n",
        encoding="utf-8",
    )
    return organisations, violations


#: Provinces of the respondents file written below: Zeeland is not among them.
PROVINCES = tuple(
    str(p.value) for p in declare(None)["province"].codes if str(p.value) != "zeeland"
)


def _respondents_file(
    folder: Path,
    *,
    waves: tuple[int, ...] = (2014, 2016),
    employee_waves: tuple[int, ...] = (2014, 2016),
    per_wave: int = 264,
) -> Path:
    """Write a respondents file of ``waves`` as an agency delivers it.

    Semicolons, decimal commas, an empty cell where the province is unknown (every 13th
    respondent), no Zeeland, and Flevoland's province left empty in 2014; employees
    (ambtenaren) in ``employee_waves`` only. Victims are
    every third respondent; a third of the political office holders say aggression
    influenced a decision, a question employees are not asked (empty cells).
    """
    folder.mkdir(parents=True, exist_ok=True)
    header = (
        "id;wave;layer;office;weight;incidents:verbaal;incidents:bedreiging;incidents:fysiek;"
        "consequence:besluitvorming-beinvloed;province"
    )
    lines = [header]
    for wave in waves:
        offices = ("burgemeester", "wethouder", "raadslid", "ambtenaar")
        if wave not in employee_waves:
            offices = offices[:3]
        for k in range(per_wave):
            office = offices[k % len(offices)]
            province = PROVINCES[k % len(PROVINCES)]
            if k % 13 == 0 or (wave == 2014 and province == "flevoland"):
                province = ""
            victim = (k + wave) % 3 == 0
            influence = "" if office == "ambtenaar" else ("ja" if k % 3 == 1 else "nee")
            weight = f"{1 + (k % 5) / 4:.2f}".replace(".", ",")
            lines.append(
                f"{wave}-{k:04d};{wave};gemeente;{office};{weight};{int(victim) * (1 + k % 2)};"
                f"{int(victim and k % 4 == 0)};0;{influence};{province}"
            )
    path = folder / "respondenten.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _factsheets(respondents: Path, out: Path, *options: str) -> int:
    """Run ``vpt-monitor factsheets`` on a respondents file, without the PDF."""
    return main(
        ["factsheets", "--respondents", str(respondents), "--out", str(out), *options, *NO_PDF]
    )


# ---- 1. an organisations file alone ----------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_organisations_file_alone_makes_a_report_of_the_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    organisations, violations = _organisations_files(tmp_path / "data")
    out = tmp_path / "report"
    status = main(
        [
            "report",
            "--organisations",
            str(organisations),
            "--violations",
            str(violations),
            "--out",
            str(out),
            "--language",
            language,
            *ADJUST,
        ]
    )
    assert status == 0, capsys.readouterr().err
    page = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    summary = (out / "summary.md").read_text(encoding="utf-8")
    if language == "nl":
        said = "De gegevens bevatten geen respondenten"
        assert "Beleid van organisaties, 2016" in page
        assert "Metingen van de organisaties 2014, 2016; 72 organisaties" in page
    else:
        said = "The data hold no respondents"
        assert "Organisations' policy, 2016" in page
        assert "Organisation survey waves 2014, 2016; 72 organisations" in page
    assert said in page
    assert said in summary
    assert "n.b." not in summary
    assert "n/a" not in summary
    assert (out / "tables" / "policy_coverage_2016.csv").is_file()
    assert (out / "tables" / "violations_per_1000_by_layer_2016.csv").is_file()
    assert not list((out / "tables").glob("victimisation*"))


def test_without_respondents_the_report_names_the_sections_left_out(tmp_path: Path) -> None:
    organisations, violations = _organisations_files(tmp_path / "data")
    data = read_monitor(organisations=organisations, violations=violations, lonely_psu="adjust")
    folder = build_report(data, tmp_path / "report", language="en")
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert (
        "aggression and violence, reporting, influence on decisions and perceived integrity "
        "violations: not measured in these data (no respondents)"
    ) in summary
    # the method note speaks of the design the estimates used: the organisations'
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "design-based (weights, strata and finite-population corrections)" in page


def test_data_without_respondents_or_organisations_are_refused_plainly(tmp_path: Path) -> None:
    organisations, _ = _organisations_files(tmp_path / "data")
    header = organisations.read_text(encoding="utf-8").splitlines()[0]
    organisations.write_text(header + "\n", encoding="utf-8")
    data = read_monitor(organisations=organisations, lonely_psu="adjust")
    with pytest.raises(ReportError, match="the data hold no respondents and no organisations"):
        build_report(data, tmp_path / "report")


def test_factsheets_of_an_organisations_file_alone_say_they_need_respondents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    organisations, _ = _organisations_files(tmp_path / "data")
    fs = str(tmp_path / "fs")
    status = main(["factsheets", "--organisations", str(organisations), "--out", fs, *NO_PDF])
    assert status == 1
    err = capsys.readouterr().err
    assert "factsheets compare respondents" in err
    assert "give a respondents file" in err
    assert "'weights' is empty" not in err
    data = read_monitor(organisations=organisations, lonely_psu="adjust")
    with pytest.raises(ReportError, match="the data hold no respondents"):
        build_factsheets(data, out=tmp_path / "fs2")


def test_weighting_an_organisations_file_alone_asks_for_respondents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    organisations, _ = _organisations_files(tmp_path / "data")
    population = tmp_path / "population.csv"
    population.write_text("variable,category,count\nlayer,gemeente,100\n", encoding="utf-8")
    out = str(tmp_path / "weighted")
    status = main(
        [
            "weight",
            "--organisations",
            str(organisations),
            "--population",
            str(population),
            "--out",
            out,
            *ADJUST,
        ]
    )
    assert status == 2
    err = capsys.readouterr().err
    assert "weight needs respondents to weight, and the data hold none" in err
    assert not (tmp_path / "weighted").exists()


# ---- 2. a province without respondents ------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_factsheets_name_the_provinces_without_a_page_and_the_unknown_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    respondents = _respondents_file(tmp_path / "data")
    out = tmp_path / "fs"
    status = _factsheets(respondents, out, "--by", "province", "--language", language)
    assert status == 0, capsys.readouterr().err
    assert not (out / "zeeland.html").exists()
    assert (out / "flevoland.html").exists()  # unknown in 2014 only: a page for 2016
    summary = (out / "summary.md").read_text(encoding="utf-8")
    page = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    if language == "nl":
        lines = (
            "Eén pagina per provincie (11)",
            "Geen pagina voor Zeeland: geen respondenten in 2016.",
            "21 respondenten van 2016 hebben geen bekende provincie; zij tellen mee in de "
            "landelijke cijfers, niet op een pagina.",
        )
    else:
        lines = (
            "One page per province (11)",
            "No page for Zeeland: no respondents in 2016.",
            "21 respondents of 2016 have no known province; they count in the national "
            "figures, not on any page.",
        )
    for line in lines:
        assert line in summary
        assert line in page
    metadata = json.loads((out / "tables" / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["without_page"] == ["zeeland"]
    assert metadata["unknown"] == 21


# ---- 3. a group without respondents in a wave -----------------------------------------------


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nl",
            "Verandering 2014-2016, overheidsmedewerkers: geen schatting, want de gegevens "
            "bevatten geen overheidsmedewerkers in 2014",
        ),
        (
            "en",
            "Change 2014-2016, employees: no estimate, as the data hold no employees in 2014",
        ),
    ],
)
def test_the_summary_says_a_group_without_respondents_in_a_wave_has_no_estimate(
    tmp_path: Path, language: str, said: str
) -> None:
    respondents = _respondents_file(tmp_path / "data", employee_waves=(2016,))
    data = read_monitor(respondents, lonely_psu="adjust")
    summary = (build_report(data, tmp_path / "report", language=language) / "summary.md").read_text(
        encoding="utf-8"
    )
    assert f"- {said}\n" in summary
    assert "n.b." not in summary
    assert "n/a" not in summary


def test_the_summary_leaves_out_a_group_absent_from_the_data(tmp_path: Path) -> None:
    respondents = _respondents_file(tmp_path / "data", employee_waves=())
    data = read_monitor(respondents, lonely_psu="adjust")
    summary = (build_report(data, tmp_path / "report") / "summary.md").read_text(encoding="utf-8")
    changes = [line for line in summary.splitlines() if line.startswith("- Verandering")]
    assert len(changes) == 1
    assert changes[0].startswith("- Verandering 2014-2016, politieke ambtsdragers: ")
    assert "procentpunt (" in changes[0]
    assert "n.b." not in summary


# ---- 6. method breaks, said once --------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_summary_says_the_method_breaks_in_one_sentence_as_the_page(
    tmp_path: Path, language: str
) -> None:
    respondents = _respondents_file(tmp_path / "data", waves=(2010, 2014))
    data = read_monitor(respondents, lonely_psu="adjust")
    folder = build_report(data, tmp_path / "report", language=language)
    lines = (folder / "summary.md").read_text(encoding="utf-8").splitlines()
    page = html.unescape((folder / "index.html").read_text(encoding="utf-8"))
    trend = "- Niet alle getoonde metingen" if language == "nl" else "- Not all waves shown"
    change = "- Methodebreuken: " if language == "nl" else "- Method breaks: "
    for start in (trend, change):
        (line,) = [line for line in lines if line.startswith(start)]
        assert "2010-2012: " in line
        assert "2012-2014: " in line
        said = line.removeprefix("- ").replace("\\", "")  # unescape Markdown
        assert said in page
    single = "- Methodebreuk: " if language == "nl" else "- Method break: "
    assert not [line for line in lines if line.startswith(single)]


# ---- 4. decision influence: political office holders only -----------------------------------


@pytest.mark.parametrize("by", ["province", "group"])
def test_factsheets_leave_out_decision_influence_for_employees(tmp_path: Path, by: str) -> None:
    respondents = _respondents_file(tmp_path / "data")
    assert _factsheets(respondents, tmp_path / "fs", "--by", by, "--language", "en") == 0
    rows = pd.read_csv(tmp_path / "fs" / "tables" / "factsheets.csv")
    influence = rows[rows["indicator"] == "decision_influence"]
    assert set(influence["group"]) == {"politiek-ambtsdrager"}
    assert len(influence) == (1 if by == "group" else len(PROVINCES))
    assert set(influence["indicator_label"]) == {"decisions influenced (political office holders)"}
    national = pd.read_csv(tmp_path / "fs" / "tables" / "national.csv")
    assert len(national[national["indicator"] == "decision_influence"]) == 1
    pages = " ".join(
        html.unescape(p.read_text(encoding="utf-8")) for p in (tmp_path / "fs").glob("*.html")
    )
    assert "(political office holders) (political office holders)" not in pages
    assert "decisions influenced (political office holders) (employees)" not in pages
    if by == "group":
        employees = html.unescape((tmp_path / "fs" / "medewerker.html").read_text("utf-8"))
        assert "decisions influenced" not in employees


# ---- 5. wording: the index's method note, Dutch terms in English --------------------------


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "Het landelijke cijfer omvat de cijfers per provincie: een cijfer per provincie"),
        ("en", "The national figure includes the figures by province: a figure by province"),
    ],
)
def test_the_index_method_note_speaks_of_the_figures_by_province(
    tmp_path: Path, language: str, said: str
) -> None:
    respondents = _respondents_file(tmp_path / "data")
    assert _factsheets(respondents, tmp_path / "fs", "--language", language) == 0
    index = html.unescape((tmp_path / "fs" / "index.html").read_text(encoding="utf-8"))
    assert said in index
    assert "omvat provincie" not in index
    assert "includes province" not in index
    utrecht = html.unescape((tmp_path / "fs" / "utrecht.html").read_text(encoding="utf-8"))
    assert ("omvat Utrecht" if language == "nl" else "includes Utrecht") in utrecht


def test_english_pages_carry_no_dutch_terms(tmp_path: Path) -> None:
    respondents = _respondents_file(tmp_path / "data")
    incidents = tmp_path / "data" / "incidenten.csv"
    incidents.write_text(
        "respondent_id;wave;form;channel;reported_internally;police_report\n"
        + "".join(
            f"2016-{k:04d};2016;verbaal;persoonlijk;{'ja' if k % 2 else 'nee'};"
            f"{'ja' if k % 5 == 0 else 'nee'}\n"
            for k in range(264)
            if (k + 2016) % 3 == 0
        ),
        encoding="utf-8",
    )
    data = read_monitor(respondents, incidents, lonely_psu="adjust")
    report = build_report(data, tmp_path / "report", language="en")
    out = tmp_path / "fs"
    assert _factsheets(respondents, out, "--incidents", str(incidents), "--language", "en") == 0
    for page in (report / "index.html", out / "index.html", out / "utrecht.html"):
        text = page.read_text(encoding="utf-8")
        assert "reported internally" in text.lower()  # "Reported internally, 2016"
        assert "(melden)" not in text
        assert "(aangifte)" not in text
    table = pd.read_csv(out / "tables" / "factsheets.csv")
    assert table["indicator_label"].str.startswith("incidents reported internally").any()
    assert not table["indicator_label"].str.contains("melden|aangifte").any()
