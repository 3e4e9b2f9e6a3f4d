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
from scipy import sparse

from vpt_monitor.stats import _design_ci, _taylor
from vpt_monitor.stats._incidence import DomainPSUs
from vpt_monitor.stats._inputs import By, Column, Domains, check_na, domains, response
from vpt_monitor.stats._validation import check_choice, check_level
from vpt_monitor.stats.calibration import adjust_totals
from vpt_monitor.stats.contrasts import contrast
from vpt_monitor.stats.design import ReplicateDesign, SurveyDesign
from vpt_monitor.stats.results import FLAGS, Estimate, EstimateTable

__all__ = ["contrast", "mean", "proportion", "ratio", "total"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
AnyDesign = SurveyDesign | ReplicateDesign


# ---- the engine -----------------------------------------------------------------------


def _point(
    kind: str, weight_sum: FloatArray, y_sum: FloatArray, x_sum: FloatArray | None
) -> FloatArray:
    """Estimate from domain sums (works on arrays of any shape, e.g. replicates x domains).

    A mean over no weight and a ratio over a zero denominator are NaN (never infinite).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind in ("mean", "proportion"):
            return y_sum / weight_sum
        if kind == "total":
            return np.asarray(y_sum, dtype=np.float64)
        assert x_sum is not None
        return np.where(x_sum != 0, y_sum / x_sum, np.nan)


def _spread(design: ReplicateDesign, theta: FloatArray, estimate: FloatArray) -> FloatArray:
    """Scaled replicate deviations ``F`` (replicates x domains) with ``cov = F.T @ F``."""
    centre = estimate if design.mse else theta[design.rscales > 0].mean(axis=0)
    factor: FloatArray = (theta - centre) * np.sqrt(design.scale * design.rscales)[:, None]
    return factor


def _replicates(
    design: ReplicateDesign, table: _taylor.Cells, kind: str, sums: list[FloatArray]
) -> FloatArray:
    """Replicate estimates (replicates x domains) from the cell sums."""
    multipliers = design.multipliers
    if table.dense:
        reps = [multipliers.T @ s for s in sums]
    else:
        shape = (table.n_psu, table.n_domains)
        reps = [
            (sparse.csr_array((s, (table.psu, table.domain)), shape=shape).T @ multipliers).T
            for s in sums
        ]
    return _point(kind, reps[0], reps[1], reps[2] if len(reps) > 2 else None)


#: A variance at most this fraction of the with-replacement reference variance is zero.
ZERO_VARIANCE = 1e-20


def _zero_variance_causes(
    design: SurveyDesign | ReplicateDesign, psus: DomainPSUs, flagged: IntArray
) -> list[str]:
    """Say why each domain at ``flagged`` has no variance (read from the PSUs it touches)."""
    base = design.base if isinstance(design, ReplicateDesign) else design
    per_stratum = np.bincount(base.psu_stratum, minlength=base.n_strata)
    silent = base.psu_scale == 0  # strata sampled completely, or lonely without "adjust"
    lonely = silent & (per_stratum[base.psu_stratum] == 1)
    touched = psus.counts(flagged)
    all_silent = psus.counts(flagged, silent) == touched
    some_lonely = psus.counts(flagged, lonely) > 0
    otherwise = (
        "it is fixed by the calibration of the weights"
        if base.calibrated
        else "every replicate gives the same estimate"
        if isinstance(design, ReplicateDesign)
        else "its PSU totals do not vary within strata"
    )
    census = "all its PSUs lie in strata sampled completely (fpc equal to the PSUs sampled)"
    mixed = (
        "all its PSUs lie in strata sampled completely or in single-PSU strata that add no "
        f"variance (lonely_psu={base.lonely_psu!r})"
    )
    causes = np.select(
        [touched == 1, all_silent & ~some_lonely, all_silent],
        ["all its rows lie in one PSU", census, mixed],
        otherwise,
    )
    return [str(cause) for cause in causes]


def _estimate(
    kind: str,
    design: SurveyDesign | ReplicateDesign,
    y: FloatArray,
    x: FloatArray | None,
    coded: Domains,
    by_given: bool,
    method: str | None = None,
    level: float = 0.95,
) -> Estimate | EstimateTable:
    """Estimate ``kind`` in every domain of ``coded``.

    Rows left out (outside a subset, or missing) form one more domain after the last, which
    is estimated with the others and dropped from the result: the others are then exactly
    domains of the full design.
    """
    base = design.base if isinstance(design, ReplicateDesign) else design
    replicated = isinstance(design, ReplicateDesign)
    codes, labels, names = coded.codes, coded.labels, coded.names
    d = coded.total  # the domains, and the left-out rows when there are any
    kept = coded.size
    w = base._weights  # the design's own (writeable) array: bincount does not copy it
    table = _taylor.cells(base, codes, d, dense=base.calibrated)
    spread = table.spread  # per-domain values lined up with the cells
    cell_w = table.sum(w)
    cell_wy = table.sum(w * y)
    cell_wx = table.sum(w * x) if x is not None else None
    count = table.domain_sum()
    weight_sum = table.by_domain(cell_w)
    y_sum = table.by_domain(cell_wy)
    x_sum = table.by_domain(cell_wx) if cell_wx is not None else None
    estimate = _point(kind, weight_sum, y_sum, x_sum)
    present = cell_w > 0  # weights are > 0: a cell is occupied when it has weight
    psus = DomainPSUs(
        psu_stratum=base.psu_stratum,
        columns=np.arange(kept, dtype=np.intp),
        present=present if table.dense else None,
        psu=None if table.dense else table.psu,
        column=None if table.dense else table.domain,
        fixed_df=float(design.df) if isinstance(design, ReplicateDesign) else None,
    )
    flag_array = np.zeros((d, len(FLAGS)), dtype=bool)
    detail = [""] * d

    factor: FloatArray | None
    cov: FloatArray | None
    logit_se: FloatArray | None = None
    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(design, ReplicateDesign):
            sums = [cell_w, cell_wy] + ([cell_wx] if cell_wx is not None else [])
            theta = _replicates(design, table, kind, sums)
            factor, cov = _spread(design, theta, estimate), None
            df = np.full(d, float(design.df))
            # a replicate without an estimate (it drops all the domain's PSUs, or its
            # denominator) leaves the domain without a replicate variance
            lost = ~np.isfinite(theta[design.rscales > 0]) & np.isfinite(estimate)
            if lost.any():
                gone = lost.any(axis=0)
                first_lost = np.flatnonzero(design.rscales > 0)[np.argmax(lost, axis=0)]
                lost_at = zip(np.flatnonzero(gone).tolist(), first_lost[gone].tolist(), strict=True)
                for j, r in lost_at:
                    detail[j] = (
                        f"replicate {r} has no estimate for it (it drops all its PSUs or its "
                        "denominator), so there is no replicate variance"
                    )
                flag_array[gone, FLAGS.index("no_df")] = True
                df = np.where(gone, 0.0, df)
            if kind == "proportion":
                logit_theta = np.log(theta / (1.0 - theta))
                logit_est = np.log(estimate / (1.0 - estimate))
                logit_factor = _spread(design, logit_theta, logit_est)
                logit_se = np.sqrt(np.einsum("ij,ij->j", logit_factor, logit_factor))
                # a replicate share of 0 or 1 has an infinite log-odds: no logit interval
                # beyond [0, 1]; at a share of 0 or 1 itself the boundary interval applies
                infinite = (np.isinf(logit_theta) & (design.rscales > 0)[:, None]).any(axis=0)
                logit_se = np.where(infinite, np.inf, logit_se)
                logit_se = np.where((estimate > 0) & (estimate < 1), logit_se, np.nan)
        else:
            # cell totals of the linearised values w_i u_i
            if kind in ("mean", "proportion"):
                totals = (cell_wy - spread(estimate) * cell_w) / spread(weight_sum)
            elif kind == "total":
                totals = cell_wy
            else:
                assert cell_wx is not None
                assert x_sum is not None
                totals = (cell_wy - spread(estimate) * cell_wx) / spread(x_sum)
            if base.calibrated:
                residual = _residual(kind, y, x, codes, estimate, weight_sum, x_sum)
                totals = adjust_totals(base, totals, residual, codes, d)
            factor, cov = _taylor.covariance(base, table, totals)
            if base.second_stage is not None:
                z = w * _residual(kind, y, x, codes, estimate, weight_sum, x_sum)
                first = factor.T @ factor if factor is not None else cov
                assert first is not None
                factor, cov = None, first + _taylor.second_stage_covariance(base, z, codes, d)
            df = _taylor.degrees_of_freedom(base, table, present)
        if factor is not None:
            variance = np.einsum("ij,ij->j", factor, factor)
        else:
            assert cov is not None
            variance = np.diag(cov)
        se = np.sqrt(np.maximum(variance, 0.0))

        # design effect against SRS without replacement of the same number of rows (R's
        # deff=TRUE): the domain's element variance times the SRS factor
        if kind == "proportion":  # sum of w (y - p)^2 for 0/1 values, without a pass
            spread_sum = y_sum * (1.0 - estimate) ** 2 + (weight_sum - y_sum) * estimate**2
        else:
            u = _residual(kind, y, x, codes, estimate, weight_sum, x_sum) if kind == "ratio" else y
            u_mean = table.domain_sum(w * u) / weight_sum
            deviation = u - u_mean[codes]
            spread_sum = table.domain_sum(w * deviation * deviation)
        if kind == "mean" or kind == "proportion":
            srs_factor = (weight_sum - count) / (weight_sum * count)
        else:
            srs_factor = weight_sum * (weight_sum - count) / count
        element_var = count / (count - 1.0) * spread_sum / weight_sum
        srs = element_var * srs_factor
        deff = np.where(srs > 0, variance / srs, np.nan)
        square_sum = table.domain_sum(w * w)
        n_kish = weight_sum**2 / square_sum

        # zero variance although the outcome varies: compare with the variance the same
        # values would have with every row its own PSU (with replacement, one stratum)
        if kind == "proportion":
            varies = (estimate > 0) & (estimate < 1)
            reference = element_var * square_sum / weight_sum**2
        elif kind == "mean":
            varies = spread_sum > ZERO_VARIANCE * (spread_sum + weight_sum * estimate**2)
            reference = element_var * square_sum / weight_sum**2
        elif kind == "total":
            second = (spread_sum + weight_sum * (y_sum / weight_sum) ** 2) / weight_sum
            varies = second > 0
            reference = second * square_sum
        else:
            assert x_sum is not None
            scale = table.domain_sum(w * y * y) / x_sum**2
            varies = spread_sum > ZERO_VARIANCE * scale
            reference = element_var * square_sum
        zero = (
            (count > 1) & varies & np.isfinite(estimate) & (variance <= ZERO_VARIANCE * reference)
        )

    if coded.left_out:  # drop the rows left out, estimated as one more domain
        estimate, se, df, count, deff, n_kish, zero = (
            values[:kept] for values in (estimate, se, df, count, deff, n_kish, zero)
        )
        x_sum = None if x_sum is None else x_sum[:kept]
        logit_se = None if logit_se is None else logit_se[:kept]
        factor = None if factor is None else factor[:, :kept]
        cov = None if cov is None else cov[:kept, :kept]
        flag_array, detail = flag_array[:kept], detail[:kept]
    # a domain of rows that all lack a value (na="domain") has nothing else to report
    unanswered = count == 0
    if unanswered.any():
        flag_array[:, FLAGS.index("not_measured")] = unanswered
        for j in np.flatnonzero(unanswered).tolist():
            detail[j] = "none of its rows has a value (all were left out as missing)"
    if kind == "ratio":
        assert x_sum is not None
        no_denominator = (x_sum == 0) & ~unanswered
        if no_denominator.any():
            flag_array[:, FLAGS.index("zero_denominator")] = no_denominator
            se = np.where(no_denominator, np.nan, se)
            for j in np.flatnonzero(no_denominator).tolist():
                detail[j] = "the denominator's total is zero"
    if kind == "proportion":
        flag_array[:, FLAGS.index("boundary")] = (estimate == 0.0) | (estimate == 1.0)
    flag_array[:, FLAGS.index("no_df")] |= df < 1
    if zero.any():
        flag_array[:, FLAGS.index("zero_variance")] = zero
        flagged = np.flatnonzero(zero)
        causes = _zero_variance_causes(design, psus, flagged)
        for j, cause in zip(flagged.tolist(), causes, strict=True):
            detail[j] = "; ".join(filter(None, (detail[j], cause)))

    if not by_given:
        return Estimate(
            estimate=estimate[0],
            standard_error=se[0],
            df=df[0],
            n=count[0],
            deff=deff[0],
            n_effective=n_kish[0],
            kind=kind,
            flags=tuple(name for name, on in zip(FLAGS, flag_array[0], strict=True) if on),
            method=method,
            level=level,
            logit_standard_error=np.nan if logit_se is None else logit_se[0],
            flag_detail=detail[0],
            notes=coded.notes,
        )
    return EstimateTable(
        domains=labels,
        estimate=estimate,
        standard_error=se,
        df=df,
        n=count,
        deff=deff,
        n_effective=n_kish,
        kind=kind,
        flag_array=flag_array,
        by=names,
        design_df=design.df if replicated else base.df,
        method=method,
        level=level,
        covariance_factor=factor,
        covariance=[] if cov is None else [cov],
        logit_standard_error=logit_se,
        flag_detail=detail,
        domain_psus=psus,
        notes=coded.notes,
    )


def _residual(
    kind: str,
    y: FloatArray,
    x: FloatArray | None,
    codes: IntArray,
    estimate: FloatArray,
    weight_sum: FloatArray,
    x_sum: FloatArray | None,
) -> FloatArray:
    """Each row's unweighted linearised value for its own domain (weighted: ``w * u``)."""
    if kind in ("mean", "proportion"):
        return (y - estimate[codes]) / weight_sum[codes]
    if kind == "total":
        return y
    assert x is not None
    assert x_sum is not None
    return (y - estimate[codes] * x) / x_sum[codes]


def _check_design(design: object) -> AnyDesign:
    if not isinstance(design, SurveyDesign | ReplicateDesign):
        raise TypeError(
            f"'design' must be a SurveyDesign or ReplicateDesign; got {type(design).__name__}"
        )
    return design


def _run(
    kind: str,
    design: object,
    variables: tuple[tuple[str, object], ...],
    by: By,
    na: str,
    method: str | None = None,
    level: float = 0.95,
) -> Estimate | EstimateTable:
    """Resolve the variables and domains of one estimator call and estimate."""
    checked = _check_design(design)
    check_na(na)
    values: list[FloatArray] = []
    missing: NDArray[np.bool_] | None = None
    for role, value in variables:
        y, absent = response(role, value, checked, na, binary=kind == "proportion")
        values.append(y)
        if absent is not None:
            missing = absent if missing is None else missing | absent
    coded = domains(by, checked, na, missing)
    x = values[1] if len(values) > 1 else None
    return _estimate(kind, checked, values[0], x, coded, by is not None, method, level)


# ---- public estimators ---------------------------------------------------------------


def mean(
    y: Column, design: AnyDesign, *, by: By = None, na: str = "fail"
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
    return _run("mean", design, (("y", y),), by, na)


def total(
    y: Column, design: AnyDesign, *, by: By = None, na: str = "fail"
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

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, total
    >>> design = SurveyDesign(weights=[10.0, 10.0, 20.0, 20.0])
    >>> total([1, 0, 1, 1], design).estimate
    50.0
    """
    return _run("total", design, (("y", y),), by, na)


def ratio(
    numerator: Column,
    denominator: Column,
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

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, ratio
    >>> design = SurveyDesign(weights=[1.0, 1.0, 2.0])
    >>> round(ratio([3, 0, 1], [2, 1, 1], design).estimate, 4)
    1.0
    """
    return _run("ratio", design, (("numerator", numerator), ("denominator", denominator)), by, na)


def proportion(
    y: Column,
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
        Default interval method of the result: ``"logit"`` (and its synonym ``"xlogit"``),
        ``"likelihood"`` (design-scaled likelihood ratio), ``"asin"``, ``"beta"``
        (Korn-Graubard), ``"mean"``, ``"wilson"`` or ``"clopper_pearson"`` (these two on the
        effective sample size).
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
    \mathrm{se}/(\hat p(1 - \hat p)))`; ``"asin"`` transforms by
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
    return _run("proportion", design, (("y", y),), by, na, method, level)
