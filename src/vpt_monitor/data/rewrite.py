"""Writing a respondents file again with new weights, as it was delivered otherwise.

:func:`reweighted_file` is what ``vpt-monitor weight`` writes for the respondents: the
delivered file with every column, column name (the codebook's source names, not the
library's), cell and row order kept, and only the weight cells of the weighted wave replaced.
Rows are matched to the weighted data by respondent id and wave *as the library reads them*
(after the codebook's renames and recodes), so a file whose wave column holds codes still
matches. A CSV file is written with its own encoding (and byte-order mark), delimiter, decimal
mark and line ending; a Parquet file as Parquet with the weight column as float64; an SPSS
``.sav`` file as CSV (this library does not write ``.sav``), with a note. A file without a
weight column gets one, named as the codebook maps ``weight`` (else ``weight``).

Weights are written rounded to :data:`WEIGHT_DIGITS` (10) significant digits, in plain
notation (``342``, ``595,7446809``, never ``3.4e+02``). The calibration stops when every
margin is met to a relative 1e-7, and a relative change of at most 5e-10 per weight leaves
every total and estimate the same to the digits any report prints; the full representation
(``342,00000001308297``) reads as noise and claims a precision the weights do not have.
A Parquet file holds float64 and keeps every digit.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vpt_monitor.data.reading import _records, _sniff, plain_column, read_source

__all__ = ["WEIGHT_DIGITS", "reweighted_file"]

#: Significant digits of a weight written to a text file.
WEIGHT_DIGITS = 10


def _text(value: float, decimal: str) -> str:
    """Write a weight to :data:`WEIGHT_DIGITS` significant digits, with the file's decimal mark."""
    written = np.format_float_positional(
        float(value), precision=WEIGHT_DIGITS, unique=True, fractional=False, trim="-"
    )
    return written.replace(".", ",") if decimal == "," else written


def _texts(values: NDArray[np.float64], decimal: str) -> NDArray[np.str_]:
    """:func:`_text` of every value at once.

    C's ``%.10g`` writes what :func:`_text` does wherever it does not switch to an exponent
    (weights below 1e-4 or of 1e10 and more); those few are written one by one.
    """
    texts = np.char.mod(f"%.{WEIGHT_DIGITS}g", values)
    odd = np.flatnonzero(np.char.find(texts, "e") >= 0)
    if odd.size:  # longer in plain notation: the array's text width would cut them
        texts = texts.astype(object)
        for i in odd.tolist():
            texts[i] = _text(float(values[i]), ".")
        texts = texts.astype(str)
    return np.char.replace(texts, ".", ",") if decimal == "," else texts


Keys = tuple[NDArray[np.str_], NDArray[np.int64]]


def _keys(path: Path, book: Any, options: dict[str, str | None]) -> tuple[Any, Keys]:
    """Return the file's source and its ids and waves per row, as ``read_monitor`` reads them."""
    from vpt_monitor.io import _apply

    source = read_source(path, path.name, options)
    notes: list[str] = []
    applied = _apply(
        "respondents", source, book, [], known=frozenset(), ignore_unknown=False, notes=notes
    )
    return source, (_ids(plain_column(applied["id"])), _waves(plain_column(applied["wave"])))


#: The wave of a row whose wave cell is not a whole number (no wave has it).
NO_WAVE = np.iinfo(np.int64).min


def _ids(values: Any) -> NDArray[np.str_]:
    """Ids as text, as the library keys respondents: 7.0 is ``"7"``, spaces dropped."""
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        return array.astype(str)
    if array.dtype.kind == "f":
        whole = np.isfinite(array) & (np.floor(array) == array)
        texts = array.astype(str).astype(object)
        texts[whole] = array[whole].astype(np.int64).astype(str)
        return texts.astype(str)
    if array.dtype.kind == "O" and not all(isinstance(v, str) for v in array.tolist()):
        return np.array([_id(v) for v in array.tolist()], dtype=str)  # numbers among text
    return np.char.strip(array.astype(str))


def _id(value: Any) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _waves(values: Any) -> NDArray[np.int64]:
    """Waves as whole numbers (:data:`NO_WAVE` where a cell is not one)."""
    array = np.asarray(values)
    if array.dtype.kind in "iuf":
        numbers = array.astype(np.float64)
    else:
        numbers = np.array([_number(v) for v in array.tolist()], dtype=np.float64)
    finite = np.isfinite(numbers)
    waves = np.full(len(numbers), NO_WAVE, dtype=np.int64)
    waves[finite] = numbers[finite].astype(np.int64)  # truncated, as int(float(cell))
    return waves


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _match(keys: Keys, ids: NDArray[np.str_], waves: NDArray[np.int64]) -> NDArray[np.intp]:
    """Position of each row's (id, wave) among the pairs ``ids``, ``waves`` (-1: none).

    The pairs are unique (the data's respondents); a sort and a binary search, not a
    dictionary lookup per row.
    """

    def joined(i: NDArray[np.str_], w: NDArray[np.int64]) -> NDArray[np.str_]:
        return np.char.add(np.char.add(w.astype(str), "\x1f"), i)

    wanted = joined(*keys)
    known = joined(ids, waves)
    order = np.argsort(known, kind="stable")
    ranked = known[order]
    at = np.minimum(np.searchsorted(ranked, wanted), max(len(ranked) - 1, 0))
    hit = ranked[at] == wanted if len(ranked) else np.zeros(len(wanted), dtype=bool)
    return np.where(hit, order[at] if len(ranked) else 0, -1).astype(np.intp)


def _respondents(data: Any) -> tuple[NDArray[np.str_], NDArray[np.int64], NDArray[np.float64]]:
    frame = data.respondents
    waves = np.asarray(frame["wave"], dtype=np.int64)
    return _ids(frame["id"]), waves, np.asarray(frame["weight"], dtype=np.float64)


def _new_weights(
    data: Any, wave: int, keys: Keys, label: str
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Return the new weight of each row of the file and which rows are of ``wave``."""
    ids, waves, weights = _respondents(data)
    in_wave = keys[1] == wave
    found = _match(keys, ids, waves)
    found[~in_wave] = -1
    unmatched = int(np.count_nonzero(in_wave & (found < 0)))
    matched = found[found >= 0]
    left = int(np.count_nonzero(waves == wave)) - len(np.unique(matched))
    if unmatched or left or len(np.unique(matched)) != len(matched):
        raise ValueError(
            f"{label}: cannot match the rows of wave {wave} to the weighted data by id and "
            f"wave ({unmatched} rows of the file without a match, {left} weighted "
            "respondents without a row); was the file changed while it was read?"
        )
    new = np.full(len(in_wave), np.nan)
    new[in_wave] = weights[found[in_wave]]
    return new, in_wave


def reweighted_file(
    path: str | Path,
    data: Any,
    wave: int,
    *,
    codebook: Any = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
) -> tuple[str, bytes, list[str]]:
    """Return the respondents file ``path`` with the weights of ``wave`` taken from ``data``.

    Parameters
    ----------
    path : path
        The respondents file that ``data`` was read from (CSV, Parquet or ``.sav``).
    data : MonitorData
        The weighted data (:attr:`Weighting.data <vpt_monitor.weighting.Weighting>`).
    wave : int
        The wave weighted; the weight cells of other waves are kept as they are.
    codebook : Codebook, optional
        The codebook the file was read with (its column names and codes).
    encoding, delimiter, decimal : str, optional
        As given to :func:`~vpt_monitor.io.read_monitor` (they win over the codebook's).

    Returns
    -------
    name : str
        The file name to write (the same name; ``.csv`` for a ``.sav`` file).
    content : bytes
        The file.
    notes : list of str
        What the user should know (a ``.sav`` file written as CSV, a weight column added).
    """
    from vpt_monitor.io import Codebook

    path = Path(path)
    book = codebook if codebook is not None else Codebook()
    given = {"encoding": encoding, "delimiter": delimiter, "decimal": decimal}
    options = {
        key: value or book.options.get("respondents", {}).get(key) for key, value in given.items()
    }
    source, keys = _keys(path, book, options)
    new, weighted = _new_weights(data, wave, keys, path.name)
    column = book.columns.get("respondents", {}).get("weight", "weight")
    notes: list[str] = []
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return path.name, _parquet(path, column, new, weighted, data, keys, notes), notes
    if suffix == ".sav":
        name = path.with_suffix(".csv").name
        notes.append(
            f"{path.name} is written as {name} (vpt_monitor does not write SPSS files), with the "
            "codes as they are in the file (no value labels); a codebook that names the file "
            f"needs file = {name!r}"
        )
        header = list(source.columns)
        rows = [
            [_cell(v) for v in values]
            for values in zip(*(plain_column(c) for c in source.columns.values()), strict=True)
        ]
        content = _csv_bytes(header, rows, column, new, weighted, data, keys, ",", ".", "\n", notes)
        return name, content.encode("utf-8"), notes
    return path.name, _csv_file(path, options, column, new, weighted, data, keys, notes), notes


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _old_weight(data: Any, keys: Keys) -> NDArray[np.float64]:
    """Return the data's weight of each row (for a column the file did not have)."""
    ids, waves, weights = _respondents(data)
    found = _match(keys, ids, waves)
    return np.where(found >= 0, weights[np.maximum(found, 0)], 1.0)


def _csv_bytes(
    header: list[str],
    rows: list[list[str]],
    column: str,
    new: NDArray[np.float64],
    weighted: NDArray[np.bool_],
    data: Any,
    keys: Keys,
    delimiter: str,
    decimal: str,
    newline: str,
    notes: list[str],
) -> str:
    if column in header:
        at = header.index(column)
        chosen = np.flatnonzero(weighted)
        for row, text in zip(chosen.tolist(), _texts(new[chosen], decimal).tolist(), strict=True):
            rows[row][at] = text
    else:
        notes.append(f"the respondents file had no weight column; added {column!r}")
        header = [*header, column]
        texts = _texts(np.where(weighted, new, _old_weight(data, keys)), decimal).tolist()
        for cells, text in zip(rows, texts, strict=True):
            cells.append(text)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _csv_file(
    path: Path,
    options: dict[str, str | None],
    column: str,
    new: NDArray[np.float64],
    weighted: NDArray[np.bool_],
    data: Any,
    keys: Keys,
    notes: list[str],
) -> bytes:
    raw = path.read_bytes()
    encoding = options.get("encoding") or "utf-8"
    utf8 = codecs.lookup(encoding).name == "utf-8"
    bom = utf8 and raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig" if utf8 else encoding)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = options.get("delimiter") or _sniff(first, path.suffix.lower() == ".tsv")
    decimal = options.get("decimal") or ("," if delimiter == ";" else ".")
    newline = "\r\n" if "\r\n" in text else "\n"
    records, _, _, _ = _records(text, path.name, delimiter)
    header = [name.strip() for name in records[0]]
    rows = records[1:]  # the reader's own lists, changed in place
    content = _csv_bytes(
        header, rows, column, new, weighted, data, keys, delimiter, decimal, newline, notes
    )
    return (codecs.BOM_UTF8 if bom else b"") + content.encode("utf-8" if utf8 else encoding)


def _parquet(
    path: Path,
    column: str,
    new: NDArray[np.float64],
    weighted: NDArray[np.bool_],
    data: Any,
    keys: Keys,
    notes: list[str],
) -> bytes:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    if column in table.column_names:
        old = table.column(column).cast(pa.float64())
        kept = pa.array(np.where(weighted, new, np.nan), pa.float64(), mask=~weighted)
        values = pa.chunked_array([pc.if_else(pa.array(weighted), kept, old)])
        at = table.column_names.index(column)
        table = table.set_column(at, pa.field(column, pa.float64()), values)
    else:
        notes.append(f"the respondents file had no weight column; added {column!r}")
        values = pa.array(np.where(weighted, new, _old_weight(data, keys)), pa.float64())
        table = table.append_column(pa.field(column, pa.float64()), values)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()
