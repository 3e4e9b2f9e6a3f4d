r"""Weighted generalised linear models: families, IRLS, aliasing and separation.

The fit is R's ``glm.fit`` with the canonical link of each family: iteratively reweighted
least squares from R's starting values, each step a Newton step
:math:`\beta \leftarrow \beta + (X^\top W X)^{-1} X^\top w (y - \mu)` with working weights
:math:`W = w\,\mu'(\eta)` (for a canonical link the Fisher and Newton steps coincide). It
stops when the deviance changes by less than ``1e-13`` of itself, far tighter than R's
``1e-8``, so that the coefficients are R's limit, not R's last iterate.

Columns that are linear combinations of earlier ones are *aliased* (R reports their
coefficients as ``NA``): found in order, as R's pivoting QR (LINPACK ``dqrdc2``) finds
them, by a Cholesky factorisation of the weighted cross-product matrix scaled to unit
diagonal. A binomial or Poisson fit whose maximum-likelihood estimate does not exist
(perfect or quasi-complete separation; a category with no events) is detected by the
linear programme of Konis (2007) when the iterations show its signs.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import numpy as np
from numpy.typing import NDArray
from scipy import linalg, optimize, special

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

FAMILIES = ("gaussian", "binomial", "quasibinomial", "poisson", "quasipoisson")
#: Relative change of the deviance at which the iterations stop.
TOLERANCE = 1e-13
MAX_ITERATIONS = 30
#: A column whose part orthogonal to the columns before it has a squared norm below this
#: fraction of its own is aliased.
ALIAS_TOLERANCE = 1e-10
#: A fitted mean this close to 0 (or 1, binomial) makes the fit suspect of separation.
EDGE = 1e-10


@attrs.frozen
class Family:
    """A family with its canonical link: mean, variance and derivative of the mean."""

    name: str
    base: str  # "gaussian", "binomial" or "poisson"

    @property
    def quasi(self) -> bool:
        """Whether the dispersion is estimated (quasi families, and the gaussian)."""
        return self.name.startswith("quasi") or self.base == "gaussian"

    @property
    def link(self) -> str:
        """Name of the canonical link."""
        return {"gaussian": "identity", "binomial": "logit", "poisson": "log"}[self.base]

    def mean(self, eta: FloatArray) -> FloatArray:
        r"""Inverse link :math:`\mu(\eta)`."""
        if self.base == "binomial":
            return np.asarray(special.expit(eta), dtype=np.float64)
        if self.base == "poisson":
            with np.errstate(over="ignore"):
                return np.exp(np.minimum(eta, 700.0))
        return eta

    def derivative(self, eta: FloatArray) -> FloatArray:
        r"""Return :math:`d\mu/d\eta`, also the variance function at :math:`\mu(\eta)`."""
        if self.base == "binomial":
            mu = special.expit(eta)
            return np.asarray(mu * (1.0 - mu), dtype=np.float64)
        if self.base == "poisson":
            return self.mean(eta)
        return np.ones_like(eta)

    def link_of(self, mu: FloatArray) -> FloatArray:
        r"""Link :math:`\eta(\mu)`."""
        if self.base == "binomial":
            return np.asarray(special.logit(mu), dtype=np.float64)
        if self.base == "poisson":
            return np.log(mu)
        return mu

    def start(self, y: FloatArray, w: FloatArray) -> FloatArray:
        """R's starting means (``mustart``)."""
        if self.base == "binomial":
            return (w * y + 0.5) / (w + 1.0)
        if self.base == "poisson":
            return y + 0.1
        return y.copy()

    def deviance(self, y: FloatArray, mu: FloatArray, w: FloatArray) -> float:
        r"""Deviance :math:`\sum_i w_i d(y_i, \mu_i)`."""
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.base == "binomial":
                unit = 2.0 * (special.xlogy(y, y / mu) + special.xlogy(1 - y, (1 - y) / (1 - mu)))
            elif self.base == "poisson":
                unit = 2.0 * (special.xlogy(y, y / mu) - (y - mu))
            else:
                unit = (y - mu) ** 2
        return float(np.sum(w * unit))

    def check(self, y: FloatArray, where: Callable[[int], str]) -> None:
        """Refuse responses outside the family's range, naming the first row."""
        if self.base == "binomial":
            bad = (y < 0) | (y > 1)
            need = "between 0 and 1 (0/1 outcomes or shares)"
        elif self.base == "poisson":
            bad = y < 0
            need = ">= 0 (counts)"
        else:
            return
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(
                f"family {self.name!r} needs a response {need}; got {y[i].item()!r} at {where(i)}"
            )


def family(name: str) -> Family:
    """Return the family named ``name`` (checked already)."""
    base = name.removeprefix("quasi")
    return Family(name, base)


def gram(x: FloatArray, weights: FloatArray) -> FloatArray:
    r"""Return :math:`X^\top \operatorname{diag}(w) X`."""
    root = np.sqrt(weights)
    scaled = x * root[:, None]
    result: FloatArray = scaled.T @ scaled
    return result


def kept_columns(matrix: FloatArray, tol: float = ALIAS_TOLERANCE) -> IntArray:
    """Columns kept by a Cholesky factorisation in order, as R's QR keeps them.

    A column is aliased when the squared norm of its part orthogonal to the columns kept
    before it is below ``tol`` times its own squared norm; an all-zero column is aliased.
    """
    size = matrix.shape[0]
    kept: list[int] = []
    factor = np.zeros((size, size))
    for j in range(size):
        norm2 = float(matrix[j, j])
        if not norm2 > 0:
            continue
        r = len(kept)
        coef = (
            linalg.solve_triangular(factor[:r, :r], matrix[kept, j], lower=True)
            if r
            else np.zeros(0)
        )
        residual = norm2 - float(coef @ coef)
        if residual > tol * norm2:
            factor[r, :r] = coef
            factor[r, r] = np.sqrt(residual)
            kept.append(j)
    return np.array(kept, dtype=np.intp)


def solve(matrix: FloatArray, rhs: FloatArray) -> FloatArray:
    """Solve a symmetric positive definite system, scaled to unit diagonal for accuracy."""
    scale = 1.0 / np.sqrt(np.diag(matrix))
    scaled = matrix * scale[:, None] * scale[None, :]
    try:
        factor = linalg.cho_factor(scaled, lower=True, check_finite=False)
        solution = linalg.cho_solve(factor, rhs * scale.reshape((-1,) + (1,) * (rhs.ndim - 1)))
    except linalg.LinAlgError:
        solution = linalg.lstsq(scaled, rhs * scale.reshape((-1,) + (1,) * (rhs.ndim - 1)))[0]
    result: FloatArray = solution * scale.reshape((-1,) + (1,) * (rhs.ndim - 1))
    return result


def inverse(matrix: FloatArray) -> FloatArray:
    """Inverse of a symmetric positive definite matrix (through :func:`solve`)."""
    return solve(matrix, np.eye(matrix.shape[0]))


@attrs.frozen(eq=False)
class Fit:
    """The result of IRLS."""

    coefficients: FloatArray
    eta: FloatArray
    mu: FloatArray
    working: FloatArray  # W = w mu'(eta)
    deviance: float
    iterations: int
    converged: bool


def irls(
    x: FloatArray,
    y: FloatArray,
    w: FloatArray,
    fam: Family,
    *,
    start: FloatArray | None = None,
) -> Fit:
    """Fit by iteratively reweighted least squares (Newton steps with step halving)."""
    if start is None:
        mu = fam.start(y, w)
        eta = fam.link_of(mu)
        # the first step from R's starting means: a weighted least-squares fit of the
        # working response eta + (y - mu) / mu'(eta)
        derivative = fam.derivative(eta) if fam.base != "binomial" else mu * (1.0 - mu)
        working = w * derivative
        z = eta + (y - mu) / derivative
        beta = solve(gram(x, working), x.T @ (working * z))
    else:
        beta = np.asarray(start, dtype=np.float64).copy()
    eta = x @ beta
    mu = fam.mean(eta)
    deviance = fam.deviance(y, mu, w)
    converged = fam.base == "gaussian" and start is None
    iterations = 1
    while not converged and iterations < MAX_ITERATIONS:
        iterations += 1
        working = w * fam.derivative(eta)
        step = solve(gram(x, working), x.T @ (w * (y - mu)))
        new_beta = beta + step
        new_eta = x @ new_beta
        new_mu = fam.mean(new_eta)
        new_deviance = fam.deviance(y, new_mu, w)
        halvings = 0
        while not np.isfinite(new_deviance) or new_deviance > deviance * (1 + 1e-12) + 1e-300:
            if halvings == 30:
                break
            step = step / 2.0
            new_beta = beta + step
            new_eta = x @ new_beta
            new_mu = fam.mean(new_eta)
            new_deviance = fam.deviance(y, new_mu, w)
            halvings += 1
        change = abs(new_deviance - deviance) / (abs(new_deviance) + 0.1)
        beta, eta, mu = new_beta, new_eta, new_mu
        deviance = new_deviance
        converged = change < TOLERANCE or bool(np.all(np.abs(step) <= 1e-12 * (1.0 + np.abs(beta))))
    working = w * fam.derivative(eta)
    return Fit(beta, eta, mu, working, deviance, iterations, converged)


def suspicious(fit: Fit, fam: Family, w: FloatArray) -> bool:
    """Whether the fit shows the signs of an estimate that does not exist."""
    if fam.base == "gaussian":
        return False
    used = w > 0
    near_zero = fit.mu[used] < EDGE
    near_one = fit.mu[used] > 1.0 - EDGE if fam.base == "binomial" else np.zeros(1, bool)
    return (not fit.converged) or bool(near_zero.any() or near_one.any())


def separation(
    x: FloatArray, y: FloatArray, w: FloatArray, fam: Family
) -> tuple[FloatArray, BoolArrayLike] | None:
    r"""Find a direction in which the likelihood keeps rising, if any (Konis 2007).

    Looks for :math:`b \ne 0` with :math:`X_i b \ge 0` where :math:`y_i` is at its upper
    bound (1, binomial), :math:`X_i b \le 0` where it is at 0, and :math:`X_i b = 0`
    elsewhere, maximising :math:`\sum |X_i b|` with :math:`|b_k| \le 1`. Returns the
    direction and the rows it predicts perfectly, or None when no such direction exists
    (the estimate exists).
    """
    used = w > 0
    xs, ys = x[used], y[used]
    # rows with the same covariates and the same side add one constraint: merge them
    side = np.where(ys <= 0, -1, np.where((fam.base == "binomial") & (ys >= 1), 1, 0))
    rows, inverse_rows = np.unique(np.column_stack([xs, side]), axis=0, return_inverse=True)
    scale = np.abs(rows[:, :-1]).max(axis=0)
    scale[scale == 0] = 1.0
    xr, sr = rows[:, :-1] / scale, rows[:, -1]
    upper, lower, inner = sr > 0, sr < 0, sr == 0
    p = x.shape[1]
    # signed rows: s_i x_i b >= 0 for rows at a bound, x_i b = 0 for the others
    signed = np.vstack([xr[upper], -xr[lower]])
    a_eq = xr[inner] if inner.any() else None
    b_eq = np.zeros(int(inner.sum())) if a_eq is not None else None
    if signed.shape[0] == 0:
        return None
    found = optimize.linprog(
        -signed.sum(axis=0),
        A_ub=-signed,
        b_ub=np.zeros(signed.shape[0]),
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=[(-1.0, 1.0)] * p,
        method="highs",
    )
    if found.status != 0 or -found.fun <= 1e-7:
        return None
    # the sparsest such direction (least L1 norm with the same total separation) names the
    # coefficients that run off to infinity
    sparse = optimize.linprog(
        np.ones(2 * p),
        A_ub=np.vstack([-np.hstack([signed, -signed]), -np.hstack([signed, -signed]).sum(axis=0)]),
        b_ub=np.concatenate([np.zeros(signed.shape[0]), [-1.0]]),
        A_eq=None if a_eq is None else np.hstack([a_eq, -a_eq]),
        b_eq=b_eq,
        bounds=[(0.0, None)] * (2 * p),
        method="highs",
    )
    direction = (sparse.x[:p] - sparse.x[p:] if sparse.status == 0 else np.asarray(found.x)) / scale
    direction[np.abs(direction) < 1e-9 * np.abs(direction).max()] = 0.0
    predicted = np.zeros(len(y), dtype=bool)
    hit = np.abs(rows[:, :-1] @ direction) > 1e-9 * np.abs(rows[:, :-1]).max()
    predicted[np.flatnonzero(used)] = hit[inverse_rows.ravel()]
    return direction, predicted


BoolArrayLike = NDArray[np.bool_]
