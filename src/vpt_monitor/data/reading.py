"""Reading one CSV, Parquet or SPSS file into columns of cells, every row located.

:func:`read_source` returns a :class:`Source`: the file's columns as
:class:`~vpt_monitor.data.cells.Cells` (text stripped, empty cells missing) and where each
row came from - the physical line of a CSV record, the row of a Parquet or ``.sav`` file.

CSV files are read by pyarrow's CSV reader where pyarrow is installed and the file is plain:
no quote characters, a header of distinct names, the same number of fields on every line.
Then a record is a line, and the line of a row is only worked out when a problem is reported
about it (by one scan of the file's bytes). Every other file - quoted fields, a ragged line, a
bad header, an encoding error - is read by Python's :mod:`csv` module, which finds the
exact line of every problem; both readers give the same columns. Parquet files are read by
pyarrow without pandas, ``.sav`` files by pyreadstat.
"""

from __future__ import annotations

import codecs
import csv
import errno
import functools
import io
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vpt_monitor.data.cells import (
    ArrayCells,
    ArrowCells,
    Cells,
    EncodedCells,
    contiguous,
    factorize_text,
    refactorize,
    shown,
)
from vpt_monitor.data.errors import MonitorDataError

__all__ = ["CSV_SUFFIXES", "FileFormatError", "Source", "check_format", "read_source"]

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
PARQUET_SUFFIXES = (".parquet", ".pq")
SAV_SUFFIXES = (".sav", ".zsav")


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


def check_format(key: str, value: Any) -> str:
    """Check an ``encoding``, ``delimiter`` or ``decimal`` option; return it."""
    if not isinstance(value, str):
        raise ValueError(f"must be text; got {shown(value)}")
    if key == "encoding":
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(
                f"unknown encoding {value!r}; Dutch files are usually 'utf-8' or 'cp1252'"
            ) from None
    elif key == "delimiter":
        if value.casefold() in ("tab", "\\t"):  # as typed in a codebook or a shell
            return "\t"
        if value in '"\r\n' and value:
            raise ValueError(
                f"{value!r} cannot separate fields (it quotes values or ends lines); give "
                "a character such as ',', ';' or 'tab'"
            )
        if len(value) != 1 or value.isalnum():
            raise ValueError(f"must be one character such as ',', ';' or 'tab'; got {value!r}")
    elif value not in (".", ","):
        raise ValueError(f"must be '.' or ','; got {value!r}")
    return value


class Source:
    """The columns of one file and where each of its rows came from.

    ``lines`` are the physical lines of a CSV file's rows (worked out when first asked for);
    without lines, rows are numbered from 1 (Parquet, ``.sav``).
    """

    def __init__(
        self,
        path: Path,
        label: str,
        columns: dict[str, Cells],
        lines: NDArray[np.int64] | Callable[[], NDArray[np.int64]] | None,
        header_line: int = 1,
        *,
        is_text: bool = False,
        decimal: str = ".",
        delimiter: str | None = None,
    ) -> None:
        self.path = path
        self.label = label
        self.columns = columns
        self._lines = lines
        self.header_line = header_line
        self.is_text = is_text
        self.decimal = decimal
        self.delimiter = delimiter  # of a CSV file
        #: value labels of a .sav file's columns: {column: {value: label}}
        self.value_labels: dict[str, dict[Any, str]] = {}

    def separator_hint(self) -> str:
        """Say so when the file, read as one column, has its names split by another mark."""
        if len(self.columns) != 1 or self.delimiter is None:
            return ""
        tsv = self.path.suffix.lower() == ".tsv"
        return separator_hint(next(iter(self.columns)), self.delimiter, tsv=tsv)

    @property
    def lines(self) -> NDArray[np.int64] | None:
        """Return the physical line of every row (CSV), or None (rows are numbered)."""
        if callable(self._lines):
            self._lines = self._lines()
        return self._lines

    def where(self, row: int) -> str:
        """Say where a row is: ``"<file> line <n>"`` or ``"<file> row <n>"``."""
        return self.where_rows(np.array([row]))[0]

    def where_rows(self, rows: NDArray[np.intp], texts: list[str] | None = None) -> list[str]:
        """Say where each of ``rows`` is (see :meth:`where`), followed by ``": text"``."""
        lines = self.lines
        where = f"{self.label} row " if lines is None else f"{self.label} line "
        numbers = (rows + 1).tolist() if lines is None else lines[rows].tolist()
        if texts is None:
            return [f"{where}{k}" for k in numbers]
        return [f"{where}{k}: {text}" for k, text in zip(numbers, texts, strict=True)]

    def sort_keys(self, rows: NDArray[np.intp]) -> NDArray[np.int64]:
        """Return the line (or 1-based row) of each of ``rows``, to sort problems by."""
        lines = self.lines
        return (rows + 1).astype(np.int64) if lines is None else lines[rows]

    @property
    def header(self) -> str:
        """Say where the column names are."""
        if self._lines is None:
            return f"{self.label} (columns)"
        return f"{self.label} line {self.header_line} (header)"


def read_source(path: Path, label: str, options: Mapping[str, str | None]) -> Source:
    """Read one file (CSV, Parquet or ``.sav``, by its suffix) into a :class:`Source`."""
    options = {
        key: None if value is None else check_format(key, value) for key, value in options.items()
    }
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    if path.is_dir():  # "" is the current folder
        raise IsADirectoryError(errno.EISDIR, "a folder, not a file", str(path))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, label, options, tab=suffix == ".tsv")
    if suffix in PARQUET_SUFFIXES:
        return _read_binary(path, label, "parquet")
    if suffix in SAV_SUFFIXES:
        return _read_binary(path, label, "sav")
    raise FileFormatError(
        path,
        [
            f"{label}: unknown file type {suffix!r}; use .csv, .tsv, .txt, .parquet or .sav "
            "(save a spreadsheet as CSV first)"
        ],
    )


# ---- text cells ---------------------------------------------------------------------------


def text_cells(values: NDArray[Any]) -> Cells:
    """Return cells of an object array of text as files give it: stripped, "" missing."""
    codes, distinct = factorize_text(values)
    return stripped(codes, distinct)


def stripped(codes: NDArray[np.intp], distinct: NDArray[Any]) -> EncodedCells:
    """Return codes into text values, each stripped once and empty text made missing."""
    texts = [(v.strip() or None) if isinstance(v, str) else v for v in distinct.tolist()]
    if all(v is None or isinstance(v, str) for v in texts):
        codes, merged = refactorize(codes, texts)
        values = np.empty(len(merged), dtype=object)
        values[:] = merged
        return EncodedCells(codes, values, clean=True)
    # texts next to other values (a column of mixed types): as they are, cell by cell
    values = np.empty(len(texts), dtype=object)
    values[:] = texts
    return EncodedCells(codes, values)


#: The characters ``str.strip`` removes: those for which ``str.isspace`` is true.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


@functools.cache
def _arrow_trims_python_whitespace() -> bool:
    """Whether Arrow's ``utf8_trim_whitespace`` strips every character ``str.strip`` does."""
    import pyarrow as pa
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(pa.array([f"{c}x{c}" for c in WHITESPACE])).to_pylist()
    return all(t == "x" for t in trimmed)


def clean_arrow_text(array: Any, *, trim: bool = True, empty: bool = True) -> Any:
    """Return an Arrow text array as files give it: texts stripped (``str.strip``), "" null.

    Arrow finds the cells with space at either end; only those are stripped by Python.
    ``trim=False`` says that no cell has space at either end, ``empty=False`` that no cell
    is empty text (a CSV reader that reads empty cells as null).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_large_string(array.type) or pa.types.is_string_view(array.type):
        array = array.cast(pa.string())
    if array.null_count == len(array):
        return array
    rows = None
    if not trim:
        pass
    elif _arrow_trims_python_whitespace():
        trimmed = pc.utf8_trim_whitespace(array)
        before = pc.sum(pc.binary_length(array)).as_py() or 0
        if before != (pc.sum(pc.binary_length(trimmed)).as_py() or 0):
            mask = pc.not_equal(trimmed, array).fill_null(False)
            rows = np.flatnonzero(np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool))
    else:  # an Arrow whose white space differs from Python's: strip every text in Python
        rows = np.flatnonzero(np.asarray(pc.is_valid(array).to_numpy(zero_copy_only=False)))
    if rows is not None and rows.size:
        array = contiguous(array)
        values = array.take(pa.array(rows, type=pa.int64())).to_pylist()
        mask = np.zeros(len(array), dtype=bool)
        mask[rows] = True
        array = pc.replace_with_mask(
            array, pa.array(mask), pa.array([v.strip() for v in values], type=pa.string())
        )
    if (empty or (rows is not None and rows.size)) and pc.min(pc.binary_length(array)).as_py() == 0:
        array = pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)
    return array


def _space_at_an_end(data: bytes, delimiter: str, quoted: bool = False) -> bool:
    """Whether any cell of a plain CSV file may start or end with white space."""
    ends = [delimiter.encode("utf-8"), b"\n", b"\r"] + ([b'"'] if quoted else [])
    characters = WHITESPACE if not data.isascii() else WHITESPACE[:10]
    for character in characters:
        if character in "\r\n" or (character == delimiter and not quoted):
            continue  # (a quoted value may hold the delimiter, even at either end)
        space = character.encode("utf-8")
        if space not in data:
            continue
        if data.startswith(space) or data.endswith(space):
            return True
        if any(end + space in data or space + end in data for end in ends):
            return True
    return False


# ---- CSV ---------------------------------------------------------------------------------


def _read_csv(path: Path, label: str, options: Mapping[str, str | None], *, tab: bool) -> Source:
    raw = path.read_bytes()
    encoding = options.get("encoding") or "utf-8"
    codec = codecs.lookup(encoding).name
    text: str | None = None
    data: bytes | None = None
    if codec == "utf-8" and raw.isascii():  # valid UTF-8 without decoding it all
        data = raw
        if b"\x00" in raw:
            text = raw.decode("ascii")
    else:
        try:
            text = raw.decode("utf-8-sig" if codec == "utf-8" else encoding)
        except UnicodeDecodeError as error:
            raise FileFormatError(
                path, [_decode_problem(label, raw, error, encoding, codec)]
            ) from None
    if text is not None and "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FileFormatError(
            path,
            [
                f"{label} line {line}: has a NUL character, which text files do not have; is it "
                "a UTF-16 file (pass encoding='utf-16') or not a CSV file at all?"
            ],
        )
    first = _first_line(text, raw)
    delimiter = options.get("delimiter") or _sniff(first, tab)
    decimal = options.get("decimal") or ("," if delimiter == ";" else ".")
    if decimal == delimiter:
        found = "given" if options.get("delimiter") else "found from the header"
        raise ValueError(
            f"{label}: the decimal mark and the delimiter ({found}) are both {delimiter!r}; "
            "give this file's decimal mark or delimiter in the codebook "
            "([<table>] decimal = ... / delimiter = ...) when the files differ"
        )
    if data is None:
        assert text is not None
        data = text.encode("utf-8")
    elif data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    fast = _read_plain_csv(path, label, data, delimiter, decimal)
    if fast is not None:
        return fast
    if text is None:
        text = data.decode("utf-8")
    return _read_csv_exactly(path, label, text, delimiter, decimal)


def _first_line(text: str | None, raw: bytes) -> str:
    """Return the first line that is not blank, as ``str.splitlines`` splits the text."""
    if text is not None:
        return next((line for line in text.splitlines() if line.strip()), "")
    size = 1 << 16
    while True:  # an ASCII file: decode as little as needed
        prefix = raw[:size].decode("ascii")
        lines = prefix.splitlines()
        whole = size >= len(raw)
        for k, line in enumerate(lines):
            if line.strip() and (whole or k < len(lines) - 1):
                return line
        if whole:
            return ""
        size *= 4


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


def _read_plain_csv(
    path: Path, label: str, data: bytes, delimiter: str, decimal: str
) -> Source | None:
    """Read a plain CSV file (UTF-8 bytes) with pyarrow; None where Python's reader must.

    Plain: quotes only around whole fields (doubled inside them) and never around a line
    break, a first line with distinct, non-blank names, the same number of fields on every
    line (pyarrow refuses any other line) and no field longer than Python's reader takes.
    Then every record is one line and both readers agree on every cell.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pa_csv
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    if len(delimiter.encode("utf-8")) != 1:
        return None
    quoted = b'"' in data
    breaks = _Breaks(data)
    if quoted and not _simple_quotes(breaks, delimiter):
        return None
    header_start, header_end, header_line = _first_nonempty_line(data)
    if header_line == 0:
        return None
    try:
        header = data[header_start:header_end].decode("utf-8")
        raw_names = next(csv.reader([header], delimiter=delimiter, strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):  # pragma: no cover - checked before
        return None
    names = [name.strip() for name in raw_names]
    if not all(names) or len(set(names)) != len(names) or len(set(raw_names)) != len(names):
        return None
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(use_threads=True, block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                quote_char='"' if quoted else False,
                double_quote=quoted,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=True,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in raw_names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
                check_utf8=True,
            ),
        )
    except (pa.ArrowException, ValueError):
        return None  # a ragged line, or anything else Python's reader will name exactly
    if table.column_names != raw_names:
        return None
    for k in range(table.num_columns):  # Python's reader refuses longer fields
        longest = pc.max(pc.binary_length(table.column(k))).as_py()
        if longest is not None and longest > csv.field_size_limit():
            return None
    trim = _space_at_an_end(data, delimiter, quoted)
    columns = [
        clean_arrow_text(table.column(k), trim=trim, empty=False) for k in range(table.num_columns)
    ]
    empty = None
    for column in columns:
        null = column.is_null()
        empty = null if empty is None else pc.and_(empty, null)
    kept: NDArray[np.intp] | None = None
    if empty is not None and table.num_rows and pc.any(empty).as_py():
        keep = pc.invert(empty)
        kept = np.flatnonzero(np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool))
        columns = [column.filter(keep) for column in columns]
    rows = table.num_rows
    del table
    cells: dict[str, Cells] = {
        name: ArrowCells(column, clean=True) for name, column in zip(names, columns, strict=True)
    }
    lines = functools.partial(_plain_lines, breaks, header_line, rows, kept, delimiter)
    return Source(
        path, label, cells, lines, header_line, is_text=True, decimal=decimal, delimiter=delimiter
    )


class _Breaks:
    """Positions of the line feeds and carriage returns of a file, found once when needed."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.buffer = np.frombuffer(data, dtype=np.uint8)
        self._found: tuple[NDArray[np.intp], NDArray[np.intp]] | None = None

    def found(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Return the positions of every LF and of every CR."""
        if self._found is None:
            newline = np.flatnonzero(self.buffer == 10)
            carriage = (
                np.flatnonzero(self.buffer == 13)
                if b"\r" in self.data
                else np.zeros(0, dtype=np.intp)
            )
            self._found = newline, carriage
        return self._found


def _simple_quotes(breaks: _Breaks, delimiter: str) -> bool:
    """Whether every quote of a CSV file opens or closes a whole field, or is doubled.

    Quotes alternate between opening and closing a field: an opening quote starts a field
    (or follows a closing one: a doubled quote inside the field), a closing quote ends it
    (or is followed by an opening one); no line break lies between them. Python's reader and
    pyarrow's read such a file alike, one record per line; anything else (a quote inside an
    unquoted value, text after a closing quote, a value over several lines, a quote never
    closed) is left to Python's reader.
    """
    buffer = breaks.buffer
    quotes = np.flatnonzero(buffer == 34)
    if quotes.size % 2:
        return False
    ends = np.zeros(256, dtype=bool)
    ends[[10, 13, ord(delimiter), 34]] = True
    opening, closing = quotes[0::2], quotes[1::2]
    before = buffer[np.maximum(opening - 1, 0)]
    after = buffer[np.minimum(closing + 1, buffer.size - 1)]
    if not ((opening == 0) | ends[before]).all():
        return False
    if not ((closing == buffer.size - 1) | ends[after]).all():
        return False
    return not any((np.searchsorted(quotes, b) % 2 == 1).any() for b in breaks.found())


def _first_nonempty_line(data: bytes) -> tuple[int, int, int]:
    """Return start, end and number (from 1) of the first line with any character; 0 if none."""
    start, line = 0, 1
    size = len(data)
    while start < size:
        end = start
        while end < size and data[end] not in b"\r\n":
            end += 1
        if end > start:
            return start, end, line
        start = end + (2 if data[end : end + 2] == b"\r\n" else 1)
        line += 1
    return 0, 0, 0


def _line_starts(breaks: _Breaks) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Return start and end (before its break) of every line: breaks are LF, CR LF and CR."""
    buffer = breaks.buffer
    newline, carriage = breaks.found()
    followed = carriage + 1 < buffer.size
    alone = carriage[~(followed & (buffer[np.minimum(carriage + 1, buffer.size - 1)] == 10))]
    ends = np.sort(np.concatenate([newline, alone])) if alone.size else newline
    starts = np.empty(ends.size + 1, dtype=np.intp)
    starts[0] = 0
    starts[1:] = ends + 1
    ends = np.append(ends, buffer.size).astype(np.intp)
    crlf = np.zeros(ends.size, dtype=bool)
    if carriage.size:
        inner = ends[:-1]
        crlf[:-1] = (buffer[inner] == 10) & (inner > 0) & (buffer[np.maximum(inner - 1, 0)] == 13)
    return starts, ends - crlf


def _plain_lines(
    breaks: _Breaks,
    header_line: int,
    rows: int,
    kept: NDArray[np.intp] | None,
    delimiter: str,
) -> NDArray[np.int64]:
    """Return the physical line of every row of a plain CSV file (lines with any text)."""
    starts, ends = _line_starts(breaks)
    lines = np.flatnonzero(ends > starts).astype(np.int64) + 1
    if lines.size != rows + 1 or lines[0] != header_line:  # pragma: no cover - a safeguard
        text = breaks.data.decode("utf-8")
        _, exact, _, _ = _records(text, "", delimiter)
        return np.array(exact, dtype=np.int64)
    lines = lines[1:]
    return lines if kept is None else lines[kept]


def _read_csv_exactly(path: Path, label: str, text: str, delimiter: str, decimal: str) -> Source:
    """Read a CSV file with Python's csv module, which locates every problem exactly."""
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
    tsv = path.suffix.lower() == ".tsv"
    problems += _ragged(label, header, header_line, rows, lines, delimiter, tsv=tsv)
    if problems:
        raise FileFormatError(path, problems)
    columns: dict[str, Cells] = {}
    cells_of = zip(*rows, strict=True) if rows else (() for _ in header)
    for name, cells in zip(header, cells_of, strict=True):
        values = np.empty(len(rows), dtype=object)
        values[:] = cells
        column = text_cells(values)
        if name or (column.encoded()[0] >= 0).any():
            columns[name] = column
    return Source(
        path,
        label,
        columns,
        np.array(lines, dtype=np.int64),
        header_line,
        is_text=True,
        decimal=decimal,
        delimiter=delimiter,
    )


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
            if not "".join(record).strip():  # one call per row, not one per cell
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
                f"({shown(used[1].strip())}); name the column"
            )
    return problems


#: Field separators a header read as one column may hold: how each is named and given.
_SEPARATORS = {
    ";": ("';'", "';'"),
    ",": ("','", "','"),
    "\t": ("a tab", "'\\t' (--delimiter tab)"),
    "|": ("'|'", "'|'"),
}


def separator_hint(header: str, used: str, *, tsv: bool = False) -> str:
    """Say which separator a header read as one name holds, when not the one ``used``.

    The separator named is the one that splits the header into the most names; "leave the
    delimiter out" is advised only when the reader would find that one by itself (never for
    a ``.tsv`` file, ``tsv``, which is read with tabs unless told otherwise). A header
    holding the separator it was read with was quoted as one value (lines quoted whole, as
    a spreadsheet writes text pasted into one column).

    Examples
    --------
    >>> from vpt_monitor.data.reading import separator_hint
    >>> print(separator_hint("id;wave;layer;office", ",")[:57])
     - one column: the names are separated by ';', not by ','
    >>> print(separator_hint("id,wave", ",")[:54])  # a name holding ",": quoted whole
     - one column: the header is one quoted value holding
    """
    named_used = _SEPARATORS.get(used, (repr(used), repr(used)))[0]
    if used in header:
        return (
            f" - one column: the header is one quoted value holding {named_used} (lines "
            "quoted whole, as text pasted into one spreadsheet column is saved); remove the "
            "quotes around each line"
        )
    counts = {mark: header.count(mark) for mark in _SEPARATORS if mark != used}
    mark = max(counts, key=lambda m: counts[m])
    if not counts[mark]:
        return ""
    named, given = _SEPARATORS[mark]
    advice = (
        f"leave the delimiter out (it is found from the header) or give {given}"
        if _sniff(header, tsv) == mark
        else f"give the delimiter {given}"
    )
    return (
        f" - one column: the names are separated by {named}, not by {named_used} (the "
        f"delimiter the file was read with); {advice}"
    )


def _ragged(
    label: str,
    header: list[str],
    header_line: int,
    rows: list[list[str]],
    lines: list[int],
    delimiter: str,
    *,
    tsv: bool = False,
) -> list[str]:
    expected = len(header)
    problems = []
    hint_first = separator_hint(header[0], delimiter, tsv=tsv) if expected == 1 else ""
    if hint_first:  # the wrong delimiter explains every line that follows
        problems.append(f"{label} line {header_line} (header): {header[0]!r}{hint_first}")
    for row, line in zip(rows, lines, strict=True):
        if len(row) == expected:
            continue
        if len(row) > expected:
            what = "tab" if delimiter == "\t" else repr(delimiter)
            hint = f"an unquoted {what} in a value?"
            if delimiter == ",":
                hint = "a value with an unquoted ',', such as a decimal comma?"
        else:
            hint = "a cut-off line, or a line break in a value that is not quoted?"
        fields = f"{len(row)} field{'' if len(row) == 1 else 's'}"
        problems.append(
            f"{label} line {line}: {fields}, but the header (line {header_line}) has "
            f"{expected} ({hint})"
        )
    return problems


# ---- Parquet and SPSS ----------------------------------------------------------------------


def _read_binary(path: Path, label: str, kind: str) -> Source:
    path.open("rb").close()  # an unreadable file is an OSError (permissions), not a format
    if kind == "parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError(
                f"reading {path} needs pyarrow: pip install 'vpt_monitor[parquet]'"
            ) from None
        table = _guarded(path, label, kind, lambda: pq.read_table(path))
        return _from_arrow(path, label, table)
    try:
        import pyreadstat
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"reading {path} needs pyreadstat: pip install 'vpt_monitor[spss]'"
        ) from None
    frame, meta = _guarded(path, label, kind, lambda: pyreadstat.read_sav(str(path)))
    names = [str(c) for c in frame.columns]
    _refuse_repeated(path, label, names)
    columns = {str(name): _frame_column(frame[name]) for name in frame.columns}
    source = Source(path, label, columns, None)
    labels = getattr(meta, "variable_value_labels", None) or {}
    source.value_labels = {str(k): dict(v) for k, v in labels.items() if isinstance(v, dict)}
    return source


def _guarded(path: Path, label: str, kind: str, read: Callable[[], Any]) -> Any:
    """Run a binary reader; a damaged file is a :class:`FileFormatError`."""
    try:
        return read()
    except ImportError:
        raise
    except OSError as error:
        if error.errno is not None:  # a real I/O failure, not a damaged file
            raise
        raise FileFormatError(path, [_unreadable(label, kind, error)]) from error
    except Exception as error:  # the readers raise many types for a damaged file
        raise FileFormatError(path, [_unreadable(label, kind, error)]) from error


def _refuse_repeated(path: Path, label: str, names: list[str]) -> None:
    problems = [
        f"{label} (columns): column {name!r} appears {count} times"
        for name, count in Counter(names).items()
        if count > 1
    ]
    if problems:
        raise FileFormatError(path, problems)


def _unreadable(label: str, kind: str, error: Exception) -> str:
    what = "a Parquet file" if kind == "parquet" else "an SPSS .sav file"
    reason = " ".join(str(error).split())[:200] or type(error).__name__
    return (
        f"{label} row 1: cannot be read as {what} ({reason}); is the file damaged, or of "
        "another type? Export it again."
    )


def _from_arrow(path: Path, label: str, table: Any) -> Source:
    """Return the columns of a Parquet file as pandas would have given them to the checks."""
    meta = table.schema.pandas_metadata or {}
    # pandas stores an unnamed index (row labels) as __index_level_0__: not data. A named
    # index (frame.set_index("id").to_parquet()) is a column of the file and read as one.
    index = {
        name
        for name in meta.get("index_columns", [])
        if isinstance(name, str) and re.fullmatch(r"__index_level_\d+__", name)
    }
    nullable = {
        str(entry.get("name")): str(entry.get("numpy_type", ""))
        for entry in meta.get("columns", [])
    }
    names = [name for name in table.column_names if name not in index]
    _refuse_repeated(path, label, names)
    columns = {
        name: _arrow_column(
            _text_of_bytes(path, label, name, table.column(name)), nullable.get(name, "")
        )
        for name in names
    }
    return Source(path, label, columns, None)


def _text_of_bytes(path: Path, label: str, name: str, column: Any) -> Any:
    """Return a column of bytes (Arrow ``binary``, as some writers store text) as UTF-8 text.

    Read as Python objects, the bytes would become text such as ``"b'007'"``: ids that
    match no other file's and codes that are never valid.
    """
    import pyarrow as pa

    kind = column.type
    if not (
        pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
        or pa.types.is_fixed_size_binary(kind)
    ):
        return column
    try:
        return column.cast(pa.large_string() if pa.types.is_large_binary(kind) else pa.string())
    except pa.ArrowInvalid:
        raise FileFormatError(
            path,
            [
                f"{label} (columns): column {name!r} holds bytes that are not UTF-8 text; "
                "write it as a text (string) column"
            ],
        ) from None


def _arrow_column(column: Any, numpy_type: str) -> Cells:
    """Return one Arrow column as cells: text stripped, numbers as numpy, others via pandas."""
    import pyarrow as pa

    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return ArrowCells(clean_arrow_text(column), clean=True)
    if pa.types.is_dictionary(kind) and pa.types.is_string(kind.value_type):
        combined = contiguous(column)
        # indices of any integer type (polars writes uint32 and uint8), -1 where missing
        indices = combined.indices.cast(pa.int64()).fill_null(-1)
        codes = np.asarray(indices.to_numpy(zero_copy_only=False))
        distinct = combined.dictionary.to_numpy(zero_copy_only=False)
        return stripped(codes.astype(np.intp), np.asarray(distinct, dtype=object))
    if pa.types.is_nested(kind):
        # a list or a record per cell holds no value the library reads: shown as its type
        # (office='[list<item: string>]': not a valid code), never handed to numpy as rows
        # of sequences ("setting an array element with a sequence", with no cell named)
        empty = np.asarray(column.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        shown = np.full(len(empty), f"[{kind}]", dtype=object)
        shown[empty] = None
        return text_cells(shown)
    numeric = pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)
    if numeric and column.null_count == 0:
        return ArrayCells(np.asarray(column.to_numpy()))
    if pa.types.is_floating(kind):
        return ArrayCells(np.asarray(column.to_numpy(), dtype=np.float64))
    if pa.types.is_integer(kind):
        # pandas reads whole numbers with missing values as floats, unless its own
        # metadata says the column was a nullable integer (Int64 and the like)
        if numpy_type[:1] in ("I", "U") and numpy_type[1:].startswith(("nt", "Int")):
            return ArrowCells(column)
        return ArrayCells(np.asarray(column.to_numpy(), dtype=np.float64))
    if pa.types.is_boolean(kind):
        return ArrowCells(column)
    return _frame_column(column.to_pandas())


def _frame_column(series: Any) -> Cells:
    """Return a pandas column as cells: numbers as they are, text stripped, others objects."""
    import pandas as pd

    if series.dtype.kind in "biuf" and not isinstance(
        series.dtype, pd.api.extensions.ExtensionDtype
    ):
        return ArrayCells(np.asarray(series.to_numpy()))
    values = np.array(series.to_numpy(dtype=object, na_value=None), dtype=object)
    values[np.asarray(pd.isna(series), dtype=bool)] = None
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return text_cells(values)
    # text as in CSV files: surrounding spaces dropped, empty text missing (as SPSS stores it)
    for i, value in enumerate(values):
        if isinstance(value, str):
            values[i] = value.strip() or None
    return ArrayCells(values)


def plain_column(cells: Cells) -> NDArray[Any]:
    """Return the cells as the array :func:`~vpt_monitor.io.read_table` puts in its frame."""
    if isinstance(cells, ArrayCells):
        return cells.values
    return cells.objects()
