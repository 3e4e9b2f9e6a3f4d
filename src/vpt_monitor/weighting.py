"""Weighting one wave of the monitor to population counts (:meth:`MonitorData.weight`).

The population counts come as a table with one line per category::

    variable,category,count
    layer,gemeente,11500
    layer,provincie,1300
    office,burgemeester,342
    gender,v,5400

``variable`` is ``layer``, ``office``, ``group`` or a declared respondent attribute (a
category or yes/no); ``category`` its code as in the data files; ``count`` the number of
people in the population. Every variable is one margin; all margins must add up to the same
population. The file is checked as a whole and every problem is reported with its line.

The delimiter is ``,``, ``;`` or a tab (whichever the header line has most of). The header
may also be Dutch, ``variabele;categorie;aantal``; header names, variables and categories
ignore case, and a code written ``2.0`` matches the code ``2`` (and back). The file is read
as UTF-8. With a codebook, variables and categories may be written as the respondents file
writes them (see :meth:`vpt_monitor.MonitorData.weight`).

Counts are written in plain digits (``290000``). A count written with thousands grouping
(``290.000``, ``290,000``, ``1.234.567``, ``290 000``) is refused with its line: ``290.000``
may mean 290 or 290,000, and reading it either way silently gives wrong weights. A count
may have a fraction (an estimated population) when the decimal mark is unmistakable: one
``.`` or ``,`` followed by other than exactly three digits (``1400,5``, ``1400.25``), or
more than three digits before it (``1400.000``).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from vpt_monitor.data.cells import shown
from vpt_monitor.stats import WeightDiagnostics, weight_diagnostics
from vpt_monitor.stats._calmodel import METHODS, Model
from vpt_monitor.stats._match import match
from vpt_monitor.stats._validation import check_choice
from vpt_monitor.stats.calibration import _against_fpc, _check_bounds, calibrate_model
from vpt_monitor.stats.design import SurveyDesign

if TYPE_CHECKING:
    from vpt_monitor.data import MonitorData
    from vpt_monitor.io import Codebook

__all__ = ["PopulationError", "Weighting", "weight"]

REQUIRED = ("variable", "category", "count")
DUTCH = {"variabele": "variable", "categorie": "category", "aantal": "count"}
BOOLEAN = {"true": True, "ja": True, "1": True, "false": False, "nee": False, "0": False}


class PopulationError(ValueError):
    """The population counts are unusable; ``problems`` lists each, with file and line."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(
            f"population counts {source}: {len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}:\n  {shown}{more}"
        )


@attrs.frozen
class _Line:
    where: str
    variable: str
    category: str
    count: str
    number: float | None = None  # a count given as a number (a data frame), not as text
    said: str = ""  # how the line wrote the variable and category, when a codebook changed them


def _header_name(text: str) -> str:
    name = text.strip().lower()
    return DUTCH.get(name, name)


def _frame_number(value: Any) -> float | None:
    if isinstance(value, bool | np.bool_ | str) or not isinstance(value, int | float | np.number):
        return None
    number = float(value)
    return number if np.isfinite(number) else None


def _lines(population: Any) -> tuple[str, list[_Line]]:
    """Read the table: a CSV path, or a data frame; each line with its location."""
    if isinstance(population, str | Path):
        path = Path(population)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise PopulationError(
                str(path),
                [
                    f"{path.name}:{line}: byte {raw[error.start]:#04x} is not UTF-8; save the "
                    "counts as UTF-8 (Excel: 'CSV UTF-8'): another encoding (such as "
                    "Windows-1252, Dutch Excel's plain CSV) is not guessed at"
                ],
            ) from None
        first = text.splitlines()[0] if text.strip() else ""
        delimiter = max(";,\t", key=first.count)  # the mark that splits the header most
        if not first.count(delimiter):
            delimiter = ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows = list(reader)
        source = str(path)
        if not rows:
            raise PopulationError(source, [f"{path.name}: the file is empty"])
        header = [_header_name(h) for h in rows[0]]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise PopulationError(
                source,
                [
                    f"{path.name}:1: the header needs columns {', '.join(REQUIRED)} "
                    f"(or in Dutch {', '.join(DUTCH)}); missing {', '.join(missing)} "
                    f"(found {', '.join(h.strip() for h in rows[0])})"
                ],
            )
        at = [header.index(c) for c in REQUIRED]
        lines = []
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            cells = [row[i].strip() if i < len(row) else "" for i in at]
            lines.append(_Line(f"{path.name}:{number}", cells[0], cells[1], cells[2]))
        return source, lines
    columns = getattr(population, "columns", None)
    if columns is None:
        raise TypeError(
            "'population' must be the path of a CSV file or a data frame with columns "
            f"variable, category, count; got {type(population).__name__}"
        )
    names = {_header_name(str(c)): c for c in columns}
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise PopulationError(
            "(data frame)", [f"the frame needs columns {', '.join(REQUIRED)}; missing {missing}"]
        )
    values = [list(population[names[c]]) for c in REQUIRED]
    lines = [
        _Line(f"row {i}", str(v).strip(), str(c).strip(), str(n).strip(), _frame_number(n))
        for i, (v, c, n) in enumerate(zip(*values, strict=True))
    ]
    return "(data frame)", lines


_PLAIN = re.compile(r"[+-]?\d+(?:[eE][+-]?\d+)?")
_DECIMAL = re.compile(r"[+-]?(\d*)[.,](\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:(?:[.,]|\s)\d{3})+(?:[.,]\d+)?")


def _number(text: str) -> tuple[float | None, str]:
    """Read one count: the number, or None and why not (see the module on grouping)."""
    value: float | None = None
    if _PLAIN.fullmatch(text):
        value = float(text)
    elif (match := _DECIMAL.fullmatch(text)) is not None:
        before, after = match.groups()
        if len(after) == 3 and 1 <= len(before) <= 3:
            return None, "grouped"
        value = float(text.replace(",", "."))
    elif _GROUPED.fullmatch(text):
        return None, "grouped"
    if value is not None and not np.isfinite(value):
        # a negative count is refused as negative, however many digits it has
        return (None, "too large") if value > 0 else (None, "negative")
    if value == 0 and re.search(r"^[^eE]*[1-9]", text):  # 1e-400: no float holds it
        return None, "too small"
    if value is None:
        return None, "not a number"
    return value, ""


def _plain(text: str) -> str:
    """Return the digits of a count written with thousands grouping, as it should be written."""
    return re.sub(r"[^\d+-]", "", text)


def _suggest(value: str, options: list[str]) -> str:
    close = difflib.get_close_matches(value, options, n=2, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


@attrs.frozen(eq=False)
class Weighting:
    """The result of :meth:`MonitorData.weight`: the weighted data and the diagnostics.

    Attributes
    ----------
    data : MonitorData
        The data with the wave's new weights (other waves unchanged); its design carries
        the calibration, so standard errors account for it.
    wave : int
        The wave weighted.
    method : str
        The calibration method.
    bounds : tuple of float
        The bounds on the g-weights (infinite when none).
    before, after : WeightDiagnostics
        Diagnostics of the wave's weights before and after (``after`` has the g-weights).
    margins : list of dict
        One dict per population line: ``variable``, ``category``, ``population``, and the
        weighted counts ``before`` and ``after``.
    population : str
        Where the population counts came from (the file, or ``"(data frame)"``).
    """

    data: MonitorData
    wave: int
    method: str
    bounds: tuple[float, float]
    before: WeightDiagnostics
    after: WeightDiagnostics
    margins: list[dict[str, Any]]
    population: str = ""

    def to_pandas(self) -> Any:
        """Return the before/after margins as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame.from_records(self.margins)


def _code_text(text: str) -> str:
    """Return a category as a code: ``2.0`` (a float column, a spreadsheet) is ``2``."""
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() and "." in text else text


def _in_library_terms(
    lines: list[_Line], codebook: Codebook | None, allowed: list[str]
) -> list[_Line]:
    """Name every line's variable and category as the library does.

    Variables are matched ignoring case; with a codebook, a variable named as the
    respondents file names it (``[respondents.columns]``) becomes the library's field, and a
    category written in the file's codes (``[respondents.codes]``) the library's code, both
    ignoring case, as the reader does. A code written as ``2.0`` is ``2``.
    """
    library = {name.casefold(): name for name in allowed}
    fields = (
        {}
        if codebook is None
        else {
            str(source).casefold(): field
            for field, source in codebook.columns.get("respondents", {}).items()
        }
    )
    codes = {} if codebook is None else codebook.codes.get("respondents", {})
    translated = []
    for line in lines:
        key = line.variable.casefold()
        variable = fields.get(key, library.get(key, line.variable))
        recode = {str(k).casefold(): str(v) for k, v in codes.get(variable, {}).items()}
        category = recode.get(
            line.category.casefold(),
            recode.get(_code_text(line.category).casefold(), line.category),
        )
        said = ""
        if recode or key in fields:
            listed = ", ".join(str(k) for k in list(codes.get(variable, {}))[:20])
            said = f" (the line says {line.variable}={line.category}" + (
                f"; the codebook's [respondents.codes.{variable}] maps {listed})" if recode else ")"
            )
        translated.append(attrs.evolve(line, variable=variable, category=category, said=said))
    return translated


def weight(
    data: MonitorData,
    population: Any,
    *,
    wave: int | None = None,
    method: str = "raking",
    bounds: tuple[float, float] | None = None,
    max_iter: int = 50,
    tol: float = 1e-7,
    codebook: Codebook | str | Path | None = None,
) -> Weighting:
    """Calibrate one wave's respondent weights to population counts (see the module)."""
    from vpt_monitor.indicators._common import Unit

    method = check_choice("method", method, METHODS)
    checked = _check_bounds(bounds, method)
    waves = data.waves
    if wave is None:
        if len(waves) != 1:
            raise ValueError(
                f"the data hold waves {', '.join(map(str, waves))}; say which to weight "
                "with wave= (--wave)"
            )
        wave = waves[0]
    if isinstance(wave, bool) or not isinstance(wave, int | np.integer):
        # '2024' would be "not in the data (waves: 2024)": say what is wrong
        raise TypeError(
            f"'wave' must be a whole number, the wave's year; got {wave!r} "
            f"({type(wave).__name__}; waves: {', '.join(map(str, waves))})"
        )
    if wave not in waves:
        raise ValueError(f"wave {wave!r} is not in the data (waves: {', '.join(map(str, waves))})")
    if isinstance(codebook, str | Path):
        from vpt_monitor.io import read_codebook

        codebook = read_codebook(codebook)
    source, lines = _lines(population)
    if not lines:
        raise PopulationError(source, ["no population counts in the table"])
    unit = Unit(data)
    allowed = [
        n
        for n in unit.allowed
        if n != "wave" and (n not in unit.attributes or unit.attributes[n].kind != "integer")
    ]
    lines = _in_library_terms(lines, codebook, allowed)
    in_wave = np.asarray(data.respondents["wave"]) == wave
    problems: list[str] = []
    columns: list[NDArray[np.float64]] = []
    targets: list[float] = []
    names: list[str] = []
    margins: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], str] = {}
    totals: dict[str, list[tuple[str, float]]] = {}
    covered: dict[str, set[int]] = {}
    codes_of: dict[str, NDArray[np.intp]] = {}
    # variables with a refused line: their coverage and sum are not checked, as the problems
    # found there would only follow from the refused line
    refused: set[str] = set()
    for line in lines:
        if line.variable not in allowed:
            problems.append(
                f"{line.where}: unknown variable {line.variable!r}"
                f"{_suggest(line.variable, allowed)} (variables: {', '.join(allowed)})"
            )
            continue
        labels = unit.labels(line.variable)
        texts = [str(label).lower() for label in labels]
        wanted = line.category.lower()
        if isinstance(labels[0], bool | np.bool_):
            position = {False: 0, True: 1}.get(BOOLEAN.get(wanted), -1)  # type: ignore[arg-type]
        else:  # as the data files' cells match: exactly, else ignoring case and accents
            written = [str(label) for label in labels]
            position = match(line.category, written)
            if position < 0:  # a code written 2.0 (a spreadsheet, a float column) is 2
                plain = [_code_text(text) for text in written]
                position = match(_code_text(line.category.strip()), plain)
        if position < 0:
            held = [str(label) for label in labels]  # as the data hold them
            problems.append(
                f"{line.where}: unknown category {line.category!r} of {line.variable!r}"
                f"{line.said}{_suggest(line.category, held)} (categories: {', '.join(held)})"
            )
            refused.add(line.variable)
            continue
        count, why = (line.number, "") if line.number is not None else _number(line.count)
        if why == "grouped":
            problems.append(
                f"{line.where}: the count of {line.variable} {line.category!r} is "
                f"{line.count!r}, written with thousands grouping (or a decimal mark "
                "followed by three digits); it is not read, as it may mean either. Write "
                f"counts in plain digits, without separators ({_plain(line.count)} if the "
                "separators group thousands)"
            )
            refused.add(line.variable)
            continue
        if count is None or count < 0:
            problems.append(
                f"{line.where}: the count of {line.variable} {line.category!r} "
                + (
                    f"is {shown(line.count)}: a number {why} to read"
                    if why in ("too large", "too small")
                    else f"must be a number >= 0; got {shown(line.count)}"
                )
            )
            refused.add(line.variable)
            continue
        key = (line.variable, str(position))
        if key in seen:
            problems.append(
                f"{line.where}: {line.variable} {line.category!r} is given twice "
                f"(also at {seen[key]})"
            )
            continue
        seen[key] = line.where
        if line.variable not in codes_of:
            codes_of[line.variable] = unit.column(line.variable)
        codes = codes_of[line.variable]
        x = (in_wave & (codes == position)).astype(np.float64)
        sampled = int(x.sum())
        # the line is there and its count is read: it counts toward its margin's population
        # and covers its category, even when refused below - else the margins' sums and the
        # categories without a line would be reported wrong as well
        totals.setdefault(line.variable, []).append((line.where, count))
        covered.setdefault(line.variable, set()).add(position)
        if sampled == 0 and count > 0:
            problems.append(
                f"{line.where}: {line.variable} {line.category!r} has a population count "
                f"({count:g}) but no respondent in wave {wave}; merge it with a neighbouring "
                "category"
            )
            continue
        if sampled > 0 and count == 0:
            problems.append(
                f"{line.where}: {line.variable} {line.category!r} has {sampled} respondents "
                f"in wave {wave} but a population count of 0; correct the count (people "
                "were sampled, so the population has some)"
            )
            continue
        if sampled == 0:
            continue
        columns.append(x)
        targets.append(count)
        names.append(f"{line.variable}={texts[position]}")
        margins.append(
            {"variable": line.variable, "category": texts[position], "population": count}
        )
    for variable, positions in covered.items():
        if variable in refused:
            continue
        codes = codes_of[variable]
        labels = unit.labels(variable)
        present = np.unique(codes[in_wave])
        for p in present.tolist():
            if p < 0:
                n_unknown = int(np.count_nonzero(in_wave & (codes < 0)))
                problems.append(
                    f"{source}: {variable}: {n_unknown} respondents of wave {wave} have no "
                    f"value, so they cannot be weighted to {variable} counts. Either leave "
                    f"the {variable} margin out of the counts, or give these respondents a "
                    f"category for unknown {variable} in the data (declared with the "
                    "attribute's categories) and add a line with its population count"
                )
            elif p not in positions:
                n_rows = int(np.count_nonzero(in_wave & (codes == p)))
                problems.append(
                    f"{source}: {variable} {str(labels[p]).lower()!r} has {n_rows} respondents "
                    f"in wave {wave} but no population count; add a line for it"
                )
    sums = {v: sum(c for _, c in items) for v, items in totals.items()}
    checked_sums = {v: s for v, s in sums.items() if v not in refused}
    if len(set(round(s, 6) for s in checked_sums.values())) > 1:
        listed = ", ".join(f"{v} {s:g} ({totals[v][0][0]}...)" for v, s in checked_sums.items())
        problems.append(f"{source}: the margins add up to different populations: {listed}")
    if problems:
        raise PopulationError(source, problems)

    design = data.design
    model = Model(
        names=tuple(names),
        codes=(),
        labels=(),
        numeric=np.ascontiguousarray(np.column_stack(columns)),
        targets=np.asarray(targets, dtype=np.float64),
    )
    try:
        calibrated = calibrate_model(
            design,
            model,
            method=method,
            bounds=checked,
            max_iter=max_iter,
            tol=tol,
            rows=in_wave,
            population=float(next(iter(sums.values()))),
        )
    except ValueError as error:
        raise ValueError(f"weighting wave {wave} to {source}: {error}") from None
    _against_fpc(calibrated, in_wave)
    new = data.with_design(calibrated)
    before_w = design.weights
    after_w = calibrated.weights
    for margin, x in zip(margins, columns, strict=True):
        margin["before"] = float(before_w @ x)
        margin["after"] = float(after_w @ x)
    return Weighting(
        data=new,
        wave=int(wave),
        method=method,
        bounds=(checked.lower, checked.upper),
        before=weight_diagnostics(_wave(design, in_wave)),
        after=weight_diagnostics(_wave(calibrated, in_wave)),
        margins=margins,
        population=source,
    )


def _wave(design: SurveyDesign, rows: NDArray[np.bool_]) -> SurveyDesign:
    return design.subset(rows)
