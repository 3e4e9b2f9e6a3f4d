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
BoolArray = NDArray[np.bool_]


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
        For replicate designs, the one number of degrees of freedom of every set of domains
        (the replicate design's).
    """

    psu_stratum: IntArray = attrs.field(converter=read_only_view)
    columns: IntArray = attrs.field(converter=read_only_view)
    present: BoolArray | None = attrs.field(default=None, converter=read_only_view)
    psu: IntArray | None = attrs.field(default=None, converter=read_only_view)
    column: IntArray | None = attrs.field(default=None, converter=read_only_view)
    fixed_df: float | None = None

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

    def degrees_of_freedom(self, positions: Sequence[int] | IntArray) -> float:
        """PSUs minus strata among the rows of the domains at ``positions``."""
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
