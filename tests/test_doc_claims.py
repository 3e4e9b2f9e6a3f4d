"""The user guide and the tutorials say what the code does and what their cells print.

A new user's trial found pages that contradicted the output beside them (a change the parts
did not add up to, "ten offices tested" beside nine p-values, an interval of 27 points
called narrow) and a column table that left out columns the reader accepts. Each test here
runs the code a page describes and checks the page's words and numbers against it.
"""

from __future__ import annotations

import math
import re
import tomllib
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vpt_monitor import MonitorDataError, detectable_change, victimisation
from vpt_monitor.attributes import BUILT_IN_ATTRIBUTES
from vpt_monitor.data.columns import known_columns
from vpt_monitor.indicators.decomposition import Decomposition
from vpt_monitor.indicators.model import FIELDS
from vpt_monitor.indicators.outcomes import OUTCOMES
from vpt_monitor.io import read_monitor
from vpt_monitor.report import MARKER
from vpt_monitor.stats import SurveyDesign, _reliability, proportion
from vpt_monitor.stats.design import LONELY_PSU_POLICIES
from vpt_monitor.synth import simulate

DOCS = Path(__file__).parents[1] / "docs"


def _run_cells(page: Path) -> tuple[str, dict[str, Any]]:
    """Run a tutorial's code cells as the docs build does; return its text and namespace."""
    text = page.read_text(encoding="utf-8")
    cells = re.findall(r"```\{code-cell\} python\n(.*?)```", text, flags=re.S)
    namespace: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the method-break warnings the pages show
        for cell in cells:
            exec(compile(cell, str(page), "exec"), namespace)
    return text, namespace


def _flat(text: str) -> str:
    return " ".join(text.split())


_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


# -- data.md ---------------------------------------------------------------------------------


def test_data_page_lists_every_respondent_column_the_reader_reads() -> None:
    text = (DOCS / "user" / "data.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| respondents |"))
    listed = set(re.findall(r"`([^`]+)`", row))
    known = known_columns("respondents")
    # fields the reader fills from other columns are not columns of a file
    derived = {"group", "victimisations", "channels", "consequences", "perceived_violations"}
    plain = {name for name in known if ":" not in name} - derived
    assert plain <= listed, f"columns the reader reads but data.md omits: {plain - listed}"
    assert set(BUILT_IN_ATTRIBUTES) <= listed
    for name in listed:
        if "<" not in name:
            assert name in known, f"data.md lists {name!r}, which the reader refuses"


def test_data_page_says_what_fpc2_a_one_stage_group_takes_and_a_file_confirms_it(
    tmp_path: Path,
) -> None:
    text = _flat((DOCS / "user" / "data.md").read_text(encoding="utf-8"))
    assert "Groups sampled in one stage" in text
    assert "write **`fpc2 = 1`**" in text
    # a file as an agency delivers it: mayors sampled directly, employees in two stages
    header = "id;wave;layer;office;weight;stratum;cluster;fpc;fpc2;incidents:verbaal\n"
    mayors = "b1;2016;gemeente;burgemeester;100;bm;b1;300;{f};0\n" + (
        "b2;2016;gemeente;burgemeester;100;bm;b2;300;{f};1\n"
        "b3;2016;gemeente;burgemeester;100;bm;b3;300;{f};1\n"
    )
    employees = (
        "e1;2016;gemeente;ambtenaar;250;gm;o1;50;400;1\n"
        "e2;2016;gemeente;ambtenaar;250;gm;o1;50;400;0\n"
        "e3;2016;gemeente;ambtenaar;250;gm;o2;50;600;0\n"
        "e4;2016;gemeente;ambtenaar;250;gm;o2;50;600;1\n"
    )
    blank = tmp_path / "blank.csv"
    blank.write_text(header + mayors.format(f="") + employees, encoding="utf-8")
    with pytest.raises(
        MonitorDataError,
        match=r"fpc2=\(empty\) on 3 lines .*: missing; for people sampled in one stage .*, write 1",
    ):
        read_monitor(blank)
    one = tmp_path / "one.csv"
    one.write_text(header + mayors.format(f="1") + employees, encoding="utf-8")
    mayor = victimisation(read_monitor(one), by="office")["burgemeester"]
    alone = proportion([0, 1, 1], SurveyDesign(weights=[100.0] * 3, fpc=[300] * 3))
    assert mayor.standard_error == pytest.approx(alone.standard_error, rel=1e-12)


# -- the tutorials ---------------------------------------------------------------------------


def test_explaining_tutorial_states_the_decomposition_as_printed() -> None:
    text, ns = _run_cells(DOCS / "tutorials" / "explaining.md")
    flat = _flat(text)
    parts = ns["parts"]
    assert isinstance(parts, Decomposition)
    table = ns["employees"].to_pandas().xs("medewerker", level="group")["estimate"]
    first, last = 100 * table.loc[2010], 100 * table.loc[2016]
    assert f"{first:.2f}% in 2010, {last:.2f}% in 2016" in flat
    assert f"{last - first:.2f} points of the table above" in flat
    # the decomposition's own change: that of the respondents with a class
    assert parts.left_out > 0
    assert f"leaves out the {parts.left_out} employees" in flat
    total, composition = 100 * parts.total.estimate, 100 * parts.composition.estimate
    rate = 100 * parts.rate.estimate
    assert f"Its change, {total:.2f} points" in flat
    assert f"composition ({composition:.2f}) and rate ({rate:.2f}) add up exactly" in flat
    assert math.isclose(composition + rate, total, abs_tol=1e-9)
    assert f"{round(100 * composition / total)}% of the drop" in flat
    assert "about a sixth" not in flat
    # which classes' rate parts are clearly below zero
    below = [bool(part.confidence_interval().high < 0) for part in parts.class_rate]
    words = {3: "three", 4: "four", 5: "five"}
    assert f"in {words[sum(below)]} classes the interval of the rate part lies below zero" in flat
    unclear = [c for c, b in zip(parts.classes, below, strict=True) if not b]
    assert [getattr(c, "value", c) for c in unclear] == ["maandelijks"]
    monthly = parts.class_rate[parts.classes.index(unclear[0])].confidence_interval()
    assert f"interval from {100 * monthly.low:.2f} to +{100 * monthly.high:.2f} points" in flat
    assert "every level of contact are victimised less than in 2010" not in flat


def test_waves_tutorial_counts_the_offices_tested() -> None:
    text, ns = _run_cells(DOCS / "tutorials" / "waves.md")
    flat = _flat(text)
    offices = ns["offices"].to_pandas()
    tested = int(offices["p_value"].notna().sum())
    words = {9: "Nine", 10: "Ten"}
    assert f"{words[tested]} of the ten offices are tested" in flat
    assert "With ten offices tested" not in flat
    assert np.isnan(offices.loc["cdk", "p_value"])
    alderman = offices.loc["wethouder"]
    assert f"p = {alderman['p_value']:.3f}" in flat
    assert f"but {alderman['p_adjusted']:.2f} once adjusted" in flat
    significant = set(offices.index[offices["significant"]])
    assert significant == {"burgemeester", "raadslid"}
    assert not offices.loc["dijkgraaf", "reliable"]
    # the numbers the prose quotes beside the table
    assert f"{100 * alderman['change']:+.1f} points with p =" in flat
    by_office = victimisation(ns["data"], by=("wave", "office"))
    commissioners = by_office[(2014, "cdk")]
    assert commissioners.estimate == 1.0
    assert f"all {_WORDS[commissioners.n]} respondents of 2014 were victimised" in flat
    chairs = (by_office[(2014, "dijkgraaf")].n, by_office[(2016, "dijkgraaf")].n)
    assert f"water-board chairs ({chairs[0]} and {chairs[1]} respondents)" in flat
    # the other adjustments the page names are values that change() takes
    sentence = flat[flat.index("Holm's method (") : flat.index("choose another)")]
    named = re.findall(r'"([a-z-]+)"', sentence)
    assert named == ["bonferroni", "benjamini-hochberg", "none"]
    for adjust in named:
        assert ns["change"](ns["by_wave"], between=(2014, 2016), adjust=adjust).adjust == adjust


def test_headline_tutorial_shows_reliable_as_booleans_and_the_reasons() -> None:
    text, ns = _run_cells(DOCS / "tutorials" / "headline.md")
    frame = ns["frame"]
    assert frame["reliable"].dtype == bool
    latest = ns["latest"]
    unreliable = latest.loc[~latest["reliable"], "reasons"]
    assert list(unreliable.index) == ["cdk", "dijkgraaf"]
    assert all(unreliable)  # every unreliable row says why
    assert "effective sample size below 30" not in unreliable["cdk"]
    assert "effective sample size below 30" in unreliable["dijkgraaf"]
    flat = _flat(text)
    assert "Korn-Graubard effective sample size 32" in flat
    cdk, chairs = latest.loc["cdk"], latest.loc["dijkgraaf"]
    assert f"The King's Commissioners ({cdk['n']} respondents) and the water-board chairs" in flat
    assert f"chairs ({chairs['n']}) are tiny" in flat
    assert f"{cdk['n']} of the 12 commissioners are in the sample" in flat
    assert min(cdk["high"] - cdk["low"], chairs["high"] - chairs["low"]) > 0.30
    flags = ns["frame"].loc[2016, "flags"]
    assert flags["cdk"] == flags["dijkgraaf"] == ""
    # the published figures the intervals miss, as the prose after the table names them
    table, published = ns["table"], ns["PUBLISHED"]
    missed = []
    for (wave, group), estimate in table:
        truth = published["political" if group.value == "politiek-ambtsdrager" else "employee"]
        ci = estimate.confidence_interval()
        if not ci.low <= truth[wave] <= ci.high:
            missed.append((wave, group.value, estimate.estimate, ci))
    assert len(table.domains) == 8
    assert "a table of eight" in flat
    assert "(1 - 0.95^8 = 34%)" in flat
    assert [(wave, group) for wave, group, *_ in missed] == [(2010, "medewerker")]
    _, _, share, ci = missed[0]
    assert (
        f"the employees' estimate of 2010, {100 * share:.1f}% "
        f"({100 * ci.low:.1f}-{100 * ci.high:.1f})"
    ) in flat
    assert "the other seven figures lie within their intervals" in flat
    # the README's quick start counts the same simulation's respondents
    readme = _flat((DOCS.parent / "README.md").read_text(encoding="utf-8"))
    assert f"four synthetic waves, {len(ns['data']):,} respondents" in readme


# -- integrity.md: the publication rule's effective sample size ------------------------------


def test_integrity_page_states_the_gedeputeerden_numbers_and_both_effective_sizes() -> None:
    flat = _flat((DOCS / "user" / "integrity.md").read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimate = victimisation(simulate(), by=("wave", "office"))[(2016, "gedeputeerde")]
    kg = _reliability.quantities(
        "proportion",
        np.array([estimate.estimate]),
        np.array([estimate.standard_error]),
        np.array([estimate.df]),
        np.array([float(estimate.n)]),
        np.array([estimate.n_effective]),
    )["effective_n"][0]
    assert f"Kish's `n_effective` is {round(estimate.n_effective)}" in flat
    assert f"({kg:.1f})" in flat
    logit = estimate.confidence_interval()
    beta = estimate.confidence_interval(method="beta")
    assert f"{100 * logit.low:.1f}-{100 * logit.high:.1f}%" in flat
    assert f"{100 * beta.low:.1f}-{100 * beta.high:.1f}%" in flat
    assert round(100 * (logit.high - logit.low)) == 27
    assert "That interval is not narrow" in flat
    assert "the interval is narrow" not in flat


# -- models.md: model() ----------------------------------------------------------------------


def test_models_page_documents_every_outcome_and_field_of_model() -> None:
    text = (DOCS / "user" / "models.md").read_text(encoding="utf-8")
    section = text[text.index("(monitor-models)=") :]
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M))
    assert rows == set(OUTCOMES), f"outcomes not in the table: {set(OUTCOMES) - rows}"
    for name in (*FIELDS, *BUILT_IN_ATTRIBUTES):
        assert f"`{name}`" in section, f"models.md does not say that {name!r} can be used"
    flat = _flat(section)
    for claim in ("wave=2016", '"quasibinomial"', 'notes["missing"]', 'notes["outside"]'):
        assert claim in flat
    assert 'notes["categories_without_rows"]' in flat


# -- designs.md and weighting.md: options the command line offers --------------------------


def test_designs_page_lists_every_lonely_psu_policy_the_design_and_command_accept() -> None:
    # report.md and the README send `--lonely-psu average` readers to designs.md
    text = (DOCS / "user" / "designs.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `lonely_psu` |"))
    assert set(re.findall(r'`"([a-z]+)"`', row)) == set(LONELY_PSU_POLICIES)
    edge = next(line for line in text.splitlines() if line.startswith("| a stratum with one PSU"))
    for policy in LONELY_PSU_POLICIES:
        assert f'`"{policy}"`' in edge


def test_weighting_page_says_which_folders_weight_force_replaces() -> None:
    flat = _flat((DOCS / "user" / "weighting.md").read_text(encoding="utf-8"))
    # the folder's marker decides, not its index.html and summary.md (a report has both)
    assert "(one with `index.html` and `summary.md`)" not in flat
    assert f"only a folder that `vpt-monitor weight` wrote (marked with `{MARKER}`" in flat


# -- planning.md -------------------------------------------------------------------------------


def test_planning_page_states_the_design_effects_behind_the_detectable_changes() -> None:
    flat = _flat((DOCS / "user" / "planning.md").read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = simulate(waves=(2016,))
        groups = victimisation(data, by="group")
        plan = detectable_change(data, by="group").to_pandas()
    employees, holders = groups["medewerker"], groups["politiek-ambtsdrager"]
    assert f"(design effect {employees.deff:.1f})" in flat
    assert holders.deff < 1.5  # "the office holders' is not" clustered
    times = plan.loc["medewerker", "detectable"] / plan.loc["politiek-ambtsdrager", "detectable"]
    assert round(2 * times) / 2 == 2.5
    assert "two and a half times as large" in flat
    assert f"some {round(plan.loc['medewerker', 'population'], -4):,.0f} employees" in flat


# -- index.md: the extras ----------------------------------------------------------------------


def test_index_page_names_every_extra_the_package_declares() -> None:
    project = tomllib.loads((DOCS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    extras = set(project["project"]["optional-dependencies"])
    flat = _flat((DOCS / "index.md").read_text(encoding="utf-8"))
    section = flat[flat.index("The extras:") : flat.index("for developers.")]
    named = set(re.findall(r"`([a-z]+)`", section))
    assert named == extras, f"extras not on the start page: {extras - named}"


def test_intervals_page_describes_what_the_demo_command_prints() -> None:
    from vpt_monitor.__main__ import _demo

    page = (DOCS / "user" / "intervals.md").read_text(encoding="utf-8")
    assert "`vpt-monitor demo`" in page
    assert "81 of 263" in page
    assert "0 of 20" in page
    printed = _demo()
    assert "81 of 263 office holders, and 0 of 20 in a small cell" in printed
    wald = next(line for line in printed.splitlines() if line.strip().startswith("wald"))
    assert wald.rstrip().endswith("0.0000 - 0.0000")  # the page's "0 - 0 for 0 of 20"
