r"""Design-based models of the monitor's outcomes, with its fields and attributes by name.

:func:`model` fits :func:`vpt_monitor.stats.glm` to the monitor data: the left of the formula
is an outcome of :data:`~vpt_monitor.indicators.outcomes.OUTCOMES` (``"victimised"``,
``"decision_influence"``, ...), read with the indicators' own rules (unanswered questions and
respondents outside the outcome's population left out, as domains of the full design); the
right may use the respondent's ``wave``, ``layer``, ``office``, ``group``, ``training`` and
every attribute of the data (``gender``, ``contact``, ``province``, ...).
"""

from __future__ import annotations

import re
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor.data import MonitorData
from vpt_monitor.indicators._common import Unit, wave_rows
from vpt_monitor.indicators.outcomes import OUTCOMES, outcome
from vpt_monitor.stats import GLMResult, glm

__all__ = ["FIELDS", "model"]

#: Respondent fields a formula may use besides the outcomes and the attributes.
FIELDS = ("wave", "layer", "office", "group", "training")

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _categorical(
    pd: Any, codes: NDArray[Any], labels: tuple[Any, ...], rows: NDArray[np.bool_]
) -> tuple[Any, list[str]]:
    """Codes into ``labels`` (-1 unknown) as a pandas Categorical of the labels' codes.

    Only the categories some of ``rows`` hold, in their declared order: a declared category
    nobody in the fit answered (gender ``x`` in a file of men and women) is no estimable
    contrast, and not a problem of the data. Returns the Categorical and the categories
    left out.
    """
    names = [str(getattr(v, "value", v)) for v in labels]
    codes = np.asarray(codes, dtype=np.int64)
    held = np.bincount(codes[rows & (codes >= 0)], minlength=len(names)) > 0
    position = np.cumsum(held) - 1
    kept = np.where(codes >= 0, position[np.maximum(codes, 0)], -1)
    kept = np.where((codes >= 0) & held[np.maximum(codes, 0)], kept, -1)
    chosen = [name for name, hit in zip(names, held, strict=True) if hit]
    absent = [name for name, hit in zip(names, held, strict=True) if not hit]
    return pd.Categorical.from_codes(kept, categories=chosen), absent


def _yes_no(pd: Any, values: NDArray[Any]) -> Any:
    """Yes/no codes (1, 0, -1 unknown) as a pandas nullable boolean array."""
    cells = (np.asarray(values) == 1).astype(object)
    cells[np.asarray(values) < 0] = None
    return pd.array(cells, dtype="boolean")


def model(
    data: MonitorData,
    formula: str,
    *,
    family: str = "quasibinomial",
    wave: int | None = None,
) -> GLMResult:
    r"""Fit a design-based model of one of the monitor's outcomes.

    Parameters
    ----------
    data : MonitorData
        The monitor data.
    formula : str
        ``"outcome ~ terms"``: the outcome is a name of
        :data:`~vpt_monitor.indicators.outcomes.OUTCOMES`; the terms may use ``wave`` (a
        category of the years, the first wave the reference), ``layer``, ``office``,
        ``group`` (categories of their Dutch codes, the first as reference), ``training``
        (yes/no) and the data's attributes (categories in their declared order, numbers,
        yes/no), with the formula language of :func:`~vpt_monitor.stats.glm`
        (interactions ``gender:contact``, ``np.log(x)``).
    family : str, default "quasibinomial"
        As :func:`~vpt_monitor.stats.glm`; a logistic model for the yes/no outcomes.
    wave : int, optional
        Fit within one wave. On data with several waves the formula must use ``wave`` or a
        wave must be chosen: waves are independent samples.

    Returns
    -------
    GLMResult
        Coefficients with design-based standard errors, tests and predictive margins.
        ``notes["missing"]`` counts the respondents of the outcome's population (and of
        ``wave``) left out for no answer or an unknown value of a variable of the formula;
        ``notes["outside"]`` those outside that population or wave;
        ``notes["categories_without_rows"]`` lists, per variable, declared categories no
        respondent of the fit holds (they have no coefficient; gender ``x`` in a file of
        men and women).

    Raises
    ------
    ValueError
        For an unknown outcome or variable (the valid ones listed), or a model over several
        waves that does not use the wave.
    NotMeasuredError
        If the outcome was not asked.

    Notes
    -----
    The fit is on the full design: respondents outside the outcome's population (victims,
    political office holders), without an answer, outside ``wave`` or with an unknown value
    of a variable are left out as a domain (weight zero; R's ``na.omit`` on a subset of the
    design), so the standard errors still see every PSU. With the default family the model
    is

    .. math::

        \operatorname{logit} P(y_i = 1) = x_i^\top \beta,
        \qquad \sum_i w_i\, x_i \left(y_i - \operatorname{expit}(x_i^\top \hat\beta)\right) = 0,

    the coefficients solving the weighted score equations, with the design-based (sandwich)
    covariance of :func:`vpt_monitor.stats.glm`. The coefficients of a logistic model
    are log odds ratios: ``exp`` of the coefficient of ``gender[T.v]`` is the odds of women's
    victimisation relative to men's, other terms held fixed.

    References
    ----------
    .. [1] Lumley, T. and Scott, A. (2017). Fitting regression models to survey data.
       *Statistical Science* 32, 265-278.

    Examples
    --------
    >>> from vpt_monitor import model
    >>> from vpt_monitor.synth import simulate
    >>> fit = model(simulate(waves=(2016,)), "victimised ~ group + gender", wave=2016)
    >>> fit.names[:3]
    ('Intercept', 'group[T.medewerker]', 'gender[T.v]')
    >>> bool(fit.params[2] > 0)  # women are victimised more often (an invented effect)
    True
    """
    import pandas as pd

    if not isinstance(formula, str) or "~" not in formula:
        raise ValueError(f"'formula' must be 'outcome ~ terms'; got {formula!r}")
    left, right = (part.strip() for part in formula.split("~", 1))
    if left not in OUTCOMES:
        raise ValueError(
            f"the left of the formula must be an outcome; got {left!r}; outcomes are "
            f"{', '.join(OUTCOMES)}"
        )
    unit = Unit(data)
    available = {*FIELDS, *data.attributes}
    used = [
        name
        for name in dict.fromkeys(_NAME.findall(right))
        if name in available or name in OUTCOMES
    ]
    in_wave = wave_rows(unit, ("wave",) if "wave" in used else (), wave, formula=True)
    answers = outcome(data, left)
    keep = np.asarray(answers.answered, dtype=bool)
    if answers.among is not None:
        keep &= answers.among
    if in_wave is not None:
        keep &= in_wave
    # the outcome's population in the wave (keep: those of it with an answer)
    if answers.among is not None:
        population = np.asarray(answers.among, dtype=bool).copy()
    else:
        population = np.ones_like(keep)
    if in_wave is not None:
        population &= in_wave
    respondents = data.respondents
    columns: dict[str, Any] = {left: np.where(keep, answers.y.astype(np.float64), np.nan)}
    without_rows: dict[str, list[str]] = {}
    pending: dict[str, tuple[Any, tuple[Any, ...]]] = {}  # categorical: codes, categories
    for name in used:
        if name in OUTCOMES:
            raise ValueError(f"{name!r} is an outcome; it can only be on the left of '~'")
        categories: tuple[Any, ...] | None = None
        if name == "wave":  # a category of the years, the first wave the reference
            values, categories = unit.column("wave"), unit.waves
        elif name == "training":
            columns[name] = _yes_no(pd, respondents["training"])
        elif name in ("layer", "office", "group"):
            values, categories = unit.column(name), unit.labels(name)
        else:
            spec = data.attributes[name]
            values = respondents[name]
            if spec.kind == "category":
                categories = spec.codes
            elif spec.kind == "boolean":
                columns[name] = _yes_no(pd, values)
            else:
                columns[name] = np.asarray(values, dtype=np.float64)
        if categories is not None:
            pending[name] = (values, categories)
    # a variable no respondent of the outcome's rows answered (a question missing from the
    # file) would leave no row for any other variable: it is named instead
    known = {name: ~np.asarray(pd.isna(column), dtype=bool) for name, column in columns.items()}
    known |= {name: np.asarray(values) >= 0 for name, (values, _) in pending.items()}
    for name, present in known.items():
        if name != left and keep.any() and not (present & keep).any():
            where = f" in wave {wave}" if wave is not None else ""
            raise ValueError(
                f"{name!r} has no answer among the respondents with an answer on {left!r}"
                f"{where}: a question not measured in these data (no such column, or every "
                "cell empty); leave it out of the formula"
            )
    # the rows the fit uses: an answer and a known value of every variable; a category is
    # dropped when none of those rows holds it (not when only rows left out hold it)
    used_rows = keep.copy()
    for name, column in columns.items():
        if name != left:
            used_rows &= ~np.asarray(pd.isna(column), dtype=bool)
    for values, _ in pending.values():
        used_rows &= np.asarray(values) >= 0
    for name, (values, categories) in pending.items():
        columns[name], absent = _categorical(pd, values, categories, used_rows)
        if absent:
            without_rows[name] = absent
    frame = pd.DataFrame(columns)
    _check_variables(right, frame, available)
    fit = glm(right and f"{left} ~ {right}", frame, data.design, family=family, na="domain")
    notes = dict(fit.notes)
    notes["missing"] = int(np.count_nonzero(population)) - fit.n
    notes["outside"] = int(np.count_nonzero(~population))
    if without_rows:
        notes["categories_without_rows"] = without_rows
    return attrs.evolve(fit, notes=notes)


def _check_variables(right: str, frame: Any, available: set[str]) -> None:
    """Refuse a formula naming a variable the monitor's data do not have, listing theirs."""
    from vpt_monitor.stats import _formula

    _, rhs, _ = _formula.parse(f"y ~ {right}" if right else "y ~ 1")
    unknown = [name for name in _formula.required(rhs) if name not in frame.columns]
    if unknown:
        valid = ", ".join(sorted(available))
        close = _formula_close(unknown[0], sorted(available))
        raise ValueError(
            f"{unknown[0]!r} is not a variable of the monitor's data{close}; a model may use "
            f"{valid} (the attributes of the data among them)"
        )


def _formula_close(name: str, names: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, names, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
