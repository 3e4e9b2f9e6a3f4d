r"""Design-based tests: association in a two-way table and the difference of two means.

:func:`chisq_test` is R ``survey``'s ``svychisq``: Pearson's :math:`X^2` of the weighted
table with the Rao-Scott corrections for the design (first and second order), or a Wald test
of independence. :func:`t_test` is R's ``svyttest``. Both take their covariances from the
subpackage's one variance routine (:mod:`vpt_monitor.stats.variance`), so they work alike
on Taylor and replicate designs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats import _distributions, variance
from vpt_monitor.stats._inputs import Column, check_na, domains, response
from vpt_monitor.stats._test_result import TestResult
from vpt_monitor.stats._validation import check_choice
from vpt_monitor.stats.contrasts import contrast
from vpt_monitor.stats.design import ReplicateDesign, SurveyDesign
from vpt_monitor.stats.estimators import mean
from vpt_monitor.stats.results import Estimate, EstimateTable

__all__ = ["CHISQ_METHODS", "chisq_test", "t_test"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
AnyDesign = SurveyDesign | ReplicateDesign

#: Statistics of :func:`~vpt_monitor.stats.chisq_test` (R's ``svychisq(statistic=)``:
#: "F", "Chisq", "Wald", "adjWald").
CHISQ_METHODS = ("rao-scott-2", "rao-scott-1", "wald", "adjusted-wald")


def _check_design(design: object) -> AnyDesign:
    if not isinstance(design, SurveyDesign | ReplicateDesign):
        raise TypeError(
            f"'design' must be a SurveyDesign or ReplicateDesign; got {type(design).__name__}"
        )
    return design


def _nan_result(method: str, name: str, flag: str, detail: str) -> TestResult:
    return TestResult(
        np.nan, np.nan, np.nan, np.nan, method, name, flags=(flag,), notes={"detail": detail}
    )


def _cell_covariance(
    design: AnyDesign, psu: IntArray, cell: IntArray, kept: NDArray[np.bool_], k: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Shares and totals of the ``k`` cells, with their covariances, from cell sums.

    Returns ``(p, cov_p, t, cov_t)``: the share of each cell among the rows kept (R's
    ``svymean`` of the cell indicators) and the weighted count of each cell (``svytotal``).
    """
    base = design.base if isinstance(design, ReplicateDesign) else design
    w = np.where(kept, base.weights, 0.0)
    n_psu = base.n_psu
    sums = np.bincount(psu * k + cell, weights=w, minlength=n_psu * k).reshape(n_psu, k)
    psu_weight = sums.sum(axis=1)
    total_weight = float(psu_weight.sum())
    t = sums.sum(axis=0)
    p = t / total_weight

    def rows_p() -> FloatArray:
        indicator = np.zeros((base.n, k))
        indicator[np.flatnonzero(kept), cell[kept]] = 1.0
        return np.where(kept[:, None], (indicator - p) / total_weight, 0.0)

    def rows_t() -> FloatArray:
        indicator = np.zeros((base.n, k))
        indicator[np.flatnonzero(kept), cell[kept]] = 1.0
        return indicator

    share = variance.covariance(
        design,
        p,
        lambda: variance.Influence(
            weights=base.weights,
            values=rows_p,
            n_columns=k,
            totals=(sums - p[None, :] * psu_weight[:, None]) / total_weight,
        ),
        lambda rep: (
            variance.replicate_totals(rep, sums)
            / variance.replicate_totals(rep, psu_weight[:, None])
        ),
    )
    count = variance.covariance(
        design,
        t,
        lambda: variance.Influence(weights=base.weights, values=rows_t, n_columns=k, totals=sums),
        lambda rep: variance.replicate_totals(rep, sums),
    )
    return p, share.full(), t, count.full()


def chisq_test(
    x: Column,
    y: Column,
    design: AnyDesign,
    *,
    method: str = "rao-scott-2",
    na: str = "fail",
) -> TestResult:
    r"""Test of association in the two-way table of ``x`` and ``y``, as R's ``svychisq``.

    Parameters
    ----------
    x, y : array_like or str
        The row and column variables (labels, one per row), or names of columns of the
        design's frame.
    design : SurveyDesign or ReplicateDesign
        The sample design.
    method : {"rao-scott-2", "rao-scott-1", "wald", "adjusted-wald"}, default "rao-scott-2"
        ``"rao-scott-2"``: Pearson's :math:`X^2` divided by the sum of the design effects,
        referred to an F distribution with estimated degrees of freedom (R's
        ``statistic="F"``, the default there too); ``"rao-scott-1"``: :math:`X^2` divided by
        their mean, referred to :math:`\chi^2_{(r-1)(c-1)}` (R's ``"Chisq"``); ``"wald"``:
        the Wald statistic of the departures from independence over
        :math:`(r-1)(c-1)`, referred to :math:`F_{(r-1)(c-1), \nu}` (R's ``"Wald"``);
        ``"adjusted-wald"``: R's ``"adjWald"``. ``-`` and ``_`` may be swapped.
    na : {"fail", "domain"}, default "fail"
        Rows missing ``x`` or ``y`` are refused, or left out (R's ``na.rm=TRUE``).

    Returns
    -------
    TestResult
        ``name`` ``"F"`` (``"rao-scott-2"``, the Wald tests) or ``"X-squared"``
        (``"rao-scott-1"``, whose statistic is the corrected :math:`X^2 / \bar\delta`;
        R prints :math:`X^2` itself, kept in ``notes["pearson"]``). ``notes`` also holds
        the design effects :math:`\delta_k` and the weighted table. A table with fewer than
        two rows or columns among the rows used, or whose design effects cannot be
        computed, gives NaN flagged ``"no_test"``.

    Notes
    -----
    With :math:`\hat p` the :math:`rc` cell shares, :math:`\hat V` their design covariance
    and :math:`C` the interaction contrasts of the table orthogonalised against its main
    effects, the design effects are the eigenvalues of
    :math:`\Delta = (C^\top D^{-1} C / N)^{-1} C^\top D^{-1} \hat V D^{-1} C` with
    :math:`D = \operatorname{diag}(\hat p)` and :math:`N` the number of rows. Pearson's
    :math:`X^2` is computed on the weighted table scaled to :math:`N`. The second-order
    correction refers :math:`X^2 / \operatorname{tr}\Delta` to
    :math:`F_{d, d\nu}` with :math:`d = (\operatorname{tr}\Delta)^2 /
    \operatorname{tr}\Delta^2` and :math:`\nu` the design's degrees of freedom (Rao and
    Scott 1984). The Wald test uses the cell totals' departures from independence,
    :math:`\hat T_{jk} - \hat T_{j\cdot}\hat T_{\cdot k}/\hat N`, for :math:`j, k \ge 2`,
    with their covariance by the delta method (Koch, Freeman and Freeman 1975).

    References
    ----------
    .. [1] Rao, J. N. K. and Scott, A. J. (1984). On chi-squared tests for multiway
       contingency tables with cell proportions estimated from survey data. *Annals of
       Statistics* 12, 46-60.
    .. [2] Lumley, T. (2010). *Complex Surveys*, section 6.2. Wiley.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor.stats import SurveyDesign, chisq_test
    >>> rng = np.random.default_rng(4)
    >>> office = rng.choice(["mayor", "alderman"], 400)
    >>> victim = np.where(rng.random(400) < np.where(office == "mayor", 0.4, 0.2), "yes", "no")
    >>> design = SurveyDesign(weights=rng.uniform(1, 2, 400), clusters=np.arange(400) // 4)
    >>> result = chisq_test(office, victim, design)
    >>> result.name, bool(result.p_value < 0.05)
    ('F', True)
    """
    checked = _check_design(design)
    chosen = check_choice("method", method, CHISQ_METHODS)
    check_na(na)
    rows = domains(x, checked, na, role="x")
    cols = domains(y, checked, na, role="y")
    nr, nc = rows.size, cols.size
    title = {
        "rao-scott-2": "Pearson's X^2: Rao & Scott second-order correction",
        "rao-scott-1": "Pearson's X^2: Rao & Scott first-order correction",
        "wald": "Design-based Wald test of association",
        "adjusted-wald": "Design-based adjusted Wald test of association",
    }[chosen]
    name = "X-squared" if chosen == "rao-scott-1" else "F"
    if nr < 2 or nc < 2:
        return _nan_result(
            title,
            name,
            "no_test",
            f"the table has {nr} row(s) and {nc} column(s) among the rows used; a test of "
            "association needs at least two of each",
        )
    base = checked.base if isinstance(checked, ReplicateDesign) else checked
    kept = (rows.codes < nr) & (cols.codes < nc)
    k = nr * nc
    cell = np.where(kept, rows.codes + nr * cols.codes, 0)  # rows vary fastest, as R's grid
    inside = base.in_subset
    n_rows = float(base.n if inside is None else inside.sum())  # R's N counts rows with NA
    nu = float(checked.df)
    p, cov_p, t, cov_t = _cell_covariance(checked, base.psu, cell, kept, k)
    grid_row = np.tile(np.arange(nr), nc)
    grid_col = np.repeat(np.arange(nc), nr)
    table = p.reshape(nc, nr).T  # rows x columns
    notes: dict[str, Any] = {
        "table": table,
        "rows": rows.labels,
        "columns": cols.labels,
    }

    if chosen in ("wald", "adjusted-wald"):
        row_total = np.bincount(grid_row, weights=t, minlength=nr)
        col_total = np.bincount(grid_col, weights=t, minlength=nc)
        grand = float(t.sum())
        departure = t - row_total[grid_row] * col_total[grid_col] / grand
        same_row = grid_row[:, None] == grid_row[None, :]
        same_col = grid_col[:, None] == grid_col[None, :]
        jacobian = (
            np.eye(k)
            - same_row * (col_total[grid_col] / grand)[:, None]
            - same_col * (row_total[grid_row] / grand)[:, None]
            + (row_total[grid_row] * col_total[grid_col] / grand**2)[:, None]
        )
        use = (grid_row >= 1) & (grid_col >= 1)
        cov = jacobian[use] @ cov_t @ jacobian[use].T
        try:
            wald = float(departure[use] @ np.linalg.solve(cov, departure[use]))
        except np.linalg.LinAlgError:
            return _nan_result(
                title, name, "no_test", "the Wald statistic's covariance is singular"
            )
        numdf = (nr - 1) * (nc - 1)
        if chosen == "wald":
            statistic, ddf = wald / numdf, nu
        else:
            ddf = nu - numdf + 1
            statistic = wald * ddf / (numdf * nu)
        p_value = _distributions.f_sf(statistic, numdf, ddf) if ddf > 0 else np.nan
        return TestResult(statistic, numdf, ddf, p_value, title, name, notes=notes)

    # Rao-Scott: interaction contrasts orthogonal to the main effects of the grid
    main = np.column_stack(
        [np.ones(k)]
        + [(grid_row == j).astype(float) for j in range(1, nr)]
        + [(grid_col == j).astype(float) for j in range(1, nc)]
    )
    interaction = np.column_stack(
        [
            ((grid_row == a) & (grid_col == b)).astype(float)
            for b in range(1, nc)
            for a in range(1, nr)
        ]
    )
    fitted = main @ np.linalg.lstsq(main, interaction, rcond=None)[0]
    contrasts = interaction - fitted
    with np.errstate(divide="ignore"):
        inverse_share = np.where(p == 0, 0.0, 1.0 / p)
    scaled = contrasts * inverse_share[:, None]
    denominator = contrasts.T @ scaled / n_rows
    numerator = scaled.T @ cov_p @ scaled
    try:
        delta = np.linalg.solve(denominator, numerator)
    except np.linalg.LinAlgError:
        return _nan_result(
            title, name, "no_test", "the design effects cannot be computed (an empty row or column)"
        )
    trace = float(np.trace(delta))
    trace2 = float(np.trace(delta @ delta))
    observed = p * n_rows
    row_share = np.bincount(grid_row, weights=observed, minlength=nr)
    col_share = np.bincount(grid_col, weights=observed, minlength=nc)
    expected = row_share[grid_row] * col_share[grid_col] / n_rows
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float(np.sum((observed - expected) ** 2 / expected))
    notes.update(
        pearson=pearson,
        design_effects=tuple(np.sort(np.linalg.eigvals(delta).real)[::-1].tolist()),
        mean_design_effect=trace / delta.shape[0],
    )
    if chosen == "rao-scott-2":
        d0 = trace**2 / trace2
        statistic = pearson / trace
        p_value = _distributions.f_sf(statistic, d0, d0 * nu) if nu > 0 else np.nan
        return TestResult(statistic, d0, d0 * nu, p_value, title, name, notes=notes)
    dof = delta.shape[0]
    statistic = pearson / (trace / dof)
    return TestResult(
        statistic, dof, np.inf, _distributions.chi2_sf(statistic, dof), title, name, notes=notes
    )


def t_test(
    y: Column,
    group: Column | None,
    design: AnyDesign,
    *,
    level: float = 0.95,
    na: str = "fail",
) -> TestResult:
    r"""Design-based t test of the difference of two domain means, as R's ``svyttest``.

    Parameters
    ----------
    y : array_like or str
        The outcome, or the name of a numeric column of the design's frame.
    group : array_like or str, or None
        Two groups (labels, one per row, or a column name); the difference is the mean of
        the second group (in label order: ``True`` after ``False``, ``"b"`` after ``"a"``)
        minus that of the first. None tests that the mean of ``y`` is zero (R's
        ``svyttest(y ~ 0, design)``).
    design : SurveyDesign or ReplicateDesign
        The sample design.
    level : float, default 0.95
        Default level of the result's :meth:`~TestResult.confidence_interval`.
    na : {"fail", "domain"}, default "fail"
        Rows missing ``y`` or ``group``: refused, or left out (R's default).

    Returns
    -------
    TestResult
        ``estimate`` (the difference, or the mean), its ``standard_error``, ``statistic``
        (t) with ``ddf`` degrees of freedom, and the two-sided ``p_value``; ``method`` says
        which difference (``"Design-based t-test, mean of v minus mean of m"``). A group
        with no rows, or a difference without variance, gives NaN statistics flagged
        ``"no_test"``.

    Raises
    ------
    ValueError
        For a ``group`` with other than two categories among the rows used.

    Notes
    -----
    The difference of the domain means :math:`\hat{\bar y}_2 - \hat{\bar y}_1` has the
    standard error of a contrast of domains estimated on the full design (see
    :func:`contrast`), which equals that of the group coefficient of R's
    ``svyglm(y ~ group)``. The degrees of freedom are R's: the design's (among the rows
    used) minus one.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys*, section 2.3. Wiley.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, t_test
    >>> design = SurveyDesign(weights=[1.0] * 8, clusters=[1, 1, 2, 2, 3, 3, 4, 4])
    >>> result = t_test([1.0, 2.0, 2.0, 3.0, 5.0, 4.0, 6.0, 7.0], [0, 1] * 4, design)
    >>> result.name, round(result.estimate, 4), result.ddf
    ('t', 0.5, 2.0)
    """
    checked = _check_design(design)
    check_na(na)
    base = checked.base if isinstance(checked, ReplicateDesign) else checked
    _, missing = response("y", y, checked, na)
    use = np.ones(base.n, dtype=bool) if base.in_subset is None else base.in_subset.copy()
    if missing is not None:
        use &= ~missing
    if group is None:
        estimate = mean(y, checked, na=na)
        assert isinstance(estimate, Estimate)
        difference, title = estimate, "Design-based one-sample t-test"
    else:
        domains(group, checked, na, missing, role="group")  # its labels, named as 'group'
        table = mean(y, checked, by=group, na=na)
        assert isinstance(table, EstimateTable)
        labels = [label for label, n in zip(table.domains, table.n, strict=True) if n > 0]
        if len(table.domains) != 2:
            shown = ", ".join(repr(label) for label in table.domains[:10])
            raise ValueError(
                f"'group' must have two categories among the rows used; it has "
                f"{len(table.domains)}: {shown}"
            )
        coded = domains(group, checked, na, missing)
        use &= coded.codes < coded.size
        if len(labels) < 2:
            return _nan_result(
                "Design-based t-test", "t", "no_test", "a group has no rows with a value"
            )
        first, second = table.domains
        difference = contrast(table, {second: 1.0, first: -1.0})
        title = f"Design-based t-test, mean of {second} minus mean of {first}"
    if isinstance(checked, ReplicateDesign):
        df = float(checked.df) - 1.0
    elif base.in_subset is None and use.all():
        df = float(base.df) - 1.0
    else:
        df = float(base.subset(use).df) - 1.0
    estimate_value, se = difference.estimate, difference.standard_error
    flags: tuple[str, ...] = ()
    statistic = estimate_value / se if se > 0 else np.nan  # a Python float: no errstate
    if not (se > 0 and df > 0):
        flags = ("no_test",)
    p_value = 2.0 * _distributions.t_sf(abs(statistic), df) if df > 0 and se > 0 else np.nan
    return TestResult(
        statistic if se > 0 else np.nan,
        df,
        df,
        p_value,
        title,
        "t",
        estimate=estimate_value,
        standard_error=se,
        level=level,
        flags=flags,
    )
