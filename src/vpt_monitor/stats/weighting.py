r"""Weighting steps before and after calibration: nonresponse adjustment and trimming.

:func:`adjust_nonresponse` spreads the weight of the nonrespondents of each weighting class
over its respondents (the usual first step after fieldwork); :func:`trim_weights` caps
extreme weights as R ``survey``'s ``trimWeights``. Both return a design of the same kind
with new weights; variances are then those of a design with these weights (the adjustment
itself is treated as fixed, as it is when R's ``svydesign`` is given adjusted weights).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from vpt_monitor.stats._inputs import label_codes
from vpt_monitor.stats._labels import show
from vpt_monitor.stats.design import ReplicateDesign, SurveyDesign, _subset_mask

__all__ = ["adjust_nonresponse", "trim_weights"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
AnyDesign = SurveyDesign | ReplicateDesign


def _check_plain(design: object, what: str) -> SurveyDesign:
    if not isinstance(design, SurveyDesign | ReplicateDesign):
        raise TypeError(
            f"'design' must be a SurveyDesign or ReplicateDesign; got {type(design).__name__}"
        )
    base = design.base if isinstance(design, ReplicateDesign) else design
    if base.in_subset is not None:
        raise ValueError(f"{what} the full design, then take the subset")
    return base


def _row_design(weights: FloatArray, like: SurveyDesign, frame: Any) -> SurveyDesign:
    """Make a design whose every row is its own PSU (the base of row-level replicate weights)."""
    rows = SurveyDesign(weights=weights)
    rows._frame = frame
    rows._calibration = like._calibration
    return rows


def _replicates_with(
    design: ReplicateDesign, base: SurveyDesign, replicate_weights: FloatArray
) -> ReplicateDesign:
    """Make the replicate design with the given full-sample design and ``n x R`` weights."""
    return design.with_row_multipliers(base, replicate_weights / base.weights[:, None])


def _take(design: SurveyDesign, keep: NDArray[np.bool_], weights: FloatArray) -> SurveyDesign:
    """Make the design of the rows kept, with new weights (strata, PSUs, fpc and labels kept)."""
    strata_codes, strata_first = np.unique(design.strata[keep], return_inverse=True)
    psu_codes, psu_first = np.unique(design.psu[keep], return_inverse=True)
    fpc = design.fpc
    result = SurveyDesign(
        weights=weights,
        strata=strata_first,
        clusters=psu_first,
        fpc=None if fpc is None else fpc[keep],
        lonely_psu=design.lonely_psu,
    )
    result._strata_labels = design.strata_labels[strata_codes]
    result._psu_labels = design._psu_labels[psu_codes]
    result._frame = None if design._frame is None else design._frame.take(keep)
    return result


def adjust_nonresponse(
    design: AnyDesign, responded: ArrayLike | str, classes: ArrayLike | str
) -> AnyDesign:
    r"""Weighting-class nonresponse adjustment: respondents carry their class's weight.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design of the whole sample, respondents and nonrespondents, with their sampling
        weights (not calibrated, not a subset, no second-stage fpc).
    responded : array_like of bool, or str
        Whether each row responded, or the name of a boolean column of the design's frame.
    classes : array_like, or str
        The weighting class of each row (for example layer crossed with office, coded as one
        label), or the name of a column of the frame.

    Returns
    -------
    SurveyDesign or ReplicateDesign
        The design of the respondents only, with weights :math:`w_i \hat N_c / \hat R_c` for
        respondent :math:`i` in class :math:`c`, where :math:`\hat N_c` is the sum of the
        weights of the class's sampled rows and :math:`\hat R_c` that of its respondents.
        Strata, PSUs, fpc and the frame keep the respondents' rows; a PSU without a
        respondent is gone. For a replicate design each replicate's weights are adjusted
        with its own class sums.

    Raises
    ------
    ValueError
        For a class with sampled rows but no respondent (naming it: merge it with a
        neighbouring class), a mask of the wrong length, a calibrated design or a subset,
        and a stratum left with one PSU under ``lonely_psu="fail"``.

    Notes
    -----
    Nonrespondents are dropped rather than kept with weight 0: a design's weights must be
    positive, and a nonrespondent has no answers to estimate from, so keeping the rows would
    make every analysis variable carry values for people who gave none. The class totals
    :math:`\sum_{i \in c} w_i` are kept exactly: the adjusted respondents estimate the
    same population counts per class as the whole sample did. The variance treats the
    adjusted weights as given (the adjustment's own variance is ignored, as it is in R when
    the adjusted weights are passed to ``svydesign``); calibrate afterwards
    (:func:`~vpt_monitor.stats.calibrate`) to bring known population totals in.

    References
    ----------
    .. [1] Kalton, G. and Flores-Cervantes, I. (2003). Weighting methods. *Journal of
       Official Statistics* 19, 81-97.
    .. [2] Lumley, T. (2010). *Complex Surveys*, chapter 7 (weighting). Wiley.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, adjust_nonresponse
    >>> design = SurveyDesign(weights=[10.0, 10.0, 10.0, 20.0, 20.0])
    >>> respondents = adjust_nonresponse(
    ...     design, [True, False, True, True, False], ["m", "m", "m", "a", "a"]
    ... )
    >>> respondents.weights.tolist()
    [15.0, 15.0, 40.0]
    """
    base = _check_plain(design, "adjust")
    if base.calibrated:
        raise ValueError(
            "adjust the sampling weights for nonresponse before calibrating them; this design "
            "is calibrated already"
        )
    if base.second_stage is not None:
        raise ValueError(
            "nonresponse adjustment of a design with a second-stage fpc is not supported; "
            "adjust the design without fpc2"
        )
    keep = _subset_mask(responded, base)
    if not keep.any():
        raise ValueError("'responded' marks no row as a respondent")
    codes, labels = label_codes("classes", classes, base)
    k = len(labels)

    def factors(weights: FloatArray) -> FloatArray:
        sampled = np.bincount(codes, weights=weights, minlength=k)
        answered = np.bincount(codes[keep], weights=weights[keep], minlength=k)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(sampled / answered, dtype=np.float64)

    ratio = factors(base.weights)
    empty = ~np.isfinite(ratio)
    if empty.any():
        c = int(np.argmax(empty))
        count = int(np.count_nonzero(codes == c))
        raise ValueError(
            f"weighting class {show(labels[c])} has {count} sampled rows but no respondent, "
            "so its weight cannot be carried; merge it with a neighbouring class"
        )
    new = (base.weights * ratio[codes])[keep]
    adjusted = _take(base, keep, new)
    if isinstance(design, SurveyDesign):
        return adjusted
    # replicate designs: each replicate's class sums (an indicator matrix times the weights)
    replicate = design.replicate_weights()
    indicator = sparse.csr_array((np.ones(base.n), (codes, np.arange(base.n))), shape=(k, base.n))
    sampled = indicator @ replicate
    answered = indicator @ (replicate * keep[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(sampled > 0, sampled / answered, 1.0)
    bad = ~np.isfinite(per)
    if bad.any():
        c, r = np.argwhere(bad)[0]
        raise ValueError(
            f"replicate {int(r) + 1}: weighting class {show(labels[int(c)])} has no respondent "
            "left in this replicate; merge it with a neighbouring class"
        )
    weights = (replicate * per[codes])[keep]
    rows = _row_design(adjusted.weights, adjusted, adjusted._frame)
    return _replicates_with(design, rows, weights)


def _trim(weights: FloatArray, lower: float, upper: float, redistribute: bool) -> FloatArray:
    outside = (weights < lower) | (weights > upper)
    new = np.clip(weights, lower, upper)
    if redistribute and outside.any():
        inside = ~outside
        if not inside.any():
            raise ValueError(
                f"every weight lies outside [{lower:g}, {upper:g}]: nothing is left to carry "
                "what trimming takes off"
            )
        new[inside] += (weights - new).sum() / np.count_nonzero(inside)
    return np.asarray(new, dtype=np.float64)


def trim_weights(
    design: AnyDesign,
    *,
    upper: float | None = None,
    lower: float | None = None,
    redistribute: bool = True,
) -> AnyDesign:
    r"""Trim extreme weights to ``[lower, upper]``, as R ``survey``'s ``trimWeights``.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design whose weights to trim (not a subset).
    upper, lower : float, optional
        Largest and smallest weight allowed (no bound when None).
    redistribute : bool, default True
        Give what trimming takes off (or adds) to the weights that were not trimmed, in
        equal shares, so that the total of the weights is kept (R's behaviour). Without it
        the weights are only clipped and their total changes.

    Returns
    -------
    SurveyDesign or ReplicateDesign
        The design with trimmed weights; a design with no weight outside the bounds is
        returned unchanged.

    Raises
    ------
    ValueError
        For ``lower >= upper``, a bound that is not a finite number, every weight outside
        the bounds, a weight that redistribution would make zero or negative, and a subset.

    Notes
    -----
    With :math:`\tilde w_i = \min(\max(w_i, L), U)` and :math:`O` the rows outside
    :math:`[L, U]`, the trimmed weights are :math:`\tilde w_i` on :math:`O` and
    :math:`\tilde w_i + \sum_{j \in O} (w_j - \tilde w_j) / |\bar O|` elsewhere. This is
    R's ``trimWeights(strict = FALSE)``: one pass, so a weight pushed over ``upper`` by
    the redistribution stays there (``strict = TRUE`` would repeat until none is). The
    shares are equal, not proportional to the weights, as in R. Calibration steps of a
    calibrated design are kept, as R keeps them: the variance still uses the calibration
    residuals, and the trimmed weights no longer reproduce the population totals exactly.

    For a replicate design the full-sample weights are trimmed and every replicate weight
    is multiplied by the same factor as its row's full-sample weight, so the replicates
    follow the trimming. R 4.1's ``trimWeights`` for replicate designs instead trims each
    replicate column on its own (raising the zero weights of a jackknife's deleted PSU
    to ``lower``) and leaves the full-sample weights as they were; that is not followed.

    References
    ----------
    .. [1] Potter, F. J. (1990). A study of procedures to identify and trim extreme sampling
       weights. *Proceedings of the Survey Research Methods Section*, American Statistical
       Association, 225-230.
    .. [2] Lumley, T. (2010). *Complex Surveys*, section 7.5. Wiley.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, trim_weights
    >>> design = SurveyDesign(weights=[1.0, 2.0, 3.0, 10.0])
    >>> trim_weights(design, upper=6.0).weights.round(4).tolist()  # 4 over three weights
    [2.3333, 3.3333, 4.3333, 6.0]
    """
    base = _check_plain(design, "trim")
    low = -np.inf if lower is None else lower
    high = np.inf if upper is None else upper
    for name, value in (("upper", high), ("lower", low)):
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise TypeError(f"'{name}' must be a number; got {value!r}")
        if np.isnan(value):
            raise ValueError(f"'{name}' must be a number; got nan")
    if not low < high:
        raise ValueError(f"'lower' must be below 'upper'; got lower={lower!r}, upper={upper!r}")
    w = base.weights
    if not ((w < low) | (w > high)).any():
        return design
    new = _trim(w, float(low), float(high), bool(redistribute))
    if np.any(new <= 0):
        i = int(np.argmax(new <= 0))
        raise ValueError(
            f"redistributing what trimming to lower={low:g} added would make the weight at "
            f"index {i} {new[i]:g}; weights must stay > 0: lower the bound 'lower'"
        )
    trimmed = base.with_weights(new)
    if isinstance(design, SurveyDesign):
        return trimmed
    replicate = design.replicate_weights() * (new / w)[:, None]
    rows = _row_design(new, trimmed, base._frame)
    return _replicates_with(design, rows, replicate)
