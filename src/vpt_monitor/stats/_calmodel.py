r"""The calibration model and the Newton iteration of R ``survey``'s ``grake``.

A calibration model is the matrix :math:`X` (one row per respondent) whose weighted column
totals must reach the population totals :math:`T`. It is held by blocks, never as a dense
``n x K`` array: one block of indicator columns per categorical margin (its row codes) and
one column per numeric total. Every operation the solver and the variance need -
:math:`X\eta`, :math:`X^\top v`, :math:`X^\top \operatorname{diag}(v) X` and the PSU totals
of :math:`v X` - is a handful of ``bincount`` calls.

The g-weights solve :math:`\sum_i w_i g_i x_i = T` with :math:`g_i = F(x_i^\top \eta)`, by
Newton steps on :math:`\eta` with a generalised inverse (Deville and Särndal 1992; R
``survey``'s ``grake``), for three distance functions ``F``:

- ``"linear"``: :math:`F(u) = 1 + u`, clipped to :math:`[L, U]` when bounded;
- ``"raking"``: :math:`F(u) = e^u`, clipped to :math:`[L, U]` when bounded;
- ``"logit"``: :math:`F(u) = L + (U - L)\,\operatorname{expit}(A u + \log\frac{1-L}{U-1})`
  with :math:`A = (U - L) / ((U - 1)(1 - L))`, which stays inside :math:`(L, U)`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

METHODS = ("linear", "raking", "logit")
#: Rescale the weights first when every population total exceeds its estimate this many
#: times (R's ``SOMETHRESHOLD`` in ``grake``).
RESCALE_THRESHOLD = 20.0
#: Relative tolerance of the generalised inverse of the Newton matrix (R: ``256 * eps``).
GINV_TOL = 256 * np.finfo(np.float64).eps


@attrs.frozen(eq=False)
class Model:
    """The calibration variables :math:`X` by blocks, and their population totals.

    Attributes
    ----------
    names : tuple of str
        Name of every categorical margin, then of every numeric total.
    codes : tuple of numpy.ndarray
        Category code ``0 .. k - 1`` of every row, per categorical margin.
    labels : tuple of tuple
        The categories of each categorical margin, in code order.
    numeric : numpy.ndarray
        ``n x q`` values of the numeric totals (``q`` may be 0).
    targets : numpy.ndarray
        The ``K`` population totals: the counts of each margin's categories, then the
        numeric totals.
    """

    names: tuple[str, ...]
    codes: tuple[IntArray, ...] = attrs.field(repr=False)
    labels: tuple[tuple[Hashable, ...], ...]
    numeric: FloatArray = attrs.field(repr=False)
    targets: FloatArray = attrs.field(repr=False)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Number of columns of each block (categories, then 1 per numeric total)."""
        return tuple(len(k) for k in self.labels) + (1,) * int(self.numeric.shape[1])

    @property
    def n_columns(self) -> int:
        """``K``, the number of calibration constraints."""
        return int(sum(self.sizes))

    def column_names(self) -> list[str]:
        """Describe every column: ``margin 'office' category 'mayor'``."""
        from vpt_monitor.stats._labels import show

        names = [
            f"margin {name!r} category {show(label)}"
            for name, labels in zip(self.names, self.labels, strict=False)
            for label in labels
        ]
        names += [f"total {name!r}" for name in self.names[len(self.labels) :]]
        return names

    def as_r_columns(self, values: FloatArray) -> FloatArray:
        """Re-express totals by column in R's parametrisation of ``~ m1 + m2 + x``.

        R's model matrix has an intercept and treatment contrasts (every category but the
        first of each margin), then the numeric columns; R's rescaling and its convergence
        test look at totals in those columns. Without a categorical margin, the columns are
        the numeric ones.
        """
        if not self.labels:
            return values
        parts: list[FloatArray] = [values[: len(self.labels[0])].sum(keepdims=True)]
        start = 0
        for labels in self.labels:
            parts.append(values[start + 1 : start + len(labels)])
            start += len(labels)
        parts.append(values[start:])
        return np.concatenate(parts)

    def dot(self, eta: FloatArray) -> FloatArray:
        r""":math:`X \eta`, one value per row."""
        result = self.numeric @ eta[self.n_columns - self.numeric.shape[1] :]
        start = 0
        for codes, labels in zip(self.codes, self.labels, strict=True):
            result = result + eta[start : start + len(labels)][codes]
            start += len(labels)
        return np.asarray(result, dtype=np.float64)

    def tdot(self, v: FloatArray) -> FloatArray:
        r""":math:`X^\top v`, one value per column."""
        parts: list[FloatArray] = [
            np.bincount(codes, weights=v, minlength=len(labels)).astype(np.float64)
            for codes, labels in zip(self.codes, self.labels, strict=True)
        ]
        parts.append(np.asarray(self.numeric.T @ v, dtype=np.float64))
        return np.concatenate(parts).astype(np.float64)

    def gram(self, v: FloatArray) -> FloatArray:
        r""":math:`X^\top \operatorname{diag}(v) X`, ``K x K``."""
        k = self.n_columns
        q = self.numeric.shape[1]
        result = np.zeros((k, k))
        starts = np.concatenate([[0], np.cumsum([len(b) for b in self.labels])]).astype(int)
        for i, (a, la) in enumerate(zip(self.codes, self.labels, strict=True)):
            for j, (b, lb) in enumerate(zip(self.codes, self.labels, strict=True)):
                if j < i:
                    continue
                block = np.bincount(a * len(lb) + b, weights=v, minlength=len(la) * len(lb))
                block = block.reshape(len(la), len(lb))
                result[starts[i] : starts[i + 1], starts[j] : starts[j + 1]] = block
                result[starts[j] : starts[j + 1], starts[i] : starts[i + 1]] = block.T
            if q:
                cross = np.column_stack(
                    [
                        np.bincount(a, weights=v * self.numeric[:, c], minlength=len(la))
                        for c in range(q)
                    ]
                )
                result[starts[i] : starts[i + 1], k - q :] = cross
                result[k - q :, starts[i] : starts[i + 1]] = cross.T
        if q:
            result[k - q :, k - q :] = (self.numeric * v[:, None]).T @ self.numeric
        return result

    def psu_table(self, psu: IntArray, n_psu: int, v: FloatArray) -> FloatArray:
        r"""``n_psu x K`` totals of :math:`v_i x_i` over the rows of each PSU."""
        parts = [
            np.bincount(psu * len(labels) + codes, weights=v, minlength=n_psu * len(labels))
            .reshape(n_psu, len(labels))
            .astype(np.float64)
            for codes, labels in zip(self.codes, self.labels, strict=True)
        ]
        parts += [
            np.bincount(psu, weights=v * self.numeric[:, c], minlength=n_psu).astype(np.float64)[
                :, None
            ]
            for c in range(self.numeric.shape[1])
        ]
        return np.hstack(parts)


@attrs.frozen
class Bounds:
    """Bounds ``(L, U)`` on the g-weights (infinite when not given)."""

    lower: float = -np.inf
    upper: float = np.inf

    @property
    def finite(self) -> bool:
        """Whether either bound is finite."""
        return bool(np.isfinite(self.lower) or np.isfinite(self.upper))


def _logit_parts(bounds: Bounds) -> tuple[float, float]:
    lower, upper = bounds.lower, bounds.upper
    a = (upper - lower) / ((upper - 1.0) * (1.0 - lower))
    return a, float(np.log((1.0 - lower) / (upper - 1.0)))


def distance(method: str, u: FloatArray, bounds: Bounds) -> tuple[FloatArray, FloatArray]:
    """Return the g-weights ``F(u)`` and the derivative ``F'(u)`` (0 where clipped)."""
    lower, upper = bounds.lower, bounds.upper
    with np.errstate(over="ignore", invalid="ignore"):
        if method == "linear":
            g = np.clip(1.0 + u, lower, upper)
            inside = (u < upper - 1.0) & (u > lower - 1.0)
            return g, inside.astype(np.float64)
        if method == "raking":
            e = np.exp(u)
            inside = (u < upper - 1.0) & (u > lower - 1.0)
            return np.clip(e, lower, upper), np.where(inside, e, 0.0)
        a, shift = _logit_parts(bounds)
        s = expit(a * u + shift)
        return lower + (upper - lower) * s, (upper - lower) * a * s * (1.0 - s)


@attrs.frozen
class Solution:
    """The g-weights of one calibration and how the iterations ended."""

    g: FloatArray
    iterations: int
    converged: bool
    max_error: float
    misfit: FloatArray
    rescale: float


def rescale_factor(model: Model, weights: FloatArray) -> float:
    """R's rescaling: the mean of ``T / T_hat`` when every ratio exceeds 20, else 1."""
    sample_total = model.as_r_columns(model.tdot(np.asarray(weights, dtype=np.float64)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = model.as_r_columns(model.targets) / sample_total
    if ratios.size and np.all(np.isfinite(ratios)) and ratios.min() > RESCALE_THRESHOLD:
        return float(ratios.mean())
    return 1.0


def weighted_matrix(model: Model, weights: FloatArray) -> Any:
    """Return the sparse matrix of weighted values, one row per total: ``A g = totals``."""
    from scipy import sparse

    n = weights.shape[0]
    rows, cols, data = [], [], []
    start = 0
    for codes, labels in zip(model.codes, model.labels, strict=True):
        rows.append(start + codes)
        cols.append(np.arange(n))
        data.append(weights)
        start += len(labels)
    for c in range(model.numeric.shape[1]):
        rows.append(np.full(n, start))
        cols.append(np.arange(n))
        data.append(weights * model.numeric[:, c])
        start += 1
    return sparse.csr_array(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
        shape=(model.n_columns, n),
    )


def feasible(model: Model, weights: FloatArray, bounds: Bounds) -> bool:
    """Whether some g-weights within ``bounds`` meet every total (a linear programme)."""
    from scipy.optimize import linprog

    n = weights.shape[0]
    matrix = weighted_matrix(model, weights)
    lower = None if not np.isfinite(bounds.lower) else bounds.lower
    upper = None if not np.isfinite(bounds.upper) else bounds.upper
    result = linprog(
        np.zeros(n), A_eq=matrix, b_eq=model.targets, bounds=(lower, upper), method="highs"
    )
    return bool(result.status != 2)


def solve(
    model: Model,
    weights: FloatArray,
    method: str,
    bounds: Bounds,
    *,
    max_iter: int,
    tol: float,
) -> Solution:
    r"""Newton iterations for the g-weights, step for step as R ``survey``'s ``grake``.

    The weights are first multiplied by the mean of :math:`T_k / \hat T_k` when every such
    ratio exceeds 20 (R's rescaling; the bounds then apply to the g-weights relative to the
    rescaled weights), and the returned ``g`` includes that factor. Convergence is reached
    when :math:`|T_k - \sum_i w_i g_i x_{ik}| / (1 + |T_k|) <` ``tol`` for every ``k``.
    """
    targets = model.targets
    r_targets = model.as_r_columns(targets)
    rescale = rescale_factor(model, weights)
    w = np.asarray(weights, dtype=np.float64) * rescale
    eta = np.zeros(model.n_columns)
    xeta = np.zeros(w.shape[0])
    g, deriv = distance(method, xeta, bounds)
    iteration = 1
    misfit = targets - model.tdot(w * g)
    error = np.inf
    while True:
        newton = model.gram(w * deriv)
        step = np.linalg.pinv(newton, rcond=GINV_TOL) @ misfit
        eta = eta + step
        xeta = model.dot(eta)
        g, deriv = distance(method, xeta, bounds)
        while iteration < max_iter and not (np.all(np.isfinite(g)) and np.all(np.isfinite(deriv))):
            iteration += 1
            step = step / 2
            eta = eta - step
            xeta = model.dot(eta)
            g, deriv = distance(method, xeta, bounds)
        misfit = targets - model.tdot(w * g)
        relative = np.abs(model.as_r_columns(misfit)) / (1.0 + np.abs(r_targets))
        error = float(np.max(relative)) if relative.size else 0.0
        if np.all(relative < tol):
            converged = True
            break
        iteration += 1
        if iteration > max_iter:
            converged = False
            break
    return Solution(
        g=np.asarray(g * rescale, dtype=np.float64),
        iterations=min(iteration, max_iter),
        converged=converged,
        max_error=error if np.isfinite(error) else float("inf"),
        misfit=misfit,
        rescale=rescale,
    )
