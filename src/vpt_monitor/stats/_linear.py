r"""Ratios of weighted totals in domains: the engine of mean, total, ratio and proportion.

All four estimators estimate, in every domain :math:`d` and for every variable :math:`j`,
:math:`\hat\theta_{jd} = \hat Y_{jd} / \hat X_{jd}` with :math:`\hat Y_{jd} = \sum_{i \in d}
w_i y_{ij}` and a denominator :math:`\hat X_{jd}` that is the domain's weight (mean,
proportion), the weighted total of another variable (ratio), or 1 (total). Their influence
values are :math:`z_{ij} = w_i (y_{ij} - \hat\theta_{jd} x_{ij}) / \hat X_{jd}` for rows in
the domain, 0 outside (with :math:`x = 1` for a mean and :math:`x = 0` for a total). What
differs between them is said by a :class:`Denominator` (and the design effect's reference
variance by the estimator's name); there is no other switch on the estimator.

The estimates, the PSU totals of the influence values and the replicate estimates all come
from the (PSU, domain) cell sums of :math:`w`, :math:`w y` and :math:`w x`
(:mod:`vpt_monitor.stats._cells`): the fast path that never forms a value per row. Rows are
only formed when calibration or a second stage needs them.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats import _cells, variance
from vpt_monitor.stats._incidence import DomainPSUs
from vpt_monitor.stats._inputs import Domains
from vpt_monitor.stats.design import ReplicateDesign, SurveyDesign
from vpt_monitor.stats.results import FLAGS, Estimate, EstimateTable

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: A variance at most this fraction of the with-replacement reference variance is zero.
ZERO_VARIANCE = 1e-20


class Denominator(enum.Enum):
    """What a ratio of totals divides by."""

    WEIGHTS = "weights"  # mean, proportion: the domain's weight
    VALUES = "values"  # ratio: the weighted total of a denominator variable
    NONE = "none"  # total: nothing


@attrs.frozen(eq=False)
class Request:
    """One estimator call, resolved: the variables, the domains, and how to divide.

    ``y`` is ``n x m`` (``m`` variables), ``x`` the ``n x m`` denominators of a ratio (one
    column repeated when shared), ``labels`` the name of each variable, ``multiple`` whether
    the caller gave several variables (then domains are ``(variable, *domain)``).
    """

    kind: str
    denominator: Denominator
    y: FloatArray
    x: FloatArray | None
    labels: tuple[Hashable, ...]
    multiple: bool
    shared_x: bool = True


def _columns(values: FloatArray) -> list[FloatArray]:
    return [np.ascontiguousarray(values[:, j]) for j in range(values.shape[1])]


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


@attrs.frozen(eq=False)
class _Sums:
    """Cell sums and domain sums of one request (``m`` variables, ``d`` domains)."""

    table: _cells.Cells
    cell_w: FloatArray
    cell_wy: list[FloatArray]
    cell_wx: list[FloatArray] | None  # ratios only; one entry per variable
    weight_sum: FloatArray  # (d,)
    y_sum: FloatArray  # (m, d)
    x_sum: FloatArray  # (m, d): the denominator of each estimate (1 for totals)

    def denominators(self, request: Request) -> list[FloatArray]:
        """Cell sums of ``w x`` per variable (``w`` for means; unused for totals)."""
        if self.cell_wx is not None:
            return self.cell_wx
        return [self.cell_w] * len(self.cell_wy)


def _point(request: Request, y_sum: FloatArray, x_sum: FloatArray) -> FloatArray:
    """Ratio of totals; a zero denominator gives NaN (never an infinite estimate)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if request.denominator is Denominator.NONE:
            return np.asarray(y_sum, dtype=np.float64)
        if request.denominator is Denominator.WEIGHTS:
            return np.asarray(y_sum / x_sum, dtype=np.float64)
        return np.where(x_sum != 0, y_sum / x_sum, np.nan)


def _sums(
    request: Request, design: SurveyDesign, codes: IntArray, d: int, *, replicated: bool
) -> _Sums:
    # a replicate design's calibration is re-done per replicate on every cell; a Taylor
    # design keeps its calibration residuals as low-rank terms (variance.CrossProducts)
    table = _cells.cells(design, codes, d, dense=design.calibrated and replicated)
    w = design._weights  # the design's own (writeable) array: bincount does not copy it
    cell_w = table.sum(w)
    cell_wy = [table.sum(w * y) for y in _columns(request.y)]
    weight_sum = table.by_domain(cell_w)
    y_sum = np.vstack([table.by_domain(c) for c in cell_wy])
    cell_wx: list[FloatArray] | None = None
    if request.denominator is Denominator.VALUES:
        assert request.x is not None
        if request.shared_x:
            cell_wx = [table.sum(w * request.x[:, 0])] * len(cell_wy)
        else:
            cell_wx = [table.sum(w * x) for x in _columns(request.x)]
        x_sum = np.vstack([table.by_domain(c) for c in cell_wx])
    elif request.denominator is Denominator.WEIGHTS:
        x_sum = np.broadcast_to(weight_sum, y_sum.shape)
    else:
        x_sum = np.ones_like(y_sum)
    return _Sums(table, cell_w, cell_wy, cell_wx, weight_sum, y_sum, x_sum)


def _row_values(
    request: Request, codes: IntArray, estimate: FloatArray, x_sum: FloatArray
) -> FloatArray:
    """Each row's unweighted influence value for its own domain, ``n x m``."""
    if request.denominator is Denominator.NONE:
        return request.y
    x = 1.0 if request.x is None else request.x
    with np.errstate(divide="ignore", invalid="ignore"):
        result: FloatArray = (request.y - estimate.T[codes] * x) / x_sum.T[codes]
    return result


def _influence(
    request: Request, design: SurveyDesign, sums: _Sums, codes: IntArray, estimate: FloatArray
) -> variance.Influence:
    """Influence values, with their PSU totals from the cell sums (no pass over the rows)."""
    table = sums.table
    m, d = estimate.shape
    blocks = []
    with np.errstate(divide="ignore", invalid="ignore"):
        for j, (wy, wx) in enumerate(zip(sums.cell_wy, sums.denominators(request), strict=True)):
            if request.denominator is Denominator.NONE:
                blocks.append(wy)
            else:
                blocks.append((wy - table.spread(estimate[j]) * wx) / table.spread(sums.x_sum[j]))
    return variance.Influence(
        weights=design._weights,
        values=lambda: _row_values(request, codes, estimate, sums.x_sum),
        n_columns=m * d,
        domain=codes,
        n_domains=d,
        totals=table.table(blocks),
    )


def _replicates(request: Request, design: ReplicateDesign, sums: _Sums) -> FloatArray:
    """Replicate estimates ``R x (m d)`` from one product of multipliers and cell sums."""
    table = sums.table
    m = len(sums.cell_wy)
    blocks = [sums.cell_w, *sums.cell_wy]
    if sums.cell_wx is not None:
        blocks += sums.cell_wx if not request.shared_x else sums.cell_wx[:1]
    totals = variance.replicate_totals(design, table.table(blocks))
    d = table.n_domains
    reps = totals.reshape(totals.shape[0], len(blocks), d)
    y_reps = reps[:, 1 : 1 + m]
    if request.denominator is Denominator.VALUES:
        x_reps = reps[:, 1 + m :] if not request.shared_x else reps[:, 1 + m : 2 + m]
        x_reps = np.broadcast_to(x_reps, y_reps.shape)
    elif request.denominator is Denominator.WEIGHTS:
        x_reps = np.broadcast_to(reps[:, :1], y_reps.shape)
    else:
        x_reps = np.ones_like(y_reps)
    return _point(request, y_reps, x_reps).reshape(totals.shape[0], m * d)


def _design_effect_parts(
    request: Request,
    design: SurveyDesign,
    sums: _Sums,
    codes: IntArray,
    estimate: FloatArray,
    count: FloatArray,
    square_sum: FloatArray,
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """SRS variance, zero-variance reference and whether the values vary, each ``m x d``.

    The design effect is against SRS without replacement of the same number of rows (R's
    ``deff=TRUE``): the domain's element variance times the SRS factor; with replacement
    (R's ``deff="replace"``) where the domain's weights add up to no more than its rows.
    """
    table, w = sums.table, design._weights
    weight_sum, y_sum, x_sum = sums.weight_sum, sums.y_sum, sums.x_sum
    with np.errstate(divide="ignore", invalid="ignore"):
        if request.kind == "proportion":  # sum of w (y - p)^2 for 0/1 values, without a pass
            spread_sum = y_sum * (1.0 - estimate) ** 2 + (weight_sum - y_sum) * estimate**2
        else:
            u = (
                _row_values(request, codes, estimate, x_sum)
                if request.denominator is Denominator.VALUES
                else request.y
            )
            rows = []
            for j in range(u.shape[1]):
                centre = table.domain_sum(w * u[:, j]) / weight_sum
                deviation = u[:, j] - centre[codes]
                rows.append(table.domain_sum(w * deviation * deviation))
            spread_sum = np.vstack(rows)
        if request.denominator is Denominator.WEIGHTS:
            srs_factor = (weight_sum - count) / (weight_sum * count)
            replaced = 1.0 / count
        else:
            srs_factor = weight_sum * (weight_sum - count) / count
            replaced = weight_sum**2 / count
        # weights that add up to no more than the rows are scaled to the sample, not to a
        # population (mean 1, or 1e-12): no population size, so SRS with replacement (R's
        # deff="replace"), where R's deff=TRUE gives Inf, NA or, in a domain whose weights
        # average just over 1, a large number that means nothing. Judged on the whole
        # design, so that every domain of it is compared alike.
        scaled = float(np.sum(w)) <= len(w) * (1.0 + 1e-9)
        srs_factor = replaced if scaled else np.where(weight_sum > count, srs_factor, replaced)
        element_var = count / (count - 1.0) * spread_sum / weight_sum
        # zero variance although the outcome varies: compare with the variance the same
        # values would have with every row its own PSU (with replacement, one stratum)
        if request.kind == "proportion":
            varies = (estimate > 0) & (estimate < 1)
            reference = element_var * square_sum / weight_sum**2
        elif request.denominator is Denominator.WEIGHTS:
            varies = spread_sum > ZERO_VARIANCE * (spread_sum + weight_sum * estimate**2)
            reference = element_var * square_sum / weight_sum**2
        elif request.denominator is Denominator.NONE:
            second = (spread_sum + weight_sum * (y_sum / weight_sum) ** 2) / weight_sum
            varies = second > 0
            reference = second * square_sum
        else:
            y2 = np.vstack([table.domain_sum(w * y * y) for y in _columns(request.y)])
            scale = y2 / x_sum**2
            varies = spread_sum > ZERO_VARIANCE * scale
            reference = element_var * square_sum
    return element_var * srs_factor, reference, varies


def estimate(
    request: Request,
    design: SurveyDesign | ReplicateDesign,
    coded: Domains,
    by_given: bool,
    method: str | None = None,
    level: float = 0.95,
) -> Estimate | EstimateTable:
    """Estimate ``request`` in every domain of ``coded``.

    Rows left out (outside a subset, or missing) form one more domain after the last, which
    is estimated with the others and dropped from the result: the others are then exactly
    domains of the full design.
    """
    base = design.base if isinstance(design, ReplicateDesign) else design
    replicated = isinstance(design, ReplicateDesign)
    codes = coded.codes
    d = coded.total  # the domains, and the left-out rows when there are any
    kept = coded.size
    m = request.y.shape[1]
    sums = _sums(request, base, codes, d, replicated=replicated)
    table = sums.table
    theta = _point(request, sums.y_sum, sums.x_sum)  # (m, d)
    count = table.domain_sum()
    present = sums.cell_w > 0  # weights are > 0: a cell is occupied when it has weight
    psus = DomainPSUs(
        psu_stratum=base.psu_stratum,
        columns=np.tile(np.arange(kept, dtype=np.intp), m),
        present=present if table.dense else None,
        psu=None if table.dense else table.psu,
        column=None if table.dense else table.domain,
        fixed_df=float(design.df) if replicated else None,
        multipliers=design.distinct_rows()[0] if isinstance(design, ReplicateDesign) else None,
        pattern=design.distinct_rows()[1] if isinstance(design, ReplicateDesign) else None,
        squares=table.sum(base._weights * base._weights) if replicated else None,
    )
    flags = np.zeros((m, d, len(FLAGS)), dtype=bool)
    detail = np.full((m, d), "", dtype=object)

    flat = theta.reshape(-1)
    logit_se: FloatArray | None = None
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = variance.covariance(
            design,
            flat,
            lambda: _influence(request, base, sums, codes, theta),
            lambda rep: _replicates(request, rep, sums),
        )
        if isinstance(design, ReplicateDesign):
            assert cov.replicates is not None
            thetas = cov.replicates
            # each domain's own: the rank of its rows' replicate weights minus one (R's
            # degf of its subset), as a Taylor domain counts its own PSUs and strata
            df = np.zeros(d)  # the rows left out (the last domain, if any) are dropped
            df[:kept] = psus.degrees_of_freedom_of_sets(np.arange(kept), np.arange(kept), kept)
            df_all = np.tile(df, (m, 1))
            # a replicate without an estimate (it drops all the domain's PSUs, or its
            # denominator) leaves the domain without a replicate variance
            used = design.rscales > 0
            lost = ~np.isfinite(thetas[used]) & np.isfinite(flat)
            if lost.any():
                gone = lost.any(axis=0)
                first_lost = np.flatnonzero(used)[np.argmax(lost, axis=0)]
                for k in np.flatnonzero(gone).tolist():
                    detail.reshape(-1)[k] = (
                        f"replicate {int(first_lost[k])} has no estimate for it (it drops all "
                        "its PSUs or its denominator), so there is no replicate variance"
                    )
                flags.reshape(-1, len(FLAGS))[gone, FLAGS.index("no_df")] = True
                df_all = np.where(gone.reshape(m, d), 0.0, df_all)
            if request.kind == "proportion":
                logit_est = np.log(flat / (1.0 - flat))
                logit_reps = np.log(thetas / (1.0 - thetas))
                logit_se = np.sqrt(
                    variance.replicate_covariance(design, logit_reps, logit_est).variance()
                )
                # a replicate share of 0 or 1 has an infinite log-odds: no logit interval
                # beyond [0, 1]; at a share of 0 or 1 itself the boundary interval applies
                infinite = (np.isinf(logit_reps) & used[:, None]).any(axis=0)
                logit_se = np.where(infinite, np.inf, logit_se)
                logit_se = np.where((flat > 0) & (flat < 1), logit_se, np.nan)
        else:
            df_all = np.tile(_cells.degrees_of_freedom(base, table, present), (m, 1))
        var = cov.variance().reshape(m, d)
        se = np.sqrt(np.maximum(var, 0.0))
        square_sum = table.domain_sum(base._weights * base._weights)
        srs, reference, varies = _design_effect_parts(
            request, base, sums, codes, theta, count, square_sum
        )
        deff = np.where(srs > 0, var / srs, np.nan)
        n_kish = sums.weight_sum**2 / square_sum
        zero = (count > 1) & varies & np.isfinite(theta) & (var <= ZERO_VARIANCE * reference)

    # drop the rows left out (estimated as one more domain) and flatten variable-major
    keep_columns = (np.arange(m)[:, None] * d + np.arange(kept)[None, :]).ravel()

    def cut(values: NDArray[Any]) -> NDArray[Any]:
        return values[:, :kept].reshape((m * kept, *values.shape[2:]))

    est_out, se_out, df_out = cut(theta), cut(se), cut(df_all)
    x_out = cut(np.asarray(sums.x_sum))
    count_out = np.tile(count[:kept], m)
    deff_out, kish_out, zero_out = cut(deff), np.tile(n_kish[:kept], m), cut(zero)
    flag_array = cut(flags)
    details = [str(text) for text in cut(detail).tolist()]
    logit_out = None if logit_se is None else logit_se[keep_columns]
    factor = None if cov.factor is None else cov.factor[:, keep_columns]
    cross = None if cov.cross is None else cov.cross.take(keep_columns)
    matrix = (
        None
        if cov.factor is not None or cross is not None
        else cov.full()[np.ix_(keep_columns, keep_columns)]
    )

    # a domain of rows that all lack a value (na="domain") has nothing else to report
    unanswered = count_out == 0
    if unanswered.any():
        flag_array[:, FLAGS.index("not_measured")] = unanswered
        for k in np.flatnonzero(unanswered).tolist():
            details[k] = "none of its rows has a value (all were left out as missing)"
    if request.denominator is Denominator.VALUES:
        no_denominator = (x_out == 0) & ~unanswered
        if no_denominator.any():
            flag_array[:, FLAGS.index("zero_denominator")] = no_denominator
            se_out = np.where(no_denominator, np.nan, se_out)
            for k in np.flatnonzero(no_denominator).tolist():
                details[k] = "the denominator's total is zero"
    if request.kind == "proportion":
        flag_array[:, FLAGS.index("boundary")] = (est_out == 0.0) | (est_out == 1.0)
    flag_array[:, FLAGS.index("no_df")] |= df_out < 1
    if zero_out.any():
        flag_array[:, FLAGS.index("zero_variance")] = zero_out
        flagged = np.flatnonzero(zero_out)
        causes = _zero_variance_causes(design, psus, flagged)
        for k, cause in zip(flagged.tolist(), causes, strict=True):
            details[k] = "; ".join(filter(None, (details[k], cause)))

    if not by_given and not request.multiple:
        return Estimate(
            estimate=est_out[0],
            standard_error=se_out[0],
            df=df_out[0],
            n=count_out[0],
            deff=deff_out[0],
            n_effective=kish_out[0],
            kind=request.kind,
            flags=tuple(name for name, on in zip(FLAGS, flag_array[0], strict=True) if on),
            method=method,
            level=level,
            logit_standard_error=np.nan if logit_out is None else logit_out[0],
            flag_detail=details[0],
            notes=coded.notes,
        )
    return EstimateTable(
        domains=_labels(request, coded, by_given),
        estimate=est_out,
        standard_error=se_out,
        df=df_out,
        n=count_out,
        deff=deff_out,
        n_effective=kish_out,
        kind=request.kind,
        flag_array=flag_array,
        by=("variable", *coded.names) if request.multiple else coded.names,
        design_df=design.df if replicated else base.df,
        method=method,
        level=level,
        covariance_factor=factor,
        covariance=[] if matrix is None else [matrix],
        covariance_cross=cross,
        logit_standard_error=logit_out,
        flag_detail=details,
        domain_psus=psus,
        notes=coded.notes,
        row_sets=np.tile(np.arange(kept), m) if request.multiple else None,
    )


def _labels(request: Request, coded: Domains, by_given: bool) -> Sequence[Hashable]:
    """Domain labels: the domains, or ``(variable, *domain)`` for several variables."""
    if not request.multiple:
        return coded.labels
    if not by_given:
        return request.labels
    return [
        (name, *label) if isinstance(label, tuple) else (name, label)
        for name in request.labels
        for label in coded.labels
    ]
