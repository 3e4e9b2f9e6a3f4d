"""Reading the files that research agencies deliver: CSV, Parquet and SPSS ``.sav``.

A *codebook* (a TOML file) maps the columns and codes of the source files to the library's
fields and vocabularies, one table per section::

    [respondents]
    file = "respondenten.csv"          # optional: the file of this table, in the codebook's folder
    encoding = "cp1252"                # optional, CSV only: the text encoding (default UTF-8)
    delimiter = ";"                    # optional, CSV only (default: sniffed from the header)
    decimal = ","                      # optional, CSV only (default "," when delimiter is ";")

    [respondents.columns]              # library field = source column
    id = "respnr"
    wave = "jaar"
    layer = "bestuurslaag"
    office = "functie"
    weight = "gewicht"
    "incidents:verbaal" = "v12a"

    [respondents.codes.layer]          # source code = library code
    1 = "rijk"
    2 = "provincie"

Fields not mapped keep their own name, so the default codebook - no mapping at all - reads
files that use the library's column names (see :class:`~vpt_monitor.MonitorData`).

Every problem of every file is reported in one :class:`~vpt_monitor.MonitorDataError`, each
with the file, the line (the physical line of the record in a CSV file) or the row (the
1-based data row of a Parquet or ``.sav`` file), the column, the value and the reason, and
nothing is loaded when any row is bad. A file that cannot be parsed at all raises
:class:`FileFormatError`, a bad codebook :class:`CodebookError`; both are
:class:`~vpt_monitor.MonitorDataError` (and so :class:`ValueError`), one family to catch.

Reading CSV needs nothing beyond the library, and is several times faster with pyarrow
installed (the ``parquet`` extra); Parquet needs pyarrow and ``.sav`` pyreadstat with pandas
(the ``spss`` extra). Columns are checked once per distinct value and as whole arrays (see
:mod:`vpt_monitor.data.cells`), so a file of a million rows is read in seconds.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor._codes import CHANNELS, FORMS, LAYERS, OFFICES, STATUSES, VIOLATIONS
from vpt_monitor.attributes import BUILT_IN_ATTRIBUTES, Attribute, declare
from vpt_monitor.data.cells import (
    ArrayCells,
    ArrowCells,
    Cells,
    EncodedCells,
    MaskedCells,
    contiguous,
    plain_numbers,
    refactorize,
    shown,
    take,
    to_float,
)
from vpt_monitor.data.columns import (
    YES_NO_REFUSAL,
    YES_NO_WORDS,
    Flag,
    MissingColumnsError,
    canonical_names,
    check,
    format_flags,
    known_columns,
    missing_code_advice,
    warn_unweighted,
)
from vpt_monitor.data.container import Fresh, MonitorData
from vpt_monitor.data.errors import MonitorDataError
from vpt_monitor.data.reading import (
    FileFormatError,
    Source,
    check_format,
    plain_column,
    read_source,
)
from vpt_monitor.stats._match import did_you_mean, match
from vpt_monitor.stats._validation import warn

__all__ = [
    "TABLES",
    "Codebook",
    "CodebookError",
    "FileFormatError",
    "read_codebook",
    "read_monitor",
    "read_table",
]

TABLES = ("respondents", "incidents", "organisations", "violations")

#: Fields whose CSV cells are numbers (decimal marks are read as the file says).
_NUMERIC_FIELDS = frozenset({"wave", "weight", "fpc", "fpc2", "employees", "severity"})
_NUMERIC_PREFIXES = ("incidents:",)
#: Yes/no fields (0/1) of each table, and the prefixes of the yes/no members of set questions:
#: a decimal-comma file may write them as numbers with decimals (SPSS writes 1,00).
_YES_NO_FIELDS = {
    "respondents": ({"aftercare", "training"}, ("channel:", "consequence:", "violation:")),
    "incidents": (
        {"reported_internally", "police_report", "registered", "aftercare"},
        ("consequence:",),
    ),
    "organisations": (set(), ("measure:",)),
    "violations": (set(), ()),
}
#: Fields that hold design labels, compared as text when a file mixes numbers and text.
_LABEL_FIELDS = ("stratum", "cluster")
_SECTION_KEYS = (
    "file",
    "encoding",
    "delimiter",
    "decimal",
    "columns",
    "codes",
    "missing",
    "ignore",
    "ignore_unknown",
)
#: Keys of the codebook outside any section: they apply to every table.
_GLOBAL_KEYS = ("missing", "ignore_unknown")
#: Columns that no missing-value code applies to: identifiers are never answers.
_IDENTIFIERS = frozenset({"id", "respondent_id", "organisation_id"})
#: The key of ``Codebook.missing`` and ``Codebook.ignore_unknown`` for every table or column.
EVERY = "*"
_FORMAT_KEYS = ("encoding", "delimiter", "decimal")


class CodebookError(FileFormatError):
    r"""A codebook that is not valid: TOML syntax, an unknown section or key, a bad entry.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from vpt_monitor.io import CodebookError, read_codebook
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "codebook.toml"
    >>> _ = path.write_text("[respondents.codes]\nlayer = 3\n")
    >>> try:
    ...     read_codebook(path)
    ... except CodebookError as error:
    ...     print(error.problems[0])
    codebook.toml [respondents.codes] layer: must be a table of source code = library code; got 3
    """


@attrs.frozen
class Codebook:
    """Column and code mappings from source files to the library, per table.

    Attributes
    ----------
    columns : mapping
        ``{table: {library field: source column}}``.
    codes : mapping
        ``{table: {library field: {source code: library code}}}``.
    files : mapping
        ``{table: file path}`` where the codebook names the files (resolved against the
        codebook's folder).
    options : mapping
        ``{table: {"encoding" | "delimiter" | "decimal": value}}``, how to read CSV files.
    path : pathlib.Path or None
        The codebook file, when it was read from one.
    attributes : tuple of Attribute
        Respondent attributes the codebook declares (``[attributes.<name>]`` sections).
    missing : mapping
        ``{table: {library field: missing-value codes}}``, where ``"*"`` stands for every
        table or every field: cells holding one of these codes are read as empty (an
        unanswered question), never as numbers or codes.
    ignore : mapping
        ``{table: source columns}`` that are read as if the file did not have them.
    ignore_unknown : mapping
        ``{table: True}`` (``"*"``: every table) to pass over the columns the library does not
        know instead of refusing them; ``data.source`` lists the columns passed over.

    Examples
    --------
    >>> from vpt_monitor.io import Codebook
    >>> book = Codebook(columns={"respondents": {"id": "respnr"}},
    ...                 codes={"respondents": {"layer": {"1": "rijk"}}})
    >>> book.columns["respondents"]["id"]
    'respnr'
    """

    columns: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    codes: Mapping[str, Mapping[str, Mapping[str, Any]]] = attrs.field(factory=dict)
    files: Mapping[str, Path] = attrs.field(factory=dict)
    options: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    path: Path | None = None
    attributes: tuple[Attribute, ...] = ()
    missing: Mapping[str, Mapping[str, tuple[Any, ...]]] = attrs.field(factory=dict)
    ignore: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    ignore_unknown: Mapping[str, bool] = attrs.field(factory=dict)

    def missing_codes(self, table: str, field: str) -> tuple[Any, ...]:
        """Return the missing-value codes of a field (its own, its table's, the codebook's)."""
        if field in _IDENTIFIERS:
            return ()
        found: list[Any] = []
        for where in (EVERY, table):
            for key in (EVERY, field):
                found += self.missing.get(where, {}).get(key, ())
        return tuple(found)


# ---- the codebook ----------------------------------------------------------------------


def read_codebook(path: str | Path, *, allow_outside: bool = False) -> Codebook:
    r"""Read a TOML codebook; errors name the file and the offending entry.

    Parameters
    ----------
    path : path
        The codebook.
    allow_outside : bool, default False
        Let ``file =`` entries name files outside the codebook's folder (absolute paths,
        ``..``, or links that lead out). By default they are refused, so that a codebook
        received from elsewhere cannot make the library read (and quote in its error
        messages) any file on the machine.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        For TOML that does not parse, an unknown section or key, an entry of the wrong type,
        an unknown encoding, or a file outside the codebook's folder; every problem is listed.
    FileNotFoundError
        If the codebook does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from vpt_monitor.io import read_codebook
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "codebook.toml"
    >>> _ = path.write_text('[respondents]\nfile = "r.csv"\nencoding = "cp1252"\n'
    ...                     '[respondents.columns]\nid = "respnr"\n'
    ...                     '[respondents.codes.layer]\n1 = "rijk"\n')
    >>> book = read_codebook(path)
    >>> book.columns["respondents"]["id"], book.codes["respondents"]["layer"]["1"]
    ('respnr', 'rijk')
    >>> book.files["respondents"].name, book.options["respondents"]["encoding"]
    ('r.csv', 'cp1252')
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"codebook {path} does not exist")
    label = path.name
    raw = path.read_bytes()
    try:
        content = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise CodebookError(
            path, [f"{label} line {line}: not UTF-8 (TOML files are UTF-8); save it as UTF-8"]
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise CodebookError(path, [f"{label}: not valid TOML: {error}"]) from None
    problems: list[str] = []
    columns: dict[str, dict[str, str]] = {}
    codes: dict[str, dict[str, dict[str, Any]]] = {}
    files: dict[str, Path] = {}
    options: dict[str, dict[str, str]] = {}
    folder = path.resolve().parent
    attributes: list[Attribute] = []
    missing: dict[str, dict[str, tuple[Any, ...]]] = {}
    ignore: dict[str, tuple[str, ...]] = {}
    ignore_unknown: dict[str, bool] = {}
    for table, section in content.items():
        if table == "missing":
            codes_found = _codebook_missing(f"{label} missing", section, problems)
            missing[EVERY] = {EVERY: codes_found}
            continue
        if table == "ignore_unknown":
            ignore_unknown[EVERY] = _codebook_flag(f"{label} ignore_unknown", section, problems)
            continue
        if table == "attributes":
            attributes += _codebook_attributes(label, section, problems)
            continue
        if table not in TABLES:
            problems.append(
                f"{label} [{table}]: unknown section{_did_you_mean(table, TABLES)}; "
                f"sections are {', '.join(TABLES)} and attributes (and the keys "
                f"{' and '.join(_GLOBAL_KEYS)} before the first section)"
            )
            continue
        if not isinstance(section, dict):
            problems.append(f"{label} [{table}]: must be a table; got {_shown(section)}")
            continue
        for key, value in section.items():
            where = f"{label} [{table}] {key}"
            if key not in _SECTION_KEYS:
                problems.append(
                    f"{label} [{table}]: unknown key {key!r}{_did_you_mean(key, _SECTION_KEYS)}; "
                    f"keys are {', '.join(_SECTION_KEYS)}"
                )
            elif key == "file":
                found = _codebook_file(where, value, folder, allow_outside, problems)
                if found is not None:
                    files[table] = found
            elif key in _FORMAT_KEYS:
                try:
                    options.setdefault(table, {})[key] = _check_format(key, value)
                except ValueError as error:
                    problems.append(f"{where}: {error}")
            elif key == "columns":
                columns[table] = _codebook_columns(f"{label} [{table}.columns]", value, problems)
            elif key == "missing":
                missing[table] = _codebook_missing_table(where, table, value, problems)
            elif key == "ignore":
                ignore[table] = _codebook_names(where, value, problems)
            elif key == "ignore_unknown":
                ignore_unknown[table] = _codebook_flag(where, value, problems)
            else:
                codes[table] = _codebook_codes(f"{label} [{table}.codes]", value, problems)
    if not problems:
        text = raw.decode("utf-8-sig", errors="replace")
        problems += _codebook_targets(label, text, codes, attributes)
    if problems:
        raise CodebookError(path, problems)
    return Codebook(
        columns,
        codes,
        files,
        options,
        path,
        tuple(attributes),
        missing=missing,
        ignore=ignore,
        ignore_unknown=ignore_unknown,
    )


def _codebook_missing(where: str, value: Any, problems: list[str]) -> tuple[Any, ...]:
    """Read a list of missing-value codes: numbers or texts."""
    if not isinstance(value, list) or not all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        problems.append(
            f"{where}: must be a list of missing-value codes, such as [99, 999, 99999]; "
            f"got {_shown(value)}"
        )
        return ()
    return tuple(value)


def _codebook_missing_table(
    where: str, table: str, value: Any, problems: list[str]
) -> dict[str, tuple[Any, ...]]:
    """``missing = [...]`` (every column of the table) or ``[<table>.missing]`` per field."""
    if isinstance(value, list):
        return {EVERY: _codebook_missing(where, value, problems)}
    if not isinstance(value, dict):
        problems.append(
            f"{where}: must be a list of codes for every column, or a table of field = "
            f"[codes]; got {_shown(value)}"
        )
        return {}
    spellings = canonical_names(table, list(value))[0]  # SPSS-safe names too
    return {
        spellings.get(str(field), str(field)): _codebook_missing(
            f"{where}.{field}", codes, problems
        )
        for field, codes in value.items()
    }


def _codebook_names(where: str, value: Any, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{where}: must be a list of column names; got {_shown(value)}")
        return ()
    return tuple(v.strip() for v in value)


def _codebook_flag(where: str, value: Any, problems: list[str]) -> bool:
    if not isinstance(value, bool):
        problems.append(f"{where}: must be true or false; got {_shown(value)}")
        return False
    return value


_ATTRIBUTE_KEYS = ("kind", "codes", "labels", "title")


def _titles(value: str | list[Any]) -> tuple[str, str]:
    return (value, value) if isinstance(value, str) else (str(value[0]), str(value[1]))


def _codebook_attributes(label: str, section: Any, problems: list[str]) -> list[Attribute]:
    """Attribute declarations of an ``[attributes]`` section, every bad entry a problem."""
    if not isinstance(section, dict):
        problems.append(f"{label} [attributes]: must hold [attributes.<name>] tables")
        return []
    found = []
    for name, entry in section.items():
        where = f"{label} [attributes.{name}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a table of {', '.join(_ATTRIBUTE_KEYS)}")
            continue
        unknown = [key for key in entry if key not in _ATTRIBUTE_KEYS]
        for key in unknown:
            problems.append(
                f"{where}: unknown key {key!r}{_did_you_mean(key, _ATTRIBUTE_KEYS)}; keys are "
                f"{', '.join(_ATTRIBUTE_KEYS)}"
            )
        codes = entry.get("codes", [])
        labels = entry.get("labels", {})
        title = entry.get("title")
        if not isinstance(codes, list) or not all(isinstance(c, str | int) for c in codes):
            problems.append(f"{where} codes: must be a list of codes; got {_shown(codes)}")
            continue
        pairs = isinstance(labels, dict) and all(
            isinstance(v, str) or (isinstance(v, list) and len(v) == 2) for v in labels.values()
        )
        if not pairs:
            problems.append(
                f'{where} labels: must be a table of code = "label" or ["English", '
                f'"Dutch"]; got {_shown(labels)}'
            )
            continue
        if title is not None and not (
            isinstance(title, str) or (isinstance(title, list) and len(title) == 2)
        ):
            problems.append(f"{where} title: must be a text or [English, Dutch]")
            continue
        try:
            found.append(
                Attribute(
                    name,
                    entry.get("kind", "category"),
                    tuple(codes),
                    labels=labels,
                    title=None if title is None else _titles(title),
                )
            )
        except ValueError as error:
            problems.append(f"{where}: {error}")
    return found


def _codebook_file(
    where: str, value: Any, folder: Path, allow_outside: bool, problems: list[str]
) -> Path | None:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: must be a file name; got {_shown(value)}")
        return None
    found = (folder / value).resolve()
    if not allow_outside and not found.is_relative_to(folder):
        problems.append(
            f"{where}: {value!r} is outside the codebook's folder {folder}; put the file "
            "beside the codebook, or pass allow_outside=True (--allow-outside) if you trust "
            "the codebook"
        )
        return None
    return found


def _codebook_columns(where: str, value: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append(
            f"{where}: must be a table of library field = source column; got {_shown(value)}"
        )
        return {}
    mapping: dict[str, str] = {}
    for field, source in value.items():
        if not isinstance(source, str) or not source.strip():
            problems.append(f"{where} {field}: must name a source column; got {_shown(source)}")
        else:
            mapping[field] = source.strip()
    return mapping


def _codebook_codes(where: str, value: Any, problems: list[str]) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        problems.append(
            f"{where}: must be a table of [{where.split('[')[-1][:-1]}.<field>] tables; "
            f"got {_shown(value)}"
        )
        return {}
    result: dict[str, dict[str, Any]] = {}
    for field, recode in value.items():
        if not isinstance(recode, dict):
            problems.append(
                f"{where} {field}: must be a table of source code = library code; "
                f"got {_shown(recode)}"
            )
            continue
        for code, target in recode.items():
            if not isinstance(target, str | int | float) or isinstance(target, bool):
                problems.append(
                    f"{where[:-1]}.{field}] {code}: must be a code (text or a number); "
                    f"got {_shown(target)}"
                )
        result[field] = {str(k).strip(): v for k, v in recode.items()}
    return result


#: The library codes of the coded fields, by table, which a codebook's recoding must give.
_CODED_FIELDS: dict[str, dict[str, tuple[StrEnum, ...]]] = {
    "respondents": {"layer": LAYERS, "office": OFFICES},
    "organisations": {"layer": LAYERS},
    "incidents": {"form": FORMS, "channel": CHANNELS},
    "violations": {"kind": VIOLATIONS, "status": STATUSES},
}


def _codebook_targets(
    label: str,
    text: str,
    codes: Mapping[str, Mapping[str, Mapping[str, Any]]],
    attributes: Sequence[Attribute],
) -> list[str]:
    """Check that the codebook recodes coded fields to codes the library knows.

    A typo in a target (``"burgemeester" = "burgemeestr"``) would otherwise be one error
    per line of the data file, each quoting a value the file does not hold.
    """
    declared = {a.name: a for a in (*BUILT_IN_ATTRIBUTES.values(), *attributes)}
    problems = []
    for table, fields in codes.items():
        for field, recode in fields.items():
            allowed: list[str] = []
            if field in _CODED_FIELDS.get(table, {}):
                allowed = [str(m.value) for m in _CODED_FIELDS[table][field]]
            elif table == "respondents" and field in declared:
                attribute = declared[field]
                if attribute.kind == "category" and attribute.codes:
                    allowed = [
                        str(c.value if isinstance(c, StrEnum) else c) for c in attribute.codes
                    ]
            if not allowed:
                continue
            for source, target in recode.items():
                if not isinstance(target, str | int) or match(str(target), allowed) >= 0:
                    continue
                found = re.search(
                    rf"^\s*[\"']?{re.escape(source)}[\"']?\s*=\s*[\"']?{re.escape(str(target))}",
                    text,
                    re.MULTILINE,
                )
                line = f" line {text.count(chr(10), 0, found.start()) + 1}" if found else ""
                problems.append(
                    f"{label}{line} [{table}.codes.{field}] {source!r} = {target!r}: not a code "
                    f"of {field}{did_you_mean(str(target), allowed)}; codes are "
                    f"{', '.join(repr(c) for c in allowed)}"
                )
    return problems


#: Check an ``encoding``, ``delimiter`` or ``decimal`` option (the command line uses it).
_check_format = check_format


# ---- reading one file --------------------------------------------------------------------


def read_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
) -> Any:
    r"""Read one CSV, Parquet or SPSS file into a :class:`pandas.DataFrame`.

    CSV cells are kept as text (``None`` where empty), so that ids such as ``007`` keep their
    zeros; numbers are converted when :func:`read_monitor` checks them.

    Parameters
    ----------
    path : path
        A ``.csv`` (also ``.txt``, ``.tsv``), ``.parquet`` or ``.sav`` file.
    encoding : str, optional
        Text encoding of a CSV file; default UTF-8 (with or without a byte-order mark).
        Files saved by Dutch Excel are often ``"cp1252"``.
    delimiter : str, optional
        Field separator of a CSV file; default: ``;`` when the header has a ``;`` and no
        ``,``, a tab for ``.tsv`` files or a header with tabs only, else ``,``.
    decimal : str, optional
        Decimal mark of a CSV file, ``"."`` or ``","``; default ``","`` when the delimiter
        is ``;`` (the Dutch convention), else ``"."``. Used by :func:`read_monitor`.

    Raises
    ------
    FileFormatError
        For a file that is not valid text in its encoding, has a quote that is not closed,
        rows with more or fewer fields than the header, a header with a nameless or repeated
        column, no header at all, or that the Parquet or SPSS reader cannot read; every
        problem is located by line (CSV) or row.
    FileNotFoundError
        If the file does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from vpt_monitor.io import read_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = path.write_text("id;wave;weight\n007;2016;1,5\n")
    >>> frame = read_table(path)
    >>> frame.shape, frame["id"].tolist(), frame["weight"].tolist()
    ((1, 3), ['007'], ['1,5'])
    """
    import pandas as pd

    options = {"encoding": encoding, "delimiter": delimiter, "decimal": decimal}
    source = read_source(Path(path), Path(path).name, options)
    return pd.DataFrame({name: plain_column(cells) for name, cells in source.columns.items()})


# ---- from files to columns -------------------------------------------------------------


def _apply(
    table: str,
    source: Source,
    book: Codebook,
    problems: list[Flag],
    *,
    known: frozenset[str],
    ignore_unknown: bool,
    notes: list[str],
    blanked: dict[str, tuple[NDArray[np.bool_], Cells]] | None = None,
    kinds: Mapping[str, str] | None = None,
    labelled: dict[str, tuple[Cells, dict[str, str]]] | None = None,
) -> dict[str, Cells]:
    """Rename and recode the columns of one table as the codebook says.

    Columns the codebook ignores are dropped first; SPSS-safe names are read as the
    library's (:func:`~vpt_monitor.data.columns.canonical_names`); with ``ignore_unknown``
    the columns not in ``known`` are dropped (an empty ``known`` checks no name: the
    writer of reweighted files reads only id and wave). Cells holding a missing-value code
    are emptied.
    What is dropped or emptied is added to ``notes``; the cells emptied, with the file's
    cells, to ``blanked`` (by field). ``kinds`` are the kinds of the attributes declared
    (``"boolean"``, ``"number"``, ...): their numbers are read with the file's decimal mark.
    The yes/no fields whose values a ``.sav`` file labels "weet niet" (or the like) are added
    to ``labelled``: the file's cells and those labels, by code.
    """
    where = book.path.name if book.path is not None else "codebook"
    errors = []
    ignored = book.ignore.get(table, ())
    for name in ignored:
        if name not in source.columns:
            errors.append(
                f"{where} [{table}] ignore: {source.header} has no column {name!r}"
                f"{_did_you_mean(name, list(source.columns))}"
            )
    frame = {k: v for k, v in source.columns.items() if k not in ignored}
    mapping = book.columns.get(table, {})
    spelt, _ = canonical_names(table, list(mapping))
    for field, src in mapping.items():
        if known and not ignore_unknown and spelt.get(field, field) not in known:
            errors.append(
                f"{where} [{table}.columns] {field} = {src!r}: {field!r} is not a {table} "
                f"column of the library{_likely_typo(field, known, {})}; the left of each "
                "entry is the library's name (or an attribute declared in [attributes]), the "
                "right the file's"
            )
            continue
        if src not in frame:
            hint = source.separator_hint()
            if hint and any(hint in error for error in errors):
                hint = " (the header is one column: see above)"
            errors.append(
                f"{where} [{table}.columns] {field} = {src!r}: {source.header} has no column "
                f"{src!r}{_did_you_mean(src, list(frame))}{hint}"
            )
    renamed = {field: frame[src] for field, src in mapping.items() if src in frame}
    mapped_sources = set(mapping.values())
    for column in frame:
        if column in mapped_sources:
            continue
        if column in renamed:
            errors.append(
                f"{where} [{table}.columns] {column} = {mapping[column]!r}: {source.header} "
                f"also has a column {column!r}, which the mapping would hide; rename or drop one"
            )
            continue
        renamed[column] = frame[column]
    if errors:
        raise CodebookError(book.path or source.path, errors)
    spellings, conflicts = canonical_names(table, list(renamed))
    if not conflicts:  # a conflict is reported by the checks that follow
        renamed = {spellings.get(k, k): v for k, v in renamed.items()}
    dropped = list(ignored)
    if ignore_unknown:
        unknown = [k for k in renamed if k not in known]
        renamed = {k: v for k, v in renamed.items() if k not in unknown}
        guesses = {k: _likely_typo(k, known, renamed) for k in unknown}
        dropped += [f"{k}{guess}" for k, guess in guesses.items()]
        typos = [f"{k!r}{guess}" for k, guess in guesses.items() if guess]
        if typos:
            warn(
                f"{source.label}: unknown columns passed over that look like misspelt "
                f"columns the file lacks: {', '.join(typos)}; rename them (or map them in "
                "the codebook's [columns]) if they are meant to be read"
            )
    if dropped:
        notes.append(f"{source.label}: columns not read: {', '.join(dropped)}")
    result: dict[str, Cells] = {}
    emptied: list[str] = []
    contradicted: list[str] = []
    value_labels = {id(source.columns[c]): v for c, v in source.value_labels.items()}
    for field, values in renamed.items():
        kind = (kinds or {}).get(field) if table == "respondents" else None
        yes_no = kind == "boolean" or _is_yes_no(table, field)
        labels = value_labels.get(id(values))
        if labelled is not None and labels:  # to advise on a labelled code that is refused
            labelled[field] = (
                values,
                {_code_key(code): str(text) for code, text in labels.items()},
            )
        codes = book.missing_codes(table, field)
        contradicted += _missing_conflicts(where, source, table, field, values, codes, book, labels)
        numeric = (
            field in _NUMERIC_FIELDS
            or field.startswith(_NUMERIC_PREFIXES)
            or kind in ("integer", "number")
        )
        count = 0
        # the file's cells, before the codebook recodes them: numbers as numbers (99, 99.0
        # and '99' alike, a CSV cell once its number is read), anything else as text
        if codes and numeric and values.numeric:
            values, count = _missing_as_numbers(values, codes)
        elif codes:
            values, count = _missing_as_text(values, codes)
        recode = book.codes.get(table, {}).get(field)
        if labels and yes_no:
            _refuse_contradicting_labels(table, field, values, labels, recode or {}, problems)
        if recode:
            values = _recoded(values, recode)
        if source.is_text and yes_no:  # 1,00 is 1 (as 2,0 in a count column is 2)
            values = _yes_no_numbers(table, field, values, source.decimal, problems)
        if source.is_text and numeric:
            values = _numbers_in_text(table, field, values, source.decimal, problems)
            if codes:
                values, more = _missing_as_numbers(values, codes)
                count += more
        if count:
            emptied.append(f"{field} {count}")
            if blanked is not None:  # which cells, for the messages about them
                blanked[field] = (values.missing() & ~renamed[field].missing(), renamed[field])
        if labels and field.startswith("incidents:") and values.numeric:
            _refuse_labelled_counts(table, field, values, labels, problems)
        if field in _LABEL_FIELDS:
            values = _labels(values)
        result[field] = values
    if contradicted:
        raise CodebookError(book.path or source.path, contradicted)
    if emptied:
        notes.append(
            f"{source.label}: cells with a missing-value code read as empty: {', '.join(emptied)}"
        )
    return result


def _missing_conflicts(
    where: str,
    source: Source,
    table: str,
    field: str,
    values: Cells,
    codes: Sequence[Any],
    book: Codebook,
    labels: Mapping[Any, Any] | None,
) -> list[str]:
    """Name the file-wide missing codes that a column's cells hold as answers.

    A file-wide ``missing = [9]`` also empties the 9s of every other column: a province
    the codebook maps ``9 = "zuid-holland"`` would silently have no respondents. A code the
    codebook maps for the column, and cells of the column hold, is refused; one the file
    labels with words that are not a known wording of no answer is warned of (agencies word
    "no answer" in many ways). Codes declared for the column itself are the user's word on
    it and never checked.
    """
    if not codes:
        return []
    wide, own = (
        {
            _code_key(code)
            for where_ in (EVERY, table)
            for code in book.missing.get(where_, {}).get(key, ())
        }
        for key in (EVERY, field)
    )
    recode = book.codes.get(table, {}).get(field, {})
    said = {_code_key(code): str(text) for code, text in (labels or {}).items()}
    checked = (wide - own) & (set(recode) | set(said))
    if not checked:  # the common case: nothing to look for in the cells
        return []
    held = {_code_key(v) for v in _raw(values)[1].tolist()} & checked
    found = []
    for key in sorted(held):
        line = f"[{table}.missing] {_toml_key(field)} = [...]"
        if key in recode:
            found.append(
                f"{where}: missing code {key}, declared for every column, would empty the "
                f"cells {key} of {source.label}'s column {field!r}, which the codebook's "
                f"[{table}.codes.{_toml_key(field)}] maps to {recode[key]!r}; declare {key} "
                f"missing only for the columns that use it as one ({line} for each)"
            )
        elif key in said and not _DONT_KNOW.search(said[key]):
            warn(
                f"{source.label}: missing code {key}, declared for every column, empties the "
                f"cells {key} of column {field!r}, which the file labels {said[key]!r}; if "
                f"that is an answer, declare {key} missing only for the columns that use it "
                "as one"
            )
    return found


def _refuse_labelled_counts(
    table: str, field: str, values: Cells, labels: Mapping[Any, Any], problems: list[Flag]
) -> None:
    """Refuse counts that the ``.sav`` file labels as no answer ("weet niet" as 99).

    Such a code is below the largest count read (730), so it would be read as 99 incidents.
    A label that reads as no answer ("weet niet", "weigert", "n.v.t.") marks a code; labels
    of counts ("dagelijks" on 365) do not. Codes the codebook declares missing are empty by
    now and not refused.
    """
    coded = {
        float(code): str(text)
        for code, text in labels.items()
        if isinstance(code, int | float | np.integer | np.floating)
        and float(code) > 0
        and _DONT_KNOW.search(str(text))
    }
    if not coded:
        return
    numbers = values.numbers()
    hit = np.isin(numbers, np.fromiter(coded, dtype=np.float64)) & ~values.missing()
    rows = np.flatnonzero(hit)
    if rows.size:
        why = {
            code: f"{field}={code!r}: a code for no answer, not a number of incidents"
            + missing_code_advice(f"{code:g}", text, table=table, column=field)
            for code, text in coded.items()
        }
        problems.append(_fixed(table, rows, field, [why[float(v)] for v in numbers[rows]]))


#: What a yes/no answer's words mean (a cell, or a ``.sav`` file's label of a code).
_YES_NO_MEANING = {word: value == 1.0 for word, value in YES_NO_WORDS.items()}


def _refuse_contradicting_labels(
    table: str,
    field: str,
    values: Cells,
    labels: Mapping[Any, Any],
    recode: Mapping[str, Any],
    problems: list[Flag],
) -> None:
    """Refuse the codes 0 and 1 where the ``.sav`` file labels them as the other answer.

    SPSS files often code 1 = ja, 2 = nee, and some 1 = nee, 2 = ja: read as 0/1, a 1
    labelled "nee" would be a yes. Codes the codebook maps are read as it says. The message
    gives the codebook lines for every code the file labels with an answer.
    """
    said = {_code_key(code): _label_meaning(str(text)) for code, text in labels.items()}
    wrong = [
        key
        for key in ("0", "1")
        if said.get(key) is not None and key not in recode and said[key] != (key == "1")
    ]
    if not wrong:
        return
    codes, distinct = _raw(values)
    keys = np.array([_code_key(v) for v in distinct] + [""], dtype=object)
    hit = np.isin(keys, np.array(wrong, dtype=object))
    rows = np.flatnonzero(hit[np.where(codes >= 0, codes, len(distinct))])
    if rows.size == 0:
        return
    texts = {_code_key(code): str(text) for code, text in labels.items()}
    lines = _answer_lines(texts)
    section = f"[{table}.codes.{_toml_key(field)}]"
    why = [
        f"{field}={value}: the file labels {key} {texts.get(key, '')!r}, but {key} reads as "
        f"{'yes' if key == '1' else 'no'}; map the file's codes in the codebook, "
        f"{section} {lines}"
        for value, key in zip(distinct.tolist(), keys[:-1].tolist(), strict=True)
    ]
    problems.append(_fixed(table, rows, field, [why[codes[r]] for r in rows.tolist()]))


def _label_meaning(text: str) -> bool | None:
    """Return what a yes/no label means: True (ja), False (nee), None (neither, no answer).

    A label is read by its first word, as agencies word them: "Nee, nooit", "Neen",
    "Ja." and "Nee" alike; a label of no answer ("No answer", "weet niet") means neither.
    """
    if _DONT_KNOW.search(text):
        return None
    whole = _YES_NO_MEANING.get(text.strip().lower())
    if whole is not None:
        return whole
    first = re.match(r"\s*([^\W\d_]+)", text.lower())
    word = first.group(1) if first else ""
    return {"ja": True, "yes": True, "nee": False, "neen": False, "no": False}.get(word)


def _answer_lines(texts: Mapping[str, str]) -> str:
    """Return the codebook lines that map the codes a file labels with an answer (ja/nee)."""
    meant = {key: _label_meaning(text) for key, text in texts.items()}
    return ", ".join(
        f"{key if re.fullmatch(r'-?[0-9]+', key) else json.dumps(key)} = "
        f'"{"ja" if said else "nee"}"'
        for key, said in meant.items()
        if said is not None
    )


def _is_yes_no(table: str, field: str) -> bool:
    names, prefixes = _YES_NO_FIELDS[table]
    return field in names or field.startswith(prefixes)


#: Value labels of codes for no answer: "weet niet", "n.v.t.", "onbekend", "don't know", ...
_DONT_KNOW = re.compile(
    r"weet\s*(ik\s*)?niet|\bn\.?\s*v\.?\s*t\b|onbekend|geen\s+(antwoord|mening|idee|opgave)|"
    r"wil\s+(ik\s+)?niet|niet\s+van\s+toepassing|weiger|liever\s+niet|niet\s+zeggen|"
    r"herinner|\bw\.?\s?n\.?(?=\s|$)|don'?t\s+know|not\s+applicable|unknown|refused|"
    r"no\s+answer|missing|prefer\s+not|niet\s+gevraagd|not\s+asked|sysmis",
    re.IGNORECASE,
)


#: 0 or 1 with one or two zero decimals, either mark (``1.0`` as pandas writes a column of
#: floats, ``1,00`` as SPSS does): no thousands grouping takes fewer than three digits, so
#: the cell is 0 or 1 whatever the file's decimal mark (``1.000`` is held to the mark).
_ZERO_ONE = re.compile(r"[01][.,]0{1,2}")


def _number_like(value: Any) -> bool:
    """Whether a cell is text written as a number with either decimal mark (not a word)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(_DOT_NUMBER.fullmatch(text) or _COMMA_NUMBER.fullmatch(text))


def _yes_no_numbers(
    table: str, field: str, cells: Cells, decimal: str, problems: list[Flag]
) -> Cells:
    """Read the numbers of a yes/no column of a CSV file with its decimal mark; words as they are.

    ``0`` or ``1`` with one or two zero decimals (``1.0``, ``1,00``) is read in a file of
    either decimal mark (see :data:`_ZERO_ONE`); another number is held to the rules of a
    number column (:func:`_read_number`): ``1.000`` in a file with decimal commas is refused
    with the same advice as a count ``1.000`` (it may be a thousand). A refused cell is
    missing for the checks that follow. Messages show the cells as the file wrote them.
    """
    codes, distinct = _raw(cells)
    given = distinct.tolist()
    read = [
        (float(v.strip()[0]), None)
        if isinstance(v, str) and _ZERO_ONE.fullmatch(v.strip())
        else _read_number(field, v.strip(), decimal)
        if _number_like(v)
        else (v, None)
        for v in given
    ]
    if all(r[1] is None and r[0] == v for r, v in zip(read, given, strict=True)):
        return cells
    bad = np.array([r[1] is not None for r in read], dtype=bool)
    rows = np.flatnonzero(take(bad, codes, False))
    if rows.size:
        why = [r[1] for r in read]
        problems.append(_fixed(table, rows, field, [str(why[c]) for c in codes[rows].tolist()]))
    values = np.empty(len(read), dtype=object)
    values[:] = [r[0] for r in read]
    return EncodedCells(codes, values, display=distinct)


def _blanked(cells: Cells, mask: NDArray[np.bool_]) -> Cells:
    """Empty the cells of ``mask``, keeping the fast paths of their kind."""
    if isinstance(cells, ArrowCells):
        import pyarrow as pa
        import pyarrow.compute as pc

        array = pc.if_else(pa.array(mask), pa.nulls(cells.n, cells.array.type), cells.array)
        numbers = cells._numbers
        return ArrowCells(
            array,
            numbers=None if numbers is None else np.where(mask, np.nan, numbers),
            clean=cells.clean,
            display_float=cells.display_float,
        )
    if isinstance(cells, EncodedCells):
        codes = np.where(mask, -1, cells.codes).astype(np.intp)
        return EncodedCells(codes, cells.distinct, clean=cells.clean, arrow=cells.arrow)
    if isinstance(cells, ArrayCells) and cells.values.dtype.kind == "f":
        return ArrayCells(np.where(mask, np.nan, cells.values))
    return MaskedCells(cells, mask)


def _missing_as_text(cells: Cells, codes: Sequence[Any]) -> tuple[Cells, int]:
    """Empty the cells whose value, as a code (``99.0`` is ``'99'``), is a missing code."""
    keys = {_code_key(c) for c in codes}
    found, distinct = _raw(cells)
    per = np.array([v is not None and _code_key(v) in keys for v in distinct], dtype=bool)
    mask = take(per, found, False).astype(bool)
    count = int(mask.sum())
    return (_blanked(cells, mask), count) if count else (cells, 0)


def _missing_as_numbers(cells: Cells, codes: Sequence[Any]) -> tuple[Cells, int]:
    """Empty the cells whose number is a missing code."""
    numbers = np.array([to_float(c) for c in codes], dtype=np.float64)
    mask = np.isin(cells.numbers(), numbers[~np.isnan(numbers)])
    count = int(mask.sum())
    return (_blanked(cells, mask), count) if count else (cells, 0)


def _code_key(value: Any) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.generic):
        return str(value.item())
    return str(value)


def _raw(cells: Cells) -> tuple[NDArray[np.intp], NDArray[Any]]:
    """Codes into the distinct values of a column as read (-1: None); NaN stays a value."""
    if isinstance(cells, EncodedCells):
        return cells.codes, cells.distinct
    if isinstance(cells, ArrowCells) and cells.text:
        return cells.encoded()
    if isinstance(cells, ArrayCells) and cells.values.dtype.kind != "O":
        distinct, inverse = np.unique(cells.values, return_inverse=True)
        return inverse.reshape(-1).astype(np.intp), distinct
    if isinstance(cells, MaskedCells):
        codes, distinct = _raw(cells.cells)
        return np.where(cells.mask, -1, codes).astype(np.intp), distinct
    values = cells.objects()  # every cell its own value
    return np.arange(values.shape[0], dtype=np.intp), values


def _recoded(cells: Cells, recode: Mapping[str, Any]) -> Cells:
    """Recode the values as the codebook says, once per distinct value (an empty cell too)."""
    codes, distinct = _raw(cells)
    values = np.empty(len(distinct) + 1, dtype=object)
    values[:-1] = [recode.get(_code_key(v), v) for v in distinct]
    values[-1] = recode.get(_code_key(None))
    return EncodedCells(np.where(codes < 0, len(distinct), codes), values)


_DOT_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_COMMA_NUMBER = re.compile(r"[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?")


def _read_number(field: str, value: str, decimal: str) -> tuple[str | None, str | None]:
    """Check the syntax of one number cell: its text with a '.' decimal mark, or the problem."""
    this, other = (_DOT_NUMBER, _COMMA_NUMBER) if decimal == "." else (_COMMA_NUMBER, _DOT_NUMBER)
    if this.fullmatch(value):
        text = value.replace(",", ".")
        number = to_float(text)
        if number in (float("inf"), float("-inf")):  # 400 digits: no float holds it
            return None, f"{field}={_shown(value)}: a number too large to read"
        if number == 0 and any(digit in "123456789" for digit in text.split("e")[0].split("E")[0]):
            # 0,000...001 with 400 zeros: no float holds it either, and 0 it is not
            return None, f"{field}={_shown(value)}: a number too small to read"
        return text, None
    if to_float(value) in (float("inf"), float("-inf")):
        return None, f"{field}={_shown(value)}: must be a finite number"
    if other.fullmatch(value):
        if decimal == ".":
            hint = (
                "; a decimal comma? pass decimal=',' (--decimal ,); if the file separates its "
                "fields with ',' too, save it again with ';' between the fields (as Excel's "
                "Dutch CSV does)"
            )
        else:
            hint = (
                "; the file is read with decimal ','. Is the '.' a thousands separator "
                "(remove it) or the decimal mark (pass decimal='.', --decimal .)?"
            )
    else:
        hint = ""
    return None, f"{field}={_shown(value)}: not a number{hint}"


def _fixed(table: str, rows: NDArray[np.intp], column: str, texts: Sequence[str]) -> Flag:
    """Flag rows whose texts are known already, one per row (``rows`` ascending)."""
    every = np.empty(len(texts), dtype=object)
    every[:] = list(texts)

    def pick(some: NDArray[np.intp]) -> list[str]:
        result: list[str] = every[np.searchsorted(rows, some)].tolist()
        return result

    return Flag(table, rows, column, pick)


def _numbers_in_text(
    table: str, field: str, values: Cells, decimal: str, problems: list[Flag]
) -> Cells:
    """Check number syntax of CSV cells with the file's decimal mark; return '.'-numbers.

    Each distinct text is checked once (by Arrow for plain numbers); a cell that is not a
    number is a problem here, and missing for the checks that follow.
    """
    if isinstance(values, ArrowCells) and values.text:
        return _arrow_numbers_in_text(table, field, values, decimal, problems)
    codes, distinct = _raw(values)
    read = [_read_number(field, v, decimal) if isinstance(v, str) else (v, None) for v in distinct]
    texts = np.empty(len(read), dtype=object)
    texts[:] = [r[0] for r in read]
    bad = np.array([r[1] is not None for r in read], dtype=bool)
    rows = np.flatnonzero(take(bad, codes, False))
    if rows.size:
        why = [r[1] for r in read]
        problems.append(_fixed(table, rows, field, [str(why[c]) for c in codes[rows].tolist()]))
    return EncodedCells(codes, texts, display=distinct if decimal == "," else None)


def _arrow_numbers_in_text(
    table: str, field: str, values: ArrowCells, decimal: str, problems: list[Flag]
) -> Cells:
    import pyarrow as pa
    import pyarrow.compute as pc

    array = values.array
    text = array if decimal == "." else pc.replace_substring(array, ",", ".")
    numbers, done = plain_numbers(text)
    zero = done & (numbers == 0)
    if zero.any():  # 0,000...001 underflows to 0: the per-cell rule refuses it
        # only zeros written with more than one character ("0" is most cells of a count)
        lengths = pc.utf8_length(text).fill_null(0).to_numpy(zero_copy_only=False)
        suspect = np.flatnonzero(zero & (np.asarray(lengths) > 1))
        if suspect.size:
            picked = text.take(pa.array(suspect, type=pa.int64()))
            tiny = pc.match_substring_regex(picked, r"^[^eE]*[1-9]").fill_null(False)
            done[suspect[np.asarray(tiny.to_numpy(zero_copy_only=False), dtype=bool)]] = False
    if decimal == ",":  # a '.' in a file with decimal commas is not a decimal mark
        dotted = pc.match_substring(array, ".").fill_null(False)
        done &= ~np.asarray(dotted.to_numpy(zero_copy_only=False), dtype=bool)
    valid = ~values.missing()
    rows = np.flatnonzero(valid & ~done)
    display = array if decimal == "," else None  # messages show '0,5' as the file has it
    if rows.size == 0:
        return ArrowCells(text, numbers=numbers, clean=True, display=display)
    # the rest, each distinct text once, by the rules of the regular expressions
    text = contiguous(text)
    picked = contiguous(array.take(pa.array(rows, type=pa.int64()))).dictionary_encode()
    read = [_read_number(field, v, decimal) for v in picked.dictionary.to_pylist()]
    codes = np.asarray(picked.indices.to_numpy(zero_copy_only=False), dtype=np.intp)
    numbers[rows] = np.array([to_float(r[0]) for r in read], dtype=np.float64)[codes]
    replaced = np.zeros(len(array), dtype=bool)
    replaced[rows] = True
    cells = pa.array([read[k][0] for k in codes.tolist()], type=pa.string())
    text = pc.replace_with_mask(text, pa.array(replaced), cells)
    good = np.array([r[0] is not None for r in read], dtype=bool)[codes]
    if not good.all():
        why = [r[1] for r in read]
        texts = [str(why[k]) for k in codes[~good].tolist()]
        problems.append(_fixed(table, rows[~good], field, texts))
    return ArrowCells(text, numbers=numbers, clean=True, display=display)


def _labels(values: Cells) -> Cells:
    """Design labels as text when a column mixes text and numbers (as codebooks can make)."""
    if isinstance(values, ArrowCells) or (
        isinstance(values, ArrayCells) and values.values.dtype.kind != "O"
    ):
        return values
    codes, distinct = _raw(values)
    used = np.bincount(codes[codes >= 0], minlength=len(distinct)) > 0
    kinds = {
        isinstance(v, str)
        for v, u in zip(distinct.tolist(), used.tolist(), strict=True)
        if u and v is not None
    }
    if len(kinds) < 2:
        return values
    texts = np.empty(len(distinct), dtype=object)
    texts[:] = [None if v is None else _code_key(v) for v in distinct.tolist()]
    return EncodedCells(codes, texts)


# ---- design checks ----------------------------------------------------------------------


def _key_codes(cells: Cells) -> NDArray[np.intp]:
    """For each row, a code of its label as text (1 and 1.0 are one label); -1 for None."""
    if isinstance(cells, ArrowCells) and cells.text:  # distinct texts: their own keys
        return cells.codes()[0]
    codes, distinct = _raw(cells)
    keys = [None if v is None else _code_key(v) for v in distinct.tolist()]
    return refactorize(codes, keys)[0]


def _first_of(keys: NDArray[np.int64]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Group of each key in order of first appearance, and the first position of each group."""
    if keys.size and "pyarrow" in sys.modules:  # a hash table, in order of first appearance
        import pyarrow as pa

        indices = pa.array(keys).dictionary_encode().indices.to_numpy()
        group = np.asarray(indices, dtype=np.intp)
        seen = np.maximum.accumulate(group)
        new = np.ones(group.size, dtype=bool)
        new[1:] = group[1:] > seen[:-1]
        return group, np.flatnonzero(new)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.intp)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[inverse.reshape(-1)], np.sort(first)


def _design_problems(
    table: str, columns: Mapping[str, Cells], source: Source, column_problems: list[str]
) -> list[Flag]:
    """Check the sampling design of one table: fpc per stratum, clusters nested in strata.

    Waves are independent samples, so a stratum is a (wave, stratum label) pair and a
    cluster belongs to a (wave, stratum): labels may be reused across waves. An fpc above 1
    (a population count) is at least the number of units sampled; ``fpc2`` is one number per
    cluster and needs ``cluster`` and ``fpc`` (a problem of the columns goes to
    ``column_problems``).
    """
    if "wave" not in columns:
        return []
    waves = columns["wave"].numbers()
    strata = columns.get("stratum")
    clusters = columns.get("cluster") if table == "respondents" else None
    fpc = columns.get("fpc")
    fpc2 = columns.get("fpc2") if table == "respondents" else None
    problems: list[Flag] = []
    n = waves.shape[0]
    stratum_keys = np.zeros(n, dtype=np.intp) if strata is None else _key_codes(strata)
    known = ~np.isnan(waves) & (stratum_keys >= 0)
    _, wave_ids = np.unique(waves, return_inverse=True)
    wave_ids = wave_ids.reshape(-1).astype(np.int64)
    span = int(stratum_keys.max(initial=0)) + 2
    stratum_groups = wave_ids * span + stratum_keys
    cluster_keys = None if clusters is None else _key_codes(clusters)
    # the first-stage unit of each row: its cluster, or the row itself
    psu_keys = np.arange(n, dtype=np.int64) if cluster_keys is None else cluster_keys
    if fpc is not None:

        def stratum_of(first: int) -> str:
            if strata is None:
                return f"wave {waves[first]:g} (no strata given, so the wave is the stratum)"
            return f"stratum {_shown(strata.value(first))} of wave {waves[first]:g}"

        problems += _varying(
            table,
            "fpc",
            fpc,
            stratum_groups,
            known,
            stratum_of,
            source,
            "the fpc is one number per stratum (its population or sampling fraction)",
        )
        unit = "clusters (PSUs)" if clusters is not None else "respondents (each a PSU)"
        if table == "organisations":
            unit = "organisations"
        problems += _too_small(
            table,
            "fpc",
            fpc,
            stratum_groups,
            psu_keys,
            known,
            stratum_of,
            unit,
            "an fpc above 1 is the number of first-stage units in the stratum's population",
        )
    if fpc2 is not None:
        if cluster_keys is None:
            column_problems.append(
                f"{table} column 'fpc2': a second-stage fpc needs a 'cluster' column (the "
                "first-stage units people are sampled in); without clusters every respondent "
                "is a first-stage unit. Add the cluster, or drop fpc2"
            )
        elif fpc is None:
            column_problems.append(
                f"{table} column 'fpc2': a second-stage fpc needs the first-stage 'fpc' (the "
                "clusters in the stratum's population; equal to the clusters sampled when "
                "every one is, a census). Without it the clusters count as drawn with "
                "replacement, whose variance already covers the second stage: add fpc, or "
                "drop fpc2"
            )
        else:
            assert clusters is not None
            width = int(cluster_keys.max(initial=0)) + 1
            cluster_groups = wave_ids * width + cluster_keys
            in_cluster = known & (cluster_keys >= 0)

            def cluster_of(first: int) -> str:
                return f"cluster {_shown(clusters.value(first))} of wave {waves[first]:g}"

            problems += _varying(
                table,
                "fpc2",
                fpc2,
                cluster_groups,
                in_cluster,
                cluster_of,
                source,
                "fpc2 is one number per cluster (the people in its population, or the "
                "fraction sampled)",
            )
            problems += _too_small(
                table,
                "fpc2",
                fpc2,
                cluster_groups,
                np.arange(n, dtype=np.int64),
                in_cluster,
                cluster_of,
                "respondents",
                "an fpc2 above 1 is the number of people in the cluster's population",
            )
    if strata is not None and cluster_keys is not None:
        assert clusters is not None
        rows = np.flatnonzero(known & (cluster_keys >= 0))
        width = int(cluster_keys.max(initial=0)) + 1
        group, starts = _first_of(wave_ids[rows] * width + cluster_keys[rows])
        home = rows[starts[group]]
        bad = np.flatnonzero(stratum_keys[home] != stratum_keys[rows])
        texts = []
        for j in bad.tolist():
            i, first = int(rows[j]), int(home[j])
            texts.append(
                f"cluster={_shown(clusters.value(i))}: in stratum "
                f"{_shown(strata.value(i))} here but in stratum "
                f"{_shown(strata.value(first))} on {source.where(first)} (wave "
                f"{waves[i]:g}); clusters are nested in strata, so give each cluster "
                "one stratum per wave (or distinct labels)"
            )
        if bad.size:
            problems.append(_flag_in_order(table, rows[bad], "cluster (design)", texts))
    return problems


def _too_small(
    table: str,
    column: str,
    cells: Cells,
    groups: NDArray[np.int64],
    units: NDArray[np.int64],
    known: NDArray[np.bool_],
    describe: Callable[[int], str],
    unit: str,
    why: str,
) -> list[Flag]:
    """Flag the first row of each group whose population count is below its units sampled."""
    values = cells.numbers()
    rows = np.flatnonzero(known & (values > 1) & (units >= 0))
    if rows.size == 0:
        return []
    group, starts = _first_of(groups[rows])
    width = int(units.max(initial=0)) + 1
    _, pair_starts = _first_of(group.astype(np.int64) * width + units[rows])
    sampled = np.bincount(group[pair_starts], minlength=starts.size)  # distinct units
    first_rows = rows[starts]
    bad = np.flatnonzero(values[first_rows] < sampled)
    texts = [
        f"{column}={_shown(cells.value(int(first_rows[k])))}: smaller than the "
        f"{int(sampled[k])} {unit} sampled in {describe(int(first_rows[k]))}; {why} (so at "
        "least the number sampled), or a sampling fraction of at most 1"
        for k in bad.tolist()
    ]
    if bad.size == 0:
        return []
    return [_flag_in_order(table, first_rows[bad], f"{column} (design)", texts)]


def _varying(
    table: str,
    column: str,
    cells: Cells,
    groups: NDArray[np.int64],
    known: NDArray[np.bool_],
    describe: Callable[[int], str],
    source: Source,
    why: str,
) -> list[Flag]:
    """Flag the rows whose value is not the most common one of their group."""
    values = cells.numbers()
    rows = np.flatnonzero(known & ~np.isnan(values))
    if rows.size == 0:
        return []
    group, starts = _first_of(groups[rows])
    _, value_ids = np.unique(values[rows], return_inverse=True)
    value_ids = value_ids.reshape(-1).astype(np.int64)
    pair, pair_start = _first_of(group.astype(np.int64) * (rows.size + 1) + value_ids)
    counts = np.bincount(pair, minlength=pair_start.size)
    pair_group = group[pair_start]
    distinct = np.bincount(pair_group, minlength=starts.size)
    # the most common value of each group; among equally common ones the first seen
    best = np.lexsort((pair_start, -counts, pair_group))
    ordered = pair_group[best]
    leading = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    common = np.full(starts.size, -1, dtype=np.intp)
    common[ordered[leading]] = best[leading]
    odd = (distinct[group] > 1) & (pair != common[group])
    flagged = np.flatnonzero(odd)
    flagged = flagged[np.lexsort((flagged, group[flagged]))]
    texts = []
    for j in flagged.tolist():
        i = int(rows[j])
        first = int(rows[pair_start[common[group[j]]]])
        texts.append(
            f"{column}={_shown(cells.value(i))}: differs within {describe(first)}, where "
            f"{source.where(first)} has {_shown(cells.value(first))}; {why}"
        )
    if flagged.size == 0:
        return []
    return [_flag_in_order(table, rows[flagged], f"{column} (design)", texts)]


def _flag_in_order(table: str, rows: NDArray[np.intp], column: str, texts: list[str]) -> Flag:
    """Flag rows given in any order (problems are sorted by line when they are located)."""
    order = np.argsort(rows, kind="stable")
    return _fixed(table, rows[order], column, [texts[k] for k in order.tolist()])


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


# ---- read_monitor ---------------------------------------------------------------------------


def read_monitor(
    respondents: str | Path | None = None,
    incidents: str | Path | None = None,
    organisations: str | Path | None = None,
    violations: str | Path | None = None,
    *,
    codebook: str | Path | Codebook | None = None,
    lonely_psu: str = "fail",
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    allow_outside: bool = False,
    attributes: Iterable[Attribute | str] | None = None,
    ignore_unknown: bool = False,
) -> MonitorData:
    r"""Read monitor files into :class:`~vpt_monitor.MonitorData`.

    Parameters
    ----------
    respondents, incidents, organisations, violations : path, optional
        CSV, Parquet or ``.sav`` files; a codebook may name them instead (a file given here
        wins over the codebook's).
    codebook : path or Codebook, optional
        Column and code mappings; without it the files use the library's column names.
    lonely_psu : str, default "fail"
        Lonely-PSU policy of the designs (see :class:`~vpt_monitor.stats.SurveyDesign`).
    encoding, delimiter, decimal : str, optional
        How to read CSV files (see :func:`read_table`); given here they apply to every CSV
        file and win over the codebook's settings. Default: UTF-8, the delimiter sniffed from
        the header, and the decimal mark ``","`` in ``;``-separated files, else ``"."``.
    allow_outside : bool, default False
        Let the codebook name files outside its own folder (see :func:`read_codebook`).
    attributes : iterable of Attribute or str, optional
        Respondent attributes besides the built-in ones and those the codebook declares
        (see :mod:`vpt_monitor.attributes`); a column named as an attribute holds its values.
    ignore_unknown : bool, default False
        Pass over columns the library does not know, in every file, instead of refusing them
        (as ``ignore_unknown = true`` in the codebook does). The columns passed over are
        listed in ``data.source``, so that a typo in a column name is not silent.

    Returns
    -------
    MonitorData
        With ``source`` naming the files read, then (after ``;``) the columns not read and
        the number of cells read as empty because they held a missing-value code.

    Raises
    ------
    MonitorDataError
        Listing every problem of every file: file, line (CSV) or row (Parquet, ``.sav``),
        column, value and reason (the first 20 in the message, all in ``problems``).
        Besides the checks of :meth:`MonitorData.from_columns <vpt_monitor.MonitorData>`:
        unknown columns (with the closest known name), numbers written with the other decimal
        mark, an ``fpc`` that varies within a stratum of a wave or is below the units sampled
        there, an ``fpc2`` that varies within a cluster of a wave, is below the respondents
        sampled there, or comes without ``cluster`` or ``fpc``, and a cluster in two strata
        of one wave. Nothing is loaded.
    FileFormatError
        A :class:`~vpt_monitor.MonitorDataError` for a file that cannot be parsed (encoding,
        quotes, fields per line, a damaged Parquet or SPSS file).
    CodebookError
        A :class:`~vpt_monitor.MonitorDataError` for a bad codebook, or one that maps columns
        the file lacks.
    FileNotFoundError
        For a missing file.
    ValueError
        For bad arguments (no respondents or organisations file, an unknown encoding).

    Examples
    --------
    A semicolon-separated file with decimal commas, as Dutch spreadsheets write them:

    >>> import tempfile, pathlib
    >>> from vpt_monitor.io import read_monitor
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "r.csv").write_text(
    ...     "id;wave;layer;office;weight;incidents:verbaal;training\n"
    ...     "1;2016;gemeente;raadslid;1,5;2;ja\n"
    ...     "2;2016;gemeente;raadslid;2,5;0;nee\n")
    >>> data = read_monitor(folder / "r.csv")
    >>> data, data.respondents["weight"].tolist()
    (MonitorData(respondents=2, incidents=0, waves=(2016,)), [1.5, 2.5])

    A bad cell is reported with its file and line:

    >>> _ = (folder / "bad.csv").write_text(
    ...     "id,wave,layer,office,incidents:verbaal\na,2016,rijk,ambtenaar,1e30\n")
    >>> try:
    ...     read_monitor(folder / "bad.csv")
    ... except ValueError as error:
    ...     print(error.problems[0])  # doctest: +ELLIPSIS
    bad.csv line 2: incidents:verbaal='1e30': must be <= 730 incidents a year ...
    """
    if isinstance(codebook, Codebook):
        book = codebook
    elif codebook is None:
        book = Codebook()
    else:
        book = read_codebook(codebook, allow_outside=allow_outside)
    given = {
        "respondents": respondents,
        "incidents": incidents,
        "organisations": organisations,
        "violations": violations,
    }
    paths = {t: Path(p) for t, p in given.items() if p is not None}
    for table, path in book.files.items():
        paths.setdefault(table, path)
    if "respondents" not in paths and "organisations" not in paths:
        raise ValueError(
            "give a respondents file, an organisations file, or a codebook naming them"
        )
    arguments = {"encoding": encoding, "delimiter": delimiter, "decimal": decimal}
    labels = _labels_of(paths)
    sources: dict[str, Source] = {}
    for table in TABLES:
        if table in paths:
            options = {
                key: arguments[key] or book.options.get(table, {}).get(key) for key in _FORMAT_KEYS
            }
            sources[table] = read_source(paths[table], labels[table], options)
    own: list[Flag] = []
    column_problems: list[str] = []
    notes: list[str] = []
    declared = [*book.attributes, *(attributes or ())]
    names = [a.name if isinstance(a, Attribute) else str(a) for a in declared]
    blanked: dict[str, dict[str, tuple[NDArray[np.bool_], Cells]]] = {t: {} for t in sources}
    labelled: dict[str, dict[str, tuple[Cells, dict[str, str]]]] = {t: {} for t in sources}
    try:
        kinds = {name: spec.kind for name, spec in declare(declared).items()}
    except (TypeError, ValueError):  # reported by the checks below
        kinds = {}
    frames = {
        table: _apply(
            table,
            source,
            book,
            own,
            known=known_columns(table, names),
            ignore_unknown=ignore_unknown
            or book.ignore_unknown.get(table, book.ignore_unknown.get(EVERY, False)),
            notes=notes,
            blanked=blanked[table],
            kinds=kinds,
            labelled=labelled[table],
        )
        for table, source in sources.items()
    }
    for table, frame in frames.items():
        if table in ("respondents", "organisations"):
            own += _design_problems(table, frame, sources[table], column_problems)
    empty_respondents: dict[str, Any] = {"id": [], "wave": [], "layer": [], "office": []}
    flags: list[Flag] = []
    found: list[str] = []
    tables = None
    try:
        tables, flags, _ = check(
            frames.get("respondents", empty_respondents),
            frames.get("incidents"),
            frames.get("organisations"),
            frames.get("violations"),
            attributes=declared,
        )
    except MonitorDataError as error:
        found = list(error.problems)
    except MissingColumnsError as error:  # required columns absent from several files
        found = list(error.problems)
    except ValueError as error:  # a required column is absent
        found = [str(error)]
    found = column_problems + found
    without = _without_respondents(sources)
    if without:  # one problem for the cause, not one per incident
        flags = [f for f in flags if (f.table, f.column) != ("incidents", "respondent_id")]
        own = [f for f in own if (f.table, f.column) != ("incidents", "respondent_id")]
        found = [without, *found]
    if own or flags or found or tables is None:
        raise MonitorDataError(
            "read_monitor",
            _located(own, flags, found, sources, _origins(book, sources), blanked, labelled),
        )
    data = MonitorData(
        *(Fresh(table) for table in tables[:4]),
        lonely_psu=lonely_psu,
        supplied=tables.supplied,
        attributes=tables.attributes,
    )
    data.source = "read_monitor(" + ", ".join(f"{t}={_recorded(p)!r}" for t, p in paths.items())
    if book.path is not None:
        data.source += f", codebook={_recorded(book.path)!r}"
    if tables.unweighted:
        notes.append("read as unweighted: wave " + ", ".join(map(str, tables.unweighted)))
    data.source += ")" + "".join(f"; {note}" for note in notes)
    warn_unweighted(tables.unweighted)
    return data


def _recorded(path: str | Path) -> str:
    """Write a path as ``data.source`` records it: relative to the working folder if inside.

    A codebook's files are found as absolute paths; recorded so, a report made from the data
    would carry the analyst's home folder into a page meant for publication, beside the
    codebook as the user wrote it.
    """
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _rows_of(source: Source) -> int:
    return next((cells.n for cells in source.columns.values()), 0)


def _without_respondents(sources: Mapping[str, Source]) -> str:
    """Describe incidents without any respondent as one problem ("" when there is none).

    A respondents file of a header only (or none, beside an incidents file) made every
    incident "no respondent has this id", hundreds of lines for one cause.
    """
    incidents = sources.get("incidents")
    respondents = sources.get("respondents")
    if respondents is not None and _rows_of(respondents) == 0:
        return f"{respondents.label} has no records (a header only)"
    if respondents is None and incidents is not None and _rows_of(incidents) > 0:
        return (
            f"{incidents.label} has incidents but no respondents file was given; incidents "
            "belong to respondents"
        )
    return ""


def _labels_of(paths: Mapping[str, Path]) -> dict[str, str]:
    """Name files by their name, or by their path when two share a name."""
    names = Counter(p.name for p in paths.values())
    return {t: p.name if names[p.name] == 1 else str(p) for t, p in paths.items()}


_COLUMN = re.compile(r"(?P<table>\w+) column (?P<rest>'.*)", re.S)
_REQUIRED = re.compile(
    r"(?P<table>respondent|incident|organisation|violation) column (?P<name>'.*?')"
)


@attrs.frozen
class _Origin:
    """Where a field's cells came from when the codebook renamed or recoded them."""

    column: str  # the file's column
    cells: Cells  # its cells as read
    recode: Mapping[str, Any] | None  # the codebook's codes for the field, if any
    section: str  # "[respondents.codes.office]"


def _origins(book: Codebook, sources: Mapping[str, Source]) -> dict[str, dict[str, _Origin]]:
    """Find the fields of each table the codebook renamed or recoded, with their file cells."""
    result: dict[str, dict[str, _Origin]] = {}
    for table, source in sources.items():
        mapping = book.columns.get(table, {})
        recodes = book.codes.get(table, {})
        for field in {*mapping, *recodes}:
            column = mapping.get(field, field)
            if column not in source.columns or (column == field and field not in recodes):
                continue
            result.setdefault(table, {})[field] = _Origin(
                column, source.columns[column], recodes.get(field), f"[{table}.codes.{field}]"
            )
    return result


def _with_origin(
    texts: list[str],
    rows: NDArray[np.intp],
    column: str,
    origins: Mapping[str, _Origin],
) -> list[str]:
    """Add the file's own columns and cells to problems of renamed or recoded fields.

    The problem's own field (``column``) first; then any other recoded field the message
    names (``does not exist in layer 'rijk'``: the file's ``bestuurslaag=1``).
    """
    own = origins.get(column)
    others = [
        (re.compile(rf"\b{re.escape(field)}[ =]'"), origin)
        for field, origin in origins.items()
        if field != column and origin.recode is not None
    ]
    if own is None and not others:
        return texts
    recoded = [o for o in [own, *(o for _, o in others)] if o is not None and o.recode]
    cells = {id(origin): _raw(origin.cells) for origin in recoded}
    keys = {id(origin): {str(key) for key in origin.recode or {}} for origin in recoded}

    def cell(origin: _Origin, row: int) -> tuple[str, bool]:
        """Show the file's cell, and say whether the codebook's codes leave it unmapped."""
        codes, distinct = cells[id(origin)]
        value = None if codes[row] < 0 else distinct[codes[row]]
        if value is None or (isinstance(value, float | np.floating) and np.isnan(value)):
            return "(empty)", False  # an empty cell is missing, not a code to map
        known = keys[id(origin)]
        shown = _shown(_code_key(value) if isinstance(value, float | np.floating) else value)
        return shown, _code_key(value) not in known

    result = []
    for text, row in zip(texts, rows.tolist(), strict=True):
        added = ""
        if own is not None and own.recode is None:  # renamed only: the file's cell, renamed
            added = f" (column {own.column!r} of the file)"
        elif own is not None:
            shown, unmapped = cell(own, row)
            added = f"; in the file {own.column}={shown}" + (
                f", which the codebook's {own.section} does not map" if unmapped else ""
            )
        for pattern, origin in others:
            if pattern.search(text):
                shown, _ = cell(origin, row)
                joiner = "; in the file " if not added.startswith(";") else ", "
                added += f"{joiner}{origin.column}={shown}"
        result.append(text + added)
    return result


def _emptied(
    texts: list[str], rows: NDArray[np.intp], mask: NDArray[np.bool_], cells: Cells
) -> list[str]:
    """Say of a problem at a cell emptied by the codebook that its value was a missing code."""
    codes, distinct = _raw(cells)
    result = []
    for text, row in zip(texts, rows.tolist(), strict=True):
        if mask[row]:
            value = distinct[codes[row]] if codes[row] >= 0 else None
            text += (
                f" (the file's {_shown(value)} is one of the codebook's missing-value codes, "
                "read as empty)"
            )
        result.append(text)
    return result


#: Why a code is refused (``not a valid code``, ``not a code of 'gender'``).
_NOT_A_CODE = re.compile(r"not a (valid )?code\b")


def _toml_key(name: str) -> str:
    """Write a key as TOML needs it: bare (``office``), else quoted (``"incidents:verbaal"``)."""
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def _labelled(
    texts: list[str],
    rows: NDArray[np.intp],
    cells: Cells,
    labels: Mapping[str, str],
    table: str,
    column: str,
) -> list[str]:
    """Advise on a refused code that the file labels (a ``.sav`` file's value labels).

    A yes/no code labelled "weet niet" (or the like) is to be declared missing; a code
    labelled with an answer or a category ("nee", "Wethouder") is to be mapped in the
    codebook's ``section`` (``[respondents.codes.office]``).
    """
    section = f"[{table}.codes.{_toml_key(column)}]"
    codes, distinct = _raw(cells)
    result = []
    for text, row in zip(texts, rows.tolist(), strict=True):
        value = distinct[codes[row]] if codes[row] >= 0 else None
        key = "" if value is None else _code_key(value)
        reason = text.split(": ", 1)
        if key not in labels or len(reason) != 2:
            result.append(text)
            continue
        label = labels[key]
        number = to_float(key)
        code = f"{number:g}" if np.isfinite(number) else repr(key)
        source_code = code if np.isfinite(number) else _toml_key(key)
        mapping = (
            f"; the file labels {code} {label!r}: map the file's codes to the library's in "
            f'the codebook, {section} {source_code} = "{label.strip().lower()}"'
        )
        if reason[1].startswith(YES_NO_REFUSAL):
            if _DONT_KNOW.search(label) and key not in ("0", "1"):
                text = f"{reason[0]}: {YES_NO_REFUSAL}" + missing_code_advice(
                    code, label, table=table, column=column
                )
            elif _label_meaning(label) is not None:  # every answer's code at once:
                # mapping 2 = "ja" alone would leave a 1 labelled "nee" read as yes
                text = (
                    f"{reason[0]}: {YES_NO_REFUSAL}; the file labels {code} {label!r}: map "
                    f"the file's codes in the codebook, {section} {_answer_lines(labels)}"
                )
        elif _NOT_A_CODE.match(reason[1]) and not _DONT_KNOW.search(label):
            valid = re.findall(r"'([^']*)'", reason[1].split(" codes are ", 1)[-1])
            if label.strip().lower() in valid:
                text += mapping
            else:  # 'vrouw' is not the code 'v': the mapping is the user's to write
                text += (
                    f"; the file labels {code} {label!r}: map it to one of those codes in "
                    f"the codebook's {section} ({source_code} = the code)"
                )
        result.append(text)
    return result


def _located(
    own: list[Flag],
    flags: list[Flag],
    found: list[str],
    sources: Mapping[str, Source],
    origins: Mapping[str, Mapping[str, _Origin]] | None = None,
    blanked: Mapping[str, Mapping[str, tuple[NDArray[np.bool_], Cells]]] | None = None,
    labelled: Mapping[str, Mapping[str, tuple[Cells, dict[str, str]]]] | None = None,
) -> list[str]:
    """Locate every problem in its file; one per (row, column), sorted by file and line.

    Row problems come as flags (the reader's own first, then those of the checks); a row's
    problem in a column is kept once, the first found. Problems about a file's columns come
    first in its file, problems of no file last.
    """
    order = {table: k for k, table in enumerate(TABLES)}
    rows_of = [flag for flag in (*own, *flags) if flag.table in sources]
    stray = format_flags(flag for flag in (*own, *flags) if flag.table not in sources)
    before: list[list[str]] = [[] for _ in TABLES]
    after: list[str] = []
    for problem in found:
        match = _COLUMN.fullmatch(problem)
        if match and match["table"] in sources:
            source = sources[match["table"]]
            before[order[match["table"]]].append(f"{source.header}: column {match['rest']}")
            continue
        match = _REQUIRED.match(problem)
        if match and match["table"] + "s" in sources:
            source = sources[match["table"] + "s"]
            before[order[match["table"] + "s"]].append(
                f"{source.header}: {problem}; the file has {', '.join(source.columns)}"
                f"{source.separator_hint()}"
            )
            continue
        after.append(problem)
    located = _located_rows(rows_of, sources, origins or {}, blanked or {}, labelled or {})
    result: list[str] = []
    for k, table in enumerate(TABLES):
        result += before[k] + located.get(table, [])
    return result + stray + after


def _located_rows(
    flags: list[Flag],
    sources: Mapping[str, Source],
    origins: Mapping[str, Mapping[str, _Origin]],
    blanked: Mapping[str, Mapping[str, tuple[NDArray[np.bool_], Cells]]],
    labelled: Mapping[str, Mapping[str, tuple[Cells, dict[str, str]]]],
) -> dict[str, list[str]]:
    """Row problems of each file, each (row, column) once, in the order of lines.

    A problem of a field the codebook renamed or recoded also names the file's column and
    cell (``office='wethouder'`` was ``functie=3`` in the file); a cell emptied as a
    missing-value code says so (``weight=(empty)`` was ``999``).
    """
    if not flags:
        return {}
    order = {table: k for k, table in enumerate(TABLES)}
    names: dict[str, int] = {}
    sizes = [flag.rows.size for flag in flags]
    which = np.repeat(np.arange(len(flags)), sizes)
    rows = np.concatenate([flag.rows for flag in flags]).astype(np.int64)
    tables = np.repeat([order[flag.table] for flag in flags], sizes)
    columns = np.repeat([names.setdefault(flag.column, len(names)) for flag in flags], sizes)
    key = (tables * len(names) + columns) * (int(rows.max()) + 1) + rows
    _, first = np.unique(key, return_index=True)
    kept = np.sort(first)  # the first problem of each (table, row, column), in the order found
    texts = np.empty(kept.size, dtype=object)
    bounds = np.searchsorted(which[kept], np.arange(len(flags) + 1))
    for k, flag in enumerate(flags):
        part = slice(bounds[k], bounds[k + 1])
        if part.start < part.stop:
            picked = rows[kept[part]].astype(np.intp)
            found_texts = list(flag.texts(picked))
            found_texts = _with_origin(
                found_texts, picked, flag.column, origins.get(flag.table, {})
            )
            file_labels = labelled.get(flag.table, {}).get(flag.column)
            if file_labels is not None:
                found_texts = _labelled(found_texts, picked, *file_labels, flag.table, flag.column)
            emptied = blanked.get(flag.table, {}).get(flag.column)
            texts[part] = (
                found_texts if emptied is None else _emptied(found_texts, picked, *emptied)
            )
    result: dict[str, list[str]] = {}
    for table in sorted(set(tables[kept].tolist())):
        mine = kept[tables[kept] == table]
        texts_of = texts[tables[kept] == table]
        source = sources[TABLES[table]]
        picked = rows[mine].astype(np.intp)
        ranked = np.lexsort((mine, source.sort_keys(picked)))
        result[TABLES[table]] = source.where_rows(picked[ranked], texts_of[ranked].tolist())
    return result


def _likely_typo(name: str, known: frozenset[str], present: Mapping[str, Any]) -> str:
    """`` (did you mean 'x'?)`` for a known column the file lacks and ``name`` resembles."""
    spelt = {known_name.replace(":", "_"): known_name for known_name in known}
    missing = sorted(k for k in spelt if spelt[k] not in present)
    close = difflib.get_close_matches(name.replace(":", "_").lower(), missing, n=1, cutoff=0.8)
    return f" (did you mean {spelt[close[0]]!r}?)" if close else ""


def _did_you_mean(name: str, names: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, [str(n) for n in names], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _shown(value: Any) -> str:
    return shown(_plain(value))
