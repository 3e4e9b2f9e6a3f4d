r"""Organisations' policy measures: coverage, a maturity score with honest uncertainty.

No official maturity score exists for the monitor; this module offers one, built by the
composite-indicator practice of the OECD/JRC handbook (Nardo et al. 2008): a transparent
weighted sum of binary items, a check of their internal consistency (Cronbach's alpha), and
an uncertainty and sensitivity analysis that perturbs the weights, drops items, and - unlike
the usual tools (COINr, the JRC COIN tool) - carries the survey's sampling variance, with its
finite-population correction, into the scores and the ranking of layers.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor import _format
from vpt_monitor._codes import MEASURES
from vpt_monitor.data import MonitorData
from vpt_monitor.indicators._common import By, NotMeasuredError, Unit, single, wave_rows
from vpt_monitor.indicators._common import estimate as _estimate
from vpt_monitor.stats import Estimate, EstimateTable, _print, mean, proportion
from vpt_monitor.vocab import Area, Measure

__all__ = [
    "AGGRESSION_SCHEME",
    "DEFAULT_SCHEME",
    "INTEGRITY_SCHEME",
    "MaturityScheme",
    "SensitivityResult",
    "cronbach_alpha",
    "maturity_scores",
    "maturity_sensitivity",
    "policy_coverage",
    "policy_maturity",
]


def policy_coverage(
    data: MonitorData,
    measure: Measure | str,
    *,
    by: By = None,
    wave: int | None = None,
    method: str = "logit",
    level: float = 0.95,
) -> Estimate | EstimateTable:
    r"""Share of organisations that have a policy measure in place.

    The 2016 letter reports, for example, that six in ten organisations keep track of
    vulnerable processes and three quarters apply separation of functions.

    Parameters
    ----------
    data : MonitorData
        The monitor data with its organisation survey.
    measure : Measure or str
        The measure (``"functiescheiding"``, ``"vertrouwenspersoon"``, ...).
    by : str or tuple of str, optional
        ``"wave"``, ``"layer"`` or both; on data with several waves ``"wave"`` or ``wave``.
    wave : int, optional
        Estimate for this wave only.
    method, level
        Interval method and default level, as :func:`vpt_monitor.stats.proportion`.

    Raises
    ------
    NotMeasuredError
        If no organisation answered the question on the measure.

    Notes
    -----
    A design-based proportion on the organisation survey's design (strata crossed with the
    wave), over the organisations that answered. Its finite-population correction matters:
    12 provinces are a small population, and answers from most of them leave little
    sampling uncertainty.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Organisation, policy_coverage
    >>> orgs = [Organisation(f"p{i}", 2016, "provincie", employees=800, fpc=12,
    ...                      measures={"functiescheiding"} if i < 6 else set())
    ...         for i in range(8)]
    >>> share = policy_coverage(MonitorData.from_records([], organisations=orgs),
    ...                         "functiescheiding")
    >>> share.estimate
    0.75
    """
    chosen = Measure.parse(measure, field="measure")
    y, answered = single(
        data.organisations["measures"][:, MEASURES.index(chosen)],
        f"the measure {chosen.value!r} (measure:{chosen})",
    )
    return _estimate(
        proportion,
        data,
        [y],
        by,
        answered=answered,
        wave=wave,
        organisations=True,
        method=method,
        level=level,
    )


def _levels(value: Any) -> tuple[tuple[str, float], ...]:
    return tuple((str(name), float(start)) for name, start in value)


def _weights(value: Mapping[Any, float]) -> Mapping[Measure, float]:
    return {Measure.parse(k, field="weights"): float(v) for k, v in value.items()}


@attrs.frozen
class MaturityScheme:
    r"""A policy-maturity score: weighted share of measures in place, from 0 to 100.

    Parameters
    ----------
    name : str
        Name of the scheme.
    weights : mapping
        ``{Measure: weight > 0}``; measures not named do not count.
    levels : tuple of (str, float)
        Named maturity levels and the score from which each starts, ascending, the first
        at 0.

    Notes
    -----
    For organisation :math:`o` with items :math:`x_{ok} \in \{0, 1\}` the score is
    :math:`S_o = 100 \sum_k w_k x_{ok} / \sum_k w_k`, so adding a measure never lowers it
    and the order of the items does not matter.

    Examples
    --------
    >>> from vpt_monitor import MaturityScheme
    >>> scheme = MaturityScheme("mini", {"gedragscode": 2, "vertrouwenspersoon": 1})
    >>> float(scheme.score([["gedragscode"]])[0])
    66.66666666666667
    """

    name: str
    weights: Mapping[Measure, float] = attrs.field(converter=_weights)
    levels: tuple[tuple[str, float], ...] = attrs.field(
        default=(("initial", 0.0), ("developing", 40.0), ("advanced", 70.0), ("mature", 90.0)),
        converter=_levels,
    )

    @weights.validator
    def _check_weights(
        self, attribute: attrs.Attribute[Any], value: Mapping[Measure, float]
    ) -> None:
        if not value:
            raise ValueError("MaturityScheme: weights: name at least one measure")
        for measure, weight in value.items():
            if not (math.isfinite(weight) and weight > 0):
                raise ValueError(
                    f"MaturityScheme: weights: the weight of {measure.value!r} must be finite "
                    f"and > 0; got {weight!r}"
                )

    @levels.validator
    def _check_levels(
        self, attribute: attrs.Attribute[Any], value: tuple[tuple[str, float], ...]
    ) -> None:
        starts = [start for _, start in value]
        if (
            not value
            or starts[0] != 0.0
            or starts != sorted(starts)
            or len(set(starts)) != len(starts)
        ):
            raise ValueError(
                "MaturityScheme: levels: give (name, start) pairs with strictly ascending "
                f"starts, the first 0; got {value!r}"
            )
        if starts[-1] > 100:
            raise ValueError("MaturityScheme: levels: a level cannot start above 100")

    @property
    def items(self) -> tuple[Measure, ...]:
        """The measures of the scheme."""
        return tuple(self.weights)

    @property
    def level_names(self) -> tuple[str, ...]:
        """Names of the levels, lowest first."""
        return tuple(name for name, _ in self.levels)

    def item_matrix(self, measures: NDArray[Any]) -> NDArray[np.float64]:
        """Return the scheme's columns of a ``rows x tuple(Measure)`` matrix, as floats.

        The matrix holds booleans, or 1 (in place), 0 (not) and -1 (not answered); an
        unanswered item becomes NaN.
        """
        columns = [MEASURES.index(m) for m in self.items]
        items = np.asarray(measures[:, columns], dtype=np.float64)
        return np.where(items < 0, np.nan, items)

    def score(self, measures: Any) -> NDArray[np.float64]:
        """Return the scores of rows given as a matrix or as lists of measures.

        A row with an unanswered item of the scheme has no score (NaN).
        """
        if isinstance(measures, np.ndarray) and measures.ndim == 2:
            matrix = measures
        else:  # rows given as collections of measures or codes
            matrix = np.zeros((len(measures), len(MEASURES)), dtype=bool)
            for i, row in enumerate(measures):
                for m in row:
                    matrix[i, MEASURES.index(Measure.parse(m, field="measures"))] = True
        w = np.array(list(self.weights.values()))
        result: NDArray[np.float64] = 100.0 * self.item_matrix(matrix) @ w / w.sum()
        return result

    def level(self, scores: NDArray[np.float64]) -> NDArray[np.intp]:
        """Index of the level each score falls in."""
        starts = np.array([start for _, start in self.levels])
        return np.asarray(np.searchsorted(starts, scores, side="right") - 1, dtype=np.intp)


#: Integrity policy: the legal basic norms of Ambtenarenwet art. 125quater weigh 2
#: (code of conduct, oath, vulnerable functions, side jobs, financial interests, reporting
#: procedure), the support that makes them work 1.5 (confidential adviser, registration of
#: violations), and recommended practice 1.
INTEGRITY_SCHEME = MaturityScheme(
    "integrity",
    {
        Measure.CODE_OF_CONDUCT: 2,
        Measure.OATH: 2,
        Measure.VULNERABLE_FUNCTIONS: 2,
        Measure.SIDE_JOBS_REGISTER: 2,
        Measure.FINANCIAL_INTERESTS: 2,
        Measure.REPORTING_PROCEDURE: 2,
        Measure.CONFIDENTIAL_ADVISER: 1.5,
        Measure.VIOLATION_REGISTRATION: 1.5,
        Measure.INTEGRITY_POLICY: 1,
        Measure.RISK_ANALYSIS: 1,
        Measure.FUNCTION_SEPARATION: 1,
        Measure.CERTIFICATE_OF_CONDUCT: 1,
        Measure.INTEGRITY_TRAINING: 1,
    },
)

#: Aggression policy (Veilige Publieke Taak): the employer's core duties towards a victim
#: weigh 2 (norm set and communicated, always register, police report in serious cases,
#: aftercare), the rest 1.
AGGRESSION_SCHEME = MaturityScheme(
    "aggression",
    {
        Measure.NORM_COMMUNICATED: 2,
        Measure.INCIDENT_REGISTRATION: 2,
        Measure.EMPLOYER_POLICE_REPORT: 2,
        Measure.AFTERCARE: 2,
        Measure.AGGRESSION_POLICY: 1,
        Measure.AGGRESSION_TRAINING: 1,
        Measure.DAMAGE_RECOVERY: 1,
    },
)

DEFAULT_SCHEME = INTEGRITY_SCHEME

assert all(m.area is Area.INTEGRITY for m in INTEGRITY_SCHEME.items)
assert all(m.area is Area.AGGRESSION for m in AGGRESSION_SCHEME.items)


def maturity_scores(
    data: MonitorData, scheme: MaturityScheme = DEFAULT_SCHEME
) -> NDArray[np.float64]:
    """Return the maturity score of every organisation in the data, from 0 to 100.

    An organisation that left an item of the scheme unanswered has no score (NaN).

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Organisation, maturity_scores, AGGRESSION_SCHEME
    >>> data = MonitorData.from_records([], organisations=[
    ...     Organisation("a", 2016, "gemeente", employees=300, measures={"nazorg"}),
    ...     Organisation("b", 2016, "gemeente", employees=300)])
    >>> maturity_scores(data, AGGRESSION_SCHEME).round(2).tolist()
    [18.18, nan]
    """
    return scheme.score(data.organisations["measures"])


def policy_maturity(
    data: MonitorData,
    *,
    scheme: MaturityScheme = DEFAULT_SCHEME,
    by: By = None,
    wave: int | None = None,
) -> Estimate | EstimateTable:
    r"""Estimate the mean maturity score of organisations, with a design-based interval.

    Parameters
    ----------
    data : MonitorData
        The monitor data with its organisation survey.
    scheme : MaturityScheme, default DEFAULT_SCHEME
        The score: :data:`~vpt_monitor.INTEGRITY_SCHEME` by default, or
        :data:`~vpt_monitor.AGGRESSION_SCHEME`.
    by : str or tuple of str, optional
        ``"wave"``, ``"layer"`` or both; on data with several waves ``"wave"`` or ``wave``.
    wave : int, optional
        Estimate for this wave only.

    Returns
    -------
    Estimate or EstimateTable
        The mean score; ``notes["levels"]`` maps each level name to the share of
        organisations at that level (an Estimate or EstimateTable of proportions), and
        ``notes["missing"]`` counts organisations without a score.

    Raises
    ------
    NotMeasuredError
        If no organisation answered every item of the scheme.

    Notes
    -----
    The mean :math:`\sum_{o \in d} w_o S_o / \sum_{o \in d} w_o` on the organisation design
    over the organisations that answered every item of the scheme, with the
    finite-population correction of each stratum in each wave: with most of the 12
    provinces answering, most of the uncertainty is gone. The Student-t interval is clipped
    to the score's range, 0 to 100.

    References
    ----------
    .. [1] Nardo, M. et al. (2008). *Handbook on Constructing Composite Indicators*. OECD/JRC.
    .. [2] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Organisation, policy_maturity, AGGRESSION_SCHEME
    >>> orgs = [Organisation(f"g{i}", 2016, "gemeente", employees=400, fpc=390,
    ...                      measures={"nazorg", "norm-gecommuniceerd"} if i % 2 else {"nazorg"})
    ...         for i in range(10)]
    >>> result = policy_maturity(MonitorData.from_records([], organisations=orgs),
    ...                          scheme=AGGRESSION_SCHEME)
    >>> round(result.estimate, 2)
    27.27
    >>> round(result.notes["levels"]["initial"].estimate, 2)
    1.0
    """
    scores = maturity_scores(data, scheme)
    answered = np.isfinite(scores)
    if not answered.any():
        raise NotMeasuredError(
            f"the {scheme.name} maturity score needs every item of the scheme "
            f"({', '.join(m.value for m in scheme.items)}); no organisation answered them all"
        )
    filled = np.where(answered, scores, 0.0)
    level = scheme.level(filled)
    levels: dict[str, Estimate | EstimateTable] = {
        name: _estimate(
            proportion, data, [level == k], by, answered=answered, wave=wave, organisations=True
        )
        for k, name in enumerate(scheme.level_names)
    }
    return _estimate(
        mean,
        data,
        [filled],
        by,
        answered=answered,
        wave=wave,
        organisations=True,
        notes={"scheme": scheme.name, "levels": levels},
        bounds=(0.0, 100.0),
    )


def cronbach_alpha(
    data: MonitorData,
    scheme: MaturityScheme = DEFAULT_SCHEME,
    *,
    weighted: bool = True,
    wave: int | None = None,
) -> float:
    r"""Cronbach's alpha of the scheme's items over the organisations.

    Notes
    -----
    :math:`\alpha = \frac{K}{K - 1}\left(1 - \frac{\sum_k s_k^2}{s_T^2}\right)` with item
    variances :math:`s_k^2` and the variance :math:`s_T^2` of the unweighted item sum,
    computed with the weights of ``data.organisation_design`` (``weighted=True``) or
    without, over the organisations of one wave (``wave``, required when the data hold
    several) that answered every item. Values above about 0.7
    are read as items measuring one underlying policy effort (Cronbach 1951); low values warn
    that a single score hides distinct dimensions.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
       *Psychometrika* 16, 297-334.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Organisation, cronbach_alpha, MaturityScheme
    >>> scheme = MaturityScheme("two", {"nazorg": 1, "training-agressie": 1})
    >>> orgs = [Organisation(str(i), 2016, "rijk", employees=10,
    ...                      measures={"nazorg", "training-agressie"} if i < 3 else set())
    ...         for i in range(6)]
    >>> cronbach_alpha(MonitorData.from_records([], organisations=orgs), scheme)
    1.0
    """
    items = scheme.item_matrix(data.organisations["measures"])
    k = items.shape[1]
    if k < 2:
        raise ValueError("Cronbach's alpha needs a scheme with at least two items")
    rows = wave_rows(Unit(data, organisations=True), (), wave)
    keep = np.isfinite(items).all(axis=1) & (True if rows is None else rows)
    if keep.sum() < 2:
        raise NotMeasuredError("Cronbach's alpha needs two organisations that answered every item")
    items = items[keep]
    w = data.organisations["weight"][keep] if weighted else np.ones(items.shape[0])
    w = w / w.sum()

    def variance(x: NDArray[np.float64]) -> NDArray[np.float64]:
        centre = w @ x
        result: NDArray[np.float64] = w @ (x - centre) ** 2
        return result

    total = variance(items.sum(axis=1))
    return float(k / (k - 1) * (1 - variance(items).sum() / total))


def _domain_index(domains: tuple[Hashable, ...], by: tuple[str, ...]) -> Any:
    """Return a pandas index of domains by their codes, one level per domain variable."""
    import pandas as pd

    def code(value: Any) -> Any:
        return getattr(value, "value", value)

    rows = [d for d in domains if isinstance(d, tuple)]
    if len(by) > 1 and len(rows) == len(domains):
        return pd.MultiIndex.from_tuples(
            [tuple(code(v) for v in row) for row in rows], names=list(by)
        )
    return pd.Index([str(code(d)) for d in domains], name=by[0] if by else "domain")


@attrs.frozen(eq=False, repr=False)
class SensitivityResult:
    """Uncertainty and sensitivity of a maturity score across domains (layers).

    Attributes
    ----------
    domains : tuple
        The domains compared (layers, or layers by wave).
    nominal : numpy.ndarray
        Mean score per domain with the scheme's weights.
    scores : numpy.ndarray
        ``draws x domains``: mean scores with perturbed weights and a draw of the sampling
        error.
    ranks : numpy.ndarray
        ``draws x domains``: rank of each domain in each draw (1 = highest score).
    weights_only, sampling_only : numpy.ndarray
        Standard deviation of the scores per domain from the weights alone and from
        sampling alone.
    drop_one : numpy.ndarray
        ``items x domains``: mean score with one item left out.
    items : tuple of Measure
        The items, in the order of ``drop_one``.
    by : tuple of str
        The domain variables (``("layer",)``); they name the index of :meth:`to_pandas`.

    Examples
    --------
    >>> from vpt_monitor import AGGRESSION_SCHEME, maturity_sensitivity
    >>> from vpt_monitor.synth import simulate
    >>> result = maturity_sensitivity(simulate(waves=(2016,)), AGGRESSION_SCHEME, draws=100)
    >>> result.rank_probabilities().shape, result.drop_one.shape
    ((4, 4), (7, 4))
    >>> result
    SensitivityResult(100 draws, 4 domains, 7 items)
      domain           score      90% range    sd weights    sd sampling   median rank  P(rank 1)
      state             70.1      62.7–77.0          2.42           3.96             4         7%
      province          76.0      70.0–81.5          2.93           2.06             1        73%
      municipality      72.2      67.7–76.2          2.20           0.81             3         1%
      water board       72.7      65.4–79.8          3.42           2.80             2        19%
      item whose removal moves the score most:
        state: employer reports serious cases to the police (+3.9)
        province: aftercare for victims (-3.3)
        municipality: damages recovered from offenders (+3.2)
        water board: incidents always registered (+5.7)
    """

    domains: tuple[Hashable, ...]
    nominal: NDArray[np.float64]
    scores: NDArray[np.float64]
    ranks: NDArray[np.int64]
    weights_only: NDArray[np.float64]
    sampling_only: NDArray[np.float64]
    drop_one: NDArray[np.float64]
    items: tuple[Measure, ...]
    by: tuple[str, ...] = ("layer",)

    def interval(self, level: float = 0.90) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Central ``level`` range of the scores per domain."""
        alpha = (1 - level) / 2
        low, high = np.quantile(self.scores, [alpha, 1 - alpha], axis=0)
        return low, high

    def rank_probabilities(self) -> NDArray[np.float64]:
        """``domains x ranks``: how often each domain takes each rank."""
        d = len(self.domains)
        counts = np.stack([np.bincount(self.ranks[:, j] - 1, minlength=d) for j in range(d)])
        result: NDArray[np.float64] = counts / self.ranks.shape[0]
        return result

    def to_pandas(self, level: float = 0.90) -> Any:
        """Summary per domain as a :class:`pandas.DataFrame` (needs pandas)."""
        import pandas as pd

        low, high = self.interval(level)
        probabilities = self.rank_probabilities()
        frame = pd.DataFrame(
            {
                "nominal": self.nominal,
                "low": low,
                "high": high,
                "sd_weights": self.weights_only,
                "sd_sampling": self.sampling_only,
                "median_rank": np.median(self.ranks, axis=0),
                "p_rank_1": probabilities[:, 0],
            },
            index=_domain_index(self.domains, self.by),
        )
        return frame

    def to_string(self, language: str | None = None, level: float = 0.90) -> str:
        """Return a readable summary per domain, in ``language`` ("en" or "nl").

        Per domain: the nominal mean score, the central ``level`` range of the scores over
        the draws, the spread from the weights and from sampling, the median rank and the
        chance of ranking first; then the item whose removal moves each domain's score most.
        """
        chosen = _format.check_language(language)
        nl = chosen == "nl"
        low, high = self.interval(level)
        first = self.rank_probabilities()[:, 0]
        names = [_format.label(d, chosen) for d in self.domains]
        width = min(max([len(_format.variable("domain", chosen)), *map(len, names)]) + 2, 34)
        titles = (
            ("bereik", "sd gewichten", "sd steekproef", "mediane rang", "P(rang 1)")
            if nl
            else ("range", "sd weights", "sd sampling", "median rank", "P(rank 1)")
        )
        shown = _print.level(level, "," if nl else ".")
        range_title = shown + ("-" if nl else " ") + titles[0]  # "90%-bereik"
        lines = [
            f"SensitivityResult({self.scores.shape[0]} {'trekkingen' if nl else 'draws'}, "
            f"{len(self.domains)} {_format.domains_word(len(self.domains), nl)}, "
            f"{len(self.items)} items)",
            f"  {_format.variable('domain', chosen):<{width}}{'score':>8}"
            f"{range_title:>15}{titles[1]:>14}{titles[2]:>15}{titles[3]:>14}"
            f"{titles[4]:>11}",
        ]
        for j, name in enumerate(names):
            lines.append(
                f"  {name[: width - 1]:<{width}}"
                f"{_format.number(self.nominal[j], chosen, digits=1):>8}"
                f"{_format.interval(low[j], high[j], chosen, scale=1.0):>15}"
                f"{_format.number(self.weights_only[j], chosen, digits=2):>14}"
                f"{_format.number(self.sampling_only[j], chosen, digits=2):>15}"
                f"{_format.number(np.median(self.ranks[:, j]), chosen, digits=None):>14}"
                f"{_format.percent(first[j], chosen, digits=0):>11}"
            )
        if len(self.items):
            shift = self.drop_one - self.nominal[None, :]
            lines.append(
                "  "
                + (
                    "item dat de score het meest verschuift als het wegvalt:"
                    if nl
                    else "item whose removal moves the score most:"
                )
            )
            for j, name in enumerate(names):
                column = np.nan_to_num(np.abs(shift[:, j]), nan=-1.0)
                k = int(np.argmax(column))
                lines.append(
                    f"    {name}: {_format.label(self.items[k], chosen)} "
                    f"({_format.signed(shift[k, j], chosen, digits=1)})"
                )
        return "\n".join(lines)

    def _repr_html_(self) -> str | None:
        """Show the summary in a notebook: its title line, the domains' labels, the frame."""
        labels = [_format.label(domain) for domain in self.domains]
        return _print.notebook(self, self.to_pandas, labels=(_format.variable("label"), labels))

    def __repr__(self) -> str:
        return self.to_string()


def maturity_sensitivity(
    data: MonitorData,
    scheme: MaturityScheme = DEFAULT_SCHEME,
    *,
    by: By = "layer",
    wave: int | None = None,
    draws: int = 1000,
    spread: float = 0.5,
    seed: int | None = 0,
) -> SensitivityResult:
    r"""Uncertainty and sensitivity analysis of a maturity score, with sampling variance.

    Parameters
    ----------
    data : MonitorData
        The monitor data with its organisation survey.
    scheme : MaturityScheme, default DEFAULT_SCHEME
        The score to analyse.
    by : str or tuple of str, default "layer"
        Domains to compare.
    wave : int, optional
        Compare within this wave (required unless ``by`` has ``"wave"`` or the data hold
        one wave).
    draws : int, default 1000
        Monte Carlo draws.
    spread : float, default 0.5
        Standard deviation of the log of each weight's multiplicative perturbation.
    seed : int, optional
        Seed of the draws.

    Returns
    -------
    SensitivityResult

    Notes
    -----
    A domain's mean score is linear in the items,
    :math:`\bar S_d(w) = 100 \sum_k w_k \bar x_{dk} / \sum_k w_k`, so its Taylor-linearised
    PSU deviations are the same weighted combination of the items' deviations
    :math:`F_k` (PSUs x domains), which this function computes once. Each draw takes weights
    :math:`w_k e^{\sigma z_k}`, the mean scores with those weights, and adds a sampling error
    :math:`F(w)^\top u` with :math:`u \sim N(0, I)`, whose covariance :math:`F(w)^\top F(w)` is
    exactly the design-based covariance of the domain means, finite-population correction
    included. Ranks, their probabilities and the spread of the scores combine both sources;
    ``weights_only`` and ``sampling_only`` separate them; ``drop_one`` shows each item's
    influence (Saisana, Saltelli and Tarantola 2005).

    References
    ----------
    .. [1] Nardo, M. et al. (2008). *Handbook on Constructing Composite Indicators*. OECD/JRC.
    .. [2] Saisana, M., Saltelli, A. and Tarantola, S. (2005). Uncertainty and sensitivity
       analysis techniques as tools for the quality assessment of composite indicators.
       *Journal of the Royal Statistical Society A* 168, 307-323.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, Organisation, maturity_sensitivity
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> from vpt_monitor.vocab import Measure
    >>> items = [m for m in Measure if m.area.value == "agressie-geweld"]
    >>> orgs = [Organisation(f"{layer}{i}", 2016, layer, employees=100, stratum=layer, fpc=fpc,
    ...                      measures={m for m in items if rng.random() < p})
    ...         for layer, fpc, p in (("gemeente", 390, 0.7), ("provincie", 12, 0.5))
    ...         for i in range(10)]
    >>> from vpt_monitor import AGGRESSION_SCHEME
    >>> result = maturity_sensitivity(MonitorData.from_records([], organisations=orgs),
    ...                               AGGRESSION_SCHEME, draws=200)
    >>> result.scores.shape
    (200, 4)
    >>> bool(result.rank_probabilities()[2, 0] > 0.5)   # municipalities most often first
    True
    """
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 2:
        raise ValueError(f"'draws' must be a whole number >= 2; got {draws!r}")
    if not (math.isfinite(spread) and spread >= 0):
        raise ValueError(f"'spread' must be a number >= 0; got {spread!r}")
    items = scheme.item_matrix(data.organisations["measures"])
    answered = np.asarray(np.isfinite(items).all(axis=1))
    if not answered.any():
        raise NotMeasuredError(f"no organisation answered every item of the {scheme.name} scheme")
    items = np.nan_to_num(items)
    tables = [
        _estimate(mean, data, [items[:, k]], by, answered=answered, wave=wave, organisations=True)
        for k in range(items.shape[1])
    ]
    if not all(isinstance(t, EstimateTable) for t in tables):
        raise ValueError("'by' must name at least one domain to compare")
    first = tables[0]
    assert isinstance(first, EstimateTable)
    item_means = np.stack([t.estimate for t in tables])  # items x domains
    factors = []
    for t in tables:
        assert isinstance(t, EstimateTable)
        if t.covariance_factor is None:
            raise ValueError("the sensitivity analysis needs a Taylor design with dense cells")
        factors.append(np.nan_to_num(t.covariance_factor))
    factor = np.stack(factors)  # items x psus x domains
    base = np.array(list(scheme.weights.values()))
    rng = np.random.default_rng(seed)
    weights = base[None, :] * np.exp(spread * rng.standard_normal((draws, base.size)))
    share = weights / weights.sum(axis=1, keepdims=True)  # draws x items
    nominal = 100 * base @ item_means / base.sum()
    perturbed = 100 * share @ item_means  # draws x domains
    noise = rng.standard_normal((draws, factor.shape[1]))  # draws x psus
    combined = 100 * np.einsum("ri,ipd,rp->rd", share, factor, noise)
    sampling = 100 * np.einsum("i,ipd,rp->rd", base / base.sum(), factor, noise)
    scores = perturbed + combined
    ranks = np.argsort(np.argsort(-np.nan_to_num(scores, nan=-np.inf), axis=1), axis=1) + 1
    k = base.size
    drop = np.empty((k, item_means.shape[1]))
    for j in range(k):  # one small vector product per item of the scheme
        keep = np.arange(k) != j
        drop[j] = 100 * base[keep] @ item_means[keep] / base[keep].sum()
    return SensitivityResult(
        domains=first.domains,
        nominal=nominal,
        scores=scores,
        ranks=ranks.astype(np.int64),
        weights_only=perturbed.std(axis=0),
        sampling_only=sampling.std(axis=0),
        drop_one=drop,
        items=scheme.items,
        by=(by,) if isinstance(by, str) else tuple(by or ()),
    )
