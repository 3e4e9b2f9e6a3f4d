r"""Synthetic monitor waves, calibrated to the published figures of the monitor.

:func:`simulate` draws a realistic monitor: populations of offices and organisations of the
sizes of around 2016, organisations with their own level of aggression, a stratified sample
(political office holders invited in full, employees through a sample of organisations),
nonresponse, weights that reproduce the population counts, incidents with forms, channels and
reporting, perceived integrity violations, and an organisation survey with policy measures
and registered violations. The victimisation rates are set so that the population values equal
the published figures (for example 27% of political office holders in 2016 and 55% of
mayors), so that the estimates from a simulation land near them.

The data are synthetic: they carry no information about real persons or organisations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import special

from vpt_monitor.data import (
    CHANNELS,
    CONSEQUENCES,
    FORMS,
    GROUPS,
    LAYERS,
    OFFICES,
    VIOLATIONS,
    MonitorData,
)
from vpt_monitor.vocab import Channel, Consequence, Form, Layer, Measure, Office

__all__ = ["POPULATION", "PUBLISHED", "simulate"]

FloatArray = NDArray[np.float64]

#: Population counts of the offices around 2016 (domain.md), and of employees by layer.
POPULATION: dict[tuple[Layer, Office], int] = {
    (Layer.MUNICIPALITY, Office.MAYOR): 390,
    (Layer.MUNICIPALITY, Office.ALDERMAN): 1400,
    (Layer.MUNICIPALITY, Office.COUNCILLOR): 8900,
    (Layer.PROVINCE, Office.KINGS_COMMISSIONER): 12,
    (Layer.PROVINCE, Office.PROVINCIAL_EXECUTIVE): 60,
    (Layer.PROVINCE, Office.PROVINCIAL_COUNCILLOR): 570,
    (Layer.WATER_BOARD, Office.WATER_BOARD_CHAIR): 22,
    (Layer.WATER_BOARD, Office.WATER_BOARD_EXECUTIVE): 100,
    (Layer.WATER_BOARD, Office.WATER_BOARD_MEMBER): 600,
    (Layer.STATE, Office.CIVIL_SERVANT): 120_000,
    (Layer.PROVINCE, Office.CIVIL_SERVANT): 12_000,
    (Layer.MUNICIPALITY, Office.CIVIL_SERVANT): 150_000,
    (Layer.WATER_BOARD, Office.CIVIL_SERVANT): 10_000,
}

#: Organisations per layer (municipalities and water boards on 1 January 2016).
ORGANISATIONS = {
    Layer.STATE: 40,
    Layer.PROVINCE: 12,
    Layer.MUNICIPALITY: 390,
    Layer.WATER_BOARD: 22,
}

#: Published figures the simulation is calibrated to (share victimised in the past 12 months,
#: share via social media, influence on decisions, perceived violations, policy coverage).
PUBLISHED: dict[str, dict[Any, float]] = {
    "political": {2010: 0.32, 2012: 0.38, 2014: 0.23, 2016: 0.27},
    "mayor": {2010: 0.50, 2012: 0.61, 2014: 0.45, 2016: 0.55},
    "alderman": {2010: 0.50, 2012: 0.53, 2014: 0.40, 2016: 0.45},
    "employee": {2010: 0.40, 2012: 0.40, 2014: 0.25, 2016: 0.22},
    "political_social_media": {2010: 0.02, 2012: 0.025, 2014: 0.03, 2016: 0.06},
    "decision_influence": {2010: 0.09, 2012: 0.09, 2014: 0.09, 2016: 0.09},
    "perceived_violations_political": {2010: 0.40, 2012: 0.40, 2014: 0.36, 2016: 0.33},
    "perceived_violations_employee": {2010: 0.32, 2012: 0.32, 2014: 0.29, 2016: 0.27},
    "coverage_2016": {
        Measure.RISK_ANALYSIS: 0.60,
        Measure.FUNCTION_SEPARATION: 0.75,
        Measure.CERTIFICATE_OF_CONDUCT: 0.75,
        Measure.VIOLATION_REGISTRATION: 0.50,
        Measure.SIDE_JOBS_REGISTER: 0.75,
    },
}

# take-up in 2016 of the other measures (not published per measure; plausible values)
_OTHER_COVERAGE = {
    Measure.INTEGRITY_POLICY: 0.90,
    Measure.CODE_OF_CONDUCT: 0.95,
    Measure.OATH: 0.92,
    Measure.VULNERABLE_FUNCTIONS: 0.60,
    Measure.FINANCIAL_INTERESTS: 0.50,
    Measure.CONFIDENTIAL_ADVISER: 0.92,
    Measure.REPORTING_PROCEDURE: 0.88,
    Measure.INTEGRITY_TRAINING: 0.62,
    Measure.AGGRESSION_POLICY: 0.85,
    Measure.NORM_COMMUNICATED: 0.80,
    Measure.INCIDENT_REGISTRATION: 0.70,
    Measure.EMPLOYER_POLICE_REPORT: 0.62,
    Measure.AFTERCARE: 0.86,
    Measure.AGGRESSION_TRAINING: 0.66,
    Measure.DAMAGE_RECOVERY: 0.40,
}

# invitation and response: political office holders all invited; employees through a sample
# of organisations (organisations sampled per layer, persons invited per organisation)
_RESPONSE = {
    Office.MAYOR: 0.62,
    Office.ALDERMAN: 0.50,
    Office.COUNCILLOR: 0.38,
    Office.KINGS_COMMISSIONER: 0.60,
    Office.PROVINCIAL_EXECUTIVE: 0.50,
    Office.PROVINCIAL_COUNCILLOR: 0.38,
    Office.WATER_BOARD_CHAIR: 0.55,
    Office.WATER_BOARD_EXECUTIVE: 0.45,
    Office.WATER_BOARD_MEMBER: 0.35,
    Office.CIVIL_SERVANT: 0.35,
}
_EMPLOYEE_ORGANISATIONS = {
    Layer.STATE: 30,
    Layer.PROVINCE: 12,
    Layer.MUNICIPALITY: 120,
    Layer.WATER_BOARD: 22,
}
_EMPLOYEES_INVITED = 60  # per sampled organisation
_EMPLOYEE_LAYER_RISK = {
    Layer.STATE: 0.85,
    Layer.PROVINCE: 0.75,
    Layer.MUNICIPALITY: 1.25,
    Layer.WATER_BOARD: 0.6,
}
_POLITICAL_OTHER = {  # victimisation relative to councillors, by office
    Office.KINGS_COMMISSIONER: 1.6,
    Office.PROVINCIAL_EXECUTIVE: 1.2,
    Office.PROVINCIAL_COUNCILLOR: 0.85,
    Office.WATER_BOARD_CHAIR: 0.6,
    Office.WATER_BOARD_EXECUTIVE: 0.45,
    Office.WATER_BOARD_MEMBER: 0.35,
}
_ORGANISATION_SD = 0.4  # organisation effect on the logit of victimisation
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(40)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def _marginal(intercept: FloatArray, sd: float) -> FloatArray:
    """Mean of expit(intercept + sd Z) for a standard normal Z (Gauss-Hermite)."""
    values: FloatArray = special.expit(intercept[..., None] + sd * _NODES) @ _WEIGHTS
    return values


def _intercept(target: FloatArray, sd: float) -> FloatArray:
    """Solve for the logit intercept whose logistic-normal mean is ``target``."""
    low = np.full_like(target, -20.0)
    high = np.full_like(target, 20.0)
    for _ in range(80):
        mid = (low + high) / 2
        above = _marginal(mid, sd) > target
        high = np.where(above, mid, high)
        low = np.where(above, low, mid)
    result: FloatArray = (low + high) / 2
    return result


def _layer_of(office: Office) -> Layer:
    """Return the one layer of a political office."""
    (layer,) = office.layers
    return layer


def _office_rates(wave: int) -> dict[tuple[Layer, Office], float]:
    """Return the population victimisation rate of every stratum, as published."""
    rates: dict[tuple[Layer, Office], float] = {
        (Layer.MUNICIPALITY, Office.MAYOR): PUBLISHED["mayor"][wave],
        (Layer.MUNICIPALITY, Office.ALDERMAN): PUBLISHED["alderman"][wave],
    }
    political_total = sum(n for (_, o), n in POPULATION.items() if o.political)
    known = sum(POPULATION[k] * r for k, r in rates.items())
    relative = sum(
        POPULATION[(_layer_of(office), office)] * factor
        for office, factor in _POLITICAL_OTHER.items()
    )
    councillors = POPULATION[(Layer.MUNICIPALITY, Office.COUNCILLOR)]
    # councillor rate c solves: known + c * (councillors + relative) = target * total
    c = (PUBLISHED["political"][wave] * political_total - known) / (councillors + relative)
    rates[(Layer.MUNICIPALITY, Office.COUNCILLOR)] = c
    for office, factor in _POLITICAL_OTHER.items():
        rates[(_layer_of(office), office)] = c * factor
    employees = sum(POPULATION[(layer, Office.CIVIL_SERVANT)] for layer in LAYERS)
    scale = (
        PUBLISHED["employee"][wave]
        * employees
        / sum(
            POPULATION[(layer, Office.CIVIL_SERVANT)] * _EMPLOYEE_LAYER_RISK[layer]
            for layer in LAYERS
        )
    )
    for layer in LAYERS:
        rates[(layer, Office.CIVIL_SERVANT)] = scale * _EMPLOYEE_LAYER_RISK[layer]
    return rates


def simulate(
    waves: Sequence[int] = (2010, 2012, 2014, 2016), *, seed: int = 0, scale: float = 1.0
) -> MonitorData:
    """Simulate monitor waves: respondents, incidents, organisations and violations.

    Parameters
    ----------
    waves : sequence of int, default (2010, 2012, 2014, 2016)
        Waves to simulate; each must be one of 2010, 2012, 2014, 2016 (the waves with
        published figures to calibrate to).
    seed : int, default 0
        Seed; the same seed gives the same data.
    scale : float, default 1.0
        Multiplies every population and sample size. The default gives about 12,000
        respondents a wave; ``scale=20`` about a million respondents in four waves.

    Returns
    -------
    MonitorData
        With a stratified, clustered design: strata are wave x layer x office; political
        office holders are their own PSUs with the office's population as fpc; employees are
        clustered in their organisation, with the layer's organisations as fpc. Weights
        reproduce the population counts of every stratum.

    Notes
    -----
    Victimisation follows a logistic model with a random organisation effect; the intercept
    of each stratum is solved (Gauss-Hermite quadrature) so that the population rate equals
    the published figure, with the councillors' rate the residual that makes the rate of all
    political office holders match. Forms, channels, incidents, reporting, consequences,
    perceived violations and policy measures follow fixed conditional shares.

    Examples
    --------
    >>> from vpt_monitor.synth import simulate
    >>> data = simulate(waves=(2016,), seed=1)
    >>> data.waves, len(data) > 5000
    ((2016,), True)
    """
    waves = tuple(int(w) for w in waves)
    unknown = [w for w in waves if w not in PUBLISHED["political"]]
    if unknown:
        raise ValueError(
            f"waves {unknown} have no published figures to calibrate to; choose from "
            f"{sorted(PUBLISHED['political'])}"
        )
    if not (isinstance(scale, int | float) and not isinstance(scale, bool) and scale > 0):
        raise ValueError(f"'scale' must be a number > 0; got {scale!r}")
    rng = np.random.default_rng(seed)
    parts = [_respondents(rng, wave, scale) for wave in waves]
    respondents = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    respondents["id"] = np.char.add("r", np.arange(respondents["wave"].size).astype(str)).astype(
        object
    )
    incidents = _incidents(rng, respondents)
    organisations, violations = _organisations(rng, waves, scale)
    return MonitorData(
        respondents,
        incidents,
        organisations,
        violations,
        lonely_psu="adjust",
        synthetic=True,
        source=f"vpt_monitor.synth.simulate(waves={waves}, seed={seed}, scale={scale})",
    )


def _respondents(rng: np.random.Generator, wave: int, scale: float) -> dict[str, Any]:
    rates = _office_rates(wave)
    columns: dict[str, list[Any]] = {
        k: [] for k in ("layer", "office", "weight", "stratum", "cluster", "fpc", "org", "risk")
    }
    # organisation effects of this wave, one per organisation of every layer
    org_effect = {
        layer: rng.normal(0.0, _ORGANISATION_SD, max(1, round(n * scale)))
        for layer, n in ORGANISATIONS.items()
    }
    for (layer, office), population in POPULATION.items():
        n_orgs = org_effect[layer].size
        pop = max(1, round(population * scale))
        if office.political:
            # everyone invited; each person belongs to an organisation of the layer
            org = rng.integers(0, n_orgs, pop)
            respond = rng.random(pop) < _RESPONSE[office]
            org = org[respond]
            clusters = np.char.add(f"{wave}-{office.value}-", np.flatnonzero(respond).astype(str))
            fpc = float(pop)
        else:
            size = min(n_orgs, max(1, round(_EMPLOYEE_ORGANISATIONS[layer] * scale)))
            sampled = rng.choice(n_orgs, size=size, replace=False)
            invited = np.repeat(sampled, _EMPLOYEES_INVITED)
            respond = rng.random(invited.size) < _RESPONSE[office]
            org = invited[respond]
            clusters = np.char.add(f"{wave}-{layer.value}-org", org.astype(str))
            fpc = float(n_orgs)
        n = org.size
        if n == 0:
            continue
        intercept = _intercept(np.array([rates[(layer, office)]]), _ORGANISATION_SD)[0]
        columns["layer"].append(np.full(n, LAYERS.index(layer), dtype=np.int8))
        columns["office"].append(np.full(n, OFFICES.index(office), dtype=np.int8))
        columns["weight"].append(np.full(n, pop / n))
        columns["stratum"].append(np.full(n, f"{wave}-{layer.value}-{office.value}", dtype=object))
        columns["cluster"].append(clusters.astype(object))
        columns["fpc"].append(np.full(n, fpc))
        columns["org"].append(org)
        columns["risk"].append(special.expit(intercept + org_effect[layer][org]))
    cols = {k: np.concatenate(v) for k, v in columns.items()}
    n = cols["weight"].size
    office_code = cols["office"]
    political = np.array([o.political for o in OFFICES])[office_code]
    victim = rng.random(n) < cols["risk"]
    counts = _counts(rng, victim)
    channels = _channels(rng, victim, political, wave, office_code.astype(np.intp) * 2 + victim)
    consequences = np.zeros((n, len(CONSEQUENCES)), dtype=bool)
    adverse = {
        Consequence.LESS_WORK_PLEASURE: 0.3,
        Consequence.MENTAL_HEALTH: 0.12,
        Consequence.CHANGED_BEHAVIOUR: 0.25,
        Consequence.PHYSICAL_INJURY: 0.03,
        Consequence.ABSENCE: 0.05,
    }
    for consequence, share in adverse.items():
        consequences[:, CONSEQUENCES.index(consequence)] = victim & (rng.random(n) < share)
    # influence on decisions: 9% of political office holders, mostly victims
    rate = _office_share(cols, political, victim)
    given_victim = 0.22
    other = np.clip(
        (PUBLISHED["decision_influence"][wave] - given_victim * rate) / (1 - rate), 0, 1
    )
    cell = office_code.astype(np.intp) * 2 + victim
    influence = political & _exact(rng, cell, np.where(victim, given_victim, other))
    consequences[:, CONSEQUENCES.index(Consequence.DECISION_INFLUENCE)] = influence
    perceived = np.zeros((n, len(VIOLATIONS)), dtype=bool)
    perceived_share = np.where(
        political,
        PUBLISHED["perceived_violations_political"][wave],
        PUBLISHED["perceived_violations_employee"][wave],
    )
    any_violation = _exact(rng, office_code.astype(np.intp), perceived_share)
    kinds = rng.integers(0, len(VIOLATIONS), n)
    perceived[np.arange(n), kinds] = any_violation
    extra = any_violation & (rng.random(n) < 0.4)
    perceived[np.flatnonzero(extra), rng.integers(0, len(VIOLATIONS), int(extra.sum()))] = True
    aftercare = np.where(victim, np.where(rng.random(n) < 0.85, (rng.random(n) < 0.5), -1), -1)
    training = (rng.random(n) < np.where(political, 0.25, 0.35)).astype(np.int8)
    return {
        "wave": np.full(n, wave, dtype=np.int64),
        "layer": cols["layer"],
        "office": office_code,
        "group": np.array([GROUPS.index(o.group) for o in OFFICES], dtype=np.int8)[office_code],
        "weight": cols["weight"],
        "stratum": cols["stratum"],
        "cluster": cols["cluster"],
        "fpc": cols["fpc"],
        "victimisations": counts,
        "channels": np.where(victim[:, None], channels, -1).astype(np.int8),
        "consequences": _consequence_answers(consequences, victim, political),
        "perceived_violations": perceived.astype(np.int8),
        "aftercare": aftercare.astype(np.int8),
        "training": training,
    }


def _consequence_answers(
    consequences: NDArray[np.bool_], victim: NDArray[np.bool_], political: NDArray[np.bool_]
) -> NDArray[np.int8]:
    """Victims answer the consequences; political office holders the influence question."""
    answers = np.where(victim[:, None], consequences, -1).astype(np.int8)
    column = CONSEQUENCES.index(Consequence.DECISION_INFLUENCE)
    answers[:, column] = np.where(political, consequences[:, column], -1)
    return answers


def _office_share(
    cols: dict[str, Any], political: NDArray[np.bool_], victim: NDArray[np.bool_]
) -> float:
    """Weighted victimisation among political respondents (for the influence model)."""
    w = cols["weight"][political]
    return float(np.sum(w * victim[political]) / max(np.sum(w), 1e-12))


def _exact(
    rng: np.random.Generator, cell: NDArray[np.intp], probability: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Mark exactly round(p n) randomly chosen rows of each cell (p constant within a cell).

    Used for the shares the letter publishes without an organisation effect, so that the
    synthetic sample reproduces them up to rounding instead of up to binomial noise.
    """
    order = np.lexsort((rng.random(cell.size), cell))
    sorted_cell = cell[order]
    rank = np.arange(cell.size) - np.searchsorted(sorted_cell, sorted_cell, side="left")
    size = np.bincount(cell)[sorted_cell]
    chosen = np.zeros(cell.size, dtype=bool)
    chosen[order] = rank < np.round(np.asarray(probability)[order] * size)
    return chosen


def _counts(rng: np.random.Generator, victim: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Incidents per form: at least one form for every victim, repeat victimisation common."""
    n = victim.size
    shares = {
        Form.VERBAL: 0.80,
        Form.THREAT: 0.43,
        Form.PHYSICAL: 0.09,
        Form.DISCRIMINATION: 0.10,
        Form.SEXUAL: 0.05,
    }
    counts = np.zeros((n, len(FORMS)), dtype=np.int64)
    for form, share in shares.items():
        has = victim & (rng.random(n) < share)
        counts[:, FORMS.index(form)] = np.where(has, rng.geometric(0.45, n), 0)
    none = victim & (counts.sum(axis=1) == 0)
    counts[none, FORMS.index(Form.VERBAL)] = 1
    series = victim & (rng.random(n) < 0.04)  # series victims with many incidents
    counts[series, FORMS.index(Form.VERBAL)] += rng.integers(10, 80, int(series.sum()))
    return counts


def _channels(
    rng: np.random.Generator,
    victim: NDArray[np.bool_],
    political: NDArray[np.bool_],
    wave: int,
    cell: NDArray[np.intp],
) -> NDArray[np.bool_]:
    n = victim.size
    channels = np.zeros((n, len(CHANNELS)), dtype=bool)
    social_given_victim = np.where(
        political,
        PUBLISHED["political_social_media"][wave] / PUBLISHED["political"][wave],
        0.06,
    )
    channels[:, CHANNELS.index(Channel.SOCIAL_MEDIA)] = victim & _exact(
        rng, cell, np.where(victim, social_given_victim, 0.0)
    )
    channels[:, CHANNELS.index(Channel.IN_PERSON)] = victim & (rng.random(n) < 0.75)
    channels[:, CHANNELS.index(Channel.PHONE_OR_MAIL)] = victim & (rng.random(n) < 0.35)
    none = victim & ~channels.any(axis=1)
    channels[none, CHANNELS.index(Channel.IN_PERSON)] = True
    return channels


def _incidents(rng: np.random.Generator, respondents: dict[str, Any]) -> dict[str, Any]:
    """Draw the most recent incident of most victims; a few describe several."""
    counts = respondents["victimisations"]
    victims = np.flatnonzero(counts.sum(axis=1) > 0)
    described = victims[rng.random(victims.size) < 0.85]
    repeats = np.where(rng.random(described.size) < 0.03, rng.integers(2, 6, described.size), 1)
    owner = np.repeat(described, repeats)
    m = owner.size
    form_probability = counts[owner] / counts[owner].sum(axis=1, keepdims=True)
    form = (form_probability.cumsum(axis=1) < rng.random(m)[:, None]).sum(axis=1).astype(np.int8)
    political = np.array([o.political for o in OFFICES])[respondents["office"][owner]]
    own_channels = respondents["channels"][owner]
    channel = np.argmax(own_channels * rng.random((m, len(CHANNELS))), axis=1).astype(np.int8)
    serious = form == FORMS.index(Form.PHYSICAL)

    def yes_no(p: NDArray[np.float64] | float, missing: float = 0.05) -> NDArray[np.int8]:
        answer = (rng.random(m) < p).astype(np.int8)
        return np.where(rng.random(m) < missing, -1, answer).astype(np.int8)

    return {
        "respondent": owner.astype(np.intp),
        "wave": respondents["wave"][owner],
        "form": form,
        "channel": channel,
        "reported_internally": yes_no(np.where(political, 0.45, 0.58)),
        "police_report": yes_no(np.where(serious, 0.45, np.where(political, 0.08, 0.06))),
        "registered": yes_no(0.4),
        "severity": np.where(serious, 4, rng.integers(1, 4, m)).astype(np.int8),
        "aftercare": yes_no(0.5),
        "consequences": np.full((m, len(CONSEQUENCES)), -1, dtype=np.int8),
    }


def _organisations(
    rng: np.random.Generator, waves: tuple[int, ...], scale: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Draw the organisation survey: all invited, 70% respond; their measures."""
    measures = tuple(Measure)
    coverage = {**_OTHER_COVERAGE, **PUBLISHED["coverage_2016"]}
    target = np.array([coverage[m] for m in measures])
    parts: dict[str, list[Any]] = {
        k: [] for k in ("id", "wave", "layer", "employees", "measures", "weight", "stratum", "fpc")
    }
    employees_per_org = {
        layer: POPULATION[(layer, Office.CIVIL_SERVANT)] / n for layer, n in ORGANISATIONS.items()
    }
    for wave in waves:
        lift = (wave - 2016) * 0.025  # take-up grew a little each wave
        intercept = _intercept(np.clip(target + lift, 0.02, 0.98), 1.0)
        for layer, n_orgs in ORGANISATIONS.items():
            population = max(1, round(n_orgs * scale))
            respond = np.flatnonzero(rng.random(population) < 0.7)
            if respond.size == 0:
                respond = np.array([0])
            k = respond.size
            effect = rng.normal(0.0, 1.0, k)
            present = rng.random((k, len(measures))) < special.expit(
                intercept[None, :] + effect[:, None]
            )
            parts["id"].append(np.char.add(f"{layer.value}-", respond.astype(str)).astype(object))
            parts["wave"].append(np.full(k, wave, dtype=np.int64))
            parts["layer"].append(np.full(k, LAYERS.index(layer), dtype=np.int8))
            size = employees_per_org[layer] * rng.lognormal(0.0, 0.6, k)
            parts["employees"].append(np.maximum(1, np.round(size)).astype(np.int64))
            parts["measures"].append(present.astype(np.int8))
            parts["weight"].append(np.full(k, population / k))
            parts["stratum"].append(np.full(k, f"{wave}-{layer.value}", dtype=object))
            parts["fpc"].append(np.full(k, float(population)))
    orgs = {key: np.concatenate(value) for key, value in parts.items()}
    expected = orgs["employees"] / 1000 * 1.2
    number = rng.poisson(expected)
    owner = np.repeat(np.arange(number.size), number)
    violations = {
        "organisation": owner.astype(np.intp),
        "wave": orgs["wave"][owner],
        "kind": rng.integers(0, len(VIOLATIONS), owner.size).astype(np.int8),
        "status": rng.choice(np.array([0, 1, 2], dtype=np.int8), owner.size, p=[0.3, 0.2, 0.5]),
    }
    return orgs, violations
