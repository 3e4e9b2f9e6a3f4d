r"""Aggression-and-violence indicators (Veilige Publieke Taak) of the monitor.

Every function takes :class:`~vpt_monitor.MonitorData` and returns an
:class:`~vpt_monitor.stats.Estimate`, or an :class:`~vpt_monitor.stats.EstimateTable` with
``by=`` (any of ``"wave"``, ``"layer"``, ``"office"``, ``"group"`` or a tuple of them).
Estimates are design-based: the weights, strata, clusters and fpc of ``data.design`` are
respected and domains are estimated on the full design. Domains that contain no respondents
are listed with the flag ``"empty"``.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor._codes import CHANNELS, CONSEQUENCES, FORMS, GROUPS
from vpt_monitor.data import MonitorData
from vpt_monitor.indicators._common import (
    Answers,
    By,
    NotMeasuredError,
    Unit,
    _names,
    any_of,
    asked_in_wave,
    estimate,
    merge_unasked,
    share,
    single,
    unasked_notes,
    wave_rows,
)
from vpt_monitor.stats import Estimate, EstimateTable, mean, proportion, ratio
from vpt_monitor.stats._design_ci import PROPORTION_METHODS
from vpt_monitor.stats._validation import check_choice, check_level
from vpt_monitor.stats.results import FLAGS
from vpt_monitor.vocab import Channel, Consequence, Form, Group

__all__ = [
    "aftercare_share",
    "consequence_share",
    "decision_influence",
    "incidence",
    "reporting_propensity",
    "victimisation",
]

Result = Estimate | EstimateTable


def _victims(data: MonitorData) -> tuple[NDArray[np.bool_], NDArray[np.bool_], dict[str, Any]]:
    """Return who was victimised, whose answer is known, and the notes of forms not asked.

    The notes are :func:`unasked_notes`'s. Indicators among victims (reporting,
    consequences, aftercare) carry them: victims of waves that asked different forms are
    other people, so a change between such waves is marked as not comparable.
    """
    return any_of(
        Unit(data), data.respondents["victimisations"], "victimisations (incidents:<form>)", FORMS
    )


def _form_column(data: MonitorData, form: Form | str) -> tuple[Form, NDArray[np.int64]]:
    chosen = Form.parse(form, field="form")
    return chosen, data.respondents["victimisations"][:, FORMS.index(chosen)]


def victimisation(
    data: MonitorData,
    *,
    form: Form | str | None = None,
    channel: Channel | str | None = None,
    by: By = None,
    wave: int | None = None,
    method: str = "logit",
    level: float = 0.95,
) -> Result:
    r"""Share of respondents victimised in the past 12 months (slachtofferschap).

    Parameters
    ----------
    data : MonitorData
        The monitor data.
    form : Form or str, optional
        Only this form of aggression (``"verbaal"``, ``"bedreiging"``, ...); any form by
        default.
    channel : Channel or str, optional
        Only aggression that came through this channel (``"sociale-media"`` gives the
        letter's "via social media" figure). With ``form`` as well: victims of that form who
        met aggression through the channel.
    by : str or tuple of str, optional
        Domains: ``"wave"``, ``"layer"``, ``"office"``, ``"group"`` or a tuple of them. On
        data with several waves, ``"wave"`` must be one of them unless ``wave`` is given.
    wave : int, optional
        Estimate for this wave only (a domain of the full design).
    method : str, default "logit"
        Interval method, as :func:`vpt_monitor.stats.proportion`.
    level : float, default 0.95
        Default confidence level of the result.

    Returns
    -------
    Estimate or EstimateTable
        ``notes["missing"]`` counts the respondents left out for lack of an answer,
        ``notes["not_asked"]`` lists, per wave, the forms the data do not hold, and
        ``notes["not_asked_by_group"]`` per wave and group (``"medewerker"``,
        ``"politiek"``) the forms not asked of that group.

    Raises
    ------
    NotMeasuredError
        If no respondent answered the question (the form's column is absent or empty).

    Notes
    -----
    Waves are independent samples: on data with several waves give ``"wave"`` in ``by``
    or one ``wave``. A respondent is victimised if any form asked of them has a count
    above 0, not victimised if every form asked was answered with 0, and left out (item
    non-response, counted in ``notes["missing"]``) otherwise. A form counts as asked of a
    group (employees, political office holders: their questionnaires differ) in a wave when
    anyone of that group and wave answered it (a real answer is never passed over; where
    many did not answer, the domain is flagged ``"unanswered"``); forms not asked are not
    read as "none", and
    a change between waves that asked different forms is not comparable
    (:func:`~vpt_monitor.change` says so). The answers to the count questions decide, not
    incident records: a respondent whose counts leave victimisation unknown is left out
    here, and so out of the victims of :func:`reporting_propensity` as well. The indicator
    is the design-based proportion

    .. math::

        \hat p_d = \frac{\sum_{i \in d} w_i \, 1[x_i > 0]}{\sum_{i \in d} w_i},

    over respondents :math:`i` with an answer, where :math:`x_i` is respondent :math:`i`'s
    number of incidents (of the form, through the channel) in the past 12 months. With
    ``channel`` a victim must also have answered the channel question; a non-victim met no
    aggression through any channel. A domain with no victims is flagged ``"boundary"`` and
    gets the one-sided exact interval.

    References
    ----------
    .. [1] Ministerie van BZK (2016). Monitor Integriteit en Veiligheid, letter to parliament
       of 29 November 2016 ("ruim een kwart van de politieke ambtsdragers").

    Examples
    --------
    >>> from vpt_monitor import Respondent, MonitorData, victimisation
    >>> data = MonitorData.from_records([
    ...     Respondent("a", 2016, "gemeente", "burgemeester", victimisations={"verbaal": 2}),
    ...     Respondent("b", 2016, "gemeente", "raadslid", victimisations={}),
    ...     Respondent("c", 2016, "gemeente", "raadslid", victimisations={"bedreiging": 1}),
    ...     Respondent("d", 2016, "gemeente", "wethouder", victimisations={}),
    ...     Respondent("e", 2016, "gemeente", "wethouder"),  # did not answer
    ... ])
    >>> result = victimisation(data)
    >>> result.estimate, result.n, result.notes["missing"]
    (0.5, 4, 1)
    >>> victimisation(data, form="bedreiging").estimate
    0.25
    """
    answers = victimisation_answers(data, form=form, channel=channel)
    return share(data, answers, by, wave=wave, method=method, level=level)


def victimisation_answers(
    data: MonitorData, *, form: Form | str | None = None, channel: Channel | str | None = None
) -> Answers:
    """Who was victimised (of a form, through a channel), and whose answer is known.

    The rules of :func:`victimisation`; raises :class:`NotMeasuredError` for a question
    nobody answered.
    """
    unit = Unit(data)
    notes: dict[str, Any] = {}
    if form is None:
        y, answered, notes = any_of(
            unit, data.respondents["victimisations"], "victimisations (incidents:<form>)", FORMS
        )
    else:
        chosen, column = _form_column(data, form)
        y, answered = single(column, f"victimisation by {chosen.value!r} (incidents:{chosen})")
        notes = unasked_notes(unit, np.asarray(column >= 0)[:, None], [chosen])
    if channel is not None:
        medium = Channel.parse(channel, field="channel")
        ways = data.respondents["channels"][:, CHANNELS.index(medium)]
        if not (ways >= 0).any():
            raise NotMeasuredError(
                f"the channel {medium.value!r} (channel:{medium}) is not measured in these data"
            )
        told = asked_in_wave(unit, ways >= 0)
        answered = answered & told & (~y | (ways >= 0))
        y = y & (ways == 1)
        notes = merge_unasked(notes, unasked_notes(unit, np.asarray(ways >= 0)[:, None], [medium]))
    return Answers(y, answered, None, notes)


def _weighted_quantile(values: NDArray[Any], weights: NDArray[Any], q: float) -> float:
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    position = int(np.searchsorted(cumulative, q * cumulative[-1], side="left"))
    return float(values[order][min(position, len(values) - 1)])


def incidence(
    data: MonitorData,
    *,
    form: Form | str | None = None,
    cap: int | str | None = None,
    by: By = None,
    wave: int | None = None,
) -> Result:
    r"""Incidents per respondent in the past 12 months (incidentie), with series capping.

    Parameters
    ----------
    data : MonitorData
        The monitor data.
    form : Form or str, optional
        Only this form; all forms asked in a respondent's wave (summed) by default.
    cap : int or "p98", optional
        Cap each respondent's count of each form: at a fixed number (the US NCVS caps series
        at 10) or, with ``"p98"``, at the form's 98th percentile of the weighted counts among
        its victims, pooled over the waves in ``data`` (as the Crime Survey for England and
        Wales has done since 2019/20, over three years of data). The weights are those of
        ``data.design`` (calibrated ones after :meth:`MonitorData.with_design`).
    by : str or tuple of str, optional
        Domains, as in :func:`victimisation`.
    wave : int, optional
        Estimate for this wave only.

    Returns
    -------
    Estimate or EstimateTable
        The mean count; ``notes`` gives the cap used per form, how many respondents were
        capped, how many incidents the caps removed, and how many respondents were left out
        for lack of an answer (``"missing"``).

    Notes
    -----
    With capped counts :math:`\tilde x_{if} = \min(x_{if}, c_f)` the indicator is the ratio
    of weighted totals :math:`\sum_i w_i \sum_f \tilde x_{if} / \sum_i w_i` in each domain,
    a design-based mean over the respondents who answered every form asked in their wave.
    Repeat victimisation is common: a few respondents with dozens of incidents can dominate
    the uncapped mean, hence the caps.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    .. [2] Korn, E. L., and Graubard, B. I. (1999). *Analysis of Health Surveys*. Wiley.

    Examples
    --------
    >>> from vpt_monitor import Respondent, MonitorData, incidence
    >>> data = MonitorData.from_records([
    ...     Respondent("a", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 40}),
    ...     Respondent("b", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 2}),
    ...     Respondent("c", 2016, "rijk", "ambtenaar", victimisations={}),
    ... ])
    >>> incidence(data).estimate
    14.0
    >>> capped = incidence(data, cap=10)
    >>> capped.estimate, capped.notes["capped_respondents"], capped.notes["incidents_removed"]
    (4.0, 1, 30)
    """
    unit = Unit(data)
    counts = data.respondents["victimisations"]
    notes: dict[str, Any] = {}
    if form is None:
        columns = list(range(len(FORMS)))
        _, answered, found = any_of(unit, counts, "victimisations (incidents:<form>)", FORMS)
        notes.update(found)
        known = counts >= 0
        asked = np.stack([asked_in_wave(unit, known[:, k]) for k in columns], axis=1)
        answered = np.asarray((known | ~asked).all(axis=1) & asked.any(axis=1))
    else:
        chosen, column = _form_column(data, form)
        single(column, f"victimisation by {chosen.value!r} (incidents:{chosen})")
        columns = [FORMS.index(chosen)]
        answered = np.asarray(column >= 0)
    values = np.maximum(counts[:, columns], 0).astype(np.float64)
    if cap is not None:
        weights = data.respondents["weight"]
        if cap == "p98":
            limits = []
            for k in range(values.shape[1]):
                victims = values[:, k] > 0
                limits.append(
                    _weighted_quantile(values[victims, k], weights[victims], 0.98)
                    if victims.any()
                    else np.inf
                )
            limit = np.array(limits)
        elif isinstance(cap, int | np.integer) and not isinstance(cap, bool) and cap >= 1:
            limit = np.full(values.shape[1], float(cap))
        else:
            raise ValueError(f"'cap' must be a whole number >= 1 or 'p98'; got {cap!r}")
        # the notes describe the wave estimated
        rows = wave_rows(unit, _names(by, unit.allowed, unit.numbers), wave)
        counted = (answered if rows is None else answered & rows)[:, None]
        over = (values > limit[None, :]) & counted
        capped = np.minimum(values, limit[None, :])
        notes.update(
            {
                "cap": {FORMS[c]: float(v) for c, v in zip(columns, limit, strict=True)},
                "capped_respondents": int(over.any(axis=1).sum()),
                "incidents_removed": int(((values - capped) * counted).sum()),
            }
        )
        values = capped
    y = values.sum(axis=1)
    return estimate(
        mean, data, [y], by, answered=answered, wave=wave, notes=notes, bounds=(0.0, np.inf)
    )


_TARGETS = {"employer": "reported_internally", "police": "police_report"}


def reporting_propensity(
    data: MonitorData,
    *,
    to: str = "employer",
    unit: str = "incident",
    by: By = None,
    wave: int | None = None,
    method: str = "logit",
    level: float = 0.95,
) -> Result:
    r"""Share of incidents, or of victims, reported (meldings- en aangiftebereidheid).

    Parameters
    ----------
    data : MonitorData
        The monitor data, with incident records.
    to : {"employer", "police"}, default "employer"
        Reported or discussed within the organisation (melden, meldingsbereidheid), or
        reported to the police (aangifte, aangiftebereidheid).
    unit : {"incident", "victim"}, default "incident"
        Per incident: the share of incidents reported. Per victim: the share of victims who
        reported at least one of their incidents.
    by : str or tuple of str, optional
        Domains of respondents, as in :func:`victimisation`.
    wave : int, optional
        Estimate for this wave only.
    method, level
        Interval method and default level, as :func:`vpt_monitor.stats.proportion`
        (``"logit"`` and 0.95 by default).

    Returns
    -------
    Estimate or EstimateTable

    Notes
    -----
    Incidents with no answer are left out, and so are victims none of whose incidents has an
    answer (counted in ``notes["missing"]``). Per incident the indicator is a ratio estimator
    on the respondent design,

    .. math::

        \hat R_d = \frac{\sum_{i \in d} w_i \, r_i}{\sum_{i \in d} w_i \, m_i},

    with :math:`m_i` respondent :math:`i`'s incidents and :math:`r_i` how many of them were
    reported. Its variance is taken between PSUs of respondents, so a person's incidents are
    not treated as independent observations: one respondent who reports many incidents
    cannot shrink the interval. The ratio is a share of incidents, so the result is of kind
    ``"proportion"``: its interval is the logit interval on the ratio's linearised standard
    error (the default; any method of :func:`vpt_monitor.stats.proportion`), which stays
    within 0 and 1, and its publication rules are a proportion's. Per victim it is the
    proportion :math:`\sum w_i 1[r_i > 0] / \sum w_i` among respondents with an incident
    record.

    Both units are about the victims :func:`victimisation` counts, whose answers to the
    count questions say so: a respondent with incident records whose counts leave
    victimisation unknown (not answered), or who answered 0 to every form asked in the wave
    and has records only of forms not asked there, is left out (counted in
    ``notes["not_victims"]``). In a wave where no count was asked at all, every respondent
    with a record is a victim. A record of a form whose count is 0 contradicts the answers
    and is refused when the data are built.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley. Chapter 6: the
       ratio estimator and its linearised variance.
    .. [2] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.

    Examples
    --------
    >>> from vpt_monitor import Incident, MonitorData, Respondent, reporting_propensity
    >>> data = MonitorData.from_records(
    ...     [Respondent("a", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 3}),
    ...      Respondent("b", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 1})],
    ...     [Incident("a", 2016, "verbaal", reported_internally=True),
    ...      Incident("a", 2016, "verbaal", reported_internally=True),
    ...      Incident("a", 2016, "verbaal", reported_internally=False),
    ...      Incident("b", 2016, "verbaal", reported_internally=False)])
    >>> reporting_propensity(data).estimate
    0.5
    >>> reporting_propensity(data, unit="victim").estimate
    0.5
    """
    to = check_choice("to", to, tuple(_TARGETS))
    unit = check_choice("unit", unit, ("incident", "victim"))
    method = check_choice("method", method, PROPORTION_METHODS)
    check_level(level)
    reported, answered, described, outside, victim_notes = _reported(data, to)
    notes: dict[str, Any] | None = victim_notes or None
    if outside.any():
        unit_of = Unit(data)
        rows = wave_rows(unit_of, _names(by, unit_of.allowed, unit_of.numbers), wave)
        left_out = int((outside if rows is None else outside & rows).sum())
        if left_out:
            notes = {**(notes or {}), "not_victims": left_out}
    if unit == "incident":
        shares = estimate(
            ratio,
            data,
            [reported, answered],
            by,
            among=described,
            answered=answered > 0,
            wave=wave,
            notes=notes,
            bounds=(0.0, 1.0),
        )
        return _as_share(shares, method, level)
    return estimate(
        proportion,
        data,
        [reported > 0],
        by,
        among=described,
        answered=answered > 0,
        wave=wave,
        notes=notes,
        method=method,
        level=level,
    )


def _reported(
    data: MonitorData, to: str
) -> tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_], dict[str, Any]
]:
    """Per respondent: incidents reported and answered, and who has a record.

    Returns the reported and answered counts, the victims with a record, the respondents
    with a record whom the victimisation indicator does not count as victims, and the notes
    of the forms not asked (see :func:`_victims`).
    """
    answers = data.incidents[_TARGETS[to]]
    single(answers, f"reporting ({_TARGETS[to]})")
    known = answers >= 0
    every = data.incidents["respondent"]
    owner = every[known]
    n = len(data)
    reported = np.bincount(owner, weights=answers[known] == 1, minlength=n).astype(np.float64)
    answered = np.bincount(owner, minlength=n).astype(np.float64)
    described = np.asarray(np.bincount(every, minlength=n) > 0)  # respondents with a record
    victims, notes = _counted_victims(data)
    return reported, answered, described & victims, described & ~victims, notes


def _counted_victims(data: MonitorData) -> tuple[NDArray[np.bool_], dict[str, Any]]:
    """Respondents the victimisation indicator counts as victims (all, where not measured).

    In a wave (and group) without any count of incidents (victimisation not measured there)
    every respondent with an incident record is a victim; elsewhere only those the victimisation
    indicator counts, so that "victims" mean the same in both. Also the notes of
    :func:`_victims`.
    """
    known = np.asarray(data.respondents["victimisations"] >= 0)
    if not known.any():
        return np.ones(len(data), dtype=bool), {}
    yes, _, notes = _victims(data)
    measured = asked_in_wave(Unit(data), np.asarray(known.any(axis=1)))
    return np.asarray(yes | ~measured), notes


def reporting_answers(data: MonitorData, to: str = "employer") -> Answers:
    """Victims who reported at least one incident (to the employer or the police).

    The population: victims (as :func:`victimisation` counts them) with an incident record;
    known where one of their incidents has an answer (see :func:`reporting_propensity` with
    ``unit="victim"``).
    """
    to = check_choice("to", to, tuple(_TARGETS))
    reported, answered, described, _, notes = _reported(data, to)
    return Answers(reported > 0, answered > 0, described, notes)


def _as_share(result: Result, method: str, level: float) -> Result:
    """Treat a ratio that is a share (of incidents) as a proportion: its intervals and rules.

    A share of exactly 0 or 1 is flagged ``"boundary"``, as :func:`proportion` flags it.
    """
    if isinstance(result, Estimate):
        edge = result.estimate in (0.0, 1.0) and "boundary" not in result.flags
        named = (*result.flags, "boundary") if edge else result.flags
        return attrs.evolve(result, kind="proportion", method=method, level=level, flags=named)
    assert result.flag_array is not None
    table = np.array(result.flag_array, dtype=bool, copy=True)
    table[:, FLAGS.index("boundary")] |= (result.estimate == 0.0) | (result.estimate == 1.0)
    return attrs.evolve(result, kind="proportion", method=method, level=level, flag_array=table)


def consequence_share(
    data: MonitorData,
    consequence: Consequence | str | None = None,
    *,
    by: By = None,
    wave: int | None = None,
    method: str = "logit",
    level: float = 0.95,
) -> Result:
    r"""Share of victims with adverse consequences (gevolgen), or with one consequence.

    Parameters
    ----------
    data : MonitorData
        The monitor data.
    consequence : Consequence or str, optional
        One consequence (``"psychische-klachten"``, ...); by default any adverse one (less
        work pleasure, mental-health complaints, changed behaviour, injury, absence).
    by : str or tuple of str, optional
        Domains, as in :func:`victimisation`.
    wave : int, optional
        Estimate for this wave only.
    method, level
        Interval method and default level, as :func:`vpt_monitor.stats.proportion`.

    Notes
    -----
    A proportion among victims (respondents with at least one incident in the past 12
    months) who answered, estimated as a domain of the full design:
    :math:`\sum_{i \in V \cap d} w_i \, 1[c_i] / \sum_{i \in V \cap d} w_i`. "Any adverse
    consequence" is yes when one is reported and no when every adverse consequence asked in
    the wave was answered "no".

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    .. [2] Korn, E. L., and Graubard, B. I. (1999). *Analysis of Health Surveys*. Wiley.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Respondent, consequence_share
    >>> data = MonitorData.from_records([
    ...     Respondent("a", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 1},
    ...                consequences={"minder-werkplezier"}),
    ...     Respondent("b", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 1},
    ...                consequences=set()),
    ...     Respondent("c", 2016, "rijk", "ambtenaar", victimisations={})])
    >>> consequence_share(data).estimate
    0.5
    """
    answers = consequence_answers(data, consequence)
    return share(data, answers, by, wave=wave, method=method, level=level)


def consequence_answers(data: MonitorData, consequence: Consequence | str | None = None) -> Answers:
    """Victims with an adverse consequence (or one consequence), as :func:`consequence_share`."""
    matrix = data.respondents["consequences"]
    if consequence is None:
        adverse = [c for c in CONSEQUENCES if c.adverse]
        columns = [CONSEQUENCES.index(c) for c in adverse]
        y, answered, notes = any_of(
            Unit(data), matrix[:, columns], "adverse consequences (consequence:<code>)", adverse
        )
    else:
        chosen = Consequence.parse(consequence, field="consequence")
        column = matrix[:, CONSEQUENCES.index(chosen)]
        y, answered = single(column, f"the consequence {chosen.value!r}")
        notes = unasked_notes(Unit(data), np.asarray(column >= 0)[:, None], [chosen])
    victim, _, victim_notes = _victims(data)
    return Answers(y, answered, victim, merge_unasked(notes, victim_notes))


def aftercare_share(
    data: MonitorData,
    *,
    by: By = None,
    wave: int | None = None,
    method: str = "logit",
    level: float = 0.95,
) -> Result:
    r"""Share of victims who were offered aftercare (nazorg), among those who answered.

    Notes
    -----
    A proportion among victims with a known answer,
    :math:`\sum w_i 1[\text{aftercare}_i] / \sum w_i` over victims in the domain.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    .. [2] Korn, E. L., and Graubard, B. I. (1999). *Analysis of Health Surveys*. Wiley.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Respondent, aftercare_share
    >>> data = MonitorData.from_records([
    ...     Respondent("a", 2016, "rijk", "ambtenaar", victimisations={"fysiek": 1},
    ...                aftercare=True),
    ...     Respondent("b", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 1},
    ...                aftercare=False),
    ...     Respondent("c", 2016, "rijk", "ambtenaar", victimisations={"verbaal": 1})])
    >>> result = aftercare_share(data)
    >>> result.estimate, result.notes["missing"]
    (0.5, 1)
    """
    answers = aftercare_answers(data)
    return share(data, answers, by, wave=wave, method=method, level=level)


def aftercare_answers(data: MonitorData) -> Answers:
    """Victims offered aftercare, among victims who answered (see :func:`aftercare_share`)."""
    column = data.respondents["aftercare"]
    y, answered = single(column, "aftercare")
    victim, _, victim_notes = _victims(data)
    own = unasked_notes(Unit(data), np.asarray(column >= 0)[:, None], ["aftercare"])
    return Answers(y, answered, victim, merge_unasked(own, victim_notes))


def decision_influence(
    data: MonitorData,
    *,
    by: By = None,
    wave: int | None = None,
    method: str = "logit",
    level: float = 0.95,
) -> Result:
    r"""Share of political office holders whose decisions aggression influenced.

    The letter of 2016 reports 9% (as in 2012); 8% in 2020 (invloed op besluitvorming).

    Notes
    -----
    A proportion among political office holders (victims or not), estimated as a domain of
    the full design: :math:`\sum_{i \in P \cap d} w_i 1[\text{influence}_i] /
    \sum_{i \in P \cap d} w_i`.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    .. [2] Korn, E. L., and Graubard, B. I. (1999). *Analysis of Health Surveys*. Wiley.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Respondent, decision_influence
    >>> data = MonitorData.from_records([
    ...     Respondent("a", 2016, "gemeente", "wethouder",
    ...                consequences={"besluitvorming-beinvloed"}),
    ...     Respondent("b", 2016, "gemeente", "raadslid", consequences=set()),
    ...     Respondent("c", 2016, "gemeente", "raadslid", consequences=set()),
    ...     Respondent("d", 2016, "gemeente", "ambtenaar",
    ...                consequences={"besluitvorming-beinvloed"})])
    >>> round(decision_influence(data).estimate, 4)
    0.3333
    """
    answers = influence_answers(data)
    return share(data, answers, by, wave=wave, method=method, level=level)


def influence_answers(data: MonitorData) -> Answers:
    """Political office holders whose decisions aggression influenced (decision_influence)."""
    values = data.respondents["consequences"][:, CONSEQUENCES.index(Consequence.DECISION_INFLUENCE)]
    y, answered = single(
        values, f"decision influence (consequence:{Consequence.DECISION_INFLUENCE})"
    )
    political = np.asarray(data.respondents["group"] == GROUPS.index(Group.POLITICAL))
    notes = unasked_notes(
        Unit(data), np.asarray(values >= 0)[:, None], [Consequence.DECISION_INFLUENCE]
    )
    return Answers(y, answered, political, notes)
