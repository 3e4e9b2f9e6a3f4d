"""The monitor's data: respondents, incidents and organisations as read-only columns.

:class:`MonitorData` holds one numpy array per field; enums are stored as small integer codes
into the vocabularies (``tuple(Layer)``, ``tuple(Office)``, ...), yes/no answers as ``int8``
with ``-1`` for a missing answer, counts with ``-1`` where unanswered, and set-valued answers
as ``int8`` matrices with one column per vocabulary member. It builds the survey designs,
waves as independent samples. The indicators work on these arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt_monitor._frozen import FrozenMap
from vpt_monitor.attributes import Attribute
from vpt_monitor.data import columns, convert, frames
from vpt_monitor.data.cells import ArrayCells, prepare
from vpt_monitor.data.convert import Records
from vpt_monitor.records import Incident, Organisation, Respondent, Violation

if TYPE_CHECKING:  # the statistics engine (and scipy) is imported when a design is made
    from vpt_monitor.stats import SurveyDesign

__all__ = ["MonitorData"]


def _frozen(array: ArrayLike, copy: bool = True) -> NDArray[Any]:
    result = np.array(array, copy=True) if copy else np.asarray(array)
    result.setflags(write=False)
    return result


class Fresh(dict[str, Any]):
    """Columns made for the data alone (by the library's own parsing): kept without a copy."""


def _columns(values: Mapping[str, ArrayLike]) -> Mapping[str, NDArray[Any]]:
    """Read-only arrays in a read-only mapping (copies, unless the columns are fresh)."""
    copy = not isinstance(values, Fresh)
    return FrozenMap({k: _frozen(v, copy) for k, v in values.items()})


#: What the cached values of a MonitorData are derived from.
_TABLES_AND_ATTRIBUTES = frozenset(
    ("respondents", "incidents", "organisations", "violations", "attributes")
)


class MonitorData:
    """Respondents, incidents and organisations as read-only columns, with their designs.

    Build it with :meth:`from_records` or :meth:`from_columns`; get records back with
    :meth:`to_records`. Arrays are attributes of ``respondents`` and ``incidents`` (see
    ``MonitorData.RESPONDENT_COLUMNS`` and ``MonitorData.INCIDENT_COLUMNS``).

    Attributes
    ----------
    respondents : mapping of str to numpy.ndarray
        Read-only columns: ``id`` (str), ``wave`` (int), ``layer``, ``office`` and ``group``
        (codes into ``tuple(Layer)``, ``tuple(Office)``, ``tuple(Group)``), ``weight`` (the
        weights of :attr:`design`), ``stratum``, ``cluster``, ``fpc``, ``fpc2`` (absent when
        not given), ``victimisations`` (rows x forms counts, -1 not answered), ``channels``,
        ``consequences``, ``perceived_violations`` (rows x members, int8: 1 yes, 0 no, -1 not
        answered), ``aftercare`` and ``training`` (int8 the same way).
    incidents : mapping of str to numpy.ndarray
        ``respondent`` (row of the respondent), ``wave``, ``form``, ``channel`` (code, -1
        missing), ``reported_internally``, ``police_report``, ``registered``, ``aftercare``
        (int8 yes/no/missing), ``severity`` (0 missing) and ``consequences`` (int8 matrix).
    organisations : mapping of str to numpy.ndarray
        The organisation survey: ``id``, ``wave``, ``layer`` (code), ``employees``,
        ``measures`` (rows x ``tuple(Measure)``, int8: 1 in place, 0 not, -1 not answered),
        ``weight``, and ``stratum``, ``fpc`` when given.
    violations : mapping of str to numpy.ndarray
        Registered violations: ``organisation`` (row of the organisation), ``wave``, ``kind``
        (code into ``tuple(ViolationType)``) and ``status`` (code into
        ``tuple(ViolationStatus)``).
    lonely_psu : str
        Lonely-PSU policy of the designs.
    synthetic : bool
        Whether the data were simulated (:func:`vpt_monitor.synth.simulate`); every report
        on synthetic data says so.
    source : str
        Where the data came from (the files read, or the simulation's settings).
    supplied : frozenset of str
        The tables given (``"respondents"``, ``"incidents"``, and ``"organisations"``,
        ``"violations"`` when given): a table not given is not measured, never empty.

    Examples
    --------
    >>> from vpt_monitor import Incident, MonitorData, Respondent
    >>> data = MonitorData.from_records(
    ...     respondents=[Respondent("a", 2016, "gemeente", "burgemeester",
    ...                             victimisations={"verbaal": 2}),
    ...                  Respondent("b", 2016, "gemeente", "raadslid")],
    ...     incidents=[Incident("a", 2016, "verbaal", reported_internally=True)],
    ... )
    >>> data
    MonitorData(respondents=2, incidents=1, waves=(2016,))
    >>> data.respondents["victimisations"].tolist()  # b did not answer: -1
    [[2, 0, 0, 0, 0], [-1, -1, -1, -1, -1]]
    """

    __slots__ = (
        "_derived",
        "_design",
        "_organisation_design",
        "_waves",
        "attributes",
        "incidents",
        "lonely_psu",
        "organisations",
        "respondents",
        "source",
        "supplied",
        "synthetic",
        "violations",
    )

    RESPONDENT_COLUMNS = columns.RESPONDENT_COLUMNS
    INCIDENT_COLUMNS = (
        "respondent",
        "wave",
        "form",
        "channel",
        "reported_internally",
        "police_report",
        "registered",
        "severity",
        "aftercare",
        "consequences",
    )

    def __init__(
        self,
        respondents: Mapping[str, NDArray[Any]],
        incidents: Mapping[str, NDArray[Any]],
        organisations: Mapping[str, NDArray[Any]] | None = None,
        violations: Mapping[str, NDArray[Any]] | None = None,
        *,
        lonely_psu: str = "fail",
        design: SurveyDesign | None = None,
        organisation_design: SurveyDesign | None = None,
        synthetic: bool = False,
        source: str = "",
        supplied: Iterable[str] | None = None,
        attributes: Mapping[str, Attribute] | None = None,
    ) -> None:
        empty = columns.empty_tables()
        no_orgs, no_violations = empty.organisations, empty.violations
        if design is not None:  # one source of weights: the design's
            respondents = {**respondents, "weight": design.weights}
        if organisation_design is not None and organisations is not None:
            organisations = {**organisations, "weight": organisation_design.weights}
        self.respondents = _columns(respondents)
        self.incidents = _columns(incidents)
        self.organisations = _columns(organisations or no_orgs)
        self.violations = _columns(violations or no_violations)
        self.lonely_psu = lonely_psu
        self.synthetic = bool(synthetic)
        self.source = str(source)
        self.supplied = (
            columns.supplied_tables(organisations is not None, violations is not None)
            if supplied is None
            else frozenset(supplied)
        )
        self.attributes: Mapping[str, Attribute] = FrozenMap(dict(attributes or {}))
        for name in self.attributes:
            if name not in self.respondents:
                raise ValueError(f"attribute {name!r} has no column in 'respondents'")
        self._design = design
        self._organisation_design = organisation_design
        self._waves: tuple[int, ...] | None = None  # found once: the columns are read-only
        self._derived: dict[Hashable, Any] = {}  # the same, for the indicators' codes
        if design is not None and design.n != len(self):
            raise ValueError(
                f"'design' has {design.n} rows but the data has {len(self)} respondents"
            )

    def __setattr__(self, name: str, value: Any) -> None:
        """Set an attribute; a table or the attributes set anew forget what was derived."""
        object.__setattr__(self, name, value)
        if name in _TABLES_AND_ATTRIBUTES and hasattr(self, "_derived"):
            object.__setattr__(self, "_derived", {})
            object.__setattr__(self, "_waves", None)

    def __getstate__(self) -> dict[str, Any]:
        """Return the state that pickles: the columns and settings, not the caches."""
        state = {name: getattr(self, name) for name in self.__slots__}
        state["_derived"] = {}
        state["_waves"] = None
        return state

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        """Restore a pickled copy, its columns read-only again (pickle makes them writable)."""
        for name, value in state.items():
            setattr(self, name, value)
        for table in (self.respondents, self.incidents, self.organisations, self.violations):
            for array in table.values():
                array.setflags(write=False)

    # ---- construction ----------------------------------------------------------------

    @classmethod
    def from_records(
        cls,
        respondents: Iterable[Respondent],
        incidents: Iterable[Incident] = (),
        organisations: Iterable[Organisation] | None = None,
        violations: Iterable[Violation] | None = None,
        *,
        lonely_psu: str = "fail",
        attributes: Iterable[Attribute | str] | None = None,
    ) -> MonitorData:
        """Build the columns from records, checking what no single record can.

        Parameters
        ----------
        respondents : iterable of Respondent
            The respondents; identifiers unique within a wave (a respondent is a pair
            (wave, id): agencies number respondents afresh in each wave).
        incidents : iterable of Incident
            Incidents; each belongs to the respondent of its ``respondent_id`` in its
            ``wave``, who must not have answered 0 incidents of its form.
        organisations : iterable of Organisation
            The organisation survey; identifiers unique within a wave.
        violations : iterable of Violation
            Registered violations; each must belong to an organisation of the same wave.
        lonely_psu : str, default "fail"
            Lonely-PSU policy of the design (see :class:`~vpt_monitor.stats.SurveyDesign`).
        attributes : iterable of Attribute or str, optional
            Declarations of the respondents' attributes other than the built-in ones (see
            :mod:`vpt_monitor.attributes`); a name alone declares a category whose codes are
            those found. An attribute a record uses but nobody declared is a problem.

        Raises
        ------
        MonitorDataError
            Listing every identifier used twice in a wave, incident of an unknown
            respondent (no respondent of its id in its wave), incident of a form its
            respondent answered 0 incidents of, and design field given for some
            respondents but not others (up to 20 in the message; all in ``problems``).
        TypeError
            For an element that is not a record.
        """
        tables = convert.from_records(respondents, incidents, organisations, violations, attributes)
        return cls(
            *(Fresh(table) for table in tables[:4]),
            lonely_psu=lonely_psu,
            supplied=tables.supplied,
            attributes=tables.attributes,
        )

    @classmethod
    def from_columns(
        cls,
        respondents: Mapping[str, ArrayLike] | Any,
        incidents: Mapping[str, ArrayLike] | Any | None = None,
        organisations: Mapping[str, ArrayLike] | Any | None = None,
        violations: Mapping[str, ArrayLike] | Any | None = None,
        *,
        lonely_psu: str = "fail",
        attributes: Iterable[Attribute | str] | None = None,
    ) -> MonitorData:
        """Build the data from columns (a mapping of arrays or a DataFrame), row checks vectorised.

        A table is a mapping of column names to arrays (numpy, pandas, polars or Arrow), a
        pandas or polars DataFrame, or an Arrow table.

        Parameters
        ----------
        respondents : mapping or DataFrame
            Columns ``id`` (unique within a wave), ``wave``, ``layer``, ``office`` (Dutch
            codes) and optionally ``weight``, ``stratum``, ``cluster``, ``fpc``, ``fpc2``,
            ``aftercare``, ``training``; one count column per form named ``incidents:<code>``
            (``incidents:verbaal``); and 0/1 columns ``channel:<code>``,
            ``consequence:<code>``, ``violation:<code>``. An empty cell (NaN or None) is an
            unanswered question; a column that is not there is a question that was not
            asked (not measured), never "no".
        incidents : mapping or DataFrame, optional
            Columns ``respondent_id``, ``wave``, ``form`` and optionally ``channel``,
            ``reported_internally``, ``police_report``, ``registered``, ``severity``,
            ``aftercare`` and ``consequence:<code>``. An incident belongs to the
            respondent with its id in its wave; one of a form its respondent answered 0
            incidents of is refused.
        organisations : mapping or DataFrame, optional
            Columns ``id``, ``wave``, ``layer``, ``employees`` and optionally ``weight``,
            ``stratum``, ``fpc`` and 0/1 columns ``measure:<code>``.
        violations : mapping or DataFrame, optional
            Columns ``organisation_id``, ``wave``, ``kind`` and optionally ``status``.
        lonely_psu : str, default "fail"
            Lonely-PSU policy of the design.
        attributes : iterable of Attribute or str, optional
            Declarations of attribute columns other than the built-in ``gender``,
            ``age_band``, ``province``, ``municipality_size`` and ``contact``: a column named
            as an attribute holds its values (codes of a category, numbers, yes/no), an empty
            cell being unknown.

        Raises
        ------
        MonitorDataError
            Listing every bad row (row number, column, value, reason), up to 20 in the
            message. Nothing is built when any row is bad.

        Examples
        --------
        >>> from vpt_monitor import MonitorData
        >>> data = MonitorData.from_columns({
        ...     "id": ["a", "b", "c"], "wave": [2016, 2016, 2016],
        ...     "layer": ["gemeente", "provincie", "rijk"],
        ...     "office": ["wethouder", "statenlid", "ambtenaar"],
        ...     "incidents:verbaal": [1, 0, 4],
        ... })
        >>> len(data), data.respondents["victimisations"][:, 0].tolist()
        (3, [1, 0, 4])
        """
        tables = columns.build(respondents, incidents, organisations, violations, attributes)
        return cls(
            *(Fresh(table) for table in tables[:4]),
            lonely_psu=lonely_psu,
            supplied=tables.supplied,
            attributes=tables.attributes,
        )

    # ---- views ---------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.respondents["wave"].shape[0])

    @property
    def n_incidents(self) -> int:
        """Number of incident records."""
        return int(self.incidents["wave"].shape[0])

    @property
    def waves(self) -> tuple[int, ...]:
        """Waves present, in order."""
        if self._waves is None:  # every indicator asks; a sort of a million rows each time
            self._waves = tuple(int(w) for w in np.unique(self.respondents["wave"]))
        return self._waves

    def _derived_value(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """Return ``make()``, made once per ``key``: a value derived from the read-only columns.

        The indicators ask for the same codes (each row's wave and group, ...) many times
        over the same data; an array made here is read-only, like the columns.
        """
        if key not in self._derived:
            value = make()
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
            self._derived[key] = value
        return self._derived[key]

    @property
    def design(self) -> SurveyDesign:
        """The survey design of the respondents, waves as independent samples.

        Strata are the pairs (wave, stratum), clusters the pairs (wave, cluster), so labels
        reused across waves never pool two waves into one stratum; the fpc applies per wave
        and stratum. With ``fpc2`` the design has two stages, people sampled within their
        cluster (each respondent a second-stage unit), as R's
        ``svydesign(ids=~cluster+id, strata=~interaction(wave, stratum), fpc=~fpc+fpc2)``.
        Without a stratum the waves are the strata; without a cluster every respondent is
        a first-stage unit.
        """
        if self._design is None:
            self._design = _wave_design(self.respondents, self.lonely_psu, "respondents")
        return self._design

    @property
    def organisation_design(self) -> SurveyDesign:
        """The design of the organisation survey: strata (wave, stratum), fpc per wave."""
        if self._organisation_design is None:
            o = self.organisations
            if o["wave"].shape[0] == 0:
                raise ValueError("the data has no organisations; add them to use policy indicators")
            self._organisation_design = _wave_design(o, self.lonely_psu, "organisations")
        return self._organisation_design

    @property
    def organisation_waves(self) -> tuple[int, ...]:
        """Waves of the organisation survey, in order."""
        return tuple(int(w) for w in np.unique(self.organisations["wave"]))

    def with_design(
        self, design: SurveyDesign | None = None, *, organisations: SurveyDesign | None = None
    ) -> MonitorData:
        """Return the same data with other designs (for example calibrated ones).

        The design's weights become the data's ``weight`` column, so that everything that
        reads weights (the p98 cap of :func:`~vpt_monitor.incidence`,
        :func:`~vpt_monitor.cronbach_alpha`, :meth:`to_records`) uses the calibrated ones.

        Parameters
        ----------
        design : SurveyDesign, optional
            Design of the respondents (one row per respondent).
        organisations : SurveyDesign, optional
            Design of the organisation survey.
        """
        respondents = dict(self.respondents)
        organisation_columns = dict(self.organisations)
        if design is not None:
            respondents["weight"] = design.weights  # one source of weights: the design
        if organisations is not None:
            if organisations.n != organisation_columns["wave"].shape[0]:
                raise ValueError("the organisation design does not have one row per organisation")
            organisation_columns["weight"] = organisations.weights
        new = MonitorData(
            respondents,
            self.incidents,
            organisation_columns,
            self.violations,
            lonely_psu=self.lonely_psu,
            design=design if design is not None else self._design,
            organisation_design=(
                organisations if organisations is not None else self._organisation_design
            ),
            synthetic=self.synthetic,
            source=self.source,
            supplied=self.supplied,
            attributes=self.attributes,
        )
        return new

    def weight(
        self,
        population: Any,
        *,
        wave: int | None = None,
        method: str = "raking",
        bounds: tuple[float, float] | None = None,
        max_iter: int = 50,
        tol: float = 1e-7,
        codebook: Any = None,
    ) -> Any:
        r"""Calibrate one wave's respondent weights to population counts.

        Parameters
        ----------
        population : str, pathlib.Path or DataFrame
            A CSV file (``,`` or ``;`` separated, UTF-8) or a pandas frame with columns
            ``variable``, ``category`` and ``count``: one line per category of ``layer``,
            ``office``, ``group`` or a declared respondent attribute (a category or
            yes/no), with its number of people in the population. Each variable is a margin;
            all margins must add up to the same population. See the user guide, "Weighting a
            new wave".
        wave : int, optional
            The wave to weight; required when the data hold several.
        method : {"raking", "linear", "logit"}, default "raking"
            The calibration (see :func:`vpt_monitor.stats.calibrate`).
        bounds : tuple (L, U), optional
            Bounds on the g-weights (required for ``"logit"``).
        max_iter, tol
            As :func:`~vpt_monitor.stats.calibrate`.
        codebook : vpt_monitor.io.Codebook, str or pathlib.Path, optional
            The codebook the data were read with (or its path): the population counts may then name
            variables and categories as the respondents file does (its
            ``[respondents.columns]`` and ``[respondents.codes]``), as well as by the
            library's names and codes. The command ``vpt-monitor weight`` passes the
            codebook of ``--data`` or ``--codebook``.

        Returns
        -------
        vpt_monitor.weighting.Weighting
            ``.data``: the data with the wave's new weights (the other waves unchanged),
            whose design carries the calibration so that standard errors account for it;
            ``.before`` and ``.after``: :class:`~vpt_monitor.stats.WeightDiagnostics` of
            the wave; ``.margins``: population, weighted count before and after, per line.

        Raises
        ------
        vpt_monitor.weighting.PopulationError
            For an unknown variable or category (with a close match), a negative or
            non-numeric count, a category given twice, a category with respondents but no
            count or with a count but no respondents, respondents without a value, and
            margins whose totals disagree: every problem at once, each with file and line.
        ValueError
            For bounds that cannot be met (naming the category), non-convergence, a wave
            not in the data, or a wave weighted already.

        Notes
        -----
        The calibration is :func:`vpt_monitor.stats.calibrate` on the wave's rows of
        :attr:`design`, with one indicator variable per population line; its residual
        variance applies to that wave only. The wave's weights are first scaled to add up
        to the population, so ``bounds`` are on the g-weights relative to weights of the
        population's size. Weighting another wave afterwards adds its own
        calibration; weighting a wave twice is refused (weight the data as read).

        Examples
        --------
        >>> import pandas as pd
        >>> from vpt_monitor import MonitorData
        >>> data = MonitorData.from_columns({
        ...     "id": ["a", "b", "c", "d"], "wave": [2024] * 4,
        ...     "layer": ["gemeente"] * 4,
        ...     "office": ["burgemeester", "wethouder", "wethouder", "raadslid"]})
        >>> counts = pd.DataFrame({
        ...     "variable": ["office"] * 3,
        ...     "category": ["burgemeester", "wethouder", "raadslid"],
        ...     "count": [342, 1400, 8500]})
        >>> weighted = data.weight(counts)
        >>> weighted.data.respondents["weight"].tolist()
        [342.0, 700.0, 700.0, 8500.0]
        """
        from vpt_monitor.weighting import weight

        return weight(
            self,
            population,
            wave=wave,
            method=method,
            bounds=bounds,
            max_iter=max_iter,
            tol=tol,
            codebook=codebook,
        )

    def to_records(self) -> Records:
        """Return all records again (the inverse of :meth:`from_records`)."""
        return convert.to_records(
            self.respondents, self.incidents, self.organisations, self.violations, self.attributes
        )

    def to_pandas(self, table: str = "respondents", *, labels: str | None = None) -> Any:
        """Return a table as a :class:`pandas.DataFrame` (needs pandas).

        Parameters
        ----------
        table : {"respondents", "incidents", "organisations", "violations"}
            Which table.
        labels : {None, "en", "nl"}, default None
            Write categories as the Dutch codes (None: the frame goes back into
            :meth:`from_columns` unchanged) or as labels in English or Dutch.

        Returns
        -------
        pandas.DataFrame
            Columns named as :meth:`from_columns` reads them; codes as categoricals in the
            vocabulary's order; counts and whole numbers as nullable integers and yes/no
            answers as nullable booleans, a missing answer being ``<NA>``.

        Examples
        --------
        >>> from vpt_monitor import MonitorData, Respondent
        >>> data = MonitorData.from_records([
        ...     Respondent("a", 2016, "gemeente", "burgemeester", victimisations={"verbaal": 2},
        ...                attributes={"gender": "v"}),
        ...     Respondent("b", 2016, "gemeente", "raadslid")])
        >>> frame = data.to_pandas(labels="en")
        >>> frame[["office", "incidents:verbaal", "gender"]]
                         office  incidents:verbaal  gender
        0                 mayor                  2   women
        1  municipal councillor               <NA>     NaN
        >>> again = MonitorData.from_columns(data.to_pandas())
        >>> again.respondents["victimisations"][:, 0].tolist()
        [2, -1]
        """
        if table not in frames.TABLES:
            raise ValueError(f"'table' must be one of {', '.join(frames.TABLES)}; got {table!r}")
        if labels not in frames.LANGUAGES:
            raise ValueError(f"'labels' must be None, 'en' or 'nl'; got {labels!r}")
        if table == "respondents":
            return frames.respondents(self.respondents, self.attributes, labels)
        if table == "incidents":
            return frames.incidents(self.incidents, self.respondents["id"], labels)
        if table == "organisations":
            return frames.organisations(self.organisations, labels)
        return frames.violations(self.violations, self.organisations["id"], labels)

    def __repr__(self) -> str:
        orgs = self.organisations["wave"].shape[0]
        extra = (
            f", organisations={orgs}, violations={self.violations['wave'].shape[0]}" if orgs else ""
        )
        return (
            f"MonitorData(respondents={len(self)}, incidents={self.n_incidents}, "
            f"waves={self.waves}{extra})"
        )


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _texts(labels: NDArray[Any]) -> NDArray[np.str_]:
    """``str`` of every label (numpy scalars as their Python values), as a text array."""
    if labels.dtype.kind == "f":  # 2.0 shown as Python shows it, whatever numpy's precision
        return np.array([str(label) for label in labels.tolist()], dtype=str)
    return np.asarray(labels.astype(str))  # str() of each, in C


def _label_codes(values: NDArray[Any]) -> tuple[NDArray[np.intp], NDArray[Any]] | None:
    """Codes of design labels that are all text or all numbers, without a missing one.

    Each distinct label is found once (by hashing, not one by one); anything else (a label
    missing, text mixed with numbers) is left to the design, which names the problem.
    """
    cells = prepare(values, "labels")
    if not isinstance(cells, ArrayCells) or cells.flavour not in ("text", "number"):
        return None
    if cells.values.dtype.kind == "O" and cells.flavour == "number":
        return None  # 1 and 1.0 in one column: the design decides how they are shown
    codes, distinct = cells.encoded()  # a missing label is coded -1
    if codes.size and int(codes.min()) < 0:
        return None
    return codes, distinct


def design_labels(
    columns: Mapping[str, NDArray[Any]],
) -> tuple[tuple[NDArray[np.intp], NDArray[Any]], tuple[NDArray[np.intp], NDArray[Any]] | None]:
    """Return the coded strata and clusters of a table whose waves are independent samples.

    Strata and clusters are labelled ``"wave/label"``, so that a label reused in another
    wave is another stratum (or cluster) and error messages name both; without a stratum
    the waves are the strata. Each is returned as ``(codes, labels)``: the labels sorted as
    :func:`vpt_monitor.stats.design.factorize` sorts them and the codes pointing into them,
    so that the design is built without writing (and sorting) a text label per row. Each
    distinct (wave, label) pair is named once.
    """
    from vpt_monitor.stats._labels import compact
    from vpt_monitor.stats.design import factorize

    wave = columns["wave"]
    n = wave.shape[0]
    wave_codes, wave_labels = factorize("wave", wave, n)

    def crossed(name: str) -> tuple[NDArray[np.intp], NDArray[Any]] | None:
        if name not in columns:
            return None
        values = columns[name]
        quick = _label_codes(values) if values.ndim == 1 and values.shape[0] == n else None
        codes, labels = quick if quick is not None else factorize(name, values, n)
        waves = np.array([str(_plain(w)) for w in wave_labels], dtype=str)
        names = _texts(labels)
        if len({len(w) for w in waves.tolist()}) > 1:  # waves of unequal length: sort texts
            pair = wave_codes.astype(np.intp) * max(len(labels), 1) + codes
            present, inverse = np.unique(pair, return_inverse=True)
            text = np.char.add(
                np.char.add(waves[present // max(len(labels), 1)], "/"),
                names[present % max(len(labels), 1)],
            )
            named, rank = np.unique(text, return_inverse=True)
            return rank.reshape(-1)[inverse.reshape(-1)].astype(np.intp), named.astype(object)
        # With waves written in equal lengths, "wave/label" sorts as (wave, label): sort the
        # distinct labels once, merge those with the same text (1 and "1" in one column are
        # one label, as in R), and number the (wave, label) pairs in that order by a bincount
        order = np.argsort(names, kind="stable")
        ordered = names[order]
        new = np.ones(ordered.size, dtype=bool)
        new[1:] = ordered[1:] != ordered[:-1]
        merged = np.empty(ordered.size, dtype=np.intp)
        merged[order] = np.cumsum(new) - 1
        texts = ordered[new]
        size = max(texts.size, 1)
        wave_order = np.argsort(waves, kind="stable")
        wave_rank = np.empty(wave_order.size, dtype=np.intp)
        wave_rank[wave_order] = np.arange(wave_order.size)
        pair = wave_rank[wave_codes] * size + merged[codes]
        span = waves.size * size
        if span <= max(4 * n, 1 << 16):
            inverse, present = compact(pair, span)
        else:
            present, inverse = np.unique(pair, return_inverse=True)
        text = np.char.add(
            np.char.add(waves[wave_order][present // size], "/"), texts[present % size]
        )
        return inverse.reshape(-1).astype(np.intp, copy=False), text.astype(object)

    strata = crossed("stratum")
    return (
        (wave_codes, wave_labels) if strata is None else strata,
        crossed("cluster"),
    )


def _wave_design(columns: Mapping[str, NDArray[Any]], lonely_psu: str, table: str) -> SurveyDesign:
    """Build the design of a table whose waves are independent samples (see design_labels)."""
    from vpt_monitor.stats import SurveyDesign

    strata, clusters = design_labels(columns)
    try:
        return SurveyDesign._from_codes(
            columns["weight"],
            strata,
            clusters,
            fpc=columns.get("fpc"),
            fpc2=columns.get("fpc2"),
            lonely_psu=lonely_psu,
        )
    except ValueError as error:
        raise ValueError(
            f"{error} (in the {table}' design; waves are independent samples, so strata and "
            "clusters are named wave/label)"
        ) from None
