"""Factsheets (issue 12): a province against the national figure, against R; the pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import read_reference_columns, read_reference_csv
from numpy.testing import assert_allclose
from test_monitor_reference import DATA as PLAIN

from vpt_monitor import (
    MonitorData,
    Province,
    decision_influence,
    integrity_perception,
    reporting_propensity,
    victimisation,
)
from vpt_monitor.__main__ import main
from vpt_monitor.report import ReportError, build_factsheets
from vpt_monitor.report.compare import compare_with_national, split
from vpt_monitor.report.factsheets import ASKED_OF, HEADLINES
from vpt_monitor.synth import simulate

R = {
    (r["indicator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("factsheets.csv")
}


def _with_provinces() -> MonitorData:
    provinces = read_reference_columns("factsheet_provinces.csv")
    where = {rid: i for i, rid in enumerate(provinces["id"])}
    frame = PLAIN.to_pandas()
    frame["province"] = [
        provinces["province"][where[str(rid)]] or None for rid in PLAIN.respondents["id"]
    ]
    return MonitorData.from_columns(
        frame, PLAIN.to_pandas("incidents"), lonely_psu=PLAIN.lonely_psu
    )


DATA = _with_provinces()

INDICATORS: dict[str, tuple[Any, dict[str, Any]]] = {
    "victimisation": (victimisation, {}),
    "threat": (victimisation, {"form": "bedreiging"}),
    "perceived": (integrity_perception, {}),
    "influence": (decision_influence, {}),
    "reporting": (reporting_propensity, {"to": "employer"}),
}


# ---- against R: svyby(covmat = TRUE) + svycontrast, and the full linearisation ---------------


def _no_test(result: Any, i: int) -> bool:
    """Whether row ``i`` is a share of 0% or 100%, and then that it has no test.

    Such a share has no variance to test a difference with: R's standard error is the
    national figure's alone, ours NaN (documented on the validation page).
    """
    if result.estimate[i] not in (0.0, 1.0):
        return False
    assert np.isnan(result.standard_error[i])
    assert np.isnan(result.p_value[i])
    assert np.isnan(result.df[i])
    return True


@pytest.mark.parametrize("wave", [2014, 2016])
@pytest.mark.parametrize("name", list(INDICATORS))
def test_a_province_against_the_national_figure_equals_r_full_linearisation(
    name: str, wave: int
) -> None:
    # R: svycontrast(svytotal(~yd + xd + y + x, sub), quote(yd / xd - y / x))
    indicator, options = INDICATORS[name]
    result = compare_with_national(DATA, indicator, by="province", wave=wave, **options)
    assert result.method == "stacked"
    checked = 0
    for i, province in enumerate(result.domains):
        key = (name, f"{wave}:{province.value}")
        if (*key, "estimate") not in R:  # nobody of the province in the indicator's rows
            assert np.isnan(result.estimate[i])  # (perceived violations: not asked in 2014)
            continue
        assert_allclose(result.estimate[i], R[(*key, "estimate")], rtol=1e-10)
        assert_allclose(result.national[i], R[(*key, "national")], rtol=1e-10)
        assert_allclose(result.difference[i], R[(*key, "difference")], rtol=1e-9, atol=1e-15)
        checked += 1
        if _no_test(result, i):
            continue
        assert_allclose(result.standard_error[i], R[(*key, "full_se")], rtol=1e-9)
        assert result.df[i] == R[(*key, "df")]
        assert_allclose(result.p_value[i], R[(*key, "full_p_value")], rtol=1e-7, atol=1e-300)
    assert checked == sum(
        1 for k in R if k[:1] == (name,) and k[1].startswith(f"{wave}:") and k[2] == "estimate"
    )


@pytest.mark.parametrize("method", ["stacked", "rest"])
@pytest.mark.parametrize("wave", [2014, 2016])
@pytest.mark.parametrize("name", list(INDICATORS))
def test_a_province_within_a_group_against_the_groups_national_figure_equals_r(
    name: str, wave: int, method: str
) -> None:
    # R: b <- svyby(~yd + xd + y + x, ~group, sub, svytotal, covmat = TRUE)
    #    svycontrast(b, quote(`g:yd` / `g:xd` - `g:y` / `g:x`)); df: degf(sub[group == g, ])
    indicator, options = INDICATORS[name]
    result = compare_with_national(
        DATA, indicator, by="province", within="group", wave=wave, method=method, **options
    )
    assert result.method == method
    checked = 0
    for i, (province, group) in enumerate(result.domains):
        key = (name, f"{wave}:{province.value}:{group.value}")
        if (*key, "group_estimate") not in R:
            assert np.isnan(result.estimate[i])
            continue
        assert_allclose(result.estimate[i], R[(*key, "group_estimate")], rtol=1e-10)
        assert_allclose(result.national[i], R[(*key, "group_national")], rtol=1e-10)
        assert_allclose(result.difference[i], R[(*key, "group_difference")], rtol=1e-9, atol=1e-15)
        checked += 1
        if _no_test(result, i):
            continue
        assert result.df[i] == R[(*key, "group_df")]
        if method == "stacked":
            assert_allclose(result.standard_error[i], R[(*key, "group_se")], rtol=1e-9)
            assert_allclose(result.p_value[i], R[(*key, "group_p_value")], rtol=1e-7, atol=1e-300)
    assert checked == sum(
        1 for k in R if k[0] == name and k[1].startswith(f"{wave}:") and k[2] == "group_estimate"
    )
    assert checked > 0 or (name, wave) == ("perceived", 2014)  # not asked in 2014


def test_the_within_group_comparison_is_not_the_pooled_one() -> None:
    # the finding: a province's political office holders were compared with a national
    # figure that pools them with the employees (whose victimisation is far lower)
    pooled = compare_with_national(DATA, victimisation, by="province", wave=2016)
    within = compare_with_national(DATA, victimisation, by="province", within="group", wave=2016)
    politicians = [i for i, (_, g) in enumerate(within.domains) if g == "politiek-ambtsdrager"]
    national = within.national[politicians]
    assert np.allclose(national, national[0])
    assert abs(national[0] - pooled.national[0]) > 0.05


@pytest.mark.parametrize("wave", [2014, 2016])
@pytest.mark.parametrize("name", list(INDICATORS))
def test_through_the_rest_of_the_country_equals_r_svyby_contrast(name: str, wave: int) -> None:
    # R: svycontrast(svyby(~y, ~in_d, sub, svyratio, covmat = TRUE), c(-1, 1))
    indicator, options = INDICATORS[name]
    result = compare_with_national(
        DATA, indicator, by="province", wave=wave, method="rest", **options
    )
    assert result.method == "rest"
    for i, province in enumerate(result.domains):
        key = (name, f"{wave}:{province.value}")
        if (*key, "estimate") not in R:
            continue
        assert_allclose(result.estimate[i], R[(*key, "estimate")], rtol=1e-10)
        assert_allclose(result.rest[i], R[(*key, "rest")], rtol=1e-10)
        assert_allclose(result.national[i], R[(*key, "national")], rtol=1e-10)
        assert_allclose(result.contrast[i], R[(*key, "contrast")], rtol=1e-9, atol=1e-15)
        assert_allclose(result.difference[i], R[(*key, "difference")], rtol=1e-9, atol=1e-15)
        if _no_test(result, i):
            continue
        assert_allclose(result.contrast_error[i], R[(*key, "contrast_se")], rtol=1e-9)
        assert result.df[i] == R[(*key, "df")]
        assert_allclose(result.p_value[i], R[(*key, "p_value")], rtol=1e-7, atol=1e-300)


def test_the_share_held_fixed_is_close_to_the_full_linearisation_but_not_equal() -> None:
    # the rest-of-country interval holds the province's share fixed: within a few per cent of
    # the full linearisation for shares of respondents, but off by up to half for shares of
    # incidents, where a province's share of the incidents rests on a few heavily weighted
    # victims; hence the stacked comparison wherever the design allows it
    ratios: dict[bool, list[float]] = {True: [], False: []}
    for (name, domain, quantity), full in R.items():
        if quantity != "full_se":
            continue
        wave, province = domain.split(":")
        indicator, options = INDICATORS[name]
        rest = compare_with_national(
            DATA,
            indicator,
            by="province",
            wave=int(wave),
            domains=(Province(province),),
            method="rest",
            **options,
        )
        ratios[name == "reporting"].append(rest.standard_error[0] / full)
    assert 0.95 < min(ratios[False]) <= max(ratios[False]) < 1.05
    assert min(ratios[True]) < 0.6


def _calibrated() -> MonitorData:
    """DATA with weights post-stratified to population counts by wave and group.

    On a one-stage design: calibration does not take a second-stage fpc.
    """
    from vpt_monitor.stats import SurveyDesign, poststratify

    own = DATA.design
    one_stage = SurveyDesign(weights=own.weights, strata=own.strata, clusters=own.psu)
    cells = DATA.respondents["wave"] * 10 + DATA.respondents["group"]
    totals = {int(c): 1.1 * own.weights[cells == c].sum() for c in np.unique(cells)}
    return DATA.with_design(poststratify(one_stage, cells, totals))


def test_stacking_needs_the_design_of_the_columns() -> None:
    calibrated = _calibrated()
    result = compare_with_national(calibrated, victimisation, by="province", wave=2016)
    assert result.method == "rest"
    with pytest.raises(ValueError, match="method='stacked' needs the design"):
        compare_with_national(calibrated, victimisation, by="province", wave=2016, method="stacked")


def test_a_naive_independent_samples_test_would_differ() -> None:
    # the province is part of the nation: treating the two as independent overstates the
    # standard error of the difference; the design-based one is what R's svycontrast gives
    result = compare_with_national(DATA, victimisation, by="province", wave=2016)
    table = victimisation(DATA, by=("wave", "province"))
    national = victimisation(DATA, wave=2016)
    i = result.domains.index(Province.ZUID_HOLLAND)
    naive = np.hypot(table[(2016, Province.ZUID_HOLLAND)].standard_error, national.standard_error)
    assert result.standard_error[i] < 0.95 * naive


def test_stacking_counts_every_respondent_in_their_province_and_in_the_nation() -> None:
    from vpt_monitor.report.compare import _stack

    both, name, _ = _stack(DATA, "province", tuple(Province))  # type: ignore[misc]
    assert len(both) == 2 * len(DATA)
    assert both.design.n_psu == DATA.design.n_psu
    assert both.design.df == DATA.design.df
    national = victimisation(both, by=name, wave=2016)["national"]  # type: ignore[index]
    plain = victimisation(DATA, wave=2016)
    assert national.estimate == pytest.approx(plain.estimate, rel=1e-14)
    assert national.standard_error == pytest.approx(plain.standard_error, rel=1e-12)
    assert national.df == plain.df


def test_reusing_stacks_gives_the_same_comparisons_and_never_mixes_two_data() -> None:
    from vpt_monitor.report.compare import _stack, reusing_stacks

    calibrated = _calibrated()
    # another delivery of the same shape: every other respondent of 2016 weighs twice as much
    frame = DATA.to_pandas()
    doubled = (frame["wave"] == 2016).to_numpy() & (np.arange(len(frame)) % 2 == 0)
    frame["weight"] = frame["weight"] * np.where(doubled, 2.0, 1.0)
    other = MonitorData.from_columns(frame, DATA.to_pandas("incidents"), lonely_psu=DATA.lonely_psu)
    asked = [
        (data, function, options, by)
        for data in (DATA, calibrated, other)
        for function, options in ((victimisation, {}), (decision_influence, {}))
        for by in ("province", "office")
    ]
    alone = [
        compare_with_national(data, function, by=by, wave=2016, **options).to_pandas()
        for data, function, options, by in asked
    ]
    with reusing_stacks():
        first = _stack(DATA, "province", (Province.UTRECHT,))
        assert first is not None
        assert _stack(DATA, "province", (Province.UTRECHT,))[0] is first[0]  # type: ignore[index]
        assert _stack(DATA, "office", ())[0] is not first[0]  # type: ignore[index]
        assert _stack(other, "province", ())[0] is not first[0]  # type: ignore[index]
        assert _stack(calibrated, "province", ()) is None  # the rest of the country
        reused = [
            compare_with_national(data, function, by=by, wave=2016, **options).to_pandas()
            for data, function, options, by in asked * 2
        ]
    for i, frame in enumerate(reused):
        pd.testing.assert_frame_equal(frame, alone[i % len(alone)], check_exact=True)
    assert not alone[0].equals(alone[8])  # the other weights change the comparison


@pytest.mark.parametrize("by", ["province", "group"])
def test_the_national_rows_count_the_respondents_the_indicator_uses(by: str) -> None:
    from vpt_monitor.report.factsheets import compute_factsheets

    index, _ = compute_factsheets(DATA, by=by, language="en")
    rows = index.tables["national"].rows
    functions = {key: (function, options) for key, function, options in HEADLINES}
    assert len(rows) >= 10
    for row in rows:
        function, options = functions[row["indicator"]]
        if by == "group":  # the nation as a whole
            expected = function(DATA, wave=2016, **options).n
        else:  # the nation's people of the row's group
            expected = function(DATA, by="group", wave=2016, **options)[row["group"]].n
        assert row["n"] == expected
        assert isinstance(row["n"], int)


def test_the_split_keeps_the_design_and_puts_unknown_values_in_the_rest() -> None:
    parts, name = split(DATA, "province", Province.UTRECHT)
    assert parts.design is DATA.design
    codes = parts.respondents[name]
    unknown = DATA.respondents["province"] < 0
    assert unknown.any()
    assert (codes[unknown] == 1).all()
    assert (codes == 0).sum() == (DATA.respondents["province"] == 6).sum()


def test_a_comparison_converts_to_a_tidy_frame() -> None:
    result = compare_with_national(DATA, victimisation, by="province", wave=2016)
    frame = result.to_pandas(labels="nl")
    assert frame.index.name == "domain"
    assert "Fryslân" in frame.index
    assert (frame["low"] <= frame["difference"]).all()
    assert frame.loc["Utrecht", "difference"] == pytest.approx(result["utrecht"]["difference"])


def test_comparison_refuses_what_is_not_a_domain_variable() -> None:
    with pytest.raises(ValueError, match="'by' must name a domain variable"):
        compare_with_national(DATA, victimisation, by="wave", wave=2016)
    with pytest.raises(ValueError, match="'by' must name a domain variable"):
        compare_with_national(DATA, victimisation, by="shoe_size", wave=2016)


# ---- the pages ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = simulate(waves=(2014, 2016), scale=0.4, seed=4)
    return build_factsheets(data, by="province", out=tmp_path_factory.mktemp("fs") / "sheets")


def test_a_factsheet_per_province(sheets: Path) -> None:
    pages = sorted(p.stem for p in sheets.glob("*.html"))
    assert pages == sorted(["index", *(p.value for p in Province)])
    assert (sheets / "factsheets.pdf").read_bytes().startswith(b"%PDF")
    assert (sheets / "factsheets.pdf").read_bytes().count(b"/Type /Page\n") + (
        sheets / "factsheets.pdf"
    ).read_bytes().count(b"/Type /Page ") >= 12
    index = (sheets / "index.html").read_text()
    for province in Province:
        assert f'href="{province.value}.html"' in index
        assert province.dutch in index


def test_a_page_compares_every_headline_indicator_in_dutch(sheets: Path) -> None:
    page = (sheets / "fryslan.html").read_text()
    assert '<html lang="nl">' in page
    assert "Fryslân vergeleken met het landelijke cijfer, 2016" in page
    assert "verandering sinds 2014 (%-punt)" in page
    assert "slachtoffer in de afgelopen 12 maanden" in page
    assert "waargenomen integriteitsschendingen" in page
    assert "Holm" in page
    assert 'class="synthetic"' in page
    assert "data:image/png;base64," in page
    assert " tot " in page or "\u2013" in page
    assert not any(f"{d}.{d}%" in page for d in "0123456789")  # decimal commas
    frame = pd.read_csv(sheets / "tables" / "factsheets.csv")
    assert set(frame["indicator"]) <= {key for key, _, _ in HEADLINES}
    # every province within each group: its politicians and its employees, apart - but
    # decision influence, asked of political office holders only, for them alone
    assert len(frame) == 12 * (2 * frame["indicator"].nunique() - len(ASKED_OF))
    assert set(frame["group"]) == {"politiek-ambtsdrager", "medewerker"}
    assert frame.columns[0] == "synthetic"
    assert {"province", "province_label", "indicator", "indicator_label"} <= set(frame.columns)
    assert {"difference", "p_value", "p_adjusted", "significant", "change"} <= set(frame.columns)


def test_holm_across_the_provinces_within_a_group_and_grey_cells_are_never_significant(
    sheets: Path,
) -> None:
    frame = pd.read_csv(sheets / "tables" / "factsheets.csv")
    national = pd.read_csv(sheets / "tables" / "national.csv")
    # a national figure per group (decision influence: political office holders only)
    assert len(national) == 2 * frame["indicator"].nunique() - len(ASKED_OF)
    for (indicator, group), rows in frame.groupby(["indicator", "group"]):
        figure = national[(national["indicator"] == indicator) & (national["group"] == group)]
        assert_allclose(rows["national"], figure["estimate"].iloc[0])
    for _, page in frame.groupby(["indicator", "group"]):
        p = page["p_value"].to_numpy()
        adjusted = page["p_adjusted"].to_numpy()
        known = ~np.isnan(p)
        m = known.sum()
        order = np.argsort(p[known])
        expected = np.minimum(np.maximum.accumulate(p[known][order] * (m - np.arange(m))), 1)
        assert_allclose(adjusted[known][order], expected)
    assert not (frame["significant"] & ~frame["reliable"]).any()
    grey = frame[~frame["reliable"]]
    assert (grey["note"].fillna("") != "").all()  # the reason is given


def test_grey_rows_show_their_reason_on_the_page(sheets: Path) -> None:
    frame = pd.read_csv(sheets / "tables" / "factsheets.csv")
    grey = frame[~frame["reliable"]].iloc[0]
    page = (sheets / f"{grey['province']}.html").read_text()
    assert 'class="unreliable"' in page
    assert f"\u2020 {grey['indicator_label']}: {grey['note']}" in page


def test_a_change_from_an_estimate_breaking_a_rule_gives_its_reason(sheets: Path) -> None:
    frame = pd.read_csv(sheets / "tables" / "factsheets.csv")
    assert not (frame["change_significant"] & ~frame["change_reliable"]).any()
    grey = frame[~frame["change_reliable"]]
    assert len(grey)  # the synthetic provinces have small cells
    row = grey.iloc[0]
    page = (sheets / f"{row['province']}.html").read_text()
    assert f"\u2020 {row['indicator_label']} (verandering): {row['change_note']}" in page
    assert row["change_note"].startswith(("2014: ", "2016: "))
    assert "kleiner dan" in " ".join(grey["change_note"]) or "breder dan" in " ".join(
        grey["change_note"]
    )


def test_factsheets_metadata_workbook_and_summary(sheets: Path) -> None:
    metadata = json.loads((sheets / "tables" / "metadata.json").read_text())
    assert metadata["synthetic"] is True
    assert metadata["by"] == "province"
    assert metadata["language"] == "nl"
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(sheets / "tables" / "tables.xlsx")
    assert book.sheetnames[:3] == ["info", "factsheets", "national"]
    assert "utrecht" in book.sheetnames
    summary = (sheets / "summary.md").read_text()
    assert summary.startswith("# Monitor Integriteit en Veiligheid: factsheets per provincie")
    assert "> **Synthetische gegevens" in summary


def test_factsheets_are_replaced_atomically_only_with_force(sheets: Path) -> None:
    data = simulate(waves=(2016,), scale=0.2, seed=1)
    with pytest.raises(ReportError, match="exists; choose another folder or pass force"):
        build_factsheets(data, by="group", out=sheets)
    before = sorted(p.name for p in sheets.parent.iterdir())
    folder = build_factsheets(data, by="group", out=sheets, force=True, pdf=False)
    assert sorted(p.stem for p in folder.glob("*.html")) == [
        "index",
        "medewerker",
        "politiek-ambtsdrager",
    ]
    assert not (folder / "factsheets.pdf").exists()
    assert sorted(p.name for p in sheets.parent.iterdir()) == before  # no hidden folder left


def test_a_change_across_a_method_break_is_never_called_significant(tmp_path: Path) -> None:
    # A trial of the factsheets on waves 2012 and 2014 found 53 of 240 changes marked as
    # significant (arrows, colour) across the 2012-2014 break in fieldwork and questionnaire
    data = simulate(waves=(2012, 2014), scale=0.4, seed=4)
    folder = build_factsheets(data, by="province", out=tmp_path / "f", language="en", pdf=True)
    frame = pd.read_csv(folder / "tables" / "factsheets.csv")
    assert frame["change"].notna().sum() > 100  # the changes are shown ...
    assert not frame["change_significant"].any()  # ... and none is called significant
    assert not frame["change_reliable"].any()
    page = (folder / "utrecht.html").read_text()
    # the break said once, for every change, in the page's language
    note = "\u2020 every change: method break 2012-2014: fieldwork by a new research agency"
    assert page.count(note) == 1
    assert "\u25b2" not in page.split("<table", 2)[1]  # no up arrow in the comparison table
    # the PDF's footnotes no longer run over the figure and the method note: a sheet whose
    # notes leave the figure no room continues on a page of its own (the tester's trial
    # found the change footnotes drawn over both, the last ones cut off)
    pdf = (folder / "factsheets.pdf").read_bytes()
    pages = pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ")
    assert pages > 12


def test_factsheets_in_english_by_office_without_an_earlier_wave(tmp_path: Path) -> None:
    data = simulate(waves=(2016,), scale=0.3, seed=2)
    folder = build_factsheets(data, by="office", out=tmp_path / "o", language="en", pdf=False)
    page = (folder / "burgemeester.html").read_text()
    assert "Mayor compared with the national figure, 2016" in page
    assert "<title>Mayor: aggression, violence and integrity, 2016</title>" in page
    assert "no earlier wave" in page
    assert '<html lang="en">' in page


def test_factsheets_by_a_declared_attribute_use_its_labels(tmp_path: Path) -> None:
    from vpt_monitor.attributes import Attribute

    data = simulate(waves=(2016,), scale=0.3, seed=2)
    rng = np.random.default_rng(0)
    frame = data.to_pandas()
    frame["region"] = rng.choice(["noord", "zuid"], size=len(frame))
    declared = MonitorData.from_columns(
        frame,
        data.to_pandas("incidents"),
        attributes=[
            Attribute(
                "region",
                codes=("noord", "zuid"),
                labels={"noord": ("north", "Noorden"), "zuid": ("south", "Zuiden")},
                title=("region", "regio"),
            )
        ],
        lonely_psu="adjust",
    )
    folder = build_factsheets(declared, by="region", out=tmp_path / "r", pdf=False)
    assert "Zuiden vergeleken met het landelijke cijfer" in (folder / "zuid.html").read_text()
    assert "factsheets per regio" in (folder / "index.html").read_text()


def test_the_factsheets_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "fs"
    args = ["factsheets", "--by", "group", "--out", str(out), "--scale", "0.2", "--no-pdf"]
    assert main(args) == 0
    assert (out / "index.html").exists()
    assert "factsheets written to" in capsys.readouterr().err
    assert main([*args[:2], "shoe_size", *args[3:], "--force"]) == 2
    err = capsys.readouterr().err
    assert "--by shoe_size: 'by' must name a domain variable" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pdf_says_why_a_change_is_not_marked_as_the_page_does(language: str) -> None:
    # An agency delivery whose 2014 wave did not ask about discrimination: the PDF said
    # that such a change "rests on an estimate that breaks the publication rules", where
    # the HTML page, from the same rows, says the wave did not ask the form
    from vpt_monitor.report.pdf import _change_notes
    from vpt_monitor.report.text import change_reason

    unasked = change_reason("2014: did not ask discriminatie", language)
    rule = change_reason("2016: interval wider than 130% of the estimate", language)

    def row(label: str, note: str) -> dict[str, Any]:
        return {
            "indicator_label": label,
            "previous_wave": 2014,
            "change_reliable": False,
            "change_note": note,
            "change_breaks": "",
        }

    rows = [
        row("a", unasked),
        row("b", unasked),
        row("c", f"{rule}; {unasked}"),
        row("d", rule),
        {**row("e", ""), "change_reliable": True},
    ]
    notes = _change_notes(rows, language)
    assert len(notes) == 2
    rules, asked = notes
    if language == "nl":
        assert rules.startswith("\u2020 2 veranderingen rusten op een schatting die niet")
        assert asked == (
            "\u2020 2014: niet gevraagd naar discriminatie: 3 veranderingen zijn niet "
            "vergelijkbaar en niet gemarkeerd."
        )
        one = _change_notes(rows[:1], language)
        assert one == [
            "\u2020 2014: niet gevraagd naar discriminatie: 1 verandering is niet "
            "vergelijkbaar en niet gemarkeerd."
        ]
    else:
        assert rules.startswith("\u2020 2 changes rest on an estimate that breaks")
        assert asked == (
            "\u2020 2014: did not ask discrimination: 3 changes are not comparable and are "
            "not marked."
        )
        assert _change_notes(rows[3:4], language)[0].startswith(
            "\u2020 1 change rests on an estimate that breaks"
        )


def test_page_names_are_portable_to_windows(tmp_path: Path) -> None:
    # a declared attribute's codes name the pages; "con.html" or "nul.html" cannot be
    # opened or copied on Windows (reserved device names, whatever the extension)
    from vpt_monitor.attributes import Attribute

    data = simulate(waves=(2016,), scale=0.2, seed=2)
    frame = data.to_pandas()
    frame["contract"] = np.random.default_rng(0).choice(["con", "nul", "com1"], size=len(frame))
    declared = MonitorData.from_columns(
        frame,
        data.to_pandas("incidents"),
        attributes=[Attribute("contract", codes=("con", "nul", "com1"))],
        lonely_psu="adjust",
    )
    folder = build_factsheets(declared, by="contract", out=tmp_path / "c", pdf=False)
    pages = sorted(p.name for p in folder.glob("*.html"))
    assert pages == ["com1-page.html", "con-page.html", "index.html", "nul-page.html"]
    assert 'href="con-page.html"' in (folder / "index.html").read_text()
    assert sorted(p.name for p in (folder / "figures").iterdir()) == [
        "com1-page.png",
        "con-page.png",
        "nul-page.png",
    ]


def _longest_labels(language: str) -> list[str]:
    """The factsheets' indicator labels with their group, as the PDF's first column has them."""
    from vpt_monitor.report.text import INDICATORS

    groups = {"en": ("political office holders", "employees")}.get(
        language, ("politieke ambtsdragers", "overheidsmedewerkers")
    )
    names = [pair[0 if language == "en" else 1] for pair in INDICATORS.values()]
    return [f"{name} ({group})" for name in names for group in groups]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pdf_wraps_an_indicator_label_rather_than_cut_it_at_the_column(language: str) -> None:
    # A BZK reader's review: "slachtoffer in de afgelopen 12 maanden (politieke amb" - the
    # label ran past its column and was cut, leaving the two groups' rows alike
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from vpt_monitor.report.pdf import A4, LABEL_PAD, _fit_labels

    labels = _longest_labels(language)
    fig = plt.figure(figsize=A4)
    try:
        ax = fig.add_axes((0.04, 0.1, 0.92, 0.8))
        ax.axis("off")
        drawn = ax.table(
            cellText=[[label, "26,1%"] for label in labels],
            colLabels=["indicator", "x"],
            colWidths=[0.38, 0.10],
        )
        drawn.auto_set_font_size(False)
        drawn.set_fontsize(7)
        for (i, j), cell in drawn.get_celld().items():
            if i and j == 0:
                cell.get_text().set_horizontalalignment("left")
                cell.PAD = LABEL_PAD
        _fit_labels(fig, drawn)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        cells = drawn.get_celld()
        wrapped = 0
        for i in range(1, len(labels) + 1):
            cell = cells[i, 0]
            box = cell.get_window_extent(renderer)
            text = cell.get_text()
            inked = text.get_window_extent(renderer)
            assert box.x0 <= inked.x0, text.get_text()
            assert inked.x1 <= box.x1, text.get_text()
            assert box.y0 <= inked.y0, text.get_text()
            assert inked.y1 <= box.y1, text.get_text()
            assert " ".join(text.get_text().split()) == labels[i - 1]  # every word kept
            wrapped += "\n" in text.get_text()
            assert cells[i, 1].get_height() == cell.get_height()  # the row grows as one
        assert wrapped > 0  # the longest labels needed a second line
    finally:
        plt.close(fig)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_figures_labels_take_two_lines_at_most(language: str) -> None:
    # three lines of 10 points ran into the next row's label on a factsheet's page
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from vpt_monitor.report.figures import draw_comparison

    labels = _longest_labels(language)
    rows = [
        {
            "indicator": "x",
            "indicator_label": label,
            "estimate": 0.2,
            "low": 0.1,
            "high": 0.3,
            "national": 0.25,
            "national_low": 0.2,
            "national_high": 0.3,
            "reliable": True,
        }
        for label in labels
    ]
    fig, ax = plt.subplots()
    try:
        draw_comparison(ax, rows, title="t", language=language)
        ticks = [t.get_text() for t in ax.get_yticklabels()]
        assert len(ticks) == len(labels)
        assert max(t.count("\n") for t in ticks) == 1
    finally:
        plt.close(fig)


def test_the_pdf_headings_keep_a_domains_name_whole() -> None:
    # a reviewer: "burgemeester" was broken into "burgemeeste" / "r" in the domain's column
    from vpt_monitor.report.pdf import _headings

    wrapped = _headings(["indicator", "burgemeester", "95%-interval", "verschil met landelijk"])
    assert wrapped[1] == "burgemeester"
    assert wrapped[3] == "verschil met\nlandelijk"
    assert _headings(["indicator", "Noord-Brabant"])[1] == "Noord-\nBrabant"


class _Pages:
    """Stands in for PdfPages: keeps each page's texts and where they are drawn."""

    def __init__(self) -> None:
        self.pages: list[list[tuple[str, float, float]]] = []

    def savefig(self, fig: Any) -> None:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        height = fig.bbox.height
        self.pages.append(
            [
                (
                    t.get_text(),
                    t.get_window_extent(renderer).y0 / height,
                    t.get_window_extent(renderer).y1 / height,
                )
                for t in fig.texts
            ]
        )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_note_of_a_factsheet_page_is_on_the_page(language: str) -> None:
    # An analyst's trial: on 8 of 11 province pages the notes ran off the bottom (text to
    # 839 of 841.7 points, the change notes' line lost) once long labels made rows taller.
    # Notes that do not fit continue on the next page, with the figure.
    import matplotlib

    matplotlib.use("Agg")
    from vpt_monitor.report.factsheets import compute_factsheets
    from vpt_monitor.report.pdf import _page

    data = simulate(scale=0.05)  # small provinces: many rows break the publication rules
    _, sheets = compute_factsheets(data, by="province", language=language)
    crowded = 0
    for slug, content in sheets[:4]:
        pages = _Pages()
        _page(pages, slug, content)
        texts = [t for page in pages.pages for t in page]
        for words, low, high in texts:
            assert low >= 0.0, (slug, words[:60])
            assert high <= 1.0, (slug, words[:60])
        shown = " ".join(" ".join(words.split()) for words, _, _ in texts)
        rows = content.tables[slug].rows
        for r in rows:
            if not r["reliable"]:  # each row's reason, whole
                assert " ".join(f"\u2020 {r['indicator_label']}: {r['note']}".split()) in shown
        crowded += len(pages.pages) > 1
    assert crowded  # some pages needed a second one


def test_a_share_of_0_or_100_percent_has_no_test_against_the_nation() -> None:
    # An analyst's trial: 0 of 9 office holders of Groningen reported to the police, against
    # 9.6% nationally: p (Holm) < 0,001 on the page, where the change column said "no
    # variance to test with" of the same estimate
    from vpt_monitor.report.factsheets import compute_factsheets

    _, sheets = compute_factsheets(simulate(scale=0.05), by="province", language="en")
    at_edge = 0
    for slug, content in sheets:
        for row in content.tables[slug].rows:
            if row["estimate"] in (0.0, 1.0):
                at_edge += 1
                assert np.isnan(row["p_adjusted"]), (slug, row["indicator_label"])
                assert not row["significant"]
            elif row["reliable"] and np.isfinite(row["estimate"]):
                assert np.isfinite(row["p_adjusted"]), (slug, row["indicator_label"])
    assert at_edge > 0
