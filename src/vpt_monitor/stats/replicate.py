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

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import solve_triangular

from vpt_monitor.stats import _frames
from vpt_monitor.stats._hadamard import default_matrix
from vpt_monitor.stats._validation import check_choice, warn
from vpt_monitor.stats.design import SurveyDesign, Where, show

__all__ = ["REPLICATE_METHODS", "SUPPLIED_METHODS", "ReplicateDesign", "qr_rank"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

REPLICATE_METHODS = ("jk1", "jkn", "brr", "fay", "bootstrap")
#: Kinds of replicate weights :meth:`~vpt_monitor.stats.ReplicateDesign.from_frame` takes
#: (R's ``svrepdesign`` types "JK1", "JKn", "BRR", "Fay", "bootstrap",
#: "successive-difference", "JK2" and "other").
SUPPLIED_METHODS = ("jk1", "jkn", "brr", "fay", "bootstrap", "sdr", "jk2", "other")


def _read_only(array: ArrayLike) -> FloatArray:
    result = np.array(array, dtype=np.float64, copy=True)
    result.setflags(write=False)
    return result


class ReplicateDesign:
    """A design whose variances come from replicate weights.

    Made from a design by :meth:`SurveyDesign.replicate`, or from replicate weights supplied
    with the data by :meth:`from_frame` (R's ``svrepdesign``).

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
        ``weights * multipliers[i, r]``. For replicate weights supplied with the data every
        row is its own PSU of ``base``.
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

    @property
    def frame(self) -> Any:
        """The data frame the design was made from, or None (see :attr:`SurveyDesign.frame`)."""
        return self.base.frame

    @property
    def in_subset(self) -> NDArray[np.bool_] | None:
        """Which rows a :meth:`subset` keeps for estimation, or None for all."""
        return self.base.in_subset

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        *,
        weights: Hashable,
        replicate_weights: str | Sequence[Hashable],
        method: str,
        scale: float | None = None,
        rscales: ArrayLike | None = None,
        rho: float | None = None,
        combined_weights: bool = True,
        mse: bool = False,
        df: int | None = None,
    ) -> ReplicateDesign:
        r"""Make a replicate design from weights supplied in a frame, as R's ``svrepdesign``.

        Public-use files often come with replicate weights instead of strata and clusters.

        Parameters
        ----------
        frame : pandas.DataFrame or polars.DataFrame
            One row per respondent, kept by the design (see
            :meth:`SurveyDesign.from_frame`).
        weights : str
            Name of the column of full-sample weights.
        replicate_weights : str or sequence of str
            The replicate-weight columns: a prefix that their names start with (the
            ``weights`` column excluded), taken in the frame's order, or a list of names.
        method : {"jk1", "jkn", "brr", "fay", "bootstrap", "sdr", "jk2", "other"}
            How the replicates were made; it sets the default ``scale`` and ``rscales`` as
            R's ``svrepdesign(type=)`` does: ``"brr"`` :math:`1/R`; ``"fay"``
            :math:`1/(R(1-\rho)^2)`; ``"jk1"`` :math:`(R-1)/R`; ``"jkn"`` 1, with
            ``rscales`` required (:math:`(n_h - 1)/n_h` for the stratum of each
            replicate); ``"bootstrap"`` :math:`1/(R-1)`; ``"sdr"`` (successive difference)
            :math:`4/R`; ``"jk2"`` 1; ``"other"`` needs ``scale``.
        scale : float, optional
            Overall scale :math:`c`; refused for ``"brr"``, ``"fay"``, ``"sdr"`` and
            ``"jk2"``, whose scale is fixed.
        rscales : float or array_like, optional
            Replicate scales :math:`c_r`, one number or one per replicate (default 1).
            Finite-population corrections of a jackknife go here, as R's ``fpc=`` would put
            them: multiply each replicate's scale by :math:`1 - f_h`.
        rho : float, optional
            Fay's factor, required with ``"fay"``.
        combined_weights : bool, default True
            Whether the columns are the replicate weights themselves (True) or factors to
            multiply the full-sample weights by (False), as R's ``combined.weights``.
        mse : bool, default False
            Centre the replicates on the full-sample estimate instead of their mean.
        df : int, optional
            Degrees of freedom. By default the numerical rank of the replicate weights minus
            one, as R's ``degf``.

        Returns
        -------
        ReplicateDesign

        Raises
        ------
        ValueError
            For fewer than two replicate columns, a missing or infinite replicate weight,
            an unknown method, a missing ``rho`` or ``rscales`` where the method needs one,
            a ``scale`` the method fixes, and names the frame does not have.
        TypeError
            For a replicate-weight column that is not numeric.

        Notes
        -----
        The variance of an estimate :math:`\hat\theta` is
        :math:`c \sum_r c_r (\hat\theta_r - \bar\theta)^2` (see the module), with
        :math:`\hat\theta_r` the estimate under replicate weights :math:`r`. The design
        holds the replicate weights as factors of the full-sample weights in an
        ``n x R`` array (one copy of the columns); estimates of every domain come from one
        product of it with the domain sums of each row.

        References
        ----------
        .. [1] Lumley, T. (2010). *Complex Surveys*, section 2.5 (``svrepdesign``). Wiley.
        .. [2] Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed.,
           chapters 3-5. Springer.

        Examples
        --------
        A delete-one jackknife of four respondents, its weights in the file:

        >>> import pandas as pd
        >>> from vpt_monitor.stats import ReplicateDesign, mean
        >>> k = 4 / 3
        >>> frame = pd.DataFrame({
        ...     "w": [1.0, 1.0, 1.0, 1.0], "y": [1.0, 2.0, 4.0, 5.0],
        ...     "rep1": [0, k, k, k], "rep2": [k, 0, k, k],
        ...     "rep3": [k, k, 0, k], "rep4": [k, k, k, 0],
        ... })
        >>> design = ReplicateDesign.from_frame(
        ...     frame, weights="w", replicate_weights="rep", method="jk1"
        ... )
        >>> design
        ReplicateDesign(method='jk1', n=4, replicates=4, df=3, mse=False)
        >>> round(mean("y", design).standard_error, 6)  # the SRS standard error s / sqrt(n)
        0.912871
        """
        check_choice("method", method, SUPPLIED_METHODS)
        base = SurveyDesign.from_frame(frame, weights=weights)
        assert base._frame is not None
        names = _replicate_columns(base._frame, replicate_weights, weights)
        matrix = np.empty((base.n, len(names)), dtype=np.float64)
        for r, name in enumerate(names):
            series = base._frame.column(name, "replicate_weights")
            values = _frames.numbers(series, "replicate_weights")
            what = _frames.describe("replicate_weights", series)
            bad = ~np.isfinite(values)
            if bad.any():
                if np.isnan(values[bad]).all():
                    raise ValueError(
                        _frames.missing_message(what, series, bad, "every row needs a weight")
                    )
                i = int(np.argmax(bad & ~np.isnan(values)))
                raise ValueError(
                    f"{what} must be finite; got {values[i]!r} at {_frames.row(series, i)}"
                )
            matrix[:, r] = values
        count = len(names)
        scale, rscales = _supplied_scales(method, count, scale, rscales, rho)
        analysis = matrix if combined_weights else matrix * base.weights[:, None]
        if df is None:
            df = qr_rank(analysis.T @ analysis) - 1
        elif isinstance(df, bool) or not isinstance(df, int | np.integer) or df < 0:
            raise ValueError(f"'df' must be a whole number >= 0; got {df!r}")
        if combined_weights:
            matrix /= base.weights[:, None]
        return cls._make(base, method, matrix, scale, rscales, mse=mse, df=int(df))

    @classmethod
    def _make(
        cls,
        base: SurveyDesign,
        method: str,
        multipliers: FloatArray,
        scale: float,
        rscales: FloatArray,
        *,
        mse: bool,
        df: int,
    ) -> ReplicateDesign:
        """Build without copying ``multipliers`` (which the caller hands over)."""
        design = cls.__new__(cls)
        multipliers.setflags(write=False)
        design.base = base
        design.method = method
        design.multipliers = multipliers
        design.scale = float(scale)
        design.rscales = _read_only(rscales)
        design.mse = bool(mse)
        design.df = int(df)
        return design

    def subset(self, where: Where) -> ReplicateDesign:
        """Restrict estimation to some rows, as R's ``subset`` of a replicate design.

        Parameters
        ----------
        where : array_like of bool, str, callable or polars expression
            The rows to keep, as :meth:`SurveyDesign.subset` takes them.

        Returns
        -------
        ReplicateDesign
            The same replicates, with estimates that cover only the rows kept (the others
            count with weight zero in every replicate, which is what dropping them does to
            a replicate estimate). Its degrees of freedom are those R gives a subset of a
            replicate design: the numerical rank of the kept rows' replicate weights minus
            one.

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, mean
        >>> design = SurveyDesign(weights=[1, 2, 1, 2, 3, 1], strata=[1, 1, 1, 2, 2, 2])
        >>> jk = design.replicate("jkn")
        >>> first = jk.subset([True, True, True, False, False, False])
        >>> first.df
        2
        >>> y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
        >>> mean(y, first).standard_error == mean(y, jk, by=[1, 1, 1, 2, 2, 2])[1].standard_error
        True
        """
        base = self.base.subset(where)
        keep = base.in_subset
        assert keep is not None
        # Gram matrix of the kept rows' replicate weights w_i m_{psu(i)}, PSU by PSU
        squares = np.bincount(base.psu[keep], weights=base.weights[keep] ** 2, minlength=base.n_psu)
        used = np.flatnonzero(squares)
        rows = self.multipliers[used]
        gram = rows.T @ (rows * squares[used][:, None])
        return ReplicateDesign._make(
            base,
            self.method,
            self.multipliers,
            self.scale,
            self.rscales,
            mse=self.mse,
            df=qr_rank(gram) - 1,
        )

    def __len__(self) -> int:
        return int(self.base.n)

    def __repr__(self) -> str:
        keep = self.base.in_subset
        subset = "" if keep is None else f", subset={int(keep.sum())}"
        return (
            f"ReplicateDesign(method={self.method!r}, n={self.n}, replicates={self.replicates}, "
            f"df={self.df}, mse={self.mse}{subset})"
        )


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


def _replicate_columns(
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


def _supplied_scales(
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
        raise ValueError(f"'rscales' must be finite and >= 0; got {factors[i]!r} at index {i}")
    return value, factors


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
    if design.in_subset is not None:
        raise ValueError(
            "make the replicate design from the full design, then take the subset "
            "(replicates made from a subset would not be those of the sample)"
        )
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
