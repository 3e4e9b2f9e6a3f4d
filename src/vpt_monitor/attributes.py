"""Respondent attributes: further characteristics that indicators can use as domains.

The monitor's questions since 2016 go beyond layer and office: who is at risk (women more
than men), where (one factsheet per province), and how often people deal with citizens. An
:class:`Attribute` declares such a characteristic - its name, its kind and, for a category,
its codes and their labels in English and Dutch - and every indicator's ``by=`` accepts its
name next to ``"wave"``, ``"layer"``, ``"office"`` and ``"group"``.

Five attributes are built in, each with a vocabulary (an enum of Dutch codes):

============================  =====================================================
name                          codes
============================  =====================================================
``gender``                    :class:`~vpt_monitor.Gender` (m, v, x)
``age_band``                  :class:`~vpt_monitor.AgeBand`
``province``                  :class:`~vpt_monitor.Province` (the twelve)
``municipality_size``         :class:`~vpt_monitor.MunicipalitySize`
``contact``                   :class:`~vpt_monitor.ContactFrequency`
============================  =====================================================

Others are declared: in Python with :class:`Attribute`, in a codebook with an
``[attributes.<name>]`` section (see :func:`vpt_monitor.io.read_codebook`). A value that is
missing (None, an empty cell) is unknown: a respondent without it is left out of the domains
of that attribute, and the result's notes count them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

import attrs

from vpt_monitor._codes import RESPONDENT_FIELDS
from vpt_monitor._frozen import FrozenMap
from vpt_monitor.vocab import AgeBand, ContactFrequency, Gender, MunicipalitySize, Province

__all__ = ["ATTRIBUTE_KINDS", "BUILT_IN_ATTRIBUTES", "Attribute", "declare"]

#: Kinds of attribute: a category (a code from a list), a whole number, a number, yes/no.
ATTRIBUTE_KINDS = ("category", "integer", "number", "boolean")

#: Names an attribute may not take: the respondent's own fields and the domain names.
RESERVED = frozenset({*RESPONDENT_FIELDS, "attributes"})

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


def _titles(value: Any) -> tuple[str, str]:
    if isinstance(value, str):
        return value, value
    english, dutch = value
    return str(english), str(dutch)


def _code_labels(value: Any) -> Mapping[str, tuple[str, str]]:
    return FrozenMap({str(k): _titles(v) for k, v in dict(value or {}).items()})


def code_text(value: Any) -> str | None:
    """Return the text of a category code (an integral number loses ``.0``; None if missing)."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
    text = str(value.value if isinstance(value, StrEnum) else value).strip()
    return text or None


@attrs.frozen
class Attribute:
    """A characteristic of respondents that indicators can use as a domain.

    Parameters
    ----------
    name : str
        Identifier used in ``by=`` and as the column name: lower case letters, digits and
        underscores, not one of the respondent's own fields.
    kind : {"category", "integer", "number", "boolean"}, default "category"
        A category takes codes from ``codes``; an integer whole numbers (each distinct value
        a domain); a number any finite value (not a domain: bin it into a category first);
        a boolean yes or no.
    codes : sequence of str, optional
        The codes of a category, in the order domains are listed. Empty: the codes found
        in the data, sorted.
    labels : mapping, optional
        ``{code: (English, Dutch)}`` (or one text for both) for tables and reports; a code
        without a label is shown as itself.
    title : str or (str, str), optional
        The attribute's own name in English and Dutch; by default ``name``.
    vocabulary : StrEnum subclass, optional
        For the built-in attributes: the enum whose members are the codes.

    Examples
    --------
    >>> from vpt_monitor.attributes import Attribute, BUILT_IN_ATTRIBUTES
    >>> size = Attribute("team_size", "integer")
    >>> size.kind, size.domain_kind
    ('integer', True)
    >>> region = Attribute("region", codes=("noord", "zuid"),
    ...                    labels={"noord": ("north", "noord"), "zuid": ("south", "zuid")})
    >>> region.label("zuid", "en"), region.label("zuid", "nl")
    ('south', 'zuid')
    >>> BUILT_IN_ATTRIBUTES["gender"].codes[1].label
    'women'
    """

    name: str = attrs.field()
    kind: str = attrs.field(default="category")
    codes: tuple[Any, ...] = attrs.field(default=(), converter=tuple)
    labels: Mapping[str, tuple[str, str]] = attrs.field(
        factory=dict, converter=_code_labels, repr=False
    )
    title: tuple[str, str] | None = attrs.field(default=None, repr=False)
    vocabulary: type[StrEnum] | None = attrs.field(default=None, repr=False)

    @name.validator
    def _check_name(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str) or not _NAME.match(value):
            raise ValueError(
                f"Attribute: name must be lower case letters, digits and underscores, starting "
                f"with a letter; got {value!r}"
            )
        if value in RESERVED:
            raise ValueError(
                f"Attribute: name {value!r} is a field of the respondent already; choose another"
            )

    @kind.validator
    def _check_kind(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in ATTRIBUTE_KINDS:
            raise ValueError(
                f"Attribute {self.name!r}: kind must be one of {', '.join(ATTRIBUTE_KINDS)}; "
                f"got {value!r}"
            )

    def __attrs_post_init__(self) -> None:
        if self.codes and self.kind != "category":
            raise ValueError(f"Attribute {self.name!r}: only a category has codes")
        if self.vocabulary is None:
            texts = [code_text(c) for c in self.codes]
            if any(t is None for t in texts):
                raise ValueError(f"Attribute {self.name!r}: a code is empty: {self.codes!r}")
            if len(set(texts)) != len(texts):
                raise ValueError(f"Attribute {self.name!r}: codes repeat: {self.codes!r}")
            object.__setattr__(self, "codes", tuple(texts))
        if self.title is None:
            object.__setattr__(self, "title", (self.name, self.name))
        else:
            object.__setattr__(self, "title", _titles(self.title))

    @property
    def domain_kind(self) -> bool:
        """Whether the attribute can be a domain (``by=``): all kinds but numbers."""
        return self.kind != "number"

    def parse(self, value: Any) -> Any:
        """Return the value as the attribute holds it, or raise ValueError saying why.

        Categories give their code (an enum member for the built-ins), integers an int,
        numbers a float, booleans a bool; a missing value gives None.
        """
        from vpt_monitor.records import is_missing, plain

        value = plain(value)
        if value is None or is_missing(value):
            return None
        if self.kind == "category":
            text = code_text(value) or ""
            if self.vocabulary is not None:
                if text in self.vocabulary._value2member_map_:
                    return self.vocabulary(text)
            elif text and (not self.codes or text in self.codes):
                return text
            shown = ", ".join(repr(str(c)) for c in self.codes)
            raise ValueError(f"{value!r} is not a code of {self.name!r}; codes: {shown}")
        if self.kind == "boolean":
            if isinstance(value, bool):
                return value
            if isinstance(value, int | float) and value in (0, 1):
                return bool(value)
            raise ValueError(f"{value!r} is not True or False (or 1 or 0)")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{value!r} is not a number")
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number")
        if self.kind == "integer":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(f"{value!r} is not a whole number")
            return int(value)
        return float(value)

    def label(self, code: Any, language: str = "en") -> str:
        """Return the label of a code in ``"en"`` or ``"nl"``."""
        if isinstance(code, StrEnum) and hasattr(code, "label"):
            return str(code.label if language == "en" else code.dutch)  # type: ignore[attr-defined]
        text = code_text(code) or ""
        pair = self.labels.get(text)
        if pair is None:
            return text
        return pair[0] if language == "en" else pair[1]

    def with_codes(self, codes: Sequence[Any]) -> Attribute:
        """Return the attribute with the codes found in data (one without declared codes)."""
        return attrs.evolve(self, codes=tuple(codes))


def _built_in(name: str, vocabulary: type[StrEnum], title: tuple[str, str]) -> Attribute:
    return Attribute(name, "category", tuple(vocabulary), title=title, vocabulary=vocabulary)


#: The attributes every data set knows, by name.
BUILT_IN_ATTRIBUTES: Mapping[str, Attribute] = FrozenMap(
    {
        "gender": _built_in("gender", Gender, ("gender", "geslacht")),
        "age_band": _built_in("age_band", AgeBand, ("age", "leeftijd")),
        "province": _built_in("province", Province, ("province", "provincie")),
        "municipality_size": _built_in(
            "municipality_size", MunicipalitySize, ("municipality size", "gemeentegrootte")
        ),
        "contact": _built_in(
            "contact", ContactFrequency, ("contact with citizens", "contact met burgers")
        ),
    }
)


def declare(attributes: Iterable[Attribute | str] | None) -> dict[str, Attribute]:
    """Return the attributes a data set may hold: the built-in ones and those declared.

    A name alone declares a category whose codes are those found in the data.

    Raises
    ------
    ValueError
        For a name declared twice, or a built-in name declared with another definition.
    TypeError
        For an element that is neither an Attribute nor a name.
    """
    known = dict(BUILT_IN_ATTRIBUTES)
    seen: set[str] = set()
    for item in attributes or ():
        spec = Attribute(item) if isinstance(item, str) else item
        if not isinstance(spec, Attribute):
            raise TypeError(f"'attributes' must hold Attribute declarations or names; got {item!r}")
        if spec.name in seen:
            raise ValueError(f"attribute {spec.name!r} is declared twice")
        seen.add(spec.name)
        built_in = BUILT_IN_ATTRIBUTES.get(spec.name)
        if built_in is not None and spec != built_in and not isinstance(item, str):
            raise ValueError(
                f"attribute {spec.name!r} is built in (codes of {built_in.vocabulary.__name__})"
                "; declare your own under another name"
                if built_in.vocabulary is not None
                else f"attribute {spec.name!r} is built in"
            )
        if built_in is None:
            known[spec.name] = spec
    return known
