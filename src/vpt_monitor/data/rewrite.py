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


def _keys(path: Path, book: Any, options: dict[str, str | None]) -> tuple[Any, NDArray[Any]]:
    """Return the file's source and its (id, wave) per row, as :func:`read_monitor` reads them."""
    from vpt_monitor.io import _apply

    source = read_source(path, path.name, options)
    notes: list[str] = []
    applied = _apply(
        "respondents", source, book, [], known=frozenset(), ignore_unknown=False, notes=notes
    )
    ids = plain_column(applied["id"])
    waves = plain_column(applied["wave"])
    keys = np.empty(len(ids), dtype=object)
    keys[:] = [(_id(i), _wave(w)) for i, w in zip(ids, waves, strict=True)]
    return source, keys


def _id(value: Any) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _wave(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _new_weights(data: Any, wave: int, keys: NDArray[Any], label: str) -> NDArray[Any]:
    """Return the new weight of each row of the file (None for rows of other waves)."""
    ids = data.respondents["id"]
    waves = data.respondents["wave"]
    weights = data.respondents["weight"]
    index = {
        (_id(i), int(w)): float(x) for i, w, x in zip(ids, waves, weights, strict=True) if w == wave
    }
    out = np.full(len(keys), None, dtype=object)
    unmatched = []
    for row, key in enumerate(keys):
        if key[1] != wave:
            continue
        found = index.pop(key, None)
        if found is None:
            unmatched.append(row + 1)
        out[row] = found
    if unmatched or index:
        raise ValueError(
            f"{label}: cannot match the rows of wave {wave} to the weighted data by id and "
            f"wave ({len(unmatched)} rows of the file without a match, {len(index)} weighted "
            "respondents without a row); was the file changed while it was read?"
        )
    return out


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
    new = _new_weights(data, wave, keys, path.name)
    column = book.columns.get("respondents", {}).get("weight", "weight")
    notes: list[str] = []
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return path.name, _parquet(path, column, new, data, keys, notes), notes
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
        content = _csv_bytes(header, rows, column, new, data, keys, ",", ".", "\n", notes)
        return name, content.encode("utf-8"), notes
    return path.name, _csv_file(path, options, column, new, data, keys, notes), notes


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _old_weight(data: Any, keys: NDArray[Any]) -> list[float]:
    """Return the data's weight of each row (for a column the file did not have)."""
    index = {
        (_id(i), int(w)): float(x)
        for i, w, x in zip(
            data.respondents["id"],
            data.respondents["wave"],
            data.respondents["weight"],
            strict=True,
        )
    }
    return [index.get(key, 1.0) for key in keys]


def _csv_bytes(
    header: list[str],
    rows: list[list[str]],
    column: str,
    new: NDArray[Any],
    data: Any,
    keys: NDArray[Any],
    delimiter: str,
    decimal: str,
    newline: str,
    notes: list[str],
) -> str:
    if column in header:
        at = header.index(column)
        for row, value in zip(rows, new, strict=True):
            if value is not None:
                row[at] = _text(value, decimal)
    else:
        notes.append(f"the respondents file had no weight column; added {column!r}")
        header = [*header, column]
        old = _old_weight(data, keys)
        for row, value, before in zip(rows, new, old, strict=True):
            row.append(_text(before if value is None else value, decimal))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _csv_file(
    path: Path,
    options: dict[str, str | None],
    column: str,
    new: NDArray[Any],
    data: Any,
    keys: NDArray[Any],
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
    rows = [list(r) for r in records[1:]]
    content = _csv_bytes(header, rows, column, new, data, keys, delimiter, decimal, newline, notes)
    return (codecs.BOM_UTF8 if bom else b"") + content.encode("utf-8" if utf8 else encoding)


def _parquet(
    path: Path,
    column: str,
    new: NDArray[Any],
    data: Any,
    keys: NDArray[Any],
    notes: list[str],
) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    if column in table.column_names:
        old = table.column(column).cast(pa.float64()).to_pylist()
        at = table.column_names.index(column)
        values = [o if v is None else float(v) for o, v in zip(old, new, strict=True)]
        table = table.set_column(at, pa.field(column, pa.float64()), pa.array(values, pa.float64()))
    else:
        notes.append(f"the respondents file had no weight column; added {column!r}")
        old_w = _old_weight(data, keys)
        values = [o if v is None else float(v) for o, v in zip(old_w, new, strict=True)]
        table = table.append_column(pa.field(column, pa.float64()), pa.array(values, pa.float64()))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()
