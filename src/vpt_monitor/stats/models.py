r"""Design-based generalised linear models: :func:`glm` and its result, :class:`GLMResult`.

A model is fitted as R ``survey``'s ``svyglm``: weighted iteratively reweighted least
squares with the sampling weights, then the covariance of the coefficients from the design,
through the subpackage's one variance routine (:mod:`vpt_monitor.stats.variance`): the
influence values of the coefficients (a sandwich) for a Taylor design, or a refit with every
set of replicate weights for a replicate design. The result answers Wald tests of terms
(R's ``regTermTest``), predictions with standard errors, and predictive margins (R's
``svypredmeans``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats import _design_ci, _distributions, _formula, _glm, _print, variance
from vpt_monitor.stats._inputs import check_na
from vpt_monitor.stats._interval import ConfidenceInterval
from vpt_monitor.stats._test_result import TestResult
from vpt_monitor.stats._validation import check_choice, check_level, warn
from vpt_monitor.stats.design import ReplicateDesign, SurveyDesign
from vpt_monitor.stats.results import FLAGS, EstimateTable

__all__ = ["FAMILIES", "GLMResult", "glm"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
AnyDesign = SurveyDesign | ReplicateDesign

FAMILIES = _glm.FAMILIES
#: Flags a model can carry (see :attr:`GLMResult.flags`).
MODEL_FLAGS = (
    "separation",
    "aliased",
    "not_converged",
    "no_df",
    "empty_category",
    "replicate_aliased",
    "replicate_separation",
)
PREDICTION_TYPES = ("response", "link")


@attrs.frozen(eq=False)
class _State:
    """What a fitted model keeps to predict, test and average: the rows it used."""

    spec: _formula.ModelSpec
    family: _glm.Family
    design: AnyDesign
    rows: IntArray
    variables: Mapping[str, _formula.Variable]
    y: FloatArray
    weights: FloatArray  # the rows' weights scaled to mean 1 (R's rescale=TRUE)
    scale: float  # the mean of the rows' weights
    kept: IntArray  # columns that are not aliased
    beta: FloatArray  # coefficients of the kept columns
    bread: FloatArray  # inverse of X' W X (scaled weights), kept columns
    covariance: FloatArray  # design-based, kept columns
    design_df: float

    def matrix(self, variables: Mapping[str, _formula.Variable], n: int) -> FloatArray:
        """Model matrix of the kept columns."""
        full = self.spec.matrix(variables, n)
        return full if len(self.kept) == full.shape[1] else np.asfortranarray(full[:, self.kept])

    def refit(
        self,
        x: FloatArray | _glm.Products,
        weights: FloatArray,
        troubled: list[FloatArray] | None = None,
    ) -> FloatArray:
        """Coefficients with other weights (a replicate), from the full-sample fit.

        ``x`` is the model matrix of the kept columns, or its products (see
        :func:`_glm.irls`). ``troubled`` collects the weights of a refit that shows the
        signs of an estimate that does not exist (:func:`_glm.suspicious`: separation in
        the replicate, or no convergence).
        """
        used = weights > 0
        if not used.any():
            return np.full(len(self.beta), np.nan)
        products = _glm.Dense(x) if isinstance(x, np.ndarray) else x
        scaled = weights / weights[used].mean()
        fit = _glm.irls(products, self.y, scaled, self.family, start=self.beta)
        if troubled is not None and _glm.suspicious(fit, self.family, scaled):
            troubled.append(scaled)
        # a column without weight in this replicate (its category's rows all lie in the
        # PSUs it leaves out) has no estimate here, as R's glm reports NA
        return np.where(np.diag(fit.information) > 0, fit.coefficients, np.nan)


def _expand(values: FloatArray, kept: IntArray, size: int) -> FloatArray:
    result = np.full(size, np.nan)
    result[kept] = values
    return result


def _expand_matrix(values: FloatArray, kept: IntArray, size: int) -> FloatArray:
    result = np.full((size, size), np.nan)
    result[np.ix_(kept, kept)] = values
    return result


@attrs.frozen(eq=False, repr=False)
class GLMResult:
    r"""A design-based generalised linear model, fitted by :func:`glm`.

    Attributes
    ----------
    formula : str
        The model formula.
    family : str
        ``"gaussian"``, ``"binomial"``, ``"quasibinomial"``, ``"poisson"`` or
        ``"quasipoisson"`` (each with its canonical link: identity, logit, log).
    names : tuple of str
        Coefficient names, as ``formulaic`` writes them (``"Intercept"``,
        ``"office[T.mayor]"``, ``"age"``, ``"office[T.mayor]:age"``).
    params : numpy.ndarray
        The coefficients; NaN for an aliased one (R's ``NA``).
    covariance : numpy.ndarray
        Their design-based covariance matrix (R's ``vcov``); NaN rows and columns for
        aliased coefficients.
    df_residual : float
        Residual degrees of freedom: the design's degrees of freedom among the rows used
        plus one minus the number of (non-aliased) coefficients, as R's ``svyglm`` on a
        subset (for a replicate design, the rank of those rows' replicate weights minus
        one, R's ``degf``).
    n : int
        Rows used in the fit.
    design_df : float
        Degrees of freedom of the design among the rows used.
    converged : bool
        Whether the iterations converged.
    iterations : int
        Number of iterations.
    deviance : float
        Deviance of the fit with the weights scaled to mean 1 (R's ``deviance``).
    naive_covariance : numpy.ndarray
        The model-based covariance :math:`(X^\top W X)^{-1}` with the weights scaled to mean
        1 (R's ``naive.cov``); the design effect of a coefficient is the ratio of the two.
    flags : tuple of str
        ``"separation"`` (perfect or quasi-complete separation: the estimates run off to
        infinity and their values and standard errors are meaningless; ``flag_detail`` names
        the coefficients), ``"aliased"`` (coefficients that are linear combinations of
        others, reported as NaN), ``"not_converged"``, ``"no_df"`` (fewer than one residual
        degree of freedom: no t statistics), ``"empty_category"`` (a category without rows
        in use, left out of the coefficients), ``"replicate_aliased"`` (a coefficient whose
        rows all lie in the PSUs some replicates leave out: those refits cannot estimate
        it, and its standard error is NaN; the others are estimated as usual),
        ``"replicate_separation"`` (the full sample has an estimate, but some replicates'
        refits do not: a category has one outcome only among the PSUs a replicate keeps,
        and the standard errors built on those refits are unreliable; ``flag_detail``
        names the coefficients and counts the replicates).
    flag_detail : str
        The flags in words.
    level : float
        Default confidence level.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor.stats import SurveyDesign, glm
    >>> rng = np.random.default_rng(1)
    >>> data = {"age": rng.uniform(20, 70, 200), "office": rng.choice(["a", "b"], 200)}
    >>> data["victim"] = (rng.random(200) < 0.2 + 0.2 * (data["office"] == "b")).astype(float)
    >>> design = SurveyDesign(weights=rng.uniform(1, 3, 200), clusters=np.arange(200) // 4)
    >>> fit = glm("victim ~ office + age", data, design, family="quasibinomial")
    >>> fit.names
    ('Intercept', 'office[T.b]', 'age')
    >>> fit.df_residual
    47.0
    """

    formula: str
    family: str
    names: tuple[str, ...]
    params: FloatArray
    covariance: FloatArray
    df_residual: float = attrs.field(converter=float)
    n: int
    design_df: float = attrs.field(converter=float)
    converged: bool
    iterations: int
    deviance: float
    naive_covariance: FloatArray = attrs.field(repr=False)
    flags: tuple[str, ...] = ()
    flag_detail: str = ""
    level: float = 0.95
    notes: Mapping[str, Any] = attrs.field(factory=dict, repr=False)
    _state: _State | None = attrs.field(default=None, repr=False, alias="state")

    @property
    def standard_errors(self) -> FloatArray:
        """Design-based standard errors of the coefficients."""
        return np.sqrt(np.diag(self.covariance))

    @property
    def statistics(self) -> FloatArray:
        """T statistics, coefficient over standard error."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(self.params / self.standard_errors, dtype=np.float64)

    @property
    def p_values(self) -> FloatArray:
        """Two-sided p-values of the t statistics on ``df_residual`` degrees of freedom.

        NaN when ``df_residual`` is below 1 (R's ``summary.svyglm``).
        """
        if not self.df_residual > 0:
            return np.full(len(self.params), np.nan)
        return np.asarray(
            2.0 * _distributions.t_sf(np.abs(self.statistics), self.df_residual), dtype=np.float64
        )

    def confidence_interval(self, level: float | None = None) -> ConfidenceInterval:
        """Wald intervals of the coefficients, t on ``df_residual`` (R's ``confint``).

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, glm
        >>> design = SurveyDesign(weights=[1.0] * 6, strata=[1, 1, 1, 2, 2, 2])
        >>> fit = glm("y ~ x", {"y": [1.0, 2, 4, 3, 5, 7], "x": [0.0, 1, 2, 0, 1, 2]}, design)
        >>> ci = fit.confidence_interval()
        >>> ci.method, ci.shape
        ('t', (2,))
        """
        chosen = check_level(self.level if level is None else level)
        low, high = _design_ci.estimate_ci(
            self.params,
            self.standard_errors,
            np.full(len(self.params), self.df_residual),
            chosen,
            "t",
        )
        return ConfidenceInterval(low, high, chosen, "t")

    def to_table(self) -> EstimateTable:
        """Return the coefficients as an :class:`EstimateTable`, for :func:`contrast`.

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, contrast, glm
        >>> design = SurveyDesign(weights=[1.0] * 6)
        >>> fit = glm("y ~ x", {"y": [1.0, 2, 4, 3, 5, 7], "x": [0.0, 1, 2, 0, 1, 2]}, design)
        >>> at_two = contrast(fit.to_table(), {"Intercept": 1, "x": 2})
        >>> round(at_two.estimate, 4)
        5.4167
        """
        size = len(self.params)
        flags = np.zeros((size, len(FLAGS)), dtype=bool)
        flags[:, FLAGS.index("no_df")] = not self.df_residual >= 1
        return EstimateTable(
            domains=self.names,
            estimate=self.params,
            standard_error=self.standard_errors,
            df=np.full(size, self.df_residual),
            n=np.full(size, self.n),
            deff=np.full(size, np.nan),
            n_effective=np.full(size, np.nan),
            kind="coefficient",
            flag_array=flags,
            by=("term",),
            design_df=self.df_residual,
            level=self.level,
            covariance=self.covariance,
            row_sets=np.zeros(size, dtype=np.intp),  # every coefficient rests on all rows
        )

    def to_pandas(self, level: float | None = None) -> Any:
        """Return the coefficient table as a :class:`pandas.DataFrame` (needs pandas).

        Columns ``estimate``, ``standard_error``, ``statistic`` (t), ``p_value``, ``low``
        and ``high``; one row per coefficient. The frame's ``attrs`` hold the model's
        ``formula``, ``family``, ``n``, ``df_residual``, ``flags`` and ``flag_detail``: a
        separated or unconverged fit says so wherever its table goes.
        """
        import pandas as pd

        ci = self.confidence_interval(level)
        frame = pd.DataFrame(
            {
                "estimate": self.params,
                "standard_error": self.standard_errors,
                "statistic": self.statistics,
                "p_value": self.p_values,
                "low": ci.low,
                "high": ci.high,
            },
            index=pd.Index(self.names, name="term"),
        )
        frame.attrs.update(
            formula=self.formula,
            family=self.family,
            n=self.n,
            df_residual=self.df_residual,
            flags=self.flags,
            flag_detail=self.flag_detail,
        )
        return frame

    def _header(self) -> str:
        return (
            f"GLMResult({self.family}: {self.formula}, n={self.n}, "
            f"df_residual={self.df_residual:g}"
            + (f", flags={self.flags}" if self.flags else "")
            + ")"
        )

    def _repr_html_(self) -> str | None:
        """Show the model in a notebook: its header, its flags in words, the coefficients."""
        try:
            frame = self.to_pandas()
        except ImportError:  # pragma: no cover - pandas is optional
            return None

        # each coefficient to its own digits, as printed: a column of one number of decimals
        # would show a coefficient of 0.000045 beside one of 3.2 as 0.000
        def own(value: Any) -> str:
            return _print.fixed_one(value, 5)

        writers = {
            "estimate": own,
            "standard_error": _print.fixed_one,
            "statistic": lambda t: f"{t:.3f}",
            "low": own,
            "high": own,
        }
        return _print.html(self._header(), frame, warning=self.flag_detail, writers=writers)

    def __repr__(self) -> str:
        header = self._header()
        width = min(max([len("term"), *(len(name) for name in self.names)]) + 2, 40)
        # fixed notation, never 3.2e-05 (see vpt_monitor.stats._print); each coefficient to
        # its own 5 (se 4) significant digits, as coefficients differ in scale
        params = [_print.fixed_one(b, 5) for b in self.params]
        errors = [_print.fixed_one(se) for se in self.standard_errors]
        statistics = [f"{t:.3f}" for t in self.statistics]
        first = max([12, *(len(b) + 2 for b in params)])
        second = max([11, *(len(se) + 2 for se in errors)])
        third = max([9, *(len(t) + 2 for t in statistics)])  # a perfect fit's t of 1e14
        rows = [
            header,
            f"  {'term':<{width}}{'estimate':>{first}}{'se':>{second}}{'t':>{third}}{'p':>10}",
        ]
        for name, b, se, t, p in zip(
            self.names, params, errors, statistics, self.p_values, strict=True
        ):
            shown = _print.p_value(p)
            rows.append(
                f"  {name[: width - 1]:<{width}}{b:>{first}}{se:>{second}}{t:>{third}}{shown:>10}"
            )
        return "\n".join(rows)

    # -- questions about the fitted model --------------------------------------------------

    def _fitted(self) -> _State:
        if self._state is None:
            raise ValueError("this result was built by hand and keeps no fitted model")
        return self._state

    def wald_test(
        self,
        terms: str | Sequence[str],
        *,
        null: float | Sequence[float] | None = None,
        df: float | None = None,
    ) -> TestResult:
        r"""Wald test that the coefficients of some terms are zero (R's ``regTermTest``).

        Parameters
        ----------
        terms : str or sequence of str
            Term labels of the formula (``"office"``, ``"office:age"`` in either order) or
            coefficient names (``"office[T.mayor]"``); all their coefficients are tested
            together.
        null : float or sequence of float, optional
            Values under the null hypothesis (0 by default).
        df : float, optional
            Denominator degrees of freedom; ``df_residual`` by default. ``numpy.inf`` gives
            the chi-square test.

        Returns
        -------
        TestResult
            ``F`` on ``(k, df)`` degrees of freedom, or ``X-squared`` on ``k``.

        Notes
        -----
        With :math:`\hat\beta` the :math:`k` coefficients tested and :math:`\hat V` their
        design-based covariance, :math:`X^2 = (\hat\beta - \beta_0)^\top \hat V^{-1}
        (\hat\beta - \beta_0)`; the F statistic is :math:`X^2 / k`, referred to
        :math:`F_{k, \mathrm{df}}` (Korn and Graubard 1990). Aliased coefficients are
        left out.

        References
        ----------
        .. [1] Korn, E. L. and Graubard, B. I. (1990). Simultaneous testing of regression
           coefficients with complex survey data. *The American Statistician* 44, 270-276.

        Examples
        --------
        >>> import numpy as np
        >>> from vpt_monitor.stats import SurveyDesign, glm
        >>> rng = np.random.default_rng(2)
        >>> data = {"y": rng.normal(size=60), "g": rng.choice(["a", "b", "c"], 60)}
        >>> design = SurveyDesign(weights=np.ones(60), clusters=np.arange(60) // 3)
        >>> test = glm("y ~ g", data, design).wald_test("g")
        >>> test.name, test.df, test.ddf
        ('F', 2.0, 17.0)
        """
        wanted = [terms] if isinstance(terms, str) else list(terms)
        if not wanted:
            raise ValueError("'terms' names no term; give at least one")
        state = self._fitted()
        columns: list[int] = []
        for term in wanted:
            found = state.spec.term_columns(term)
            if found is None and term in self.names:
                found = (self.names.index(term),)
            if found is None:
                labels = ", ".join(repr(t.label) for t in state.spec.terms)
                raise ValueError(
                    f"'terms' names {term!r}, which is neither a term nor a coefficient of the "
                    f"model; its terms: {labels}"
                )
            columns.extend(c for c in found if c not in columns)
        usable = [c for c in columns if np.isfinite(self.params[c])]
        k = len(usable)
        if k == 0:
            raise ValueError(f"the coefficients of {wanted!r} are all aliased: nothing to test")
        beta = self.params[usable].copy()
        if null is not None:
            beta = beta - np.broadcast_to(np.asarray(null, dtype=np.float64), beta.shape)
        cov = self.covariance[np.ix_(usable, usable)]
        chisq = float(beta @ np.linalg.solve(cov, beta))
        ddf = self.df_residual if df is None else float(df)
        label = " + ".join(wanted)
        if np.isinf(ddf):
            return TestResult(
                chisq,
                k,
                np.inf,
                _distributions.chi2_sf(chisq, k),
                f"Wald test of {label}",
                "X-squared",
            )
        statistic = chisq / k
        p = _distributions.f_sf(statistic, k, ddf) if ddf > 0 else np.nan
        return TestResult(statistic, k, ddf, p, f"Wald test of {label}", "F")

    def predict(self, newdata: Any, *, type: str = "response") -> EstimateTable:
        r"""Predictions for new rows, with standard errors (R's ``predict.svyglm``).

        Parameters
        ----------
        newdata : pandas.DataFrame, polars.DataFrame or mapping
            Values of the model's variables, one row per prediction; categories must be
            among those the model was fitted with.
        type : {"response", "link"}, default "response"
            Predict the mean :math:`\mu` (a share, for a binomial model) or the linear
            predictor :math:`\eta`.

        Returns
        -------
        EstimateTable
            One domain per row of ``newdata`` (its index labels for a pandas frame, else
            0, 1, ...), ``kind="prediction"``, with the covariance of the predictions.
            Intervals default to the link scale transformed back (``"logit"`` for binomial
            and ``"log"`` for Poisson means), ``"t"`` otherwise, on ``df_residual``.

        Notes
        -----
        :math:`\hat\eta = X\hat\beta` with covariance :math:`X \hat V X^\top`; the mean
        :math:`\hat\mu = g^{-1}(\hat\eta)` has covariance
        :math:`D X \hat V X^\top D` with :math:`D = \operatorname{diag}(d\mu/d\eta)`.

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, glm
        >>> design = SurveyDesign(weights=[1.0] * 6)
        >>> fit = glm("y ~ x", {"y": [1.0, 2, 4, 3, 5, 7], "x": [0.0, 1, 2, 0, 1, 2]}, design)
        >>> fit.predict({"x": [0.0, 2.0]}).estimate.round(4).tolist()
        [1.9167, 5.4167]
        """
        chosen = check_choice("type", type, PREDICTION_TYPES)
        state = self._fitted()
        size = _formula.data_length(newdata)
        variables = _read_new(state, newdata, size, "newdata")
        x = state.matrix(variables, size)
        eta = x @ state.beta
        link_cov = x @ state.covariance @ x.T
        fam = state.family
        if chosen == "link":
            estimate, cov, method = eta, link_cov, "t"
        else:
            slope = fam.derivative(eta)
            estimate = fam.mean(eta)
            cov = link_cov * slope[:, None] * slope[None, :]
            method = {"binomial": "logit", "poisson": "log"}.get(fam.base, "t")
        labels = _row_labels(newdata, size)
        return _table(
            labels,
            estimate,
            cov,
            self.df_residual,
            self.n,
            ("row",),
            method,
            self.level,
            {"type": chosen},
        )

    def predictive_margins(
        self,
        variable: str,
        *,
        values: Sequence[Any] | None = None,
        cross_covariance: bool = True,
    ) -> EstimateTable:
        r"""Predictive margins: the mean prediction with ``variable`` set to each value.

        For a binomial model these are adjusted shares per category: the share of the
        population that would be victimised if everyone held that office, with every other
        variable as it is (R's ``svypredmeans``; Graubard and Korn 1999).

        Parameters
        ----------
        variable : str
            A variable of the model.
        values : sequence, optional
            The values to set it to; by default every category of a categorical variable
            (a numeric variable needs them).
        cross_covariance : bool, default True
            Account for the covariance between the average over the sample and the
            estimated coefficients (the full delta method, or a refit per replicate). False
            adds the two variances, as R's ``svypredmeans`` does.

        Returns
        -------
        EstimateTable
            One domain per value, ``kind="prediction"``, with the covariance between them,
            on the design's degrees of freedom among the rows used: a margin is a mean over
            the sample, as :func:`mean` is, where a prediction at given values
            (:meth:`predict`) is a combination of the coefficients alone and has the
            model's ``df_residual``.

        Notes
        -----
        With :math:`\hat\mu_i^{(c)} = g^{-1}(x_i^{(c)}\hat\beta)` the prediction for row
        :math:`i` with ``variable`` set to :math:`c`, the margin is
        :math:`\hat m_c = \sum_i w_i \hat\mu_i^{(c)} / \sum_i w_i`. Its influence values
        are those of a mean of :math:`\hat\mu^{(c)}` plus
        :math:`g_c^\top` times the influence values of :math:`\hat\beta`, with
        :math:`g_c = \partial \hat m_c / \partial\beta = \sum_i w_i \mu'(\eta_i^{(c)})
        x_i^{(c)} / \sum_i w_i`; their covariance comes from the design. R's
        ``svypredmeans`` uses :math:`\hat V_{\bar\mu} + g^\top \hat V_\beta g`, leaving out
        the covariance between the two parts.

        References
        ----------
        .. [1] Graubard, B. I. and Korn, E. L. (1999). Predictive margins with survey data.
           *Biometrics* 55, 652-659.

        Examples
        --------
        >>> import numpy as np
        >>> from vpt_monitor.stats import SurveyDesign, glm
        >>> rng = np.random.default_rng(3)
        >>> data = {"age": rng.uniform(20, 70, 300), "office": rng.choice(["a", "b"], 300)}
        >>> data["victim"] = (rng.random(300) < 0.15 + 0.25 * (data["office"] == "b")).astype(float)
        >>> design = SurveyDesign(weights=np.ones(300), clusters=np.arange(300) // 5)
        >>> fit = glm("victim ~ office + age", data, design, family="quasibinomial")
        >>> margins = fit.predictive_margins("office")
        >>> margins.domains
        ('a', 'b')
        """
        state = self._fitted()
        if variable not in state.variables:
            raise ValueError(
                f"'variable' {variable!r} is not a variable of the model; its variables: "
                f"{', '.join(repr(v) for v in state.variables)}"
            )
        current = state.variables[variable]
        if values is None:
            if not current.categorical:
                raise ValueError(
                    f"{variable!r} is numeric: pass the values to set it to, such as "
                    "values=[30, 50]"
                )
            values = list(current.levels)
        chosen = list(values)
        n = len(state.rows)
        w = state.weights
        fam = state.family
        means, slopes, columns = [], [], []
        for value in chosen:  # a few values; each is one pass over the rows
            if current.categorical:
                level = _level_index(current, value, variable)
                swapped = _formula.Variable(
                    variable, codes=np.full(n, level, dtype=np.intp), levels=current.levels
                )
            else:
                swapped = _formula.Variable(variable, values=np.full(n, float(value)))
            x = state.matrix({**state.variables, variable: swapped}, n)
            eta = x @ state.beta
            mu = fam.mean(eta)
            means.append(mu)
            slopes.append((w * fam.derivative(eta)) @ x / w.sum())
            columns.append(x)
        mu_c = np.column_stack(means)  # n x K
        margin = (w @ mu_c) / w.sum()
        gradient = np.column_stack(slopes)  # p x K
        design = state.design
        base = design.base if isinstance(design, ReplicateDesign) else design
        total = float(base.weights[state.rows].sum())
        centred = (mu_c - margin) / total

        if isinstance(design, ReplicateDesign):
            x_fit = state.matrix(state.variables, n)

            def replicate_margins(replicate: FloatArray) -> FloatArray:
                rw = replicate[state.rows]
                beta = state.refit(x_fit, rw) if cross_covariance else state.beta
                # a coefficient this replicate cannot estimate (NaN) leaves without a value
                # only the rows whose column is not 0: not the margins of other categories
                lacking = np.isnan(beta)
                known = np.where(lacking, 0.0, beta)

                def mean_at(x: FloatArray) -> FloatArray:
                    fitted = fam.mean(x @ known)
                    if lacking.any():
                        fitted = np.where((x[:, lacking] != 0).any(axis=1), np.nan, fitted)
                    return fitted

                fitted = (
                    np.column_stack([mean_at(x) for x in columns]) if cross_covariance else mu_c
                )
                return np.asarray((rw @ fitted) / rw.sum(), dtype=np.float64)

            thetas = variance.reestimate(design, replicate_margins)
            cov = variance.replicate_covariance(design, thetas, margin).full()
        else:
            if cross_covariance:
                coefficient = _coefficient_influence(state)  # n x p, unweighted
                values_u = centred + coefficient @ gradient
            else:
                values_u = centred
            influence = variance.Influence(
                weights=base.weights, values=values_u, n_columns=len(chosen), rows=state.rows
            )
            cov = variance.taylor_covariance(base, influence).full()
        if not cross_covariance:
            cov = cov + gradient.T @ state.covariance @ gradient
        method = {"binomial": "logit", "poisson": "log"}.get(fam.base, "t")
        return _table(
            chosen,
            margin,
            cov,
            state.design_df,
            len(state.rows),
            (variable,),
            method,
            self.level,
            {"cross_covariance": cross_covariance},
        )


def _level_index(variable: _formula.Variable, value: Any, name: str) -> int:
    keys = [_formula._key(level) for level in variable.levels]
    key = _formula._key(value)
    if key not in keys:
        shown = ", ".join(repr(level) for level in variable.levels[:20])
        raise ValueError(
            f"{name!r} has no category {value!r} in the model; its categories: {shown}"
        )
    return keys.index(key)


def _coefficient_influence(state: _State) -> FloatArray:
    r"""Unweighted influence values of the coefficients, :math:`(X^\top W X)^{-1} x_i r_i`.

    With the design's weights :math:`w_i`, the influence values of :math:`\hat\beta` are
    :math:`w_i` times these (R's ``estfun %*% Ainv``, whose weight scale cancels).
    """
    x = state.matrix(state.variables, len(state.rows))
    residual = state.y - state.family.mean(x @ state.beta)
    result: FloatArray = (x * residual[:, None]) @ state.bread / state.scale
    return result


def _read_new(state: _State, data: Any, size: int, where: str) -> dict[str, _formula.Variable]:
    given = list(_formula.column_names(data))
    columns = [str(c) for c in given]
    absent = [name for name in state.spec.variables if name not in columns]
    if absent:
        listed = ", ".join(repr(c) for c in given[:40])  # as the frame names them (0, not '0')
        used = ", ".join(repr(v) for v in state.spec.variables)
        raise ValueError(
            f"{where!r} has no column {absent[0]!r}, which the model uses; every variable of "
            f"the model ({used}) needs a column to predict at; its columns: {listed}"
        )
    variables: dict[str, _formula.Variable] = {}
    for name in state.spec.variables:
        variable = _formula.read(data, name, categorical=name in state.spec.levels)
        variable = state.spec.recode(variable, where)
        missing = variable.missing
        if missing.any():
            raise ValueError(
                f"{where}: {name!r} is missing at row {int(np.argmax(missing))}; every row to "
                "predict at needs a value"
            )
        variables[name] = variable
    return variables


def _row_labels(data: Any, size: int) -> list[Hashable]:
    if type(data).__module__.split(".")[0] == "pandas":
        return list(data.index)
    return list(range(size))


def _table(
    labels: Sequence[Hashable],
    estimate: FloatArray,
    cov: FloatArray,
    df: float,
    n: int,
    by: tuple[str, ...],
    method: str,
    level: float,
    notes: Mapping[str, Any],
) -> EstimateTable:
    size = len(labels)
    flags = np.zeros((size, len(FLAGS)), dtype=bool)
    flags[:, FLAGS.index("no_df")] = not df >= 1
    return EstimateTable(
        domains=labels,
        estimate=estimate,
        standard_error=np.sqrt(np.maximum(np.diag(cov), 0.0)),
        df=np.full(size, df),
        n=np.full(size, n),
        deff=np.full(size, np.nan),
        n_effective=np.full(size, np.nan),
        kind="prediction",
        flag_array=flags,
        by=by,
        design_df=df,
        method=method,
        level=level,
        covariance=cov,
        notes=notes,
        row_sets=np.zeros(size, dtype=np.intp),  # every prediction rests on the model's rows
    )


# ---- fitting -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _cached_spec(
    formula: str, key: tuple[tuple[str, tuple[Hashable, ...] | None], ...]
) -> tuple[_formula.ModelSpec, Any]:
    """Encode a formula for variables of these kinds and categories (cached).

    Refitting a formula to data with the same categories (other waves, subsets, replicate
    studies) reuses the encoding instead of asking formulaic again.
    """
    _, rhs, fast = _formula.parse(formula)
    prototypes = {
        name: _formula.Variable(name, codes=np.zeros(1, dtype=np.intp), levels=levels)
        if levels is not None
        else _formula.Variable(name, values=np.ones(1))
        for name, levels in key
    }
    spec, _ = _formula.build_spec(formula, rhs, fast, prototypes, 1)
    return spec, rhs


def _where(rows: IntArray, position: int) -> str:
    return f"row {int(rows[position])}"


def _rows_in_use(base: SurveyDesign, variables: Sequence[_formula.Variable], na: str) -> Any:
    """Rows of the subset with every variable present; refuse missing ones under "fail"."""
    inside = base.in_subset
    use = np.ones(base.n, dtype=bool) if inside is None else inside.copy()
    for variable in variables:
        absent = variable.missing & use
        if not absent.any():
            continue
        if use.any() and absent.sum() == use.sum():  # a question not in the file, say
            raise ValueError(
                f"{variable.name!r} has no value on any row "
                f"{'of the subset ' if inside is not None else ''}(a question not asked, or "
                "a column left empty): no row is left to fit the model to; leave it out of "
                "the formula"
            )
        if na == "fail":
            count = int(absent.sum())
            raise ValueError(
                f"{variable.name!r} has {count} missing value{'s' if count > 1 else ''} "
                f"(first at row {int(np.argmax(absent))}); pass na='domain' to leave those "
                "rows out of the fit, as R's na.omit does"
            )
        use &= ~variable.missing
    if not use.any():
        raise ValueError("no row is left to fit the model to")
    return use


def _used_variables(
    variables: Mapping[str, _formula.Variable],
    rows: IntArray,
    every_row: bool,
    flags: list[str],
    details: list[str],
) -> dict[str, _formula.Variable]:
    """Take the variables at the rows used; leave out (and flag) categories without rows."""
    used: dict[str, _formula.Variable] = {}
    for name, variable in variables.items():
        taken = variable if every_row else variable.take(rows)
        empty = list(variable.unused)
        if taken.categorical:
            assert taken.codes is not None
            present = np.bincount(taken.codes, minlength=len(taken.levels)) > 0
            if not present.all():
                empty += [
                    level for level, hit in zip(taken.levels, present, strict=True) if not hit
                ]
                position = np.cumsum(present) - 1
                taken = _formula.Variable(
                    name,
                    codes=position[taken.codes].astype(np.intp),
                    levels=tuple(np.asarray(taken.levels, dtype=object)[present].tolist()),
                )
        if empty:
            flags.append("empty_category")
            details.append(
                f"{name!r} has no rows in use for {', '.join(repr(e) for e in empty)}, "
                "left out of the model"
            )
        used[name] = taken
    return used


def _check_finite(x: FloatArray, names: Sequence[str], rows: IntArray) -> None:
    """Refuse a model matrix with a value that is not finite, naming its column and row."""
    # a column's sum is finite only if every value in it is: one sum per column, and the
    # search for the first value that is not only when a sum is not finite
    with np.errstate(over="ignore", invalid="ignore"):
        if bool(np.all(np.isfinite(np.sum(x, axis=0)))) or np.all(np.isfinite(x)):
            return
    bad_row, bad_column = np.argwhere(~np.isfinite(x))[0]
    raise ValueError(
        f"the model matrix column {names[bad_column]!r} is not finite at row "
        f"{int(rows[bad_row])} (an expression of the formula gives inf or NaN there)"
    )


def _diagnose(
    fit: _glm.Fit,
    x: Callable[[], FloatArray],
    y: FloatArray,
    w: FloatArray,
    fam: _glm.Family,
    names: list[str],
    formula: str,
    flags: list[str],
    details: list[str],
) -> None:
    """Flag (and warn of) separation and a fit that did not converge."""
    if _glm.suspicious(fit, fam, w):
        found = _glm.separation(x(), y, w, fam)
        if found is not None:
            direction, predicted = found
            # the sparsest direction names one way of separating; a second, independent
            # one (another category all "yes") shows once the rows predicted are set aside,
            # and runs off too: d1 * M + d2 separates the full data for large M
            running = direction != 0
            for _ in range(len(names)):
                rest = np.where(predicted, 0.0, w)
                if not (rest > 0).any():  # every row predicted: nothing left to separate
                    break
                more = _glm.separation(x(), y, rest, fam)
                if more is None or not (more[0] != 0)[~running].any():
                    break
                running |= more[0] != 0
                predicted = predicted | more[1]
            affected = ", ".join(names[j] for j in np.flatnonzero(running))
            what = (
                "perfect or quasi-complete separation"
                if fam.base == "binomial"
                else "no events in part of the data"
            )
            flags.append("separation")
            details.append(
                f"{what}: the maximum-likelihood estimate does not exist; "
                f"{int(predicted.sum())} rows are predicted exactly and the coefficients of "
                f"{affected} run off to infinity (their estimates and standard errors are "
                "meaningless)"
            )
            warn(
                f"{what} in the {fam.name} model {formula!r}: the coefficients of {affected} "
                "run off to infinity; see the result's flag_detail"
            )
    if not fit.converged:
        flags.append("not_converged")
        details.append(f"the iterations did not converge in {fit.iterations}")
        if "separation" not in flags:
            warn(
                f"the {fam.name} model {formula!r} did not converge in {fit.iterations} iterations"
            )


def _replicate_separation(
    troubled: list[FloatArray],
    x: Callable[[], FloatArray],
    y: FloatArray,
    fam: _glm.Family,
    names: list[str],
    design: AnyDesign,
    flags: list[str],
    details: list[str],
) -> None:
    """Flag (and warn of) replicates whose refit has no estimate, naming the coefficients.

    ``troubled`` holds the weights of the refits that show the signs (fitted means within
    :data:`_glm.EDGE` of 0 or 1, or no convergence); the first is checked for separation
    by the linear programme, and nothing is flagged when it finds none.
    """
    found = _glm.separation(x(), y, troubled[0], fam)
    if found is None:
        return
    affected = ", ".join(names[j] for j in np.flatnonzero(found[0]))
    total = design.replicates if isinstance(design, ReplicateDesign) else len(troubled)
    flags.append("replicate_separation")
    details.append(
        f"in {len(troubled)} of {total} replicates the refit reaches fitted means of 0 or 1; "
        f"in the first of them the data separate (the coefficients of {affected} run off "
        "to infinity there), so the replicate variance rests on values that do not exist: "
        "the standard errors are unreliable"
    )
    warn(
        f"{len(troubled)} of {total} replicates reach fitted means of 0 or 1, and the first "
        f"separates the data (the coefficients of {affected} run off to infinity there): "
        "the standard errors are unreliable; see the result's flag_detail"
    )


def glm(
    formula: str,
    data: Any,
    design: AnyDesign,
    *,
    family: str = "gaussian",
    na: str = "fail",
) -> GLMResult:
    r"""Fit a design-based generalised linear model, as R ``survey``'s ``svyglm``.

    Parameters
    ----------
    formula : str
        A model formula, ``"victim ~ office + age + office:contact"``, parsed by
        ``formulaic`` (the ``models`` extra) with R's conventions: an intercept unless
        ``- 1`` or ``0 +``; a categorical variable (text, pandas ``Categorical``, polars
        ``Enum``) coded against its first category, keeping the category order of a
        ``Categorical`` or ``Enum`` and sorting other labels; numbers and booleans as they
        are. Expressions such as ``np.log(age)``, ``C(size)`` and ``I(age ** 2)`` are
        evaluated by formulaic (a formula is code: pass only formulas you trust).
    data : pandas.DataFrame, polars.DataFrame, mapping or None
        The variables, one row per row of ``design``; None for the frame the design was
        made from (:meth:`SurveyDesign.from_frame`).
    design : SurveyDesign or ReplicateDesign
        The sample design. Rows outside a :meth:`~SurveyDesign.subset` do not enter the
        fit (their values are not read).
    family : {"gaussian", "binomial", "quasibinomial", "poisson", "quasipoisson"}
        The family, with its canonical link (identity, logit, log). ``binomial`` and
        ``quasibinomial`` (and the two Poisson families) give the same coefficients and
        standard errors, as in R: the design decides the variance, not the family.
    na : {"fail", "domain"}, default "fail"
        A row missing the response or a variable of the formula is refused, naming the
        variable and the row (``"fail"``), or left out of the fit as R's default
        ``na.omit`` does (``"domain"``): it stays in the design with weight zero, so the
        variance still sees every PSU, and the degrees of freedom count the PSUs and strata
        of the rows used. ``notes["missing"]`` counts them.

    Returns
    -------
    GLMResult
        Coefficients, design-based covariance, ``df_residual``, tests, predictions and
        predictive margins.

    Raises
    ------
    ValueError
        For a formula that cannot be parsed or has no response, a variable ``data`` lacks,
        a response outside the family's range (binomial: [0, 1]; Poisson: >= 0), missing
        values under ``na="fail"``, and ``data`` of another length than the design.
    TypeError
        For a ``design`` that is not a design, or ``data`` that is not a frame or mapping.
    ImportError
        Without formulaic.

    Notes
    -----
    The coefficients solve the weighted score equations
    :math:`\sum_i w_i x_i (y_i - \mu_i(\beta)) = 0` (iteratively reweighted least squares,
    the weights scaled to mean 1 as R's ``rescale=TRUE``). For a Taylor design their
    covariance is the sandwich
    :math:`\hat V = A^{-1} \widehat{\operatorname{Var}}\left(\sum_i w_i x_i r_i\right) A^{-1}`
    with :math:`A = X^\top W X` and :math:`r_i = y_i - \hat\mu_i`: the design variance of
    the influence values :math:`z_i = w_i A^{-1} x_i r_i` (Binder 1983; R's
    ``svy.varcoef``). For a replicate design the model is refitted with every set of
    replicate weights, starting from :math:`\hat\beta`. The residual degrees of freedom
    are the design's plus one minus the number of coefficients.

    Degenerate fits are answered and flagged (see :class:`GLMResult`): perfect separation in
    a logistic model (or a category without events in a Poisson model) is detected by a
    linear programme (Konis 2007) and named with the coefficients it affects; aliased
    columns, such as a category without rows, get NaN coefficients, as R's ``NA``.

    References
    ----------
    .. [1] Binder, D. A. (1983). On the variances of asymptotically normal estimators from
       complex surveys. *International Statistical Review* 51, 279-292.
    .. [2] Lumley, T. and Scott, A. (2017). Fitting regression models to survey data.
       *Statistical Science* 32, 265-278.
    .. [3] Konis, K. (2007). *Linear programming algorithms for detecting separated data in
       binary logistic regression models*. DPhil thesis, University of Oxford.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor.stats import SurveyDesign, glm, mean
    >>> y = [2.0, 3.0, 5.0, 4.0, 6.0, 9.0]
    >>> design = SurveyDesign(weights=[1.0, 2.0, 1.0, 2.0, 1.0, 2.0], strata=[1, 1, 1, 2, 2, 2])
    >>> fit = glm("y ~ 1", {"y": y}, design)
    >>> bool(np.isclose(fit.params[0], mean(y, design).estimate))
    True
    >>> bool(np.isclose(fit.standard_errors[0], mean(y, design).standard_error))
    True
    """
    if not isinstance(design, SurveyDesign | ReplicateDesign):
        raise TypeError(
            f"'design' must be a SurveyDesign or ReplicateDesign; got {type(design).__name__}"
        )
    chosen_family = check_choice("family", family, FAMILIES)
    check_na(na)
    base = design.base if isinstance(design, ReplicateDesign) else design
    if data is None:
        data = base.frame
        if data is None:
            raise ValueError(
                "'data' is None but the design was not made from a data frame; pass the data"
            )
    size = _formula.data_length(data)
    if size != base.n:
        raise ValueError(
            f"'data' has {size} rows but the design has {base.n}; give one row per row of the "
            "design"
        )
    _formula.check_quoting(formula, data)
    response_name, rhs, fast = _formula.parse(formula)
    assert response_name is not None
    names = _formula.required(rhs)
    variables = {name: _formula.read(data, name) for name in names}
    response = _formula.evaluate_response(response_name, data, base.n)

    inside = base.in_subset
    use = _rows_in_use(base, (response, *variables.values()), na)
    rows = np.flatnonzero(use)
    fam = _glm.family(chosen_family)
    y = response.values[rows] if response.values is not None else np.zeros(0)
    fam.check(y, lambda i: _where(rows, i))
    notes: dict[str, Any] = {}
    left_out = int(base.n if inside is None else inside.sum()) - len(rows)
    if left_out:
        notes["missing"] = left_out
    flags: list[str] = []
    details: list[str] = []
    used_variables = _used_variables(variables, rows, len(rows) == base.n, flags, details)
    n = len(rows)
    key = tuple(
        (name, v.levels if v.categorical else None) for name, v in sorted(used_variables.items())
    )
    # a plain formula's fit needs no model matrix: its products are made per combination
    # of categories (FactoredCross), and the matrix only on demand (separation, influence
    # values, predictions)
    x_full: FloatArray | None = None
    factored: _formula.FactoredCross | None = None
    if fast:
        spec, _ = _cached_spec(formula, key)
        factored = spec.factored(used_variables, n)
        if factored is None:
            x_full = spec.matrix(used_variables, n)
        elif not factored.finite():
            _check_finite(spec.matrix(used_variables, n), spec.names, rows)
    else:  # expressions: formulaic learns their encoding from the rows in use
        spec, x_full = _formula.build_spec(formula, rhs, fast, used_variables, n)
    if x_full is not None:
        _check_finite(x_full, spec.names, rows)
    raw_weights = base.weights[rows]
    scale = float(raw_weights.mean())
    w = raw_weights / scale
    if factored is not None:
        products: _glm.Products = factored
    else:
        assert x_full is not None
        products = _glm.Dense(x_full)
    p = products.width
    kept, fit = _glm.fit(products, y, w, fam)
    if len(kept) < p:
        aliased = [spec.names[j] for j in range(p) if j not in set(kept.tolist())]
        flags.append("aliased")
        details.append(
            f"aliased (a linear combination of earlier columns, reported as NaN): "
            f"{', '.join(aliased)}"
        )
        warn(f"the model has aliased coefficients, reported as NaN: {', '.join(aliased)}")

    @functools.cache
    def x() -> FloatArray:
        """Return the model matrix of the kept columns."""
        full = x_full if x_full is not None else spec.matrix(used_variables, n)
        return full if len(kept) == p else np.asfortranarray(full[:, kept])

    _diagnose(fit, x, y, w, fam, [spec.names[j] for j in kept], formula, flags, details)
    bread = _glm.inverse(fit.information)

    if isinstance(design, ReplicateDesign):
        # R's svyglm on subset(<svrepdesign>, ...): degf of the rows fitted, the rank of
        # their replicate weights minus one (a domain of one wave touches its PSUs only)
        every = base.n if inside is None else int(inside.sum())
        design_df = float(design.df if len(rows) == every else design.subset(use).df)
    elif inside is None and len(rows) == base.n:
        design_df = float(base.df)
    else:
        design_df = float(base.subset(use).df)

    state = _State(
        spec=spec,
        family=fam,
        design=design,
        rows=rows,
        variables=used_variables,
        y=y,
        weights=w,
        scale=scale,
        kept=kept,
        beta=fit.coefficients,
        bread=bread,
        covariance=np.zeros((len(kept), len(kept))),
        design_df=design_df,
    )

    def influence() -> variance.Influence:
        # the PSU totals of the weighted scores w_i x_i (y_i - mu_i), times the bread: the
        # bread is applied to the n_psu totals rather than to every row, and the residual
        # joins the weights, so that no n x p matrix of scores is made for the totals
        residual = y - fit.mu
        totals = (
            None
            if factored is None
            else factored.group_sums(base.psu[rows], base.n_psu, raw_weights * residual)
        )
        if totals is None:
            totals = variance.Influence(
                weights=raw_weights * residual, values=x(), n_columns=len(kept)
            ).group_sums(base.psu[rows], base.n_psu)
        elif len(kept) < p:
            totals = totals[:, kept]
        return variance.Influence(
            weights=base.weights,
            values=lambda: np.asarray((x() * residual[:, None]) @ bread / scale),
            n_columns=len(kept),
            rows=rows,
            totals=totals @ bread / scale,
        )

    # replicate refits take the same products as the fit, on the kept columns
    kept_products = _glm.restricted(products, kept)

    without: list[FloatArray] = []  # per replicate refit, which coefficients it lacks
    troubled: list[FloatArray] = []  # the weights of refits without an estimate

    def replicates(rep: ReplicateDesign) -> FloatArray:
        estimates = variance.reestimate(
            rep, lambda weights: state.refit(kept_products, weights[rows], troubled)
        )
        without.append(np.isnan(estimates).sum(axis=0))
        return estimates

    cov_kept = variance.covariance(design, fit.coefficients, influence, replicates).full()
    # a fit with means near 0 or 1 (a wide covariate) has replicates like it, which
    # are no sign of separation: the replicates are judged where the full fit is not
    if troubled and fit.converged and not _glm.suspicious(fit, fam, w):
        _replicate_separation(
            troubled, x, y, fam, [spec.names[j] for j in kept], design, flags, details
        )
    if without and without[0].any():
        lacking = np.flatnonzero(without[0])
        named = ", ".join(
            f"{spec.names[kept[j]]!r} ({int(without[0][j])})" for j in lacking.tolist()
        )
        flags.append("replicate_aliased")
        details.append(
            f"no rows in some replicates (how many): {named}; all their rows lie in the PSUs "
            "those replicates leave out, so their replicate variance does not exist (NaN)"
        )
        warn(
            f"the replicate weights leave {named.split(' (')[0]}"
            f"{' and others' if len(lacking) > 1 else ''} without rows in some replicates: "
            "no standard error for it; see the result's flag_detail"
        )
    state = attrs.evolve(state, covariance=cov_kept)
    df_residual = design_df + 1 - len(kept)
    if not df_residual >= 1:
        flags.append("no_df")
        details.append(f"{df_residual:g} residual degrees of freedom: no t statistics")
    return GLMResult(
        formula=formula,
        family=chosen_family,
        names=spec.names,
        params=_expand(fit.coefficients, kept, p),
        covariance=_expand_matrix(cov_kept, kept, p),
        df_residual=df_residual,
        n=n,
        design_df=design_df,
        converged=fit.converged,
        iterations=fit.iterations,
        deviance=fit.deviance,
        naive_covariance=_expand_matrix(bread, kept, p),
        flags=tuple(flag for flag in MODEL_FLAGS if flag in flags),
        flag_detail="; ".join(details),
        notes=notes,
        state=state,
    )
