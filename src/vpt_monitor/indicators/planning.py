r"""Planning the next wave: the sample each domain needs, and the change it can detect.

Every two years the ministry decides how large the next sample must be. Both functions read
the current wave - the shares, the design effects and the population of each domain - and
answer per domain (office by default): :func:`plan_sample` how many respondents a target
margin of error needs, and how many to invite at the expected response;
:func:`detectable_change` how small a change between this wave and a next one of the same
size the monitor could call.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor import _format
from vpt_monitor.data import MonitorData
from vpt_monitor.indicators._common import By, Unit, unweighted_waves, wave_rows
from vpt_monitor.indicators.aggression import victimisation
from vpt_monitor.stats import EstimateTable, _print
from vpt_monitor.stats.planning import detectable_difference, sample_size_proportion
from vpt_monitor.stats.results import FLAGS

__all__ = ["PlanTable", "detectable_change", "plan_sample"]

FloatArray = NDArray[np.float64]


@attrs.frozen(eq=False, repr=False)
class PlanTable:
    """Per domain: the current wave and what the next one needs (or can detect).

    Attributes
    ----------
    domains : tuple
        The domains (offices by default).
    wave : int
        The wave the plan is based on.
    population : numpy.ndarray
        Estimated population of each domain (the sum of its weights).
    n : numpy.ndarray
        Respondents in the domain in ``wave``.
    estimate, standard_error, deff : numpy.ndarray
        The current share, its standard error and its design effect.
    needed : numpy.ndarray
        :func:`plan_sample`: respondents needed for the target margin (rounded up);
        :func:`detectable_change`: NaN.
    invite : numpy.ndarray
        People to invite at the expected response (NaN without a response rate), at most
        the whole population (then ``reachable`` says whether that is enough).
    reachable : numpy.ndarray of bool
        Whether the target can be met: the respondents needed are at most the population
        (rounded up to whole people) times the response rate (a census of a small office
        with less than full response may fall short). False for a domain without
        respondents, which is printed as such.
    detectable : numpy.ndarray
        The smallest change between this wave and a next one of the same size that a test
        at ``level`` detects with the given power.
    level : float
        Confidence level.
    target : float or None
        The margin of error planned for (:func:`plan_sample`), or None.

    Examples
    --------
    A plan for a margin of 4 points with 40% response, per group: the domains keep their
    codes, the printed table names them in the language of
    :func:`~vpt_monitor.set_language`.

    >>> from vpt_monitor import Group, plan_sample
    >>> from vpt_monitor.synth import simulate
    >>> data = simulate(waves=(2016,), scale=0.2, seed=1)
    >>> plan = plan_sample(data, by="group", margin=0.04, response_rate=0.4)
    >>> plan
    PlanTable(wave 2016, 2 domains, margin 0.04)
      domain                           N    n      p  deff  needed  invite   detect
      political office holders     2,408  909  0.260  0.94     368     920  0.04368
      employees                   58,400  693  0.225  1.77     733   1,833  0.08318
    >>> employees = plan.domains.index(Group.EMPLOYEE)
    >>> int(plan.needed[employees]), bool(plan.reachable[employees])
    (733, True)
    >>> plan.to_pandas()["invite"].to_dict()
    {'politiek-ambtsdrager': 920.0, 'medewerker': 1833.0}
    """

    domains: tuple[Hashable, ...]
    wave: int
    population: FloatArray
    n: NDArray[np.int64]
    estimate: FloatArray
    standard_error: FloatArray
    deff: FloatArray
    needed: FloatArray
    invite: FloatArray
    reachable: NDArray[np.bool_]
    detectable: FloatArray
    level: float
    target: float | None

    def to_pandas(self) -> Any:
        """Return the table as a :class:`pandas.DataFrame` (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(
            {
                "population": self.population,
                "n": self.n,
                "estimate": self.estimate,
                "standard_error": self.standard_error,
                "deff": self.deff,
                "needed": self.needed,
                "invite": self.invite,
                "reachable": self.reachable,
                "detectable": self.detectable,
            },
            index=pd.Index([str(d) for d in self.domains], name="domain"),
        )

    def _repr_html_(self) -> str | None:
        """Show the table in a notebook: its title line, the domains' labels, :meth:`to_pandas`."""
        labels = [_format.label(domain) for domain in self.domains]
        return _print.notebook(self, self.to_pandas, labels=(_format.variable("label"), labels))

    def to_string(self, language: str | None = None) -> str:
        """Return the table as printed, labels and numbers in ``language`` ("en" or "nl").

        Parameters
        ----------
        language : {"en", "nl"}, optional
            By default the session's (:func:`~vpt_monitor.set_language`).

        Examples
        --------
        >>> from vpt_monitor import plan_sample
        >>> from vpt_monitor.synth import simulate
        >>> plan = plan_sample(simulate(waves=(2016,)), margin=0.05, by="group")
        >>> print(plan.to_string("nl").splitlines()[0])
        PlanTable(jaar 2016, 2 domeinen, marge 0,05)
        """
        chosen = _format.check_language(language)
        nl = chosen == "nl"
        if self.target is not None:
            margin = _format.number(self.target, chosen, digits=None)
            what = f"marge {margin}" if nl else f"margin {margin}"
        else:
            what = "aantoonbaar verschil" if nl else "detectable change"
        lines = [
            f"PlanTable({'jaar' if nl else 'wave'} {self.wave}, {len(self.domains)} "
            f"{_format.domains_word(len(self.domains), nl)}, {what})"
        ]
        # fixed notation (see vpt_monitor.stats._print): shares to 3 significant digits,
        # the detectable change to 4
        heads = (
            ("N", "n", "p", "deff", "nodig", "uitnodigen", "aantoonbaar")
            if nl
            else ("N", "n", "p", "deff", "needed", "invite", "detect")
        )

        # counts of people with thousands grouped (292.000, 292,000); no value is
        # "n.b." / "n/a" as in the report, not Python's "nan"
        def people(values: Any) -> list[str]:
            return [_format.integer(v, chosen) for v in np.asarray(values, dtype=np.float64)]

        def missing(column: list[str]) -> list[str]:
            return [_format.MISSING[chosen] if c == "nan" else c for c in column]

        columns = [
            people(self.population),
            people(self.n),
            missing(_print.fixed(self.estimate, 3)),
            missing(_print.fixed(self.deff, 3)),
            people(self.needed),
            people(self.invite),
            missing(_print.fixed(self.detectable)),
        ]
        cells = [
            [_format._localise(c, chosen) if i not in (0, 1, 4, 5) else c for c in column]
            for i, column in enumerate(columns)
        ]
        widths = [
            max(len(h), *(len(c) for c in column)) + 2
            for h, column in zip(heads, cells, strict=True)
        ]
        texts = [_format.label(label, chosen)[:40] for label in self.domains]
        title = _format.variable("domain", chosen)
        first = max([len(title), *map(len, texts)]) + 2
        lines.append(
            f"  {title:<{first}}" + "".join(f"{h:>{w}}" for h, w in zip(heads, widths, strict=True))
        )
        none = "  (geen respondenten)" if nl else "  (no respondents)"
        short = "  (niet haalbaar)" if nl else "  (not reachable)"
        for i, text in enumerate(texts):
            mark = none if self.n[i] == 0 else "" if self.reachable[i] else short
            lines.append(
                f"  {text:<{first}}"
                + "".join(f"{c[i]:>{w}}" for c, w in zip(cells, widths, strict=True))
                + mark
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_string()


def _believed_se(table: EstimateTable) -> FloatArray:
    """Return the standard errors a detectable change can rest on (NaN: not believed).

    A share of 0% or 100% (flagged ``"boundary"``: 0 dike-reeves of 4 victimised) and a
    zero variance although the outcome varies (``"zero_variance"``) have a standard error
    of 0 that would detect any change; a census of a varying share keeps its 0 (it detects
    every change).
    """
    assert table.flag_array is not None
    doubted = (
        table.flag_array[:, FLAGS.index("zero_variance")]
        | table.flag_array[:, FLAGS.index("boundary")]
    )
    return np.where(doubted, np.nan, table.standard_error)


def _current(
    data: MonitorData, by: By, wave: int | None, level: float
) -> tuple[int, EstimateTable, FloatArray]:
    """Return the current shares by domain in one wave and each domain's population."""
    unit = Unit(data)
    chosen = unit.waves[-1] if wave is None else wave
    if by is None:  # everyone: the wave's own row of a table by wave
        if chosen not in unit.waves:
            raise ValueError(f"wave {chosen!r} is not in the data; waves: {unit.waves}")
        whole = victimisation(data, by="wave", level=level)
        assert isinstance(whole, EstimateTable)
        one = attrs.evolve(whole.reindex([chosen]), domains=("all",), by=())
        in_wave = np.asarray(data.respondents["wave"] == chosen)
        total = float(data.respondents["weight"][in_wave].sum())
        return int(chosen), one, np.array([total])
    table = victimisation(data, by=by, wave=chosen, level=level)
    if not isinstance(table, EstimateTable):  # pragma: no cover - by is given
        raise TypeError("expected a table")
    # population of each domain: the sum of the weights of its rows in the wave
    weights = data.respondents["weight"]
    rows = wave_rows(unit, (), chosen)
    assert rows is not None
    names = (by,) if isinstance(by, str) else tuple(by)
    labels = [unit.labels(n) for n in names]
    codes = [unit.column(n) for n in names]
    known = rows & np.all([c >= 0 for c in codes], axis=0)
    sizes = [len(v) for v in labels]
    flat = np.ravel_multi_index([np.maximum(c, 0) for c in codes], sizes)
    totals = np.bincount(flat[known], weights=weights[known], minlength=int(np.prod(sizes)))
    where = [{v: k for k, v in enumerate(values)} for values in labels]
    index = []
    for domain in table.domains:
        parts: tuple[Any, ...] = domain if isinstance(domain, tuple) else (domain,)
        position = tuple(w[part] for w, part in zip(where, parts, strict=True))
        index.append(np.ravel_multi_index(position, sizes))
    return int(chosen), table, np.asarray(totals[index], dtype=np.float64)


def _rates(
    rate: float | Mapping[Hashable, float] | None,
    domains: tuple[Hashable, ...],
    n: NDArray[np.int64],
) -> Any:
    """Response rate per domain (NaN where none is given); domains with respondents need one."""
    if rate is None:
        return np.full(len(domains), np.nan)
    if isinstance(rate, Mapping):
        missing = [d for d, k in zip(domains, n, strict=True) if k > 0 and d not in rate]
        if missing:
            raise ValueError(
                f"'response_rate' has no rate for {_domain(missing[0])}; give every domain with "
                "respondents"
            )
        values = np.array([float(rate.get(d, np.nan)) for d in domains])
    else:
        values = np.full(len(domains), float(rate))
    if np.any(~((values > 0) & (values <= 1)) & ~np.isnan(values)):
        raise ValueError(f"'response_rate' must be in (0, 1]; got {rate!r}")
    return values


def _domain(label: Hashable) -> str:
    parts = label if isinstance(label, tuple) else (label,)
    return repr(", ".join(str(part) for part in parts))


def _check_weights(data: MonitorData, wave: int) -> None:
    """Refuse a wave delivered unweighted: its weights (all 1) would make a census of it."""
    if wave in unweighted_waves(data):
        raise ValueError(
            f"the weights of wave {wave} are all 1 (a file without weights, or weights "
            "not yet made): plan_sample takes each domain's population from its weights, "
            "and these would make every domain a census of its respondents. Give each "
            "domain's population size with population={domain: N}, or weight the wave to "
            "population counts first (MonitorData.weight, vpt-monitor weight)"
        )


def _given_population(population: Mapping[Hashable, float], table: EstimateTable) -> FloatArray:
    """Return the domains' population sizes from a mapping, checked against respondents.

    Domains are found as a table finds them (``"Burgemeester"`` is ``"burgemeester"``); a
    pandas Series is read as the mapping it holds.
    """
    if not isinstance(population, Mapping) and callable(getattr(population, "to_dict", None)):
        population = population.to_dict()  # a pandas Series {domain: size}
    if not isinstance(population, Mapping):
        raise TypeError(
            f"'population' must be a mapping {{domain: size}}; got {type(population).__name__}"
        )
    sizes = np.full(len(table.domains), np.nan)
    for key, value in population.items():
        try:
            k = table.index(key)
        except KeyError:
            raise ValueError(
                f"'population' names {key!r}, which is not a domain of the plan; "
                f"domains: {', '.join(_domain(d) for d in table.domains)}"
            ) from None
        if not np.isnan(sizes[k]):
            raise ValueError(f"'population' gives {_domain(table.domains[k])} twice")
        try:
            size = float(value)
        except (TypeError, ValueError):
            size = np.nan
        if not (np.isfinite(size) and size >= table.n[k] and size > 0):
            raise ValueError(
                f"'population' of {_domain(table.domains[k])} must be a number of people at "
                f"least its {table.n[k]} respondents; got {value!r}"
            )
        sizes[k] = size
    missing = np.flatnonzero(np.isnan(sizes) & (table.n > 0))
    if missing.size:
        raise ValueError(
            f"'population' has no size for {_domain(table.domains[missing[0]])}; give every "
            "domain with respondents"
        )
    return sizes


def _check_population(population: FloatArray, table: EstimateTable, wave: int) -> None:
    """Refuse domains whose weights add up to fewer people than they have respondents.

    The population of a domain is the sum of its weights; weights normalised to the sample
    (mean 1, as agencies often deliver them) make it the sample's size or less, and a plan
    on that would say that a few more respondents make a census.
    """
    short = np.flatnonzero(population < table.n * (1.0 - 1e-9))
    if short.size == 0:
        return
    listed = ", ".join(
        f"{_domain(table.domains[k])}: {population[k]:.6g} for {table.n[k]} respondents"
        for k in short[:5].tolist()
    )
    raise ValueError(
        f"the weights of wave {wave} add up to fewer people than respondents in "
        f"{short.size} domain(s) ({listed}); plan_sample takes each domain's population from "
        "its weights, so they must add up to the population (these look normalised to the "
        "sample). Weight the wave to population counts first (MonitorData.weight, "
        "vpt-monitor weight)"
    )


def plan_sample(
    data: MonitorData,
    *,
    margin: float = 0.03,
    by: By = "office",
    level: float = 0.95,
    response_rate: float | Mapping[Hashable, float] | None = None,
    deff: float | None = None,
    p: float | None = None,
    wave: int | None = None,
    power: float = 0.8,
    population: Mapping[Hashable, float] | None = None,
) -> PlanTable:
    r"""Respondents each domain needs for a victimisation share within ``margin``.

    Parameters
    ----------
    data : MonitorData
        The current wave(s).
    margin : float, default 0.03
        Target half-width of the interval of the share (0.03: plus or minus 3 points).
    by : str or tuple of str, default "office"
        The domains to plan for; None plans for everyone (one row, ``"all"``).
    level : float, default 0.95
        Confidence level of the intervals.
    response_rate : float or mapping, optional
        Expected response, one rate or ``{domain: rate}``; gives the number to invite.
    deff : float, optional
        Design effect to plan with; by default each domain's measured on the current wave
        (1 where it cannot be measured).
    p : float, optional
        Share to plan for; by default each domain's current victimisation share (0.5 where
        it is 0, 1 or unknown: the most demanding value).
    wave : int, optional
        The wave to base the plan on; the last one by default.
    power : float, default 0.8
        Power for the ``detectable`` column (see :func:`detectable_change`).
    population : mapping, optional
        Each domain's population size, ``{domain: N}`` (``{"all": N}`` with ``by=None``;
        a pandas Series too), domains named as a table of the plan's names them; every
        domain with respondents needs one. A domain without respondents given a size is
        planned with :math:`p = 0.5` and a design effect of 1. By default each domain's
        weights' sum in the wave, which needs weights that stand for the population: a
        wave whose weights are all 1 (delivered unweighted) is refused without
        ``population``, since its weights would make every domain a census of its
        respondents.

    Returns
    -------
    PlanTable

    Notes
    -----
    Per domain with population :math:`N` (its weights' sum, or ``population``), share
    :math:`p` and design effect :math:`d`, the respondents needed are
    :func:`~vpt_monitor.stats.sample_size_proportion`,
    :math:`n = d\,a\,z^2 p(1-p) / (e^2 + d\,z^2 p(1-p)/(N-1))` with :math:`a = N/(N-1)`,
    rounded up; the number to invite is :math:`n / r` for response rate :math:`r`. A domain
    is not reachable when :math:`n > \lceil N \rceil r`: even inviting everyone would leave
    it short (without a response rate, a census always meets the margin).

    References
    ----------
    .. [1] Valliant, R., Dever, J. A. and Kreuter, F. (2018). *Practical Tools for Designing
       and Weighting Survey Samples*, 2nd ed., chapter 3. Springer.

    Examples
    --------
    >>> from vpt_monitor import plan_sample
    >>> from vpt_monitor.synth import simulate
    >>> plan = plan_sample(simulate(waves=(2016,)), margin=0.05, response_rate=0.5)
    >>> mayors = plan.domains.index("burgemeester")
    >>> int(plan.needed[mayors]) < int(plan.population[mayors])
    True
    >>> bool(plan.reachable[plan.domains.index("cdk")])  # 12 commissioners: never enough
    False
    """
    if not 0.0 < margin < 1.0:
        raise ValueError(f"'margin' must be in (0, 1); got {margin!r}")
    if deff is not None and not (np.isfinite(deff) and deff > 0):
        raise ValueError(f"'deff' must be finite and > 0; got {deff!r}")
    if p is not None and not 0.0 < p < 1.0:
        raise ValueError(f"'p' must be in (0, 1); got {p!r}")
    chosen, table, sums = _current(data, by, wave, level)
    if population is None:
        _check_weights(data, chosen)
        _check_population(sums, table, chosen)
        sizes = sums
    else:
        sizes = _given_population(population, table)
    share = table.estimate if p is None else np.full(len(table), p)
    share = np.where((share > 0) & (share < 1), share, 0.5)
    effect = table.deff if deff is None else np.full(len(table), deff)
    effect = np.where(np.isfinite(effect) & (effect > 0), effect, 1.0)
    size = np.where(sizes > 1, sizes, 2.0)
    needed = np.ceil(
        sample_size_proportion(share, margin, level=level, population=size, deff=effect)
    )
    needed = np.where(sizes > 0, np.minimum(needed, np.ceil(sizes)), np.nan)
    rates = _rates(response_rate, table.domains, table.n)
    invite = np.minimum(np.ceil(needed / rates), np.ceil(sizes))  # never beyond everyone
    # everyone is a whole number of people: a census of the 11.9 an office's weights add up
    # to invites 12 (needed is at most that, so without a rate every domain is reachable)
    everyone = np.ceil(sizes)
    reachable = needed <= everyone * np.where(np.isnan(rates), 1.0, rates)
    return PlanTable(
        domains=table.domains,
        wave=chosen,
        population=sizes,
        n=table.n,
        estimate=table.estimate,
        standard_error=table.standard_error,
        deff=table.deff,
        needed=needed,
        invite=invite,
        reachable=np.asarray(reachable, dtype=bool),
        detectable=detectable_difference(_believed_se(table), level=level, power=power),
        level=level,
        target=margin,
    )


def detectable_change(
    data: MonitorData,
    *,
    by: By = None,
    power: float = 0.8,
    level: float = 0.95,
    wave: int | None = None,
) -> PlanTable:
    r"""Estimate the smallest change in victimisation each domain can detect next wave.

    Parameters
    ----------
    data : MonitorData
        The current wave(s).
    by : str or tuple of str, optional
        The domains; by default everyone (one row, ``"all"``).
    power : float, default 0.8
        Probability of detecting a change of the size returned.
    level : float, default 0.95
        Level of the two-sided test.
    wave : int, optional
        The wave to base it on; the last one by default.

    Returns
    -------
    PlanTable
        With ``detectable`` per domain.

    Notes
    -----
    Waves are independent samples, so a change has variance
    :math:`\mathrm{se}_1^2 + \mathrm{se}_2^2`; with a next wave like the current one
    (the same design, size and share) the smallest detectable change is
    :math:`(z_{1-\alpha/2} + z_{\text{power}})\sqrt{2}\,\mathrm{se}`, with the current,
    design-based standard error (its finite-population correction included). A domain
    flagged ``"zero_variance"`` or ``"boundary"`` (a share of 0% or 100%) or without a
    standard error detects nothing (NaN); a census of a varying share detects every change
    (0).

    References
    ----------
    .. [1] Valliant, R., Dever, J. A. and Kreuter, F. (2018). *Practical Tools for Designing
       and Weighting Survey Samples*, 2nd ed. Springer. Chapter 4: power calculations and
       sample sizes.

    Examples
    --------
    >>> from vpt_monitor import detectable_change
    >>> from vpt_monitor.synth import simulate
    >>> plan = detectable_change(simulate(waves=(2016,)), by="group")
    >>> [round(float(d), 3) for d in plan.detectable]
    [0.02, 0.05]
    """
    chosen, table, population = _current(data, by, wave, level)
    se = _believed_se(table)
    nan = np.full(len(table), np.nan)
    return PlanTable(
        domains=table.domains,
        wave=chosen,
        population=population,
        n=table.n,
        estimate=table.estimate,
        standard_error=table.standard_error,
        deff=table.deff,
        needed=nan,
        invite=nan,
        reachable=np.ones(len(table), dtype=bool),
        detectable=detectable_difference(se, level=level, power=power),
        level=level,
        target=None,
    )
