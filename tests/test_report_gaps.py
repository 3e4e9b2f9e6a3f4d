"""The report on files that lack a group, a second wave or the organisation survey.

From a new-user trial: a file of employees only gave the lead "n.b. van de
politieke ambtsdragers (n.b.%)", section titles "2016-2016", an unreliable headline figure
without its †, and organisation sections that vanished without a word; and
``--lonely-psu`` was ignored on simulated data, the report never saying which policy it used.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from vpt_monitor import Group, MonitorData
from vpt_monitor.__main__ import main
from vpt_monitor.report.content import compute_report, lead_text
from vpt_monitor.synth import simulate


@pytest.fixture(scope="module")
def employees_2016() -> MonitorData:
    records = simulate(waves=(2016,), scale=0.2, seed=1).to_records()
    people = [r for r in records.respondents if r.office.group is Group.EMPLOYEE]
    ids = {r.id for r in people}
    incidents = [i for i in records.incidents if i.respondent_id in ids]
    return MonitorData.from_records(respondents=people, incidents=incidents, lonely_psu="adjust")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_group_missing_from_the_data_is_said_so(
    employees_2016: MonitorData, language: str
) -> None:
    content = compute_report(employees_2016, language=language)
    assert "n.b." not in content.lead
    assert "n/a" not in content.lead
    if language == "nl":
        assert content.lead.startswith("In 2016 kreeg 22,5% van de overheidsmedewerkers (")
        assert content.lead.endswith("De gegevens bevatten geen politieke ambtsdragers in 2016.")
    else:
        assert content.lead.endswith("The data hold no political office holders in 2016.")


def test_one_wave_is_one_year_in_the_titles(employees_2016: MonitorData) -> None:
    titles = [s.title for s in compute_report(employees_2016, language="nl").sections]
    assert "Agressie en geweld, 2016" in titles
    assert not any("2016-2016" in t for t in titles)


def test_without_an_organisations_file_the_report_says_not_measured(
    employees_2016: MonitorData,
) -> None:
    content = compute_report(employees_2016, language="en")
    assert any(
        "not measured in these data (no organisations file was read)" in a for a in content.absent
    )
    assert content.sections[-1].anchor == "absent"


def test_an_unreliable_headline_figure_carries_its_mark() -> None:
    rows = [
        {
            "group": Group.POLITICAL,
            "wave": 2016,
            "estimate": 0.3,
            "low": 0.1,
            "high": 0.6,
            "n": 12,
            "reliable": False,
            "note": "effective n 12 < 50",
        },
        {
            "group": Group.EMPLOYEE,
            "wave": 2016,
            "estimate": 0.2,
            "low": 0.18,
            "high": 0.22,
            "n": 900,
            "reliable": True,
            "note": "",
        },
    ]
    lead = lead_text(rows, 2016, "en")
    assert lead.startswith("In 2016, 30.0%† of political office holders (")
    assert "† political office holders: does not meet the publication rules" in lead
    assert "effective n 12 < 50" in lead


def test_lonely_psu_is_honoured_on_simulated_data_and_stated(tmp_path: Path) -> None:
    out = tmp_path / "r"
    argv = ["report", "--out", str(out), "--scale", "0.1", "--language", "en"]
    assert main([*argv, "--lonely-psu", "certainty"]) == 0
    page = html.unescape((out / "index.html").read_text())
    assert "lonely_psu='certainty'" in page
    assert "lonely_psu='adjust'" not in page
    assert simulate(waves=(2016,), scale=0.1, lonely_psu="remove").lonely_psu == "remove"


def test_factsheets_say_per_provincie_in_dutch_and_explain_holm(tmp_path: Path) -> None:
    from vpt_monitor.report import build_factsheets

    data = simulate(waves=(2014, 2016), scale=0.1, seed=3)
    out = tmp_path / "fs"
    build_factsheets(data, by="province", out=out, language="nl", pdf=False)
    summary = (out / "summary.md").read_text()
    index = html.unescape((out / "index.html").read_text())
    assert "per province" not in summary
    assert "per province" not in index
    assert "per provincie" in summary
    page = html.unescape((out / "utrecht.html").read_text())
    assert "Het interval van een verschil is niet gecorrigeerd" in page
    assert "met Holm gecorrigeerde p-waarden" in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_figure_titles_fit_inside_the_figure(
    language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # violations.png had its title cut off at both ends
    from matplotlib.figure import Figure

    from vpt_monitor import Layer
    from vpt_monitor.report import figures
    from vpt_monitor.report.text import text

    checked: list[str] = []
    save = Figure.savefig

    def checking(fig: Figure, *args: object, **kwargs: object) -> None:
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        for ax in fig.axes:
            box = ax.title.get_window_extent(renderer)
            assert box.x0 >= fig.bbox.x0
            assert box.x1 <= fig.bbox.x1
            checked.append(ax.title.get_text())
        save(fig, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Figure, "savefig", checking)
    rows = [
        {"layer": layer, "estimate": 1.5, "low": 1.0, "high": 2.0, "n": 40, "reliable": True}
        for layer in Layer
    ]
    title = text("fig_violations_title", language, wave=2016)
    figures.forest(
        rows,
        "layer",
        title=title,
        xlabel=text("fig_violations_axis", language),
        language=language,
        kind="rate",
    )
    assert checked
    assert checked[0].replace("\n", " ") == title


def test_version_and_exit_status_3_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    import vpt_monitor

    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"vpt-monitor {vpt_monitor.__version__}"
    for argv in (["--help"], ["report", "--help"], ["factsheets", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        assert "3 an internal error" in " ".join(capsys.readouterr().out.split())
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert "3 an internal error" in " ".join(readme.split())


def test_a_missing_openpyxl_warning_points_at_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, employees_2016: MonitorData
) -> None:
    import sys

    from vpt_monitor.report import build_report

    monkeypatch.setitem(sys.modules, "openpyxl", None)  # "not installed"
    with pytest.warns(RuntimeWarning, match="openpyxl is not installed") as caught:
        build_report(employees_2016, tmp_path / "r")
    assert caught[0].filename == __file__


@pytest.mark.parametrize(
    ("language", "words"), [("nl", "methode van Holm"), ("en", "adjusted with Holm&#x27;s method")]
)
def test_the_change_table_explains_its_intervals_beside_holm_p(
    tmp_path: Path, language: str, words: str
) -> None:
    from vpt_monitor.report import build_report

    build_report(simulate(seed=3, scale=0.2), tmp_path / "r", language=language)
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert words in page


# ---- a tester's trial of agency files: what the page says of the design ---------------------


def test_every_lonely_psu_policy_is_stated_on_the_page() -> None:
    # report --lonely-psu average stopped with KeyError: 'lonely_average'
    from vpt_monitor.report.text import text
    from vpt_monitor.stats.design import LONELY_PSU_POLICIES

    for policy in LONELY_PSU_POLICIES:
        for language in ("en", "nl"):
            assert f"lonely_psu='{policy}'" in text(f"lonely_{policy}", language)
    records = simulate(waves=(2016,), scale=0.2, seed=1).to_records()
    data = MonitorData.from_records(records.respondents, records.incidents, lonely_psu="average")
    content = compute_report(data, language="nl")
    assert "lonely_psu='average'" in content.method_note


def test_the_method_note_names_what_the_design_holds() -> None:
    # the page said "weights, strata, clusters and finite-population corrections are
    # respected" of a file whose weight column had been passed over (all weights 1)
    from vpt_monitor.report.content import design_words

    data = simulate(waves=(2016,), scale=0.2, seed=1)
    assert design_words(data, "en") == "weights, strata, clusters and finite-population corrections"
    records = data.to_records()
    plain = MonitorData.from_records(
        [
            attrs_evolve(r, weight=1.0, stratum=None, cluster=None, fpc=None, fpc2=None)
            for r in records.respondents
        ],
        records.incidents,
    )
    assert design_words(plain, "en") == "unweighted: every respondent counts once"
    assert design_words(plain, "nl") == "ongewogen: elke respondent telt één keer"
    note = compute_report(plain, language="en").method_note
    assert note.startswith("Estimates are design-based (unweighted: every respondent counts once)")
    weighted_clusters = MonitorData.from_records(
        [attrs_evolve(r, stratum=None, fpc=None, fpc2=None) for r in records.respondents],
        records.incidents,
        lonely_psu="adjust",
    )
    assert design_words(weighted_clusters, "nl") == "gewichten en clusters"


def attrs_evolve(record: object, **changes: object) -> object:
    import attrs

    return attrs.evolve(record, **changes)  # type: ignore[misc]


def test_dutch_pages_give_the_reasons_of_a_zero_standard_error_in_dutch() -> None:
    from vpt_monitor.report.text import reason

    english = (
        "zero standard error: all its PSUs lie in strata sampled completely (fpc equal to "
        "the PSUs sampled)"
    )
    dutch = reason(english, "nl")
    assert dutch.startswith("standaardfout nul: al haar PSU's liggen in volledig getrokken")
    assert "sampled" not in dutch
    quantile = "no standard error: an end of the interval lies beyond the data's range"
    assert reason(quantile, "nl") == (
        "geen standaardfout: een grens van het interval ligt buiten het bereik van de gegevens"
    )
    assert reason(english, "en") == english


def test_an_organisations_file_without_records_is_not_called_unread(tmp_path: Path) -> None:
    data = simulate(waves=(2016,), scale=0.2, seed=1)
    folder = tmp_path / "data"
    folder.mkdir()
    for table in ("respondents", "incidents"):
        data.to_pandas(table).to_csv(folder / f"{table}.csv", index=False)
    for table in ("organisations", "violations"):  # delivered with their headers only
        header = ",".join(data.to_pandas(table).columns)
        (folder / f"{table}.csv").write_text(header + "\n", encoding="utf-8")
    from vpt_monitor.io import read_monitor

    read = read_monitor(
        folder / "respondents.csv",
        folder / "incidents.csv",
        folder / "organisations.csv",
        folder / "violations.csv",
        lonely_psu="adjust",
    )
    absent = compute_report(read, language="en").absent
    assert any("(the organisations file has no records)" in a for a in absent)
    assert not any("no organisations file was read" in a for a in absent)
