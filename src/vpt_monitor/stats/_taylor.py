"""Taylor-linearisation variance for domain estimates, by weighted ``bincount`` passes.

Every estimator of this library is linear in a few weighted sums once its domain estimate is
known, so its variance needs the sums only per *cell*, a (PSU, domain) pair, never per row:
for a mean, the PSU total of the linearised values ``w_i (y_i - ybar_d) / W_d`` is
``(A - ybar_d B) / W_d`` with ``A`` and ``B`` the cell sums of ``w y`` and ``w``. A row lies
in one cell, so each cell sum is one ``bincount`` over the rows, whatever the number of
domains; everything after that works on the small cell table.

The variance is then the between-PSU variance of the cell totals within strata, summed over
strata (see :class:`~vpt_monitor.stats.SurveyDesign`). Cells are held densely (every PSU
times every domain) when that table is small, and as the sorted list of occupied cells
otherwise (for example with one PSU per row and many domains).
"""

from __future__ import annotations

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
    """The (PSU, domain) cells of a design and the map from rows to cells."""

    row_cell: IntArray
    psu: IntArray
    domain: IntArray
    n_domains: int
    dense: bool

    def sum(self, values: ArrayLike | None = None) -> FloatArray:
        """Sum ``values`` (or count rows, without values) into the cells."""
        total: FloatArray = np.bincount(
            self.row_cell, weights=values, minlength=len(self.psu)
        ).astype(np.float64, copy=False)
        return total

    def by_domain(self, cell_values: ArrayLike) -> FloatArray:
        """Add cell values up to one value per domain."""
        total = np.bincount(self.domain, weights=cell_values, minlength=self.n_domains)
        return np.asarray(total, dtype=np.float64)


def cells(design: SurveyDesign, domain: IntArray, n_domains: int, *, dense: bool = False) -> Cells:
    """Cells of ``design`` crossed with the domain codes ``domain`` (``0 .. n_domains - 1``).

    ``dense=True`` keeps every cell whatever the size (calibrated designs need it).
    """
    key = design.psu * n_domains + domain
    n_cells = design.n_psu * n_domains
    if dense or n_cells <= DENSE_LIMIT:
        index = np.arange(n_cells, dtype=np.intp)
        return Cells(key, index // n_domains, index % n_domains, n_domains, dense=True)
    occupied, row_cell = np.unique(key, return_inverse=True)
    return Cells(
        row_cell.astype(np.intp, copy=False),
        occupied // n_domains,
        occupied % n_domains,
        n_domains,
        dense=False,
    )


def covariance(
    design: SurveyDesign, table: Cells, totals: FloatArray
) -> tuple[FloatArray | None, FloatArray | None]:
    """Covariance of the domain estimates whose cell totals are ``totals``.

    Returns ``(factor, None)`` with ``covariance = factor.T @ factor`` for dense cells, and
    ``(None, covariance)`` for occupied-only cells.

    Parameters
    ----------
    design : SurveyDesign
        The full design (domains are never subset).
    table : Cells
        The cells the totals belong to.
    totals : numpy.ndarray
        Per cell, the sum of the weighted linearised values of its rows.
    """
    n_psu, n_strata, n_domains = design.n_psu, design.n_strata, table.n_domains
    psu_stratum = design.psu_stratum
    scale = design.psu_scale
    psu_count: FloatArray = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)
    # a lonely PSU under "adjust" is centred at zero rather than at its stratum mean
    centred = (psu_count > 1) | (design.lonely_psu != "adjust")
    stratum_index = psu_stratum[table.psu] * n_domains + table.domain
    sums = np.bincount(stratum_index, weights=totals, minlength=n_strata * n_domains)
    means = np.where(centred[:, None], sums.reshape(n_strata, n_domains) / psu_count[:, None], 0)

    if table.dense:
        deviations: FloatArray = (totals.reshape(n_psu, n_domains) - means[psu_stratum]) * np.sqrt(
            scale
        )[:, None]
        return deviations, None

    # occupied cells only: expand the centred cross product as
    # sum_i s_i T_i T_i' - sum_h s_h n_h m_h m_h'
    matrix = sparse.csr_array((totals, (table.psu, table.domain)), shape=(n_psu, n_domains))
    first = (matrix.T @ (sparse.diags_array(scale) @ matrix)).toarray()
    stratum_scale = np.zeros(n_strata)
    stratum_scale[psu_stratum] = scale
    factor = stratum_scale * psu_count
    dense: FloatArray = first - means.T @ (means * factor[:, None])
    return None, dense


def degrees_of_freedom(
    design: SurveyDesign, table: Cells, present: NDArray[np.bool_]
) -> FloatArray:
    """PSUs minus strata among each domain's rows (R's ``degf`` of the domain's subset).

    ``present`` tells, per cell, whether any row lies in it.
    """
    psus = table.by_domain(present)
    n_strata, n_domains = design.n_strata, table.n_domains
    stratum_index = design.psu_stratum[table.psu] * n_domains + table.domain
    in_stratum = np.bincount(stratum_index, weights=present, minlength=n_strata * n_domains) > 0
    strata = in_stratum.reshape(n_strata, n_domains).sum(axis=0)
    df: FloatArray = psus - strata
    return df
