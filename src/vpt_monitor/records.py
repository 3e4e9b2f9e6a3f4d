"""Typed records of the monitor: respondents and incidents.

Records are frozen :mod:`attrs` classes. Converters only normalise (a Dutch code becomes its
enum member, a list becomes a frozenset); validators judge, and a refused value raises a
`ValueError` (or `TypeError`) that names the record, the field and the value::

    Respondent 'r7': office: 'burgemeester' does not exist in layer 'provincie'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

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


# ---- converters: normalise only -------------------------------------------------------


def _to_enum(kind: type[E]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
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
        if isinstance(value, str) or not isinstance(value, Iterable):
            return value
        return frozenset(convert(v) for v in value)

    return to_set


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
    if not isinstance(value, Mapping):
        return value
    convert = _to_enum(Form)
    return MappingProxyType({convert(k): v for k, v in value.items()})


def _to_id(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


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
        if not isinstance(value, frozenset):
            raise _fail(instance, attribute, f"must be a set of {kind.__name__}; got {value!r}")
        for item in value:
            if not isinstance(item, kind):
                codes = ", ".join(repr(m.value) for m in kind)
                raise _fail(
                    instance, attribute, f"{item!r} is not a {kind.__name__}; codes: {codes}"
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


def _counts(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Mapping):
        raise _fail(instance, attribute, f"must be a mapping {{Form: count}}; got {value!r}")
    for form, count in value.items():
        if not isinstance(form, Form):
            codes = ", ".join(repr(m.value) for m in Form)
            raise _fail(instance, attribute, f"{form!r} is not a Form; codes: {codes}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise _fail(
                instance,
                attribute,
                f"the count of {form.value!r} must be a whole number >= 0; got {count!r}",
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
        Design stratum and first-stage cluster (the organisation).
    fpc : float, optional
        Finite-population correction of the stratum, as :class:`~vpt_monitor.stats.SurveyDesign`.
    victimisations : mapping, default {}
        ``{Form: number of incidents in the past 12 months}``; forms not named had none.
    channels : set of Channel, default empty
        Channels through which any aggression came.
    consequences : set of Consequence, default empty
        Consequences the respondent reports (for victims: of the aggression).
    perceived_violations : set of ViolationType, default empty
        Integrity violations the respondent saw or suspected around them.
    aftercare : bool, optional
        Whether the victim was offered aftercare (None: not asked or not answered).
    training : bool, optional
        Whether the respondent received training in dealing with aggression.

    Examples
    --------
    >>> from vpt_monitor import Respondent
    >>> r = Respondent("r1", 2016, "gemeente", "burgemeester", weight=2.5,
    ...                victimisations={"verbaal": 3}, channels={"sociale-media"})
    >>> r.office.label, r.victimised, r.group.value
    ('mayor', True, 'politiek-ambtsdrager')
    >>> Respondent("r2", 2016, "provincie", "burgemeester")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Respondent 'r2': office: 'burgemeester' does not exist in layer 'provincie' ...
    """

    id: str = attrs.field(converter=_to_id, validator=_identifier)
    wave: int = attrs.field(validator=_wave)
    layer: Layer = attrs.field(converter=_to_layer, validator=_member(Layer))
    office: Office = attrs.field(converter=_to_office, validator=_member(Office))
    weight: float = attrs.field(default=1.0, kw_only=True, validator=_positive(False))
    stratum: str | int | None = attrs.field(default=None, kw_only=True, validator=_label)
    cluster: str | int | None = attrs.field(default=None, kw_only=True, validator=_label)
    fpc: float | None = attrs.field(default=None, kw_only=True, validator=_positive(True))
    victimisations: Mapping[Form, int] = attrs.field(
        factory=dict, kw_only=True, converter=_to_counts, validator=_counts
    )
    channels: frozenset[Channel] = attrs.field(
        factory=frozenset,
        kw_only=True,
        converter=_to_channels,
        validator=_members(Channel),
    )
    consequences: frozenset[Consequence] = attrs.field(
        factory=frozenset,
        kw_only=True,
        converter=_to_consequences,
        validator=_members(Consequence),
    )
    perceived_violations: frozenset[ViolationType] = attrs.field(
        factory=frozenset,
        kw_only=True,
        converter=_to_violations,
        validator=_members(ViolationType),
    )
    aftercare: bool | None = attrs.field(default=None, kw_only=True, validator=_optional_bool)
    training: bool | None = attrs.field(default=None, kw_only=True, validator=_optional_bool)

    def __attrs_post_init__(self) -> None:
        if self.layer not in self.office.layers:
            where = ", ".join(repr(layer.value) for layer in sorted(self.office.layers))
            raise ValueError(
                f"Respondent {self.id!r}: office: {self.office.value!r} does not exist in layer "
                f"{self.layer.value!r} (it exists in: {where})"
            )
        # counts of zero say nothing: drop them so that equal records compare equal
        if any(count == 0 for count in self.victimisations.values()):
            kept = {f: c for f, c in self.victimisations.items() if c}
            object.__setattr__(self, "victimisations", MappingProxyType(kept))

    def __hash__(self) -> int:
        return hash((self.id, self.wave, self.layer, self.office))

    @property
    def group(self) -> Group:
        """Political office holder or employee, from the office."""
        return self.office.group

    @property
    def victimised(self) -> bool:
        """Whether the respondent met any form of aggression in the past 12 months."""
        return any(count > 0 for count in self.victimisations.values())

    @property
    def incidents(self) -> int:
        """Number of incidents of all forms in the past 12 months."""
        return sum(self.victimisations.values())


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
    consequences : set of Consequence, default empty
        Consequences of this incident.

    Examples
    --------
    >>> from vpt_monitor import Incident
    >>> Incident("r1", 2016, "bedreiging", channel="sociale-media", police_report=True).form
    <Form.THREAT: 'bedreiging'>
    """

    respondent_id: str = attrs.field(converter=_to_id, validator=_identifier)
    wave: int = attrs.field(validator=_wave)
    form: Form = attrs.field(converter=_to_form, validator=_member(Form))
    channel: Channel | None = attrs.field(
        default=None,
        kw_only=True,
        converter=_to_channel,
        validator=_member(Channel, optional=True),
    )
    reported_internally: bool | None = attrs.field(
        default=None, kw_only=True, validator=_optional_bool
    )
    police_report: bool | None = attrs.field(default=None, kw_only=True, validator=_optional_bool)
    registered: bool | None = attrs.field(default=None, kw_only=True, validator=_optional_bool)
    severity: int | None = attrs.field(default=None, kw_only=True, validator=_severity)
    aftercare: bool | None = attrs.field(default=None, kw_only=True, validator=_optional_bool)
    consequences: frozenset[Consequence] = attrs.field(
        factory=frozenset,
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
    measures : set of Measure, default empty
        Policy measures in place (Dutch codes or members).
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
    wave: int = attrs.field(validator=_wave)
    layer: Layer = attrs.field(converter=_to_layer, validator=_member(Layer))
    employees: int = attrs.field(kw_only=True, validator=_employees)
    measures: frozenset[Measure] = attrs.field(
        factory=frozenset, kw_only=True, converter=_to_measures, validator=_members(Measure)
    )
    weight: float = attrs.field(default=1.0, kw_only=True, validator=_positive(False))
    stratum: str | int | None = attrs.field(default=None, kw_only=True, validator=_label)
    fpc: float | None = attrs.field(default=None, kw_only=True, validator=_positive(True))


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
    wave: int = attrs.field(validator=_wave)
    kind: ViolationType = attrs.field(
        converter=_to_violation_type, validator=_member(ViolationType)
    )
    status: ViolationStatus = attrs.field(
        default=ViolationStatus.CONFIRMED,
        kw_only=True,
        converter=_to_status,
        validator=_member(ViolationStatus),
    )
