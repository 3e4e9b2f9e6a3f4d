r"""Synthetic monitor waves, calibrated to the published figures of the monitor.

:func:`simulate` draws monitor waves with the design of the real monitor:

- **political office holders** are invited in full; each is a first-stage unit of the stratum
  of their office (``"burgemeester"``, ``"raadslid"``, ...), with the office's population as
  ``fpc`` and ``fpc2 = 1``. Their answers come from a *finite population* generated in full,
  so that the population values equal the published figures (up to whole persons) and the
  design-based intervals, finite-population correction included, cover them at their
  nominal level;
- **employees** are sampled in two stages: organisations (the clusters, labelled with codes
  such as ``"gm0042"`` that are reused in every wave), then people within them (``fpc2`` =
  the organisation's employees). All 12 provinces and all 22 water boards are in the sample
  (a census of first-stage units, ``fpc`` = 12 or 22); ministries and agencies and
  municipalities are sampled (``fpc`` = the organisations of the layer in that wave). Strata
  are ``"<layer>-medewerkers"``. The victimisation rate of each organisation has a random
  effect that persists over waves; the intercept is solved on the wave's population of
  organisations so that the expected population rate equals the figure exactly;
- the **organisation survey** invites every organisation (strata the layers, ``fpc`` the
  organisations of the layer in the wave, ids the same codes as the clusters).

Stratum and cluster labels do not carry the wave: they are reused across waves, and
:attr:`~vpt_monitor.MonitorData.design` crosses them with the wave (independent samples).
Weights reproduce the population count of every stratum in every wave. Every wave has its own
random stream, derived from ``(seed, wave)``, so ``simulate(waves=(2016,))`` gives the same
2016 as ``simulate()``; the organisations' sizes and random effects come from a stream of
``seed`` alone and are the same in every wave and selection of waves.

Realistic item non-response is part of the data: about 2% of respondents skip the
victimisation questions (then routing skips the follow-up questions), some victims leave
one count empty, about 3% skip the channel, consequence and perceived-violation questions,
2-3% the yes/no questions, 4% of political office holders the decision-influence question,
and some organisations leave a measure unanswered. All of it is missing completely at random
within an office, so that it costs precision but not validity. The integrity questions
(perceived violations) are not asked in 2010 (``-1`` for everyone): the letter says the
integrity study was held for the third time in 2016.

What is published and what is invented
--------------------------------------
Only figures from the 2016 letter (and ``domain.md``'s published table) are published;
everything else is an invented but plausible value, marked ``invented`` here and listed in
:data:`INVENTED`.

=======================================  =============================  ======================
figure                                   published (source)             invented
=======================================  =============================  ======================
victimised, political office holders     32/38/23/27% (2010-2016)       -
victimised, mayors                       ~50/61/45/55% (2010-2016)      -
victimised, aldermen                     ~50/53/40% (2010-2014)         2016: 45%
victimised, councillors                  36% (2012), 20% (2014)         2010, 2016: residual
victimised, water-board office holders   12% (2010)                     other waves: residual
victimised, employees                    40/40/25% (2010-2014)          2016: 22% ("lower")
via social media, political              3% (2014), 6% (2016, doubled)  2010: 2%, 2012: 2.5%
adverse consequences, political victims  one third (2016)               other waves: one third
adverse consequences, employee victims   -                              40%
decision influence, political            9% (2012, 2016)                2010: 8%, 2014: 7%
decision influence, political victims    one in ten (2016)              other waves: 10%
perceived violations, political          about one in three (2016)      2012: 40%, 2014: 36%
perceived violations, employees          fewer in 2016 than in 2012     32/29/27% (2012-2016)
policy coverage of organisations         2016: 60/75/75/50/75%          other measures, waves
populations                              mayors = municipalities (CBS)  other offices
                                         Statenleden 764 (2010), 570    employees by layer
                                         12 provinces, 22 water boards  sizes, response rates
=======================================  =============================  ======================

Councillors' rate is the residual where it is not published: the rate that, with the other
offices, gives the published rate of all political office holders (2010: 30%, where the
published description is "about a third"; 2016: 25%).

The decision-influence figures are two of the same question: 9% of *all* political office
holders (the letter's integrity section; asked of victims and non-victims alike) and one in
ten among *victims* (the letter's aggression section). With 27% victims in 2016 they imply
(9 - 0.27 x 10) / 0.73 = 8.6% among non-victims: the *risk* of incidents, not their
experience, influences decisions. The "one third with adverse consequences" are political
office holders who were victims (the letter's section 1.2).

The data are synthetic: they carry no information about real persons or organisations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import special

from vpt_monitor._codes import (
    CHANNELS,
    CONSEQUENCES,
    FORMS,
    GROUPS,
    LAYERS,
    MEASURES,
    OFFICES,
    VIOLATIONS,
)
from vpt_monitor.attributes import BUILT_IN_ATTRIBUTES
from vpt_monitor.data import MonitorData
from vpt_monitor.vocab import (
    Channel,
    Consequence,
    Form,
    Layer,
    Measure,
    Office,
    ViolationType,
)

__all__ = [
    "INTEGRITY_WAVES",
    "INVENTED",
    "MUNICIPALITIES",
    "ORGANISATIONS",
    "ORGANISATIONS_BY_WAVE",
    "POPULATION",
    "POPULATION_BY_WAVE",
    "PUBLISHED",
    "WAVES",
    "population_values",
    "simulate",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

#: Waves with published figures to calibrate to.
WAVES = (2010, 2012, 2014, 2016)

#: Waves in which the integrity questions (perceived violations) were asked. The letter says
#: the integrity study was held for the third time in 2016 and compares with 2012; 2014 is
#: taken as the second time (an assumption: the earlier integrity monitor may have been 2008).
INTEGRITY_WAVES = (2012, 2014, 2016)

#: Municipalities on 1 January of the wave's year (CBS counts; public, not in the letter).
MUNICIPALITIES = {2010: 431, 2012: 415, 2014: 403, 2016: 390}

#: Organisations per layer and wave. Provinces 12 and water boards 22 (1 January 2016; the
#: water-board mergers before 2016 are left out, so 22 is used in every wave: invented);
#: ministries and agencies 40 (invented).
ORGANISATIONS_BY_WAVE: dict[int, dict[Layer, int]] = {
    wave: {
        Layer.STATE: 40,
        Layer.PROVINCE: 12,
        Layer.MUNICIPALITY: MUNICIPALITIES[wave],
        Layer.WATER_BOARD: 22,
    }
    for wave in WAVES
}

#: Organisations per layer in 2016.
ORGANISATIONS = ORGANISATIONS_BY_WAVE[2016]

# invented except where noted: aldermen and councillors shrink with the municipalities
# (2016 values from domain.md); Statenleden 764 before the 2011 reduction of the provincial
# councils, about 570 after (public counts); water-board seats and employees invented
_ALDERMEN = {2010: 1550, 2012: 1500, 2014: 1450, 2016: 1400}
_COUNCILLORS = {2010: 9400, 2012: 9200, 2014: 9050, 2016: 8900}
_STATENLEDEN = {2010: 764, 2012: 570, 2014: 570, 2016: 570}

#: Population counts per wave of the offices and of employees by layer. Mayors equal the
#: municipalities; the other counts are described in the module notes (mostly invented).
POPULATION_BY_WAVE: dict[int, dict[tuple[Layer, Office], int]] = {
    wave: {
        (Layer.MUNICIPALITY, Office.MAYOR): MUNICIPALITIES[wave],
        (Layer.MUNICIPALITY, Office.ALDERMAN): _ALDERMEN[wave],
        (Layer.MUNICIPALITY, Office.COUNCILLOR): _COUNCILLORS[wave],
        (Layer.PROVINCE, Office.KINGS_COMMISSIONER): 12,
        (Layer.PROVINCE, Office.PROVINCIAL_EXECUTIVE): 60,  # invented
        (Layer.PROVINCE, Office.PROVINCIAL_COUNCILLOR): _STATENLEDEN[wave],
        (Layer.WATER_BOARD, Office.WATER_BOARD_CHAIR): 22,
        (Layer.WATER_BOARD, Office.WATER_BOARD_EXECUTIVE): 100,  # invented
        (Layer.WATER_BOARD, Office.WATER_BOARD_MEMBER): 600,  # invented
        (Layer.STATE, Office.CIVIL_SERVANT): 120_000,  # employees: invented round numbers
        (Layer.PROVINCE, Office.CIVIL_SERVANT): 12_000,
        (Layer.MUNICIPALITY, Office.CIVIL_SERVANT): 150_000,
        (Layer.WATER_BOARD, Office.CIVIL_SERVANT): 10_000,
    }
    for wave in WAVES
}

#: Population counts of 2016 (domain.md), as :data:`POPULATION_BY_WAVE` ``[2016]``.
POPULATION: dict[tuple[Layer, Office], int] = POPULATION_BY_WAVE[2016]

#: The figures the simulation is calibrated to: its population values. Keys: share
#: victimised in the past 12 months ("political", "mayor", "alderman", "councillor",
#: "water_board_political", "employee"), via social media ("political_social_media"),
#: adverse consequences among political victims ("adverse_consequences_political"),
#: influence on decisions among all political office holders ("decision_influence") and
#: among those who were victims ("decision_influence_victims"), perceived violations
#: ("perceived_violations_political", "perceived_violations_employee", integrity waves
#: only) and the policy coverage of 2016. Entries in :data:`INVENTED` are not published.
PUBLISHED: dict[str, dict[Any, float]] = {
    "political": {2010: 0.32, 2012: 0.38, 2014: 0.23, 2016: 0.27},
    "mayor": {2010: 0.50, 2012: 0.61, 2014: 0.45, 2016: 0.55},  # 2010: "about half"
    "alderman": {2010: 0.50, 2012: 0.53, 2014: 0.40, 2016: 0.45},  # 2016 invented
    "councillor": {2012: 0.36, 2014: 0.20},  # 2010 ("about a third"), 2016: residual
    "water_board_political": {2010: 0.12},  # other waves: residual
    "employee": {2010: 0.40, 2012: 0.40, 2014: 0.25, 2016: 0.22},  # 2016 invented ("lower")
    # 2014 published; 2016 "doubled" in two years; 2010 and 2012 invented
    "political_social_media": {2010: 0.02, 2012: 0.025, 2014: 0.03, 2016: 0.06},
    # "een derde van de slachtoffers" (2016); the other waves invented, the same
    "adverse_consequences_political": {w: 1 / 3 for w in WAVES},
    # 9% in 2012 and 2016 (of all political office holders); 2010 and 2014 invented
    "decision_influence": {2010: 0.08, 2012: 0.09, 2014: 0.07, 2016: 0.09},
    # "een op de tien ... die slachtoffer was" (2016); the other waves invented, the same
    "decision_influence_victims": {w: 0.10 for w in WAVES},
    # "ongeveer een op de drie" (2016); 2012 and 2014 invented; not asked in 2010
    "perceived_violations_political": {2012: 0.40, 2014: 0.36, 2016: 0.33},
    # invented; the letter only says there were fewer suspicions in 2016 than in 2012
    "perceived_violations_employee": {2012: 0.32, 2014: 0.29, 2016: 0.27},
    "coverage_2016": {
        Measure.RISK_ANALYSIS: 0.60,
        Measure.FUNCTION_SEPARATION: 0.75,
        Measure.CERTIFICATE_OF_CONDUCT: 0.75,
        Measure.VIOLATION_REGISTRATION: 0.50,
        Measure.SIDE_JOBS_REGISTER: 0.75,
    },
}

#: The ``(key, wave)`` entries of ``PUBLISHED`` that are invented (plausible values the
#: letter does not give), so that tables can tell them from published figures.
INVENTED: frozenset[tuple[str, int]] = frozenset(
    {
        ("alderman", 2016),
        ("employee", 2016),
        ("political_social_media", 2010),
        ("political_social_media", 2012),
        ("decision_influence", 2010),
        ("decision_influence", 2014),
        ("perceived_violations_political", 2012),
        ("perceived_violations_political", 2014),
        *(("adverse_consequences_political", w) for w in (2010, 2012, 2014)),
        *(("decision_influence_victims", w) for w in (2010, 2012, 2014)),
        *(("perceived_violations_employee", w) for w in INTEGRITY_WAVES),
    }
)

# take-up in 2016 of the other measures (not published per measure): invented
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

# ---- invented design and model parameters -------------------------------------------------

# response of political office holders by office, and a factor per wave: invented
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
_RESPONSE_WAVE = {2010: 1.00, 2012: 1.04, 2014: 0.93, 2016: 0.97}
# response of organisations by layer (the few provinces and water boards answer more
# often), and a factor per wave: invented
_ORGANISATION_RESPONSE = {
    Layer.STATE: 0.75,
    Layer.PROVINCE: 0.90,
    Layer.MUNICIPALITY: 0.68,
    Layer.WATER_BOARD: 0.85,
}
_ORGANISATION_RESPONSE_WAVE = {2010: 0.95, 2012: 1.03, 2014: 0.97, 2016: 1.00}
# employees: organisations sampled per layer (provinces and water boards: all), and people
# invited per sampled organisation (at most its employees): invented
_EMPLOYEE_ORGANISATIONS = {Layer.STATE: 30, Layer.MUNICIPALITY: 120}
_CENSUS_LAYERS = (Layer.PROVINCE, Layer.WATER_BOARD)
_EMPLOYEES_INVITED = 60
_SIZE_SD = {Layer.STATE: 0.9, Layer.PROVINCE: 0.5, Layer.MUNICIPALITY: 0.8, Layer.WATER_BOARD: 0.6}
_MIN_SIZE = 20
# victimisation of employees relative to the employees' rate, by layer: invented (the letter:
# municipal employees meet the most aggression)
_EMPLOYEE_LAYER_RISK = {
    Layer.STATE: 0.85,
    Layer.PROVINCE: 0.75,
    Layer.MUNICIPALITY: 1.25,
    Layer.WATER_BOARD: 0.6,
}
# victimisation relative to councillors, of offices without a published figure: invented
_POLITICAL_RELATIVE = {
    Office.COUNCILLOR: 1.0,
    Office.KINGS_COMMISSIONER: 1.6,
    Office.PROVINCIAL_EXECUTIVE: 1.2,
    Office.PROVINCIAL_COUNCILLOR: 0.85,
    Office.WATER_BOARD_CHAIR: 0.6,
    Office.WATER_BOARD_EXECUTIVE: 0.45,
    Office.WATER_BOARD_MEMBER: 0.35,
}
_ORGANISATION_SD = 0.4  # persistent organisation effect on the logit of victimisation
_ORGANISATION_WAVE_SD = 0.15  # its change from wave to wave
_EMPLOYEE_SOCIAL_MEDIA = 0.06  # share of employee victims met via social media: invented
_EMPLOYEE_ADVERSE = 0.40  # share of employee victims with adverse consequences: invented
# among victims with adverse consequences, the share with each one ("most: less work
# pleasure", the letter); the rest invented
_ADVERSE_GIVEN_ANY = {
    Consequence.LESS_WORK_PLEASURE: 0.70,
    Consequence.MENTAL_HEALTH: 0.25,
    Consequence.CHANGED_BEHAVIOUR: 0.35,
    Consequence.PHYSICAL_INJURY: 0.04,
    Consequence.ABSENCE: 0.08,
}
# forms among victims, close to the 2014 figures of political office holders (verbal 18%,
# threats 10%, physical 2% of 23% victims); discrimination and sexual invented
_FORM_GIVEN_VICTIM = {
    Form.VERBAL: 0.80,
    Form.THREAT: 0.43,
    Form.PHYSICAL: 0.09,
    Form.DISCRIMINATION: 0.10,
    Form.SEXUAL: 0.05,
}
# which violations are perceived (relative weights; invented). Political office holders
# name sensitive information, conflicts of interest, voting on personal interests and acting
# as adviser in a dispute (the letter); conflicts of interest more often in 2016 than 2012.
_KIND_POLITICAL = {
    ViolationType.CONFLICT_OF_INTEREST: 3.0,
    ViolationType.CONFIDENTIAL_INFORMATION: 3.0,
    ViolationType.VOTING_PERSONAL_INTEREST: 2.0,
    ViolationType.ADVISER_IN_DISPUTE: 1.5,
    ViolationType.GIFTS: 0.5,
    ViolationType.SIDE_JOBS: 0.7,
    ViolationType.FRAUD: 0.2,
    ViolationType.MISUSE_OF_RESOURCES: 0.5,
    ViolationType.INAPPROPRIATE_BEHAVIOUR: 0.8,
}
_CONFLICT_OF_INTEREST_WAVE = {2012: 1.0, 2014: 1.3, 2016: 1.7}
_KIND_EMPLOYEE = {
    ViolationType.CONFLICT_OF_INTEREST: 1.0,
    ViolationType.CONFIDENTIAL_INFORMATION: 1.5,
    ViolationType.VOTING_PERSONAL_INTEREST: 0.1,
    ViolationType.ADVISER_IN_DISPUTE: 0.1,
    ViolationType.GIFTS: 1.0,
    ViolationType.SIDE_JOBS: 1.0,
    ViolationType.FRAUD: 0.4,
    ViolationType.MISUSE_OF_RESOURCES: 1.8,
    ViolationType.INAPPROPRIATE_BEHAVIOUR: 2.5,
}
# item non-response (missing completely at random within an office): invented
_SKIP_VICTIMISATION = 0.02  # the whole block of counts
_SKIP_ONE_COUNT = 0.04  # victims of several forms who leave one count empty
_SKIP_BLOCK = 0.03  # channels, consequences, perceived violations
_SKIP_INFLUENCE = 0.04  # political office holders and the decision-influence question
_SKIP_YES_NO = 0.03  # aftercare (victims), training
_SKIP_MEASURE = 0.04  # organisations leaving one or two measures unanswered

_POLITICAL = tuple(o for o in OFFICES if o.political)
_IS_POLITICAL = np.array([o.political for o in OFFICES])
OFFICE_GROUP = np.array([GROUPS.index(o.group) for o in OFFICES], dtype=np.int8)
_CODE = {Layer.STATE: "rk", Layer.PROVINCE: "pv", Layer.MUNICIPALITY: "gm", Layer.WATER_BOARD: "ws"}


# ---- small numerical helpers ---------------------------------------------------------------


def _solve_intercept(target: float, effect: FloatArray, size: FloatArray) -> float:
    """Intercept b with sum(size * expit(b + effect)) = target * sum(size).

    Newton's method from the logit of the target, safeguarded by bisection: the left side
    increases in b, so every evaluation narrows a bracket, and a step that leaves the bracket
    is replaced by its midpoint.
    """
    goal = target * float(size.sum())
    low, high = -30.0, 30.0
    b = float(special.logit(target))
    for _ in range(200):
        p = special.expit(b + effect)
        value = float(np.sum(size * p)) - goal
        if value == 0.0:
            return b
        if value > 0:
            high = b
        else:
            low = b
        slope = float(np.sum(size * p * (1 - p)))
        step = b - value / slope if slope > 0 else (low + high) / 2
        if not low < step < high:
            step = (low + high) / 2
        if abs(step - b) <= 1e-13 * max(1.0, abs(b)):
            return step
        b = step
    return b


def _apportion(total: int, expected: FloatArray) -> NDArray[np.int64]:
    """Whole numbers near ``expected`` that add up to ``total`` (largest remainders)."""
    expected = np.asarray(expected, dtype=np.float64)
    if expected.sum() > 0:
        expected = expected * (total / expected.sum())
    floor = np.floor(expected).astype(np.int64)
    short = int(total - floor.sum())
    if short > 0:
        order = np.argsort(-(expected - floor), kind="stable")
        floor[order[:short]] += 1
    return floor


def _choose(
    rng: np.random.Generator,
    cell: IntArray,
    counts: NDArray[np.int64],
    weight: FloatArray | None = None,
) -> BoolArray:
    """Choose exactly ``counts[c]`` rows of each cell ``c`` (rows of cell -1 never).

    Without replacement, with probability increasing in ``weight`` (Efraimidis-Spirakis: the
    rows with the largest keys ``u ** (1 / weight)``); uniformly without weights. The loop
    runs over cells (offices, measures), never over rows.
    """
    chosen = np.zeros(cell.size, dtype=bool)
    rows = np.flatnonzero(cell >= 0)
    own = cell[rows]
    if rows.size > 1 and np.any(own[1:] < own[:-1]):
        by_cell = np.argsort(own, kind="stable")
        rows, own = rows[by_cell], own[by_cell]
    bounds = np.searchsorted(own, np.arange(len(counts) + 1), side="left")
    for c, take in enumerate(np.asarray(counts).tolist()):  # one pass per cell, not per row
        start, stop = int(bounds[c]), int(bounds[c + 1])
        take = min(int(take), stop - start)
        if take <= 0:
            continue
        u = rng.random(stop - start)
        key = u if weight is None else u ** (1.0 / weight[rows[start:stop]])
        best = np.argpartition(-key, take - 1)[:take] if take < stop - start else slice(None)
        chosen[rows[start:stop][best]] = True
    return chosen


def _labels(prefix: str, index: IntArray, width: int = 0) -> NDArray[Any]:
    """Object array of labels ``prefix + number``, the number zero-padded to ``width``."""
    digits = np.char.zfill(np.asarray(index).astype(np.str_), width)
    result: NDArray[Any] = np.char.add(prefix, digits).astype(object)
    return result


def _scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale))


def _layer_of(office: Office) -> Layer:
    """Return the one layer of a political office."""
    (layer,) = office.layers
    return layer


# ---- the calibration ----------------------------------------------------------------------


def _office_rates(wave: int, population: dict[Office, int]) -> dict[Office, float]:
    """Return the population victimisation rate of every political office in ``wave``.

    Published rates are taken as they are (mayors, aldermen, councillors where published,
    the water boards' 12% of 2010); the other offices follow the invented relative factors
    times one scale, solved so that the rate of all political office holders is the
    published one.
    """
    rates: dict[Office, float] = {
        Office.MAYOR: PUBLISHED["mayor"][wave],
        Office.ALDERMAN: PUBLISHED["alderman"][wave],
    }
    if wave in PUBLISHED["councillor"]:
        rates[Office.COUNCILLOR] = PUBLISHED["councillor"][wave]
    if wave in PUBLISHED["water_board_political"]:
        board = [o for o in _POLITICAL if Layer.WATER_BOARD in o.layers]
        size = sum(population[o] for o in board)
        mean = sum(population[o] * _POLITICAL_RELATIVE[o] for o in board) / size
        for office in board:
            rates[office] = (
                PUBLISHED["water_board_political"][wave] * _POLITICAL_RELATIVE[office] / mean
            )
    total = sum(population[o] for o in _POLITICAL)
    known = sum(population[o] * r for o, r in rates.items())
    rest = [o for o in _POLITICAL if o not in rates]
    relative = sum(population[o] * _POLITICAL_RELATIVE[o] for o in rest)
    scale = (PUBLISHED["political"][wave] * total - known) / relative
    for office in rest:
        rates[office] = scale * _POLITICAL_RELATIVE[office]
    return rates


def _employee_rates(wave: int) -> dict[Layer, float]:
    """Victimisation rate of the employees of every layer, giving the published overall rate."""
    people = {layer: POPULATION_BY_WAVE[wave][(layer, Office.CIVIL_SERVANT)] for layer in LAYERS}
    weighted = sum(people[layer] * _EMPLOYEE_LAYER_RISK[layer] for layer in LAYERS)
    scale = PUBLISHED["employee"][wave] * sum(people.values()) / weighted
    return {layer: scale * _EMPLOYEE_LAYER_RISK[layer] for layer in LAYERS}


# ---- organisations (persistent over waves) ----------------------------------------------------


class _Frame:
    """The organisations of one layer in one wave: codes, sizes and random effects."""

    def __init__(
        self, layer: Layer, count: int, size: NDArray[np.int64], effect: FloatArray
    ) -> None:
        self.layer = layer
        self.count = count
        self.size = size
        self.effect = effect
        self.codes = _labels(_CODE[layer], np.arange(count, dtype=np.intp), 4)


def _frames(seed: int, wave: int, scale: float, rng: np.random.Generator) -> dict[Layer, _Frame]:
    """Organisation frames of ``wave``: sizes and effects from the stream of ``seed`` alone.

    Organisation ``k`` of a layer is the same organisation in every wave (the same code,
    relative size and persistent effect); a wave with fewer organisations (municipal
    mergers) keeps the first ones. Its effect moves a little from wave to wave.
    """
    base = np.random.default_rng(np.random.SeedSequence([seed, 0]))
    frames = {}
    for layer in LAYERS:
        most = max(_scaled(ORGANISATIONS_BY_WAVE[w][layer], scale) for w in WAVES)
        relative = base.lognormal(0.0, _SIZE_SD[layer], most)
        persistent = base.normal(0.0, _ORGANISATION_SD, most)
        count = _scaled(ORGANISATIONS_BY_WAVE[wave][layer], scale)
        people = _scaled(POPULATION_BY_WAVE[wave][(layer, Office.CIVIL_SERVANT)], scale)
        floor = min(_MIN_SIZE, people // count)
        size = floor + _apportion(people - floor * count, relative[:count])
        effect = persistent[:count] + rng.normal(0.0, _ORGANISATION_WAVE_SD, count)
        frames[layer] = _Frame(layer, count, size, effect)
    return frames


# ---- one wave ---------------------------------------------------------------------------------


class _Wave:
    """Everything drawn for one wave: the political population, the respondents, and more."""

    def __init__(self, wave: int, seed: int, scale: float) -> None:
        self.wave = wave
        rng = np.random.default_rng(np.random.SeedSequence([seed, wave]))
        self.frames = _frames(seed, wave, scale, rng)
        self.population = _political_population(rng, wave, scale, self.frames)
        political = _political_respondents(rng, wave, self.population)
        employees = _employee_respondents(rng, wave, scale, self.frames)
        both = {k: np.concatenate([political[k], employees[k]]) for k in political}
        self.respondents = _answers(rng, wave, both)
        self.respondents.update(_attributes(rng, wave, both, self.frames))
        self.incidents = _incidents(rng, self.respondents)
        self.organisations, self.violations = _organisation_survey(rng, wave, self.frames)


def _political_population(
    rng: np.random.Generator, wave: int, scale: float, frames: dict[Layer, _Frame]
) -> dict[str, Any]:
    """Every political office holder of the wave, with the answers the figures rest on.

    Victims, their use of social media, adverse consequences, decision influence and
    perceived violations are allocated in exact numbers, so that the population values equal
    the published figures up to whole persons; who they are is random (victims more often
    in organisations with a higher effect).
    """
    sizes = {o: _scaled(POPULATION_BY_WAVE[wave][(_layer_of(o), o)], scale) for o in _POLITICAL}
    rates = _office_rates(wave, sizes)
    codes = np.array([OFFICES.index(o) for o in _POLITICAL], dtype=np.intp)
    count = np.array([sizes[o] for o in _POLITICAL], dtype=np.int64)
    n = int(count.sum())
    which = np.repeat(np.arange(len(_POLITICAL), dtype=np.intp), count)
    start = np.repeat(np.cumsum(count) - count, count)
    seat = np.arange(n, dtype=np.intp) - start
    effect = np.zeros(n)
    for k, office in enumerate(_POLITICAL):
        frame = frames[_layer_of(office)]
        rows = which == k
        effect[rows] = frame.effect[seat[rows] % frame.count]  # seats spread over organisations

    def exact(share: float, among: BoolArray, expected: NDArray[Any]) -> BoolArray:
        total = round(share * int(among.sum())) if among.any() else 0
        per_office = _apportion(total, expected)
        per_office = np.minimum(per_office, np.bincount(which[among], minlength=len(_POLITICAL)))
        return _choose(rng, np.where(among, which, -1), per_office)

    everyone = np.ones(n, dtype=bool)
    victims_per_office = _apportion(
        round(PUBLISHED["political"][wave] * n),
        np.array([rates[o] * sizes[o] for o in _POLITICAL]),
    )
    victim = _choose(rng, which, victims_per_office, weight=np.exp(effect))
    k_victims = np.bincount(which[victim], minlength=len(_POLITICAL)).astype(np.float64)
    k_other = count - k_victims
    social = exact(
        PUBLISHED["political_social_media"][wave] * n / max(int(victim.sum()), 1),
        victim,
        k_victims,
    )
    adverse = exact(PUBLISHED["adverse_consequences_political"][wave], victim, k_victims)
    given_victim = PUBLISHED["decision_influence_victims"][wave]
    influenced_victims = round(given_victim * int(victim.sum()))
    others = round(PUBLISHED["decision_influence"][wave] * n) - influenced_victims
    influence = exact(given_victim, victim, k_victims) | exact(
        others / max(n - int(victim.sum()), 1), ~victim, k_other
    )
    if wave in PUBLISHED["perceived_violations_political"]:
        perceived = exact(PUBLISHED["perceived_violations_political"][wave], everyone, count)
    else:
        perceived = np.zeros(n, dtype=bool)
    organisation = np.zeros(n, dtype=np.intp)
    for k, office in enumerate(_POLITICAL):
        rows = which == k
        organisation[rows] = seat[rows] % frames[_layer_of(office)].count
    return {
        "office": codes[which],
        "org": organisation,
        "seat": seat,
        "size": count[which].astype(np.float64),
        "victim": victim,
        "social": social,
        "adverse": adverse,
        "influence": influence,
        "perceived": perceived,
    }


def _political_respondents(
    rng: np.random.Generator, wave: int, population: dict[str, Any]
) -> dict[str, Any]:
    """Everyone invited; those who respond are a random subset of their office."""
    office = population["office"]
    rate = np.array([_RESPONSE[o] for o in OFFICES])[office] * _RESPONSE_WAVE[wave]
    keep = rng.random(office.size) < rate
    office = office[keep]
    n = office.size
    answered = np.bincount(office, minlength=len(OFFICES))
    size = population["size"][keep]
    seat = population["seat"][keep]
    names = np.array([o.value for o in OFFICES], dtype=object)
    label = np.empty(n, dtype=object)
    for code in np.unique(office):
        rows = office == code
        label[rows] = _labels(f"{names[code]}-", seat[rows], 5)
    return {
        "layer": np.array(
            [LAYERS.index(_layer_of(o)) if o.political else 0 for o in OFFICES], dtype=np.int8
        )[office],
        "office": office.astype(np.int8),
        "weight": size / answered[office],
        "stratum": names[office],
        "cluster": label,
        "fpc": size,
        "fpc2": np.ones(n),
        "org": population["org"][keep],
        "victim": population["victim"][keep],
        "social": population["social"][keep],
        "adverse": population["adverse"][keep],
        "influence": population["influence"][keep],
        "perceived": population["perceived"][keep],
    }


def _employee_respondents(
    rng: np.random.Generator, wave: int, scale: float, frames: dict[Layer, _Frame]
) -> dict[str, Any]:
    """Two stages: organisations (all of them in census layers), then people within them."""
    rates = _employee_rates(wave)
    parts: list[dict[str, Any]] = []
    for layer in LAYERS:
        frame = frames[layer]
        if layer in _CENSUS_LAYERS:
            sampled = np.arange(frame.count, dtype=np.intp)
        else:
            take = min(frame.count, _scaled(_EMPLOYEE_ORGANISATIONS[layer], scale))
            sampled = np.sort(rng.choice(frame.count, size=take, replace=False)).astype(np.intp)
        invited = np.minimum(_EMPLOYEES_INVITED, frame.size[sampled])
        org = np.repeat(sampled, invited)
        org = org[rng.random(org.size) < _RESPONSE[Office.CIVIL_SERVANT] * _RESPONSE_WAVE[wave]]
        n = org.size
        if n == 0:
            continue
        answered = np.bincount(org, minlength=frame.count)
        size = frame.size.astype(np.float64)
        people = float(frame.size.sum())
        reached = float(size[answered > 0].sum())
        intercept = _solve_intercept(rates[layer], frame.effect, size)
        risk = special.expit(intercept + frame.effect[org])
        victim = rng.random(n) < risk
        parts.append(
            {
                "layer": np.full(n, LAYERS.index(layer), dtype=np.int8),
                "office": np.full(n, OFFICES.index(Office.CIVIL_SERVANT), dtype=np.int8),
                # two-stage weight, ratio-adjusted to the layer's employees
                "weight": size[org] / answered[org] * (people / reached),
                "stratum": np.full(n, f"{layer.value}-medewerkers", dtype=object),
                "cluster": frame.codes[org],
                "fpc": np.full(n, float(frame.count)),
                "fpc2": size[org],
                "org": org,
                "victim": victim,
                "social": victim & (rng.random(n) < _EMPLOYEE_SOCIAL_MEDIA),
                "adverse": victim & (rng.random(n) < _EMPLOYEE_ADVERSE),
                "influence": np.zeros(n, dtype=bool),
                "perceived": (
                    rng.random(n) < PUBLISHED["perceived_violations_employee"][wave]
                    if wave in INTEGRITY_WAVES
                    else np.zeros(n, dtype=bool)
                ),
            }
        )
    if not parts:  # nobody responded (only at a tiny scale)
        none = np.zeros(0, dtype=bool)
        return {
            **{key: np.zeros(0, dtype=np.int8) for key in ("layer", "office")},
            **{key: np.zeros(0) for key in ("weight", "fpc", "fpc2")},
            "org": np.zeros(0, dtype=np.intp),
            **{key: np.zeros(0, dtype=object) for key in ("stratum", "cluster")},
            **{key: none for key in ("victim", "social", "adverse", "influence", "perceived")},
        }
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def _answers(rng: np.random.Generator, wave: int, cols: dict[str, Any]) -> dict[str, Any]:
    """Turn the respondents' true states into answers, with routing and item non-response."""
    n = cols["weight"].size
    office = cols["office"]
    political = _IS_POLITICAL[office]
    victim = cols["victim"]
    counts = _counts(rng, victim)
    skipped = rng.random(n) < _SKIP_VICTIMISATION
    counts[skipped] = -1
    several = victim & ~skipped & ((counts > 0).sum(axis=1) >= 2)
    one = np.flatnonzero(several & (rng.random(n) < _SKIP_ONE_COUNT))
    counts[one, rng.integers(0, len(FORMS), one.size)] = -1
    # routing: follow-up questions go to those who reported a victimisation
    told = (counts > 0).any(axis=1)

    channels = np.zeros((n, len(CHANNELS)), dtype=np.int8)
    channels[:, CHANNELS.index(Channel.SOCIAL_MEDIA)] = cols["social"]
    channels[:, CHANNELS.index(Channel.IN_PERSON)] = rng.random(n) < 0.75
    channels[:, CHANNELS.index(Channel.PHONE_OR_MAIL)] = rng.random(n) < 0.35
    channels[channels.sum(axis=1) == 0, CHANNELS.index(Channel.IN_PERSON)] = 1
    channels[~told | (rng.random(n) < _SKIP_BLOCK)] = -1

    consequences = np.zeros((n, len(CONSEQUENCES)), dtype=np.int8)
    adverse = cols["adverse"]
    for consequence, share in _ADVERSE_GIVEN_ANY.items():
        consequences[:, CONSEQUENCES.index(consequence)] = adverse & (rng.random(n) < share)
    none = adverse & (consequences.sum(axis=1) == 0)
    consequences[none, CONSEQUENCES.index(Consequence.LESS_WORK_PLEASURE)] = 1
    consequences[~told | (rng.random(n) < _SKIP_BLOCK)] = -1
    column = CONSEQUENCES.index(Consequence.DECISION_INFLUENCE)
    consequences[:, column] = np.where(
        political & (rng.random(n) >= _SKIP_INFLUENCE), cols["influence"], -1
    )

    perceived = np.zeros((n, len(VIOLATIONS)), dtype=np.int8)
    if wave in INTEGRITY_WAVES:
        any_violation = cols["perceived"]
        for kinds, rows in ((_KIND_POLITICAL, political), (_KIND_EMPLOYEE, ~political)):
            weights = np.array([kinds[v] for v in VIOLATIONS])
            if rows is political:
                weights[VIOLATIONS.index(ViolationType.CONFLICT_OF_INTEREST)] *= (
                    _CONFLICT_OF_INTEREST_WAVE[wave]
                )
            chosen = np.flatnonzero(any_violation & rows)
            p = weights / weights.sum()
            perceived[chosen, rng.choice(len(VIOLATIONS), chosen.size, p=p)] = 1
            extra = chosen[rng.random(chosen.size) < 0.4]
            perceived[extra, rng.choice(len(VIOLATIONS), extra.size, p=p)] = 1
        perceived[rng.random(n) < _SKIP_BLOCK] = -1
    else:
        perceived[:] = -1  # the integrity questions were not asked in this wave

    aftercare = np.where(told & (rng.random(n) < 0.85), rng.random(n) < 0.5, -1)
    aftercare = np.where(rng.random(n) < _SKIP_YES_NO, -1, aftercare)
    training = (rng.random(n) < np.where(political, 0.25, 0.35)).astype(np.int8)
    training = np.where(rng.random(n) < _SKIP_YES_NO, -1, training)
    return {
        "id": _labels(f"{wave}-", np.arange(n, dtype=np.intp), 6),
        "wave": np.full(n, wave, dtype=np.int64),
        "layer": cols["layer"],
        "office": office,
        "group": OFFICE_GROUP[office],
        "weight": cols["weight"],
        "stratum": cols["stratum"],
        "cluster": cols["cluster"],
        "fpc": cols["fpc"],
        "fpc2": cols["fpc2"],
        "victimisations": counts,
        "channels": channels,
        "consequences": consequences,
        "perceived_violations": perceived,
        "aftercare": aftercare.astype(np.int8),
        "training": training.astype(np.int8),
    }


# ---- attributes (every number here is invented unless a comment says otherwise) ----------

#: Municipalities per province around 2016, in the order of :class:`~vpt_monitor.Province`
#: (rounded from CBS counts; they fix which province the k-th municipality lies in).
_MUNICIPALITIES_PER_PROVINCE = np.array([23, 24, 12, 25, 6, 51, 26, 51, 60, 13, 64, 35])
#: Water boards per province (a water board in several provinces is put in its main one).
_WATER_BOARDS_PER_PROVINCE = np.array([2, 1, 1, 2, 1, 3, 2, 3, 4, 1, 1, 1])
#: Where state employees work (invented; most in The Hague).
_STATE_PROVINCE = np.array([0.06, 0.03, 0.02, 0.04, 0.02, 0.08, 0.15, 0.10, 0.40, 0.02, 0.05, 0.03])
#: Shares of women: political office holders about 30%, employees about half (invented).
_WOMEN = {True: 0.30, False: 0.50}
_OTHER_GENDER = 0.01
#: Relative risk of victimisation of women against men (invented; the 2024 monitor
#: published 55% of women and 37% of men among political office holders).
_WOMEN_RISK = 1.4
_AGE = {
    True: np.array([0.10, 0.20, 0.28, 0.27, 0.15]),
    False: np.array([0.20, 0.22, 0.28, 0.27, 0.03]),
}
#: Employees' contact with citizens: daily, weekly, monthly, less often, never. The share
#: with daily contact falls as services digitalise (invented).
_CONTACT = {
    2010: np.array([0.46, 0.24, 0.12, 0.11, 0.07]),
    2012: np.array([0.42, 0.25, 0.13, 0.12, 0.08]),
    2014: np.array([0.37, 0.26, 0.14, 0.13, 0.10]),
    2016: np.array([0.33, 0.27, 0.15, 0.14, 0.11]),
}
#: Relative risk of victimisation by contact (daily against never; invented).
_CONTACT_RISK = np.array([2.4, 1.6, 1.2, 0.9, 0.5])
#: Size classes of municipalities by their share among the municipalities (invented).
_SIZE_CLASSES = np.array([0.35, 0.70, 0.88])
_SKIP_ATTRIBUTE = {"gender": 0.01, "age_band": 0.02, "contact": 0.03}


def _provinces_of(count: int, per_province: NDArray[np.int64]) -> NDArray[np.intp]:
    """Province code of each of ``count`` organisations, in blocks of the given shares."""
    share = np.cumsum(per_province) / per_province.sum()
    return np.searchsorted(share, (np.arange(count) + 0.5) / max(count, 1)).astype(np.intp)


def _given_victim(
    rng: np.random.Generator, victim: BoolArray, shares: FloatArray, risk: FloatArray
) -> NDArray[np.intp]:
    """Draw a category for each row, so that its relative risks of victimisation are ``risk``.

    With the rows' victimisation rate ``v`` and ``r_c = k risk_c`` (``k`` such that the
    categories' rates average to ``v``), victims take category ``c`` with probability
    ``shares_c r_c / v`` and the others with ``shares_c (1 - r_c) / (1 - v)``: the share of
    victims stays exactly as it is.
    """
    v = float(victim.mean()) if victim.size else 0.0
    rate = np.minimum(v * risk / float(shares @ risk), 1.0)
    if v <= 0 or v >= 1:
        p_victim = p_other = shares
    else:
        p_victim = shares * rate / v
        p_other = shares * (1 - rate) / (1 - v)
    p_victim, p_other = p_victim / p_victim.sum(), p_other / p_other.sum()
    draw = rng.random(victim.size)
    chosen = np.where(
        victim,
        np.searchsorted(np.cumsum(p_victim), draw, side="right"),
        np.searchsorted(np.cumsum(p_other), draw, side="right"),
    )
    return np.minimum(chosen, shares.size - 1).astype(np.intp)


def _attributes(
    rng: np.random.Generator, wave: int, cols: dict[str, Any], frames: dict[Layer, _Frame]
) -> dict[str, NDArray[Any]]:
    """Draw the built-in attributes: gender, age band, province, municipality size, contact.

    Gender and contact are drawn given the respondent's victimisation, so that women and
    those with daily contact are victimised more often while every published rate stays as
    it is; the share with daily contact falls over the waves. Province and municipality size
    follow from the organisation. All of it is invented.
    """
    n = cols["weight"].size
    office = cols["office"]
    layer = cols["layer"]
    org = cols["org"]
    victim = cols["victim"]
    political = _IS_POLITICAL[office]
    gender = np.full(n, -1, dtype=np.int32)
    age = np.zeros(n, dtype=np.int32)
    for is_political in (True, False):
        for code in np.unique(office[political == is_political]):
            rows = np.flatnonzero(office == code)
            women = _WOMEN[is_political]
            shares = np.array([1 - women - _OTHER_GENDER, women, _OTHER_GENDER])
            risk = np.array([1.0, _WOMEN_RISK, 1.2])
            gender[rows] = _given_victim(rng, victim[rows], shares, risk)
        rows = political == is_political
        age[rows] = rng.choice(5, int(rows.sum()), p=_AGE[is_political])
    province = np.zeros(n, dtype=np.int32)
    size = np.full(n, -1, dtype=np.int32)
    for k, each in enumerate(LAYERS):
        rows = layer == k
        if not rows.any():
            continue
        frame = frames[each]
        if each is Layer.PROVINCE:
            where = np.arange(frame.count, dtype=np.intp) % 12
        elif each is Layer.MUNICIPALITY:
            where = _provinces_of(frame.count, _MUNICIPALITIES_PER_PROVINCE)
            rank = np.argsort(np.argsort(frame.size, kind="stable")) / max(frame.count, 1)
            size[rows] = np.searchsorted(_SIZE_CLASSES, rank[org[rows]], side="right")
        elif each is Layer.WATER_BOARD:
            where = _provinces_of(frame.count, _WATER_BOARDS_PER_PROVINCE)
        else:  # state employees work all over the country
            province[rows] = rng.choice(12, int(rows.sum()), p=_STATE_PROVINCE)
            continue
        province[rows] = where[org[rows]]
    contact = np.full(n, -1, dtype=np.int32)  # asked of employees
    employees = np.flatnonzero(~political)
    contact[employees] = _given_victim(rng, victim[employees], _CONTACT[wave], _CONTACT_RISK)
    result = {
        "gender": gender,
        "age_band": age,
        "province": province,
        "municipality_size": size,
        "contact": contact,
    }
    for name, share in _SKIP_ATTRIBUTE.items():
        result[name] = np.where(rng.random(n) < share, -1, result[name]).astype(np.int32)
    return result


def _counts(rng: np.random.Generator, victim: BoolArray) -> NDArray[np.int64]:
    """Incidents per form: at least one form for every victim, repeat victimisation common."""
    counts = np.zeros((victim.size, len(FORMS)), dtype=np.int64)
    rows = np.flatnonzero(victim)
    m = rows.size
    drawn = np.zeros((m, len(FORMS)), dtype=np.int64)
    for form, share in _FORM_GIVEN_VICTIM.items():
        has = rng.random(m) < share
        drawn[has, FORMS.index(form)] = rng.geometric(0.45, int(has.sum()))
    drawn[drawn.sum(axis=1) == 0, FORMS.index(Form.VERBAL)] = 1
    series = np.flatnonzero(rng.random(m) < 0.04)  # series victims, many incidents (invented)
    drawn[series, FORMS.index(Form.VERBAL)] += rng.integers(10, 80, series.size)
    counts[rows] = drawn
    return counts


def _incidents(rng: np.random.Generator, respondents: dict[str, Any]) -> dict[str, Any]:
    """Draw the most recent incident of most victims; a few describe several."""
    counts = np.maximum(respondents["victimisations"], 0)
    victims = np.flatnonzero(counts.sum(axis=1) > 0)
    described = victims[rng.random(victims.size) < 0.85]
    repeats = np.where(rng.random(described.size) < 0.03, rng.integers(2, 6, described.size), 1)
    owner = np.repeat(described, repeats)
    m = owner.size
    form_probability = counts[owner] / counts[owner].sum(axis=1, keepdims=True)
    form = (form_probability.cumsum(axis=1) < rng.random(m)[:, None]).sum(axis=1)
    form = np.minimum(form, len(FORMS) - 1).astype(np.int8)
    political = _IS_POLITICAL[respondents["office"][owner]]
    own_channels = np.maximum(respondents["channels"][owner], 0)
    channel = np.argmax(own_channels * rng.random((m, len(CHANNELS))), axis=1).astype(np.int8)
    channel = np.where(own_channels.any(axis=1), channel, -1).astype(np.int8)
    serious = form == FORMS.index(Form.PHYSICAL)

    def yes_no(p: FloatArray | float, missing: float = 0.05) -> NDArray[np.int8]:
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


def _organisation_survey(
    rng: np.random.Generator, wave: int, frames: dict[Layer, _Frame]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every organisation invited (response invented), its measures and violations.

    The measures are drawn for the whole population of organisations, each in place in
    exactly the target share of them (the 2016 letter's shares; the rest invented), more
    often in organisations with a higher propensity; the respondents are a random subset.
    """
    measures = MEASURES
    coverage = {**_OTHER_COVERAGE, **PUBLISHED["coverage_2016"]}
    lift = (wave - 2016) * 0.025  # take-up grew a little each wave (invented)
    target = np.clip(np.array([coverage[m] for m in measures]) + lift, 0.02, 0.98)
    layer = np.concatenate(
        [np.full(f.count, LAYERS.index(f.layer), np.int8) for f in frames.values()]
    )
    n = layer.size
    propensity = np.exp(rng.normal(0.0, 1.0, n))  # organisations' propensity (invented)
    everyone = np.zeros(n, dtype=np.intp)
    present = np.zeros((n, len(measures)), dtype=np.int8)
    for k, share in enumerate(target.tolist()):  # one pass per measure
        chosen = _choose(rng, everyone, np.array([round(share * n)]), weight=propensity)
        present[:, k] = chosen
    rate = np.array([_ORGANISATION_RESPONSE[member] for member in LAYERS])[layer]
    respond = rng.random(n) < np.minimum(rate * _ORGANISATION_RESPONSE_WAVE[wave], 1.0)
    for code in range(len(LAYERS)):  # a layer without response keeps its first organisation
        if not respond[layer == code].any():
            respond[np.flatnonzero(layer == code)[0]] = True
    present = present[respond]
    k = present.shape[0]
    skips = np.flatnonzero(rng.random(k) < _SKIP_MEASURE)
    present[skips, rng.integers(0, len(measures), skips.size)] = -1
    twice = skips[rng.random(skips.size) < 0.3]
    present[twice, rng.integers(0, len(measures), twice.size)] = -1
    count = np.array([frames[member].count for member in LAYERS], dtype=np.float64)[layer]
    answered = np.bincount(layer[respond], minlength=len(LAYERS)).astype(np.float64)
    chosen_layer = layer[respond]
    orgs = {
        "id": np.concatenate([f.codes for f in frames.values()])[respond],
        "wave": np.full(k, wave, dtype=np.int64),
        "layer": chosen_layer,
        "employees": np.concatenate([f.size for f in frames.values()])[respond].astype(np.int64),
        "measures": present,
        "weight": count[respond] / answered[chosen_layer],
        "stratum": np.array([member.value for member in LAYERS], dtype=object)[chosen_layer],
        "fpc": count[respond],
    }
    expected = orgs["employees"] / 1000 * 1.2  # registered violations per 1,000: invented
    number = rng.poisson(expected)
    owner = np.repeat(np.arange(number.size), number)
    violations = {
        "organisation": owner.astype(np.intp),
        "wave": orgs["wave"][owner],
        "kind": rng.integers(0, len(VIOLATIONS), owner.size).astype(np.int8),
        "status": rng.choice(np.array([0, 1, 2], dtype=np.int8), owner.size, p=[0.3, 0.2, 0.5]),
    }
    return orgs, violations


# ---- public ---------------------------------------------------------------------------------


def _check(waves: Sequence[int], seed: int, scale: float) -> tuple[int, ...]:
    chosen = tuple(int(w) for w in waves)
    unknown = [w for w in chosen if w not in WAVES]
    if unknown:
        raise ValueError(
            f"waves {unknown} have no published figures to calibrate to; choose from {list(WAVES)}"
        )
    if not chosen:
        raise ValueError(f"'waves' is empty; give at least one of {list(WAVES)}")
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"'waves' names a wave twice: {chosen}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"'seed' must be an int >= 0; got {seed!r}")
    if not (isinstance(scale, int | float) and not isinstance(scale, bool) and scale > 0):
        raise ValueError(f"'scale' must be a number > 0; got {scale!r}")
    return chosen


def simulate(
    waves: Sequence[int] = WAVES, *, seed: int = 0, scale: float = 1.0, lonely_psu: str = "adjust"
) -> MonitorData:
    """Simulate monitor waves: respondents, incidents, organisations and violations.

    Parameters
    ----------
    waves : sequence of int, default (2010, 2012, 2014, 2016)
        Waves to simulate; each must be one of 2010, 2012, 2014, 2016 (the waves with
        published figures to calibrate to).
    seed : int, default 0
        Seed (>= 0). Each wave has its own random stream derived from ``(seed, wave)``, so a
        wave comes out the same whatever other waves are simulated with it.
    scale : float, default 1.0
        Multiplies every population, every number of organisations and the organisations
        sampled (a country ``scale`` times as large). The default gives about 8,700
        respondents a wave; ``scale=29`` about a million respondents in four waves.
    lonely_psu : {"adjust", "fail", "certainty", "remove"}, default "adjust"
        Lonely-PSU policy of the designs (see :class:`~vpt_monitor.stats.SurveyDesign`).
        Small scales leave some strata (the 12 King's commissioners, a wave's dijkgraven)
        with one sampled PSU, hence "adjust", not R's "fail".

    Returns
    -------
    MonitorData
        ``synthetic=True``. A stratified two-stage design: strata are the offices of
        political office holders (each their own first-stage unit, ``fpc`` the office's
        population, ``fpc2 = 1``) and ``"<layer>-medewerkers"`` (clusters the organisations,
        ``fpc`` the organisations of the layer, ``fpc2`` the organisation's employees; all
        provinces and water boards, a sample of the others). Labels are reused across waves.
        Weights reproduce the population counts of every stratum in every wave.

    Notes
    -----
    Political office holders are drawn as a finite population per wave in which the
    published figures hold exactly (up to whole persons): victims of each office, victims
    via social media, victims with adverse consequences, decision influence among victims
    and among all, and perceived violations. Rates per office are the published ones where
    the letter gives them; the rest of the offices follow invented relative factors with one
    scale solved so that the rate of all political office holders is the published one.
    Respondents are a random subset. Employees' victimisation follows a logistic model with
    a random organisation effect; the intercept is solved on the wave's organisations so
    that the expected population rate is the figure. See the module documentation for what
    is published and what is invented, and :func:`~vpt_monitor.synth.population_values`.

    Examples
    --------
    >>> from vpt_monitor.synth import simulate
    >>> data = simulate(waves=(2016,), seed=1)
    >>> data.waves, len(data) > 5000, data.synthetic
    ((2016,), True, True)
    >>> sorted(set(data.respondents["stratum"]))[:3]
    ['ab-lid', 'burgemeester', 'cdk']
    """
    chosen = _check(waves, seed, scale)
    from vpt_monitor.stats._validation import check_choice
    from vpt_monitor.stats.design import LONELY_PSU_POLICIES

    check_choice("lonely_psu", lonely_psu, LONELY_PSU_POLICIES)
    parts = [_Wave(wave, int(seed), float(scale)) for wave in chosen]
    respondents: dict[str, Any] = {}
    for key in parts[0].respondents:
        respondents[key] = np.concatenate([p.respondents[key] for p in parts])
    offsets = np.cumsum([0] + [p.respondents["wave"].size for p in parts])
    incidents = _stack([p.incidents for p in parts], "respondent", offsets)
    organisation_offsets = np.cumsum([0] + [p.organisations["wave"].size for p in parts])
    organisations = _stack([p.organisations for p in parts], None, organisation_offsets)
    violations = _stack([p.violations for p in parts], "organisation", organisation_offsets)
    return MonitorData(
        respondents,
        incidents,
        organisations,
        violations,
        lonely_psu=lonely_psu,
        attributes=BUILT_IN_ATTRIBUTES,
        synthetic=True,
        source=f"vpt_monitor.synth.simulate(waves={chosen}, seed={seed}, scale={scale})",
    )


def _stack(
    tables: list[dict[str, Any]], pointer: str | None, offsets: NDArray[np.int64]
) -> dict[str, Any]:
    """Concatenate per-wave tables, shifting the row pointer into the parent table."""
    result = {key: np.concatenate([t[key] for t in tables]) for key in tables[0]}
    if pointer is not None:
        result[pointer] = np.concatenate(
            [t[pointer] + offsets[k] for k, t in enumerate(tables)]
        ).astype(np.intp)
    return result


def population_values(wave: int, *, seed: int = 0, scale: float = 1.0) -> dict[str, float]:
    """Return the population values of ``simulate(..., seed=seed, scale=scale)`` in ``wave``.

    For political office holders they are the shares in the finite population the sample
    of :func:`simulate` is drawn from; for employees the expected population shares given
    the wave's organisations. They equal ``PUBLISHED`` up to whole persons.

    Parameters
    ----------
    wave : int
        One of ``WAVES``.
    seed, scale
        As :func:`simulate`.

    Returns
    -------
    dict of str to float
        Keyed as ``PUBLISHED`` (not ``coverage_2016``): the figures of political office
        holders (``"councillor"`` and ``"water_board_political"`` in every wave, also where
        they are residuals), ``"employee"``, and the perceived-violation figures in
        ``INTEGRITY_WAVES``.

    Examples
    --------
    >>> from vpt_monitor.synth import population_values
    >>> values = population_values(2016)
    >>> round(values["political"], 4), round(values["decision_influence_victims"], 4)
    (0.27, 0.1)
    """
    _check((wave,), seed, scale)
    # the first draws of the wave's stream, as in simulate(): organisations, then politicians
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), int(wave)]))
    frames = _frames(int(seed), int(wave), float(scale), rng)
    p = _political_population(rng, int(wave), float(scale), frames)
    office = p["office"]
    victim = p["victim"]

    def share(yes: BoolArray, among: BoolArray) -> float:
        return float(yes[among].sum() / max(int(among.sum()), 1))

    def offices(*members: Office) -> BoolArray:
        return np.isin(office, [OFFICES.index(o) for o in members])

    everyone = np.ones(office.size, dtype=bool)
    board = offices(*(o for o in _POLITICAL if Layer.WATER_BOARD in o.layers))
    values = {
        "political": share(victim, everyone),
        "mayor": share(victim, offices(Office.MAYOR)),
        "alderman": share(victim, offices(Office.ALDERMAN)),
        "councillor": share(victim, offices(Office.COUNCILLOR)),
        "water_board_political": share(victim, board),
        "political_social_media": share(p["social"], everyone),
        "adverse_consequences_political": share(p["adverse"], victim),
        "decision_influence": share(p["influence"], everyone),
        "decision_influence_victims": share(p["influence"], victim),
    }
    rates = _employee_rates(int(wave))
    people = sum(float(f.size.sum()) for f in frames.values())
    expected = 0.0
    for layer, frame in frames.items():
        size = frame.size.astype(np.float64)
        intercept = _solve_intercept(rates[layer], frame.effect, size)
        expected += float(np.sum(size * special.expit(intercept + frame.effect)))
    values["employee"] = expected / people
    if wave in INTEGRITY_WAVES:
        values["perceived_violations_political"] = share(p["perceived"], everyone)
        values["perceived_violations_employee"] = PUBLISHED["perceived_violations_employee"][wave]
    return values
