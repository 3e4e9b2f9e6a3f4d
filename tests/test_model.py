"""Models of the monitor's outcomes (issue 13): the same fit as stats.glm on the same rows."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import special
from test_attributes import DATA

from vpt_monitor import Estimate, model, victimisation
from vpt_monitor.stats import glm

pytest.importorskip("formulaic")


def test_an_intercept_only_model_is_the_logit_of_the_indicator() -> None:
    fit = model(DATA, "victimised ~ 1", wave=2016)
    share = victimisation(DATA, wave=2016)
    assert isinstance(share, Estimate)
    assert_allclose(special.expit(fit.params[0]), share.estimate, rtol=1e-10)
    # the delta method: se(logit p) = se(p) / (p (1 - p))
    p = share.estimate
    assert_allclose(fit.standard_errors[0], share.standard_error / (p * (1 - p)), rtol=1e-6)


def test_the_model_is_stats_glm_on_the_outcome_and_attributes() -> None:
    import pandas as pd

    fit = model(DATA, "victimised ~ wave + gender + team_size + works_shifts")
    # the same by hand: the indicator's victims (NaN where unknown) and the attribute codes
    r = DATA.respondents
    counts = r["victimisations"]
    known = (counts >= 0) | ((counts < 0) & (r["wave"][:, None] == 2014) & (np.arange(5) == 4))
    victim = (counts > 0).any(axis=1)
    complete = known.all(axis=1)
    y = np.where(victim, 1.0, np.where(complete, 0.0, np.nan))
    frame = pd.DataFrame(
        {
            "victimised": y,
            "wave": pd.Categorical(r["wave"].astype(str), categories=["2014", "2016"]),
            "gender": pd.Categorical.from_codes(r["gender"], categories=["m", "v", "x"]),
            "team_size": np.where(np.isfinite(r["team_size"]), r["team_size"], np.nan),
            "works_shifts": pd.array(
                [None if v < 0 else bool(v) for v in r["works_shifts"]], dtype="boolean"
            ),
        }
    )
    expected = glm(
        "victimised ~ wave + gender + team_size + works_shifts",
        frame,
        DATA.design,
        family="quasibinomial",
        na="domain",
    )
    assert fit.names == expected.names
    assert_allclose(fit.params, expected.params, rtol=1e-10)
    assert_allclose(fit.standard_errors, expected.standard_errors, rtol=1e-10)
    assert fit.df_residual == expected.df_residual
    assert fit.notes["missing"] == expected.notes["missing"]


def test_outcomes_of_a_population_leave_the_others_out() -> None:
    fit = model(DATA, "decision_influence ~ 1", wave=2016)
    from vpt_monitor import decision_influence

    share = decision_influence(DATA, wave=2016)
    assert isinstance(share, Estimate)
    assert_allclose(special.expit(fit.params[0]), share.estimate, rtol=1e-10)


def test_refusals() -> None:
    with pytest.raises(ValueError, match="must be an outcome; got 'victim'"):
        model(DATA, "victim ~ gender")
    with pytest.raises(ValueError, match="'formula' must be 'outcome ~ terms'"):
        model(DATA, "victimised")
    with pytest.raises(ValueError, match="2 waves"):
        model(DATA, "victimised ~ gender")
    with pytest.raises(ValueError, match="'reported' is an outcome"):
        model(DATA, "victimised ~ reported", wave=2016)


def test_the_messages_speak_of_the_formula_and_the_monitors_variables() -> None:
    # The new-user trial: an unknown name listed the internal frame's columns, and a model
    # over two waves was told to add 'wave' to by=, which model() does not have
    with pytest.raises(ValueError, match=r"'geslacht' is not a variable of the monitor's data"):
        model(DATA, "victimised ~ geslacht", wave=2016)
    with pytest.raises(ValueError, match=r"a model may use .*gender.*team_size"):
        model(DATA, "victimised ~ geslacht", wave=2016)
    with pytest.raises(ValueError, match=r"did you mean 'gender'"):
        model(DATA, "victimised ~ gendr", wave=2016)
    with pytest.raises(ValueError, match=r"Use 'wave' in the formula") as caught:
        model(DATA, "victimised ~ gender")
    assert "by=" not in str(caught.value)
    with pytest.raises(ValueError, match=r"or 'wave' in the formula, not both"):
        model(DATA, "victimised ~ wave + gender", wave=2016)


def test_missing_counts_the_population_without_an_answer_not_the_other_waves() -> None:
    # notes["missing"] counted every row not used, the other wave included (796 of 1188,
    # of which about 44 were unanswered)
    fit = model(DATA, "victimised ~ gender", wave=2016)
    waves = DATA.respondents["wave"]
    in_wave = int(np.count_nonzero(waves == 2016))
    assert fit.notes["outside"] == int(np.count_nonzero(waves != 2016))
    assert fit.notes["missing"] == in_wave - fit.n
    assert 0 <= fit.notes["missing"] < in_wave


def test_a_declared_category_nobody_holds_is_noted_not_flagged() -> None:
    # gender declares 'x'; a file of men and women flagged every model 'empty_category'
    from vpt_monitor import MonitorData

    records = DATA.to_records()
    keep = DATA.respondents["gender"] != 2  # nobody answered 'x'
    people = [p for p, kept in zip(records.respondents, keep, strict=True) if kept]
    ids = {p.id for p in people}
    data = MonitorData.from_records(
        people,
        [incident for incident in records.incidents if incident.respondent_id in ids],
        lonely_psu=DATA.lonely_psu,
        attributes=list(DATA.attributes.values()),
    )
    assert "x" not in data.to_pandas()["gender"].astype(str).unique()
    fit = model(data, "victimised ~ gender", wave=2016)
    assert fit.flags == ()
    assert fit.names == ("Intercept", "gender[T.v]")
    assert fit.notes["categories_without_rows"] == {"gender": ["x"]}


def test_a_category_held_only_by_rows_left_out_is_noted_not_flagged() -> None:
    # A reviewer's trial: gender 'x' held only by respondents whose other variable is
    # unknown; they leave the fit, and the category was flagged empty_category
    import attrs

    from vpt_monitor import MonitorData

    records = DATA.to_records()
    people = [
        attrs.evolve(p, attributes={**p.attributes, "team_size": None})
        if p.attributes.get("gender") == "x"
        else p
        for p in records.respondents
    ]
    assert any(p.attributes.get("gender") == "x" for p in people)
    data = MonitorData.from_records(
        people,
        records.incidents,
        lonely_psu=DATA.lonely_psu,
        attributes=list(DATA.attributes.values()),
    )
    fit = model(data, "victimised ~ gender + team_size", wave=2016)
    assert "empty_category" not in fit.flags
    assert fit.notes["categories_without_rows"] == {"gender": ["x"]}
    assert "gender[T.x]" not in fit.names


def test_a_question_missing_from_the_file_is_named_not_another_variable() -> None:
    # a trial on an agency-shaped file without the 'training' column: the model named
    # 'gender' (whose categories had lost every row to the missing question) as empty
    from vpt_monitor import MonitorData, Respondent
    from vpt_monitor.stats import SurveyDesign

    rng = np.random.default_rng(5)
    people = [
        Respondent(
            f"r{i}",
            2016,
            "gemeente",
            "ambtenaar",
            victimisations={"verbaal": int(rng.random() < 0.3)},
            attributes={"gender": ["m", "v"][i % 2]},
        )
        for i in range(200)
    ]
    data = MonitorData.from_records(people)
    with pytest.raises(ValueError, match=r"^'training' has no answer among the respondents"):
        model(data, "victimised ~ gender + training", wave=2016)
    assert model(data, "victimised ~ gender", wave=2016).n == 200
    # glm itself, on a column without any value
    frame = {"y": rng.random(50) < 0.5, "x": np.full(50, np.nan), "z": rng.normal(size=50)}
    frame["y"] = frame["y"].astype(float)
    with pytest.raises(ValueError, match=r"^'x' has no value on any row"):
        glm("y ~ z + x", frame, SurveyDesign(weights=np.ones(50)), na="domain")
