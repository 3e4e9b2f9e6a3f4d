"""Labels and number formats in English and Dutch, for everything the library prints or writes.

One vocabulary for labels: :func:`label` names any domain value - a member of a vocabulary
(:class:`~vpt_monitor.Office`, :class:`~vpt_monitor.Province`, ...), a wave, a tuple of them,
``"all"`` - in ``"en"`` or ``"nl"``, from the vocabulary's own ``label`` and ``dutch``, so that
printed tables, the report, its CSV and Excel files and the factsheets call the same thing by
the same name.

Numbers follow the language: Dutch writes ``26,0%``, ``35.000`` and ``p < 0,001``; English
``26.0%``, ``35,000`` and ``p < 0.001``. An interval is written with an en dash between two
bounds that are not negative (``25,1–27,0``) and with ``tot`` / ``to`` when a bound is negative
(``-5,6 tot -2,0``), never as ``-5.6 - -2.0``. Nothing is written in scientific notation.

The language of printed tables (``repr`` of :class:`~vpt_monitor.ChangeTable`,
:class:`~vpt_monitor.TrendTable`, :class:`~vpt_monitor.SensitivityResult`, and the domain
labels of an :class:`~vpt_monitor.stats.EstimateTable` made by an indicator) is English unless
:func:`set_language` says otherwise; the report and the factsheets take ``language=`` and
default to Dutch.

Examples
--------
>>> from vpt_monitor import Office, Province
>>> from vpt_monitor._format import interval, label, percent, p_value
>>> label((2016, Office.MAYOR), "nl"), label(Province.FRYSLAN, "en")
('2016, burgemeester', 'Friesland')
>>> percent(0.26, "nl"), interval(-0.056, -0.02, "nl"), p_value(0.0004, "nl")
('26,0%', '-5,6 tot -2,0', 'p < 0,001')
>>> interval(0.251, 0.27, "en")
'25.1–27.0'
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator, Mapping
from contextlib import contextmanager
from enum import Enum
from typing import Any

import numpy as np

__all__ = [
    "LANGUAGES",
    "MISSING",
    "check_language",
    "get_language",
    "integer",
    "interval",
    "label",
    "language",
    "number",
    "p_value",
    "percent",
    "set_language",
    "signed",
    "table_words",
    "variable",
]

#: The languages of labels and numbers.
LANGUAGES = ("nl", "en")

#: What a cell without a value shows.
MISSING = {"nl": "n.b.", "en": "n/a"}

EN_DASH = "\u2013"

_state = {"language": "en"}


def check_language(value: Any) -> str:
    """Return ``value`` if it is a language, the current one if None; else raise ValueError.

    Examples
    --------
    >>> from vpt_monitor._format import check_language
    >>> check_language("nl")
    'nl'
    """
    if value is None:
        return _state["language"]
    if isinstance(value, str) and value in LANGUAGES:
        return value
    raise ValueError(f"'language' must be 'nl' or 'en'; got {value!r}")


def get_language() -> str:
    """Return the language of printed tables ("en" unless ``set_language`` changed it)."""
    return _state["language"]


def set_language(value: str) -> str:
    """Set the language of printed tables, ``"nl"`` or ``"en"``; return the previous one.

    The report and the factsheets take their own ``language=`` (Dutch by default); this
    setting is for what Python prints and notebooks show: change and trend tables,
    decompositions of a change, the maturity sensitivity summary and the domain labels of
    the indicators' estimate tables.

    Examples
    --------
    >>> from vpt_monitor import set_language
    >>> before = set_language("nl")
    >>> set_language(before)
    'nl'
    """
    chosen = check_language(value)
    previous = _state["language"]
    _state["language"] = chosen
    return previous


@contextmanager
def language(value: str) -> Iterator[str]:
    """Print in ``value`` inside the block, then go back to the language before.

    Examples
    --------
    >>> from vpt_monitor._format import get_language, language
    >>> with language("nl"):
    ...     print(get_language())
    nl
    """
    previous = set_language(value)
    try:
        yield value
    finally:
        set_language(previous)


# ---- labels ---------------------------------------------------------------------------------

#: Labels of values that are not members of a vocabulary: (English, Dutch).
_WORDS: Mapping[Hashable, tuple[str, str]] = {
    "all": ("all", "totaal"),
    "national": ("the Netherlands", "Nederland"),
    True: ("yes", "ja"),
    False: ("no", "nee"),
}

#: Titles of the domain variables and of the columns of tables: (English, Dutch).
VARIABLES: Mapping[str, tuple[str, str]] = {
    "wave": ("wave", "jaar"),
    "group": ("group", "groep"),
    "office": ("office", "functie"),
    "layer": ("layer", "bestuurslaag"),
    "domain": ("domain", "domein"),
    "label": ("label", "omschrijving"),
    "gender": ("gender", "geslacht"),
    "age_band": ("age", "leeftijd"),
    "province": ("province", "provincie"),
    "municipality_size": ("municipality size", "gemeentegrootte"),
    "contact": ("contact with citizens", "contact met burgers"),
    "measure": ("measure", "maatregel"),
    "scheme": ("scheme", "schema"),
    "item": ("item", "item"),
    "estimate": ("estimate", "schatting"),
    "se": ("se", "se"),
    "low": ("low", "onder"),
    "high": ("high", "boven"),
    "n": ("n", "n"),
}


#: The words of a printed estimate table (``repr`` of an indicator's
#: :class:`~vpt_monitor.stats.EstimateTable`): its kind, its flags, its title line.
KINDS: Mapping[str, tuple[str, str]] = {
    "proportion": ("proportion", "aandeel"),
    "mean": ("mean", "gemiddelde"),
    "total": ("total", "totaal"),
    "ratio": ("ratio", "verhouding"),
    "rate": ("rate", "frequentie"),
    "quantile": ("quantile", "kwantiel"),
    "variance": ("variance", "variantie"),
    "coefficient": ("coefficient", "coëfficiënt"),
    "contrast": ("contrast", "contrast"),
    "prediction": ("prediction", "voorspelling"),
}

#: The flags of :data:`vpt_monitor.stats.results.FLAGS` as a printed table shows them.
FLAG_WORDS: Mapping[str, tuple[str, str]] = {
    "boundary": ("boundary", "0% of 100%"),
    "no_df": ("no_df", "geen vrijheidsgraden"),
    "empty": ("empty", "leeg"),
    "zero_variance": ("zero_variance", "variantie nul"),
    "zero_denominator": ("zero_denominator", "noemer nul"),
    "not_measured": ("not_measured", "niet gemeten"),
    "unanswered": ("unanswered", "niet beantwoord"),
}


def table_words(key: str, language: str | None = None, **values: Any) -> str:
    """Return a phrase of a printed estimate table in ``language``.

    ``key`` is ``"title"`` (fields ``kind``, ``count``, ``method``, ``level``), ``"more"``
    (``count``: the domains not shown) or ``"flags"`` (``flags``: a tuple of flags). English
    keeps the flags' codes, as ``EstimateTable.flags`` holds them.

    Examples
    --------
    >>> from vpt_monitor._format import table_words
    >>> table_words("title", "nl", kind="proportion", count=1, method="logit", level=0.95)
    'EstimateTable(aandeel, 1 domein, 95%-intervallen (logit))'
    >>> table_words("title", "en", kind="mean", count=4, method="t", level=0.95)
    'EstimateTable(mean, 4 domains, t 95% intervals)'
    >>> table_words("flags", "nl", flags=("boundary",)), table_words("more", "nl", count=10)
    ('[0% of 100%]', '... nog 10 domeinen')
    """
    chosen = check_language(language)
    nl = chosen == "nl"
    if key == "flags":
        flags = values["flags"]
        if not nl:
            return "[" + ",".join(flags) + "]"
        return "[" + ", ".join(_pick(FLAG_WORDS.get(f, (f, f)), chosen) for f in flags) + "]"
    count = int(values["count"])
    domains = domains_word(count, nl)
    if key == "more":
        return f"... nog {count} {domains}" if nl else f"... {count} more {domains}"
    kind = str(values["kind"])
    level = f"{round(100 * float(values['level']), 6):g}%"  # 99.5%, not 100%
    if nl:
        kind = _pick(KINDS.get(kind, (kind, kind)), chosen)
        level = number(100 * float(values["level"]), chosen, digits=None) + "%"
        return f"EstimateTable({kind}, {count} {domains}, {level}-intervallen ({values['method']}))"
    return f"EstimateTable({kind}, {count} {domains}, {values['method']} {level} intervals)"


def domains_word(count: int, dutch: bool) -> str:
    """Return "domain" or "domains" (Dutch: "domein", "domeinen") for ``count`` of them."""
    if dutch:
        return "domein" if count == 1 else "domeinen"
    return "domain" if count == 1 else "domains"


def _pick(pair: tuple[str, str], chosen: str) -> str:
    return pair[0] if chosen == "en" else pair[1]


def label(value: Any, language: str | None = None, *, attribute: Any = None) -> str:
    """Return the label of a domain value in ``language`` ("en" or "nl").

    Parameters
    ----------
    value : object
        A vocabulary member (its ``label`` or ``dutch``), a tuple of values (labels joined by
        ", "), a wave or other number, ``"all"``, True or False, or a code.
    language : {"en", "nl"}, optional
        By default the language of printed tables (:func:`get_language`).
    attribute : object, optional
        A declared attribute (with a ``label(code, language)`` method) whose labels name
        its plain codes.

    Examples
    --------
    >>> from vpt_monitor import Group, Office
    >>> from vpt_monitor._format import label
    >>> label(Office.CIVIL_SERVANT, "nl"), label(Group.EMPLOYEE, "nl")
    ('overheidsmedewerker', 'overheidsmedewerkers')
    >>> label("all", "nl"), label(2016, "nl"), label(None, "en")
    ('totaal', '2016', '')
    """
    chosen = check_language(language)
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(label(part, chosen, attribute=attribute) for part in value)
    if isinstance(value, Enum) and hasattr(value, "label") and hasattr(value, "dutch"):
        return str(value.label if chosen == "en" else value.dutch)
    if isinstance(value, bool | np.bool_):
        return _pick(_WORDS[bool(value)], chosen)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return number(float(value), chosen, digits=None)
    if attribute is not None and hasattr(attribute, "label"):
        return str(attribute.label(value, chosen))
    if isinstance(value, str) and value in _WORDS:
        return _pick(_WORDS[value], chosen)
    return str(value)


def variable(name: str, language: str | None = None, *, attribute: Any = None) -> str:
    """Return the title of a domain variable or column (``"wave"`` is "jaar" in Dutch).

    Examples
    --------
    >>> from vpt_monitor._format import variable
    >>> variable("office", "nl"), variable("province", "en"), variable("team", "nl")
    ('functie', 'province', 'team')
    """
    chosen = check_language(language)
    title = getattr(attribute, "title", None)
    if isinstance(title, tuple) and len(title) == 2:
        return _pick((str(title[0]), str(title[1])), chosen)
    pair = VARIABLES.get(name)
    return name if pair is None else _pick(pair, chosen)


def find(domains: tuple[Hashable, ...], key: Hashable) -> int:
    """Position of ``key`` among ``domains``: the value itself, its code, or a label.

    A label is matched in English or Dutch, ignoring case; a tuple is matched part by part.
    Raises KeyError naming the domains when nothing (or more than one domain) matches.

    Examples
    --------
    >>> from vpt_monitor import Office
    >>> from vpt_monitor._format import find
    >>> domains = (Office.MAYOR, Office.ALDERMAN)
    >>> find(domains, "wethouder"), find(domains, "Mayor"), find(domains, Office.ALDERMAN)
    (1, 0, 1)
    """
    if key in domains:
        return domains.index(key)

    def names(value: Any) -> set[str]:
        if isinstance(value, tuple):
            return set()
        return {str(value).casefold(), *(label(value, lang).casefold() for lang in LANGUAGES)}

    def matches(domain: Hashable, wanted: Hashable) -> bool:
        if isinstance(domain, tuple):
            parts = wanted if isinstance(wanted, tuple) else None
            return (
                parts is not None
                and len(parts) == len(domain)
                and all(matches(d, w) for d, w in zip(domain, parts, strict=True))
            )
        if domain == wanted:
            return True
        return isinstance(wanted, str) and wanted.strip().casefold() in names(domain)

    found = [i for i, domain in enumerate(domains) if matches(domain, key)]
    if len(found) == 1:
        return found[0]
    shown = ", ".join(repr(label(d, "en")) for d in domains[:12])
    more = ", ..." if len(domains) > 12 else ""
    why = "matches several domains" if found else "is not a domain of this table"
    raise KeyError(f"{key!r} {why}; domains: {shown}{more}")


# ---- numbers --------------------------------------------------------------------------------


def _finite(value: Any) -> float | None:
    try:
        number_ = float(value)
    except (TypeError, ValueError):
        return None
    return number_ if math.isfinite(number_) else None


def _localise(text: str, chosen: str) -> str:
    """Swap the separators of an English number for Dutch ones."""
    if chosen == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def number(
    value: Any,
    language: str | None = None,
    *,
    digits: int | None = 1,
    grouping: bool = True,
) -> str:
    """Write a number with ``digits`` decimals (None: as few as needed), never as 1e-05.

    Thousands are grouped (``35.000`` in Dutch, ``35,000`` in English) unless ``grouping``
    is false; infinity is ``∞``; NaN and None are :data:`MISSING`. A value that rounds to
    zero has no minus sign.

    Examples
    --------
    >>> from vpt_monitor._format import number
    >>> number(35000, "nl", digits=0), number(1234.5678, "en", digits=2)
    ('35.000', '1,234.57')
    >>> number(0.00001234, "en", digits=None), number(-0.004, "nl")
    ('0.00001234', '0,0')
    """
    chosen = check_language(language)
    if value is None:
        return MISSING[chosen]
    try:
        raw = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(raw):
        return MISSING[chosen]
    if math.isinf(raw):
        return "\u221e" if raw > 0 else "-\u221e"
    group = "," if grouping else ""
    if digits is None:
        text = np.format_float_positional(raw, trim="-", precision=12, fractional=False)
        whole, _, fraction = text.lstrip("-").partition(".")
        whole = f"{int(whole):{group}d}"
        text = ("-" if raw < 0 else "") + whole + (f".{fraction}" if fraction else "")
    else:
        text = f"{raw:{group}.{digits}f}"
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]
    return _localise(text, chosen)


def integer(value: Any, language: str | None = None) -> str:
    """Write a count with thousands grouped: ``35.000`` (nl), ``35,000`` (en).

    Examples
    --------
    >>> from vpt_monitor._format import integer
    >>> integer(34822, "nl"), integer(7, "en")
    ('34.822', '7')
    """
    return number(value, language, digits=0)


def percent(value: Any, language: str | None = None, *, digits: int = 1, sign: bool = False) -> str:
    """Write a share (0.26) as a percentage (``26,0%`` in Dutch, ``26.0%`` in English).

    Examples
    --------
    >>> from vpt_monitor._format import percent
    >>> percent(0.2604, "nl"), percent(float("nan"), "en")
    ('26,0%', 'n/a')
    """
    chosen = check_language(language)
    finite = _finite(value)
    if finite is None:
        return number(value, chosen, digits=digits)
    text = (
        signed(100 * finite, chosen, digits=digits)
        if sign
        else number(100 * finite, chosen, digits=digits)
    )
    return f"{text}%"


def signed(value: Any, language: str | None = None, *, digits: int = 1) -> str:
    """Write a change with its sign: ``+2,3``, ``-5,6``, ``0,0``.

    Examples
    --------
    >>> from vpt_monitor._format import signed
    >>> signed(2.345, "nl"), signed(-5.6, "en"), signed(0.01, "en")
    ('+2,3', '-5.6', '0.0')
    """
    text = number(value, language, digits=digits)
    if _finite(value) is not None and text[0].isdigit() and any(c in "123456789" for c in text):
        return f"+{text}"
    return text


def interval(
    low: Any,
    high: Any,
    language: str | None = None,
    *,
    scale: float = 100.0,
    digits: int = 1,
) -> str:
    """Write an interval: ``25,1–27,0`` (en dash), or ``-5,6 tot -2,0`` when a bound is negative.

    Parameters
    ----------
    low, high : float
        The bounds (shares, by default written as percentages without the % sign).
    language : {"en", "nl"}, optional
        Dutch ``tot``, English ``to`` between bounds when one is negative.
    scale : float, default 100
        Factor applied to the bounds (100 for shares written as percentages, 1 for scores).
    digits : int, default 1
        Decimals.

    Examples
    --------
    >>> from vpt_monitor._format import interval
    >>> interval(0.251, 0.27, "nl"), interval(-0.056, 0.02, "en")
    ('25,1–27,0', '-5.6 to 2.0')
    >>> interval(12.0, float("inf"), "en", scale=1)
    '12.0–∞'
    """
    chosen = check_language(language)
    first, second = _finite(low), _finite(high)
    if first is None and second is None and not _infinite(low) and not _infinite(high):
        return MISSING[chosen]
    texts = [
        number(v * scale if _finite(v) is not None else v, chosen, digits=digits)
        for v in (low, high)
    ]
    if any(t.startswith("-") for t in texts):
        word = " tot " if chosen == "nl" else " to "
        return word.join(texts)
    return EN_DASH.join(texts)


def _infinite(value: Any) -> bool:
    try:
        return math.isinf(float(value))
    except (TypeError, ValueError):
        return False


def p_value(p: Any, language: str | None = None, *, prefix: bool = True) -> str:
    """Write a p-value: ``p < 0,001`` below 0.001, else with three decimals (``p = 0,034``).

    Examples
    --------
    >>> from vpt_monitor._format import p_value
    >>> p_value(0.0004, "nl"), p_value(0.03449, "en"), p_value(0.5, "nl", prefix=False)
    ('p < 0,001', 'p = 0.034', '0,500')
    """
    chosen = check_language(language)
    finite = _finite(p)
    if finite is None:
        return MISSING[chosen]
    if finite < 0.001:
        text = f"< {number(0.001, chosen, digits=3)}"
    else:
        text = f"{'= ' if prefix else ''}{number(finite, chosen, digits=3)}"
    return f"p {text}" if prefix else text
