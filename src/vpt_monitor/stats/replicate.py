r"""Replicate weights: jackknife (JK1, JKn), BRR, Fay's BRR and the Rao-Wu bootstrap.

A replicate design re-estimates every statistic with each set of replicate weights and takes
the spread of the replicate estimates as its variance:

.. math::

    \widehat{V}(\hat\theta) = c \sum_{r=1}^{R} c_r (\hat\theta_r - \bar\theta)^2,

with the overall scale :math:`c`, replicate scales :math:`c_r` and centre :math:`\bar\theta`
(the mean of the replicates, or the full-sample estimate with ``mse=True``), as R
``survey``'s ``svrVar`` (computed by :func:`vpt_monitor.stats.variance.replicate_covariance`).
Replicate weights here are the full-sample weights times a multiplier that is constant
within a PSU, so the replicate estimates of every domain come from one matrix product of the
multipliers with the (PSU, domain) cell sums: no row is visited once per replicate.

This module makes the multipliers from the layout of a design (its PSUs and strata), on
plain arrays: it knows nothing of the design classes, which live in
:mod:`vpt_monitor.stats.design` and call it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import lapack, solve_triangular

from vpt_monitor.stats import _frames
from vpt_monitor.stats._arrays import read_only
from vpt_monitor.stats._hadamard import default_matrix
from vpt_monitor.stats._validation import warn

__all__ = ["REPLICATE_METHODS", "SUPPLIED_METHODS", "Layout", "Replicates", "make", "qr_rank"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

REPLICATE_METHODS = ("jk1", "jkn", "brr", "fay", "bootstrap")
#: Kinds of replicate weights :meth:`~vpt_monitor.stats.ReplicateDesign.from_frame` takes
#: (R's ``svrepdesign`` types "JK1", "JKn", "BRR", "Fay", "bootstrap",
#: "successive-difference", "JK2" and "other").
SUPPLIED_METHODS = ("jk1", "jkn", "brr", "fay", "bootstrap", "sdr", "jk2", "other")


@attrs.frozen(eq=False)
class Layout:
    """What the replicate methods need to know of a design: its PSUs and strata.

    Attributes
    ----------
    psu_stratum : numpy.ndarray of int
        Stratum code of each PSU.
    n_strata : int
        Number of strata.
    strata_labels : numpy.ndarray
        Label of each stratum (BRR orders strata by their labels as text, as R does).
    psu_first_row : numpy.ndarray of int
        Row where each PSU first appears (BRR's "first" PSU of a pair).
    fraction : numpy.ndarray of float
        Sampling fraction of each PSU's stratum (0 without fpc).
    has_fpc : bool
        Whether the design has a finite-population correction.
    lonely_psu : str
        The design's lonely-PSU policy.
    """

    psu_stratum: IntArray
    n_strata: int
    strata_labels: NDArray[Any]
    psu_first_row: IntArray
    fraction: FloatArray
    has_fpc: bool
    lonely_psu: str

    @property
    def n_psu(self) -> int:
        """Number of PSUs."""
        return len(self.psu_stratum)


def _floats(value: ArrayLike) -> FloatArray:
    return read_only(value, np.float64)


@attrs.frozen(eq=False)
class Replicates:
    """Replicate multipliers of a design and the scales of their variance.

    Attributes
    ----------
    method : str
        How they were made.
    multipliers : numpy.ndarray
        ``n_psu x R`` factors of the full-sample weights.
    scale : float
        Overall scale :math:`c`.
    rscales : numpy.ndarray
        Replicate scales :math:`c_r`.
    df : int
        Degrees of freedom of the replicate design.
    """

    method: str
    multipliers: FloatArray
    scale: float
    rscales: FloatArray = attrs.field(converter=_floats)
    df: int


def qr_rank(gram: FloatArray, tol: float = 1e-5) -> int:
    """Numerical rank of a matrix from its Gram matrix, as R's ``qr(x, tol=1e-5)$rank``.

    A column counts when the part of it orthogonal to the columns counted before it has a
    norm of at least ``tol`` times its own norm: the rule of LINPACK's ``dqrdc2``, which R
    uses for ``degf`` of replicate designs. Works on the ``R x R`` Gram matrix, so the rows
    of the replicate weights are never held together.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor.stats.replicate import qr_rank
    >>> x = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 0.0], [1.0, 2.0, 1.0]])
    >>> qr_rank(x.T @ x)
    2
    """
    size = gram.shape[0]
    diagonal = np.diag(gram)
    if size and np.all(diagonal > 0):
        # full rank, the common case, in one factorisation: scaled to unit diagonal, the
        # squared pivot of column j is the share of its norm orthogonal to those before it
        scale = 1.0 / np.sqrt(diagonal)
        whole, info = lapack.dpotrf(gram * np.outer(scale, scale), lower=1, clean=0)
        if info == 0 and np.all(np.diag(whole) ** 2 > tol * tol):
            return int(size)
    factor = np.zeros((size, size))
    kept: list[int] = []
    for j in range(size):
        norm2 = float(gram[j, j])
        if not norm2 > 0:
            continue
        r = len(kept)
        coef = solve_triangular(factor[:r, :r], gram[kept, j], lower=True) if r else np.zeros(0)
        residual = norm2 - float(coef @ coef)
        if residual > tol * tol * norm2:
            factor[r, :r] = coef
            factor[r, r] = np.sqrt(residual)
            kept.append(j)
    return len(kept)


def replicate_columns(
    source: _frames.Frame, given: str | Sequence[Hashable], weights: Hashable
) -> list[Hashable]:
    """Names of the replicate-weight columns: those a prefix starts, or those listed."""
    if isinstance(given, str):
        names: list[Hashable] = [
            c for c in source.columns if isinstance(c, str) and c.startswith(given) and c != weights
        ]
        if len(names) < 2:
            raise ValueError(
                f"'replicate_weights' is the prefix {given!r}, which starts "
                f"{len(names)} column name{'s' if len(names) != 1 else ''} of the frame; "
                "a replicate design needs at least two. "
                + source.unknown("replicate_weights", given).split(". ", 1)[-1]
            )
        return names
    try:
        names = list(given)
    except TypeError:
        raise TypeError(
            "'replicate_weights' must be a prefix of column names or a list of names; got "
            f"{type(given).__name__}"
        ) from None
    if len(names) < 2:
        raise ValueError(
            f"'replicate_weights' names {len(names)} column(s); a replicate design needs at "
            "least two"
        )
    for name in names:
        source.column(name, "replicate_weights")  # refuses names the frame does not have
    return names


def supplied_scales(
    method: str, count: int, scale: float | None, rscales: ArrayLike | None, rho: float | None
) -> tuple[float, FloatArray]:
    """Return the scale and replicate scales of supplied replicate weights (R's defaults)."""
    fixed = {"brr": 1.0 / count, "sdr": 4.0 / count, "jk2": 1.0}
    if method == "fay":
        if rho is None or not 0.0 < float(rho) < 1.0:
            raise ValueError(
                f"method 'fay' needs Fay's factor 'rho', strictly between 0 and 1; got {rho!r}"
            )
        fixed["fay"] = 1.0 / (count * (1.0 - float(rho)) ** 2)
    elif rho is not None:
        raise ValueError(f"'rho' is only for method 'fay'; got rho={rho!r} with {method!r}")
    if method in fixed:
        if scale is not None:
            raise ValueError(
                f"method {method!r} fixes the scale ({fixed[method]:g}); do not pass 'scale'"
            )
        if method in ("sdr", "jk2") and rscales is not None:
            raise ValueError(f"method {method!r} fixes the replicate scales; do not pass 'rscales'")
        value = fixed[method]
    elif scale is None:
        if method == "other":
            raise ValueError("method 'other' needs 'scale' (and 'rscales', by default 1)")
        value = {"jk1": (count - 1.0) / count, "bootstrap": 1.0 / (count - 1.0)}.get(method, 1.0)
    else:
        value = float(scale)
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"'scale' must be finite and > 0; got {scale!r}")
    if rscales is None:
        if method == "jkn":
            raise ValueError(
                "method 'jkn' needs 'rscales', (n_h - 1) / n_h for the stratum of each "
                "replicate (R's svrepdesign refuses combined JKn weights without them too)"
            )
        return value, np.ones(count)
    factors = np.asarray(rscales, dtype=np.float64)
    if factors.ndim == 0:
        factors = np.full(count, float(factors))
    if factors.shape != (count,):
        raise ValueError(
            f"'rscales' has {factors.size} values but there are {count} replicates; give one "
            "number or one per replicate"
        )
    bad = ~(np.isfinite(factors) & (factors >= 0))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"'rscales' must be finite and >= 0; got {factors[i].item()!r} at index {i}"
        )
    return value, factors


def jackknife(layout: Layout, *, delete_one: bool) -> Replicates:
    """JK1 (one stratum) or JKn (within strata): drop one PSU per replicate."""
    stratum = layout.psu_stratum
    count = np.bincount(stratum, minlength=layout.n_strata).astype(np.float64)
    if delete_one and layout.n_strata > 1:
        raise ValueError(
            "method 'jk1' is for unstratified designs; this design has "
            f"{layout.n_strata} strata: use 'jkn'"
        )
    fraction = layout.fraction
    n_h = count[stratum]
    # one replicate per PSU of a stratum with two or more PSUs that was not fully sampled
    usable = (n_h > 1) & (fraction < 1)
    dropped = np.flatnonzero(usable)
    same = stratum[:, None] == stratum[dropped][None, :]
    with np.errstate(divide="ignore"):
        factor = n_h[dropped] / (n_h[dropped] - 1.0)
    multipliers = np.where(same, factor[None, :], 1.0)
    multipliers[dropped, np.arange(dropped.size)] = 0.0
    rscales = (1.0 - fraction[dropped]) * (n_h[dropped] - 1.0) / n_h[dropped]
    lonely = np.flatnonzero(
        (count == 1) & (np.bincount(stratum, weights=fraction < 1, minlength=layout.n_strata) > 0)
    )
    if lonely.size and layout.lonely_psu == "adjust":
        # R's jknweights: a replicate that drops the lonely stratum and scales the others
        h_total = layout.n_strata
        extra = np.where(stratum[:, None] == lonely[None, :], 0.0, h_total / (h_total - 1.0))
        multipliers = np.hstack([multipliers, extra])
        rscales = np.concatenate([rscales, np.full(lonely.size, (h_total - 1.0) / h_total)])
    strata_used = np.unique(stratum[dropped]).size
    df = dropped.size - strata_used if dropped.size else 0
    if lonely.size and layout.lonely_psu == "adjust":
        df += lonely.size
    method = "jk1" if delete_one else "jkn"
    scale = 1.0
    if layout.lonely_psu == "average" and 0 < dropped.size < layout.n_psu:
        # R's jknweights: PSUs over replicates (strata sampled completely count as dropped)
        scale = layout.n_psu / dropped.size
    return Replicates(method, multipliers, scale, rscales, int(df))


def _as_r_text(label: Any) -> str:
    """Write a label as R's ``as.character`` does (R sorts strata as text for BRR)."""
    value = label.item() if isinstance(label, np.generic) else label
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _show(value: Any) -> str:
    return repr(value.item() if isinstance(value, np.generic) else value)


def _check_hadamard(h: NDArray[Any], n_strata: int) -> None:
    if h.ndim != 2 or h.shape[0] < n_strata + 1:
        raise ValueError(
            f"'hadamard' must be a matrix with at least {n_strata + 1} rows (strata + 1); "
            f"got shape {h.shape}"
        )
    values = np.unique(h)
    if values.size != 2:
        raise ValueError(
            f"'hadamard' must have exactly two distinct values; got {values.size}: "
            f"{', '.join(repr(v.item()) for v in values[:5])}"
        )
    signed = np.where(h == h[0, 0], 1.0, -1.0)
    gram = signed.T @ signed
    if not np.allclose(gram, h.shape[0] * np.eye(h.shape[1])):
        raise ValueError("'hadamard' is not a Hadamard matrix (its columns are not orthogonal)")


def brr(layout: Layout, *, rho: float, hadamard: ArrayLike | None) -> Replicates:
    """Balanced repeated replication (Fay's variant for ``rho > 0``), two PSUs per stratum."""
    count = np.bincount(layout.psu_stratum, minlength=layout.n_strata)
    if np.any(count != 2):
        bad = int(np.argmax(count != 2))
        raise ValueError(
            f"BRR needs exactly two PSUs in every stratum; stratum "
            f"{_show(layout.strata_labels[bad])} has {count[bad]}"
        )
    if layout.has_fpc:
        warn("BRR ignores the finite-population correction (as R survey does)")
    n_strata = layout.n_strata
    # R's brrweights: stratum number j (strata sorted as text, as R sorts as.character)
    # takes row j + 1 of the matrix (row 0 is skipped), one column per replicate; in each
    # stratum the PSU that appears first in the data is the "first" of the pair
    text = [_as_r_text(label) for label in layout.strata_labels.tolist()]
    rank = np.empty(n_strata, dtype=np.intp)
    rank[sorted(range(n_strata), key=text.__getitem__)] = np.arange(n_strata)
    h: NDArray[Any]
    if hadamard is None:
        h, exact = default_matrix(n_strata)
        if not exact:
            warn(
                f"for {n_strata} strata R survey's default Hadamard matrix is one it stores "
                f"(order {h.shape[0]}) and vpt_monitor does not ship; a Paley matrix of the "
                "same order is used, so replicate standard errors of nonlinear statistics "
                "differ from R's. To reproduce R, pass R's own matrix recoded as a user's: "
                f"H <- survey:::hadamard({n_strata}); H[-1, ] <- 1 - H[-1, ] (every row but "
                "the first flipped), then hadamard=H"
            )
        # R's own matrices are 0/1 with 1 in the corner; where an entry is 1 the first PSU
        # of the pair gets the high factor
        first_high = h[1 + rank] == h[0, 0]
    else:
        h = np.asarray(hadamard)
        _check_hadamard(h, n_strata)
        # a matrix given by the user is recoded by R as 0 where it equals the corner entry
        # and 1 elsewhere, and there the first PSU gets the high factor: the complement of
        # the rule for R's own matrices
        first_high = h[1 + rank] != h[0, 0]
    # PSUs by stratum, then appearance
    order = np.lexsort((layout.psu_first_row, layout.psu_stratum))
    is_first = np.zeros(layout.n_psu, dtype=bool)
    is_first[order[0::2]] = True
    chosen = first_high[layout.psu_stratum]  # (n_psu, R)
    high = np.where(is_first[:, None], chosen, ~chosen)
    multipliers = np.where(high, 2.0 - rho, rho)
    replicates = multipliers.shape[1]
    scale = 1.0 / (replicates * (1.0 - rho) ** 2)
    method = "brr" if rho == 0 else "fay"
    return Replicates(method, multipliers, scale, np.ones(replicates), n_strata)


def bootstrap(layout: Layout, *, replicates: int, seed: int | None) -> Replicates:
    """Rao and Wu's rescaling bootstrap: ``n_h - 1`` PSUs drawn with replacement per stratum."""
    if layout.has_fpc:
        warn("the Rao-Wu bootstrap ignores the finite-population correction")
    stratum = layout.psu_stratum
    n_psu, n_strata = layout.n_psu, layout.n_strata
    count = np.bincount(stratum, minlength=n_strata)
    rng = np.random.default_rng(seed)
    # PSUs sorted by stratum; each stratum with n_h >= 2 draws n_h - 1 of its own PSUs
    order = np.argsort(stratum, kind="stable")
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    draws_per = np.where(count > 1, count - 1, 0)
    draw_stratum = np.repeat(np.arange(n_strata), draws_per)
    picks = start[draw_stratum] + np.floor(
        rng.random((replicates, draw_stratum.size)) * count[draw_stratum]
    ).astype(np.intp)
    psu_picked = order[picks]  # (R, draws)
    flat = (np.arange(replicates)[:, None] * n_psu + psu_picked).ravel()
    times = np.bincount(flat, minlength=replicates * n_psu).reshape(replicates, n_psu)
    n_h = count[stratum].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        multipliers = np.where(n_h[None, :] > 1, times * (n_h / (n_h - 1.0))[None, :], 1.0).T
    df = int(np.linalg.matrix_rank(multipliers)) - 1
    return Replicates("bootstrap", multipliers, 1.0 / (replicates - 1), np.ones(replicates), df)


def make(
    layout: Layout,
    method: str,
    *,
    replicates: int = 500,
    seed: int | None = None,
    rho: float = 0.5,
    hadamard: ArrayLike | None = None,
) -> Replicates:
    """Make the replicate multipliers of ``method``; see :meth:`SurveyDesign.replicate`.

    ``method`` is checked already (its canonical spelling).
    """
    if method in ("jk1", "jkn"):
        return jackknife(layout, delete_one=method == "jk1")
    if method in ("brr", "fay"):
        fay = rho if method == "fay" else 0.0
        if method == "fay" and not 0.0 < fay < 1.0:
            raise ValueError(f"'rho' must be strictly between 0 and 1 for Fay's BRR; got {rho!r}")
        return brr(layout, rho=fay, hadamard=hadamard)
    if isinstance(replicates, np.integer):
        replicates = int(replicates)
    if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 2:
        raise ValueError(f"'replicates' must be a whole number >= 2; got {replicates!r}")
    return bootstrap(layout, replicates=replicates, seed=seed)
