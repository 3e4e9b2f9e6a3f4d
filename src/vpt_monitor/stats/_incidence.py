"""Which PSUs the domains of a table touch: degrees of freedom for any set of domains.

An :class:`~vpt_monitor.stats.EstimateTable` keeps this record so that the degrees of
freedom of a contrast can be those of the domains it involves, as R's ``degf`` of the subset
design that holds only their rows: the PSUs minus the strata among those rows. The record is
the (PSU, domain) occupancy the estimator computed anyway, dense (PSUs x domains, boolean)
or as the list of occupied cells, plus the stratum of every PSU; a map from the table's
domains to its columns lets a reindexed or relabelled table keep it without copying.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats._arrays import read_only_view

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]

#: Multiply-adds a replicate domain's rank may take (``min(k, R)^2 max(k, R)`` for ``k``
#: PSUs and ``R`` replicates); beyond it the bound ``min(k - 1, design df)`` is taken.
RANK_BUDGET = 4e7
BoolArray = NDArray[np.bool_]


def _rank(gram: FloatArray, tol: float = 1e-5) -> int:
    """Numerical rank from a Gram matrix, as R's ``qr(x, tol=1e-5)$rank`` for exact ranks.

    Full rank in one Cholesky factorisation; otherwise LAPACK's pivoted Cholesky
    (``dpstrf``) on the matrix scaled to unit diagonal, stopping where the largest part of
    a column orthogonal to those taken is below ``tol`` of its norm. R's column-by-column
    rule (:func:`vpt_monitor.stats.replicate.qr_rank`) takes the columns in order; the two
    differ only for columns within ``tol`` of dependence, and this one takes a few
    milliseconds where that one takes tens for a few hundred replicates.
    """
    from scipy.linalg import lapack

    diagonal = np.diag(gram)
    live = np.flatnonzero(diagonal > 0)
    if live.size == 0:
        return 0
    scale = 1.0 / np.sqrt(diagonal[live])
    scaled = gram[np.ix_(live, live)] * np.outer(scale, scale)
    whole, info = lapack.dpotrf(scaled, lower=1, clean=0)
    if info == 0 and np.all(np.diag(whole) ** 2 > tol * tol):
        return int(live.size)
    _, _, rank, _ = lapack.dpstrf(scaled, tol=tol * tol, lower=1)
    return int(rank)


@attrs.frozen(eq=False, repr=False)
class DomainPSUs:
    """The PSUs each domain of a table touches, and the stratum of every PSU.

    Attributes
    ----------
    psu_stratum : numpy.ndarray of int
        Stratum code of each PSU of the design.
    columns : numpy.ndarray of int
        For each domain of the table, its column in the occupancy record (-1: no rows).
    present : numpy.ndarray of bool or None
        Dense occupancy, PSUs x columns.
    psu, column : numpy.ndarray of int or None
        Sparse occupancy: the PSU and the column of every occupied cell.
    fixed_df : float or None
        The one number of degrees of freedom of every set of domains, where no other is
        known (a replicate design's whole, for a table without ``multipliers``).
    multipliers : numpy.ndarray or None
        For a replicate design, its ``n_psu x R`` multipliers; with ``squares`` a set of
        domains has the degrees of freedom R gives the subset of their rows: the rank of
        their replicate weights minus one.
    squares : numpy.ndarray or None
        Sum of the squared weights in every occupied cell, laid out as the occupancy
        (``present``'s shape, or aligned with ``psu`` and ``column``).
    pattern : numpy.ndarray of int or None
        For each PSU, its row of ``multipliers`` when those are the distinct rows only
        (replicate weights supplied with the data make every row a PSU of its own, and the
        rows of one sampled PSU share a row of multipliers); None when they are per PSU.
    """

    psu_stratum: IntArray = attrs.field(converter=read_only_view)
    columns: IntArray = attrs.field(converter=read_only_view)
    present: BoolArray | None = attrs.field(default=None, converter=read_only_view)
    psu: IntArray | None = attrs.field(default=None, converter=read_only_view)
    column: IntArray | None = attrs.field(default=None, converter=read_only_view)
    fixed_df: float | None = None
    multipliers: FloatArray | None = None
    squares: FloatArray | None = None
    pattern: IntArray | None = None

    def __len__(self) -> int:
        return len(self.columns)

    def psus(self, positions: Sequence[int] | IntArray) -> BoolArray:
        """Mask of the PSUs that hold rows of any of the domains at ``positions``."""
        cols = self.columns[np.asarray(positions, dtype=np.intp)]
        cols = cols[cols >= 0]
        mask = np.zeros(len(self.psu_stratum), dtype=bool)
        if cols.size == 0:
            return mask
        if self.present is not None:
            return np.asarray(self.present[:, cols].any(axis=1), dtype=bool)
        assert self.psu is not None
        assert self.column is not None
        mask[self.psu[np.isin(self.column, cols)]] = True
        return mask

    def counts(self, positions: IntArray, among: BoolArray | None = None) -> IntArray:
        """Per domain at ``positions``, how many PSUs it touches (only those in ``among``)."""
        cols = self.columns[positions]
        known = cols >= 0
        safe = np.where(known, cols, 0)
        if self.present is not None:
            present = self.present if among is None else self.present & among[:, None]
            per_column = present.sum(axis=0)
        else:
            assert self.psu is not None
            assert self.column is not None
            size = int(self.column.max()) + 1 if self.column.size else 1
            hits = None if among is None else among[self.psu].astype(np.float64)
            per_column = np.bincount(self.column, weights=hits, minlength=size)
        if per_column.size == 0:
            return np.zeros(len(positions), dtype=np.intp)
        return np.where(known, per_column[safe], 0).astype(np.intp)

    def _replicate_df(self, positions: Sequence[int] | IntArray) -> float:
        """Rank of the replicate weights of the domains' rows, minus one (0 without rows)."""
        assert self.multipliers is not None
        assert self.squares is not None
        cols = self.columns[np.asarray(positions, dtype=np.intp)]
        cols = np.unique(cols[cols >= 0])
        if cols.size == 0:
            return 0.0
        if self.present is not None:
            per_psu = self.squares[:, cols].sum(axis=1)
        else:
            assert self.psu is not None
            assert self.column is not None
            mine = np.isin(self.column, cols)
            per_psu = np.bincount(
                self.psu[mine], weights=self.squares[mine], minlength=len(self.psu_stratum)
            )
        if self.pattern is not None:  # PSUs with the same replicate factors add up
            per_psu = np.bincount(self.pattern, weights=per_psu, minlength=len(self.multipliers))
        used = np.flatnonzero(per_psu)
        k, r = used.size, self.multipliers.shape[1]
        if k == 0:
            return 0.0
        if k == len(self.multipliers) and self.fixed_df is not None:
            return float(self.fixed_df)  # rows in every PSU: the design's own rank
        if min(k, r) ** 2 * max(k, r) > RANK_BUDGET:
            # a domain of many PSUs in a design of many replicates: its rank would take
            # seconds; its degrees of freedom are then at most this (exact when its PSUs'
            # replicate rows are independent), and at several hundred the t quantile is
            # the normal one to the fourth digit
            whole = self.fixed_df if self.fixed_df is not None else r - 1
            return float(min(k - 1, whole))
        rows = self.multipliers[used] * np.sqrt(per_psu[used])[:, None]
        # the smaller Gram matrix: the same rank, k x k or R x R
        gram = rows @ rows.T if k < r else rows.T @ rows
        return float(_rank(gram) - 1)

    def degrees_of_freedom(self, positions: Sequence[int] | IntArray) -> float:
        """PSUs minus strata among the rows of the domains at ``positions``.

        For a replicate design, the rank of those rows' replicate weights minus one (R's
        ``degf`` of their subset).
        """
        if self.multipliers is not None:
            return self._replicate_df(positions)
        if self.fixed_df is not None:
            return float(self.fixed_df)
        mask = self.psus(positions)
        strata = np.bincount(self.psu_stratum[mask], minlength=1) > 0
        return float(mask.sum() - strata.sum())

    def degrees_of_freedom_of_sets(
        self, sets: IntArray, positions: IntArray, n_sets: int
    ) -> NDArray[np.float64]:
        """For many sets of domains at once, PSUs minus strata among each set's rows.

        The domain at ``positions[k]`` belongs to set ``sets[k]``; a set without a domain
        that has rows has 0. One pass over the occupied cells of the domains named, so
        thousands of pairs (the rows of a change between waves) cost no more than a few.
        """
        if self.multipliers is not None:  # a rank per set: an R x R matrix each
            sets = np.asarray(sets, dtype=np.intp)
            positions = np.asarray(positions, dtype=np.intp)
            return np.array([self._replicate_df(positions[sets == k]) for k in range(n_sets)])
        if self.fixed_df is not None:
            return np.full(n_sets, float(self.fixed_df))
        cols = self.columns[np.asarray(positions, dtype=np.intp)]
        known = cols >= 0
        sets, cols = np.asarray(sets, dtype=np.intp)[known], cols[known]
        if cols.size == 0:
            return np.zeros(n_sets)
        used, member_col = np.unique(cols, return_inverse=True)
        member_col = member_col.reshape(-1)
        if self.present is not None:
            psu, cell_col = np.nonzero(self.present[:, used])
        else:
            assert self.psu is not None
            assert self.column is not None
            hit = np.isin(self.column, used)
            psu, cell_col = self.psu[hit], np.searchsorted(used, self.column[hit])
        order = np.argsort(cell_col, kind="stable")
        psu = psu[order]
        per_col = np.bincount(cell_col, minlength=used.size)
        start = np.concatenate([[0], np.cumsum(per_col)[:-1]])
        # every (set, cell) pair: a membership repeated over the cells of its domain
        reps = per_col[member_col]
        member = np.repeat(np.arange(member_col.size), reps)
        within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        cell_psu = psu[np.repeat(start[member_col], reps) + within]
        n_psu = len(self.psu_stratum)
        pairs = np.unique(sets[member].astype(np.int64) * n_psu + cell_psu)
        owner = pairs // n_psu
        n_strata = int(self.psu_stratum.max()) + 1 if n_psu else 1
        strata = np.unique(owner * n_strata + self.psu_stratum[pairs % n_psu]) // n_strata
        psus_per_set = np.bincount(owner, minlength=n_sets)
        strata_per_set = np.bincount(strata, minlength=n_sets)
        return (psus_per_set - strata_per_set).astype(np.float64)

    def take(self, positions: IntArray) -> DomainPSUs:
        """Record for a table whose domains are this one's at ``positions`` (-1: new, empty)."""
        if len(self.columns) == 0:
            columns = np.full(len(positions), -1, dtype=np.intp)
        else:
            columns = np.where(positions >= 0, self.columns[np.maximum(positions, 0)], -1)
        return attrs.evolve(self, columns=columns.astype(np.intp))
