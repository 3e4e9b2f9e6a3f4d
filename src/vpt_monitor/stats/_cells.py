"""(PSU, domain) cells: the fast path of the domain estimators, by weighted ``bincount``.

The domain estimators (mean, total, ratio, proportion) are ratios of weighted totals, so
their estimates *and* the PSU totals of their influence values need the rows' sums only per
*cell*, a (PSU, domain) pair, never per row: for a mean, the PSU total of the influence
values ``w_i (y_i - ybar_d) / W_d`` is ``(A - ybar_d B) / W_d`` with ``A`` and ``B`` the cell
sums of ``w y`` and ``w``. A row lies in one cell, so each cell sum is one ``bincount`` over
the rows, whatever the number of domains; everything after that works on the small cell
table, which :mod:`vpt_monitor.stats.variance` turns into a covariance.

Cells are held densely (every PSU times every domain) when that table is small, and as the
sorted list of occupied cells otherwise (for example with one PSU per row and many domains).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from vpt_monitor.stats.design import SurveyDesign

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Largest PSU-by-domain table held densely; above it only occupied cells are kept.
DENSE_LIMIT = 1 << 22


@attrs.frozen(eq=False)
class Cells:
    """The (PSU, domain) cells of a design and the map from rows to cells.

    Dense cells hold every PSU times every domain, and their sums are ``n_psu x D`` arrays;
    sparse cells hold the occupied cells only, as 1-D arrays aligned with ``psu`` and
    ``domain``. :meth:`spread` and :meth:`by_domain` hide the difference from the estimators.
    """

    row_cell: IntArray
    n_psu: int
    n_domains: int
    dense: bool
    psu: IntArray | None = None  # sparse cells only
    domain: IntArray | None = None  # sparse cells only

    def sum(self, values: ArrayLike | None = None) -> FloatArray:
        """Sum ``values`` (or count rows, without values) into the cells."""
        size = self.n_psu * self.n_domains if self.dense else len(self._domain)
        total = np.asarray(
            np.bincount(self.row_cell, weights=values, minlength=size), dtype=np.float64
        )
        return total.reshape(self.n_psu, self.n_domains) if self.dense else total

    def by_domain(self, cell_values: FloatArray) -> FloatArray:
        """Add cell values up to one value per domain."""
        if self.dense:
            return np.asarray(cell_values.sum(axis=0), dtype=np.float64)
        return np.asarray(
            np.bincount(self._domain, weights=cell_values, minlength=self.n_domains),
            dtype=np.float64,
        )

    def domain_sum(self, values: ArrayLike | None = None) -> FloatArray:
        """Sum ``values`` (or count rows) per domain, through the cells.

        The rows' cell index is an array of the library's own, so this never hands numpy's
        ``bincount`` a read-only array (such as domain codes read from a frame), which it
        would copy.
        """
        return self.by_domain(self.sum(values))

    def spread(self, per_domain: FloatArray) -> FloatArray:
        """Per-domain values lined up with the cells (broadcast for dense cells)."""
        return per_domain[None, :] if self.dense else per_domain[self._domain]

    def table(self, blocks: Sequence[FloatArray]) -> Any:
        """PSU-by-column table of cell values, one block of ``D`` columns per entry.

        Dense cells give an ``n_psu x (len(blocks) * D)`` array; occupied-only cells a
        scipy sparse array of that shape.
        """
        if self.dense:
            return np.hstack(blocks) if len(blocks) > 1 else blocks[0]
        assert self.psu is not None
        m, d = len(blocks), self.n_domains
        rows = np.tile(self.psu, m)
        cols = (np.arange(m)[:, None] * d + self._domain[None, :]).ravel()
        return sparse.csr_array((np.concatenate(blocks), (rows, cols)), shape=(self.n_psu, m * d))

    @property
    def _domain(self) -> IntArray:
        assert self.domain is not None
        return self.domain


def cells(design: SurveyDesign, domain: IntArray, n_domains: int, *, dense: bool = False) -> Cells:
    """Cells of ``design`` crossed with the domain codes ``domain`` (``0 .. n_domains - 1``).

    ``dense=True`` keeps every cell whatever the size (calibrated designs need it).
    """
    key = design.psu * n_domains + domain
    if dense or design.n_psu * n_domains <= DENSE_LIMIT:
        return Cells(key, design.n_psu, n_domains, dense=True)
    occupied, row_cell = np.unique(key, return_inverse=True)
    return Cells(
        row_cell.astype(np.intp, copy=False),
        design.n_psu,
        n_domains,
        dense=False,
        psu=occupied // n_domains,
        domain=occupied % n_domains,
    )


def _stratum_sums(design: SurveyDesign, per_psu: NDArray[Any]) -> FloatArray:
    """Sum an ``n_psu x D`` table over the PSUs of each stratum (``n_strata x D``)."""
    order, starts = design.psu_order
    return np.asarray(np.add.reduceat(per_psu[order], starts, axis=0), dtype=np.float64)


def degrees_of_freedom(
    design: SurveyDesign, table: Cells, present: NDArray[np.bool_]
) -> FloatArray:
    """PSUs minus strata among each domain's rows (R's ``degf`` of the domain's subset).

    ``present`` tells, per cell, whether any row lies in it.
    """
    n_strata, n_domains = design.n_strata, table.n_domains
    if table.dense:
        psus = present.sum(axis=0)
        strata = (_stratum_sums(design, present) > 0).sum(axis=0)
    else:
        assert table.psu is not None
        psus = np.bincount(table._domain, weights=present, minlength=n_domains)
        index = design.psu_stratum[table.psu] * n_domains + table._domain
        hit = np.bincount(index, weights=present, minlength=n_strata * n_domains) > 0
        strata = hit.reshape(n_strata, n_domains).sum(axis=0)
    return np.asarray(psus - strata, dtype=np.float64)
