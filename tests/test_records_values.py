"""Records take values as users bring them: numpy scalars, pandas rows, missing values."""

from __future__ import annotations

import numpy as np
import pytest

from vpt_monitor import (
    Form,
    Incident,
    MonitorData,
    Organisation,
    Respondent,
    Violation,
    aftercare_share,
    change,
    consequence_share,
    decision_influence,
    incidence,
    integrity_perception,
    policy_coverage,
    policy_maturity,
    reporting_propensity,
    victimisation,
)


def test_numpy_scalars_are_taken_as_the_values_they_hold() -> None:
    r = Respondent(
        np.int64(7),
        np.int64(2016),
        np.str_("gemeente"),
        np.str_("raadslid"),
        weight=np.float32(2.5),
        stratum=np.int64(3),
        cluster=np.str_("gm0344"),
        fpc=np.int64(390),
        fpc2=np.float64(12.0),
        victimisations={np.str_("verbaal"): np.int64(2)},
        aftercare=np.True_,
        training=np.False_,
    )
    assert r.id == "7"
    assert r.wave == 2016
    assert type(r.wave) is int
    assert r.weight == 2.5
    assert (r.stratum, r.cluster, r.fpc, r.fpc2) == (3, "gm0344", 390.0, 12.0)
    assert type(r.stratum) is int
    assert r.victimisations == {Form.VERBAL: 2}
    assert r.aftercare is True
    assert r.training is False
    event = Incident(
        np.int64(7),
        np.float64(2016.0),
        "verbaal",
        police_report=np.bool_(True),
        severity=np.int8(3),
    )
    assert (event.respondent_id, event.wave, event.police_report, event.severity) == (
        "7",
        2016,
        True,
        3,
    )
    org = Organisation("o", np.int64(2016), "rijk", employees=np.int64(40), fpc=np.float64(40))
    assert org.employees == 40
    assert type(org.employees) is int
    assert Violation("o", np.int32(2016), "fraude").wave == 2016


def test_missing_values_from_a_frame_are_unanswered() -> None:
    pd = pytest.importorskip("pandas")
    r = Respondent(
        "a",
        2016,
        "rijk",
        "ambtenaar",
        aftercare=pd.NA,
        training=np.nan,
        victimisations={"verbaal": np.nan, "fysiek": 1},
        fpc=np.nan,
    )
    assert r.aftercare is None
    assert r.training is None
    assert r.fpc is None
    assert r.victimisations == {Form.VERBAL: None, Form.PHYSICAL: 1}
    assert r.victimised is True


def test_records_from_dataframe_rows() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "wave": [2016, 2016, 2016],
            "layer": ["gemeente"] * 3,
            "office": ["raadslid", "wethouder", "raadslid"],
            "weight": [1.5, 2.0, 1.0],
            "aftercare": [True, False, None],
            "verbaal": [1, 0, np.nan],
        }
    )
    people = [
        Respondent(
            row["id"],
            row["wave"],
            row["layer"],
            row["office"],
            weight=row["weight"],
            aftercare=row["aftercare"],
            victimisations={"verbaal": row["verbaal"]},
        )
        for _, row in frame.iterrows()
    ]
    assert [p.id for p in people] == ["1", "2", "3"]
    assert [p.aftercare for p in people] == [True, False, None]
    assert [p.victimised for p in people] == [True, False, None]
    numeric = frame[["id", "wave", "weight"]]
    first = numeric.iloc[0]  # an all-numeric row: every value a numpy float
    assert Respondent(first["id"], first["wave"], "rijk", "ambtenaar").wave == 2016


def test_mixed_integer_and_text_labels_in_a_design() -> None:
    people = [
        Respondent("a", 2016, "rijk", "ambtenaar", stratum=1, cluster="x", victimisations={}),
        Respondent("b", 2016, "rijk", "ambtenaar", stratum=1, cluster="y", victimisations={}),
        Respondent(
            "c", 2016, "rijk", "ambtenaar", stratum="s", cluster=5, victimisations={"verbaal": 1}
        ),
        Respondent("d", 2016, "rijk", "ambtenaar", stratum="s", cluster=6, victimisations={}),
    ]
    data = MonitorData.from_records(people)
    assert data.design.n_strata == 2
    assert victimisation(data).estimate == pytest.approx(0.25)


def test_a_float_that_is_not_a_year_is_still_refused() -> None:
    with pytest.raises(ValueError, match=r"wave: must be a whole year; got 2016\.5"):
        Respondent("a", 2016.5, "rijk", "ambtenaar")
    with pytest.raises(ValueError, match="aftercare: must be True, False or None; got 2"):
        Respondent("a", 2016, "rijk", "ambtenaar", aftercare=np.int64(2))


# ---- defaults of the indicators (issue 17, item 2) ------------------------------------------


def _data() -> MonitorData:
    people = [
        Respondent(
            f"{w}-{i}",
            w,
            "gemeente",
            "raadslid" if i % 3 else "wethouder",
            victimisations={"verbaal": 1 + i % 2} if i % 4 == 0 else {},
            consequences={"minder-werkplezier", "besluitvorming-beinvloed"}
            if i % 8 == 0
            else set(),
            perceived_violations={"fraude"} if i % 5 == 0 else set(),
            aftercare=i % 8 == 0 if i % 4 == 0 else None,
        )
        for w in (2014, 2016)
        for i in range(48)
    ]
    events = [
        Incident(p.id, p.wave, "verbaal", police_report=i % 3 == 0, reported_internally=i % 2 == 0)
        for i, p in enumerate(people)
        if p.victimised
    ]
    orgs = [
        Organisation(
            f"o{i}",
            w,
            "gemeente",
            employees=100,
            measures={"nazorg", "gedragscode"} if i % 2 else {"nazorg"},
        )
        for w in (2014, 2016)
        for i in range(20)
    ]
    return MonitorData.from_records(people, events, organisations=orgs)


@pytest.mark.parametrize(
    ("indicator", "options"),
    [
        (victimisation, {}),
        (reporting_propensity, {"unit": "victim"}),
        (reporting_propensity, {"unit": "incident"}),
        (consequence_share, {}),
        (aftercare_share, {}),
        (decision_influence, {}),
        (integrity_perception, {}),
        (policy_coverage, {"measure": "nazorg"}),
    ],
)
def test_share_indicators_default_to_logit_95(indicator: object, options: dict[str, str]) -> None:
    data = _data()
    table = indicator(data, by="wave", **options)  # type: ignore[operator]
    assert table.level == 0.95
    assert table.method == "logit"
    default = table.confidence_interval()
    explicit = table.confidence_interval(level=0.95, method="logit")
    assert default.level == 0.95
    assert default.method == "logit"
    np.testing.assert_array_equal(default.low, explicit.low)
    np.testing.assert_array_equal(default.high, explicit.high)
    narrower = table.confidence_interval(level=0.9)
    assert np.all(narrower.high - narrower.low < default.high - default.low)


@pytest.mark.parametrize("indicator", [incidence, policy_maturity])
def test_mean_and_ratio_indicators_default_to_t_95(indicator: object) -> None:
    table = indicator(_data(), by="wave")  # type: ignore[operator]
    default = table.confidence_interval()
    assert (default.level, default.method) == (0.95, "t")
    explicit = table.confidence_interval(level=0.95, method="t")
    np.testing.assert_array_equal(default.low, explicit.low)


def test_change_defaults_to_95_and_holm() -> None:
    result = change(victimisation(_data(), by=("wave", "office")))  # type: ignore[arg-type]
    assert result.level == 0.95
    assert result.adjust == "holm"
    assert result.kind == "difference"
    assert result.confidence_interval().level == 0.95
