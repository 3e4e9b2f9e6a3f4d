r"""Weight diagnostics: Kish's design effect, effective sample sizes, weight distributions.

:func:`weight_diagnostics` summarises the weights of any design (and the g-weights of a
calibrated one), overall or per domain, in a :class:`WeightDiagnostics` that prints as a
table, converts to pandas and draws a figure (matplotlib, imported only when asked).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt_monitor.stats import _print
from vpt_monitor.stats._inputs import label_codes
from vpt_monitor.stats._labels import show
from vpt_monitor.stats.design import ReplicateDesign, SurveyDesign

__all__ = ["WeightDiagnostics", "weight_diagnostics"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Columns of :meth:`WeightDiagnostics.to_records`, in order.
COLUMNS = (
    "n",
    "weight_sum",
    "minimum",
    "q1",
    "median",
    "q3",
    "maximum",
    "ratio",
    "cv",
    "deff",
    "n_effective",
)


def _quantiles(values: FloatArray, codes: IntArray, k: int, q: FloatArray) -> FloatArray:
    """Per-group quantiles (R's type 7, numpy's default), ``k x len(q)``, NaN when empty."""
    order = np.lexsort((values, codes))
    sorted_values = values[order]
    counts = np.bincount(codes, minlength=k)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    h = (np.maximum(counts, 1)[:, None] - 1) * q[None, :]
    low = np.floor(h).astype(np.intp)
    high = np.minimum(low + 1, np.maximum(counts, 1)[:, None] - 1)
    size = sorted_values.shape[0]
    a = sorted_values[np.minimum(starts[:, None] + low, size - 1)]
    b = sorted_values[np.minimum(starts[:, None] + high, size - 1)]
    result = a + (h - low) * (b - a)
    result[counts == 0] = np.nan
    return np.asarray(result, dtype=np.float64)


def _summary(values: FloatArray, codes: IntArray, k: int) -> dict[str, FloatArray]:
    n: FloatArray = np.bincount(codes, minlength=k).astype(np.float64)
    total: FloatArray = np.bincount(codes, weights=values, minlength=k).astype(np.float64)
    squares = np.bincount(codes, weights=values**2, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = n * squares / total**2
        mean = total / n
        cv = np.sqrt(np.maximum(squares / n - mean**2, 0.0)) / mean
        effective = total**2 / squares
    quartiles = _quantiles(values, codes, k, np.array([0.0, 0.25, 0.5, 0.75, 1.0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = quartiles[:, 4] / quartiles[:, 0]
    return {
        "n": n,
        "weight_sum": total,
        "minimum": quartiles[:, 0],
        "q1": quartiles[:, 1],
        "median": quartiles[:, 2],
        "q3": quartiles[:, 3],
        "maximum": quartiles[:, 4],
        "ratio": ratio,
        "cv": cv,
        "deff": deff,
        "n_effective": effective,
    }


@attrs.frozen(eq=False)
class WeightDiagnostics:
    r"""Diagnostics of a design's weights, overall or per domain.

    Attributes
    ----------
    domains : tuple
        Domain labels (``("all",)`` without ``by``).
    by : str or None
        Name of the domain variable.
    weights : dict of str to numpy.ndarray
        Per domain: ``n``, ``weight_sum``, ``minimum``, ``q1``, ``median``, ``q3``,
        ``maximum``, ``ratio`` (maximum over minimum), ``cv`` (coefficient of variation,
        population form), ``deff`` (Kish's :math:`1 + CV^2`) and ``n_effective``
        (:math:`n / \mathrm{deff}`).
    g : dict of str to numpy.ndarray or None
        The same summary of the g-weights of a design calibrated by
        :func:`~vpt_monitor.stats.calibrate` (calibrated over uncalibrated weights), or None.
    values : numpy.ndarray
        The weights, one per row (for the figure).
    g_values : numpy.ndarray or None
        The g-weights, one per row.
    """

    domains: tuple[Hashable, ...]
    by: str | None
    weights: dict[str, FloatArray] = attrs.field(repr=False)
    g: dict[str, FloatArray] | None = attrs.field(repr=False)
    values: FloatArray = attrs.field(repr=False)
    g_values: FloatArray | None = attrs.field(repr=False)

    @property
    def deff(self) -> FloatArray:
        """Kish's design effect due to unequal weights, per domain."""
        return self.weights["deff"]

    @property
    def n_effective(self) -> FloatArray:
        r"""Effective sample size :math:`(\sum w)^2 / \sum w^2`, per domain."""
        return self.weights["n_effective"]

    def to_records(self) -> list[dict[str, Any]]:
        """Return one dict per domain: the label, the weight summary, then ``g_*`` columns."""
        rows = []
        for i, label in enumerate(self.domains):
            row: dict[str, Any] = {self.by or "domain": label}
            row.update({c: float(self.weights[c][i]) for c in COLUMNS})
            if self.g is not None:
                row.update(
                    {
                        f"g_{c}": float(self.g[c][i])
                        for c in COLUMNS
                        if c not in ("n", "n_effective")
                    }
                )
            rows.append(row)
        return rows

    def to_pandas(self) -> Any:
        """Return a pandas DataFrame with one row per domain (pandas is optional)."""
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records()).set_index(self.by or "domain")

    def __str__(self) -> str:
        head = ["domain", "n", "min", "median", "max", "max/min", "deff", "n_eff"]
        w = self.weights
        # fixed notation per column, never 1.235e+05 (see vpt_monitor.stats._print)
        columns = [
            [show(label).strip("'") for label in self.domains],
            [f"{v:.0f}" for v in w["n"]],
            _print.fixed(w["minimum"]),
            _print.fixed(w["median"]),
            _print.fixed(w["maximum"]),
            _print.fixed(w["ratio"], 3),
            [f"{v:.3f}" for v in w["deff"]],
            [f"{v:.1f}" for v in w["n_effective"]],
        ]
        if self.g is not None:
            head += ["g min", "g max"]
            columns += [_print.fixed(self.g["minimum"]), _print.fixed(self.g["maximum"])]
        lines = [list(row) for row in zip(*columns, strict=True)]
        widths = [max(len(r[j]) for r in [head, *lines]) for j in range(len(head))]
        text = [
            "  ".join(
                cell.ljust(width) if j == 0 else cell.rjust(width)
                for j, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
            for row in [head, *lines]
        ]
        return "Weight diagnostics\n" + "\n".join(text)

    def __repr__(self) -> str:
        return (
            f"WeightDiagnostics(domains={len(self.domains)}, deff={float(self.deff.max()):.3f}"
            f"{' (largest)' if len(self.domains) > 1 else ''}, calibrated={self.g is not None})"
        )

    def figure(self, *, bins: int = 30) -> Any:
        """Draw histograms of the weights (and g-weights): a matplotlib Figure.

        matplotlib is imported here only; install it with the ``report`` extra.
        """
        from matplotlib.figure import Figure

        panels = 1 if self.g_values is None else 2
        figure = Figure(figsize=(4.5 * panels, 3.2), layout="constrained")
        axes = figure.subplots(1, panels, squeeze=False)[0]
        axes[0].hist(self.values, bins=bins, color="#4c72b0")
        axes[0].set_xlabel("weight")
        axes[0].set_ylabel("respondents")
        if self.g_values is not None:
            axes[1].hist(self.g_values, bins=bins, color="#dd8452")
            axes[1].set_xlabel("g-weight")
        return figure


def g_weights(design: SurveyDesign) -> FloatArray | None:
    """Return the g-weights of the last :func:`~vpt_monitor.stats.calibrate` step, or None."""
    from vpt_monitor.stats.calibration import Calibration

    for step in reversed(design.calibration):
        if isinstance(step, Calibration):
            return np.asarray(design.weights / step.design_weights, dtype=np.float64)
    return None


def weight_diagnostics(
    design: SurveyDesign | ReplicateDesign, *, by: ArrayLike | str | None = None
) -> WeightDiagnostics:
    r"""Summarise a design's weights: Kish's design effect, effective sample size, quartiles.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        Any design; the rows of a subset are those summarised.
    by : array_like or str, optional
        Domains (labels, one per row, or a column name of the design's frame).

    Returns
    -------
    WeightDiagnostics
        Per domain the number of rows, the sum, minimum, quartiles and maximum of the
        weights, their ratio maximum over minimum, the coefficient of variation, Kish's
        design effect and the effective sample size; for a design calibrated by
        :func:`~vpt_monitor.stats.calibrate` the same summary of the g-weights.

    Notes
    -----
    Kish's design effect due to unequal weighting in a domain of :math:`n` rows is

    .. math::

        \mathrm{deff}_w = \frac{n \sum_i w_i^2}{(\sum_i w_i)^2} = 1 + CV^2,

    with :math:`CV` the coefficient of variation of the weights (standard deviation with
    divisor :math:`n`, over the mean); the effective sample size is
    :math:`n / \mathrm{deff}_w = (\sum_i w_i)^2 / \sum_i w_i^2`. It measures the loss of
    precision from weighting alone, for a variable unrelated to the weights; clustering
    and calibration are not part of it. Quartiles are R's type 7 (numpy's default).

    References
    ----------
    .. [1] Kish, L. (1965). *Survey Sampling*, section 11.7. Wiley.
    .. [2] Lumley, T. (2010). *Complex Surveys*, section 7.5. Wiley.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, weight_diagnostics
    >>> design = SurveyDesign(weights=[1.0, 1.0, 2.0, 4.0])
    >>> diagnostics = weight_diagnostics(design)
    >>> round(float(diagnostics.deff[0]), 4), round(float(diagnostics.n_effective[0]), 4)
    (1.375, 2.9091)
    >>> print(diagnostics)
    Weight diagnostics
    domain  n  min  median  max  max/min   deff  n_eff
    all     4    1     1.5    4        4  1.375    2.9
    """
    if not isinstance(design, SurveyDesign | ReplicateDesign):
        raise TypeError(
            f"'design' must be a SurveyDesign or ReplicateDesign; got {type(design).__name__}"
        )
    base = design.base if isinstance(design, ReplicateDesign) else design
    keep = base.in_subset
    if by is None:
        codes = np.zeros(base.n, dtype=np.intp)
        labels: tuple[Hashable, ...] = ("all",)
        name = None
    else:
        codes, found = label_codes("by", by, base)
        labels = tuple(found.tolist())
        name = by if isinstance(by, str) else str(getattr(by, "name", None) or "by")
    w = np.asarray(base.weights, dtype=np.float64)
    g = g_weights(base)
    if keep is not None:
        codes, w = codes[keep], w[keep]
        g = None if g is None else g[keep]
    k = len(labels)
    return WeightDiagnostics(
        domains=labels,
        by=name,
        weights=_summary(w, codes, k),
        g=None if g is None else _summary(g, codes, k),
        values=w,
        g_values=g,
    )
