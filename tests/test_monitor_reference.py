"""The respondent indicators against R survey 4.1, wave by wave (tests/reference/monitor.R).

The data (tests/reference/make_monitor_data.py) are shaped like an agency's delivery, not like
the library's generator: stratum and cluster labels reused across the two waves (independent
samples), fpc per wave and stratum, a census of provinces and water boards with people
sampled within them (fpc2), political office holders as their own PSUs, empty cells, and
questions not asked in the first wave. R handles item non-response itself (NA, and
``subset(design, !is.na(y))``), which is the independent reference for the library's
"left out and counted in notes['missing']" rule.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np
import pytest
from conftest import read_reference_columns, read_reference_csv
from numpy.testing import assert_allclose
from scipy import stats as scipy_stats

from vpt_monitor import (
    Channel,
    Consequence,
    Estimate,
    EstimateTable,
    Form,
    Layer,
    MonitorData,
    NotMeasuredError,
    Office,
    ViolationType,
    aftercare_share,
    change,
    consequence_share,
    decision_influence,
    incidence,
    integrity_perception,
    reporting_propensity,
    victimisation,
)
from vpt_monitor.stats import SurveyDesign, mean, proportion

RTOL = 1e-8
WAVES = (2014, 2016)
R = {
    (r["indicator"], r["domain"], r["quantity"]): float(r["value"])
    for r in read_reference_csv("monitor.csv")
}
TEXT = ("id", "layer", "office", "stratum", "cluster", "respondent_id", "form", "channel")


def _numbers(values: list[str]) -> Any:
    return np.array([float(v) if v != "" else np.nan for v in values])


def load(*, drop: Iterable[str] = (), waves: Iterable[int] = WAVES) -> MonitorData:
    """The reference files as MonitorData: columns in ``drop`` left out, rows of ``waves``."""
    resp = read_reference_columns("monitor_respondents.csv")
    inc = read_reference_columns("monitor_incidents.csv")
    keep = np.isin(_numbers(resp["wave"]), list(waves))
    take = np.isin(_numbers(inc["wave"]), list(waves))
    columns = {
        key: (np.array(values, dtype=object) if key in TEXT else _numbers(values))[keep]
        for key, values in resp.items()
        if key not in drop
    }
    incidents = {
        key: (np.array(values, dtype=object) if key in TEXT else _numbers(values))[take]
        for key, values in inc.items()
    }
    incidents["channel"][incidents["channel"] == ""] = None  # an empty cell: not answered
    return MonitorData.from_columns(columns, incidents)


DATA = load()


def label_of(domain: Hashable) -> str:
    """R's label of a domain: ``"2014"`` or ``"2014:burgemeester"``."""
    parts = domain if isinstance(domain, tuple) else (domain,)
    return ":".join(str(getattr(p, "value", p)) for p in parts)


def check_domain(key: str, label: str, est: Estimate, missing: int | None = None) -> None:
    """One domain against R: estimate, se, df, n, interval, flags and missing answers."""
    where = (key, label)
    if missing is not None:
        assert missing == R.get((*where, "missing"), 0), (where, "missing")
    if (*where, "not_measured") in R:
        assert "not_measured" in est.flags, where
        assert est.n == 0
        assert np.isnan(est.estimate)
        return
    if (*where, "estimate") not in R:  # no rows in the domain
        assert "empty" in est.flags, where
        assert est.n == 0
        return
    assert not {"empty", "not_measured"} & set(est.flags), where
    assert_allclose(est.estimate, R[(*where, "estimate")], rtol=RTOL, atol=1e-15, err_msg=label)
    assert_allclose(est.standard_error, R[(*where, "se")], rtol=RTOL, atol=1e-15, err_msg=label)
    assert est.df == R[(*where, "df")], where
    assert est.n == R[(*where, "n")], where
    if (*where, "low") in R:
        ci = est.confidence_interval()
        expected = [R[(*where, "low")], R[(*where, "high")]]
        if est.bounds is not None:  # R's t interval, clipped to the quantity's range
            expected = list(np.clip(expected, *est.bounds))
        assert_allclose([ci.low, ci.high], expected, rtol=RTOL, err_msg=label)
    if est.kind == "proportion":
        p = R[(*where, "estimate")]
        assert ("boundary" in est.flags) == (p < 1e-12 or p > 1 - 1e-12), where


def check_table(key: str, table: EstimateTable) -> None:
    """Every domain of a table by wave (and more) against R, and its notes."""
    counted = table.notes.get("missing_by_domain")
    for domain, est in table:
        missing = None if counted is None else counted.get(domain, 0)
        check_domain(key, label_of(domain), est, missing)
    if counted is not None:
        total = sum(R.get((key, str(w), "missing"), 0) for w in WAVES)
        assert table.notes["missing"] == total


Indicator = Callable[..., Estimate | EstimateTable]
# R key, indicator, options, the by= it is checked with
CASES: list[tuple[str, Indicator, dict[str, Any], tuple[tuple[str, ...], ...]]] = [
    (
        "victimisation",
        victimisation,
        {},
        (
            ("wave",),
            ("wave", "office"),
            ("wave", "layer"),
            ("wave", "group"),
            ("wave", "layer", "office"),
        ),
    ),
    *(
        (f"victimisation_{form}", victimisation, {"form": form}, (("wave",), ("wave", "group")))
        for form in ("verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel")
    ),
    *(
        (f"channel_{way}", victimisation, {"channel": way}, (("wave",), ("wave", "group")))
        for way in ("persoonlijk", "telefoon-post", "sociale-media")
    ),
    (
        "channel_sociale-media_office",
        victimisation,
        {"channel": "sociale-media"},
        (("wave", "office"),),
    ),
    ("incidence", incidence, {}, (("wave",), ("wave", "group"))),
    ("incidence_cap10", incidence, {"cap": 10}, (("wave",), ("wave", "office"))),
    (
        "reporting_incident",
        reporting_propensity,
        {},
        (("wave",), ("wave", "group"), ("wave", "office")),
    ),
    ("reporting_police", reporting_propensity, {"to": "police"}, (("wave",), ("wave", "group"))),
    ("reporting_victim", reporting_propensity, {"unit": "victim"}, (("wave",), ("wave", "group"))),
    (
        "reporting_victim_police",
        reporting_propensity,
        {"unit": "victim", "to": "police"},
        (("wave",),),
    ),
    (
        "consequence_adverse",
        consequence_share,
        {},
        (("wave",), ("wave", "group"), ("wave", "office")),
    ),
    *(
        (f"consequence_{code}", consequence_share, {"consequence": code}, (("wave",),))
        for code in (
            "minder-werkplezier",
            "psychische-klachten",
            "gedrag-aangepast",
            "lichamelijk-letsel",
            "verzuim",
        )
    ),
    ("aftercare", aftercare_share, {}, (("wave",), ("wave", "group"))),
    ("decision_influence", decision_influence, {}, (("wave",), ("wave", "office"))),
    (
        "perception",
        integrity_perception,
        {},
        (("wave",), ("wave", "group"), ("wave", "office")),
    ),
    (
        "perception_belangenverstrengeling",
        integrity_perception,
        {"kind": "belangenverstrengeling"},
        (("wave",), ("wave", "group")),
    ),
]
TABLES = [
    pytest.param(key, function, options, by, id=f"{key}-by-{'-'.join(by)}")
    for key, function, options, bys in CASES
    for by in bys
]
ONE_WAVE = [
    pytest.param(key, function, options, wave, id=f"{key}-{wave}")
    for key, function, options, _ in CASES
    if not key.endswith("_office")
    for wave in WAVES
]


def test_data_are_shaped_like_an_agency_delivery() -> None:
    r = DATA.respondents
    assert len(DATA) == 1815
    assert DATA.n_incidents == 411
    assert DATA.waves == WAVES
    in_wave = {w: r["wave"] == w for w in WAVES}
    # stratum and cluster labels reused across the waves, with another fpc in each
    for label in ("gemeente-groot", "provincie", "burgemeester"):
        assert all((r["stratum"][in_wave[w]] == label).any() for w in WAVES)
    assert all((r["cluster"][in_wave[w]] == "gm0344").any() for w in WAVES)
    fpc = {w: set(r["fpc"][in_wave[w] & (r["stratum"] == "gemeente-klein")]) for w in WAVES}
    assert fpc == {2014: {341.0}, 2016: {330.0}}
    # a census of the 12 provinces with people sampled within them
    provinces = in_wave[2016] & (r["stratum"] == "provincie")
    assert len(set(r["cluster"][provinces])) == 12
    assert set(r["fpc"][provinces]) == {12.0}
    assert (r["fpc2"][provinces] > 100).all()
    political = r["office"] != list(Office).index(Office.CIVIL_SERVANT)
    assert (r["fpc2"][political] == 1).all()
    assert (r["cluster"][political] == r["id"][political]).all()


def test_every_code_of_every_vocabulary_occurs() -> None:
    r = DATA.respondents
    assert set(r["office"]) == set(range(len(Office)))
    assert set(r["layer"]) == set(range(len(Layer)))
    for column, vocabulary in (
        ("victimisations", Form),
        ("channels", Channel),
        ("consequences", Consequence),
        ("perceived_violations", ViolationType),
    ):
        said_yes = (r[column] > 0).any(axis=0)
        assert said_yes.all(), (
            column,
            [m for m, on in zip(vocabulary, said_yes, strict=True) if not on],
        )
    assert set(DATA.incidents["form"]) == set(range(len(Form)))
    assert set(DATA.incidents["channel"]) == {-1, *range(len(Channel))}


@pytest.mark.parametrize(("key", "function", "options", "by"), TABLES)
def test_indicator_by_wave_and_domain(
    key: str, function: Indicator, options: dict[str, Any], by: tuple[str, ...]
) -> None:
    # R: svymean / svyratio / svyciprop(method="logit") on
    #    subset(d, wave == w & <domain> & <population> & !is.na(y)), degf() of that subset
    table = function(DATA, by=by, **options)
    assert isinstance(table, EstimateTable)
    check_table(key, table)


@pytest.mark.parametrize(("key", "function", "options", "wave"), ONE_WAVE)
def test_indicator_for_one_wave(
    key: str, function: Indicator, options: dict[str, Any], wave: int
) -> None:
    # R: the same on subset(d, wave == w & ...), asked for with wave= instead of by=
    est = function(DATA, wave=wave, **options)
    assert isinstance(est, Estimate)
    assert est.notes["wave"] == wave
    check_domain(key, str(wave), est, est.notes["missing"])


def test_questions_not_asked_in_the_first_wave_are_not_measured_there() -> None:
    # R: every cell of 2014 is NA for incidents:seksueel and violation:<type>
    sexual = victimisation(DATA, form="seksueel", by=("wave", "group"))
    assert isinstance(sexual, EstimateTable)
    assert all("not_measured" in est.flags for (w, _), est in sexual if w == 2014)
    assert not any("not_measured" in est.flags for (w, _), est in sexual if w == 2016)
    perceived = integrity_perception(DATA, wave=2014)
    assert isinstance(perceived, Estimate)
    assert perceived.flags == ("not_measured",)
    # any form in 2014 is any of the four forms asked then; the notes say which was not
    anyform = victimisation(DATA, by="wave")
    assert isinstance(anyform, EstimateTable)
    assert anyform.notes["not_asked"] == {2014: ("seksueel",)}
    assert "not_measured" not in anyform[2014].flags


def test_a_question_the_data_do_not_hold_raises_not_measured() -> None:
    first_wave = load(waves=(2014,))
    with pytest.raises(NotMeasuredError, match="perceived violations"):
        integrity_perception(first_wave)
    with pytest.raises(NotMeasuredError, match="seksueel"):
        victimisation(first_wave, form="seksueel")
    without = load(drop=["consequence:besluitvorming-beinvloed", "aftercare"])
    with pytest.raises(NotMeasuredError, match="decision influence"):
        decision_influence(without, by="wave")
    with pytest.raises(NotMeasuredError, match="aftercare"):
        aftercare_share(without, wave=2016)
    # and a question absent from a file is not "no": the rest still answer as before
    victims = victimisation(without, by="wave")
    assert isinstance(victims, EstimateTable)
    check_table("victimisation", victims)


def test_capping_notes_are_per_wave() -> None:
    # R: respondents of the wave with a count above 10, and the incidents the cap removes
    for wave in WAVES:
        capped = incidence(DATA, cap=10, wave=wave)
        key = ("incidence_cap10", str(wave))
        assert capped.notes["capped_respondents"] == R[(*key, "capped_respondents")]
        assert capped.notes["incidents_removed"] == R[(*key, "incidents_removed")]


@pytest.mark.parametrize(
    ("key", "function", "by"),
    [
        ("change_victimisation", victimisation, "office"),
        ("change_decision_influence", decision_influence, "office"),
        ("change_adverse", consequence_share, "group"),
    ],
)
def test_change_between_independent_waves(key: str, function: Indicator, by: str) -> None:
    # R: svycontrast(svyby(~y, ~wave (+ by), subset(d, pop & !is.na(y)), svymean,
    #    covmat = TRUE), c(-1, 1)); the waves are independent, so the covariance is zero
    by_wave = function(DATA, by="wave")
    assert isinstance(by_wave, EstimateTable)
    overall = change(by_wave, between=WAVES)
    assert_allclose(overall.estimate[0], R[(key, "", "estimate")], rtol=RTOL)
    assert_allclose(overall.standard_error[0], R[(key, "", "se")], rtol=RTOL)
    # df of the comparison: PSUs minus strata among the rows of both domains, R's degf(sub),
    # not the whole design's degf(d)
    assert overall.df[0] == R[(key, "", "df")]
    assert overall.df[0] < R[("design_df", "", "df")]
    q = scipy_stats.t.ppf(0.975, R[(key, "", "df")])
    ci = overall.confidence_interval()
    assert_allclose(ci.low[0], R[(key, "", "estimate")] - q * R[(key, "", "se")], rtol=RTOL)
    # the change as a ratio: R's svycontrast(b, quote(`2016` / `2014`))
    ratio = change(by_wave, between=WAVES, kind="ratio")
    assert_allclose(ratio.estimate[0], R[(f"{key}_ratio", "", "estimate")], rtol=RTOL)
    assert_allclose(ratio.standard_error[0], R[(f"{key}_ratio", "", "se")], rtol=RTOL)
    table = function(DATA, by=("wave", by))
    assert isinstance(table, EstimateTable)
    cov = table.covariance
    first = [i for i, d in enumerate(table.domains) if d[0] == 2014]
    second = [i for i, d in enumerate(table.domains) if d[0] == 2016]
    assert_allclose(np.nan_to_num(cov[np.ix_(first, second)]), 0.0, atol=1e-18)
    rows = change(table, between=WAVES)
    for i, row in enumerate(rows.rows):
        where = (key, label_of(row))
        if (*where, "estimate") in R:
            assert_allclose(rows.estimate[i], R[(*where, "estimate")], rtol=RTOL, atol=1e-15)
            assert rows.df[i] == R[(*where, "df")]
            if "boundary" in rows.reasons[i]:
                # 0% or 100% in a wave: R's contrast takes that wave's variance as 0 and
                # shows the other's alone; the change has no standard error here
                assert np.isnan(rows.standard_error[i])
                assert not rows.reliable[i]
                continue
            assert_allclose(rows.standard_error[i], R[(*where, "se")], rtol=RTOL)
        else:  # not in both waves (the King's Commissioner in 2016 only)
            assert np.isnan(rows.estimate[i])
            assert np.isnan(rows.p_adjusted[i])


def test_design_degrees_of_freedom_per_wave() -> None:
    # R: degf(subset(d, wave == w)) and degf(d)
    everyone = mean(np.ones(len(DATA)), DATA.design, by=DATA.respondents["wave"])
    assert isinstance(everyone, EstimateTable)
    for wave in WAVES:
        assert everyone[wave].df == R[("design_df", str(wave), "df")]
    assert DATA.design.df == R[("design_df", "", "df")]


def _victims() -> tuple[Any, Any]:
    """Victim of any form asked in the wave, and whether that is known, from the counts."""
    counts, wave = DATA.respondents["victimisations"], DATA.respondents["wave"]
    asked = np.stack(
        [np.isin(wave, wave[counts[:, k] >= 0]) for k in range(counts.shape[1])], axis=1
    )
    yes = ((counts > 0) & asked).any(axis=1)
    complete = ((counts >= 0) | ~asked).all(axis=1)
    return yes, yes | complete


def test_item_10_1_stratum_labels_reused_in_two_waves_are_not_pooled() -> None:
    # the library crosses strata and clusters with the wave, as R's
    # svydesign(ids = ~interaction(wave, cluster) + id, strata = ~interaction(wave, stratum))
    table = victimisation(DATA, by="wave")
    assert isinstance(table, EstimateTable)
    check_table("victimisation", table)
    # the old behaviour, the labels as delivered (gm0344 of 2014 and 2016 one PSU, the
    # mayors of both waves one stratum), reproduces R's pooled design and differs
    r = DATA.respondents
    pooled = SurveyDesign(weights=r["weight"], strata=r["stratum"], clusters=r["cluster"])
    victim, answered = _victims()
    old = proportion(victim, pooled, by=(answered.astype(int), r["wave"]))
    assert isinstance(old, EstimateTable)
    for wave in WAVES:
        est = old[(1, wave)]
        assert_allclose(est.estimate, R[("pooled_victimisation", str(wave), "estimate")], rtol=RTOL)
        assert_allclose(est.standard_error, R[("pooled_victimisation", str(wave), "se")], rtol=RTOL)
        assert est.estimate == pytest.approx(table[wave].estimate, rel=1e-12)
        assert abs(est.standard_error / table[wave].standard_error - 1) > 0.01


def test_item_10_2_a_census_of_organisations_keeps_the_second_stage_variance() -> None:
    # R: svydesign(ids = ~psu + id, fpc = ~fpc + fpc2): all 12 provinces and all 22 water
    # boards are in the sample, so only the sampling of people within them has variance
    table = victimisation(DATA, by=("wave", "layer", "office"))
    assert isinstance(table, EstimateTable)
    one_stage = load(drop=["fpc2"])
    flat = victimisation(one_stage, by=("wave", "layer", "office"))
    assert isinstance(flat, EstimateTable)
    for wave in WAVES:
        for layer in ("provincie", "waterschap"):
            domain = (wave, layer, "ambtenaar")
            label = label_of(domain)
            est = table[domain]
            assert est.standard_error > 0
            check_domain("victimisation", label, est)
            # without fpc2 (one stage, as R without it) a census has no variance at all
            assert flat[domain].standard_error == 0.0
            assert R[("one_stage_victimisation", label, "se")] == 0.0
            assert_allclose(
                flat[domain].estimate, R[("one_stage_victimisation", label, "estimate")], rtol=RTOL
            )


def test_issue_17_6_every_adverse_consequence_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    # R types the five adverse codes in; moving one out of 'adverse' must fail the reference
    for wave in WAVES:
        est = consequence_share(DATA, wave=wave)
        assert isinstance(est, Estimate)
        check_domain("consequence_adverse", str(wave), est)
    for moved in (Consequence.ABSENCE, Consequence.PHYSICAL_INJURY):
        kept = {c for c in Consequence if c.adverse} - {moved}
        monkeypatch.setattr(Consequence, "adverse", property(lambda self, k=kept: self in k))
        for wave in WAVES:
            est = consequence_share(DATA, wave=wave)
            assert isinstance(est, Estimate)
            reference = R[("consequence_adverse", str(wave), "estimate")]
            assert abs(est.estimate / reference - 1) > 1e-3
        monkeypatch.undo()
