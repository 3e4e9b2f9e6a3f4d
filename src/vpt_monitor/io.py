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

Reading CSV needs nothing beyond the library; Parquet needs pyarrow and ``.sav`` pyreadstat
(the ``parquet`` and ``spss`` extras), both with pandas.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor.attributes import Attribute
from vpt_monitor.data import MonitorData, MonitorDataError

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
#: Fields that hold design labels, compared as text when a file mixes numbers and text.
_LABEL_FIELDS = ("stratum", "cluster")
_CSV_SUFFIXES = (".csv", ".txt", ".tsv")
_PARQUET_SUFFIXES = (".parquet", ".pq")
_SAV_SUFFIXES = (".sav", ".zsav")
_SECTION_KEYS = ("file", "encoding", "delimiter", "decimal", "columns", "codes")
_FORMAT_KEYS = ("encoding", "delimiter", "decimal")
_SHOWN_LENGTH = 60


class FileFormatError(MonitorDataError):
    r"""A file that cannot be read as a table: its encoding, quoting, fields or type.

    Part of the :class:`~vpt_monitor.MonitorDataError` family (a :class:`ValueError`):
    ``problems`` lists each problem as ``"<file> line <n>: <what>"`` (``row <n>`` in Parquet
    and ``.sav`` files), with what to do about it.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    problems : list of str
        Every problem found, located.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from vpt_monitor.io import FileFormatError, read_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = path.write_text("id,wave\na,2016,x\n")
    >>> try:
    ...     read_table(path)
    ... except FileFormatError as error:
    ...     print(error.problems[0])  # doctest: +ELLIPSIS
    r.csv line 2: 3 fields, but the header (line 1) has 2 (a value with an unquoted ','...
    """

    def __init__(self, path: str | Path, problems: Sequence[str]) -> None:
        self.path = Path(path)
        super().__init__(f"cannot read {self.path}", problems)


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
    for table, section in content.items():
        if table == "attributes":
            attributes += _codebook_attributes(label, section, problems)
            continue
        if table not in TABLES:
            problems.append(
                f"{label} [{table}]: unknown section{_did_you_mean(table, TABLES)}; "
                f"sections are {', '.join(TABLES)} and attributes"
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
            else:
                codes[table] = _codebook_codes(f"{label} [{table}.codes]", value, problems)
    if problems:
        raise CodebookError(path, problems)
    return Codebook(columns, codes, files, options, path, tuple(attributes))


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


def _check_format(key: str, value: Any) -> str:
    """Check an ``encoding``, ``delimiter`` or ``decimal`` option; return it."""
    if not isinstance(value, str):
        raise ValueError(f"must be text; got {_shown(value)}")
    if key == "encoding":
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(
                f"unknown encoding {value!r}; Dutch files are usually 'utf-8' or 'cp1252'"
            ) from None
    elif key == "delimiter":
        if len(value) != 1 or value in '"\r\n' or value.isalnum():
            raise ValueError(f"must be one character such as ',', ';' or a tab; got {value!r}")
    elif value not in (".", ","):
        raise ValueError(f"must be '.' or ','; got {value!r}")
    return value


# ---- reading one file --------------------------------------------------------------------


@attrs.define
class _Source:
    """The columns of one file and where each of its rows came from."""

    path: Path
    label: str
    columns: dict[str, NDArray[Any]]
    lines: NDArray[np.int64] | None  # physical line of each row (CSV); None: "row" numbers
    header_line: int = 1
    is_text: bool = False
    decimal: str = "."

    def where(self, row: int) -> str:
        if self.lines is None:
            return f"{self.label} row {row + 1}"
        return f"{self.label} line {int(self.lines[row])}"

    def sort_key(self, row: int) -> int:
        return row + 1 if self.lines is None else int(self.lines[row])

    @property
    def header(self) -> str:
        if self.lines is None:
            return f"{self.label} (columns)"
        return f"{self.label} line {self.header_line} (header)"


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
    source = _read_source(Path(path), Path(path).name, options)
    return pd.DataFrame(source.columns)


def _read_source(path: Path, label: str, options: Mapping[str, str | None]) -> _Source:
    for key, value in options.items():
        if value is not None:
            _check_format(key, value)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    suffix = path.suffix.lower()
    if suffix in _CSV_SUFFIXES:
        return _read_csv(path, label, options, tab=suffix == ".tsv")
    if suffix in _PARQUET_SUFFIXES:
        return _read_binary(path, label, "parquet")
    if suffix in _SAV_SUFFIXES:
        return _read_binary(path, label, "sav")
    raise FileFormatError(
        path,
        [
            f"{label}: unknown file type {suffix!r}; use .csv, .parquet or .sav (save a "
            "spreadsheet as CSV first)"
        ],
    )


def _read_binary(path: Path, label: str, kind: str) -> _Source:
    import pandas as pd

    if kind == "sav":
        try:
            import pyreadstat
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError(
                f"reading {path} needs pyreadstat: pip install 'vpt_monitor[spss]'"
            ) from None
    path.open("rb").close()  # an unreadable file is an OSError (permissions), not a format
    try:
        if kind == "parquet":
            frame = pd.read_parquet(path)
        else:
            frame, _ = pyreadstat.read_sav(str(path))
    except ImportError:
        raise
    except OSError as error:
        if error.errno is not None:  # a real I/O failure, not a damaged file
            raise
        raise FileFormatError(path, [_unreadable(label, kind, error)]) from error
    except Exception as error:  # the readers raise many types for a damaged file
        raise FileFormatError(path, [_unreadable(label, kind, error)]) from error
    names = [str(c) for c in frame.columns]
    problems = [
        f"{label} (columns): column {name!r} appears {count} times"
        for name, count in Counter(names).items()
        if count > 1
    ]
    if problems:
        raise FileFormatError(path, problems)
    columns = {str(name): _plain_column(frame[name]) for name in frame.columns}
    return _Source(path, label, columns, None)


def _unreadable(label: str, kind: str, error: Exception) -> str:
    what = "a Parquet file" if kind == "parquet" else "an SPSS .sav file"
    reason = " ".join(str(error).split())[:200] or type(error).__name__
    return (
        f"{label} row 1: cannot be read as {what} ({reason}); is the file damaged, or of "
        "another type? Export it again."
    )


def _plain_column(series: Any) -> NDArray[Any]:
    """Return a pandas column as numpy: numbers stay numeric, others object, None missing."""
    import pandas as pd

    if series.dtype.kind in "biuf" and not isinstance(
        series.dtype, pd.api.extensions.ExtensionDtype
    ):
        return np.asarray(series.to_numpy())
    values = np.array(series.to_numpy(dtype=object, na_value=None), dtype=object)
    values[np.asarray(pd.isna(series), dtype=bool)] = None
    # text as in CSV files: surrounding spaces dropped, empty text missing (as SPSS stores it)
    for i, value in enumerate(values):
        if isinstance(value, str):
            values[i] = value.strip() or None
    return values


def _read_csv(path: Path, label: str, options: Mapping[str, str | None], *, tab: bool) -> _Source:
    raw = path.read_bytes()
    encoding = options.get("encoding") or "utf-8"
    codec = codecs.lookup(encoding).name
    try:
        text = raw.decode("utf-8-sig" if codec == "utf-8" else encoding)
    except UnicodeDecodeError as error:
        raise FileFormatError(path, [_decode_problem(label, raw, error, encoding, codec)]) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FileFormatError(
            path,
            [
                f"{label} line {line}: has a NUL character, which text files do not have; is it "
                "a UTF-16 file (pass encoding='utf-16') or not a CSV file at all?"
            ],
        )
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = options.get("delimiter") or _sniff(first, tab)
    decimal = options.get("decimal") or ("," if delimiter == ";" else ".")
    if decimal == delimiter:
        raise ValueError(f"the decimal mark and the delimiter are both {delimiter!r}")
    records, lines, header_line, problems = _records(text, label, delimiter)
    if problems:
        raise FileFormatError(path, problems)
    if header_line == 0:
        raise FileFormatError(
            path,
            [
                f"{label} line 1: the file is empty (or has only blank lines); expected a "
                "header line with the column names, then one line per record"
            ],
        )
    header = [name.strip() for name in records[0]]
    rows = records[1:]
    problems = _header_problems(label, header, header_line, rows, lines)
    problems += _ragged(label, header, header_line, rows, lines, delimiter)
    if problems:
        raise FileFormatError(path, problems)
    columns: dict[str, NDArray[Any]] = {}
    for k, name in enumerate(header):
        values = np.empty(len(rows), dtype=object)
        values[:] = [cell.strip() or None for cell in (row[k] for row in rows)]
        if name or any(v is not None for v in values):
            columns[name] = values
    return _Source(
        path,
        label,
        columns,
        np.array(lines, dtype=np.int64),
        header_line,
        is_text=True,
        decimal=decimal,
    )


def _decode_problem(
    label: str, raw: bytes, error: UnicodeDecodeError, encoding: str, codec: str
) -> str:
    line = raw.count(b"\n", 0, error.start) + 1
    column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
    byte = raw[error.start : error.start + 1].hex()
    where = f"{label} line {line}: byte 0x{byte} (character {column})"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return (
            f"{where}: the file is UTF-16, not {encoding}; pass encoding='utf-16' "
            "(--encoding utf-16), or save it as UTF-8"
        )
    if codec == "utf-8":
        return (
            f"{where} is not UTF-8. Files saved by Dutch Excel or SPSS are often Windows-1252: "
            "pass encoding='cp1252' (--encoding cp1252, or encoding = \"cp1252\" in the "
            "codebook's section of the file), or save the file as UTF-8"
        )
    return f"{where} is not valid {encoding}; pass the file's encoding, or save it as UTF-8"


def _sniff(header: str, tab: bool) -> str:
    if tab or ("\t" in header and "," not in header and ";" not in header):
        return "\t"
    if ";" in header and "," not in header:
        return ";"
    return ","


def _records(
    text: str, label: str, delimiter: str
) -> tuple[list[list[str]], list[int], int, list[str]]:
    """Parse records; return them, each data record's first line, the header's line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    header_line = 0
    last = 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # a blank line, or a row of empty cells (spreadsheets write them)
            if header_line == 0:
                header_line = start
            else:
                lines.append(start)
            records.append(record)
    except csv.Error as error:
        start = last + 1
        reason = str(error)
        if "unexpected end of data" in reason or "newline inside string" in reason:
            what = (
                "a quoted field starts on this line and its closing '\"' never comes; "
                "close the quote, or double a '\"' inside a value"
            )
        elif "expected after" in reason:
            what = (
                "a '\"' inside a value that is not quoted as a whole; quote the value and "
                'double the \'"\' ("a ""b"" c"), or remove it'
            )
        elif "field larger than field limit" in reason:
            what = "a field of more than 131,072 characters (an unclosed quote?)"
        else:
            what = reason
        return [], [], 0, [f"{label} line {start}: {what}"]
    return records, lines, header_line, []


def _header_problems(
    label: str, header: list[str], header_line: int, rows: list[list[str]], lines: list[int]
) -> list[str]:
    problems = []
    where = f"{label} line {header_line} (header)"
    for name, count in Counter(header).items():
        if name and count > 1:
            fields = [str(k + 1) for k, n in enumerate(header) if n == name]
            problems.append(
                f"{where}: column {name!r} appears {count} times (fields {', '.join(fields)})"
            )
    for k, name in enumerate(header):
        if name:
            continue
        used = next(
            (
                (line, row[k])
                for row, line in zip(rows, lines, strict=True)
                if k < len(row) and row[k].strip()
            ),
            None,
        )
        if used is not None:
            problems.append(
                f"{where}: field {k + 1} has no name, but line {used[0]} has a value there "
                f"({_shown(used[1].strip())}); name the column"
            )
    return problems


def _ragged(
    label: str,
    header: list[str],
    header_line: int,
    rows: list[list[str]],
    lines: list[int],
    delimiter: str,
) -> list[str]:
    expected = len(header)
    problems = []
    for row, line in zip(rows, lines, strict=True):
        if len(row) == expected:
            continue
        if len(row) > expected:
            shown = "tab" if delimiter == "\t" else repr(delimiter)
            hint = f"an unquoted {shown} in a value?"
            if delimiter == ",":
                hint = "a value with an unquoted ',', such as a decimal comma?"
        else:
            hint = "a cut-off line, or a line break in a value that is not quoted?"
        problems.append(
            f"{label} line {line}: {len(row)} fields, but the header (line {header_line}) has "
            f"{expected} ({hint})"
        )
    return problems


# ---- from files to columns -------------------------------------------------------------

#: A problem found by the reader: table, row, the column it is about, the text.
_Own = tuple[str, int, str, str]


def _apply(
    table: str, source: _Source, book: Codebook, problems: list[_Own]
) -> dict[str, NDArray[Any]]:
    """Rename and recode the columns of one table as the codebook says."""
    frame = source.columns
    mapping = book.columns.get(table, {})
    where = book.path.name if book.path is not None else "codebook"
    errors = []
    for field, src in mapping.items():
        if src not in frame:
            errors.append(
                f"{where} [{table}.columns] {field} = {src!r}: {source.header} has no column "
                f"{src!r}{_did_you_mean(src, list(frame))}"
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
    result: dict[str, NDArray[Any]] = {}
    for field, values in renamed.items():
        recode = book.codes.get(table, {}).get(field)
        if recode:
            values = np.array([recode.get(_code_key(v), v) for v in values], dtype=object)
        if source.is_text and (field in _NUMERIC_FIELDS or field.startswith(_NUMERIC_PREFIXES)):
            values = _numbers_in_text(table, field, values, source.decimal, problems)
        if field in _LABEL_FIELDS:
            values = _labels(values)
        result[field] = values
    return result


def _code_key(value: Any) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.generic):
        return str(value.item())
    return str(value)


_DOT_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_COMMA_NUMBER = re.compile(r"[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?")


def _numbers_in_text(
    table: str,
    field: str,
    values: NDArray[Any],
    decimal: str,
    problems: list[_Own],
) -> NDArray[Any]:
    """Check number syntax of CSV cells with the file's decimal mark; return '.'-numbers."""
    this, other = (_DOT_NUMBER, _COMMA_NUMBER) if decimal == "." else (_COMMA_NUMBER, _DOT_NUMBER)
    result = np.array(values, dtype=object)
    for i, value in enumerate(values):
        if not isinstance(value, str):
            continue
        if this.fullmatch(value):
            result[i] = value.replace(",", ".")
            continue
        if _number(value) in (float("inf"), float("-inf")):
            problems.append((table, i, field, f"{field}={_shown(value)}: must be a finite number"))
            result[i] = None
            continue
        if other.fullmatch(value):
            if decimal == ".":
                hint = "; a decimal comma? pass decimal=',' (--decimal ,)"
            else:
                hint = (
                    "; the file is read with decimal ','. Is the '.' a thousands separator "
                    "(remove it) or the decimal mark (pass decimal='.', --decimal .)?"
                )
        else:
            hint = ""
        problems.append((table, i, field, f"{field}={_shown(value)}: not a number{hint}"))
        result[i] = None
    return result


def _labels(values: NDArray[Any]) -> NDArray[Any]:
    """Design labels as text when a column mixes text and numbers (as codebooks can make)."""
    if values.dtype.kind != "O":
        return values
    kinds = {isinstance(v, str) for v in values if v is not None}
    if len(kinds) < 2:
        return values
    return np.array([None if v is None else _code_key(v) for v in values], dtype=object)


# ---- design checks ----------------------------------------------------------------------


def _design_problems(
    table: str, columns: Mapping[str, NDArray[Any]], source: _Source
) -> list[_Own]:
    """Check the sampling design of one table: fpc per stratum, clusters nested in strata.

    Waves are independent samples, so a stratum is a (wave, stratum label) pair and a
    cluster belongs to a (wave, stratum): labels may be reused across waves.
    """
    if "wave" not in columns:
        return []
    waves = [_number(v) for v in columns["wave"]]
    strata = columns.get("stratum")
    clusters = columns.get("cluster") if table == "respondents" else None
    fpc = columns.get("fpc")
    problems: list[_Own] = []

    def stratum_of(i: int) -> Any:
        return None if strata is None else strata[i]

    def known(i: int) -> bool:
        return waves[i] == waves[i] and (strata is None or strata[i] is not None)

    if fpc is not None:
        groups: dict[tuple[float, str], list[int]] = {}
        for i in range(len(waves)):
            if known(i) and _number(fpc[i]) == _number(fpc[i]):
                groups.setdefault((waves[i], _code_key(stratum_of(i))), []).append(i)
        for (wave, _), rows in groups.items():
            values = Counter(_number(fpc[i]) for i in rows)
            if len(values) < 2:
                continue
            common = values.most_common(1)[0][0]
            first = next(i for i in rows if _number(fpc[i]) == common)
            where = (
                f"stratum {_shown(_plain(stratum_of(first)))} of wave {wave:g}"
                if strata is not None
                else f"wave {wave:g} (no strata given, so the wave is the stratum)"
            )
            for i in rows:
                if _number(fpc[i]) != common:
                    problems.append(
                        (
                            table,
                            i,
                            "fpc (design)",
                            f"fpc={_shown(_plain(fpc[i]))}: differs within {where}, where "
                            f"{source.where(first)} has {_shown(_plain(fpc[first]))}; the fpc "
                            "is one number per stratum (its population or sampling fraction)",
                        )
                    )
    if strata is not None and clusters is not None:
        home: dict[tuple[float, str], int] = {}
        for i in range(len(waves)):
            if not known(i) or clusters[i] is None:
                continue
            key = (waves[i], _code_key(clusters[i]))
            first = home.setdefault(key, i)
            if _code_key(strata[first]) != _code_key(strata[i]):
                problems.append(
                    (
                        table,
                        i,
                        "cluster (design)",
                        f"cluster={_shown(_plain(clusters[i]))}: in stratum "
                        f"{_shown(_plain(strata[i]))} here but in stratum "
                        f"{_shown(_plain(strata[first]))} on {source.where(first)} (wave "
                        f"{waves[i]:g}); clusters are nested in strata, so give each cluster "
                        "one stratum per wave (or distinct labels)",
                    )
                )
    return problems


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


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

    Returns
    -------
    MonitorData
        With ``source`` naming the files read.

    Raises
    ------
    MonitorDataError
        Listing every problem of every file: file, line (CSV) or row (Parquet, ``.sav``),
        column, value and reason (the first 20 in the message, all in ``problems``).
        Besides the checks of :meth:`MonitorData.from_columns <vpt_monitor.MonitorData>`:
        unknown columns (with the closest known name), numbers written with the other decimal
        mark, an ``fpc`` that varies within a stratum of a wave, and a cluster in two strata
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
    bad.csv line 2: incidents:verbaal='1e30': must be <= 100000 incidents a year ...
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
    sources: dict[str, _Source] = {}
    for table in TABLES:
        if table in paths:
            options = {
                key: arguments[key] or book.options.get(table, {}).get(key) for key in _FORMAT_KEYS
            }
            sources[table] = _read_source(paths[table], labels[table], options)
    own: list[_Own] = []
    frames = {table: _apply(table, source, book, own) for table, source in sources.items()}
    for table, frame in frames.items():
        if table in ("respondents", "organisations"):
            own += _design_problems(table, frame, sources[table])
    empty_respondents: dict[str, Any] = {"id": [], "wave": [], "layer": [], "office": []}
    found: list[str] = []
    data = None
    try:
        data = MonitorData.from_columns(
            frames.get("respondents", empty_respondents),
            frames.get("incidents"),
            frames.get("organisations"),
            frames.get("violations"),
            lonely_psu=lonely_psu,
            attributes=[*book.attributes, *(attributes or ())],
        )
    except MonitorDataError as error:
        found = list(error.problems)
    except ValueError as error:  # a required column is absent
        found = [str(error)]
    if own or found or data is None:
        raise MonitorDataError("read_monitor", _located(own, found, sources))
    data.source = "read_monitor(" + ", ".join(f"{t}={str(p)!r}" for t, p in paths.items())
    if book.path is not None:
        data.source += f", codebook={str(book.path)!r}"
    data.source += ")"
    return data


def _labels_of(paths: Mapping[str, Path]) -> dict[str, str]:
    """Name files by their name, or by their path when two share a name."""
    names = Counter(p.name for p in paths.values())
    return {t: p.name if names[p.name] == 1 else str(p) for t, p in paths.items()}


_ROW = re.compile(r"(?P<table>\w+) row (?P<row>\d+): (?P<column>[^=]+)=(?P<rest>.*)", re.S)
_COLUMN = re.compile(r"(?P<table>\w+) column (?P<rest>'.*)", re.S)
_REQUIRED = re.compile(
    r"(?P<table>respondent|incident|organisation|violation) column (?P<name>'.*?')"
)


def _located(own: list[_Own], found: list[str], sources: Mapping[str, _Source]) -> list[str]:
    """Locate every problem in its file; one per (row, column), sorted by file and line."""
    keyed: dict[tuple[str, int, str], tuple[tuple[int, int, int], str]] = {}
    order = {table: k for k, table in enumerate(TABLES)}

    def add(table: str, row: int, column: str, text: str, rank: int) -> None:
        source = sources[table]
        key = (table, row, column)
        if key not in keyed:
            keyed[key] = (
                (order[table], source.sort_key(row), rank),
                f"{source.where(row)}: {text}",
            )

    for rank, (table, row, column, text) in enumerate(own):
        add(table, row, column, text, rank)
    rest: list[tuple[tuple[int, int, int], str]] = []
    for rank, problem in enumerate(found, start=len(own)):
        match = _ROW.fullmatch(problem)
        if match and match["table"] in sources:
            add(
                match["table"],
                int(match["row"]),
                match["column"],
                f"{match['column']}={match['rest']}",
                rank,
            )
            continue
        match = _COLUMN.fullmatch(problem)
        if match and match["table"] in sources:
            source = sources[match["table"]]
            rest.append(
                ((order[match["table"]], 0, rank), f"{source.header}: column {match['rest']}")
            )
            continue
        match = _REQUIRED.match(problem)
        if match and match["table"] + "s" in sources:
            source = sources[match["table"] + "s"]
            rest.append(
                (
                    (order[match["table"] + "s"], 0, rank),
                    f"{source.header}: {problem}; the file has {', '.join(source.columns)}",
                )
            )
            continue
        rest.append(((len(TABLES), 0, rank), problem))
    return [text for _, text in sorted([*keyed.values(), *rest])]


def _did_you_mean(name: str, names: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, [str(n) for n in names], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _shown(value: Any) -> str:
    text = repr(_plain(value))
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 3] + "..."
