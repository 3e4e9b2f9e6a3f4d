"""Taylor-linearisation variance for domain estimates, by weighted ``bincount`` passes.

Every estimator of this library is linearised to one value per row, ``z_i``, already
multiplied by the row's weight and zero outside the row's own domain. The variance of the
domain estimates is then the between-PSU variance of the PSU totals of ``z`` within strata,
summed over strata (see :class:`~vpt_monitor.stats.SurveyDesign`). A row belongs to one
domain, so the PSU-by-domain totals take a single ``bincount`` over the rows whatever the
number of domains; only the final ``D x D`` cross product grows with it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from vpt_monitor.stats.design import SurveyDesign

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Largest PSU-by-domain table held densely; above it a sparse product is used instead.
DENSE_LIMIT = 1 << 22


def covariance(design: SurveyDesign, z: FloatArray, domain: IntArray, n_domains: int) -> FloatArray:
    """Covariance matrix of the domain estimates whose linearised values are ``z``.

    Parameters
    ----------
    design : SurveyDesign
        The full design (domains are never subset).
    z : numpy.ndarray
        Weighted linearised value of each row for its own domain.
    domain : numpy.ndarray
        Domain code of each row, ``0 .. n_domains - 1``.
    n_domains : int
        Number of domains.
    """
    n_psu, n_strata = design.n_psu, design.n_strata
    psu_stratum = design.psu_stratum
    scale = design.psu_scale
    psu_count: FloatArray = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)
    # a lonely PSU under "adjust" is centred at zero rather than at its stratum mean
    centred_stratum = (psu_count > 1) | (design.lonely_psu != "adjust")

    if n_psu * n_domains <= DENSE_LIMIT:
        totals = _sum_by(design.psu * n_domains + domain, z, n_psu, n_domains)
        index = (psu_stratum[:, None] * n_domains + np.arange(n_domains)).ravel()
        sums = _sum_by(index, totals.ravel(), n_strata, n_domains)
        means = np.where(centred_stratum[:, None], sums / psu_count[:, None], 0.0)
        deviations = (totals - means[psu_stratum]) * np.sqrt(scale)[:, None]
        result: FloatArray = deviations.T @ deviations
        return result

    # Sparse path for many PSUs times many domains (e.g. one PSU per row): expand the
    # centred cross product as sum_i s_i T_i T_i' - sum_h s_h n_h m_h m_h'.
    table = sparse.csr_array((z, (design.psu, domain)), shape=(n_psu, n_domains))
    weighted = sparse.diags_array(scale) @ table
    first = (table.T @ weighted).toarray()
    sums = _sum_by(design.strata * n_domains + domain, z, n_strata, n_domains)
    stratum_scale = np.zeros(n_strata)
    stratum_scale[psu_stratum] = scale
    means = sums / psu_count[:, None]
    factor = np.where(centred_stratum, stratum_scale * psu_count, 0.0)
    second = means.T @ (means * factor[:, None])
    dense: FloatArray = first - second
    return dense


def _sum_by(index: IntArray, values: FloatArray, rows: int, columns: int) -> FloatArray:
    """Sum ``values`` into a ``rows x columns`` table at flat positions ``index``."""
    flat = np.bincount(index, weights=values, minlength=rows * columns)
    return np.asarray(flat, dtype=np.float64).reshape(rows, columns)
