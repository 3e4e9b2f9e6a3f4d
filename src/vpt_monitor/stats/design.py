"""Survey designs: weights, strata, first-stage clusters and finite-population corrections."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt_monitor.stats import _frames
from vpt_monitor.stats import replicate as replication
from vpt_monitor.stats._arrays import read_only
from vpt_monitor.stats._frames import Frame
from vpt_monitor.stats._labels import compact, factorize, show
from vpt_monitor.stats._stages import SecondStage
from vpt_monitor.stats._validation import as_float_array, as_positive, check_choice, warn

__all__ = [
    "LONELY_PSU_POLICIES",
    "ReplicateDesign",
    "SecondStage",
    "SurveyDesign",
    "compact",
    "factorize",
]

LONELY_PSU_POLICIES = ("fail", "adjust", "certainty", "remove", "average")

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
#: What :meth:`SurveyDesign.subset` takes: a boolean mask, the name of a boolean column, a
#: function of the frame that returns a mask, or a polars expression.
Where = ArrayLike | str | Callable[[Any], Any] | Any


def _weight_advice(value: float) -> str:
    """Say what to do about a weight that is not finite and positive (ends the message)."""
    if value == 0:
        return (
            "; a row of weight 0 stands for nobody. To keep its PSU in the design, as R's "
            "svydesign does with zero weights, give it any positive weight and leave it out "
            "of the estimates with design.subset(...), which keeps the row with weight 0 for "
            "the variance; otherwise drop the row"
        )
    if value < 0:
        return (
            "; a weight is the number of population members a row stands for and cannot be "
            "negative: check the column (a sign lost or added, a code for 'no weight')"
        )
    return ""


def _check_weights(weights: ArrayLike) -> FloatArray:
    w = as_float_array("weights", weights)
    if w.ndim != 1:
        raise ValueError(f"'weights' must be one-dimensional; got shape {w.shape}")
    as_positive("weights", w, _weight_advice)
    if w.shape[0] == 0:
        raise ValueError("'weights' is empty: a design needs at least one row")
    return w


class SurveyDesign:
    r"""A stratified, clustered, weighted sample, as R ``survey``'s ``svydesign``.

    Made from arrays, one value per row, or from the columns of a pandas or polars data
    frame by :meth:`~vpt_monitor.stats.SurveyDesign.from_frame`, which keeps the frame so that
    estimators take column names; :meth:`~vpt_monitor.stats.SurveyDesign.subset` restricts
    estimation to some rows without dropping any.

    Parameters
    ----------
    weights : array_like of float
        Sampling (or calibrated) weights, one per row, finite and ``> 0``.
    strata : array_like, optional
        Stratum label of each row. Without it the sample is one stratum.
    clusters : array_like, optional
        First-stage cluster (primary sampling unit, PSU) of each row. Without it every row is
        its own PSU. Clusters must be nested in strata: a label that appears in two strata is
        an error unless ``nest=True``, which makes labels unique within their stratum.
    fpc : array_like of float, optional
        Finite-population correction, as R's ``svydesign(fpc=)``: a value ``> 1`` is the
        number of PSUs in the population of the row's stratum, a value ``<= 1`` the stratum's
        sampling fraction. Constant within a stratum. Without it PSUs are taken to be drawn
        with replacement.
    lonely_psu : {"fail", "adjust", "certainty", "remove", "average"}, default "fail"
        What to do with a stratum that has only one PSU: refuse the design (``"fail"``);
        centre its PSU total at zero, the grand mean of the linearised values, instead of at
        the stratum mean (``"adjust"``); let it add nothing to the variance (``"certainty"``
        and ``"remove"``, which R ``survey`` treats alike for Taylor linearisation); or give
        it the average variance of the other strata (``"average"``, R's
        ``options(survey.lonely.psu = "average")``): the variance summed over the strata
        with two or more PSUs, and those sampled completely, is multiplied by
        :math:`H / H_{ok}`, all strata over those strata. A stratum sampled completely is
        not lonely under any policy. Domains (``by=``, :meth:`subset`, ``na="domain"``)
        take the whole design's factor, as the covariance of R's ``svyby(...,
        covmat=TRUE)``; R's standard-error column of ``svyby`` (and ``svymean`` on
        ``subset(design, ...)``) counts only the strata holding rows of the domain, so
        under ``"average"`` the two differ for a domain absent from some strata (by
        :math:`\sqrt{(H / H_{ok}) / (H_d / H_{ok,d})}`).
    nest : bool, default False
        Whether cluster labels are only unique within strata (R's ``nest=TRUE``).
    ssu : array_like, optional
        Second-stage unit of each row, nested in its PSU (labels need only be unique within
        the PSU). Without it, but with ``fpc2``, every row is its own second-stage unit (for
        example the employees sampled within an organisation).
    fpc2 : array_like of float, optional
        Second-stage finite-population correction, constant within a PSU: a value ``> 1`` is
        the number of second-stage units in the PSU's population, ``<= 1`` the fraction
        sampled. With it (and a first-stage ``fpc``) the variance adds the within-PSU
        component, as R's ``svydesign(ids=~psu+ssu, fpc=~fpc1+fpc2)``.

    Attributes
    ----------
    weights : numpy.ndarray
        The weights, read-only.
    n : int
        Number of rows.
    n_strata, n_psu : int
        Number of strata and of PSUs.
    df : int
        Design degrees of freedom, PSUs minus strata (R's ``degf``).

    Raises
    ------
    ValueError
        For arrays of different lengths, weights that are negative, zero or NaN, a missing
        label (None, NaN, ``pandas.NA``, NaT) in ``strata`` or ``clusters``, clusters in two
        strata, an fpc that varies within a stratum or is smaller than the sample, and a
        stratum with one PSU under ``lonely_psu="fail"``.

    Notes
    -----
    For an estimator linearised to values :math:`z_i` (already multiplied by the weights),
    the Taylor variance is the sum over strata :math:`h` of

    .. math::

        (1 - f_h) \frac{n_h}{n_h - 1} \sum_{i=1}^{n_h} (z_{hi} - \bar z_h)^2,

    where :math:`z_{hi}` is the total of PSU :math:`i` in stratum :math:`h`, :math:`n_h` the
    number of PSUs sampled there and :math:`f_h = n_h / N_h` the sampling fraction
    (:math:`f_h = 0` without fpc). This is the "ultimate cluster" estimator of R ``survey``
    with one stage of clusters. With ``fpc2`` a second-stage term is added, the within-PSU
    variance of the second-stage unit totals :math:`z_{hik}` around their PSU mean,

    .. math::

        \sum_{h,i} f_h (1 - f_{hi}) \frac{m_{hi}}{m_{hi} - 1}
        \sum_{k=1}^{m_{hi}} (z_{hik} - \bar z_{hi})^2,

    with :math:`m_{hi}` second-stage units sampled in PSU :math:`i` and :math:`f_{hi}` their
    sampling fraction (R's ``multistage``).

    Labels (of strata, clusters, and of domains and calibration cells elsewhere) are sorted:
    numbers in numeric order, text in code-point order. A column that mixes kinds of labels
    that do not compare, such as numbers and text, is accepted without comparing across
    kinds: numbers come first, then text, then bytes, then other labels (those that cannot
    be sorted among themselves in order of first appearance); every label keeps its value.

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    .. [2] Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor.stats import SurveyDesign
    >>> design = SurveyDesign(
    ...     weights=[10.0, 10.0, 12.0, 12.0, 30.0, 30.0],
    ...     strata=["gemeente", "gemeente", "gemeente", "gemeente", "provincie", "provincie"],
    ...     clusters=[1, 1, 2, 3, 4, 5],
    ...     fpc=[390, 390, 390, 390, 12, 12],
    ... )
    >>> design
    SurveyDesign(n=6, strata=2, psu=5, df=3, fpc=yes, lonely_psu='fail')
    """

    __slots__ = (
        "_calibration",
        "_fpc_rows",
        "_frame",
        "_psu",
        "_psu_fraction",
        "_psu_labels",
        "_psu_order",
        "_psu_scale",
        "_psu_stratum",
        "_second",
        "_strata",
        "_strata_labels",
        "_subset",
        "_subset_df",
        "_weights",
        "lonely_psu",
        "n",
        "n_psu",
        "n_strata",
    )

    def __init__(
        self,
        *,
        weights: ArrayLike,
        strata: ArrayLike | None = None,
        clusters: ArrayLike | None = None,
        fpc: ArrayLike | None = None,
        lonely_psu: str = "fail",
        nest: bool = False,
        ssu: ArrayLike | None = None,
        fpc2: ArrayLike | None = None,
    ) -> None:
        w = _check_weights(weights)
        n = w.shape[0]
        self._setup(
            w,
            None if strata is None else factorize("strata", strata, n),
            None if clusters is None else factorize("clusters", clusters, n),
            fpc,
            lonely_psu=lonely_psu,
            nest=nest,
            ssu=ssu,
            fpc2=fpc2,
        )

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        *,
        weights: Hashable,
        strata: Hashable | None = None,
        clusters: Hashable | None = None,
        fpc: Hashable | None = None,
        ssu: Hashable | None = None,
        fpc2: Hashable | None = None,
        nest: bool = False,
        lonely_psu: str = "fail",
    ) -> SurveyDesign:
        r"""Make a design from the columns of a data frame, as R's ``svydesign(..., data=)``.

        The design keeps the frame, so that estimators take column names:
        ``mean("score", design, by="office")``.

        Parameters
        ----------
        frame : pandas.DataFrame or polars.DataFrame
            One row per respondent. The design holds a shallow copy: no column is copied,
            and with pandas' copy-on-write (the default from pandas 3) and with polars a
            later change to ``frame`` does not reach the design.
        weights : str
            Name of the column of sampling weights (finite and ``> 0``).
        strata, clusters, ssu : str, optional
            Names of the columns of stratum, first-stage cluster (PSU) and second-stage unit
            labels; see :class:`SurveyDesign`. Any column type: numbers, text, booleans,
            dates, pandas ``Categorical``, polars ``Enum`` or ``Categorical``.
        fpc, fpc2 : str, optional
            Names of the numeric columns of the first- and second-stage finite-population
            corrections; see :class:`SurveyDesign`.
        nest : bool, default False
            Whether cluster labels are only unique within strata (R's ``nest=TRUE``).
        lonely_psu : {"fail", "adjust", "certainty", "remove", "average"}, default "fail"
            What to do with a stratum of one PSU; see :class:`SurveyDesign`.

        Returns
        -------
        SurveyDesign
            The design, with the frame in :attr:`frame`.

        Raises
        ------
        TypeError
            For a ``frame`` that is not a pandas or polars DataFrame, a name that is not a
            column name (such as an array: use ``SurveyDesign(weights=...)`` for arrays), and
            a numeric design variable in a column of text, categories or dates.
        ValueError
            For a name the frame does not have (the message lists the frame's columns and
            the close matches), a missing value in any design column (with its count and
            first row), and everything :class:`SurveyDesign` refuses.

        Notes
        -----
        Numeric columns without missing values are read without a copy. The design is the
        one :class:`SurveyDesign` builds from the same columns as arrays, with the same
        numbers; only the error messages differ, naming the frame's columns and rows.

        pandas and polars are optional: neither is imported unless a frame of its kind is
        given.

        Examples
        --------
        >>> import pandas as pd
        >>> from vpt_monitor.stats import SurveyDesign, proportion
        >>> frame = pd.DataFrame({
        ...     "office": ["mayor", "mayor", "alderman", "alderman", "alderman", "mayor"],
        ...     "municipality": [1, 2, 1, 2, 3, 3],
        ...     "weight": [20.0, 20.0, 35.0, 35.0, 35.0, 20.0],
        ...     "victim": [True, False, True, True, False, False],
        ... })
        >>> design = SurveyDesign.from_frame(frame, weights="weight", clusters="municipality")
        >>> design
        SurveyDesign(n=6, strata=1, psu=3, df=2, fpc=no, lonely_psu='fail', frame='pandas')
        >>> proportion("victim", design, by="office").to_pandas()[["estimate", "n"]]
                  estimate  n
        office
        alderman  0.666667  3
        mayor     0.333333  3
        """
        source = Frame(frame)
        n = source.n
        if n == 0:
            raise ValueError("'frame' has no rows: a design needs at least one row")
        w = _column_numbers(source, "weights", weights)
        bad = ~(np.isfinite(w) & (w > 0))
        if bad.any():
            i = int(np.argmax(bad))
            series = source.column(weights, "weights")
            raise ValueError(
                f"{_frames.describe('weights', series)} must be finite and > 0; got "
                f"{w[i].item()!r} at {_frames.row(series, i)}{_weight_advice(float(w[i]))}"
            )
        design = cls.__new__(cls)
        design._setup(
            w,
            None if strata is None else _column_labels(source, "strata", strata),
            None if clusters is None else _column_labels(source, "clusters", clusters),
            None if fpc is None else _column_numbers(source, "fpc", fpc),
            lonely_psu=lonely_psu,
            nest=nest,
            ssu=None if ssu is None else _column_labels(source, "ssu", ssu)[0],
            fpc2=None if fpc2 is None else _column_numbers(source, "fpc2", fpc2),
        )
        design._frame = source
        return design

    @classmethod
    def _from_codes(
        cls,
        weights: ArrayLike,
        strata: tuple[IntArray, NDArray[Any]] | None,
        clusters: tuple[IntArray, NDArray[Any]] | None,
        *,
        fpc: ArrayLike | None = None,
        fpc2: ArrayLike | None = None,
        lonely_psu: str = "fail",
    ) -> SurveyDesign:
        """Build a design from strata and clusters already coded as ``(codes, labels)``.

        For the library's own containers, which know the codes of their labels: the codes
        must be ``0 .. k-1`` and the labels in the order :func:`factorize` gives them, so
        that the design is the one the labels themselves would give.
        """
        design = cls.__new__(cls)
        design._setup(
            _check_weights(weights),
            strata,
            clusters,
            fpc,
            lonely_psu=lonely_psu,
            nest=False,
            ssu=None,
            fpc2=fpc2,
        )
        return design

    def _setup(
        self,
        w: FloatArray,
        strata: tuple[IntArray, NDArray[Any]] | None,
        clusters: tuple[IntArray, NDArray[Any]] | None,
        fpc: ArrayLike | None,
        *,
        lonely_psu: str,
        nest: bool,
        ssu: ArrayLike | None,
        fpc2: ArrayLike | None,
    ) -> None:
        """Build the design from checked weights and coded strata and clusters."""
        n = w.shape[0]
        self.lonely_psu = check_choice("lonely_psu", lonely_psu, LONELY_PSU_POLICIES)

        if strata is None:
            strata_codes = np.zeros(n, dtype=np.intp)
            strata_labels: NDArray[Any] = np.array([0])
        else:
            strata_codes, strata_labels = strata
        n_strata = len(strata_labels)

        if clusters is None:
            psu = np.arange(n, dtype=np.intp)
            psu_labels: NDArray[Any] = np.arange(n)
        else:
            cluster_codes, cluster_labels = clusters
            if nest:
                pair = strata_codes.astype(np.int64) * len(cluster_labels) + cluster_codes
                unique_pairs, psu = np.unique(pair, return_inverse=True)
                psu_labels = cluster_labels[unique_pairs % len(cluster_labels)]
            else:
                psu, psu_labels = cluster_codes, cluster_labels
        n_psu = len(psu_labels)

        # stratum of each PSU; a PSU in two strata breaks nesting
        psu_stratum = np.full(n_psu, -1, dtype=np.intp)
        psu_stratum[psu] = strata_codes
        crossing = psu_stratum[psu] != strata_codes
        if crossing.any():
            row = int(np.argmax(crossing))
            raise ValueError(
                f"cluster {show(psu_labels[psu[row]])} appears in more than one stratum (e.g. "
                f"{show(strata_labels[strata_codes[row]])} at index {row}): clusters must be "
                "nested in strata; pass nest=True if cluster labels are only unique within strata"
            )
        psu_per_stratum = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)

        fraction = np.zeros(n_strata)
        fpc_rows = None
        if fpc is not None:
            f = as_float_array("fpc", fpc)
            if f.shape != (n,):
                raise ValueError(
                    f"'fpc' has shape {f.shape} but 'weights' has {n} values; give one per row"
                )
            f = as_positive("fpc", f)
            first = np.zeros(n_strata)
            first[strata_codes[::-1]] = f[::-1]
            varies = f != first[strata_codes]
            if varies.any():
                row = int(np.argmax(varies))
                raise ValueError(
                    f"'fpc' must be constant within a stratum; stratum "
                    f"{show(strata_labels[strata_codes[row]])} has "
                    f"fpc={first[strata_codes[row]]:g} and fpc={f[row]:g} (index {row})"
                )
            population = np.where(first > 1, first, psu_per_stratum / first)
            small = population < psu_per_stratum * (1 - 1e-12)
            if small.any():
                h = int(np.argmax(small))
                raise ValueError(
                    f"'fpc' is smaller than the sample in stratum {show(strata_labels[h])}: "
                    f"{population[h]:g} PSUs in the population but {psu_per_stratum[h]:g} sampled"
                )
            fraction = np.minimum(psu_per_stratum / population, 1.0)
            fpc_rows = f

        lonely = psu_per_stratum == 1
        if lonely.any() and self.lonely_psu == "fail":
            # a stratum sampled completely (fraction 1) adds no variance and is not lonely
            problem = lonely & (fraction < 1)
            if problem.any():
                h = int(np.argmax(problem))
                alone = int(np.flatnonzero(psu_stratum == h)[0])
                what = (
                    f"cluster {show(psu_labels[alone])}"
                    if clusters is not None
                    else f"row {int(np.flatnonzero(psu == alone)[0])}"
                )
                where = (
                    "the design has only one PSU"
                    if strata is None
                    else f"stratum {show(strata_labels[h])} has only one PSU"
                )
                raise ValueError(
                    f"{where} ({what}), so its variance cannot be estimated; choose "
                    "lonely_psu='adjust', 'certainty', 'remove' or 'average'"
                    + (" (R's svydesign refuses a design of one PSU)" if strata is None else "")
                )
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(
                lonely,
                1.0 - fraction if self.lonely_psu == "adjust" else 0.0,
                (1.0 - fraction) * psu_per_stratum / (psu_per_stratum - 1.0),
            )

        self.n = n
        self.n_strata = n_strata
        self.n_psu = n_psu
        self._weights = np.array(w, dtype=np.float64, copy=True)  # handed out read-only
        self._strata = read_only(strata_codes)
        self._strata_labels = strata_labels
        self._psu = read_only(psu)
        self._psu_labels = psu_labels
        self._psu_stratum = read_only(psu_stratum)
        self._psu_scale = read_only(scale[psu_stratum])
        self._psu_fraction = read_only(fraction[psu_stratum])
        order = np.argsort(psu_stratum, kind="stable")
        starts = np.concatenate([[0], np.cumsum(psu_per_stratum)[:-1]]).astype(np.intp)
        self._psu_order = (read_only(order), read_only(starts))
        self._fpc_rows = None if fpc_rows is None else read_only(fpc_rows)
        self._second: SecondStage | None = None
        if ssu is not None or fpc2 is not None:
            if fpc2 is None:
                raise ValueError(
                    "'ssu' needs 'fpc2': without a second-stage fpc the ultimate-cluster "
                    "variance already covers the second stage"
                )
            if fpc_rows is None:
                raise ValueError(
                    "'fpc2' needs a first-stage 'fpc': with PSUs drawn with replacement the "
                    "ultimate-cluster variance already covers the second stage"
                )
            self._second = SecondStage.build(
                psu, fraction[psu_stratum], ssu, fpc2, n, self.lonely_psu, psu_labels
            )
        self._calibration: tuple[Any, ...] = ()
        self._frame: Frame | None = None
        self._subset: BoolArray | None = None
        self._subset_df = 0

    # -- read-only views -----------------------------------------------------------------

    @property
    def weights(self) -> FloatArray:
        """The weights, one per row (read-only)."""
        view: FloatArray = read_only(self._weights, copy=False)
        return view

    @property
    def strata_labels(self) -> NDArray[Any]:
        """Label of each stratum, in the order of the stratum codes (see :attr:`strata`)."""
        return self._strata_labels

    @property
    def df(self) -> int:
        """Design degrees of freedom: number of PSUs minus number of strata.

        For a :meth:`subset`, the PSUs minus the strata among the subset's rows (R's
        ``degf`` of a subset design).
        """
        if self._subset is not None:
            return int(self._subset_df)
        return int(self.n_psu - self.n_strata)

    @property
    def frame(self) -> Any:
        """The data frame the design was made from (:meth:`from_frame`), or None.

        A new shallow copy on every access: changing it does not change the design.
        """
        return None if self._frame is None else self._frame.snapshot()

    @property
    def in_subset(self) -> BoolArray | None:
        """Which rows a :meth:`subset` keeps for estimation (read-only), or None for all."""
        return self._subset

    def subset(self, where: Where) -> SurveyDesign:
        r"""Restrict estimation to some rows, as R's ``subset(design, ...)``; drop no row.

        Parameters
        ----------
        where : array_like of bool, str, callable or polars expression
            The rows to keep: a boolean mask with one value per row; the name of a boolean
            column of the design's frame; a function that takes the frame and returns such
            a mask (``lambda f: f["wave"] == 2016``); or, for a polars frame, an
            expression (``pl.col("wave") == 2016``). A missing value in the mask is
            refused. Text is only ever a column name: expressions in strings are not
            evaluated, since evaluating them would run arbitrary code; a function does the
            same job.

        Returns
        -------
        SurveyDesign
            The same design (weights, strata, PSUs, fpc, calibration, frame) whose
            estimates cover only the rows kept. A subset of a subset keeps the rows both
            keep.

        Raises
        ------
        ValueError
            For a mask of the wrong length, with missing values, or that keeps no row, and
            for a name the frame does not have.
        TypeError
            For a mask that is not boolean, and a column name or function on a design that
            was not made from a frame.

        Notes
        -----
        The rows left out stay in the design with weight zero for every estimate, exactly
        as a domain: the variance is computed over all PSUs and strata, so the standard
        errors are those of R ``survey``'s ``subset`` and of ``by=`` domains, not those of
        a smaller data set. Estimates on a subset equal the corresponding domain of the
        full design. Degrees of freedom (:attr:`df` and every estimate's) count the PSUs
        and strata among the rows kept, as R's ``degf``. Domains of ``by=`` are those
        with rows in the subset. Analysis values outside the subset are not checked and
        may be missing.

        Calibrate (:func:`poststratify`, :func:`rake`) and make replicate weights
        (:meth:`replicate`) on the full design, then take the subset.

        References
        ----------
        .. [1] Lumley, T. (2010). *Complex Surveys*, section 2.3 (domain estimation and
           ``subset``). Wiley.

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, mean
        >>> design = SurveyDesign(weights=[1.0, 2.0, 1.0, 2.0], strata=[1, 1, 2, 2])
        >>> y = [1.0, 3.0, 5.0, 7.0]
        >>> later = design.subset([False, True, True, True])
        >>> later
        SurveyDesign(n=4, strata=2, psu=4, df=1, fpc=no, lonely_psu='fail', subset=3)
        >>> on_subset = mean(y, later)
        >>> as_domain = mean(y, design, by=[0, 1, 1, 1])[1]
        >>> on_subset.estimate == as_domain.estimate
        True
        >>> on_subset.standard_error == as_domain.standard_error
        True
        """
        keep = _subset_mask(where, self)
        if self._subset is not None:
            keep = keep & self._subset
        if not keep.any():
            raise ValueError(
                "the subset keeps no row; a design needs at least one row to estimate from"
            )
        keep = read_only(keep, copy=False)
        design = self._clone()
        design._subset = keep
        psus = np.bincount(self._psu[keep], minlength=self.n_psu) > 0
        strata = np.bincount(self._psu_stratum[psus], minlength=self.n_strata) > 0
        design._subset_df = int(psus.sum() - strata.sum())
        return design

    def _clone(self) -> SurveyDesign:
        design = SurveyDesign.__new__(SurveyDesign)
        for name in SurveyDesign.__slots__:
            setattr(design, name, getattr(self, name))
        return design

    @property
    def psu(self) -> IntArray:
        """Integer code of each row's PSU, ``0 .. n_psu - 1`` (read-only)."""
        return self._psu

    @property
    def strata(self) -> IntArray:
        """Integer code of each row's stratum, ``0 .. n_strata - 1`` (read-only)."""
        return self._strata

    @property
    def psu_stratum(self) -> IntArray:
        """Stratum code of each PSU (read-only)."""
        return self._psu_stratum

    @property
    def lonely_average_factor(self) -> float:
        r"""Factor :math:`H / H_{ok}` of ``lonely_psu="average"`` (1 under other policies).

        :math:`H` counts all strata, :math:`H_{ok}` those that are not lonely (two or more
        PSUs, or sampled completely), as R ``survey``'s ``onestage``.
        """
        if self.lonely_psu != "average":
            return 1.0
        per_stratum = np.bincount(self._psu_stratum, minlength=self.n_strata)
        fraction = np.zeros(self.n_strata)
        fraction[self._psu_stratum] = self._psu_fraction
        lonely = int(np.count_nonzero((per_stratum == 1) & (fraction < 1)))
        if lonely == self.n_strata:
            return float("nan")
        return self.n_strata / (self.n_strata - lonely)

    @property
    def psu_scale(self) -> FloatArray:
        """Variance factor of each PSU's stratum, ``(1 - f_h) n_h / (n_h - 1)``."""
        return self._psu_scale

    @property
    def second_stage(self) -> SecondStage | None:
        """The second stage of sampling, when ``fpc2`` was given."""
        return self._second

    @property
    def psu_order(self) -> tuple[IntArray, IntArray]:
        """PSU codes sorted by stratum, and where each stratum starts in that order."""
        return self._psu_order

    @property
    def fpc(self) -> FloatArray | None:
        """The fpc given, one per row, or None."""
        return self._fpc_rows

    @property
    def calibration(self) -> tuple[Any, ...]:
        """Calibration steps applied to the weights, oldest first (empty when uncalibrated).

        Each step records what the variance needs to account for it, and raking steps also
        report their convergence (``iterations``, ``converged``, ``max_error``).
        """
        return self._calibration

    @property
    def calibrated(self) -> bool:
        """Whether the weights were calibrated (post-stratified or raked)."""
        return bool(self._calibration)

    def with_weights(self, weights: ArrayLike, *, calibration_step: Any = None) -> SurveyDesign:
        """Return the same design with other weights (strata, clusters and fpc unchanged).

        Parameters
        ----------
        weights : array_like
            The new weights, one per row.
        calibration_step : optional
            A calibration record to append (used by :func:`poststratify` and :func:`rake`);
            without it the new design keeps this design's calibration steps.
        """
        design = SurveyDesign(
            weights=weights,
            strata=self._strata,
            clusters=self._psu,
            fpc=self._fpc_rows,
            lonely_psu=self.lonely_psu,
        )
        design._second = self._second
        design._strata_labels = self._strata_labels
        design._psu_labels = self._psu_labels
        design._frame = self._frame
        design._subset = self._subset
        design._subset_df = self._subset_df
        steps = (
            self._calibration
            if calibration_step is None
            else (
                *self._calibration,
                calibration_step,
            )
        )
        design._calibration = steps
        return design

    def replicate(
        self,
        method: str,
        *,
        replicates: int = 500,
        seed: int | None = None,
        rho: float = 0.5,
        hadamard: ArrayLike | None = None,
        mse: bool = False,
    ) -> ReplicateDesign:
        """Replicate-weight version of this design, as R's ``as.svrepdesign``.

        Parameters
        ----------
        method : {"jk1", "jkn", "brr", "fay", "bootstrap"}
            ``"jk1"``: delete-one-PSU jackknife for an unstratified design; ``"jkn"``: the
            stratified jackknife, one replicate per PSU, with each stratum's fpc and
            lonely-PSU policy as R's ``jknweights``; ``"brr"``: balanced repeated replication
            (exactly two PSUs per stratum); ``"fay"``: Fay's BRR with factor ``rho``;
            ``"bootstrap"``: Rao and Wu's rescaling bootstrap (R's ``"subbootstrap"``).
        replicates : int, default 500
            Number of bootstrap replicates.
        seed : int, optional
            Seed of the bootstrap's random draws; the same seed gives the same replicates.
        rho : float, default 0.5
            Fay's factor, in (0, 1).
        hadamard : array_like, optional
            Hadamard matrix for BRR with at least ``n_strata + 1`` rows, any two values (such
            as +1/-1 or 1/0), used as R's ``hadamard.matrix=``. By default the matrix R
            ``survey``'s ``as.svrepdesign`` chooses for the number of strata, with R's sign
            rule for its own matrices, so that default BRR and Fay designs give R's
            replicates without passing a matrix to either side (see
            ``vpt_monitor.stats._hadamard``; for 24-27 and 32-35 strata, and orders
            doubled from those, R uses stored matrices that are not shipped here and a
            `UserWarning` says so). Strata take the matrix rows in the order of their labels
            as text (so stratum 10 comes before 2), as R's ``brrweights``.
        mse : bool, default False
            Centre the replicate estimates on the full-sample estimate instead of their mean.

        Returns
        -------
        ReplicateDesign

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, mean
        >>> design = SurveyDesign(weights=[1, 2, 1, 2, 3, 1], strata=[1, 1, 1, 2, 2, 2])
        >>> jk = design.replicate("jkn")
        >>> jk
        ReplicateDesign(method='jkn', n=6, replicates=6, df=4, mse=False)
        >>> round(mean([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], jk).standard_error, 4)  # as R survey
        0.3959
        """
        method = check_choice("method", method, replication.REPLICATE_METHODS)
        if self._subset is not None:
            raise ValueError(
                "make the replicate design from the full design, then take the subset "
                "(replicates made from a subset would not be those of the sample)"
            )
        if self._second is not None:
            warn(
                "replicate weights use the first stage only: the second-stage fpc is dropped "
                "(as R's as.svrepdesign does)"
            )
        if self._calibration:
            raise ValueError(
                "replicate weights from a calibrated design would ignore the calibration; make "
                "the replicate design from the uncalibrated one"
            )
        _, first_row = np.unique(self._psu, return_index=True)
        layout = replication.Layout(
            psu_stratum=self._psu_stratum,
            n_strata=self.n_strata,
            strata_labels=self._strata_labels,
            psu_first_row=first_row.astype(np.intp),
            fraction=self._psu_fraction,
            has_fpc=self._fpc_rows is not None,
            lonely_psu=self.lonely_psu,
        )
        made = replication.make(
            layout, method, replicates=replicates, seed=seed, rho=rho, hadamard=hadamard
        )
        return ReplicateDesign._make(
            self, made.method, made.multipliers, made.scale, made.rscales, mse=mse, df=made.df
        )

    def __len__(self) -> int:
        return int(self.n)

    def __repr__(self) -> str:
        calibrated = f", calibration_steps={len(self._calibration)}" if self._calibration else ""
        frame = "" if self._frame is None else f", frame={self._frame.library!r}"
        subset = "" if self._subset is None else f", subset={int(self._subset.sum())}"
        return (
            f"SurveyDesign(n={self.n}, strata={self.n_strata}, psu={self.n_psu}, df={self.df}, "
            f"fpc={'yes' if self._fpc_rows is not None else 'no'}, "
            f"lonely_psu={self.lonely_psu!r}{calibrated}{frame}{subset})"
        )


class ReplicateDesign:
    """A design whose variances come from replicate weights.

    Made from a design by :meth:`SurveyDesign.replicate`, or from replicate weights supplied
    with the data by :meth:`from_frame` (R's ``svrepdesign``).

    The estimators (:func:`~vpt_monitor.stats.mean`, :func:`~vpt_monitor.stats.total`,
    :func:`~vpt_monitor.stats.ratio`, :func:`~vpt_monitor.stats.proportion`) accept it in
    place of a :class:`SurveyDesign`.

    Attributes
    ----------
    base : SurveyDesign
        The design the replicates were made from (weights, strata and PSUs).
    method : str
        ``"jk1"``, ``"jkn"``, ``"brr"``, ``"fay"`` or ``"bootstrap"``.
    multipliers : numpy.ndarray
        ``n_psu x R`` factors: replicate ``r`` gives the rows of PSU ``i`` the weight
        ``weights * multipliers[i, r]``. For replicate weights supplied with the data every
        row is its own PSU of ``base``.
    scale : float
        Overall scale :math:`c` of the variance.
    rscales : numpy.ndarray
        Replicate scales :math:`c_r`.
    mse : bool
        Centre the replicates on the full-sample estimate (True) or on their mean (False,
        R's default).
    df : int
        Degrees of freedom: the rank of the replicate weights minus one, as R's ``degf``.

    Examples
    --------
    >>> from vpt_monitor.stats import SurveyDesign, total
    >>> design = SurveyDesign(weights=[2, 2, 3, 3], strata=[1, 1, 2, 2])
    >>> brr = design.replicate("brr")
    >>> brr.replicates, brr.df
    (4, 2)
    >>> round(total([1.0, 3.0, 2.0, 6.0], brr).standard_error, 4)  # as Taylor for a total
    12.6491
    """

    __slots__ = ("_distinct", "base", "df", "method", "mse", "multipliers", "rscales", "scale")

    def __init__(
        self,
        base: SurveyDesign,
        method: str,
        multipliers: ArrayLike,
        scale: float,
        rscales: ArrayLike,
        *,
        mse: bool = False,
        df: int,
    ) -> None:
        self.base = base
        self.method = method
        self.multipliers = read_only(multipliers, np.float64)
        self.scale = float(scale)
        self.rscales = read_only(rscales, np.float64)
        self.mse = bool(mse)
        self.df = int(df)

    @property
    def weights(self) -> FloatArray:
        """Full-sample weights (read-only)."""
        return self.base.weights

    @property
    def n(self) -> int:
        """Number of rows."""
        return int(self.base.n)

    @property
    def replicates(self) -> int:
        """Number of replicates ``R``."""
        return int(self.multipliers.shape[1])

    def distinct_rows(self) -> tuple[FloatArray, IntArray | None]:
        """Return the distinct rows of ``multipliers`` and each PSU's (None: all distinct).

        With more PSUs than replicates (replicate weights supplied with the data make every
        row a PSU) the rows of one sampled PSU repeat one row of factors. Rows are grouped
        by a random projection (a sort of one number per row, where sorting the rows takes
        twenty times as long), checked to be the same row, and kept for later calls.
        """
        known = getattr(self, "_distinct", None)
        if known is not None:
            return known  # type: ignore[no-any-return]
        rows = self.multipliers
        found: tuple[FloatArray, IntArray | None] = (rows, None)
        if rows.shape[0] > rows.shape[1]:
            key = rows @ np.random.default_rng(0).normal(size=rows.shape[1])
            _, first, pattern = np.unique(key, return_index=True, return_inverse=True)
            pattern = pattern.reshape(-1).astype(np.intp)
            if np.array_equal(rows[first][pattern], rows):
                found = (rows[first], pattern)
            else:
                distinct, again = np.unique(rows, axis=0, return_inverse=True)
                found = (distinct, again.reshape(-1).astype(np.intp))
        self._distinct = found
        return found

    def replicate_weights(self) -> FloatArray:
        """Return the ``n x R`` matrix of replicate weights (materialised on request)."""
        result: FloatArray = self.base.weights[:, None] * self.multipliers[self.base.psu]
        return result

    @property
    def frame(self) -> Any:
        """The data frame the design was made from, or None (see :attr:`SurveyDesign.frame`)."""
        return self.base.frame

    @property
    def in_subset(self) -> NDArray[np.bool_] | None:
        """Which rows a :meth:`subset` keeps for estimation, or None for all."""
        return self.base.in_subset

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        *,
        weights: Hashable,
        replicate_weights: str | Sequence[Hashable],
        method: str,
        scale: float | None = None,
        rscales: ArrayLike | None = None,
        rho: float | None = None,
        combined_weights: bool = True,
        mse: bool = False,
        df: int | None = None,
    ) -> ReplicateDesign:
        r"""Make a replicate design from weights supplied in a frame, as R's ``svrepdesign``.

        Public-use files often come with replicate weights instead of strata and clusters.

        Parameters
        ----------
        frame : pandas.DataFrame or polars.DataFrame
            One row per respondent, kept by the design (see
            :meth:`SurveyDesign.from_frame`).
        weights : str
            Name of the column of full-sample weights.
        replicate_weights : str or sequence of str
            The replicate-weight columns: a prefix that their names start with (the
            ``weights`` column excluded), taken in the frame's order, or a list of names.
        method : {"jk1", "jkn", "brr", "fay", "bootstrap", "sdr", "jk2", "other"}
            How the replicates were made; it sets the default ``scale`` and ``rscales`` as
            R's ``svrepdesign(type=)`` does: ``"brr"`` :math:`1/R`; ``"fay"``
            :math:`1/(R(1-\rho)^2)`; ``"jk1"`` :math:`(R-1)/R`; ``"jkn"`` 1, with
            ``rscales`` required (:math:`(n_h - 1)/n_h` for the stratum of each
            replicate); ``"bootstrap"`` :math:`1/(R-1)`; ``"sdr"`` (successive difference)
            :math:`4/R`; ``"jk2"`` 1; ``"other"`` needs ``scale``.
        scale : float, optional
            Overall scale :math:`c`; refused for ``"brr"``, ``"fay"``, ``"sdr"`` and
            ``"jk2"``, whose scale is fixed.
        rscales : float or array_like, optional
            Replicate scales :math:`c_r`, one number or one per replicate (default 1).
            Finite-population corrections of a jackknife go here, as R's ``fpc=`` would put
            them: multiply each replicate's scale by :math:`1 - f_h`.
        rho : float, optional
            Fay's factor, required with ``"fay"``.
        combined_weights : bool, default True
            Whether the columns are the replicate weights themselves (True) or factors to
            multiply the full-sample weights by (False), as R's ``combined.weights``.
        mse : bool, default False
            Centre the replicates on the full-sample estimate instead of their mean.
        df : int, optional
            Degrees of freedom. By default the numerical rank of the replicate weights minus
            one, as R's ``degf``.

        Returns
        -------
        ReplicateDesign

        Raises
        ------
        ValueError
            For fewer than two replicate columns, a missing or infinite replicate weight,
            an unknown method, a missing ``rho`` or ``rscales`` where the method needs one,
            a ``scale`` the method fixes, and names the frame does not have.
        TypeError
            For a replicate-weight column that is not numeric.

        Notes
        -----
        The variance of an estimate :math:`\hat\theta` is
        :math:`c \sum_r c_r (\hat\theta_r - \bar\theta)^2` (see the module), with
        :math:`\hat\theta_r` the estimate under replicate weights :math:`r`. The design
        holds the replicate weights as factors of the full-sample weights in an
        ``n x R`` array (one copy of the columns); estimates of every domain come from one
        product of it with the domain sums of each row.

        References
        ----------
        .. [1] Lumley, T. (2010). *Complex Surveys*, section 2.5 (``svrepdesign``). Wiley.
        .. [2] Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed.,
           chapters 3-5. Springer.

        Examples
        --------
        A delete-one jackknife of four respondents, its weights in the file:

        >>> import pandas as pd
        >>> from vpt_monitor.stats import ReplicateDesign, mean
        >>> k = 4 / 3
        >>> frame = pd.DataFrame({
        ...     "w": [1.0, 1.0, 1.0, 1.0], "y": [1.0, 2.0, 4.0, 5.0],
        ...     "rep1": [0, k, k, k], "rep2": [k, 0, k, k],
        ...     "rep3": [k, k, 0, k], "rep4": [k, k, k, 0],
        ... })
        >>> design = ReplicateDesign.from_frame(
        ...     frame, weights="w", replicate_weights="rep", method="jk1"
        ... )
        >>> design
        ReplicateDesign(method='jk1', n=4, replicates=4, df=3, mse=False)
        >>> round(mean("y", design).standard_error, 6)  # the SRS standard error s / sqrt(n)
        0.912871
        """
        method = check_choice("method", method, replication.SUPPLIED_METHODS)
        base = SurveyDesign.from_frame(frame, weights=weights)
        assert base._frame is not None
        names = replication.replicate_columns(base._frame, replicate_weights, weights)
        matrix = np.empty((base.n, len(names)), dtype=np.float64)
        for r, name in enumerate(names):
            series = base._frame.column(name, "replicate_weights")
            values = _frames.numbers(series, "replicate_weights")
            what = _frames.describe("replicate_weights", series)
            bad = ~np.isfinite(values)
            if bad.any():
                if np.isnan(values[bad]).all():
                    raise ValueError(
                        _frames.missing_message(what, series, bad, "every row needs a weight")
                    )
                i = int(np.argmax(bad & ~np.isnan(values)))
                raise ValueError(
                    f"{what} must be finite; got {values[i].item()!r} at {_frames.row(series, i)}"
                )
            matrix[:, r] = values
        count = len(names)
        scale, rscales = replication.supplied_scales(method, count, scale, rscales, rho)
        analysis = matrix if combined_weights else matrix * base.weights[:, None]
        if df is None:
            df = replication.qr_rank(analysis.T @ analysis) - 1
        elif isinstance(df, bool) or not isinstance(df, int | np.integer) or df < 0:
            raise ValueError(f"'df' must be a whole number >= 0; got {df!r}")
        if combined_weights:
            matrix /= base.weights[:, None]
        return cls._make(base, method, matrix, scale, rscales, mse=mse, df=int(df))

    @classmethod
    def _make(
        cls,
        base: SurveyDesign,
        method: str,
        multipliers: FloatArray,
        scale: float,
        rscales: FloatArray,
        *,
        mse: bool,
        df: int,
    ) -> ReplicateDesign:
        """Build without copying ``multipliers`` (which the caller hands over)."""
        design = cls.__new__(cls)
        design.base = base
        design.method = method
        design.multipliers = read_only(multipliers, copy=False)
        design.scale = float(scale)
        design.rscales = read_only(rscales, np.float64)
        design.mse = bool(mse)
        design.df = int(df)
        return design

    def with_row_multipliers(
        self, base: SurveyDesign, multipliers: FloatArray, *, df: int | None = None
    ) -> ReplicateDesign:
        """Return the same replicates (method, scales) with other full-sample weights.

        ``base`` has every row as its own PSU and ``multipliers`` are ``n x R`` factors of
        its weights (calibrated, adjusted or trimmed replicate weights vary within PSUs).
        """
        return ReplicateDesign._make(
            base,
            self.method,
            multipliers,
            self.scale,
            self.rscales,
            mse=self.mse,
            df=self.df if df is None else df,
        )

    def subset(self, where: Where) -> ReplicateDesign:
        """Restrict estimation to some rows, as R's ``subset`` of a replicate design.

        Parameters
        ----------
        where : array_like of bool, str, callable or polars expression
            The rows to keep, as :meth:`SurveyDesign.subset` takes them.

        Returns
        -------
        ReplicateDesign
            The same replicates, with estimates that cover only the rows kept (the others
            count with weight zero in every replicate, which is what dropping them does to
            a replicate estimate). Its degrees of freedom are those R gives a subset of a
            replicate design: the numerical rank of the kept rows' replicate weights minus
            one.

        Examples
        --------
        >>> from vpt_monitor.stats import SurveyDesign, mean
        >>> design = SurveyDesign(weights=[1, 2, 1, 2, 3, 1], strata=[1, 1, 1, 2, 2, 2])
        >>> jk = design.replicate("jkn")
        >>> first = jk.subset([True, True, True, False, False, False])
        >>> first.df
        2
        >>> y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
        >>> mean(y, first).standard_error == mean(y, jk, by=[1, 1, 1, 2, 2, 2])[1].standard_error
        True
        """
        base = self.base.subset(where)
        keep = base.in_subset
        assert keep is not None
        # Gram matrix of the kept rows' replicate weights w_i m_{psu(i)}, PSU by PSU
        squares = np.bincount(
            base.psu[keep], weights=base.weights[keep] ** 2, minlength=base.n_psu
        ).astype(np.float64)
        used = np.flatnonzero(squares)
        rows = self.multipliers[used]
        gram = rows.T @ (rows * squares[used][:, None])
        return ReplicateDesign._make(
            base,
            self.method,
            self.multipliers,
            self.scale,
            self.rscales,
            mse=self.mse,
            df=replication.qr_rank(gram) - 1,
        )

    def __len__(self) -> int:
        return int(self.base.n)

    def __repr__(self) -> str:
        keep = self.base.in_subset
        subset = "" if keep is None else f", subset={int(keep.sum())}"
        return (
            f"ReplicateDesign(method={self.method!r}, n={self.n}, replicates={self.replicates}, "
            f"df={self.df}, mse={self.mse}{subset})"
        )


# ---- frames ---------------------------------------------------------------------------


def _check_name(role: str, name: object) -> None:
    try:
        hash(name)
    except TypeError:
        raise TypeError(
            f"'{role}' must be the name of a column of the frame; got "
            f"{type(name).__name__} (for arrays, use SurveyDesign({role}=...))"
        ) from None


def _column_numbers(source: Frame, role: str, name: Hashable) -> FloatArray:
    """Read a numeric design column as floats; refuse a missing value."""
    _check_name(role, name)
    series = source.column(name, role)
    values = _frames.numbers(series, role)
    what = _frames.describe(role, series)
    if values.dtype == np.bool_:
        raise TypeError(f"{what} is boolean; '{role}' needs numbers")
    result = values.astype(np.float64, copy=False)
    missing = np.isnan(result)
    if missing.any():
        raise ValueError(
            _frames.missing_message(what, series, missing, f"every row needs a '{role}' value")
        )
    return result


def _column_labels(source: Frame, role: str, name: Hashable) -> tuple[IntArray, NDArray[Any]]:
    """Codes ``0 .. k - 1`` of a design label column and its labels; no missing label."""
    _check_name(role, name)
    series = source.column(name, role)
    codes, labels = _frames.labels(series, role)
    missing = codes < 0
    if missing.any():
        raise ValueError(
            _frames.missing_message(
                _frames.describe(role, series), series, missing, "every row needs a label"
            )
        )
    codes, present = compact(codes, len(labels))
    return codes, labels[present]


def _subset_mask(where: Where, design: SurveyDesign) -> BoolArray:
    """Return the boolean mask ``where`` describes, checked against ``design``."""
    source = design._frame
    series: Any = None
    if isinstance(where, str):
        if source is None:
            raise TypeError(
                f"subset got the column name {where!r}, but the design was not made from a "
                "data frame; pass a boolean mask"
            )
        if where not in source:
            raise ValueError(
                source.unknown("where", where)
                + ". Text is only read as a column name (an expression in a string is not "
                "evaluated); pass a function such as lambda frame: frame['wave'] == 2016"
            )
        series = source.column(where, "where")
    elif _frames.is_polars_expression(where):
        if source is None or source.library != _frames.POLARS:
            raise TypeError("a polars expression needs a design made from a polars frame")
        series = source.select(where)
    elif callable(where):
        if source is None:
            raise TypeError(
                "subset got a function of the frame, but the design was not made from a "
                "data frame; pass a boolean mask"
            )
        where = where(source.snapshot())
    if series is None and _frames.series_library(where) is not None:
        series = where
    if series is not None:
        keep = _frames.mask(series, "where")
    else:
        keep = np.asarray(where)
        if keep.dtype != np.bool_:
            raise TypeError(
                f"the subset must be a boolean mask (True for the rows to keep); got an "
                f"array of dtype {keep.dtype}"
            )
    if keep.shape != (design.n,):
        raise ValueError(
            f"the subset has shape {keep.shape} but the design has {design.n} rows; give one "
            "value per row"
        )
    return np.array(keep, dtype=bool)
