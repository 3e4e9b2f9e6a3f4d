"""Codes matched as people type them: exactly, else ignoring case and accents if unambiguous.

A file may spell a province ``DRENTHE`` or ``Drenthe`` where the vocabulary's code is
``drenthe``, an office ``Burgemeester`` for ``burgemeester``, or use the official spelling
``Fryslân`` where the code is ``fryslan``. Such a value is the code when exactly one code
equals it ignoring case and surrounding spaces, else when exactly one equals it ignoring
accents too (Unicode NFKD decomposition without the combining marks): codes that differ
only in accents (``Fryslân`` and ``Fryslan``) are each matched in any case, and when two
codes differ only in case (declared attribute codes ``"A"`` and ``"a"``) only the exact
spelling matches.
A value that matches nothing gets the closest code as a suggestion (:mod:`difflib`).
Readers call :func:`positions` once per distinct value of a column, never per row.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["closest_label", "did_you_mean", "find_label", "fold", "match", "positions"]


def fold(text: str) -> str:
    """Return ``text`` without surrounding spaces, case and accents (the key codes match on)."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.casefold()


def _folded(allowed: Sequence[str], key: Callable[[str], str] = fold) -> dict[str, int]:
    """Folded code -> position, for the codes whose folded form is unique."""
    seen: dict[str, int] = {}
    clash: set[str] = set()
    for k, code in enumerate(allowed):
        folded = key(code)
        if folded in seen:
            clash.add(folded)
        seen[folded] = k
    return {folded: k for folded, k in seen.items() if folded not in clash}


def _case(text: str) -> str:
    """Return ``text`` without surrounding spaces and case (accents kept)."""
    return text.strip().casefold()


def positions(texts: Sequence[str], allowed: Sequence[str]) -> NDArray[np.intp]:
    """Return the position in ``allowed`` of each text, or -1 when none matches.

    Examples
    --------
    >>> from vpt_monitor.stats._match import positions
    >>> positions(["drenthe", "DRENTHE", " Drenthe ", "drent"], ["groningen", "drenthe"])
    array([ 1,  1,  1, -1])
    >>> positions(["Fryslân", "FRYSLAN"], ["fryslan"])
    array([0, 0])
    >>> positions(["fryslân", "FRYSLAN", "fryslan"], ["Fryslân", "Fryslan"])
    array([0, 1, 1])
    """
    exact = {code: k for k, code in enumerate(allowed)}
    cased = _folded(allowed, _case)
    folded = _folded(allowed)
    out = np.full(len(texts), -1, dtype=np.intp)
    for i, text in enumerate(texts):
        k = exact.get(text)
        if k is None:
            k = cased.get(_case(text))
        if k is None:
            k = folded.get(fold(text), -1)
        out[i] = k
    return out


def match(text: str, allowed: Sequence[str]) -> int:
    """Return the position of one text in ``allowed`` (see :func:`positions`); -1 if none."""
    return int(positions([text], allowed)[0])


def did_you_mean(text: str, allowed: Sequence[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest code to ``text``, or ``""``.

    Examples
    --------
    >>> from vpt_monitor.stats._match import did_you_mean
    >>> did_you_mean("Drente", ["groningen", "drenthe", "overijssel"])
    " (did you mean 'drenthe'?)"
    >>> did_you_mean("xyz", ["groningen", "drenthe"])
    ''
    """
    folded = {fold(code): code for code in reversed(allowed)}
    close = difflib.get_close_matches(fold(str(text)), list(folded), n=1, cutoff=0.6)
    return f" (did you mean {folded[close[0]]!r}?)" if close else ""


def _parts(label: object) -> tuple[object, ...]:
    return label if isinstance(label, tuple) else (label,)


def _same(part: object, wanted: object, key: Callable[[str], str] | None) -> bool:
    if part == wanted:
        return True
    if key is None or not (isinstance(wanted, str) and isinstance(part, str)):
        return False
    return key(part) == key(wanted)


def find_label(domains: Sequence[object], label: object) -> int:
    """Return the position of ``label`` among ``domains`` matching text parts as codes match.

    A tuple label is matched part by part: exactly, else ignoring case, else ignoring
    accents too, each when exactly one domain matches (see :func:`positions`). Returns -1
    when no domain, or more than one, matches at every step.

    Examples
    --------
    >>> from vpt_monitor.stats._match import find_label
    >>> find_label(["Fryslân", "Fryslan"], "FRYSLÂN"), find_label(["Fryslân"], "fryslan")
    (0, 0)
    """
    wanted = _parts(label)
    for key in (None, _case, fold):
        hits = [
            k
            for k, domain in enumerate(domains)
            if len(_parts(domain)) == len(wanted)
            and all(_same(p, w, key) for p, w in zip(_parts(domain), wanted, strict=True))
        ]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return -1
    return -1


def closest_label(domains: Sequence[object], label: object) -> str:
    """Return ``" (did you mean X?)"`` for the domain closest to ``label``, or ``""``."""

    def text(value: object) -> str:
        return ", ".join(str(p) for p in _parts(value))

    shown = {fold(text(d)): d for d in reversed(list(domains))}
    close = difflib.get_close_matches(fold(text(label)), list(shown), n=1, cutoff=0.6)
    if not close:
        return ""
    best = shown[close[0]]
    plain = tuple(str(p) if isinstance(p, str) else p for p in _parts(best))
    shown_best = plain if isinstance(best, tuple) else plain[0]
    return f" (did you mean {shown_best!r}?)"
