r"""Replicate-weight designs: jackknife (JK1, JKn), BRR, Fay's BRR and the Rao-Wu bootstrap.

A replicate design re-estimates every statistic with each set of replicate weights and takes
the spread of the replicate estimates as its variance:

.. math::

    \widehat{V}(\hat\theta) = c \sum_{r=1}^{R} c_r (\hat\theta_r - \bar\theta)^2,

with the overall scale :math:`c`, replicate scales :math:`c_r` and centre :math:`\bar\theta`
(the mean of the replicates, or the full-sample estimate with ``mse=True``), as R
``survey``'s ``svrVar``. Replicate weights here are the full-sample weights times a
multiplier that is constant within a PSU, so the replicate estimates of every domain come
from one matrix product of the multipliers with the (PSU, domain) cell sums: no row is
visited once per replicate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt_monitor.stats._hadamard import default_matrix
from vpt_monitor.stats._validation import check_choice, warn
from vpt_monitor.stats.design import SurveyDesign, show

__all__ = ["REPLICATE_METHODS", "ReplicateDesign"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

REPLICATE_METHODS = ("jk1", "jkn", "brr", "fay", "bootstrap")


def _read_only(array: ArrayLike) -> FloatArray:
    result = np.array(array, dtype=np.float64, copy=True)
    result.setflags(write=False)
    return result


class ReplicateDesign:
    """A design whose variances come from replicate weights; made by :meth:`SurveyDesign.replicate`.

    The estimators (:func:`~vpt_monitor.stats.mean`, :func:`~vpt_monitor.stats.total`,
    :func:`~vpt_monitor.stats.ratio`, :func:`~vpt_monitor.stats.proportion`) accept it in
    place of a :class:`SurveyDesign`.

    Attributes
    ----------
    base : SurveyDesign
        The design the replicates were made from (weights, strata and PSUs).
    method : str
        ``"jk1"``, ``"jkn"``, ``"brr"``, ``"fay"`` or ``"bootstrap"``.
    multipliers : numpy.ndarray
        ``n_psu x R`` factors: replicate ``r`` gives the rows of PSU ``i`` the weight
        ``weights * multipliers[i, r]``.
    scale : float
        Overall scale :math:`c` of the variance.
    rscales : numpy.ndarray
        Replicate scales :math:`c_r`.
    mse : bool
        Centre the replicates on the full-sample estimate (True) or on their mean (False,
        R's default).
    df : int
        Degrees of freedom: the rank of the replicate weights minus one, as R's ``degf``.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, total
    >>> design = SurveyDesign(weights=[2, 2, 3, 3], strata=[1, 1, 2, 2])
    >>> brr = design.replicate("brr")
    >>> brr.replicates, brr.df
    (4, 2)
    >>> round(total([1.0, 3.0, 2.0, 6.0], brr).standard_error, 4)  # as Taylor for a total
    12.6491
    """

    __slots__ = ("base", "df", "method", "mse", "multipliers", "rscales", "scale")

    def __init__(
        self,
        base: SurveyDesign,
        method: str,
        multipliers: ArrayLike,
        scale: float,
        rscales: ArrayLike,
        *,
        mse: bool = False,
        df: int,
    ) -> None:
        self.base = base
        self.method = method
        self.multipliers = _read_only(multipliers)
        self.scale = float(scale)
        self.rscales = _read_only(rscales)
        self.mse = bool(mse)
        self.df = int(df)

    @property
    def weights(self) -> FloatArray:
        """Full-sample weights (read-only)."""
        return self.base.weights

    @property
    def n(self) -> int:
        """Number of rows."""
        return int(self.base.n)

    @property
    def replicates(self) -> int:
        """Number of replicates ``R``."""
        return int(self.multipliers.shape[1])

    def replicate_weights(self) -> FloatArray:
        """Return the ``n x R`` matrix of replicate weights (materialised on request)."""
        result: FloatArray = self.base.weights[:, None] * self.multipliers[self.base.psu]
        return result

    def __len__(self) -> int:
        return int(self.base.n)

    def __repr__(self) -> str:
        return (
            f"ReplicateDesign(method={self.method!r}, n={self.n}, replicates={self.replicates}, "
            f"df={self.df}, mse={self.mse})"
        )


def _first_appearance(design: SurveyDesign) -> IntArray:
    """Row index where each PSU first appears."""
    _, first = np.unique(design.psu, return_index=True)
    return first.astype(np.intp)


def _psu_fraction(design: SurveyDesign) -> FloatArray:
    """Return the sampling fraction of each PSU's stratum (0 without fpc)."""
    count = np.bincount(design.psu_stratum, minlength=design.n_strata).astype(np.float64)
    if design.fpc is None:
        return np.zeros(design.n_psu)
    first = _first_appearance(design)
    fpc = design.fpc[first]
    n_h = count[design.psu_stratum]
    population = np.where(fpc > 1, fpc, n_h / fpc)
    fraction: FloatArray = np.minimum(n_h / population, 1.0)
    return fraction


def jackknife(design: SurveyDesign, *, delete_one: bool, mse: bool) -> ReplicateDesign:
    """JK1 (one stratum) or JKn (within strata): drop one PSU per replicate."""
    n_psu = design.n_psu
    stratum = design.psu_stratum
    count = np.bincount(stratum, minlength=design.n_strata).astype(np.float64)
    if delete_one and design.n_strata > 1:
        raise ValueError(
            "method 'jk1' is for unstratified designs; this design has "
            f"{design.n_strata} strata: use 'jkn'"
        )
    fraction = _psu_fraction(design)
    n_h = count[stratum]
    # one replicate per PSU of a stratum with two or more PSUs that was not fully sampled
    usable = (n_h > 1) & (fraction < 1)
    dropped = np.flatnonzero(usable)
    multipliers = np.ones((n_psu, dropped.size))
    same = stratum[:, None] == stratum[dropped][None, :]
    with np.errstate(divide="ignore"):
        factor = n_h[dropped] / (n_h[dropped] - 1.0)
    multipliers = np.where(same, factor[None, :], 1.0)
    multipliers[dropped, np.arange(dropped.size)] = 0.0
    rscales = (1.0 - fraction[dropped]) * (n_h[dropped] - 1.0) / n_h[dropped]
    lonely = np.flatnonzero(
        (count == 1) & (np.bincount(stratum, weights=fraction < 1, minlength=design.n_strata) > 0)
    )
    if lonely.size and design.lonely_psu == "adjust":
        # R's jknweights: a replicate that drops the lonely stratum and scales the others
        h_total = design.n_strata
        extra = np.where(stratum[:, None] == lonely[None, :], 0.0, h_total / (h_total - 1.0))
        multipliers = np.hstack([multipliers, extra])
        rscales = np.concatenate([rscales, np.full(lonely.size, (h_total - 1.0) / h_total)])
    strata_used = np.unique(stratum[dropped]).size
    df = dropped.size - strata_used if dropped.size else 0
    if lonely.size and design.lonely_psu == "adjust":
        df += lonely.size
    method = "jk1" if delete_one else "jkn"
    return ReplicateDesign(design, method, multipliers, 1.0, rscales, mse=mse, df=df)


def _as_r_text(label: Any) -> str:
    """Write a label as R's ``as.character`` does (R sorts strata as text for BRR)."""
    value = label.item() if isinstance(label, np.generic) else label
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


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


def brr(
    design: SurveyDesign, *, rho: float, hadamard: ArrayLike | None, mse: bool
) -> ReplicateDesign:
    """Balanced repeated replication (Fay's variant for ``rho > 0``), two PSUs per stratum."""
    count = np.bincount(design.psu_stratum, minlength=design.n_strata)
    if np.any(count != 2):
        bad = int(np.argmax(count != 2))
        raise ValueError(
            f"BRR needs exactly two PSUs in every stratum; stratum "
            f"{show(design.strata_labels[bad])} has {count[bad]}"
        )
    if design.fpc is not None:
        warn("BRR ignores the finite-population correction (as R survey does)")
    n_strata = design.n_strata
    # R's brrweights: stratum number j (strata sorted as text, as R sorts as.character)
    # takes row j + 1 of the matrix (row 0 is skipped), one column per replicate; in each
    # stratum the PSU that appears first in the data is the "first" of the pair
    text = [_as_r_text(label) for label in design.strata_labels.tolist()]
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
                "differ from R's; pass R's survey:::hadamard("
                f"{n_strata}) as hadamard= to reproduce R"
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
    first = _first_appearance(design)
    order = np.lexsort((first, design.psu_stratum))  # PSUs by stratum, then appearance
    is_first = np.zeros(design.n_psu, dtype=bool)
    is_first[order[0::2]] = True
    chosen = first_high[design.psu_stratum]  # (n_psu, R)
    high = np.where(is_first[:, None], chosen, ~chosen)
    multipliers = np.where(high, 2.0 - rho, rho)
    replicates = multipliers.shape[1]
    scale = 1.0 / (replicates * (1.0 - rho) ** 2)
    method = "brr" if rho == 0 else "fay"
    return ReplicateDesign(
        design, method, multipliers, scale, np.ones(replicates), mse=mse, df=n_strata
    )


def bootstrap(
    design: SurveyDesign, *, replicates: int, seed: int | None, mse: bool
) -> ReplicateDesign:
    """Rao and Wu's rescaling bootstrap: ``n_h - 1`` PSUs drawn with replacement per stratum."""
    if design.fpc is not None:
        warn("the Rao-Wu bootstrap ignores the finite-population correction")
    stratum = design.psu_stratum
    count = np.bincount(stratum, minlength=design.n_strata)
    rng = np.random.default_rng(seed)
    # PSUs sorted by stratum; each stratum with n_h >= 2 draws n_h - 1 of its own PSUs
    order = np.argsort(stratum, kind="stable")
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    draws_per = np.where(count > 1, count - 1, 0)
    draw_stratum = np.repeat(np.arange(design.n_strata), draws_per)
    picks = start[draw_stratum] + np.floor(
        rng.random((replicates, draw_stratum.size)) * count[draw_stratum]
    ).astype(np.intp)
    psu_picked = order[picks]  # (R, draws)
    flat = (np.arange(replicates)[:, None] * design.n_psu + psu_picked).ravel()
    times = np.bincount(flat, minlength=replicates * design.n_psu).reshape(replicates, design.n_psu)
    n_h = count[stratum].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        multipliers = np.where(n_h[None, :] > 1, times * (n_h / (n_h - 1.0))[None, :], 1.0).T
    df = int(np.linalg.matrix_rank(multipliers)) - 1
    return ReplicateDesign(
        design,
        "bootstrap",
        multipliers,
        1.0 / (replicates - 1),
        np.ones(replicates),
        mse=mse,
        df=df,
    )


def make(
    design: SurveyDesign,
    method: str,
    *,
    replicates: int = 500,
    seed: int | None = None,
    rho: float = 0.5,
    hadamard: ArrayLike | None = None,
    mse: bool = False,
) -> ReplicateDesign:
    """Build the replicate design of ``method``; see :meth:`SurveyDesign.replicate`."""
    check_choice("method", method, REPLICATE_METHODS)
    if design.second_stage is not None:
        warn(
            "replicate weights use the first stage only: the second-stage fpc is dropped "
            "(as R's as.svrepdesign does)"
        )
    if design.calibrated:
        raise ValueError(
            "replicate weights from a calibrated design would ignore the calibration; make "
            "the replicate design from the uncalibrated one"
        )
    if method in ("jk1", "jkn"):
        return jackknife(design, delete_one=method == "jk1", mse=mse)
    if method in ("brr", "fay"):
        fay = rho if method == "fay" else 0.0
        if method == "fay" and not 0.0 < fay < 1.0:
            raise ValueError(f"'rho' must be strictly between 0 and 1 for Fay's BRR; got {rho!r}")
        return brr(design, rho=fay, hadamard=hadamard, mse=mse)
    if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 2:
        raise ValueError(f"'replicates' must be a whole number >= 2; got {replicates!r}")
    return bootstrap(design, replicates=replicates, seed=seed, mse=mse)
