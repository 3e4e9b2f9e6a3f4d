r"""Calibration of weights to known population counts: post-stratification and raking.

Both return a new :class:`~vpt_monitor.stats.SurveyDesign` whose weights reproduce the
population counts and whose variance accounts for the calibration, as R ``survey``'s
``postStratify`` and ``rake`` do: the linearised values are replaced by their residuals from
the calibration cells before the between-PSU variance is taken. A calibrated estimate of a
share within post-strata is therefore more precise than the uncalibrated one, and a count of
a post-stratum has no sampling variance at all.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt_monitor.stats._inputs import label_codes
from vpt_monitor.stats._labels import show
from vpt_monitor.stats._validation import warn
from vpt_monitor.stats.design import SurveyDesign

__all__ = ["PostStratification", "Raking", "poststratify", "rake"]

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
            f"got {counts[i]!r}"
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


def poststratify(
    design: SurveyDesign, labels: ArrayLike | str, population: Mapping[Hashable, float]
) -> SurveyDesign:
    r"""Post-stratify the weights to known population counts of cells.

    Parameters
    ----------
    design : SurveyDesign
        The design to calibrate.
    labels : array_like or str
        Post-stratum of each row (for example office, or office crossed with layer coded as
        one label), or the name of a column of the design's frame.
    population : mapping
        ``{label: population count}`` for every post-stratum in the sample. A cell with a
        population count but no sample is an error (merge cells first); cells with count 0
        and no sample are ignored.

    Returns
    -------
    SurveyDesign
        The design with weights :math:`w_i N_g / \hat N_g` for row :math:`i` in cell
        :math:`g`, and a :class:`~vpt_monitor.stats.calibration.PostStratification` step in
        ``design.calibration``.

    Notes
    -----
    The linearised values :math:`z_i` of any estimator are replaced by
    :math:`z_i - w_i \sum_{j \in g} z_j / \sum_{j \in g} w_j` before their variance is
    taken, which is R ``survey``'s ``postStratify`` treatment (Valliant 1993).

    References
    ----------
    .. [1] Valliant, R. (1993). Poststratification and conditional variance estimation.
       *Journal of the American Statistical Association* 88, 89-96.

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
    _check_uncalibrated(design)
    codes, cell_labels, counts = _cells("labels", labels, population, design)
    estimated = np.bincount(codes, weights=design.weights, minlength=len(cell_labels))
    weights = design.weights * (counts / estimated)[codes]
    step = PostStratification(codes=codes, labels=cell_labels, weights=weights)
    return design.with_weights(weights, calibration_step=step)


def rake(
    design: SurveyDesign,
    margins: Mapping[
        str, tuple[ArrayLike | str, Mapping[Hashable, float]] | Mapping[Hashable, float]
    ],
    *,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> SurveyDesign:
    r"""Rake the weights to several population margins by iterative proportional fitting.

    Parameters
    ----------
    design : SurveyDesign
        The design to calibrate.
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
        weights have not converged by then.

    Returns
    -------
    SurveyDesign
        The raked design; its last ``calibration`` step is a
        :class:`~vpt_monitor.stats.calibration.Raking` that reports
        ``iterations``, ``converged`` and ``max_error``.

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
    _check_uncalibrated(design)
    if not isinstance(margins, Mapping) or len(margins) == 0:
        raise TypeError("'margins' must be a non-empty mapping {name: (labels, population)}")
    if not (isinstance(tol, float | int) and tol > 0):
        raise ValueError(f"'tol' must be a number > 0; got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"'max_iter' must be a whole number >= 1; got {max_iter!r}")
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
    return design.with_weights(weights, calibration_step=step)


def calibration_adjustment(design: SurveyDesign, group_sums: Callable[..., Any]) -> FloatArray:
    r"""Return what calibration takes off the PSU totals of influence values (``n_psu x P``).

    ``group_sums(codes, size, weighted=...)`` sums the influence values :math:`z = w u`
    (or :math:`u`, unweighted) over the rows of each group, as
    :meth:`vpt_monitor.stats.variance.Influence.group_sums`. A design carries at most one
    calibration step, so the step's weights are the design's weights.

    Post-stratification replaces :math:`z_i` by :math:`z_i - w_i \bar z_g` with
    :math:`\bar z_g = \sum_{j \in g} z_j / \sum_{j \in g} w_j` (R's ``postStratify``);
    raking sweeps :math:`u \leftarrow u - \bar u_c` over the margins ten times (R's
    ``rake``). Both are linear in :math:`z`, so the adjustment of the PSU totals is the
    PSU-by-cell table of weights times the cell means.
    """
    adjustment: FloatArray | None = None
    for step in design.calibration:
        if isinstance(step, PostStratification):
            k = step.n_cells
            sums = _as_dense(group_sums(step.codes, k))
            cell_weight = np.bincount(step.codes, weights=step.weights, minlength=k)
            part = _psu_by_cell(design, step.codes, step.weights, k) @ (sums / cell_weight[:, None])
        else:
            part = _raking_adjustment(design, step, group_sums)
        adjustment = part if adjustment is None else adjustment + part
    assert adjustment is not None
    return adjustment


def _as_dense(table: Any) -> FloatArray:
    return np.asarray(table.toarray() if hasattr(table, "toarray") else table, dtype=np.float64)


def _psu_by_cell(design: SurveyDesign, codes: IntArray, weights: FloatArray, k: int) -> FloatArray:
    """``n_psu x k`` table of the weights of each PSU's rows in each cell."""
    table = np.bincount(design.psu * k + codes, weights=weights, minlength=design.n_psu * k)
    return np.asarray(table, dtype=np.float64).reshape(design.n_psu, k)


def _raking_adjustment(
    design: SurveyDesign, step: Raking, group_sums: Callable[..., Any]
) -> FloatArray:
    """Sum over margins of ``psu-by-category weights @ alpha``, alpha from the sweeps."""
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
    parts = [
        _psu_by_cell(design, c, step.weights, s) @ a
        for c, s, a in zip(step.codes, sizes, alpha, strict=True)
    ]
    result: FloatArray = np.sum(parts, axis=0)
    return result
