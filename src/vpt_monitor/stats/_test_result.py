"""The result of a design-based test: :class:`TestResult`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np

from vpt_monitor._frozen import FrozenMap
from vpt_monitor.stats import _design_ci, _print
from vpt_monitor.stats._interval import ConfidenceInterval
from vpt_monitor.stats._validation import check_level

__all__ = ["TestResult"]


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return FrozenMap(dict(value))


@attrs.frozen(eq=False, repr=False)
class TestResult:
    r"""A design-based test: its statistic, degrees of freedom and p-value.

    Attributes
    ----------
    statistic : float
        The test statistic: ``F`` for the F tests (Rao-Scott second order, Wald, a Wald
        test of model terms on the design's degrees of freedom), the corrected
        :math:`X^2` for the first-order Rao-Scott and chi-square Wald tests, ``t`` for a
        t test.
    df : float
        Degrees of freedom of the statistic (the numerator's, for an F statistic).
    ddf : float
        Denominator degrees of freedom of an F or t statistic (``inf`` for chi-square).
    p_value : float
        Two-sided for a t test, upper tail otherwise.
    method : str
        What was tested, in words.
    name : str
        Name of the statistic: ``"F"``, ``"X-squared"`` or ``"t"``.
    estimate, standard_error : float
        For a t test, the difference of means (or the mean) and its standard error; NaN
        otherwise.
    level : float
        Default level of :meth:`confidence_interval`.
    flags : tuple of str
        Why the test could not be done, where it could not (then the numbers are NaN).
    notes : mapping
        More of the computation: for the Rao-Scott tests, ``"pearson"`` (the Pearson
        :math:`X^2` of the table scaled to the sample size, which R prints as the
        statistic of ``"Chisq"``), ``"design_effects"`` (the eigenvalues
        :math:`\delta_k`) and their ``"mean"``.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, glm
    >>> design = SurveyDesign(weights=[1.0] * 8, clusters=[1, 1, 2, 2, 3, 3, 4, 4])
    >>> data = {"y": [1.0, 2.0, 2.0, 3.0, 5.0, 4.0, 6.0, 7.0], "g": ["a", "b"] * 4}
    >>> result = glm("y ~ g", data, design).wald_test("g")
    >>> result.name, result.df, result.ddf
    ('F', 1.0, 2.0)
    """

    __test__ = False  # not a pytest test class, whatever its name

    statistic: float = attrs.field(converter=float)
    df: float = attrs.field(converter=float)
    ddf: float = attrs.field(converter=float)
    p_value: float = attrs.field(converter=float)
    method: str
    name: str
    estimate: float = attrs.field(converter=float, default=float("nan"), kw_only=True)
    standard_error: float = attrs.field(converter=float, default=float("nan"), kw_only=True)
    level: float = attrs.field(converter=float, default=0.95, kw_only=True)
    flags: tuple[str, ...] = attrs.field(converter=_strings, default=(), kw_only=True)
    notes: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_mapping, kw_only=True, repr=False
    )

    def confidence_interval(self, level: float | None = None) -> ConfidenceInterval:
        """Interval for ``estimate`` (t tests): ``estimate -/+ t se`` on ``ddf`` degrees.

        NaN bounds for tests without an estimate.
        """
        chosen = check_level(self.level if level is None else level)
        low, high = _design_ci.estimate_ci(
            np.array([self.estimate]),
            np.array([self.standard_error]),
            np.array([self.ddf]),
            chosen,
            "t",
        )
        return ConfidenceInterval(float(low[0]), float(high[0]), chosen, "t")

    def to_dict(self) -> dict[str, Any]:
        """Return the numbers as a dictionary (for a row of a data frame)."""
        return {
            "statistic": self.statistic,
            "df": self.df,
            "ddf": self.ddf,
            "p_value": self.p_value,
            "name": self.name,
            "method": self.method,
            "estimate": self.estimate,
            "standard_error": self.standard_error,
        }

    def to_pandas(self) -> Any:
        """Return the test as a one-row :class:`pandas.DataFrame` (needs pandas).

        The columns of :meth:`to_dict`, the interval of a t test's estimate (``low``,
        ``high``) and the flags (joined by commas).
        """
        import pandas as pd

        ci = self.confidence_interval()
        row = {**self.to_dict(), "low": ci.low, "high": ci.high, "flags": ",".join(self.flags)}
        return pd.DataFrame([row])

    def _repr_html_(self) -> str | None:
        """Show the test in a notebook: the printed line, then its numbers."""
        try:
            frame = self.to_pandas()
        except ImportError:  # pragma: no cover - pandas is optional
            return None
        detail = self.notes.get("detail") or ", ".join(self.flags)
        warning = f"the test could not be done: {detail}" if self.flags else ""
        return _print.html(repr(self), frame, warning=warning)

    def __repr__(self) -> str:
        degrees = f"df={_print.count(self.df)}" + (
            f", ddf={_print.count(self.ddf)}" if np.isfinite(self.ddf) else ""
        )
        if self.name == "t":
            degrees = f"df={_print.count(self.ddf)}"
        estimate = (
            f", estimate={_print.fixed_one(self.estimate, 6)}, "
            f"se={_print.fixed_one(self.standard_error)}"
            if np.isfinite(self.estimate)
            else ""
        )
        flags = f", flags={self.flags}" if self.flags else ""
        p = _print.p_value(self.p_value)
        return (
            f"TestResult({self.method}: {self.name}={_print.fixed_one(self.statistic, 6)}, "
            f"{degrees}, p{p if p.startswith('<') else '=' + p}{estimate}{flags})"
        )
