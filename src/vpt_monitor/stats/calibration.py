r"""Calibration of weights to known population totals: post-stratification, raking, GREG.

:func:`poststratify`, :func:`rake` and :func:`calibrate` return a new design whose weights
reproduce the population totals and whose variance accounts for the calibration, as R
``survey``'s ``postStratify``, ``rake`` and ``calibrate`` do: the linearised values are
replaced by their residuals from the calibration cells (or, for :func:`calibrate`, from a
weighted regression on the calibration variables) before the between-PSU variance is
taken. A calibrated estimate of a share within post-strata is therefore more precise than
the uncalibrated one, and a count of a post-stratum has no sampling variance at all.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, overload

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt_monitor.stats import _calmodel
from vpt_monitor.stats._calmodel import Bounds, Model
from vpt_monitor.stats._inputs import label_codes, response
from vpt_monitor.stats._labels import show
from vpt_monitor.stats._validation import check_choice, warn
from vpt_monitor.stats.design import ReplicateDesign, SurveyDesign
from vpt_monitor.stats.replicate import qr_rank

__all__ = ["Calibration", "PostStratification", "Raking", "calibrate", "poststratify", "rake"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Sweeps of the raking residual adjustment, as R ``survey``'s ``svyrecvar``.
RAKING_SWEEPS = 10


@attrs.frozen(eq=False)
class PostStratification:
    """A post-stratification step: the cell of every row and the weights it produced."""

    codes: IntArray = attrs.field(repr=False)
    labels: tuple[Hashable, ...]
    weights: FloatArray = attrs.field(repr=False)

    @property
    def n_cells(self) -> int:
        """Number of post-strata."""
        return len(self.labels)


@attrs.frozen(eq=False)
class Raking:
    """A raking step: the margins, the raked weights and how the iterations ended."""

    margins: tuple[str, ...]
    codes: tuple[IntArray, ...] = attrs.field(repr=False)
    sizes: tuple[int, ...]
    weights: FloatArray = attrs.field(repr=False)
    iterations: int
    converged: bool
    max_error: float
    cross_counts: tuple[tuple[FloatArray, ...], ...] = attrs.field(repr=False)


@attrs.frozen(eq=False)
class Calibration:
    r"""A step of :func:`~vpt_monitor.stats.calibrate`: the model, g-weights and iterations.

    Attributes
    ----------
    method : str
        ``"linear"``, ``"raking"`` or ``"logit"``.
    bounds : tuple of float
        The bounds ``(L, U)`` on the g-weights (infinite when none were given).
    model : object
        The calibration variables and their population totals (``model.targets``).
    g : numpy.ndarray
        The g-weights: calibrated weights over the weights before calibration.
    design_weights : numpy.ndarray
        The weights before calibration.
    weights : numpy.ndarray
        The calibrated weights.
    iterations : int
        Newton iterations used.
    converged : bool
        Whether every total was met to within ``tol``.
    max_error : float
        Largest :math:`|T_k - \hat T_k| / (1 + |T_k|)` at the end.
    rescale : float
        The factor R's ``grake`` multiplies the weights by first when every population
        total exceeds its estimate more than 20 times (1 otherwise); bounds apply to the
        g-weights relative to the rescaled weights.
    rows : numpy.ndarray of bool or None
        The rows calibrated, when only some were (one wave of the monitor); None for all.
    """

    method: str
    bounds: tuple[float, float]
    model: Model = attrs.field(repr=False)
    g: FloatArray = attrs.field(repr=False)
    design_weights: FloatArray = attrs.field(repr=False)
    weights: FloatArray = attrs.field(repr=False)
    iterations: int
    converged: bool
    max_error: float
    rescale: float
    rows: NDArray[np.bool_] | None = attrs.field(default=None, repr=False)

    @property
    def margins(self) -> tuple[str, ...]:
        """Names of the categorical margins and numeric totals, in order."""
        return self.model.names


def _cells(
    name: str, labels: ArrayLike | str, population: Mapping[Hashable, float], design: SurveyDesign
) -> tuple[IntArray, tuple[Hashable, ...], FloatArray]:
    """Codes of the sample's cells and each cell's population count, checked both ways."""
    if not isinstance(population, Mapping) or not population:
        raise TypeError(f"'{name}' population must be a non-empty mapping {{label: count}}")
    codes, found = label_codes(name, labels, design)
    sample_labels = tuple(found.tolist())
    counts = np.empty(len(sample_labels))
    for i, label in enumerate(sample_labels):
        if label not in population:
            raise ValueError(
                f"{name}: the sample has cell {show(label)} that the population counts do not "
                f"name; population cells: {', '.join(show(k) for k in list(population)[:12])}"
            )
        counts[i] = float(population[label])
    missing = [k for k, v in population.items() if k not in set(sample_labels) and v != 0]
    if missing:
        raise ValueError(
            f"{name}: population cell {show(missing[0])} (count {population[missing[0]]:g}) has "
            "no sample; merge it with a neighbouring cell"
        )
    bad = ~(np.isfinite(counts) & (counts > 0))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"{name}: population count of cell {show(sample_labels[i])} must be finite and > 0; "
            f"got {counts[i].item()!r}"
        )
    return codes, sample_labels, counts


def _check_uncalibrated(design: object) -> None:
    if not isinstance(design, SurveyDesign):
        raise TypeError(f"'design' must be a SurveyDesign; got {type(design).__name__}")
    if design.calibrated:
        raise ValueError(
            "the design is calibrated already; calibrate the original design in one step "
            "(rake takes all margins at once)"
        )
    if design.in_subset is not None:
        raise ValueError(
            "calibrate the full design, then take the subset (calibrating a subset would "
            "calibrate the rows left out too)"
        )
    if design.second_stage is not None:
        raise ValueError(
            "calibrating a design with a second-stage fpc is not supported; calibrate the "
            "design without fpc2 (its first-stage variance is then the ultimate-cluster one)"
        )


@overload
def poststratify(
    design: SurveyDesign, labels: ArrayLike | str, population: Mapping[Hashable, float]
) -> SurveyDesign: ...


@overload
def poststratify(
    design: ReplicateDesign, labels: ArrayLike | str, population: Mapping[Hashable, float]
) -> ReplicateDesign: ...


def poststratify(
    design: SurveyDesign | ReplicateDesign,
    labels: ArrayLike | str,
    population: Mapping[Hashable, float],
) -> SurveyDesign | ReplicateDesign:
    r"""Post-stratify the weights to known population counts of cells.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design to calibrate. For a replicate design (replicate weights made by
        :meth:`SurveyDesign.replicate` or supplied in a file), the full-sample weights and
        every replicate's weights are post-stratified, as R's ``postStratify`` of a
        ``svrepdesign``; its degrees of freedom are then the rank of the post-stratified
        replicate weights minus one, as R's ``degf``.
    labels : array_like or str
        Post-stratum of each row (for example office, or office crossed with layer coded as
        one label), or the name of a column of the design's frame.
    population : mapping
        ``{label: population count}`` for every post-stratum in the sample. A cell with a
        population count but no sample is an error (merge cells first); cells with count 0
        and no sample are ignored.

    Returns
    -------
    SurveyDesign or ReplicateDesign
        The design with weights :math:`w_i N_g / \hat N_g` for row :math:`i` in cell
        :math:`g`, and a :class:`~vpt_monitor.stats.calibration.PostStratification` step in
        ``design.calibration`` (for a replicate design a
        :class:`~vpt_monitor.stats.calibration.Calibration` step in
        ``design.base.calibration``: linear calibration to the cells' counts, which is
        post-stratification).

    Notes
    -----
    The linearised values :math:`z_i` of any estimator are replaced by
    :math:`z_i - w_i \sum_{j \in g} z_j / \sum_{j \in g} w_j` before their variance is
    taken, which is R ``survey``'s ``postStratify`` treatment (Valliant 1993).

    References
    ----------
    .. [1] Valliant, R. (1993). Poststratification and conditional variance estimation.
       *Journal of the American Statistical Association* 88, 89-96.

    Warns
    -----
    UserWarning
        When the calibrated weights add up to a population more than 5% away from the one
        the fpc gives (population sizes, a design without clusters), as :func:`calibrate`.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, poststratify, total
    >>> design = SurveyDesign(weights=[1.0, 1.0, 1.0, 1.0])
    >>> calibrated = poststratify(design, ["mayor", "mayor", "alderman", "alderman"],
    ...                           {"mayor": 390, "alderman": 1400})
    >>> calibrated.weights.tolist()
    [195.0, 195.0, 700.0, 700.0]
    >>> round(total([1, 0, 1, 1], calibrated).standard_error, 2)  # as R survey
    159.22
    """
    if isinstance(design, ReplicateDesign):
        _check_uncalibrated(design.base)
        _cells("labels", labels, population, design.base)  # refused as for a SurveyDesign
        name = labels if isinstance(labels, str) else "labels"
        return _calibrate_replicate_design(
            design, {name: (labels, population)}, "linear", max_iter=50, tol=1e-10
        )
    _check_uncalibrated(design)
    codes, cell_labels, counts = _cells("labels", labels, population, design)
    estimated = np.bincount(codes, weights=design.weights, minlength=len(cell_labels))
    weights = design.weights * (counts / estimated)[codes]
    step = PostStratification(codes=codes, labels=cell_labels, weights=weights)
    return _against_fpc(design.with_weights(weights, calibration_step=step))


RakeMargins = Mapping[
    str, tuple[ArrayLike | str, Mapping[Hashable, float]] | Mapping[Hashable, float]
]


@overload
def rake(
    design: SurveyDesign, margins: RakeMargins, *, tol: float = ..., max_iter: int = ...
) -> SurveyDesign: ...


@overload
def rake(
    design: ReplicateDesign, margins: RakeMargins, *, tol: float = ..., max_iter: int = ...
) -> ReplicateDesign: ...


def rake(
    design: SurveyDesign | ReplicateDesign,
    margins: RakeMargins,
    *,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> SurveyDesign | ReplicateDesign:
    r"""Rake the weights to several population margins by iterative proportional fitting.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design to calibrate. For a replicate design the full-sample weights and every
        replicate's weights are raked to the margins, as R's ``rake`` of a ``svrepdesign``
        (by :func:`calibrate` with ``method="raking"``, whose solution is the same), and
        its degrees of freedom are the rank of the raked replicate weights minus one, as
        R's ``degf``.
    margins : mapping
        ``{name: (labels, {label: population count})}``, one entry per margin, for example
        ``{"office": (office, office_counts), "layer": (layer, layer_counts)}``; ``labels``
        may be the name of a column of the design's frame, and for a design made from a
        frame ``{column: {label: population count}}`` names the column by the margin's
        name. All margins must add up to the same population total.
    tol : float, default 1e-10
        Convergence when every margin's weighted counts are within ``tol`` times the
        population total of their targets.
    max_iter : int, default 100
        Largest number of full passes over the margins; a `UserWarning` is given if the
        weights have not converged by then. A replicate design is raked as
        :func:`calibrate` with ``method="raking"`` rakes (R's ``calibrate(calfun="raking")``,
        the same weights at convergence; R's ``rake`` of a ``svrepdesign`` stops its
        replicates earlier): ``max_iter`` counts its Newton steps, and weights that do not
        converge raise a `ValueError`, as :func:`calibrate`'s do.

    Returns
    -------
    SurveyDesign or ReplicateDesign
        The raked design; its last ``calibration`` step is a
        :class:`~vpt_monitor.stats.calibration.Raking` (for a replicate design a
        :class:`~vpt_monitor.stats.calibration.Calibration` in ``design.base.calibration``)
        that reports ``iterations``, ``converged`` and ``max_error``.

    Warns
    -----
    UserWarning
        When the calibrated weights add up to a population more than 5% away from the one
        the fpc gives (population sizes, a design without clusters), as :func:`calibrate`.

    Raises
    ------
    ValueError
        For margins whose totals disagree, a sample cell without a population count, a
        population cell without sample, or bad ``tol`` and ``max_iter``.

    Notes
    -----
    Each pass post-stratifies to each margin in turn (Deming and Stephan 1940). The variance
    follows R ``survey``'s ``rake``: the linearised values :math:`z_i = w_i u_i` are adjusted
    by ten sweeps of :math:`u \leftarrow u - \bar u_{c}` over the margins, where
    :math:`\bar u_c` is the (unweighted) mean of :math:`u` in the row's category of that
    margin. R takes the weights of each margin's last step; after convergence those equal
    the final weights, which are used here.

    References
    ----------
    .. [1] Deming, W. E. and Stephan, F. F. (1940). On a least squares adjustment of a sampled
       frequency table when the expected marginal totals are known. *Annals of Mathematical
       Statistics* 11, 427-444.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, rake
    >>> design = SurveyDesign(weights=[1.0, 1.0, 1.0, 1.0, 1.0])
    >>> raked = rake(design, {
    ...     "office": (["m", "m", "a", "a", "a"], {"m": 40, "a": 60}),
    ...     "gender": (["f", "v", "f", "v", "v"], {"f": 45, "v": 55}),
    ... })
    >>> raked.calibration[-1].converged
    True
    >>> round(float(raked.weights[[0, 2]].sum()), 6)
    45.0
    """
    _check_uncalibrated(design.base if isinstance(design, ReplicateDesign) else design)
    if not isinstance(margins, Mapping) or len(margins) == 0:
        raise TypeError("'margins' must be a non-empty mapping {name: (labels, population)}")
    if not (isinstance(tol, float | int) and tol > 0):
        raise ValueError(f"'tol' must be a number > 0; got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"'max_iter' must be a whole number >= 1; got {max_iter!r}")
    if isinstance(design, ReplicateDesign):
        return _calibrate_replicate_design(
            design, margins, "raking", max_iter=max_iter, tol=float(tol)
        )
    names = tuple(str(k) for k in margins)
    cells = []
    for name, value in margins.items():
        if isinstance(value, Mapping):
            if design._frame is None:
                raise TypeError(
                    f"margin {name!r} must be a pair (labels, {{label: count}}); a mapping "
                    "alone names a column, which needs a design made from a data frame"
                )
            value = (name, value)
        if not isinstance(value, tuple) or len(value) != 2:
            raise TypeError(f"margin {name!r} must be a pair (labels, {{label: count}})")
        cells.append(_cells(f"margin {name!r}", value[0], value[1], design))
    totals = np.array([c[2].sum() for c in cells])
    if not np.allclose(totals, totals[0], rtol=1e-9, atol=0):
        listed = ", ".join(f"{n!r}: {t:g}" for n, t in zip(names, totals, strict=True))
        raise ValueError(f"the margins add up to different population totals ({listed})")

    weights = design.weights.copy()
    target_total = float(totals[0])
    error = np.inf
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - reported below
        for codes, _, counts in cells:
            current = np.bincount(codes, weights=weights, minlength=len(counts))
            weights *= (counts / current)[codes]
        error = (
            max(
                float(np.max(np.abs(np.bincount(c, weights=weights, minlength=len(k)) - k)))
                for c, _, k in cells
            )
            / target_total
        )
        if error <= tol:
            break
    converged = error <= tol
    if not converged:
        warn(
            f"raking did not converge in {max_iter} iterations: the largest relative margin "
            f"error is {error:.3g} (tol={tol:g}); the weights are those of the last iteration"
        )
    sizes = tuple(len(c[1]) for c in cells)
    codes_all = tuple(c[0] for c in cells)
    cross = tuple(
        tuple(
            np.bincount(a * sizes[j] + b, minlength=sizes[i] * sizes[j])
            .reshape(sizes[i], sizes[j])
            .astype(np.float64)
            for j, b in enumerate(codes_all)
        )
        for i, a in enumerate(codes_all)
    )
    step = Raking(
        margins=names,
        codes=codes_all,
        sizes=sizes,
        weights=weights,
        iterations=iterations,
        converged=converged,
        max_error=error,
        cross_counts=cross,
    )
    return _against_fpc(design.with_weights(weights, calibration_step=step))


def calibration_adjustment(design: SurveyDesign, influence: Any) -> FloatArray:
    r"""Return what calibration takes off the PSU totals of influence values (``n_psu x P``).

    ``influence.group_sums(codes, size, weighted=...)`` sums the influence values
    :math:`z = w u` (or :math:`u`, unweighted) over the rows of each group, and
    ``influence.sums_with(codes, size, weights)`` sums ``weights * u``, as
    :class:`vpt_monitor.stats.variance.Influence`. A design carries at most one
    calibration step.

    Post-stratification replaces :math:`z_i` by :math:`z_i - w_i \bar z_g` with
    :math:`\bar z_g = \sum_{j \in g} z_j / \sum_{j \in g} w_j` (R's ``postStratify``);
    raking sweeps :math:`u \leftarrow u - \bar u_c` over the margins ten times (R's
    ``rake``). Both are linear in :math:`z`, so the adjustment of the PSU totals is the
    PSU-by-cell table of weights times the cell means.
    """
    factors = calibration_factors(design, influence)
    adjustment: FloatArray = factors[0][0] @ factors[0][1]
    for table, means in factors[1:]:
        adjustment = adjustment + table @ means
    return adjustment


def calibration_factors(
    design: SurveyDesign, influence: Any
) -> list[tuple[FloatArray, FloatArray]]:
    r"""Return the adjustment of :func:`calibration_adjustment` as products :math:`B M`.

    Each pair is an ``n_psu x k`` table :math:`B` of the weights (times the calibration
    variables) of each PSU's rows in each of ``k`` calibration cells, and a ``k x P`` table
    :math:`M` of the cell means (regression coefficients) of the influence values: the
    adjustment has rank at most the number of cells, so many estimates never need the
    ``n_psu x P`` table itself (see :class:`vpt_monitor.stats.variance.CrossProducts`).
    """
    group_sums: Callable[..., Any] = influence.group_sums
    factors: list[tuple[FloatArray, FloatArray]] = []
    for step in design.calibration:
        if isinstance(step, Calibration):
            factors.append(_regression_factors(design, step, influence))
        elif isinstance(step, PostStratification):
            k = step.n_cells
            sums = _as_dense(group_sums(step.codes, k))
            cell_weight = np.bincount(step.codes, weights=step.weights, minlength=k)
            table = _psu_by_cell(design, step.codes, step.weights, k)
            factors.append((table, sums / cell_weight[:, None]))
        else:
            factors += _raking_factors(design, step, group_sums)
    assert factors
    return factors


def _as_dense(table: Any) -> FloatArray:
    return np.asarray(table.toarray() if hasattr(table, "toarray") else table, dtype=np.float64)


def _psu_by_cell(design: SurveyDesign, codes: IntArray, weights: FloatArray, k: int) -> FloatArray:
    """``n_psu x k`` table of the weights of each PSU's rows in each cell."""
    table = np.bincount(design.psu * k + codes, weights=weights, minlength=design.n_psu * k)
    return np.asarray(table, dtype=np.float64).reshape(design.n_psu, k)


def _raking_factors(
    design: SurveyDesign, step: Raking, group_sums: Callable[..., Any]
) -> list[tuple[FloatArray, FloatArray]]:
    """Per margin, ``psu-by-category weights`` and ``alpha`` from the sweeps."""
    sizes = step.sizes
    counts = [np.diag(step.cross_counts[i][i]) for i in range(len(sizes))]
    sums = [
        _as_dense(group_sums(c, s, weighted=False)) for c, s in zip(step.codes, sizes, strict=True)
    ]
    alpha: list[Any] = [np.zeros_like(total) for total in sums]
    for _ in range(RAKING_SWEEPS):
        for i in range(len(sizes)):
            shift = sum(step.cross_counts[i][j] @ alpha[j] for j in range(len(sizes)))
            alpha[i] = alpha[i] + (sums[i] - shift) / counts[i][:, None]
    return [
        (_psu_by_cell(design, c, step.weights, s), np.asarray(a, dtype=np.float64))
        for c, s, a in zip(step.codes, sizes, alpha, strict=True)
    ]


def _regression_factors(
    design: SurveyDesign, step: Calibration, influence: Any
) -> tuple[FloatArray, FloatArray]:
    r"""PSU totals of :math:`g_i w_i x_i^\top \hat\beta` for the residuals of R's ``calibrate``.

    :math:`\hat\beta = (X^\top W X)^{+} X^\top (z / g)`, with :math:`W` the weights before
    calibration: R's ``qr.resid(qr(X * sqrt(w)), z / (g sqrt(w))) * g sqrt(w)``.
    """
    model = step.model
    through = influence.weights / step.g
    parts = [
        _as_dense(influence.sums_with(codes, len(labels), through))
        for codes, labels in zip(model.codes, model.labels, strict=True)
    ]
    zeros = np.zeros(design.n, dtype=np.intp)
    parts += [
        _as_dense(influence.sums_with(zeros, 1, through * model.numeric[:, c]))
        for c in range(model.numeric.shape[1])
    ]
    cross = np.vstack(parts)  # K x P
    gram = model.gram(step.design_weights)
    # equilibrate the columns before the generalised inverse (margins are collinear)
    size = np.sqrt(np.diag(gram))
    size[size == 0] = 1.0
    inverse = np.linalg.pinv(gram / np.outer(size, size), rcond=1e-10, hermitian=True)
    beta = (inverse / np.outer(size, size)) @ cross
    table = np.asarray(model.psu_table(design.psu, design.n_psu, step.weights), np.float64)
    return table, np.asarray(beta, dtype=np.float64)


Margins = Mapping[str, tuple[ArrayLike | str, Mapping[Hashable, float]] | Mapping[Hashable, float]]
Totals = Mapping[str, tuple[ArrayLike | str, float] | float]


def _margin_pairs(
    margins: Margins | None, design: SurveyDesign, what: str = "margin"
) -> list[tuple[str, IntArray, tuple[Hashable, ...], FloatArray]]:
    """Check the categorical margins: codes, categories and population counts of each."""
    if margins is None:
        return []
    if not isinstance(margins, Mapping):
        raise TypeError("'margins' must be a mapping {name: (labels, {label: count})}")
    result = []
    for name, value in margins.items():
        if isinstance(value, Mapping):
            if design._frame is None:
                raise TypeError(
                    f"{what} {name!r} must be a pair (labels, {{label: count}}); a mapping "
                    "alone names a column, which needs a design made from a data frame"
                )
            value = (name, value)
        if not isinstance(value, tuple) or len(value) != 2:
            raise TypeError(f"{what} {name!r} must be a pair (labels, {{label: count}})")
        codes, labels, counts = _cells(f"{what} {str(name)!r}", value[0], value[1], design)
        result.append((str(name), codes, labels, counts))
    return result


def _total_columns(
    totals: Totals | None, design: SurveyDesign
) -> list[tuple[str, FloatArray, float]]:
    """Check the numeric totals: values of each row and the population total."""
    if totals is None:
        return []
    if not isinstance(totals, Mapping):
        raise TypeError("'totals' must be a mapping {name: (values, population total)}")
    result = []
    for name, value in totals.items():
        if not isinstance(value, tuple):
            if design._frame is None:
                raise TypeError(
                    f"total {name!r} must be a pair (values, population total); a number "
                    "alone names a column, which needs a design made from a data frame"
                )
            value = (name, value)
        if len(value) != 2:
            raise TypeError(f"total {name!r} must be a pair (values, population total)")
        values, _ = response(f"total {str(name)!r}", value[0], design, "fail")
        try:
            target = float(value[1])
        except (TypeError, ValueError):
            raise TypeError(
                f"total {name!r}: the population total must be a number; got {value[1]!r}"
            ) from None
        if not np.isfinite(target):
            raise ValueError(f"total {name!r}: the population total must be finite; got {target}")
        result.append((str(name), values, target))
    return result


def _check_bounds(bounds: object, method: str) -> Bounds:
    if bounds is None:
        if method == "logit":
            raise ValueError(
                "method='logit' needs finite bounds=(L, U) on the g-weights, with L < 1 < U"
            )
        return Bounds()
    if not isinstance(bounds, tuple | list) or len(bounds) != 2:
        raise TypeError(f"'bounds' must be a pair (L, U); got {bounds!r}")
    try:
        lower, upper = float(bounds[0]), float(bounds[1])
    except (TypeError, ValueError):
        raise TypeError(f"'bounds' must be a pair of numbers (L, U); got {bounds!r}") from None
    if np.isnan(lower) or np.isnan(upper) or not lower < 1.0 < upper:
        raise ValueError(
            f"'bounds' must satisfy L < 1 < U (g = 1 leaves a weight unchanged); got {bounds!r}"
        )
    if method == "logit" and not (np.isfinite(lower) and np.isfinite(upper)):
        raise ValueError(f"method='logit' needs finite bounds; got {bounds!r}")
    if method == "raking" and lower < 0:
        raise ValueError(
            f"method='raking' gives positive g-weights; a lower bound below 0 means nothing "
            f"(got {bounds!r})"
        )
    return Bounds(lower, upper)


def _model(margins: Margins | None, totals: Totals | None, design: SurveyDesign) -> Model:
    cats = _margin_pairs(margins, design)
    nums = _total_columns(totals, design)
    if not cats and not nums:
        raise ValueError("calibrate needs at least one margin or total")
    names = [c[0] for c in cats] + [t[0] for t in nums]
    if len(set(names)) != len(names):
        raise ValueError(f"margins and totals must have different names; got {names}")
    if len(cats) > 1:
        sums = np.array([c[3].sum() for c in cats])
        if not np.allclose(sums, sums[0], rtol=1e-9, atol=0):
            listed = ", ".join(f"{c[0]!r}: {t:g}" for c, t in zip(cats, sums, strict=True))
            raise ValueError(f"the margins add up to different population totals ({listed})")
    numeric = np.column_stack([t[1] for t in nums]) if nums else np.zeros((design.n, 0), np.float64)
    targets = np.concatenate([c[3] for c in cats] + [np.array([t[2] for t in nums])])
    return Model(
        names=tuple(names),
        codes=tuple(c[1] for c in cats),
        labels=tuple(c[2] for c in cats),
        numeric=np.ascontiguousarray(numeric, dtype=np.float64),
        targets=targets.astype(np.float64),
    )


def _check_reachable(model: Model, weights: FloatArray, bounds: Bounds, method: str) -> None:
    """Refuse a category (or nonnegative total) that no g-weights within bounds can meet."""
    if not bounds.finite:
        return
    rescale = _calmodel.rescale_factor(model, weights)
    start = 0
    names = model.column_names()
    needed = np.full(model.n_columns, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        for codes, labels in zip(model.codes, model.labels, strict=True):
            estimate = np.bincount(codes, weights=weights, minlength=len(labels)) * rescale
            needed[start : start + len(labels)] = model.targets[start : start + len(labels)] / (
                estimate
            )
            start += len(labels)
        for c in range(model.numeric.shape[1]):
            x = model.numeric[:, c]
            if np.all(x >= 0):
                needed[start] = model.targets[start] / (float(x @ weights) * rescale)
            start += 1
    strict = method == "logit"
    outside = (
        (needed <= bounds.lower) | (needed >= bounds.upper)
        if strict
        else (needed < bounds.lower) | (needed > bounds.upper)
    )
    if outside.any():
        contradiction = _contradiction(model, weights)
        if contradiction:  # no bounds can help: say that rather than to widen them
            raise ValueError(f"{contradiction}. Check the totals, or merge categories")
        k = int(np.argmax(outside))
        raise ValueError(
            f"infeasible bounds: {names[k]} needs g-weights of {needed[k]:.4g} on average to "
            f"reach its population total {model.targets[k]:g}, outside bounds=({bounds.lower:g}, "
            f"{bounds.upper:g}); widen the bounds or merge categories"
            + (
                f" (the weights were first rescaled by {rescale:.4g}, as R's calibrate does)"
                if rescale != 1.0
                else ""
            )
        )


def _failure(model: Model, weights: FloatArray, bounds: Bounds, solution: Any, method: str) -> str:
    names = model.column_names()
    relative = np.abs(solution.misfit) / (1.0 + np.abs(model.targets))
    k = int(np.argmax(relative))
    reached = model.targets[k] - solution.misfit[k]
    where = f"{names[k]} has population total {model.targets[k]:g} but reached {reached:.6g}"
    contradiction = _contradiction(model, weights)
    if contradiction:
        return f"{contradiction}; the largest miss: {where}. Check the totals, or merge categories"
    if bounds.finite and not _calmodel.feasible(model, weights * solution.rescale, bounds):
        return (
            f"infeasible bounds: no g-weights within bounds=({bounds.lower:g}, "
            f"{bounds.upper:g}) meet all margins and totals at once; the largest miss: {where}. "
            "Widen the bounds or merge categories"
        )
    inconsistent = _inconsistent(model, weights)
    # a large misfit after a step or two (max_iter=1) is no sign of divergence yet
    if inconsistent and solution.iterations >= 3 and not (solution.max_error <= DIVERGED):
        return (
            f"calibration diverged in {solution.iterations} iterations (largest relative "
            f"misfit {solution.max_error:.3g}); {where}. The population totals are probably "
            f"inconsistent with the sample: {inconsistent}. Check the totals (a count of "
            "another population, a misread thousands separator) rather than raising max_iter"
        )
    failed = (
        f"calibration did not converge in {solution.iterations} iterations (largest relative "
        f"misfit {solution.max_error:.3g}); {where}"
    )
    if method == "raking" and bounds.finite:
        # R's bounded cal.raking takes the derivative of g = exp(u) as 0 where u < L - 1
        # (the linear method's rule), so Newton's steps stop moving a g-weight once it is
        # below exp(L - 1), within the bounds though it is (exp(U - 1) >= U never binds)
        return (
            f"{failed}. Weights within bounds=({bounds.lower:g}, {bounds.upper:g}) that meet "
            "every total exist, but bounded raking (as R's cal.raking) stops adjusting a "
            f"g-weight that falls below exp(L - 1) = {np.exp(bounds.lower - 1.0):.3g}; use "
            "method='logit' with the same bounds"
        )
    return f"{failed}. Raise max_iter" + (" or widen the bounds" if bounds.finite else "")


DIVERGED = 1.0  # a relative misfit above this is no slow convergence but a divergence


def _contradiction(model: Model, weights: FloatArray) -> str:
    """Say so when no weights >= 0 meet the totals (no method or bounds can), else ``""``.

    Calibrated weights must be positive; when not even weights >= 0 meet every total, the
    totals contradict the sample - say, every respondent of one category also belongs to
    another, whose total is smaller - and neither more iterations nor wider bounds help.
    """
    if _calmodel.feasible(model, weights, _calmodel.Bounds(0.0, np.inf)):
        return ""
    return (
        "no weights >= 0 meet all margins and totals at once, whatever the method or bounds: "
        f"the population totals contradict the sample ({_nested(model, weights)})"
    )


def _nested(model: Model, weights: FloatArray) -> str:
    """Name a category whose respondents all belong to another with a smaller total.

    Only totals of 0/1 indicators (the categories of margins) are compared; the overlap of
    every pair is one sparse product.
    """
    matrix = _calmodel.weighted_matrix(model, np.ones_like(weights))
    values = matrix.data
    names = model.column_names()
    binary = np.ones(model.n_columns, dtype=bool)
    rows = np.repeat(np.arange(model.n_columns), np.diff(matrix.indptr))
    np.logical_and.at(binary, rows, (values == 0) | (values == 1))
    indicator = (matrix != 0).astype(np.float64)
    overlap = (indicator @ indicator.T).toarray()
    counts = np.diag(overlap)
    targets = model.targets
    inside = (
        (overlap == counts[:, None])
        & (counts[:, None] > 0)
        & binary[:, None]
        & binary[None, :]
        & (targets[:, None] > targets[None, :] * (1 + 1e-9))
    )
    np.fill_diagonal(inside, False)
    if not inside.any():
        return "such as a category whose respondents all belong to another with a smaller total"
    k, j = (int(a[0]) for a in np.nonzero(inside))
    return (
        f"{names[k]}, total {targets[k]:g}, has only respondents who are also in {names[j]}, "
        f"total {targets[j]:g}"
    )


def _inconsistent(model: Model, weights: FloatArray) -> str:
    """Describe the spread of the ratios of population total to weighted sample total."""
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = model.tdot(weights)
        ratio = model.targets / estimate
    usable = np.flatnonzero(np.isfinite(ratio) & (ratio > 0))
    if len(usable) < 2:
        return ""
    low = int(usable[np.argmin(ratio[usable])])
    high = int(usable[np.argmax(ratio[usable])])
    if ratio[high] < 10.0 * ratio[low]:
        return ""
    names = model.column_names()

    def one(k: int) -> str:
        return f"{ratio[k]:.3g} for {names[k]} ({model.targets[k]:g} against {estimate[k]:.6g})"

    return (
        "the ratio of population total to the sample's weighted total ranges from "
        f"{one(low)} to {one(high)}"
    )


def _calibrate_weights(
    model: Model, weights: FloatArray, method: str, bounds: Bounds, max_iter: int, tol: float
) -> _calmodel.Solution:
    return _calmodel.solve(model, weights, method, bounds, max_iter=max_iter, tol=tol)


def calibrate(
    design: SurveyDesign | ReplicateDesign,
    margins: Margins | None = None,
    *,
    totals: Totals | None = None,
    method: str = "linear",
    bounds: tuple[float, float] | None = None,
    max_iter: int = 50,
    tol: float = 1e-7,
) -> SurveyDesign | ReplicateDesign:
    r"""Calibrate the weights to population totals: GREG, raking or logit, optionally bounded.

    The calibrated weights :math:`w_i g_i` reproduce known population counts of categorical
    margins and known totals of numeric variables, and stay as close to the design weights
    :math:`w_i` as a distance function allows, as R ``survey``'s ``calibrate``.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design to calibrate (not calibrated before, not a subset, no second stage). For
        a replicate design the full-sample weights and every replicate's weights are
        calibrated to the same totals.
    margins : mapping, optional
        Categorical margins ``{name: (labels, {label: population count})}`` as in
        :func:`rake`; for a design made from a frame ``{column: {label: count}}`` names the
        column by the margin's name. All margins must add up to the same population total.
    totals : mapping, optional
        Numeric totals ``{name: (values, population total)}``, ``values`` an array or a
        column name; for a frame design ``{column: population total}``. Without a
        categorical margin there is no intercept: give the population size as the total of
        a column of ones if it is known.
    method : {"linear", "raking", "logit"}, default "linear"
        The distance function: ``"linear"`` (GREG, :math:`g = 1 + x^\top\eta`, which can give
        negative weights unless bounded), ``"raking"`` (:math:`g = e^{x^\top\eta}`, the
        result of :func:`rake` for categorical margins) or ``"logit"`` (bounded, needs
        ``bounds``).
    bounds : tuple (L, U), optional
        Bounds :math:`L < 1 < U` on the g-weights. ``"linear"`` and ``"raking"`` clip
        :math:`g` to them (R's bounded ``cal.linear``, ``cal.raking``); ``"logit"`` keeps
        :math:`g` strictly inside.
    max_iter : int, default 50
        Largest number of Newton iterations (R's ``maxit``).
    tol : float, default 1e-7
        Convergence when :math:`|T_k - \hat T_k| / (1 + |T_k|) <` ``tol`` for every
        total :math:`k` (R's ``epsilon``).

    Returns
    -------
    SurveyDesign or ReplicateDesign
        The design with calibrated weights, of the type given. For a ``SurveyDesign`` its
        last ``calibration`` step is a :class:`~vpt_monitor.stats.calibration.Calibration`
        with the g-weights and the iterations; for a ``ReplicateDesign`` the step is in
        ``design.base.calibration`` and the replicate weights are those of every replicate
        calibrated on its own (R's ``calibrate`` of a ``svyrep.design``).

    Raises
    ------
    ValueError
        For a sample category without a population count, a population category with a
        count but no sample, margins whose totals disagree, linear calibration that makes a
        weight zero or negative (R allows such GREG weights; a design here needs positive
        weights: bound them), bounds that cannot be met (the
        message names the margin and category, or says that no weights meet all at once),
        non-convergence of the full-sample weights (R stops with "Calibration failed"), a
        replicate in which a category has no sample, and bad options.
    TypeError
        For margins, totals or bounds of the wrong shape, and a design of another type.

    Warns
    -----
    UserWarning
        When a replicate's weights do not converge (R warns and keeps them); when the
        calibrated weights add up to a population more than 5% away from the one the fpc
        gives (population sizes of a design without clusters; :func:`poststratify` and
        :func:`rake` warn alike), since the finite-population correction rests on the fpc.

    Notes
    -----
    The g-weights solve the calibration equations :math:`\sum_i w_i g_i x_i = T` with
    :math:`g_i = F(x_i^\top\eta)` by Newton steps
    :math:`\eta \leftarrow \eta + (X^\top W F'(X\eta) X)^{+} (T - X^\top W g)` (Deville and
    Särndal 1992), as R's ``grake``, including its first step: when every population total
    exceeds its estimate more than 20 times, the weights are first multiplied by the mean
    ratio, and the bounds apply to the g-weights relative to those rescaled weights (R warns
    about this; here ``Calibration.rescale`` records it).

    The variance of any estimator on the calibrated design uses the residuals of its
    influence values :math:`z_i` from the calibration variables,

    .. math::

        e_i = z_i - g_i w_i x_i^\top \hat\beta, \qquad
        \hat\beta = \Big(\sum_j w_j x_j x_j^\top\Big)^{+} \sum_j x_j z_j / g_j,

    a regression weighted by the design weights (R's ``svyrecvar`` for a
    ``greg_calibration``), handed to the one variance routine. For a replicate design each
    replicate is calibrated on its own, so the replicate variance includes the calibration.

    References
    ----------
    .. [1] Deville, J.-C. and Särndal, C.-E. (1992). Calibration estimators in survey
       sampling. *Journal of the American Statistical Association* 87, 376-382.
    .. [2] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, chapter 7.
       Wiley.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, calibrate, total
    >>> design = SurveyDesign(weights=[10.0, 10.0, 10.0, 10.0, 10.0, 10.0])
    >>> office = ["mayor", "mayor", "alderman", "alderman", "alderman", "alderman"]
    >>> age = [61.0, 52.0, 47.0, 39.0, 58.0, 44.0]
    >>> greg = calibrate(design, {"office": (office, {"mayor": 25, "alderman": 35})},
    ...                  totals={"age": (age, 3050.0)})
    >>> round(float(greg.weights @ age), 6), round(float(greg.weights.sum()), 6)
    (3050.0, 60.0)
    >>> bounded = calibrate(design, {"office": (office, {"mayor": 25, "alderman": 35})},
    ...                     totals={"age": (age, 3050.0)}, method="logit", bounds=(0.5, 2.0))
    >>> bool(bounded.calibration[-1].g.min() > 0.5)
    True
    """
    replicated = isinstance(design, ReplicateDesign)
    base = design.base if isinstance(design, ReplicateDesign) else design
    _check_uncalibrated(base)
    method = check_choice("method", method, _calmodel.METHODS)
    checked = _check_bounds(bounds, method)
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"'max_iter' must be a whole number >= 1; got {max_iter!r}")
    if not (isinstance(tol, float | int) and not isinstance(tol, bool) and tol > 0):
        raise ValueError(f"'tol' must be a number > 0; got {tol!r}")
    model = _model(margins, totals, base)
    calibrated = _against_fpc(
        calibrate_model(base, model, method=method, bounds=checked, max_iter=max_iter, tol=tol)
    )
    if not replicated:
        return calibrated
    assert isinstance(design, ReplicateDesign)
    # R's regcalibrate recomputes degf (the rank of the replicate weights minus one); its
    # other calibrations keep the design's
    recount = method == "linear" and not checked.finite
    return _calibrate_replicates(
        design, calibrated, model, method, checked, max_iter, tol, recount_df=recount
    )


def _calibrate_replicate_design(
    design: ReplicateDesign, margins: Margins, method: str, *, max_iter: int, tol: float
) -> ReplicateDesign:
    """:func:`poststratify` and :func:`rake` of a replicate design: every replicate on its own.

    R's ``postStratify`` and ``rake`` of a ``svrepdesign`` recount the degrees of freedom
    (the rank of the calibrated replicate weights minus one), so they are recounted here too.
    """
    base = design.base
    _check_uncalibrated(base)
    bounds = Bounds()
    model = _model(margins, None, base)
    calibrated = _against_fpc(
        calibrate_model(base, model, method=method, bounds=bounds, max_iter=max_iter, tol=tol)
    )
    return _calibrate_replicates(
        design, calibrated, model, method, bounds, max_iter, tol, recount_df=True
    )


#: Relative difference between the calibrated weights' total and the fpc's population
#: beyond which :func:`_against_fpc` warns.
FPC_POPULATION_TOLERANCE = 0.05


def _against_fpc(design: SurveyDesign, rows: NDArray[np.bool_] | None = None) -> SurveyDesign:
    """Warn when calibrated weights add up to another population than the fpc gives.

    Only where the two are the same kind of count: the fpc given as population sizes (not
    fractions) of a design that samples persons directly (one row per PSU, no subset).
    Calibrating to counts of another year or definition than the fpc's leaves the
    finite-population correction resting on sizes the weights contradict. ``rows``: the
    rows calibrated (one wave of the monitor), whose strata are compared; all by default.
    """
    fpc = design.fpc
    if fpc is None or design.in_subset is not None or design.n_psu != design.n:
        return design
    chosen = np.ones(design.n, dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    if not chosen.any() or not np.all(fpc[chosen] > 1):
        return design
    strata = design.strata[chosen]
    first = np.unique(strata, return_index=True)[1]
    population = float(np.sum(fpc[chosen][first]))
    weighted = float(np.sum(design.weights[chosen]))
    difference = weighted / population - 1.0
    if abs(difference) > FPC_POPULATION_TOLERANCE:
        warn(
            f"the calibrated weights add up to a population of {weighted:,.0f} but the fpc "
            f"gives {population:,.0f} ({difference:+.1%}); the finite-population correction "
            "uses the fpc's sizes: check that the population counts and the fpc describe the "
            "same population (year, definition)"
        )
    return design


def calibrate_model(
    base: SurveyDesign,
    model: Model,
    *,
    method: str,
    bounds: Bounds,
    max_iter: int = 50,
    tol: float = 1e-7,
    rows: NDArray[np.bool_] | None = None,
    population: float | None = None,
) -> SurveyDesign:
    """Calibrate a Taylor design to a checked model; append one :class:`Calibration` step.

    With ``rows``, only those rows are calibrated (the model's variables must be zero on
    the others, whose g-weights stay 1), and earlier :class:`Calibration` steps of other
    rows are allowed: calibrations of disjoint sets of rows (waves) have residual
    adjustments that add up. The monitor weights one wave at a time this way.
    """
    if rows is not None:
        for earlier in base.calibration:
            if not isinstance(earlier, Calibration) or earlier.rows is None:
                raise ValueError("the design is calibrated already on all its rows")
            if np.any(earlier.rows & rows):
                raise ValueError("these rows are calibrated already; calibrate the weights as read")
    w0 = base.weights
    part = model if rows is None else _restrict(model, rows)
    w_part = w0 if rows is None else w0[rows]
    prescale = 1.0 if population is None else population / float(w_part.sum())
    w_part = w_part * prescale
    _check_reachable(part, w_part, bounds, method)
    checked = bounds
    solution = _calibrate_weights(part, w_part, method, checked, max_iter, tol)
    if not solution.converged:
        raise ValueError(_failure(part, w_part, checked, solution, method))
    solution = attrs.evolve(solution, g=solution.g * prescale, rescale=solution.rescale * prescale)
    g = solution.g
    if rows is not None:
        g = np.ones(base.n)
        g[rows] = solution.g
    solution = attrs.evolve(solution, g=g)
    weights = w0 * solution.g
    if np.any(weights <= 0):
        i = int(np.argmin(weights))
        contradiction = _contradiction(part, w_part)
        if contradiction:
            raise ValueError(f"{contradiction}. Check the totals, or merge categories")
        raise ValueError(
            f"{method} calibration gives weights <= 0 (g-weight {solution.g[i]:.4g} at index "
            f"{i}), which a design cannot hold; give bounds=(L, U) with L > 0, or use "
            "method='raking' or 'logit'"
        )
    step = Calibration(
        method=method,
        bounds=(checked.lower, checked.upper),
        model=model,
        g=solution.g,
        design_weights=w0.copy(),
        weights=weights,
        iterations=solution.iterations,
        converged=solution.converged,
        max_error=solution.max_error,
        rescale=solution.rescale,
        rows=None if rows is None else np.array(rows, dtype=bool),
    )
    return base.with_weights(weights, calibration_step=step)


def _restrict(model: Model, rows: NDArray[np.bool_]) -> Model:
    return Model(
        names=model.names,
        codes=tuple(c[rows] for c in model.codes),
        labels=model.labels,
        numeric=np.ascontiguousarray(model.numeric[rows]),
        targets=model.targets,
    )


def _calibrate_replicates(
    design: ReplicateDesign,
    calibrated: SurveyDesign,
    model: Model,
    method: str,
    bounds: Bounds,
    max_iter: int,
    tol: float,
    *,
    recount_df: bool,
) -> ReplicateDesign:
    """Calibrate every replicate's weights on its own; rows become the PSUs of the base.

    ``recount_df``: the degrees of freedom become the rank of the calibrated replicate
    weights minus one (as R's ``degf``) instead of the design's.
    """
    replicate_weights = design.replicate_weights()
    multipliers = np.empty_like(replicate_weights)
    names = model.column_names()
    for r in range(replicate_weights.shape[1]):
        wr = replicate_weights[:, r]
        empty = (model.tdot(wr) == 0) & (model.targets != 0)
        if empty.any():
            k = int(np.argmax(empty))
            raise ValueError(
                f"replicate {r + 1}: {names[k]} has no sample left in this replicate (all its "
                "rows are in the PSUs the replicate drops), so it cannot be calibrated; merge "
                "categories or use another replicate method"
            )
        solution = _calibrate_weights(model, wr, method, bounds, max_iter, tol)
        if not solution.converged:
            warn(
                f"replicate {r + 1}: calibration did not converge in {max_iter} iterations "
                f"(largest relative misfit {solution.max_error:.3g}); its weights are those of "
                "the last iteration, as R keeps them"
            )
        multipliers[:, r] = (
            solution.g
            * design.multipliers[design.base.psu, r]
            / (calibrated.weights / design.base.weights)
        )
    rows = SurveyDesign(weights=calibrated.weights, lonely_psu=calibrated.lonely_psu)
    rows._frame = calibrated._frame
    rows._calibration = calibrated._calibration
    df = design.df
    if recount_df:
        analysis = multipliers * rows.weights[:, None]
        df = qr_rank(analysis.T @ analysis) - 1
    return design.with_row_multipliers(rows, multipliers, df=df)
