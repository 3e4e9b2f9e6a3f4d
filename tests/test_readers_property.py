"""Property: a CSV file either loads exactly as written, or is refused with file and line.

Hypothesis writes valid respondent files in the ways users deliver them (comma or semicolon
separated, decimal points or commas, UTF-8, UTF-8 with BOM, cp1252 or UTF-16, CRLF, blank
lines, quoted ids with separators, quotes and line breaks), then may break them: junk in
random cells, rows cut short or extended, a quote that is never closed, an encoding the
reader is not told about. :func:`read_monitor` must load exactly the generated data from an
unbroken file, and refuse a broken one with :class:`MonitorDataError` (its own family) whose
every problem names the file and a line - the physical line of the broken record - and never
raise anything else.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from vpt_monitor import Layer, MonitorDataError, Office
from vpt_monitor.io import FileFormatError, read_monitor

PAIRS = [
    ("rijk", "ambtenaar"),
    ("gemeente", "raadslid"),
    ("gemeente", "burgemeester"),
    ("provincie", "statenlid"),
    ("waterschap", "dijkgraaf"),
]
TRAINING = {"ja": 1, "nee": 0, "true": 1, "False": 0, "1": 1, "0": 0, "": -1, "WAAR": 1}
COLUMNS = ["id", "wave", "layer", "office", "weight", "incidents:verbaal", "training", "stratum"]
JUNK = {
    "wave": ["", "20x6", "1e30", "inf", "1899", "2016.5", "nan"],
    "layer": ["rijkk", "", "RIJKK", "rijk-"],  # "RIJK" is "rijk" (codes ignore case)
    "office": ["koning", "", "Ambtenaren"],
    # an empty weight is junk only beside weights in its wave (a wave with none reads as
    # unweighted): tested in test_readers_formats
    "weight": ["-1", "0", "abc", "inf", "nan", "1_0"],
    "incidents:verbaal": ["-1", "1.5", "1e30", "inf", "9223372036854775807", "x", "100001"],
    "training": ["misschien", "2", "-1", "jaa"],
}
ID_TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 ,;\"'\né-ë")), min_size=1, max_size=8
).filter(lambda s: s.strip() != "")
LABEL_TEXT = st.text(alphabet=st.sampled_from(list("ABCéëöü -")), min_size=1, max_size=6).filter(
    lambda s: s.strip() != ""
)


@dataclass
class Case:
    rows: list[dict[str, Any]]
    delimiter: str
    encoding: str
    tell_encoding: bool
    crlf: bool
    blank_before: list[int]  # blank lines before each record (header first)
    junk: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, value
    ragged: list[tuple[int, int]] = field(default_factory=list)  # row, +1 or -1 fields
    open_quote: bool = False


@st.composite
def cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(1, 12))
    ids = draw(st.lists(ID_TEXT, min_size=n, max_size=n, unique_by=lambda s: s.strip()))
    rows = []
    for i in range(n):
        layer, office = draw(st.sampled_from(PAIRS))
        rows.append(
            {
                "id": ids[i],
                "wave": draw(st.sampled_from([2014, 2016])),
                "layer": layer,
                "office": office,
                "weight": draw(st.integers(1, 100_000)) / 100,
                "incidents:verbaal": draw(st.integers(0, 30)),
                "training": draw(st.sampled_from(sorted(TRAINING))),
                "stratum": draw(LABEL_TEXT),
            }
        )
    case = Case(
        rows=rows,
        delimiter=draw(st.sampled_from([",", ";"])),
        encoding=draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])),
        tell_encoding=draw(st.booleans()),
        crlf=draw(st.booleans()),
        blank_before=draw(st.lists(st.integers(0, 2), min_size=n + 1, max_size=n + 1)),
    )
    breakage = draw(st.sampled_from(["none", "none", "junk", "ragged", "quote", "mixed"]))
    if breakage in ("junk", "mixed"):
        for _ in range(draw(st.integers(1, 3))):
            column = draw(st.sampled_from(sorted(JUNK)))
            case.junk.append(
                (draw(st.integers(0, n - 1)), column, draw(st.sampled_from(JUNK[column])))
            )
        # a duplicate id (ids are unique within a wave: of two rows with a wave each)
        junk_waves = {row for row, column, _ in case.junk if column == "wave"}
        if n > 1 and draw(st.booleans()) and not junk_waves & {0, n - 1}:
            case.junk.append((n - 1, "id", ids[0]))
            rows[n - 1]["wave"] = rows[0]["wave"]
    if breakage in ("ragged", "mixed"):
        case.ragged.append((draw(st.integers(0, n - 1)), draw(st.sampled_from([-1, 1]))))
    if breakage == "quote":
        case.open_quote = True
    return case


def _cells(case: Case, row: dict[str, Any]) -> list[str]:
    decimal = "," if case.delimiter == ";" else "."
    weight = f"{row['weight']:.2f}".replace(".", decimal)
    return [
        row["id"],
        str(row["wave"]),
        row["layer"],
        row["office"],
        weight,
        str(row["incidents:verbaal"]),
        row["training"],
        row["stratum"],
    ]


def _write(case: Case, path: Path) -> list[int]:
    """Write the file; return the physical line on which each record starts."""
    newline = "\r\n" if case.crlf else "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=case.delimiter, lineterminator=newline)
    line = 1
    starts = []
    records: list[list[str]] = [COLUMNS] + [_cells(case, r) for r in case.rows]
    for row, column, value in case.junk:
        records[row + 1][COLUMNS.index(column)] = value
    for row, change in case.ragged:
        record = records[row + 1]
        records[row + 1] = record[:-1] if change < 0 else [*record, "9"]
    for k, record in enumerate(records):
        buffer.write(newline * case.blank_before[k])
        line += case.blank_before[k]
        if k:
            starts.append(line)
        if case.open_quote and k == len(records) - 1:
            # a quote opens the training cell of the last record and is never closed
            csv.writer(buffer, delimiter=case.delimiter, lineterminator="").writerow(record[:-2])
            buffer.write(f'{case.delimiter}"{record[-2]}{case.delimiter}{record[-1]}{newline}')
        else:
            writer.writerow(record)
        line = buffer.getvalue().count("\n") + 1
    text = buffer.getvalue()
    path.write_bytes(text.encode(case.encoding, errors="strict"))
    return starts


def _encodable(case: Case) -> bool:
    text = "".join("".join(_cells(case, r)) for r in case.rows)
    try:
        text.encode(case.encoding)
    except UnicodeEncodeError:
        return False
    return True


LOCATED = re.compile(r"r\.csv line \d+( \(header\))?: ")


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_a_csv_file_loads_exactly_or_is_refused_with_file_and_line(
    tmp_path: Path, case: Case
) -> None:
    if not _encodable(case):
        case.encoding = "utf-8"
    path = tmp_path / "r.csv"
    starts = _write(case, path)
    broken = bool(case.junk or case.ragged or case.open_quote)
    # reading a non-UTF-8 file without being told its encoding must fail, unless its bytes
    # are UTF-8 anyway (ASCII text in cp1252)
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        undecodable = False
    except UnicodeDecodeError:
        undecodable = True
    wrong_encoding = not case.tell_encoding and undecodable
    encoding = case.encoding if case.tell_encoding else None
    refused: MonitorDataError | None = None
    try:
        data = read_monitor(path, encoding=encoding)
    except MonitorDataError as error:
        refused = error
    if refused is not None:
        assert broken or wrong_encoding, refused.problems
        assert refused.problems
        for problem in refused.problems:
            assert LOCATED.match(problem), problem
        if wrong_encoding or isinstance(refused, FileFormatError):
            event(f"refused: {type(refused).__name__}")
            return
        event("refused: rows")
        # row problems: each junk cell is reported on its record's physical line
        reported = {int(p.split(" ")[2].rstrip(":")) for p in refused.problems}
        for row, _, _ in case.junk:
            assert starts[row] in reported, (starts[row], refused.problems)
        assert reported <= {starts[row] for row, _, _ in case.junk} | {starts[0]}
        return
    event("loaded")
    # no error: the file was not broken (or its junk happened to be valid), and the data are
    # exactly what was written
    assert not case.ragged
    assert not case.open_quote
    assert not wrong_encoding
    assert not case.junk, case.junk
    r = data.respondents
    assert r["id"].tolist() == [row["id"].strip() for row in case.rows]
    assert r["wave"].tolist() == [row["wave"] for row in case.rows]
    assert [tuple(Layer)[k].value for k in r["layer"]] == [row["layer"] for row in case.rows]
    assert [tuple(Office)[k].value for k in r["office"]] == [row["office"] for row in case.rows]
    np.testing.assert_array_equal(r["weight"], [round(row["weight"], 2) for row in case.rows])
    assert r["victimisations"][:, 0].tolist() == [row["incidents:verbaal"] for row in case.rows]
    assert r["training"].tolist() == [TRAINING[row["training"]] for row in case.rows]
    assert r["stratum"].tolist() == [row["stratum"].strip() for row in case.rows]
    assert data.source.startswith("read_monitor(respondents=")
