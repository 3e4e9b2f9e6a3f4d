"""Typed records of the monitor: respondents and incidents.

Records are frozen :mod:`attrs` classes. Converters only normalise (a Dutch code becomes its
enum member, a list becomes a frozenset); validators judge, and a refused value raises a
`ValueError` (or `TypeError`) that names the record, the field and the value::

    Respondent 'r7': office: 'burgemeester' does not exist in layer 'provincie'

Values may come straight from numpy arrays or pandas rows: numpy scalars (``np.int64``,
``np.float64``, ``np.bool_``) are taken as the Python values they hold, a whole-number float
is a whole number, and a missing value (``None``, NaN, ``pandas.NA``) is an unanswered
question.

Missing is not "no". Every question field of a record is ``None`` when it was not asked or
not answered, and an indicator leaves such a respondent out of its numerator and denominator
(item non-response). A set-valued question (channels, consequences, perceived violations,
policy measures) is answered by a set, whose members are "yes" and all others "no", or by a
mapping ``{member: True | False | None}`` where a member not named is "no" and ``None`` is
an unanswered part of the question.
"""

from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

import attrs

from vpt_monitor._frozen import FrozenMap
from vpt_monitor.vocab import (
    Channel,
    Consequence,
    Form,
    Group,
    Layer,
    Measure,
    Office,
    ViolationStatus,
    ViolationType,
)

__all__ = ["WAVE_RANGE", "Incident", "Organisation", "Respondent", "Violation"]

#: Waves accepted by the records (inclusive).
WAVE_RANGE = (2000, 2100)

E = TypeVar("E", bound=StrEnum)

#: A set-valued answer: the members that apply, ``{member: True | False | None}``, or None.
Answers = frozenset[E] | Mapping[E, bool | None] | None


# ---- converters: normalise only -------------------------------------------------------


def is_missing(value: Any) -> bool:
    """Whether ``value`` is a missing value: None, a float NaN or ``pandas.NA``."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    pandas = sys.modules.get("pandas")
    return pandas is not None and value is getattr(pandas, "NA", None)


def plain(value: Any) -> Any:
    """Normalise one value: numpy scalars to Python ones, missing values to None.

    Whole-number floats stay floats here; :func:`_to_whole` turns them into integers where a
    field wants a whole number.
    """
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        value = value.item()
    return None if is_missing(value) else value


def _to_whole(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _to_number(value: Any) -> Any:
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        value = value.item()
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return None if is_missing(value) and not isinstance(value, float) else value


def _to_optional_number(value: Any) -> Any:
    return _to_number(plain(value))


def _to_enum(kind: type[E]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        value = plain(value)
        if isinstance(value, str) and not isinstance(value, kind):
            try:
                return kind(value)
            except ValueError:
                return value
        return value

    return convert


def _to_optional_enum(kind: type[E]) -> Callable[[Any], Any]:
    convert = _to_enum(kind)
    return lambda value: None if value is None else convert(value)


def _to_enum_set(kind: type[E]) -> Callable[[Any], Any]:
    convert = _to_enum(kind)

    def to_set(value: Any) -> Any:
        value = plain(value)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, Mapping):
            return FrozenMap({convert(k): _to_answer(v) for k, v in value.items()})
        if not isinstance(value, Iterable):
            return value
        return frozenset(convert(v) for v in value)

    return to_set


def _to_answer(value: Any) -> Any:
    return _to_bool(value)


def _to_bool(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)  # 0/1 as a number: from a numeric column or a DataFrame row
    return value


def _to_layer(value: Any) -> Any:
    return _to_enum(Layer)(value)


def _to_office(value: Any) -> Any:
    return _to_enum(Office)(value)


def _to_form(value: Any) -> Any:
    return _to_enum(Form)(value)


def _to_channel(value: Any) -> Any:
    return _to_optional_enum(Channel)(value)


def _to_channels(value: Any) -> Any:
    return _to_enum_set(Channel)(value)


def _to_consequences(value: Any) -> Any:
    return _to_enum_set(Consequence)(value)


def _to_violations(value: Any) -> Any:
    return _to_enum_set(ViolationType)(value)


def _to_measures(value: Any) -> Any:
    return _to_enum_set(Measure)(value)


def _to_violation_type(value: Any) -> Any:
    return _to_enum(ViolationType)(value)


def _to_status(value: Any) -> Any:
    return _to_enum(ViolationStatus)(value)


def _to_counts(value: Any) -> Any:
    value = plain(value)
    if not isinstance(value, Mapping):
        return value
    convert = _to_enum(Form)
    return FrozenMap({convert(k): _to_whole(v) for k, v in value.items()})


def _to_id(value: Any) -> Any:
    value = _to_whole(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _to_label(value: Any) -> Any:
    return _to_whole(value)


def _to_attributes(value: Any) -> Any:
    """Normalise attribute values; codes of the built-in attributes become enum members."""
    from vpt_monitor.attributes import BUILT_IN_ATTRIBUTES

    value = plain(value)
    if value is None:
        return FrozenMap({})
    if not isinstance(value, Mapping):
        return value
    result = {}
    for key, item in value.items():
        item = plain(item)
        built_in = BUILT_IN_ATTRIBUTES.get(key) if isinstance(key, str) else None
        if built_in is not None and item is not None:
            with contextlib.suppress(ValueError):  # the validator says what is wrong
                item = built_in.parse(item)
        result[key] = item
    return FrozenMap(result)


# ---- validators: judge, naming the record, the field and the value ---------------------


def _fail(instance: Any, attribute: attrs.Attribute[Any], message: str) -> ValueError:
    ident = (
        getattr(instance, "id", None)
        or getattr(instance, "respondent_id", None)
        or getattr(instance, "organisation_id", None)
    )
    owner = f"{type(instance).__name__} {ident!r}" if ident is not None else type(instance).__name__
    return ValueError(f"{owner}: {attribute.name}: {message}")


def _member(kind: type[StrEnum], optional: bool = False) -> Callable[..., None]:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, kind):
            codes = ", ".join(repr(m.value) for m in kind)
            raise _fail(instance, attribute, f"{value!r} is not a {kind.__name__}; codes: {codes}")

    return check


def _members(kind: type[StrEnum]) -> Callable[..., None]:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, frozenset | Mapping):
            raise _fail(
                instance,
                attribute,
                f"must be a set of {kind.__name__}, a mapping {{{kind.__name__}: True, False "
                f"or None}}, or None (not answered); got {value!r}",
            )
        for item in value:
            if not isinstance(item, kind):
                codes = ", ".join(repr(m.value) for m in kind)
                raise _fail(
                    instance, attribute, f"{item!r} is not a {kind.__name__}; codes: {codes}"
                )
        if isinstance(value, Mapping):
            for item, answer in value.items():
                if answer is not None and not isinstance(answer, bool):
                    raise _fail(
                        instance,
                        attribute,
                        f"the answer for {item.value!r} must be True, False or None; "
                        f"got {answer!r}",
                    )

    return check


def _identifier(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise _fail(instance, attribute, f"must be a non-empty string or an integer; got {value!r}")


def _wave(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(instance, attribute, f"must be a whole year; got {value!r}")
    if not WAVE_RANGE[0] <= value <= WAVE_RANGE[1]:
        raise _fail(instance, attribute, f"{value} is outside {WAVE_RANGE[0]}-{WAVE_RANGE[1]}")


def _positive(optional: bool) -> Callable[..., None]:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(instance, attribute, f"must be a number; got {value!r}")
        if not (math.isfinite(value) and value > 0):
            raise _fail(instance, attribute, f"must be finite and > 0; got {value!r}")

    return check


def _label(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _fail(instance, attribute, f"must be a string or integer label; got {value!r}")


def _optional_bool(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise _fail(instance, attribute, f"must be True, False or None; got {value!r}")


#: Largest number of incidents of one form that one respondent can report for a year: twice a
#: day on every day of the year. The most harassed office holders describe daily abuse, mostly
#: online; a count above this is not a recollection but a code or a corrupt cell, and refusing
#: it keeps the usual missing-value codes 999, 9999 and 99999 out of the counts (declare them
#: ``missing`` in the codebook to read them as unanswered). Codes below the limit, such as 99,
#: cannot be told from answers: declare them.
MAX_INCIDENTS = 730


def _counts(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, Mapping):
        raise _fail(
            instance,
            attribute,
            f"must be a mapping {{Form: count or None}}, or None (not answered); got {value!r}",
        )
    for form, count in value.items():
        if not isinstance(form, Form):
            codes = ", ".join(repr(m.value) for m in Form)
            raise _fail(instance, attribute, f"{form!r} is not a Form; codes: {codes}")
        if count is None:
            continue
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_INCIDENTS:
            raise _fail(
                instance,
                attribute,
                f"the count of {form.value!r} must be a whole number from 0 to "
                f"{MAX_INCIDENTS:,} (or None: not answered); got {count!r}",
            )


def _attributes(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    from vpt_monitor.attributes import BUILT_IN_ATTRIBUTES, RESERVED, Attribute

    if not isinstance(value, Mapping):
        raise _fail(instance, attribute, f"must be a mapping {{name: value}}; got {value!r}")
    for key, item in value.items():
        if not isinstance(key, str) or key in RESERVED:
            raise _fail(instance, attribute, f"{key!r} is not a name for an attribute")
        try:
            Attribute(key)
        except ValueError as error:
            raise _fail(instance, attribute, str(error)) from None
        built_in = BUILT_IN_ATTRIBUTES.get(key)
        if built_in is not None:
            try:
                built_in.parse(item)
            except ValueError as error:
                raise _fail(instance, attribute, f"{key}: {error}") from None
        elif item is not None and not isinstance(item, str | int | float | bool):
            raise _fail(
                instance,
                attribute,
                f"{key}: {item!r} is not a text, number or True/False (or None: unknown)",
            )


def _employees(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail(instance, attribute, f"must be a whole number >= 1; got {value!r}")


def _severity(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise _fail(instance, attribute, f"must be a whole number from 1 to 5; got {value!r}")


def check_records(items: Iterable[Any], kind: type, name: str) -> list[Any]:
    """Return ``items`` as a list, refusing any element that is not a ``kind`` record."""
    result = list(items)
    for i, item in enumerate(result):
        if not isinstance(item, kind):
            article = "an" if kind.__name__[0] in "AEIOU" else "a"
            raise TypeError(
                f"{name}[{i}] is a {type(item).__name__}, not {article} {kind.__name__}"
            )
    return result


# ---- records ---------------------------------------------------------------------------


@attrs.frozen(unsafe_hash=False, hash=False)
class Respondent:
    """One respondent of the monitor's survey of employees or political office holders.

    Parameters
    ----------
    id : str or int
        Respondent identifier, unique within the data (integers become strings).
    wave : int
        Year of the wave, 2000-2100.
    layer : Layer or str
        Government layer, or its Dutch code (``"gemeente"``).
    office : Office or str
        Office, or its Dutch code (``"burgemeester"``); it must exist in ``layer``.
    weight : float, default 1.0
        Survey weight, finite and ``> 0``.
    stratum, cluster : str or int, optional
        Design stratum and first-stage cluster (the organisation, or the person where
        people are sampled directly). Labels may repeat across waves: waves are independent
        samples, so :class:`~vpt_monitor.MonitorData` crosses strata and clusters with the
        wave.
    fpc : float, optional
        First-stage finite-population correction of the stratum in this wave, as
        :class:`~vpt_monitor.stats.SurveyDesign`: the number of clusters in the stratum's
        population (12 provinces), or the sampling fraction.
    fpc2 : float, optional
        Second-stage finite-population correction: the number of people in the
        respondent's cluster in the population (the organisation's employees), or the
        fraction of them sampled. Needed when whole strata of organisations are in the
        sample (all 12 provinces): then the first stage has no variance and the sampling
        of people within the organisations is all there is. A cluster that is one person
        has ``fpc2=1``.
    victimisations : mapping, optional
        ``{Form: number of incidents in the past 12 months}``; forms not named had none,
        a count of None was not answered. None (the default): not asked or not answered.
    channels : set of Channel or mapping, optional
        Channels through which any aggression came (asked of victims).
    consequences : set of Consequence or mapping, optional
        Consequences the respondent reports (for victims: of the aggression; influence on
        decisions is asked of every political office holder).
    perceived_violations : set of ViolationType or mapping, optional
        Integrity violations the respondent saw or suspected around them.
    aftercare : bool, optional
        Whether the victim was offered aftercare (None: not asked or not answered).
    training : bool, optional
        Whether the respondent received training in dealing with aggression.
    attributes : mapping, optional
        Further characteristics, ``{name: value}``: the built-in ``gender``, ``age_band``,
        ``province``, ``municipality_size`` and ``contact`` (codes of their vocabularies,
        see :mod:`vpt_monitor.attributes`) and any declared when the data are built; None
        is unknown. Every indicator's ``by=`` takes their names.

    Notes
    -----
    Every question field is None when the question was not asked or not answered; see the
    module's notes for set-valued answers. Values may be numpy scalars or pandas missing
    values.

    Examples
    --------
    >>> import numpy as np
    >>> from vpt_monitor import Respondent
    >>> r = Respondent("r1", np.int64(2016), "gemeente", "burgemeester", weight=2.5,
    ...                victimisations={"verbaal": 3}, channels={"sociale-media"})
    >>> r.wave, r.office.label, r.victimised, r.group.value
    (2016, 'mayor', True, 'politiek-ambtsdrager')
    >>> Respondent("r3", 2016, "rijk", "ambtenaar").victimised is None  # not answered
    True
    >>> Respondent("r4", 2016, "rijk", "ambtenaar",
    ...            attributes={"gender": "v", "contact": "dagelijks"}).attributes["gender"]
    <Gender.WOMAN: 'v'>
    >>> Respondent("r2", 2016, "provincie", "burgemeester")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Respondent 'r2': office: 'burgemeester' does not exist in layer 'provincie' ...
    """

    id: str = attrs.field(converter=_to_id, validator=_identifier)
    wave: int = attrs.field(converter=_to_whole, validator=_wave)
    layer: Layer = attrs.field(converter=_to_layer, validator=_member(Layer))
    office: Office = attrs.field(converter=_to_office, validator=_member(Office))
    weight: float = attrs.field(
        default=1.0, kw_only=True, converter=_to_number, validator=_positive(False)
    )
    stratum: str | int | None = attrs.field(
        default=None, kw_only=True, converter=_to_label, validator=_label
    )
    cluster: str | int | None = attrs.field(
        default=None, kw_only=True, converter=_to_label, validator=_label
    )
    fpc: float | None = attrs.field(
        default=None, kw_only=True, converter=_to_optional_number, validator=_positive(True)
    )
    fpc2: float | None = attrs.field(
        default=None, kw_only=True, converter=_to_optional_number, validator=_positive(True)
    )
    victimisations: Mapping[Form, int | None] | None = attrs.field(
        default=None, kw_only=True, converter=_to_counts, validator=_counts
    )
    channels: Answers[Channel] = attrs.field(
        default=None, kw_only=True, converter=_to_channels, validator=_members(Channel)
    )
    consequences: Answers[Consequence] = attrs.field(
        default=None, kw_only=True, converter=_to_consequences, validator=_members(Consequence)
    )
    perceived_violations: Answers[ViolationType] = attrs.field(
        default=None,
        kw_only=True,
        converter=_to_violations,
        validator=_members(ViolationType),
    )
    aftercare: bool | None = attrs.field(
        default=None, kw_only=True, converter=_to_bool, validator=_optional_bool
    )
    training: bool | None = attrs.field(
        default=None, kw_only=True, converter=_to_bool, validator=_optional_bool
    )
    attributes: Mapping[str, Any] = attrs.field(
        factory=dict, kw_only=True, converter=_to_attributes, validator=_attributes
    )

    def __attrs_post_init__(self) -> None:
        if self.layer not in self.office.layers:
            where = ", ".join(repr(layer.value) for layer in sorted(self.office.layers))
            raise ValueError(
                f"Respondent {self.id!r}: office: {self.office.value!r} does not exist in layer "
                f"{self.layer.value!r} (it exists in: {where})"
            )
        # counts of zero say nothing: drop them so that equal records compare equal
        counts = self.victimisations
        if counts is not None and any(count == 0 for count in counts.values()):
            kept = {f: c for f, c in counts.items() if c != 0}
            object.__setattr__(self, "victimisations", FrozenMap(kept))

    def __hash__(self) -> int:
        return hash((self.id, self.wave, self.layer, self.office))

    @property
    def group(self) -> Group:
        """Political office holder or employee, from the office."""
        return self.office.group

    @property
    def victimised(self) -> bool | None:
        """Whether the respondent met any form of aggression in the past 12 months.

        None when that is unknown: the questions were not answered, or some were not and
        the answered ones were all "none".
        """
        counts = self.victimisations
        if counts is None:
            return None
        if any(count is not None and count > 0 for count in counts.values()):
            return True
        return None if any(count is None for count in counts.values()) else False

    @property
    def incidents(self) -> int | None:
        """Number of incidents of all forms in the past 12 months (None if not all answered)."""
        counts = self.victimisations
        if counts is None or any(count is None for count in counts.values()):
            return None
        return sum(c for c in counts.values() if c is not None)


@attrs.frozen
class Incident:
    """One incident that a respondent experienced, typically the most recent one.

    Parameters
    ----------
    respondent_id : str or int
        Identifier of the respondent who experienced it.
    wave : int
        Year of the wave; it must be the respondent's.
    form : Form or str
        Form of aggression.
    channel : Channel or str, optional
        How it came.
    reported_internally : bool, optional
        Reported or discussed within the organisation (melden).
    police_report : bool, optional
        Reported to the police (aangifte).
    registered : bool, optional
        Registered by the employer.
    severity : int, optional
        Seriousness from 1 (minor) to 5 (very serious).
    aftercare : bool, optional
        Whether aftercare was offered after this incident.
    consequences : set of Consequence or mapping, optional
        Consequences of this incident (None: not asked or not answered).

    Examples
    --------
    >>> from vpt_monitor import Incident
    >>> Incident("r1", 2016, "bedreiging", channel="sociale-media", police_report=True).form
    <Form.THREAT: 'bedreiging'>
    """

    respondent_id: str = attrs.field(converter=_to_id, validator=_identifier)
    wave: int = attrs.field(converter=_to_whole, validator=_wave)
    form: Form = attrs.field(converter=_to_form, validator=_member(Form))
    channel: Channel | None = attrs.field(
        default=None,
        kw_only=True,
        converter=_to_channel,
        validator=_member(Channel, optional=True),
    )
    reported_internally: bool | None = attrs.field(
        default=None, kw_only=True, converter=_to_bool, validator=_optional_bool
    )
    police_report: bool | None = attrs.field(
        default=None, kw_only=True, converter=_to_bool, validator=_optional_bool
    )
    registered: bool | None = attrs.field(
        default=None, kw_only=True, converter=_to_bool, validator=_optional_bool
    )
    severity: int | None = attrs.field(
        default=None, kw_only=True, converter=_to_whole, validator=_severity
    )
    aftercare: bool | None = attrs.field(
        default=None, kw_only=True, converter=_to_bool, validator=_optional_bool
    )
    consequences: Answers[Consequence] = attrs.field(
        default=None,
        kw_only=True,
        converter=_to_consequences,
        validator=_members(Consequence),
    )


@attrs.frozen
class Organisation:
    """An organisation in the monitor's survey of organisations, with its policy measures.

    Parameters
    ----------
    id : str or int
        Organisation identifier, unique within a wave.
    wave : int
        Year of the wave, 2000-2100.
    layer : Layer or str
        Government layer of the organisation.
    employees : int
        Number of employees, ``>= 1`` (the exposure of violation rates).
    measures : set of Measure or mapping, optional
        Policy measures in place (Dutch codes or members); measures not named are not in
        place. None: the questions on measures were not answered.
    weight : float, default 1.0
        Survey weight of the organisation.
    stratum : str or int, optional
        Design stratum (typically the layer).
    fpc : float, optional
        Finite-population correction: organisations in the stratum's population (12
        provinces, 390 municipalities) or the sampling fraction.

    Examples
    --------
    >>> from vpt_monitor import Organisation
    >>> org = Organisation("utrecht", 2016, "provincie", employees=900,
    ...                    measures={"gedragscode", "vertrouwenspersoon"}, fpc=12)
    >>> sorted(m.label for m in org.measures)
    ['code of conduct', 'confidential adviser']
    """

    id: str = attrs.field(converter=_to_id, validator=_identifier)
    wave: int = attrs.field(converter=_to_whole, validator=_wave)
    layer: Layer = attrs.field(converter=_to_layer, validator=_member(Layer))
    employees: int = attrs.field(kw_only=True, converter=_to_whole, validator=_employees)
    measures: Answers[Measure] = attrs.field(
        default=None, kw_only=True, converter=_to_measures, validator=_members(Measure)
    )
    weight: float = attrs.field(
        default=1.0, kw_only=True, converter=_to_number, validator=_positive(False)
    )
    stratum: str | int | None = attrs.field(
        default=None, kw_only=True, converter=_to_label, validator=_label
    )
    fpc: float | None = attrs.field(
        default=None, kw_only=True, converter=_to_optional_number, validator=_positive(True)
    )


@attrs.frozen
class Violation:
    """A registered integrity violation (geregistreerde integriteitsschending).

    Parameters
    ----------
    organisation_id : str or int
        The organisation that registered it.
    wave : int
        Year of the wave (the registration year).
    kind : ViolationType or str
        Type of violation.
    status : ViolationStatus or str, default "vastgesteld"
        Suspected, investigated or confirmed.

    Examples
    --------
    >>> from vpt_monitor import Violation
    >>> Violation("utrecht", 2016, "fraude").status.label
    'confirmed'
    """

    organisation_id: str = attrs.field(converter=_to_id, validator=_identifier)
    wave: int = attrs.field(converter=_to_whole, validator=_wave)
    kind: ViolationType = attrs.field(
        converter=_to_violation_type, validator=_member(ViolationType)
    )
    status: ViolationStatus = attrs.field(
        default=ViolationStatus.CONFIRMED,
        kw_only=True,
        converter=_to_status,
        validator=_member(ViolationStatus),
    )
