r"""Integrity indicators: perceived violations and registered violations."""

from __future__ import annotations

from typing import Any

import numpy as np

from vpt_monitor._codes import STATUSES, VIOLATIONS
from vpt_monitor.data import MonitorData
from vpt_monitor.indicators._common import (
    Answers,
    By,
    NotMeasuredError,
    Unit,
    _names,
    any_of,
    domain_labels,
    single,
    unasked_notes,
    universe,
    wave_rows,
)
from vpt_monitor.indicators._common import estimate as _estimate
from vpt_monitor.stats import Estimate, EstimateTable, proportion, ratio
from vpt_monitor.stats._validation import check_choice
from vpt_monitor.stats.results import FLAGS
from vpt_monitor.vocab import ViolationStatus, ViolationType

__all__ = ["integrity_perception", "violation_rate"]


def integrity_perception(
    data: MonitorData,
    *,
    kind: ViolationType | str | None = None,
    by: By = None,
    wave: int | None = None,
    method: str = "logit",
    level: float = 0.95,
) -> Estimate | EstimateTable:
    r"""Share of respondents who saw or suspected integrity violations around them.

    The monitor's "waargenomen integriteitsschendingen": in 2016 about one in three political
    office holders perceived violations by colleagues.

    Parameters
    ----------
    data : MonitorData
        The monitor data.
    kind : ViolationType or str, optional
        Only this type (``"belangenverstrengeling"``, ...); any type by default.
    by : str or tuple of str, optional
        Domains: ``"wave"``, ``"layer"``, ``"office"``, ``"group"``.
    wave : int, optional
        Estimate for this wave only.
    method, level
        Interval method and default level, as :func:`vpt_monitor.stats.proportion`.

    Raises
    ------
    NotMeasuredError
        If the data hold no answers on perceived violations (no ``violation:<type>``
        column, or only empty cells).

    Notes
    -----
    The design-based proportion :math:`\sum_{i \in d} w_i 1[v_i] / \sum_{i \in d} w_i` over
    respondents who answered, with :math:`v_i` whether respondent :math:`i` perceived a
    violation (of the type). "Any type" is yes when one type is reported and no when every
    type asked in the wave was answered "no"; waves without the questions are flagged
    ``"not_measured"`` (the integrity questions were not asked in every wave).

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    .. [2] Korn, E. L., and Graubard, B. I. (1999). *Analysis of Health Surveys*. Wiley.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Respondent, integrity_perception
    >>> data = MonitorData.from_records([
    ...     Respondent("a", 2016, "gemeente", "raadslid",
    ...                perceived_violations={"belangenverstrengeling"}),
    ...     Respondent("b", 2016, "gemeente", "raadslid", perceived_violations=set()),
    ...     Respondent("c", 2016, "gemeente", "wethouder", perceived_violations=set())])
    >>> round(integrity_perception(data).estimate, 4)
    0.3333
    """
    answers = perception_answers(data, kind)
    y, answered = answers.y, answers.answered
    return _estimate(
        proportion,
        data,
        [y],
        by,
        answered=answered,
        wave=wave,
        notes=dict(answers.notes) or None,
        method=method,
        level=level,
    )


def perception_answers(data: MonitorData, kind: ViolationType | str | None = None) -> Answers:
    """Respondents who perceived a violation (of a type), as :func:`integrity_perception`."""
    matrix = data.respondents["perceived_violations"]
    unit = Unit(data)
    notes: dict[str, Any] = {}
    if kind is None:
        y, answered, notes = any_of(
            unit, matrix, "perceived violations (violation:<type>)", VIOLATIONS
        )
    else:
        chosen = ViolationType.parse(kind, field="kind")
        column = matrix[:, VIOLATIONS.index(chosen)]
        y, answered = single(
            column, f"perceived violations of type {chosen.value!r} (violation:{chosen})"
        )
        notes = unasked_notes(unit, np.asarray(column >= 0)[:, None], [chosen])
    return Answers(y, answered, None, notes)


VIOLATION_METHODS = ("design", "poisson")


def violation_rate(
    data: MonitorData,
    *,
    per: float = 1000.0,
    by: By = None,
    wave: int | None = None,
    status: ViolationStatus | str | None = None,
    method: str = "design",
    level: float = 0.95,
) -> Estimate | EstimateTable:
    r"""Estimate registered integrity violations per ``per`` employees.

    Parameters
    ----------
    data : MonitorData
        The monitor data, with organisations (their employees) and registered violations.
    per : float, default 1000
        Rate per this many employees.
    by : str or tuple of str, optional
        ``"wave"``, ``"layer"`` or both; on data with several waves ``"wave"`` or ``wave``.
    wave : int, optional
        Estimate for this wave only.
    status : ViolationStatus or str, optional
        Count only violations of this status; all registered violations by default.
    method : {"design", "poisson"}, default "design"
        ``"design"``: a ratio estimator on the organisation survey's design, organisations
        as first-stage units, so that registrations of one organisation are not treated as
        independent events. ``"poisson"``: the registrations as independent Poisson counts
        over the organisations in the data, with Garwood's exact interval (only defensible
        when the organisations are a census and registrations do not cluster).
    level : float, default 0.95
        Default confidence level.

    Returns
    -------
    Estimate or EstimateTable
        With ``"design"``, ``kind="ratio"``. With ``"poisson"``, ``kind="rate"``: ``n`` is
        the number of violations and ``exposure`` the employees in units of ``per``.

    Raises
    ------
    NotMeasuredError
        If the data have no file (or records) of registered violations: no registrations
        is not the same as zero registrations.

    Notes
    -----
    With ``"design"`` the rate in a domain is the ratio of weighted totals
    :math:`\hat R_d = \sum_{o \in d} w_o x_o / \sum_{o \in d} w_o e_o` times ``per``, with
    :math:`x_o` the registered violations of organisation :math:`o` and :math:`e_o` its
    employees; its variance is the Taylor-linearised variance between organisations within
    strata, with the fpc (see :func:`vpt_monitor.stats.ratio`). Registrations cluster by
    organisation (one organisation's policy decides what it registers), so this interval is
    wider than the Poisson one, honestly so. With ``"poisson"`` the rate is
    :math:`x_d / E_d` with :math:`E_d = \sum_{o \in d} e_o / \text{per}` and Garwood's
    :math:`[\chi^2_{2x}(\alpha/2)/2,\ \chi^2_{2x+2}(1 - \alpha/2)/2] / E`.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    .. [2] Korn, E. L., and Graubard, B. I. (1999). *Analysis of Health Surveys*. Wiley.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Organisation, Violation, violation_rate
    >>> data = MonitorData.from_records(
    ...     [], organisations=[Organisation("a", 2016, "provincie", employees=2000),
    ...                        Organisation("b", 2016, "provincie", employees=1000),
    ...                        Organisation("c", 2016, "provincie", employees=1000)],
    ...     violations=[Violation("a", 2016, "fraude")] * 6 + [Violation("b", 2016, "fraude")])
    >>> rate = violation_rate(data)
    >>> round(rate.estimate, 3), round(rate.standard_error, 3)
    (1.75, 0.962)
    >>> exact = violation_rate(data, method="poisson")
    >>> exact.estimate, exact.n, round(exact.confidence_interval().high, 3)
    (1.75, 7, 3.606)
    """
    if isinstance(per, np.integer | np.floating):
        per = per.item()
    if not (isinstance(per, int | float) and not isinstance(per, bool) and per > 0):
        raise ValueError(f"'per' must be a number > 0; got {per!r}")
    method = check_choice("method", method, VIOLATION_METHODS)
    if "violations" not in data.supplied:
        raise NotMeasuredError(
            "registered violations are not in these data (no violations file or records); "
            "no registrations is not zero registrations"
        )
    unit = Unit(data, organisations=True)
    names = _names(by, unit.allowed)
    orgs = data.organisations
    viols = data.violations
    keep = np.ones(viols["wave"].shape[0], dtype=bool)
    if status is not None:
        keep = viols["status"] == STATUSES.index(ViolationStatus.parse(status, field="status"))
    registered = np.bincount(viols["organisation"][keep], minlength=orgs["wave"].shape[0]).astype(
        np.float64
    )
    exposure_of = orgs["employees"] / per
    if method == "design":
        return _estimate(
            ratio,
            data,
            [registered, exposure_of],
            by,
            wave=wave,
            organisations=True,
            notes={"per": per},
            bounds=(0.0, np.inf),
        )
    in_wave = wave_rows(unit, names, wave)
    codes = [unit.column(n) for n in names]
    sizes = [len(unit.labels(n)) for n in names]
    flat = np.ravel_multi_index(codes, sizes) if codes else np.zeros(orgs["wave"].shape[0], int)
    cells = int(np.prod(sizes)) if sizes else 1
    take = np.ones(flat.shape[0], dtype=bool) if in_wave is None else in_wave
    exposure = np.asarray(
        np.bincount(flat[take], weights=exposure_of[take], minlength=cells), dtype=np.float64
    )
    events = np.bincount(flat[take], weights=registered[take], minlength=cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(exposure > 0, events / exposure, np.nan)
        se = np.sqrt(events) / exposure
    flags = np.zeros((cells, len(FLAGS)), dtype=bool)
    flags[:, FLAGS.index("empty")] = exposure <= 0
    notes: dict[str, object] = {"per": per}
    if wave is not None:
        notes["wave"] = int(wave)
    if not names:
        return Estimate(
            estimate=rate[0],
            standard_error=se[0],
            df=np.inf,
            n=int(events[0]),
            kind="rate",
            exposure=exposure[0],
            method="exact",
            level=level,
            flags=("empty",) if exposure[0] <= 0 else (),
            notes=notes,
        )
    labels = [
        tuple(unit.labels(n)[i] for n, i in zip(names, index, strict=True))
        for index in np.ndindex(*sizes)
    ]
    table = EstimateTable(
        domains=[lab[0] if len(names) == 1 else lab for lab in labels],
        estimate=rate,
        standard_error=se,
        df=np.full(cells, np.inf),
        n=events,
        deff=np.full(cells, np.nan),
        n_effective=np.full(cells, np.nan),
        kind="rate",
        exposure=exposure,
        flag_array=flags,
        by=names,
        design_df=np.inf,
        method="exact",
        level=level,
        notes=notes,
        covariance=np.diag(se**2),
        labeller=domain_labels(unit, names),
    )
    return table.reindex(universe(unit, names))
