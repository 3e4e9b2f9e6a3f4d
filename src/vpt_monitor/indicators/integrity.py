r"""Integrity indicators: perceived violations and registered violations."""

from __future__ import annotations

import numpy as np

from vpt_monitor.data import MonitorData
from vpt_monitor.indicators._common import By, Unit, _names, universe
from vpt_monitor.indicators._common import estimate as _estimate
from vpt_monitor.stats import Estimate, EstimateTable, proportion
from vpt_monitor.stats.results import FLAGS
from vpt_monitor.vocab import ViolationStatus, ViolationType

__all__ = ["integrity_perception", "violation_rate"]

VIOLATION_TYPES = tuple(ViolationType)
STATUSES = tuple(ViolationStatus)


def integrity_perception(
    data: MonitorData,
    *,
    kind: ViolationType | str | None = None,
    by: By = None,
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
    method, level
        Interval method and default level, as :func:`vpt_monitor.stats.proportion`.

    Notes
    -----
    The design-based proportion :math:`\sum_{i \in d} w_i 1[v_i] / \sum_{i \in d} w_i`, with
    :math:`v_i` whether respondent :math:`i` perceived a violation (of the type).

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Respondent, integrity_perception
    >>> data = MonitorData.from_records([
    ...     Respondent("a", 2016, "gemeente", "raadslid",
    ...                perceived_violations={"belangenverstrengeling"}),
    ...     Respondent("b", 2016, "gemeente", "raadslid"),
    ...     Respondent("c", 2016, "gemeente", "wethouder")])
    >>> round(integrity_perception(data).estimate, 4)
    0.3333
    """
    matrix = data.respondents["perceived_violations"]
    if kind is None:
        y = matrix.any(axis=1)
    else:
        y = matrix[:, VIOLATION_TYPES.index(ViolationType.parse(kind, field="kind"))]
    return _estimate(proportion, data, [np.asarray(y)], by, method=method, level=level)


def violation_rate(
    data: MonitorData,
    *,
    per: float = 1000.0,
    by: By = None,
    status: ViolationStatus | str | None = None,
    method: str = "exact",
    level: float = 0.95,
) -> Estimate | EstimateTable:
    r"""Estimate registered integrity violations per ``per`` employees, with a Poisson interval.

    Parameters
    ----------
    data : MonitorData
        The monitor data, with organisations (their employees) and registered violations.
    per : float, default 1000
        Rate per this many employees.
    by : str or tuple of str, optional
        ``"wave"``, ``"layer"`` or both.
    status : ViolationStatus or str, optional
        Count only violations of this status; all registered violations by default.
    method : str, default "exact"
        Interval method of :func:`vpt_monitor.stats.rate_ci`; Garwood's exact limits by
        default.
    level : float, default 0.95
        Default confidence level.

    Returns
    -------
    Estimate or EstimateTable
        ``kind="rate"``: ``n`` is the number of violations, ``exposure`` the employees in
        units of ``per``.

    Notes
    -----
    The rate in a domain is :math:`x_d / E_d` with :math:`x_d` the registered violations of
    the organisations in the domain and :math:`E_d = \sum_{o \in d} e_o / \text{per}` their
    employees. The organisations are taken as they are (registrations are counts, not
    sample estimates), so the interval is Poisson: Garwood's
    :math:`[\chi^2_{2x}(\alpha/2)/2,\ \chi^2_{2x+2}(1 - \alpha/2)/2] / E`. For a weighted
    estimate over a sample of organisations, use :func:`vpt_monitor.stats.ratio` on
    ``data.organisation_design``.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Organisation, Violation, violation_rate
    >>> data = MonitorData.from_records(
    ...     [], organisations=[Organisation("a", 2016, "provincie", employees=2000),
    ...                        Organisation("b", 2016, "provincie", employees=1000)],
    ...     violations=[Violation("a", 2016, "fraude")] * 6)
    >>> rate = violation_rate(data)
    >>> rate.estimate, rate.n
    (2.0, 6)
    >>> round(rate.confidence_interval().high, 3)
    4.353
    """
    if not (isinstance(per, int | float) and not isinstance(per, bool) and per > 0):
        raise ValueError(f"'per' must be a number > 0; got {per!r}")
    unit = Unit(data, organisations=True)
    names = _names(by, unit.allowed)
    orgs = data.organisations
    viols = data.violations
    keep = np.ones(viols["wave"].shape[0], dtype=bool)
    if status is not None:
        keep = viols["status"] == STATUSES.index(ViolationStatus.parse(status, field="status"))
    codes = [unit.column(n) for n in names]
    sizes = [len(unit.labels(n)) for n in names]
    flat = np.ravel_multi_index(codes, sizes) if codes else np.zeros(orgs["wave"].shape[0], int)
    cells = int(np.prod(sizes)) if sizes else 1
    exposure = np.bincount(flat, weights=orgs["employees"], minlength=cells) / per
    events = np.bincount(flat[viols["organisation"][keep]], minlength=cells).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(exposure > 0, events / exposure, np.nan)
        se = np.sqrt(events) / exposure
    flags = np.zeros((cells, len(FLAGS)), dtype=bool)
    flags[:, FLAGS.index("empty")] = exposure <= 0
    if not names:
        return Estimate(
            estimate=rate[0],
            standard_error=se[0],
            df=np.inf,
            n=int(events[0]),
            kind="rate",
            exposure=exposure[0],
            method=method,
            level=level,
            flags=("empty",) if exposure[0] <= 0 else (),
            notes={"per": per},
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
        method=method,
        level=level,
        notes={"per": per},
        covariance=np.diag(se**2),
    )
    return table.reindex(universe(unit, names))
