r"""Contrasts of domain estimates: linear combinations and smooth functions (delta method).

A change between waves, a difference between offices or a ratio of two shares is a function
of a few domain estimates of one :class:`~vpt_monitor.stats.EstimateTable`. Its standard
error comes from the covariance of just those domains (never the table's whole ``D x D``
matrix), and its degrees of freedom from just their rows.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from vpt_monitor.stats import _design_ci
from vpt_monitor.stats._validation import check_choice, check_level
from vpt_monitor.stats.results import FLAGS, Estimate, EstimateTable

__all__ = ["contrast", "gradient"]

FloatArray = NDArray[np.float64]

#: Complex-step size relative to each estimate (the derivative is exact to rounding for
#: any step small enough that the second-order term vanishes).
COMPLEX_STEP = 1e-20
#: Central-difference step relative to each estimate, about the cube root of the machine
#: epsilon (the step that balances truncation and rounding error).
CENTRAL_STEP = float(np.cbrt(np.finfo(np.float64).eps))
#: How closely the complex-step and central-difference gradients must agree for the
#: complex step to be trusted (functions such as ``abs`` pass complex input but are not
#: complex-analytic, and their complex step is wrong).
AGREEMENT = 1e-5
#: A contrast variance at most this fraction of the squared size of its terms is zero.
ZERO_VARIANCE = 1e-20


_REFUSALS = (TypeError, ValueError, ArithmeticError, np.exceptions.ComplexWarning)


def _evaluate(function: Callable[..., Any], points: NDArray[Any]) -> NDArray[Any] | None:
    """Evaluate ``function`` at each row of ``points``: one vectorised call, else row by row.

    Returns None when the function cannot be evaluated there: it raises, or it would drop
    the imaginary part of a complex input (``math.log``, ``float()``).
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("error", np.exceptions.ComplexWarning)
        try:
            values = np.asarray(function(*points.T))
            if values.shape == (points.shape[0],):
                return values
        except _REFUSALS:
            pass
        try:
            return np.array([np.asarray(function(*row)).reshape(()) for row in points])
        except _REFUSALS:
            return None


def _steps(theta: FloatArray, relative: float) -> FloatArray:
    return relative * np.where(theta != 0, np.abs(theta), 1.0)


def gradient(function: Callable[..., Any], theta: FloatArray) -> FloatArray:
    r"""Gradient of ``function`` at ``theta``, by complex step where that is valid.

    Parameters
    ----------
    function : callable
        Takes ``len(theta)`` numbers positionally and returns one real number; numpy-style
        functions (``np.log``, ``/``) are evaluated at all perturbed points in one call.
    theta : numpy.ndarray
        The point.

    Returns
    -------
    numpy.ndarray
        :math:`\partial f / \partial \theta_k` for every ``k``.

    Notes
    -----
    The complex step :math:`\operatorname{Im} f(\theta + i h e_k) / h` has no subtractive
    cancellation, so it is exact to rounding with a tiny :math:`h` (Squire and Trapp 1998).
    It needs a function that accepts complex input and is complex-analytic; a function that
    refuses complex input (``math.log``), returns a real number for it (``abs``), or whose
    complex step disagrees with central differences
    :math:`(f(\theta + h e_k) - f(\theta - h e_k)) / 2h` is differentiated by the central
    differences instead, with :math:`h \approx \epsilon^{1/3} |\theta_k|`.

    References
    ----------
    .. [1] Squire, W. and Trapp, G. (1998). Using complex variables to estimate derivatives
       of real functions. *SIAM Review* 40, 110-112.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor.stats.contrasts import gradient
    >>> gradient(lambda a, b: a / b, np.array([0.3, 0.2])).round(12).tolist()
    [5.0, -7.5]
    """
    theta = np.asarray(theta, dtype=np.float64)
    k = theta.size
    h_real = _steps(theta, CENTRAL_STEP)
    shift = np.diag(h_real)
    around = _evaluate(function, np.vstack([theta + shift, theta - shift]))
    central = None
    if around is not None and not (np.iscomplexobj(around) and np.any(around.imag != 0)):
        with np.errstate(invalid="ignore"):
            values = np.real(around).astype(np.float64)
            central = (values[:k] - values[k:]) / (2.0 * h_real)

    h = _steps(theta, COMPLEX_STEP)
    stepped = _evaluate(function, theta + 1j * np.diag(h))
    if stepped is not None and np.iscomplexobj(stepped):
        with np.errstate(invalid="ignore"):
            complex_step: FloatArray = np.asarray(stepped.imag, dtype=np.float64) / h
        if central is None or not np.all(np.isfinite(central)):
            return complex_step
        scale = float(np.max(np.abs(np.concatenate([complex_step, central]))))
        if np.allclose(complex_step, central, rtol=AGREEMENT, atol=AGREEMENT * scale):
            return complex_step
    if central is None:
        raise TypeError(
            "the contrast function could not be evaluated near the estimates; it must take "
            f"{k} numbers and return one real number"
        )
    return central


def _scalar(value: Any) -> float:
    """Return the function's value as one real number, or raise `TypeError`."""
    array = np.asarray(value)
    if array.size != 1 or not (np.isrealobj(array) or np.all(array.imag == 0)):
        raise TypeError(
            f"the contrast function must return one real number; got {value!r} "
            f"(shape {array.shape})"
        )
    return float(np.real(array).reshape(()))


def _labels(table: EstimateTable, labels: Sequence[Hashable]) -> NDArray[np.intp]:
    positions = []
    for label in labels:
        if label not in table.domains:
            shown = ", ".join(repr(d) for d in table.domains[:12])
            more = ", ..." if len(table.domains) > 12 else ""
            raise ValueError(
                f"contrast names {label!r}, which is not a domain of the table; "
                f"domains: {shown}{more}"
            )
        positions.append(table.index(label))
    return np.array(positions, dtype=np.intp)


class SupportsTable(Protocol):
    """A result that gives its estimates as an :class:`EstimateTable` (a fitted model)."""

    def to_table(self) -> EstimateTable:
        """Return the estimates and their covariance."""
        ...


def contrast(
    table: EstimateTable | SupportsTable,
    coefficients: Mapping[Hashable, float] | Callable[..., Any],
    *,
    domains: Sequence[Hashable] | None = None,
    method: str | None = None,
    level: float | None = None,
) -> Estimate:
    r"""Estimate a linear or smooth function of domain estimates, with its standard error.

    Parameters
    ----------
    table : EstimateTable or GLMResult
        Domain estimates from one design (and so with their covariance), or a fitted model
        (:func:`~vpt_monitor.stats.glm`), whose coefficients are then the "domains", named
        as in ``fit.names``.
    coefficients : mapping or callable
        ``{domain label: coefficient}`` for a linear combination; domains not named get 0.
        For a change between two waves, ``{2016: 1, 2014: -1}``. Or a function of the
        estimates of ``domains``, which it receives positionally, in that order: for the
        ratio of two waves ``lambda a, b: a / b`` with ``domains=(2016, 2014)``. Write it
        with numpy functions (``np.log``, not ``math.log``) to get an exact gradient.
    domains : sequence of labels, optional
        The domains whose estimates a function takes; only with a callable.
    method : {"t", "normal", "log"}, optional
        Default interval method of the result (``"t"`` when not given); ``"log"`` suits a
        positive quantity such as a ratio of waves (see
        :meth:`Estimate.confidence_interval`).
    level : float, optional
        Default confidence level of the result; the table's ``level`` when not given.

    Returns
    -------
    Estimate
        ``kind="contrast"``, with the degrees of freedom of the domains involved (see
        :meth:`EstimateTable.degrees_of_freedom`), ``n`` their rows, and their flags
        (``"boundary"`` excepted; rows in several of the domains, as the variables of one
        table or the predictions of one model, counted once). A contrast whose variance is
        zero is flagged
        ``"zero_variance"``.

    Raises
    ------
    ValueError
        For a label that is not a domain of ``table``, a non-finite coefficient, a callable
        without ``domains``, or ``domains`` with a mapping.
    TypeError
        For a ``table`` that is not an :class:`EstimateTable`, ``coefficients`` that are
        neither a mapping nor a callable, or a function that does not return one real number.

    Notes
    -----
    For a function :math:`g` of the estimates :math:`\hat\theta` of the domains involved,
    the estimate is :math:`g(\hat\theta)` and its variance
    :math:`\nabla g^\top \hat\Sigma \nabla g`, where :math:`\hat\Sigma` is their covariance
    matrix: the delta method, as R ``survey``'s ``svycontrast`` (which differentiates the
    expression symbolically; the gradient here is taken by complex step, exact to rounding,
    see :func:`~vpt_monitor.stats.contrasts.gradient`). A linear combination
    :math:`c^\top\hat\theta` is the special case :math:`\nabla g = c`. Domains share PSUs,
    so :math:`\hat\Sigma` is in general not diagonal. Only the domains involved (nonzero
    coefficients, or those passed to a function) enter: an empty domain elsewhere in the
    table does not make the result NaN.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys*, section 5.1 (``svycontrast``). Wiley.
    .. [2] Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed., chapter 6
       (Taylor series methods). Springer.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor.stats import SurveyDesign, contrast, proportion
    >>> design = SurveyDesign(weights=[1.0] * 8, clusters=[1, 1, 2, 2, 3, 3, 4, 4])
    >>> table = proportion([1, 0, 1, 1, 0, 0, 1, 1], design, by=[2014, 2016] * 4)
    >>> change = contrast(table, {2016: 1, 2014: -1})
    >>> round(change.estimate, 4), round(change.standard_error, 4)
    (-0.25, 0.25)
    >>> times = contrast(table, lambda a, b: a / b, domains=(2016, 2014), method="log")
    >>> round(times.estimate, 4), round(times.standard_error, 4)
    (0.6667, 0.3143)
    >>> ci = times.confidence_interval()
    >>> ci.method, bool(ci.low > 0)
    ('log', True)
    """
    if not isinstance(table, EstimateTable) and callable(getattr(table, "to_table", None)):
        table = table.to_table()  # a fitted model: its coefficients
    if not isinstance(table, EstimateTable):
        raise TypeError(
            f"'table' must be an EstimateTable (or a fitted model); got {type(table).__name__}"
        )
    if method is not None:
        method = check_choice("method", method, _design_ci.ESTIMATE_METHODS)
    chosen_level = table.level if level is None else check_level(level)
    if isinstance(coefficients, Mapping):
        if domains is not None:
            raise ValueError(
                "'domains' is for a function of the estimates; a mapping of coefficients "
                "names its domains itself"
            )
        labels = list(coefficients)
        if not labels:
            raise ValueError("'coefficients' is empty; name at least one domain")
        positions = _labels(table, labels)
        weights = np.empty(len(labels))
        for i, label in enumerate(labels):
            value = coefficients[label]
            try:
                weights[i] = float(value)
            except (TypeError, ValueError):
                raise TypeError(
                    f"the coefficient of {label!r} must be a number; got {value!r}"
                ) from None
            if not np.isfinite(weights[i]):
                raise ValueError(f"the coefficient of {label!r} must be finite; got {value!r}")
        if len(set(positions.tolist())) != positions.size:
            raise ValueError("'coefficients' names a domain twice (as a code and a label?)")
        used = weights != 0
        positions, weights = positions[used], weights[used]
        theta = table.estimate[positions]
        estimate = float(weights @ theta) if positions.size else 0.0
        slope = weights
    elif callable(coefficients):
        if domains is None or isinstance(domains, str | bytes) or len(domains) == 0:
            raise ValueError(
                "a contrast function needs 'domains', the labels of the estimates it takes "
                "in order, e.g. domains=(2016, 2014) for lambda a, b: a / b"
            )
        positions = _labels(table, list(domains))
        if len(set(positions.tolist())) != positions.size:
            raise ValueError(f"'domains' names a domain twice: {tuple(domains)!r}")
        theta = table.estimate[positions]
        estimate = _scalar(coefficients(*theta))
        if np.all(np.isfinite(theta)) and np.isfinite(estimate):
            slope = gradient(coefficients, theta)
        else:
            slope = np.full(positions.size, np.nan)
    else:
        raise TypeError(
            "'coefficients' must be a mapping {domain: coefficient} or a function of the "
            f"domain estimates; got {type(coefficients).__name__}"
        )

    variance = float(slope @ table._covariance_at(positions) @ slope) if positions.size else 0.0
    assert table.flag_array is not None
    raised = np.asarray(table.flag_array[positions].any(axis=0), dtype=bool)
    size = float(np.sum((slope * theta) ** 2)) if positions.size else 0.0
    raised[FLAGS.index("boundary")] = False
    raised[FLAGS.index("zero_variance")] = bool(variance <= ZERO_VARIANCE * size)
    details = dict.fromkeys(table.flag_detail[i] for i in positions.tolist())
    return Estimate(
        estimate=estimate,
        standard_error=np.sqrt(max(variance, 0.0)) if np.isfinite(variance) else np.nan,
        df=table._df_at(positions) if positions.size else 0.0,
        n=table.rows_of(positions),
        kind="contrast",
        flags=tuple(name for name, on in zip(FLAGS, raised, strict=True) if on),
        method=method,
        level=chosen_level,
        flag_detail="; ".join(text for text in details if text),
    )
