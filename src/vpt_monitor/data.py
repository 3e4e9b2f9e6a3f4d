"""Columnar, read-only monitor data: respondents, their incidents, and the survey design.

:class:`MonitorData` holds one numpy array per field; enums are stored as small integer codes
into the vocabularies (``tuple(Layer)``, ``tuple(Office)``, ...), yes/no answers as ``int8``
with ``-1`` for a missing answer, and sets (channels, consequences, violations) as boolean
matrices with one column per vocabulary member. The indicators work on these arrays.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt_monitor import _organisations
from vpt_monitor._answers import (
    MISSING,
    answer_matrix,
    answers_of,
    count_matrix,
    counts_of,
    from_yes_no,
    yes_no,
)
from vpt_monitor.records import (
    WAVE_RANGE,
    Incident,
    Organisation,
    Respondent,
    Violation,
    check_records,
)
from vpt_monitor.stats import SurveyDesign
from vpt_monitor.stats.design import factorize, show
from vpt_monitor.vocab import Channel, Consequence, Form, Group, Layer, Office, ViolationType

__all__ = ["MonitorData", "MonitorDataError", "Records"]

LAYERS = tuple(Layer)
OFFICES = tuple(Office)
FORMS = tuple(Form)
CHANNELS = tuple(Channel)
CONSEQUENCES = tuple(Consequence)
VIOLATIONS = tuple(ViolationType)
GROUPS = tuple(Group)

#: Most problems shown in the message of one error (``problems`` keeps all of them).
ERROR_LIMIT = 20
#: Largest number of incidents of one form that one respondent can report for a year: a count
#: above it is refused as a data error (a code such as 99999 for "unknown", or a corrupt cell).
MAX_INCIDENTS = 100_000
#: Largest number of employees of one organisation (the whole Rijk has about 130,000).
MAX_EMPLOYEES = 1_000_000
#: Longest value shown in a problem; longer values are cut with "...".
SHOWN_LENGTH = 60

_OFFICE_IN_LAYER = np.array(
    [[layer in office.layers for layer in LAYERS] for office in OFFICES], dtype=bool
)
_OFFICE_GROUP = np.array([GROUPS.index(office.group) for office in OFFICES], dtype=np.int8)

_SETS: dict[str, tuple[StrEnum, ...]] = {
    "channel": CHANNELS,
    "consequence": CONSEQUENCES,
    "violation": VIOLATIONS,
}


class MonitorDataError(ValueError):
    """Bad input for :class:`MonitorData`; ``problems`` lists every one found.

    Attributes
    ----------
    problems : list of str
        One line per problem: table (or file), row (or line), column, value and reason.
    total : int
        Number of problems found; ``problems`` holds all of them, the message the first 20
        and the count of the others.

    Examples
    --------
    >>> from vpt_monitor import MonitorData, MonitorDataError
    >>> try:
    ...     MonitorData.from_columns({"id": ["a", "a"], "wave": [2016, 1990],
    ...                               "layer": ["rijk", "rijk"], "office": ["ambtenaar"] * 2})
    ... except MonitorDataError as error:
    ...     print(error.total, error.problems[0])
    3 respondents row 0: id='a': duplicate id
    """

    def __init__(self, what: str, problems: Sequence[str], total: int | None = None) -> None:
        self.problems = list(problems)
        count = len(self.problems) if total is None else total
        self.total = count
        shown = "\n  ".join(self.problems[:ERROR_LIMIT])
        more = f"\n  ... and {count - ERROR_LIMIT} more" if count > ERROR_LIMIT else ""
        super().__init__(f"{what}: {count} problem(s)\n  {shown}{more}")


def _frozen(array: ArrayLike) -> NDArray[Any]:
    result = np.array(array, copy=True)
    result.setflags(write=False)
    return result


def _columns(columns: Mapping[str, ArrayLike]) -> Mapping[str, NDArray[Any]]:
    """Read-only arrays in a read-only mapping."""
    return MappingProxyType({k: _frozen(v) for k, v in columns.items()})


class Records(NamedTuple):
    """The records of a :class:`MonitorData`, as :meth:`MonitorData.to_records` gives them."""

    respondents: list[Respondent]
    incidents: list[Incident]
    organisations: list[Organisation]
    violations: list[Violation]


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
        "_design",
        "_organisation_design",
        "incidents",
        "lonely_psu",
        "organisations",
        "respondents",
        "source",
        "supplied",
        "synthetic",
        "violations",
    )

    RESPONDENT_COLUMNS = (
        "id",
        "wave",
        "layer",
        "office",
        "group",
        "weight",
        "stratum",
        "cluster",
        "fpc",
        "fpc2",
        "victimisations",
        "channels",
        "consequences",
        "perceived_violations",
        "aftercare",
        "training",
    )
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
    ) -> None:
        no_orgs, no_violations = _organisations.empty()
        self.respondents = _columns(respondents)
        self.incidents = _columns(incidents)
        self.organisations = _columns(organisations or no_orgs)
        self.violations = _columns(violations or no_violations)
        self.lonely_psu = lonely_psu
        self.synthetic = bool(synthetic)
        self.source = str(source)
        self.supplied = (
            _supplied(organisations is not None, violations is not None)
            if supplied is None
            else frozenset(supplied)
        )
        self._design = design
        self._organisation_design = organisation_design
        if design is not None and design.n != len(self):
            raise ValueError(
                f"'design' has {design.n} rows but the data has {len(self)} respondents"
            )

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
    ) -> MonitorData:
        """Build the columns from records, checking what no single record can.

        Parameters
        ----------
        respondents : iterable of Respondent
            The respondents; identifiers must be unique.
        incidents : iterable of Incident
            Incidents; each must belong to a respondent of the same wave.
        organisations : iterable of Organisation
            The organisation survey; identifiers unique within a wave.
        violations : iterable of Violation
            Registered violations; each must belong to an organisation of the same wave.
        lonely_psu : str, default "fail"
            Lonely-PSU policy of the design (see :class:`~vpt_monitor.stats.SurveyDesign`).

        Raises
        ------
        MonitorDataError
            Listing every duplicate identifier, incident of an unknown respondent, incident
            whose wave differs from its respondent's, and design field given for some
            respondents but not others (up to 20 in the message; all in ``problems``).
        TypeError
            For an element that is not a record.
        """
        people = check_records(respondents, Respondent, "respondents")
        events = check_records(incidents, Incident, "incidents")
        problems: list[str] = []
        position: dict[str, int] = {}
        for i, r in enumerate(people):
            if r.id in position:
                problems.append(
                    f"respondents[{i}]: id {r.id!r} is used already by "
                    f"respondents[{position[r.id]}]"
                )
            else:
                position[r.id] = i
        for field in ("stratum", "cluster", "fpc", "fpc2"):
            given = [getattr(r, field) is not None for r in people]
            if any(given) and not all(given):
                missing = [people[i].id for i, g in enumerate(given) if not g]
                problems.append(
                    f"{field}: given for some respondents but not for {len(missing)} others "
                    f"(e.g. {missing[0]!r}); give it for all or none"
                )
        index = np.empty(len(events), dtype=np.intp)
        for j, e in enumerate(events):
            found = position.get(e.respondent_id)
            if found is None:
                problems.append(f"incidents[{j}]: respondent_id {e.respondent_id!r} is unknown")
                continue
            if people[found].wave != e.wave:
                problems.append(
                    f"incidents[{j}]: wave {e.wave} differs from respondent "
                    f"{e.respondent_id!r}'s wave {people[found].wave}"
                )
            index[j] = found
        orgs, viols = _organisations.from_records(
            check_records(organisations or (), Organisation, "organisations"),
            check_records(violations or (), Violation, "violations"),
            problems,
        )
        if problems:
            raise MonitorDataError("MonitorData.from_records", problems)

        resp: dict[str, Any] = {
            "id": np.array([r.id for r in people], dtype=object),
            "wave": np.array([r.wave for r in people], dtype=np.int64),
            "layer": np.array([LAYERS.index(r.layer) for r in people], dtype=np.int8),
            "office": np.array([OFFICES.index(r.office) for r in people], dtype=np.int8),
            "weight": np.array([r.weight for r in people], dtype=np.float64),
            "victimisations": count_matrix([r.victimisations for r in people], FORMS),
            "channels": answer_matrix([r.channels for r in people], CHANNELS),
            "consequences": answer_matrix([r.consequences for r in people], CONSEQUENCES),
            "perceived_violations": answer_matrix(
                [r.perceived_violations for r in people], VIOLATIONS
            ),
            "aftercare": yes_no(r.aftercare for r in people),
            "training": yes_no(r.training for r in people),
        }
        resp["group"] = _OFFICE_GROUP[resp["office"]]
        for field in ("stratum", "cluster"):
            if people and getattr(people[0], field) is not None:
                resp[field] = np.array([getattr(r, field) for r in people], dtype=object)
        for field in ("fpc", "fpc2"):
            if people and getattr(people[0], field) is not None:
                resp[field] = np.array([getattr(r, field) for r in people], dtype=np.float64)
        inc: dict[str, Any] = {
            "respondent": index,
            "wave": np.array([e.wave for e in events], dtype=np.int64),
            "form": np.array([FORMS.index(e.form) for e in events], dtype=np.int8),
            "channel": np.array(
                [-1 if e.channel is None else CHANNELS.index(e.channel) for e in events],
                dtype=np.int8,
            ),
            "reported_internally": yes_no(e.reported_internally for e in events),
            "police_report": yes_no(e.police_report for e in events),
            "registered": yes_no(e.registered for e in events),
            "severity": np.array([e.severity or 0 for e in events], dtype=np.int8),
            "aftercare": yes_no(e.aftercare for e in events),
            "consequences": answer_matrix([e.consequences for e in events], CONSEQUENCES),
        }
        return cls(
            resp,
            inc,
            orgs,
            viols,
            lonely_psu=lonely_psu,
            supplied=_supplied(organisations is not None, violations is not None),
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
    ) -> MonitorData:
        """Build the data from columns (a mapping of arrays or a DataFrame), row checks vectorised.

        Parameters
        ----------
        respondents : mapping or pandas.DataFrame
            Columns ``id``, ``wave``, ``layer``, ``office`` (Dutch codes) and optionally
            ``weight``, ``stratum``, ``cluster``, ``fpc``, ``fpc2``, ``aftercare``,
            ``training``; one count column per form named ``incidents:<code>``
            (``incidents:verbaal``); and 0/1 columns ``channel:<code>``,
            ``consequence:<code>``, ``violation:<code>``. An empty cell (NaN or None) is an
            unanswered question; a column that is not there is a question that was not
            asked (not measured), never "no".
        incidents : mapping or pandas.DataFrame, optional
            Columns ``respondent_id``, ``wave``, ``form`` and optionally ``channel``,
            ``reported_internally``, ``police_report``, ``registered``, ``severity``,
            ``aftercare`` and ``consequence:<code>``.
        organisations : mapping or pandas.DataFrame, optional
            Columns ``id``, ``wave``, ``layer``, ``employees`` and optionally ``weight``,
            ``stratum``, ``fpc`` and 0/1 columns ``measure:<code>``.
        violations : mapping or pandas.DataFrame, optional
            Columns ``organisation_id``, ``wave``, ``kind`` and optionally ``status``.
        lonely_psu : str, default "fail"
            Lonely-PSU policy of the design.

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
        return _build_from_columns(
            cls, respondents, incidents, organisations, violations, lonely_psu
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
        return tuple(int(w) for w in np.unique(self.respondents["wave"]))

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
        )
        return new

    def to_records(self) -> Records:
        """Return all records again (the inverse of :meth:`from_records`)."""
        r = self.respondents
        people = []
        for i in range(len(self)):
            people.append(
                Respondent(
                    str(r["id"][i]),
                    int(r["wave"][i]),
                    LAYERS[r["layer"][i]],
                    OFFICES[r["office"][i]],
                    weight=float(r["weight"][i]),
                    stratum=_plain(r["stratum"][i]) if "stratum" in r else None,
                    cluster=_plain(r["cluster"][i]) if "cluster" in r else None,
                    fpc=float(r["fpc"][i]) if "fpc" in r else None,
                    fpc2=float(r["fpc2"][i]) if "fpc2" in r else None,
                    victimisations=counts_of(r["victimisations"][i], FORMS),
                    channels=answers_of(r["channels"][i], CHANNELS),
                    consequences=answers_of(r["consequences"][i], CONSEQUENCES),
                    perceived_violations=answers_of(r["perceived_violations"][i], VIOLATIONS),
                    aftercare=from_yes_no(r["aftercare"][i]),
                    training=from_yes_no(r["training"][i]),
                )
            )
        e = self.incidents
        events = []
        for j in range(self.n_incidents):
            events.append(
                Incident(
                    str(r["id"][e["respondent"][j]]),
                    int(e["wave"][j]),
                    FORMS[e["form"][j]],
                    channel=None if e["channel"][j] < 0 else CHANNELS[e["channel"][j]],
                    reported_internally=from_yes_no(e["reported_internally"][j]),
                    police_report=from_yes_no(e["police_report"][j]),
                    registered=from_yes_no(e["registered"][j]),
                    severity=int(e["severity"][j]) or None,
                    aftercare=from_yes_no(e["aftercare"][j]),
                    consequences=answers_of(e["consequences"][j], CONSEQUENCES),
                )
            )
        organisations, violations = _organisations.to_records(self.organisations, self.violations)
        return Records(people, events, organisations, violations)

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


def _wave_design(columns: Mapping[str, NDArray[Any]], lonely_psu: str, table: str) -> SurveyDesign:
    """Build the design of a table whose waves are independent samples.

    Strata and clusters are labelled ``"wave/label"``, so that a label reused in another
    wave is another stratum (or cluster) and error messages name both.
    """
    wave = columns["wave"]
    n = wave.shape[0]
    wave_codes, wave_labels = factorize("wave", wave, n)

    def crossed(name: str) -> NDArray[Any] | None:
        if name not in columns:
            return None
        codes, labels = factorize(name, columns[name], n)
        pair = wave_codes.astype(np.int64) * max(len(labels), 1) + codes
        present, inverse = np.unique(pair, return_inverse=True)
        text = np.array(
            [
                f"{wave_labels[k // max(len(labels), 1)]}/{_plain(labels[k % max(len(labels), 1)])}"
                for k in present.tolist()
            ],
            dtype=object,
        )
        result: NDArray[Any] = text[inverse]
        return result

    strata = crossed("stratum")
    if strata is None:
        strata = wave
    try:
        return SurveyDesign(
            weights=columns["weight"],
            strata=strata,
            clusters=crossed("cluster"),
            fpc=columns.get("fpc"),
            fpc2=columns.get("fpc2"),
            lonely_psu=lonely_psu,
        )
    except ValueError as error:
        raise ValueError(
            f"{error} (in the {table}' design; waves are independent samples, so strata and "
            "clusters are named wave/label)"
        ) from None


# ---- from columns ------------------------------------------------------------------------


class _Rows:
    """Collects row problems for one table, so that all of them can be reported."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.problems: list[str] = []
        self.total = 0

    def flag(self, bad: NDArray[np.bool_], column: str, values: NDArray[Any], reason: str) -> None:
        rows = np.flatnonzero(bad)
        self.total += rows.size
        for i in rows:
            shown = show(values[i])
            if len(shown) > SHOWN_LENGTH:
                shown = shown[: SHOWN_LENGTH - 3] + "..."
            self.problems.append(f"{self.table} row {int(i)}: {column}={shown}: {reason}")


def _column(source: Any, name: str, n: int | None = None) -> NDArray[Any] | None:
    if name not in source:
        return None
    values = np.asarray(source[name])
    if values.ndim != 1:
        raise ValueError(f"column {name!r} must be one-dimensional; got shape {values.shape}")
    if n is not None and values.shape[0] != n:
        raise ValueError(f"column {name!r} has {values.shape[0]} values, expected {n}")
    return values


def _missing(values: NDArray[Any]) -> NDArray[np.bool_]:
    if values.dtype.kind == "f":
        return np.asarray(np.isnan(values), dtype=bool)
    if values.dtype.kind == "O":
        return np.fromiter(
            (v is None or (isinstance(v, float) and v != v) for v in values),
            dtype=bool,
            count=values.shape[0],
        )
    return np.zeros(values.shape, dtype=bool)


def _codes(
    rows: _Rows, values: NDArray[Any], column: str, members: tuple[StrEnum, ...], required: bool
) -> NDArray[np.int8]:
    """Codes into ``members`` (-1 missing, -2 unknown), looked up once per distinct value."""
    missing = _missing(values)
    text = np.where(missing, "", values.astype(str))
    distinct, inverse = np.unique(text, return_inverse=True)
    lookup = {m.value: k for k, m in enumerate(members)}
    mapped = np.array([lookup.get(str(v), -2) for v in distinct], dtype=np.int8)
    codes = np.where(missing, -1, mapped[inverse]).astype(np.int8)
    valid = ", ".join(repr(m.value) for m in members)
    rows.flag(codes == -2, column, values, f"not a valid code; valid codes are {valid}")
    if required:
        rows.flag(codes == -1, column, values, "missing")
    return codes


def _as_numbers(values: NDArray[Any]) -> NDArray[np.float64]:
    if values.dtype.kind in "biuf":
        return values.astype(np.float64)
    return np.fromiter((_to_float(v) for v in values), dtype=np.float64, count=values.shape[0])


def _numbers(
    rows: _Rows,
    values: NDArray[Any] | None,
    column: str,
    *,
    whole: bool,
    low: float | None,
    high: float | None = None,
    optional: bool = False,
    why_high: str = "",
) -> NDArray[np.float64]:
    """Numbers of a column (NaN where missing or bad), flagging every bad row.

    Infinite values are refused, and so are whole numbers beyond ``high`` (or beyond 2**53,
    where floats stop counting exactly), so that no count can wrap around when the caller
    converts it to int64.
    """
    assert values is not None
    numbers = _as_numbers(values)
    missing = _missing(values)
    rows.flag(np.isnan(numbers) & ~missing, column, values, "not a number")
    if not optional:
        rows.flag(missing, column, values, "missing")
    infinite = np.isinf(numbers)
    rows.flag(infinite, column, values, "must be a finite number")
    numbers = np.where(infinite, np.nan, numbers)
    known = ~np.isnan(numbers)
    fraction = known & (numbers != np.floor(numbers))
    huge = known & (np.abs(numbers) > 2.0**53)
    if whole:
        rows.flag(fraction, column, values, "must be a whole number")
        if high is None:
            rows.flag(huge, column, values, "is too large")
    if low is not None:
        rows.flag(known & (numbers < low), column, values, f"must be >= {low:g}")
    if high is not None:
        rows.flag(known & (numbers > high), column, values, f"must be <= {high:g}{why_high}")
    if whole:  # flagged above; NaN here, so that no conversion to int64 can wrap around
        numbers = np.where(fraction | huge, np.nan, numbers)
    return numbers


def _to_float(value: Any) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


#: Words accepted for yes and no (any case): Dutch, English, and Dutch Excel's WAAR/ONWAAR.
_YES_NO_WORDS = {
    "1": 1.0,
    "true": 1.0,
    "ja": 1.0,
    "yes": 1.0,
    "waar": 1.0,
    "0": 0.0,
    "false": 0.0,
    "nee": 0.0,
    "no": 0.0,
    "onwaar": 0.0,
}


def _yes_no(rows: _Rows, values: NDArray[Any] | None, column: str, n: int) -> NDArray[np.int8]:
    if values is None:
        return np.full(n, -1, dtype=np.int8)
    converted = values
    if values.dtype.kind in "OUS":
        converted = np.array(
            [
                (None if not v.strip() else _YES_NO_WORDS.get(v.strip().lower(), v))
                if isinstance(v, str)
                else v
                for v in values
            ],
            dtype=object,
        )
    numbers = _as_numbers(converted)
    missing = _missing(converted)
    bad = (~np.isnan(numbers) & (numbers != 0) & (numbers != 1)) | (np.isnan(numbers) & ~missing)
    rows.flag(bad, column, values, "must be 0, 1, true/false, ja/nee or yes/no, or missing")
    return np.where(np.isnan(numbers) | bad, -1, numbers).astype(np.int8)


def _build_from_columns(
    cls: type[MonitorData],
    respondents: Any,
    incidents: Any,
    organisations: Any,
    violations: Any,
    lonely_psu: str,
) -> MonitorData:
    rows = _Rows("respondents")
    ids = _column(respondents, "id")
    if ids is None:
        raise ValueError("respondent column 'id' is required")
    n = ids.shape[0]
    for required in ("wave", "layer", "office"):
        if required not in respondents:
            raise ValueError(f"respondent column {required!r} is required")
    known = (
        set(cls.RESPONDENT_COLUMNS)
        | {f"incidents:{f.value}" for f in FORMS}
        | {f"{prefix}:{m.value}" for prefix, members in _SETS.items() for m in members}
    )
    _refuse_unknown(
        "respondents",
        respondents,
        known,
        "id, wave, layer, office, weight, stratum, cluster, fpc, fpc2, aftercare, training, "
        "incidents:<form>, channel:<code>, consequence:<code>, violation:<code>",
    )
    id_text = np.array([_id_text(v) for v in ids], dtype=object)
    rows.flag(np.array([t is None for t in id_text]), "id", ids, "must be a non-empty id")
    text = [t for t in id_text if t is not None]
    unique, counts = (
        np.unique(np.array(text, dtype=object), return_counts=True)
        if text
        else (np.array([]), np.array([]))
    )
    duplicated = set(unique[counts > 1].tolist())
    rows.flag(np.array([t in duplicated for t in id_text]), "id", ids, "duplicate id")

    wave = _numbers(
        rows,
        _column(respondents, "wave", n),
        "wave",
        whole=True,
        low=WAVE_RANGE[0],
        high=WAVE_RANGE[1],
    )
    layer_values = _column(respondents, "layer", n)
    assert layer_values is not None
    layer = _codes(rows, layer_values, "layer", LAYERS, True)
    office_values = _column(respondents, "office", n)
    assert office_values is not None
    office = _codes(rows, office_values, "office", OFFICES, True)
    ok = (layer >= 0) & (office >= 0)
    mismatch = ok & ~_OFFICE_IN_LAYER[np.maximum(office, 0), np.maximum(layer, 0)]
    rows.flag(mismatch, "office", office_values, "does not exist in the row's layer")
    weight_values = _column(respondents, "weight", n)
    weight = (
        np.ones(n)
        if weight_values is None
        else _numbers(rows, weight_values, "weight", whole=False, low=None)
    )
    if weight_values is not None:
        rows.flag(
            ~(np.isfinite(weight) & (weight > 0)) & ~np.isnan(weight),
            "weight",
            weight_values,
            "must be finite and > 0",
        )
    # a question the file does not hold is not measured: missing, never "none"
    counts_matrix = np.full((n, len(FORMS)), MISSING, dtype=np.int64)
    for k, form in enumerate(FORMS):
        values = _column(respondents, f"incidents:{form.value}", n)
        if values is not None:
            numbers = _numbers(
                rows,
                values,
                f"incidents:{form.value}",
                whole=True,
                low=0,
                high=MAX_INCIDENTS,
                optional=True,
                why_high=" incidents a year (MAX_INCIDENTS); is it a missing-value code?",
            )
            counts_matrix[:, k] = np.where(np.isfinite(numbers), numbers, MISSING).astype(np.int64)
    resp: dict[str, Any] = {
        "id": id_text,
        "wave": np.nan_to_num(wave, nan=0).astype(np.int64),
        "layer": layer,
        "office": office,
        "group": _OFFICE_GROUP[np.maximum(office, 0)],
        "weight": weight,
        "victimisations": counts_matrix,
        "aftercare": _yes_no(rows, _column(respondents, "aftercare", n), "aftercare", n),
        "training": _yes_no(rows, _column(respondents, "training", n), "training", n),
    }
    for prefix, members in _SETS.items():
        target = {
            "channel": "channels",
            "consequence": "consequences",
            "violation": "perceived_violations",
        }[prefix]
        matrix = np.full((n, len(members)), MISSING, dtype=np.int8)
        for k, member in enumerate(members):
            values = _column(respondents, f"{prefix}:{member.value}", n)
            if values is not None:
                matrix[:, k] = _yes_no(rows, values, f"{prefix}:{member.value}", n)
        resp[target] = matrix
    for field in ("stratum", "cluster"):
        values = _column(respondents, field, n)
        if values is not None:
            rows.flag(_missing(values), field, values, "missing (give it for all rows or none)")
            resp[field] = np.array(values, dtype=object)
    for field in ("fpc", "fpc2"):
        fpc_values = _column(respondents, field, n)
        if fpc_values is not None:
            fpc = _numbers(rows, fpc_values, field, whole=False, low=None)
            rows.flag(~np.isnan(fpc) & ~(fpc > 0), field, fpc_values, "must be > 0")
            resp[field] = fpc

    problems, total = rows.problems, rows.total
    inc_rows = _Rows("incidents")
    inc = _incident_columns(inc_rows, incidents, id_text, resp["wave"])
    problems += inc_rows.problems
    total += inc_rows.total
    org_rows = _Rows("organisations")
    viol_rows = _Rows("violations")
    orgs, viols = _organisations.empty()
    if organisations is not None:
        orgs = _organisation_columns(org_rows, organisations)
    if violations is not None:
        viols = _violation_columns(viol_rows, violations, orgs)
    supplied = _supplied(organisations is not None, violations is not None)
    for extra in (org_rows, viol_rows):
        problems += extra.problems
        total += extra.total
    if total:
        raise MonitorDataError("MonitorData.from_columns", problems, total)
    return cls(resp, inc, orgs, viols, lonely_psu=lonely_psu, supplied=supplied)


def _supplied(organisations: bool, violations: bool) -> frozenset[str]:
    tables = {"respondents", "incidents"}
    if organisations:
        tables.add("organisations")
    if violations:
        tables.add("violations")
    return frozenset(tables)


def _organisation_columns(rows: _Rows, source: Any) -> dict[str, Any]:
    for required in ("id", "wave", "layer", "employees"):
        if required not in source:
            raise ValueError(f"organisation column {required!r} is required")
    measure_columns = {f"measure:{m.value}" for m in _organisations.MEASURES}
    known = {"id", "wave", "layer", "employees", "weight", "stratum", "fpc"} | measure_columns
    _refuse_unknown(
        "organisations",
        source,
        known,
        "id, wave, layer, employees, weight, stratum, fpc, measure:<code>",
    )
    ids = _column(source, "id")
    assert ids is not None
    n = ids.shape[0]
    id_text = np.array([_id_text(v) for v in ids], dtype=object)
    rows.flag(
        np.array([t is None for t in id_text], dtype=bool), "id", ids, "must be a non-empty id"
    )
    wave = _numbers(
        rows, _column(source, "wave", n), "wave", whole=True, low=WAVE_RANGE[0], high=WAVE_RANGE[1]
    )
    keys = np.array([f"{t}@{w}" for t, w in zip(id_text, wave, strict=True)], dtype=object)
    distinct, counts = np.unique(keys, return_counts=True)
    repeated = set(distinct[counts > 1].tolist())
    rows.flag(
        np.array([k in repeated for k in keys], dtype=bool), "id", ids, "used twice in one wave"
    )
    layer_values = _column(source, "layer", n)
    assert layer_values is not None
    employees = _numbers(
        rows, _column(source, "employees", n), "employees", whole=True, low=1, high=MAX_EMPLOYEES
    )
    weight_values = _column(source, "weight", n)
    weight = np.ones(n)
    if weight_values is not None:
        weight = _numbers(rows, weight_values, "weight", whole=False, low=None)
        rows.flag(~np.isnan(weight) & ~(weight > 0), "weight", weight_values, "must be > 0")
    measures = np.full((n, len(_organisations.MEASURES)), MISSING, dtype=np.int8)
    for k, member in enumerate(_organisations.MEASURES):
        values = _column(source, f"measure:{member.value}", n)
        if values is not None:
            measures[:, k] = _yes_no(rows, values, f"measure:{member.value}", n)
    result: dict[str, Any] = {
        "id": id_text,
        "wave": np.nan_to_num(wave, nan=0).astype(np.int64),
        "layer": _codes(rows, layer_values, "layer", LAYERS, True),
        "employees": np.nan_to_num(employees, nan=1).astype(np.int64),
        "measures": measures,
        "weight": weight,
    }
    stratum = _column(source, "stratum", n)
    if stratum is not None:
        rows.flag(_missing(stratum), "stratum", stratum, "missing (give it for all or none)")
        result["stratum"] = np.array(stratum, dtype=object)
    fpc_values = _column(source, "fpc", n)
    if fpc_values is not None:
        fpc = _numbers(rows, fpc_values, "fpc", whole=False, low=None)
        rows.flag(~np.isnan(fpc) & ~(fpc > 0), "fpc", fpc_values, "must be > 0")
        result["fpc"] = fpc
    return result


def _violation_columns(rows: _Rows, source: Any, orgs: Mapping[str, Any]) -> dict[str, Any]:
    for required in ("organisation_id", "wave", "kind"):
        if required not in source:
            raise ValueError(f"violation column {required!r} is required")
    _refuse_unknown(
        "violations",
        source,
        {"organisation_id", "wave", "kind", "status"},
        "organisation_id, wave, kind, status",
    )
    owner = _column(source, "organisation_id")
    assert owner is not None
    m = owner.shape[0]
    wave = _numbers(
        rows, _column(source, "wave", m), "wave", whole=True, low=WAVE_RANGE[0], high=WAVE_RANGE[1]
    )
    position = {
        (str(i), int(w)): k for k, (i, w) in enumerate(zip(orgs["id"], orgs["wave"], strict=True))
    }
    index = np.array(
        [
            position.get((_id_text(o) or "", int(w) if w == w else -1), -1)
            for o, w in zip(owner, wave, strict=True)
        ],
        dtype=np.intp,
    )
    rows.flag(index < 0, "organisation_id", owner, "no organisation has this id in this wave")
    kind_values = _column(source, "kind", m)
    assert kind_values is not None
    status_values = _column(source, "status", m)
    status = (
        np.full(m, _organisations.CONFIRMED, dtype=np.int8)
        if status_values is None
        else _codes(rows, status_values, "status", _organisations.STATUSES, True)
    )
    return {
        "organisation": np.maximum(index, 0),
        "wave": np.nan_to_num(wave, nan=0).astype(np.int64),
        "kind": _codes(rows, kind_values, "kind", _organisations.VIOLATION_TYPES, True),
        "status": status,
    }


def _id_text(value: Any) -> str | None:
    if value is None or isinstance(value, bool | np.bool_) or _missing_scalar(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value.item() if isinstance(value, np.generic) else value).strip()
    return text or None


def _missing_scalar(value: Any) -> bool:
    """Whether a scalar is a missing value: NaN, or pandas' NA or NaT (without importing pandas)."""
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    kind = type(value)
    return kind.__module__.startswith("pandas") and kind.__name__ in ("NAType", "NaTType")


def _refuse_unknown(table: str, columns: Iterable[Any], known: Iterable[str], listed: str) -> None:
    """Raise one :class:`MonitorDataError` naming every unknown column and its closest match."""
    names = sorted(known)
    problems = []
    for column in columns:
        if column in names:
            continue
        close = difflib.get_close_matches(str(column), names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(
            f"{table} column {str(column)!r}: unknown {table[:-1]} column{hint}; "
            f"known columns are {listed}"
        )
    if problems:
        raise MonitorDataError("MonitorData.from_columns", problems)


def _incident_columns(
    rows: _Rows, incidents: Any, ids: NDArray[Any], waves: NDArray[np.int64]
) -> dict[str, Any]:
    if incidents is None:
        return {
            "respondent": np.zeros(0, dtype=np.intp),
            "wave": np.zeros(0, dtype=np.int64),
            "form": np.zeros(0, dtype=np.int8),
            "channel": np.zeros(0, dtype=np.int8),
            "reported_internally": np.zeros(0, dtype=np.int8),
            "police_report": np.zeros(0, dtype=np.int8),
            "registered": np.zeros(0, dtype=np.int8),
            "severity": np.zeros(0, dtype=np.int8),
            "aftercare": np.zeros(0, dtype=np.int8),
            "consequences": np.zeros((0, len(CONSEQUENCES)), dtype=np.int8),
        }
    owner = _column(incidents, "respondent_id")
    if owner is None:
        raise ValueError("incident column 'respondent_id' is required")
    _refuse_unknown(
        "incidents",
        incidents,
        {
            "respondent_id",
            "wave",
            "form",
            "channel",
            "reported_internally",
            "police_report",
            "registered",
            "severity",
            "aftercare",
        }
        | {f"consequence:{member.value}" for member in CONSEQUENCES},
        "respondent_id, wave, form, channel, reported_internally, police_report, registered, "
        "severity, aftercare, consequence:<code>",
    )
    m = owner.shape[0]
    position = {text: i for i, text in enumerate(ids) if text is not None}
    index = np.array([position.get(_id_text(v) or "", -1) for v in owner], dtype=np.intp)
    rows.flag(index < 0, "respondent_id", owner, "no respondent has this id")
    wave_values = _column(incidents, "wave", m)
    if wave_values is None:
        raise ValueError("incident column 'wave' is required")
    wave = _numbers(rows, wave_values, "wave", whole=True, low=WAVE_RANGE[0], high=WAVE_RANGE[1])
    linked = index >= 0
    respondent_wave = np.full(m, -1, dtype=np.int64)
    respondent_wave[linked] = waves[index[linked]]
    rows.flag(
        linked & ~np.isnan(wave) & (wave != respondent_wave),
        "wave",
        wave_values,
        "differs from the respondent's wave",
    )
    form_values = _column(incidents, "form", m)
    if form_values is None:
        raise ValueError("incident column 'form' is required")
    channel_values = _column(incidents, "channel", m)
    severity_values = _column(incidents, "severity", m)
    severity = (
        np.zeros(m)
        if severity_values is None
        else _numbers(rows, severity_values, "severity", whole=True, low=1, high=5, optional=True)
    )
    consequences = np.full((m, len(CONSEQUENCES)), MISSING, dtype=np.int8)
    for k, member in enumerate(CONSEQUENCES):
        values = _column(incidents, f"consequence:{member.value}", m)
        if values is not None:
            consequences[:, k] = _yes_no(rows, values, f"consequence:{member.value}", m)
    return {
        "respondent": np.maximum(index, 0),
        "wave": np.nan_to_num(wave, nan=0).astype(np.int64),
        "form": _codes(rows, form_values, "form", FORMS, True),
        "channel": (
            np.full(m, -1, dtype=np.int8)
            if channel_values is None
            else _codes(rows, channel_values, "channel", CHANNELS, False)
        ),
        "reported_internally": _yes_no(
            rows, _column(incidents, "reported_internally", m), "reported_internally", m
        ),
        "police_report": _yes_no(rows, _column(incidents, "police_report", m), "police_report", m),
        "registered": _yes_no(rows, _column(incidents, "registered", m), "registered", m),
        "severity": np.nan_to_num(severity, nan=0).astype(np.int8),
        "aftercare": _yes_no(rows, _column(incidents, "aftercare", m), "aftercare", m),
        "consequences": consequences,
    }
