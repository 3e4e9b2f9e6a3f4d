r"""The one variance routine: influence values to a covariance, or replicates to a covariance.

Every estimator of :mod:`vpt_monitor.stats` works as R ``survey``'s do. It computes its
estimates :math:`\hat\theta` (a vector of :math:`P`) and hands this module either

- its **influence values** (linearised values) :math:`z_{ik} = w_i u_{ik}`, one row per
  respondent and one column per estimate, for a Taylor design: :func:`taylor_covariance`
  (R's ``svyrecvar``) turns them into the covariance of :math:`\hat\theta`, accounting for
  strata, clusters, finite-population corrections at both stages, lonely PSUs and the
  calibration of the weights; or
- its **replicate estimates** :math:`\hat\theta_r`, recomputed with each set of replicate
  weights, for a replicate design: :func:`replicate_covariance` (R's ``svrVar``) turns
  them into a covariance. :func:`replicate_totals` and :func:`reestimate` are the two ways
  to get them: a product of the replicate multipliers with PSU sums (for estimators that are
  functions of weighted totals) or a refit per replicate (models, quantiles).

:func:`covariance` chooses between the two by the type of the design. Nothing else in the
subpackage computes a variance.

Influence values are held in the cheapest of three forms (:class:`Influence`): a dense
``n x P`` array (the coefficients of a model), one value per row and variable with each row
in one domain (``by=`` domains: row :math:`i` adds to the column of its own domain only),
or totals per PSU that the estimator already has from its cell sums (the fast path of the
domain estimators, which never forms a value per row unless the calibration or a second
stage needs one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import attrs
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from vpt_monitor.stats.calibration import calibration_adjustment, calibration_factors
from vpt_monitor.stats.design import ReplicateDesign, SurveyDesign

__all__ = [
    "DENSE_LIMIT",
    "MATRIX_LIMIT",
    "Covariance",
    "CrossProducts",
    "Influence",
    "covariance",
    "reestimate",
    "replicate_covariance",
    "replicate_totals",
    "taylor_covariance",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
#: A table of sums per group: dense (groups x P) or a scipy sparse array of that shape.
Sums: TypeAlias = Any

#: Largest group-by-column table of sums held densely; above it only nonzero sums are kept.
DENSE_LIMIT = 1 << 22

#: Most estimates whose ``P x P`` covariance matrix is formed at once; above it the
#: covariance is kept as cross products of tables (:class:`CrossProducts`).
MATRIX_LIMIT = 2048


def _dense(table: Sums) -> FloatArray:
    if sparse.issparse(table):
        return np.asarray(table.toarray(), dtype=np.float64)
    return np.asarray(table, dtype=np.float64)


@attrs.frozen(eq=False)
class Influence:
    r"""Influence values :math:`z_{ik} = w_i u_{ik}` of ``P`` estimates (an ``n x P`` matrix).

    Exactly one layout of the unweighted values :math:`u` is used:

    - **dense**: ``values`` is ``n x P`` (or ``len(rows) x P`` with ``rows``: the other
      rows have influence 0);
    - **by domain**: ``values`` is ``n x m`` for ``m`` variables and ``domain`` holds each
      row's domain ``0 .. n_domains - 1``; row :math:`i` adds :math:`w_i u_{ij}` to column
      ``j * n_domains + domain[i]`` and nothing to the others, so ``P = m * n_domains``.

    ``values`` may be a function that computes them when first needed, and ``totals`` the
    PSU totals of :math:`z` when the estimator has them already (then rows are only
    formed for calibration or a second stage).

    Attributes
    ----------
    weights : numpy.ndarray
        The weights :math:`w_i` of all ``n`` rows.
    values : numpy.ndarray or callable
        The unweighted values :math:`u`, or a function that returns them.
    n_columns : int
        ``P``, the number of estimates.
    domain : numpy.ndarray of int, optional
        Each row's domain, for the by-domain layout.
    n_domains : int
        Number of domains of the by-domain layout (1 otherwise).
    rows : numpy.ndarray of int, optional
        The rows ``values`` belongs to, for the dense layout (all rows when None).
    totals : numpy.ndarray or scipy sparse array, optional
        ``n_psu x P`` totals of :math:`z` per PSU, if already known.
    """

    weights: FloatArray
    values: FloatArray | Callable[[], FloatArray]
    n_columns: int
    domain: IntArray | None = None
    n_domains: int = 1
    rows: IntArray | None = None
    totals: Sums | None = None
    _cache: list[FloatArray] = attrs.field(factory=list, init=False, repr=False)

    def unweighted(self) -> FloatArray:
        """Return the values :math:`u` (computed once when ``values`` is a function)."""
        if not callable(self.values):
            return self.values
        if not self._cache:
            self._cache.append(np.asarray(self.values(), dtype=np.float64))
        return self._cache[0]

    def group_sums(self, groups: IntArray, n_groups: int, *, weighted: bool = True) -> Sums:
        r"""Sum :math:`z` (or :math:`u`, unweighted) over the rows of each group.

        Parameters
        ----------
        groups : numpy.ndarray of int
            Group ``0 .. n_groups - 1`` of every one of the ``n`` rows.
        n_groups : int
            Number of groups.
        weighted : bool, default True
            Sum :math:`z = w u` (True) or :math:`u` (False).

        Returns
        -------
        numpy.ndarray or scipy.sparse.csr_array
            ``n_groups x P``; sparse when a dense table would exceed ``DENSE_LIMIT``
            cells.
        """
        u = self.unweighted()
        if u.ndim == 1:
            u = u[:, None]
        w = self.weights
        if self.domain is None:
            if self.rows is not None:
                groups, w = groups[self.rows], w[self.rows]
            # one column at a time: no n x P copy of the weighted values
            columns = [
                np.bincount(
                    groups,
                    weights=u[:, k] * w if weighted else np.ascontiguousarray(u[:, k]),
                    minlength=n_groups,
                )
                for k in range(u.shape[1])
            ]
            return np.column_stack(columns) if columns else np.zeros((n_groups, 0))
        d = self.n_domains
        m = u.shape[1]
        if n_groups * d * m <= DENSE_LIMIT:
            key = groups * d + self.domain
            blocks = [
                np.bincount(
                    key, weights=u[:, j] * w if weighted else u[:, j], minlength=n_groups * d
                ).reshape(n_groups, d)
                for j in range(m)
            ]
            return np.hstack(blocks)
        rows = np.tile(groups, m)
        cols = (np.arange(m)[:, None] * d + self.domain[None, :]).ravel()
        data = (u * w[:, None] if weighted else u).T.ravel()
        return sparse.csr_array((data, (rows, cols)), shape=(n_groups, m * d))

    def sums_with(self, groups: IntArray, n_groups: int, weights: FloatArray) -> Sums:
        """Sum ``weights * u`` over the rows of each group (``n_groups x P``)."""
        other = Influence(
            weights=np.asarray(weights, dtype=np.float64),
            values=self.unweighted(),
            n_columns=self.n_columns,
            domain=self.domain,
            n_domains=self.n_domains,
            rows=self.rows,
        )
        return other.group_sums(groups, n_groups)

    def psu_totals(self, design: SurveyDesign) -> Sums:
        """PSU totals of :math:`z`, ``n_psu x P`` (dense, or sparse for many columns)."""
        if self.totals is not None:
            return self.totals
        return self.group_sums(design.psu, design.n_psu)


@attrs.frozen(eq=False)
class CrossProducts:
    r"""A covariance kept as a sum of scaled cross products of tables, never as a whole.

    The covariance of ``P`` estimates is :math:`\sum_k A_k^\top \operatorname{diag}(s_k)
    A_k`, each :math:`A_k` an ``r_k x P`` table (dense, or scipy sparse with the occupied
    cells only): the PSU totals of the influence values, their stratum means, the totals of
    second-stage units. Memory is that of the tables - linear in ``P`` - so a table of
    100,000 domains keeps its covariance without a ``P x P`` matrix; the variances are the
    column sums :math:`\sum_k s_k^\top (A_k \circ A_k)`, and a block between a few
    estimates is formed from their columns only.

    A calibrated design replaces the PSU totals :math:`T` by their residuals :math:`T - B M`
    (``B``: each PSU's weights in the ``K`` calibration cells; ``M``: the cells' means or
    regression coefficients, see ``vpt_monitor.stats.calibration.calibration_factors``).
    Expanding the products, the covariance gains :math:`-V M - M^\top V^\top + M^\top Q M`
    with :math:`V = \sum_k A_k^\top \operatorname{diag}(s_k) B_k` (``P x K``) and
    :math:`Q = \sum_k B_k^\top \operatorname{diag}(s_k) B_k` (``K x K``): still linear in
    ``P``.

    Attributes
    ----------
    terms : tuple of (table, scale)
        The tables :math:`A_k` and their row scales :math:`s_k` (negative for a term that
        is subtracted).
    columns : numpy.ndarray of int or None
        Which column of the tables each estimate is (``-1``: an estimate with no
        covariance, NaN); None for column ``j`` being estimate ``j``.
    low_rank : tuple of (V, M transposed, Q) or None
        The calibration's part, ``P x K``, ``P x K`` and ``K x K``.
    """

    terms: tuple[tuple[Sums, FloatArray], ...]
    columns: IntArray | None = None
    low_rank: tuple[FloatArray, FloatArray, FloatArray] | None = None

    @property
    def size(self) -> int:
        """Number of estimates ``P``."""
        if self.columns is not None:
            return int(self.columns.shape[0])
        return int(self.terms[0][0].shape[1])

    def _map(self) -> IntArray:
        if self.columns is not None:
            return self.columns
        return np.arange(self.terms[0][0].shape[1], dtype=np.intp)

    def take(self, positions: IntArray) -> CrossProducts:
        """Return the covariance of the estimates at ``positions`` (``-1``: none, NaN)."""
        positions = np.asarray(positions, dtype=np.intp)
        mapped = np.full(positions.shape[0], -1, dtype=np.intp)
        known = positions >= 0
        mapped[known] = self._map()[positions[known]]
        return CrossProducts(self.terms, mapped, self.low_rank)

    def contrast_variances(self, weights: Any, positions: IntArray) -> FloatArray:
        r"""Variances :math:`c_r^\top \Sigma c_r` of contrasts, without forming :math:`\Sigma`.

        ``weights`` is a ``rows x len(positions)`` scipy sparse array: the coefficients of
        each contrast on the estimates at ``positions``. A contrast that uses an estimate
        without a covariance (position or column ``-1``) has a NaN variance.
        """
        mapped = self._map()[positions]
        known = mapped >= 0
        weights = sparse.csc_array(weights)
        result = np.zeros(weights.shape[0])
        for table, scale in self.terms:
            part = table[:, mapped[known]] @ weights[:, known].T  # (table rows) x contrasts
            if sparse.issparse(part):
                part = sparse.csr_array(part)
                result += np.asarray(part.multiply(part).T @ scale, dtype=np.float64).ravel()
            else:
                result += np.einsum("ij,ij,i->j", part, part, scale)
        if self.low_rank is not None:
            v, mt, q = self.low_rank
            chosen = sparse.csr_array(weights[:, known])
            along_v = np.asarray(chosen @ v[mapped[known]])  # contrasts x K
            along_m = np.asarray(chosen @ mt[mapped[known]])
            result += np.einsum("rk,rk->r", along_m @ q - 2.0 * along_v, along_m)
        if not known.all():
            touches = np.asarray(abs(weights[:, ~known]).sum(axis=1)).ravel() > 0
            result = np.where(touches, np.nan, result)
        return result

    def diagonal(self) -> FloatArray:
        """Return the variances, without forming the matrix."""
        width = int(self.terms[0][0].shape[1])
        total = np.zeros(width)
        for table, scale in self.terms:
            if sparse.issparse(table):
                total += np.asarray(table.multiply(table).T @ scale, dtype=np.float64).ravel()
            else:
                total += np.einsum("ij,ij,i->j", table, table, scale)
        if self.low_rank is not None:
            v, mt, q = self.low_rank
            total += np.einsum("jk,jk->j", mt @ q - 2.0 * v, mt)
        if self.columns is None:
            return total
        return np.where(self.columns >= 0, total[np.maximum(self.columns, 0)], np.nan)

    def block(self, positions: IntArray | None = None) -> FloatArray:
        """Return the covariance matrix of the estimates at ``positions`` (all: None)."""
        mapped = self._map() if positions is None else self._map()[positions]
        known = mapped >= 0
        used = mapped[known]
        inner = np.zeros((used.size, used.size))
        for table, scale in self.terms:
            inner += _cross(table[:, used], scale)
        if self.low_rank is not None:
            v_used, mt_used = self.low_rank[0][used], self.low_rank[1][used]
            cross_term = v_used @ mt_used.T
            inner += mt_used @ self.low_rank[2] @ mt_used.T - cross_term - cross_term.T
        if known.all():
            return inner
        result = np.full((mapped.size, mapped.size), np.nan)
        result[np.ix_(known, known)] = inner
        return result


@attrs.frozen(eq=False)
class Covariance:
    r"""The covariance of ``P`` estimates, as a factor or as a matrix.

    Attributes
    ----------
    factor : numpy.ndarray or None
        A matrix :math:`F` with covariance :math:`F^\top F`: scaled deviations of the PSU
        totals from their stratum means (Taylor), or of the replicate estimates from their
        centre (replicates). Kept instead of the ``P x P`` matrix, so that many domains cost
        nothing until a covariance between them is asked for.
    matrix : numpy.ndarray or None
        The ``P x P`` matrix, where no factor exists (occupied cells only, second stages)
        and ``P`` is small (at most ``MATRIX_LIMIT`` estimates).
    replicates : numpy.ndarray or None
        ``R x P`` replicate estimates, for a replicate design.
    cross : CrossProducts or None
        The covariance as cross products of tables, for many estimates without a factor:
        the ``P x P`` matrix is then formed only for the estimates asked for.
    """

    factor: FloatArray | None = None
    matrix: FloatArray | None = None
    replicates: FloatArray | None = None
    cross: CrossProducts | None = None

    def variance(self) -> FloatArray:
        """Return the variances, the diagonal of the covariance."""
        if self.factor is not None:
            result: FloatArray = np.einsum("ij,ij->j", self.factor, self.factor)
            return result
        if self.cross is not None:
            return self.cross.diagonal()
        assert self.matrix is not None
        return np.diag(self.matrix).copy()

    def full(self) -> FloatArray:
        """Return the ``P x P`` covariance matrix."""
        if self.matrix is not None:
            return self.matrix
        if self.cross is not None:
            return self.cross.block()
        assert self.factor is not None
        result: FloatArray = self.factor.T @ self.factor
        return result


def _cross(table: Sums, scale: FloatArray) -> FloatArray:
    r"""Return :math:`T^\top \operatorname{diag}(s) T` for a dense or sparse table ``T``."""
    if sparse.issparse(table):
        return np.asarray((table.T @ (sparse.diags_array(scale) @ table)).toarray())
    result: FloatArray = table.T @ (table * scale[:, None])
    return result


def _stratum_indicator(design: SurveyDesign) -> Any:
    """``n_strata x n_psu`` sparse indicator of the stratum of each PSU."""
    return sparse.csr_array(
        (np.ones(design.n_psu), (design.psu_stratum, np.arange(design.n_psu))),
        shape=(design.n_strata, design.n_psu),
    )


def _stratum_centring(design: SurveyDesign) -> FloatArray:
    """``1 / n_h`` for the strata whose PSUs are centred at their mean, 0 for the others.

    A lonely PSU under ``"adjust"`` is centred at zero rather than at its stratum mean.
    """
    psu_count = np.bincount(design.psu_stratum, minlength=design.n_strata).astype(np.float64)
    centred = (psu_count > 1) | (design.lonely_psu != "adjust")
    with np.errstate(divide="ignore"):
        return np.where(centred, 1.0 / psu_count, 0.0)


def _between_psus(design: SurveyDesign, totals: Sums, *, keep_terms: bool = False) -> Covariance:
    """First-stage covariance from PSU totals: centred within strata, scaled, summed.

    ``keep_terms`` asks for the cross-product terms of sparse totals whatever their size.
    """
    n_strata = design.n_strata
    psu_stratum = design.psu_stratum
    scale = design.psu_scale
    psu_count: FloatArray = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)
    # a lonely PSU under "adjust" is centred at zero rather than at its stratum mean
    centred = (psu_count > 1) | (design.lonely_psu != "adjust")
    # "average": lonely strata add nothing (scale 0) and the others are scaled up by H / H_ok
    inflate = np.sqrt(design.lonely_average_factor)
    if inflate != 1.0:
        scale = scale * inflate**2
    if not sparse.issparse(totals):
        dense = np.asarray(totals, dtype=np.float64)
        order, starts = design.psu_order
        sums = np.add.reduceat(dense[order], starts, axis=0) if len(order) else dense[:0]
        means = np.where(centred[:, None], sums / psu_count[:, None], 0.0)
        factor: FloatArray = (dense - means[psu_stratum]) * np.sqrt(scale)[:, None]
        return Covariance(factor=factor)
    # occupied cells only: expand the centred cross product as
    # sum_i s_i T_i T_i' - sum_h s_h n_h m_h m_h'
    indicator = _stratum_indicator(design)
    stratum_scale = np.zeros(n_strata)
    stratum_scale[psu_stratum] = scale
    if keep_terms or totals.shape[1] > MATRIX_LIMIT:  # the terms, never the matrix
        inverse_count = _stratum_centring(design)
        means_table = sparse.csr_array(sparse.diags_array(inverse_count) @ (indicator @ totals))
        terms = ((totals, scale), (means_table, -(stratum_scale * psu_count)))
        return Covariance(cross=CrossProducts(terms))
    sums = _dense(indicator @ totals)
    means = np.where(centred[:, None], sums / psu_count[:, None], 0.0)
    matrix = _cross(totals, scale) - means.T @ (means * (stratum_scale * psu_count)[:, None])
    return Covariance(matrix=matrix)


def _between_psus_calibrated(
    design: SurveyDesign, totals: Sums, influence: Influence
) -> Covariance:
    """First-stage covariance of calibration residuals ``T - B M``, never formed densely.

    The terms of :func:`_between_psus` for the PSU totals ``T`` (occupied cells only) and
    their stratum means, plus the low-rank part of the calibration (see
    :class:`CrossProducts`).
    """
    factors = calibration_factors(design, influence)
    cells = np.hstack([table for table, _ in factors])  # n_psu x K
    means = np.vstack([mean for _, mean in factors])  # K x P
    first = _between_psus(design, totals, keep_terms=True)
    assert first.cross is not None
    (table, scale), (stratum_table, stratum_scale) = first.cross.terms
    indicator = _stratum_indicator(design)
    inverse_count = _stratum_centring(design)
    stratum_cells = (indicator @ cells) * inverse_count[:, None]  # n_strata x K
    v = np.asarray(table.T @ (cells * scale[:, None])) + np.asarray(
        stratum_table.T @ (stratum_cells * stratum_scale[:, None])
    )
    q = cells.T @ (cells * scale[:, None]) + stratum_cells.T @ (
        stratum_cells * stratum_scale[:, None]
    )
    cross = CrossProducts(first.cross.terms, low_rank=(v, np.ascontiguousarray(means.T), q))
    if totals.shape[1] > MATRIX_LIMIT:
        return Covariance(cross=cross)
    return Covariance(matrix=cross.block())


def _within_psus(design: SurveyDesign, influence: Influence) -> tuple[tuple[Sums, FloatArray], ...]:
    """Second-stage (within-PSU) covariance: ``sum_k s Z_k Z_k' - sum_i s_i T_i T_i' / m_i``.

    Returned as its two cross-product terms (see :class:`CrossProducts`).
    """
    stage = design.second_stage
    assert stage is not None
    units = influence.group_sums(stage.ssu, stage.n_ssu)
    psus = influence.group_sums(design.psu, design.n_psu)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_scale = np.where(stage.centred, stage.psu_scale / stage.ssu_count, 0.0)
    return ((units, stage.psu_scale[stage.ssu_psu]), (psus, -mean_scale))


def taylor_covariance(design: SurveyDesign, influence: Influence) -> Covariance:
    r"""Covariance of estimates from their influence values, for a Taylor design.

    Parameters
    ----------
    design : SurveyDesign
        The design (strata, PSUs, fpc, lonely-PSU policy, second stage, calibration).
    influence : Influence
        The estimates' influence values.

    Returns
    -------
    Covariance
        A factor where one exists (one stage, dense PSU totals), the matrix otherwise.

    Notes
    -----
    With :math:`Z_{hi}` the PSU totals of the influence values (replaced by their residuals
    from the calibration cells for a calibrated design, as R's ``postStratify`` and
    ``rake``), the first-stage covariance is

    .. math::

        \sum_h (1 - f_h) \frac{n_h}{n_h - 1} \sum_{i} (Z_{hi} - \bar Z_h)(Z_{hi} - \bar Z_h)^\top,

    with a lonely PSU under ``"adjust"`` centred at zero, and a second stage adds
    :math:`\sum_{h,i} f_h (1 - f_{hi}) \frac{m_{hi}}{m_{hi}-1} \sum_k (Z_{hik} - \bar
    Z_{hi})(Z_{hik} - \bar Z_{hi})^\top` (R's ``multistage``). See
    :class:`~vpt_monitor.stats.SurveyDesign`.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys*, appendix C (``svyrecvar``). Wiley.

    Examples
    --------
    The variance of a total is the between-PSU variance of the PSU totals of :math:`w y`:

    >>> import numpy as np
    >>> from vpt_monitor.stats import SurveyDesign
    >>> from vpt_monitor.stats.variance import Influence, taylor_covariance
    >>> design = SurveyDesign(weights=[2.0, 2.0, 3.0, 3.0], strata=[1, 1, 2, 2])
    >>> y = np.array([1.0, 3.0, 2.0, 6.0])
    >>> cov = taylor_covariance(design, Influence(design.weights, y[:, None], 1))
    >>> float(np.sqrt(cov.variance()[0]))
    12.649110640673518
    """
    totals = influence.psu_totals(design)
    if design.calibrated and sparse.issparse(totals):  # residuals kept as T - B M
        first = _between_psus_calibrated(design, totals, influence)
    elif design.calibrated:
        first = _between_psus(design, _dense(totals) - calibration_adjustment(design, influence))
    else:
        first = _between_psus(design, totals)
    if design.second_stage is None:
        return first
    within = _within_psus(design, influence)
    if first.cross is not None:
        return Covariance(cross=CrossProducts(first.cross.terms + within))
    if first.factor is not None and first.factor.shape[1] > MATRIX_LIMIT:
        terms = ((first.factor, np.ones(first.factor.shape[0])), *within)
        return Covariance(cross=CrossProducts(terms))
    matrix = first.full()
    for table, scale in within:
        matrix = matrix + _cross(table, scale)
    return Covariance(matrix=matrix)


def replicate_covariance(
    design: ReplicateDesign, replicates: FloatArray, estimate: FloatArray
) -> Covariance:
    r"""Covariance of estimates from their replicate estimates (R's ``svrVar``).

    Parameters
    ----------
    design : ReplicateDesign
        The design (scale, replicate scales, ``mse``).
    replicates : numpy.ndarray
        ``R x P`` estimates, one row per replicate.
    estimate : numpy.ndarray
        The ``P`` full-sample estimates (the centre when ``design.mse``).

    Returns
    -------
    Covariance
        Factor :math:`F_{rk} = \sqrt{c\,c_r}(\hat\theta_{rk} - \bar\theta_k)`, and the
        replicates.

    Notes
    -----
    :math:`\widehat V = c \sum_r c_r (\hat\theta_r - \bar\theta)(\hat\theta_r -
    \bar\theta)^\top` with :math:`\bar\theta` the mean of the replicates whose scale is
    positive, or the full-sample estimate with ``mse=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor.stats import SurveyDesign
    >>> from vpt_monitor.stats.variance import replicate_covariance
    >>> jk = SurveyDesign(weights=[1.0, 1.0, 1.0]).replicate("jk1")
    >>> thetas = np.array([[2.0], [1.5], [1.0]])
    >>> replicate_covariance(jk, thetas, np.array([1.5])).variance().round(6).tolist()
    [0.333333]
    """
    rscales = design.rscales
    centre = estimate if design.mse else replicates[rscales > 0].mean(axis=0)
    factor: FloatArray = (replicates - centre) * np.sqrt(design.scale * rscales)[:, None]
    return Covariance(factor=factor, replicates=replicates)


def replicate_totals(design: ReplicateDesign, psu_sums: Sums) -> FloatArray:
    """Replicate totals ``R x K`` from full-sample totals per PSU (``n_psu x K``).

    Replicate weights are the full-sample weights times a multiplier per PSU, so a
    replicate's total is the multipliers' product with the PSU totals.
    """
    multipliers = design.multipliers
    if sparse.issparse(psu_sums):
        return np.asarray((psu_sums.T @ multipliers).T, dtype=np.float64)
    result: FloatArray = multipliers.T @ psu_sums
    return result


def reestimate(
    design: ReplicateDesign, estimator: Callable[[FloatArray], FloatArray]
) -> FloatArray:
    """Estimates ``R x P``: ``estimator`` applied to the weights of each replicate.

    ``estimator`` takes the ``n`` weights of a replicate (zero outside a subset, as the
    full-sample weights it is compared with) and returns the ``P`` estimates.
    """
    base = design.base
    keep = base.in_subset
    rows = base.weights if keep is None else np.where(keep, base.weights, 0.0)
    multipliers = design.multipliers
    results = [
        np.asarray(estimator(rows * multipliers[base.psu, r]), dtype=np.float64)
        for r in range(design.replicates)
    ]
    return np.vstack(results) if results else np.zeros((0, 0))


def covariance(
    design: SurveyDesign | ReplicateDesign,
    estimate: FloatArray,
    influence: Callable[[], Influence],
    replicates: Callable[[ReplicateDesign], FloatArray],
) -> Covariance:
    """Covariance of ``estimate`` by the design's method: Taylor or replicates.

    ``influence`` gives the influence values (called for a
    :class:`~vpt_monitor.stats.SurveyDesign`), ``replicates`` the ``R x P`` replicate
    estimates (called for a :class:`~vpt_monitor.stats.ReplicateDesign`).
    """
    if isinstance(design, ReplicateDesign):
        return replicate_covariance(design, replicates(design), estimate)
    return taylor_covariance(design, influence())
