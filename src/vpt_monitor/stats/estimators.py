r"""Design-based estimators: mean, total, ratio, proportion and contrasts of domains.

Every estimator takes ``(y, design)`` and a ``by=`` for domains - arrays, or the names of
columns of the frame a design was made from
(:meth:`~vpt_monitor.stats.SurveyDesign.from_frame`) - and returns an
:class:`~vpt_monitor.stats.Estimate` (no ``by``) or an
:class:`~vpt_monitor.stats.EstimateTable` (with ``by``). Domains are estimated on the full
design: rows outside a domain count with weight zero, they are never dropped, so the
variance reflects the whole sample as in R ``survey``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats import _design_ci, _linear
from vpt_monitor.stats._inputs import By, Columns, check_na, domains, responses
from vpt_monitor.stats._linear import Denominator, Request
from vpt_monitor.stats._validation import check_choice, check_level
from vpt_monitor.stats.contrasts import contrast
from vpt_monitor.stats.design import ReplicateDesign, SurveyDesign
from vpt_monitor.stats.results import Estimate, EstimateTable

__all__ = ["contrast", "mean", "proportion", "ratio", "total"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
AnyDesign = SurveyDesign | ReplicateDesign


# ---- resolving a call -----------------------------------------------------------------


def _check_design(design: object) -> AnyDesign:
    if not isinstance(design, SurveyDesign | ReplicateDesign):
        raise TypeError(
            f"'design' must be a SurveyDesign or ReplicateDesign; got {type(design).__name__}"
        )
    return design


def _run(
    kind: str,
    design: object,
    y: object,
    by: By,
    na: str,
    *,
    denominator: object = None,
    method: str | None = None,
    level: float = 0.95,
) -> Estimate | EstimateTable:
    """Resolve the variables and domains of one estimator call and estimate."""
    checked = _check_design(design)
    check_na(na)
    binary = kind == "proportion"
    role = "numerator" if kind == "ratio" else "y"
    values, missing, names, multiple = responses(role, y, checked, na, binary=binary)
    x: FloatArray | None = None
    shared = True
    if kind == "ratio":
        x, absent, x_names, x_multiple = responses("denominator", denominator, checked, na)
        if x.shape[1] > 1:
            if x.shape[1] != values.shape[1]:
                raise ValueError(
                    f"'denominator' has {x.shape[1]} variables but 'numerator' has "
                    f"{values.shape[1]}; give one denominator, or one per numerator"
                )
            shared = False
            names = tuple(f"{a}/{b}" for a, b in zip(names, x_names, strict=True))
        multiple = multiple or x_multiple
        if absent is not None:
            missing = absent if missing is None else missing | absent
    denominators = {
        "total": Denominator.NONE,
        "ratio": Denominator.VALUES,
    }
    request = Request(
        kind=kind,
        denominator=denominators.get(kind, Denominator.WEIGHTS),
        y=values,
        x=x,
        labels=names,
        multiple=multiple,
        shared_x=shared,
    )
    coded = domains(by, checked, na, missing)
    return _linear.estimate(request, checked, coded, by is not None, method, level)


# ---- public estimators ---------------------------------------------------------------


def mean(
    y: Columns, design: AnyDesign, *, by: By = None, na: str = "fail"
) -> Estimate | EstimateTable:
    r"""Weighted mean of ``y`` with its Taylor-linearised standard error.

    Parameters
    ----------
    y : array_like of float, or str
        Analysis variable, one finite value per row of ``design``, or the name of a
        numeric (or boolean) column of the design's frame (see
        :meth:`SurveyDesign.from_frame`).
    design : SurveyDesign or ReplicateDesign
        The sample design.
    by : array_like, str or tuple of them, optional
        Domains: labels, one per row, or the name of a column of the design's frame; a
        tuple crosses several (labels become tuples). The table names its domain variables
        after the columns (or a Series' name). Labels may mix numbers and text (numbers
        sort first, see :class:`SurveyDesign`); a pandas ``Categorical`` or polars ``Enum``
        keeps the order of its categories. A missing label is refused, naming the row,
        unless ``na="domain"``.
    na : {"fail", "domain"}, default "fail"
        Missing values (NaN, None, ``pandas.NA``, polars nulls) in ``y`` or ``by``:
        refused with the column, their count and the first row (``"fail"``), or left out
        of the estimate as R's ``na.rm=TRUE`` does: the rows stay in the design with weight
        zero, as a domain, so the variance still sees every PSU (``"domain"``). The result's
        ``notes`` then count them (``"missing"``, and ``"missing_by_domain"`` per domain);
        a domain left with no value is flagged ``"not_measured"``.

    Returns
    -------
    Estimate or EstimateTable
        An :class:`Estimate` without ``by``, an :class:`EstimateTable` with it.

    Notes
    -----
    In domain :math:`d` the estimate is :math:`\hat{\bar y}_d = \sum_{i \in d} w_i y_i /
    \sum_{i \in d} w_i` and its linearised values are
    :math:`z_i = w_i (y_i - \hat{\bar y}_d) / \hat W_d` for rows in the domain and 0 outside;
    their variance is computed on the full design (see :class:`SurveyDesign`). This is R
    ``survey``'s ``svymean`` and ``svyby(~y, ~g, design, svymean)``.

    References
    ----------
    .. [1] Särndal, C.-E., Swensson, B. and Wretman, J. (1992). *Model Assisted Survey
       Sampling*, section 10.3. Springer.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, mean
    >>> design = SurveyDesign(weights=[2.0, 2.0, 1.0, 1.0], strata=[1, 1, 2, 2])
    >>> est = mean([1.0, 3.0, 5.0, 7.0], design)
    >>> round(est.estimate, 4), round(est.standard_error, 4)
    (3.3333, 0.7454)

    From a data frame, by column name, with the domain named after its column:

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"w": [2.0, 2.0, 1.0, 1.0], "h": [1, 1, 2, 2],
    ...                       "y": [1.0, 3.0, 5.0, None], "sex": ["v", "m", "v", "m"]})
    >>> framed = SurveyDesign.from_frame(frame, weights="w", strata="h")
    >>> table = mean("y", framed, by="sex", na="domain")
    >>> table.by, table.domains, table.notes["missing_by_domain"]
    (('sex',), ('m', 'v'), {'m': 1})
    """
    return _run("mean", design, y, by, na)


def total(
    y: Columns, design: AnyDesign, *, by: By = None, na: str = "fail"
) -> Estimate | EstimateTable:
    r"""Weighted (population) total of ``y`` with its standard error.

    Parameters
    ----------
    y : array_like of float, or str
        Analysis variable, one finite value per row, or the name of a column of the
        design's frame.
    design : SurveyDesign or ReplicateDesign
        The sample design.
    by : array_like, str or tuple of them, optional
        Domains, as in :func:`mean`.
    na : {"fail", "domain"}, default "fail"
        Missing values, as in :func:`mean` (R's ``svytotal(..., na.rm=TRUE)``).

    Returns
    -------
    Estimate or EstimateTable

    Notes
    -----
    :math:`\hat Y_d = \sum_{i \in d} w_i y_i`, linearised values :math:`z_i = w_i y_i` in the
    domain (R's ``svytotal``).

    References
    ----------
    .. [1] Horvitz, D. G. and Thompson, D. J. (1952). A generalization of sampling without
       replacement from a finite universe. *Journal of the American Statistical Association*
       47, 663-685.
    .. [2] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, total
    >>> design = SurveyDesign(weights=[10.0, 10.0, 20.0, 20.0])
    >>> total([1, 0, 1, 1], design).estimate
    50.0
    """
    return _run("total", design, y, by, na)


def ratio(
    numerator: Columns,
    denominator: Columns,
    design: AnyDesign,
    *,
    by: By = None,
    na: str = "fail",
) -> Estimate | EstimateTable:
    r"""Ratio of two weighted totals, such as incidents per respondent or per victim.

    Parameters
    ----------
    numerator, denominator : array_like of float, or str
        One value of each per row, or names of columns of the design's frame.
    design : SurveyDesign or ReplicateDesign
        The sample design.
    by : array_like, str or tuple of them, optional
        Domains, as in :func:`mean`.
    na : {"fail", "domain"}, default "fail"
        Missing values, as in :func:`mean`; with ``"domain"`` a row missing either value
        is left out (R's ``svyratio(..., na.rm=TRUE)``).

    Returns
    -------
    Estimate or EstimateTable
        A domain whose denominator total is 0 has a NaN estimate and standard error (never
        an infinite one) and is flagged ``"zero_denominator"``.

    Notes
    -----
    :math:`\hat R_d = \sum_{i \in d} w_i y_i / \sum_{i \in d} w_i x_i` with linearised values
    :math:`z_i = w_i (y_i - \hat R_d x_i) / \hat X_d` (R's ``svyratio``). Because the
    variance is computed between PSUs, several incidents of one person are not treated as
    independent when a person is the unit of ``numerator`` and ``denominator``.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley. Chapter 6: the
       ratio estimator and its linearised variance.
    .. [2] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, ratio
    >>> design = SurveyDesign(weights=[1.0, 1.0, 2.0])
    >>> round(ratio([3, 0, 1], [2, 1, 1], design).estimate, 4)
    1.0
    """
    return _run("ratio", design, numerator, by, na, denominator=denominator)


def proportion(
    y: Columns,
    design: AnyDesign,
    *,
    by: By = None,
    method: str = "logit",
    level: float = 0.95,
    na: str = "fail",
) -> Estimate | EstimateTable:
    r"""Share of rows with ``y == 1``, with intervals as R ``survey``'s ``svyciprop``.

    Parameters
    ----------
    y : array_like of {0, 1} or bool, or str
        Indicator, one per row, or the name of a boolean or 0/1 column of the design's
        frame.
    design : SurveyDesign or ReplicateDesign
        The sample design.
    by : array_like, str or tuple of them, optional
        Domains, as in :func:`mean`.
    method : str, default "logit"
        Default interval method of the result: ``"logit"``, ``"xlogit"`` (the same on a
        Taylor design; on a replicate design ``"logit"`` takes the replicates' spread of
        the log-odds and ``"xlogit"`` the delta method on the share, as R),
        ``"likelihood"`` (design-scaled likelihood ratio), ``"asin"``, ``"beta"``
        (Korn-Graubard), ``"mean"``, ``"wilson"`` or ``"clopper_pearson"`` (these two on
        the effective sample size).
    level : float, default 0.95
        Default confidence level of the result; any other can be asked of it later.
    na : {"fail", "domain"}, default "fail"
        Missing values, as in :func:`mean`.

    Returns
    -------
    Estimate or EstimateTable

    Notes
    -----
    The estimate and its standard error are those of :func:`mean` of the indicator. With
    :math:`t` the :math:`1 - \alpha/2` quantile of Student's t on the domain's degrees of
    freedom, the logit interval is
    :math:`\operatorname{expit}(\operatorname{logit}\hat p \pm t\,
    \mathrm{se}/(\hat p(1 - \hat p)))` on a Taylor design (and ``"xlogit"`` always); on a
    replicate design ``"logit"`` uses instead the replicate standard error of
    :math:`\operatorname{logit}\hat p_r` over the replicates :math:`r` (R's ``svyciprop``
    ``"logit"``, through ``svyglm``); ``"asin"`` transforms by
    :math:`\arcsin\sqrt p`; ``"beta"`` is the Clopper-Pearson interval on the effective sample
    size :math:`n^* = \hat p(1 - \hat p)/\mathrm{se}^2` scaled by
    :math:`(t_{n - 1}/t_{df})^2` (Korn and Graubard 1998); ``"wilson"`` and
    ``"clopper_pearson"`` apply those formulas to :math:`n^*` (with :math:`t` for the normal
    quantile in Wilson's). ``"likelihood"`` keeps the :math:`p` with
    :math:`2\,\mathrm{KL}(\hat p \,\|\, p) \le t^2 \mathrm{se}^2 n / ((n - 1)\hat p(1 - \hat p))`,
    the exact form of R's profile of the quasi-binomial deviance of ``svyglm(y ~ 1)`` (R
    interpolates a spline through a few profile points; the two agree to about 1e-5).

    At :math:`\hat p = 0` or :math:`1` the standard error is 0 and none of these exist. The
    result is then flagged ``"boundary"`` and its interval is the one-sided exact bound on
    Kish's effective sample size :math:`n_K`: :math:`[0, 1 - \alpha^{1/n_K}]` at 0 (and the
    mirror at 1), a statement of how large the share could plausibly be in a cell where no
    one reported it.

    References
    ----------
    .. [1] Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for proportions with
       small expected number of positive counts estimated from survey data. *Survey
       Methodology* 24, 193-201.
    .. [2] Lumley, T. (2010). *Complex Surveys*, section 2.3.1. Wiley.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, proportion
    >>> design = SurveyDesign(weights=[1, 1, 2, 2, 1, 3], strata=[1, 1, 1, 2, 2, 2])
    >>> est = proportion([1, 0, 0, 1, 1, 0], design)
    >>> round(est.estimate, 4)
    0.4
    >>> ci = est.confidence_interval(method="beta")
    >>> print(f"{ci.low:.3f} {ci.high:.3f}")
    0.023 0.918
    """
    method = check_choice("method", method, _design_ci.PROPORTION_METHODS)
    check_level(level)
    return _run("proportion", design, y, by, na, method=method, level=level)
