"""Render the tables of a :class:`~vpt_monitor.report.content.Content` as CSV and as Excel.

The files are for machines first: one column per domain variable, named in English snake
case (``wave``, ``group``, ``office``, ``province``) and holding the codes of the data files
(``politiek-ambtsdrager``, ``burgemeester``; waves as years), each followed by a ``*_label``
column with the label in the report's language; then the numbers unrounded (shares as
fractions, not percentages). Every table starts with a ``synthetic`` column that says
whether the data were simulated. The Excel workbook holds the same columns, one sheet per
table, with a first sheet that explains them; numbers keep full precision and are only
displayed as percentages.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

from vpt_monitor import _format
from vpt_monitor.report.content import Content, Table
from vpt_monitor.report.text import source_text
from vpt_monitor.stats._validation import warn

__all__ = ["COLUMNS", "columns", "csv_bytes", "metadata_bytes", "sheet_names", "xlsx_bytes"]

#: What each column of the CSV files and the workbook holds (written to metadata.json).
COLUMNS: Mapping[str, str] = {
    "synthetic": "true when the data are simulated (vpt_monitor.synth), not a survey",
    "<variable>": (
        "a domain variable (wave, group, office, layer, measure, province, ...): the code as "
        "in the data files (Dutch codes; waves as years)"
    ),
    "<variable>_label": "the label of the code in the report's language",
    "estimate, low, high": "the estimate and its 95% confidence interval (shares as fractions)",
    "n": "respondents (or incidents, organisations) in the domain",
    "reliable": (
        "whether the cell meets the publication rules; note says why not (in a table of "
        "changes: whether the change can be called significant - not when an estimate of "
        "either wave breaks a rule or has no variance, when a wave did not ask forms the "
        "other asked, or across a method break)"
    ),
    "first_wave, last_wave, change": "a change between two waves: last minus first",
    "standard_error": "design-based standard error",
    "p_value, p_adjusted, significant": (
        "two-sided t-test, p-value unadjusted and Holm-adjusted, and whether the adjusted "
        "p-value is below 0.05"
    ),
    "national, national_low, national_high": (
        "factsheets: the national figure of the same group and its 95% interval"
    ),
    "difference, difference_low, difference_high": (
        "factsheets: the domain minus the national figure, and its 95% interval (estimated "
        "on the full design: the domain is part of the nation)"
    ),
    "previous_wave, change, change_low, change_high": (
        "factsheets: the change since the previous wave and its 95% interval"
    ),
    "change_p_value, change_p_adjusted, change_significant": (
        "factsheets: the change's test, Holm-adjusted across the domains, and whether it is "
        "marked; never where change_reliable is false"
    ),
    "change_reliable, change_note, change_breaks": (
        "factsheets: whether the change can be called significant; why not (an estimate of "
        "either wave that breaks a publication rule or has no variance); the method break "
        "between the two waves, if any (then no change is comparable)"
    ),
}

_ESTIMATES = ("estimate", "low", "high", "n", "reliable", "note")
_CHANGES = (
    "first_wave",
    "last_wave",
    "change",
    "standard_error",
    "low",
    "high",
    "p_value",
    "p_adjusted",
    "significant",
    "reliable",
    "note",
)


def _code(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return ",".join(str(_code(v)) for v in value)
    return value


def columns(table: Table) -> list[str]:
    """Return the columns of a table's file, after ``synthetic``."""
    names: list[str] = []
    for variable in table.variables:
        names += [variable, f"{variable}_label"]
    if table.kind == "estimates":
        rest: tuple[str, ...] = _ESTIMATES
    elif table.kind == "changes":
        rest = _CHANGES
    else:
        rest = tuple(k for k in table.rows[0] if k not in names) if table.rows else ()
    return names + [c for c in rest if c not in names]


def _records(table: Table, content: Content) -> list[dict[str, Any]]:
    names = columns(table)
    records = []
    for row in table.rows:
        record: dict[str, Any] = {"synthetic": content.synthetic}
        for name in names:
            base = name.removesuffix("_label")
            if name.endswith("_label") and base in table.variables:
                given = row.get(name)
                record[name] = (
                    given if given is not None else _format.label(row[base], content.language)
                )
            else:
                record[name] = _code(row.get(name))
        records.append(record)
    return records


def csv_bytes(table: Table, content: Content) -> bytes:
    """Return one table as UTF-8 CSV (comma-separated, decimal point, header row)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=["synthetic", *columns(table)], lineterminator="\n")
    writer.writeheader()
    writer.writerows(_records(table, content))
    return buffer.getvalue().encode("utf-8")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_names(names: list[str]) -> dict[str, str]:
    """Return sheet names for tables: at most 31 characters, none forbidden, all different."""
    taken: set[str] = {"info"}
    result = {}
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", name)[:31]
        candidate, k = base, 2
        while candidate.lower() in taken:
            suffix = f"~{k}"
            candidate = base[: 31 - len(suffix)] + suffix
            k += 1
        taken.add(candidate.lower())
        result[name] = candidate
    return result


_FORMATS = {
    "percent": {"estimate": "0.0%", "low": "0.0%", "high": "0.0%"},
    "score": {"estimate": "0.0", "low": "0.0", "high": "0.0"},
    "rate": {"estimate": "0.00", "low": "0.00", "high": "0.00"},
}


def xlsx_bytes(content: Content) -> bytes | None:
    """Return the workbook of all tables, or None (with a warning) without openpyxl."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        warn(
            "the Excel workbook is left out: openpyxl is not installed (pip install "
            "'vpt_monitor[report]')",
            RuntimeWarning,
        )
        return None
    book = Workbook()
    info = book.active
    assert info is not None
    info.title = "info"
    nl = content.language == "nl"
    info.append([content.title])
    info["A1"].font = Font(bold=True, size=14)
    if content.synthetic:
        info.append([content.synthetic_note])
        info["A2"].font = Font(bold=True, color="A35200")
    elif content.source:
        info.append([source_text(content.source, content.language)])
    info.append([])
    info.append(["kolom" if nl else "column", "betekenis (Engels)" if nl else "meaning"])
    for name, meaning in COLUMNS.items():
        info.append([name, meaning])
    info.append([])
    info.append(
        ["tabel" if nl else "table", "werkblad" if nl else "sheet", "titel" if nl else "title"]
    )
    sheets = sheet_names(list(content.tables))
    for name, sheet in sheets.items():
        info.append([name, sheet, content.tables[name].title])
    info.column_dimensions["A"].width = 40
    info.column_dimensions["B"].width = 34
    for name, table in content.tables.items():
        if not table.rows:
            continue
        sheet = book.create_sheet(sheets[name])
        header = ["synthetic", *columns(table)]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for record in _records(table, content):
            sheet.append([_excel(record[h]) for h in header])
        formats = dict(_FORMATS.get(table.scale, {}))
        if table.kind == "changes":
            formats = {"change": "+0.0%;-0.0%", "low": "0.0%", "high": "0.0%"}
        formats.update({"p_value": "0.000", "p_adjusted": "0.000"})
        for j, column in enumerate(header, start=1):
            letter = get_column_letter(j)
            sheet.column_dimensions[letter].width = max(10, min(len(column) + 4, 40))
            if column in formats:
                for cell in sheet[letter][1:]:
                    cell.number_format = formats[column]
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _excel(value: Any) -> Any:
    """Return a value as Excel holds it: NaN and None as empty cells."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return None
    return value


def metadata_bytes(content: Content, names: list[str], workbook: bool) -> bytes:
    """Return ``tables/metadata.json``: the content's metadata, the files and the columns."""
    metadata = dict(content.metadata)
    metadata["tables"] = sorted(f"{n}.csv" for n in names)
    if workbook:
        metadata["workbook"] = "tables.xlsx"
        metadata["sheets"] = sheet_names(names)
    metadata["columns"] = dict(COLUMNS)
    return (json.dumps(metadata, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
