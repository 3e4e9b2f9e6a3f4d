"""Reading the files that research agencies deliver: CSV, Parquet and SPSS ``.sav``.

A *codebook* (a TOML file) maps the columns and codes of the source files to the library's
fields and vocabularies, one table per section::

    [respondents]
    file = "respondenten.sav"          # optional: the file of this table

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
files that use the library's column names (see :class:`~vpt_monitor.MonitorData`). Every bad
row of every file is reported in one error, with the file, the line, the column, the value
and the reason, and nothing is loaded when any row is bad.

Reading needs pandas (CSV), pyarrow (Parquet) or pyreadstat (``.sav``): the ``report`` and
``spss`` extras.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from vpt_monitor.data import MonitorData, MonitorDataError

__all__ = ["TABLES", "Codebook", "read_codebook", "read_monitor", "read_table"]

TABLES = ("respondents", "incidents", "organisations", "violations")


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
        ``{table: file path}`` where the codebook names the files.

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


def read_codebook(path: str | Path) -> Codebook:
    r"""Read a TOML codebook; errors name the file and the offending entry.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from vpt_monitor.io import read_codebook
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "codebook.toml"
    >>> _ = path.write_text('[respondents.columns]\nid = "respnr"\n'
    ...                     '[respondents.codes.layer]\n1 = "rijk"\n')
    >>> book = read_codebook(path)
    >>> book.columns["respondents"]["id"], book.codes["respondents"]["layer"]["1"]
    ('respnr', 'rijk')
    """
    path = Path(path)
    try:
        content = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"codebook {path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"codebook {path}: not valid TOML: {error}") from None
    columns: dict[str, dict[str, str]] = {}
    codes: dict[str, dict[str, dict[str, Any]]] = {}
    files: dict[str, Path] = {}
    for table, section in content.items():
        if table not in TABLES:
            raise ValueError(
                f"codebook {path}: unknown section [{table}]; sections are {', '.join(TABLES)}"
            )
        if not isinstance(section, dict):
            raise ValueError(f"codebook {path}: [{table}] must be a table")
        for key in section:
            if key not in ("file", "columns", "codes"):
                raise ValueError(
                    f"codebook {path}: [{table}] has unknown key {key!r}; keys are file, "
                    "columns, codes"
                )
        if "file" in section:
            files[table] = (path.parent / str(section["file"])).resolve()
        mapping = section.get("columns", {})
        for field, source in mapping.items():
            if not isinstance(source, str):
                raise ValueError(
                    f"codebook {path}: [{table}.columns] {field} must name a source column; "
                    f"got {source!r}"
                )
        columns[table] = dict(mapping)
        codes[table] = {
            field: {str(k): v for k, v in values.items()}
            for field, values in section.get("codes", {}).items()
        }
    return Codebook(columns, codes, files)


def read_table(path: str | Path) -> Any:
    r"""Read one CSV, Parquet or SPSS file into a :class:`pandas.DataFrame`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from vpt_monitor.io import read_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = path.write_text("id,wave\n1,2016\n")
    >>> read_table(path).shape
    (1, 2)
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    suffix = path.suffix.lower()
    import pandas as pd

    if suffix in (".csv", ".txt"):
        return pd.read_csv(path, dtype=object, keep_default_na=False, na_values=[""])
    if suffix in (".parquet", ".pq"):
        return pd.read_parquet(path)
    if suffix == ".sav":
        try:
            import pyreadstat
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError(
                f"reading {path} needs pyreadstat: pip install 'vpt_monitor[spss]'"
            ) from None
        frame, _ = pyreadstat.read_sav(str(path))
        return frame
    raise ValueError(f"{path}: unknown file type {suffix!r}; use .csv, .parquet or .sav")


def _apply(table: str, frame: Any, book: Codebook) -> dict[str, Any]:
    """Rename and recode the columns of one table as the codebook says."""
    mapping = book.columns.get(table, {})
    source_for = {field: mapping.get(field, field) for field in mapping}
    missing = [f"{field} (from {src!r})" for field, src in source_for.items() if src not in frame]
    if missing:
        raise ValueError(f"{table}: the codebook maps columns that the file lacks: {missing}")
    renamed = {target: frame[src] for target, src in source_for.items()}
    mapped_sources = set(source_for.values())
    for column in frame.columns:
        if column not in mapped_sources and column not in renamed:
            renamed[column] = frame[column]
    result: dict[str, Any] = {}
    for field, series in renamed.items():
        recode = book.codes.get(table, {}).get(field)
        values = series.to_numpy()
        if recode:
            values = series.map(lambda v, r=recode: r.get(_code_key(v), v)).to_numpy()
        result[field] = values
    return result


def _code_key(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_monitor(
    respondents: str | Path | None = None,
    incidents: str | Path | None = None,
    organisations: str | Path | None = None,
    violations: str | Path | None = None,
    *,
    codebook: str | Path | Codebook | None = None,
    lonely_psu: str = "fail",
) -> MonitorData:
    r"""Read monitor files into :class:`~vpt_monitor.MonitorData`.

    Parameters
    ----------
    respondents, incidents, organisations, violations : path, optional
        CSV, Parquet or ``.sav`` files; a codebook may name them instead.
    codebook : path or Codebook, optional
        Column and code mappings; without it the files use the library's column names.
    lonely_psu : str, default "fail"
        Lonely-PSU policy of the designs.

    Raises
    ------
    MonitorDataError
        Listing every bad row: file, line, column, value and reason (up to 20 in the
        message, all in ``problems``). Nothing is loaded.
    FileNotFoundError, ValueError
        For a missing file, an unknown file type, or a codebook that maps absent columns.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from vpt_monitor.io import read_monitor
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "r.csv").write_text(
    ...     "id,wave,layer,office,incidents:verbaal\n1,2016,gemeente,raadslid,2\n"
    ...     "2,2016,gemeente,raadslid,0\n")
    >>> read_monitor(folder / "r.csv")
    MonitorData(respondents=2, incidents=0, waves=(2016,))
    """
    book = (
        codebook
        if isinstance(codebook, Codebook)
        else Codebook()
        if codebook is None
        else read_codebook(codebook)
    )
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
    frames = {table: _apply(table, read_table(path), book) for table, path in paths.items()}
    empty_respondents: dict[str, Any] = {"id": [], "wave": [], "layer": [], "office": []}
    try:
        return MonitorData.from_columns(
            frames.get("respondents", empty_respondents),
            frames.get("incidents"),
            frames.get("organisations"),
            frames.get("violations"),
            lonely_psu=lonely_psu,
        )
    except MonitorDataError as error:
        located = [_locate(p, paths) for p in error.problems]
        raise MonitorDataError("read_monitor", located, error.total) from None


def _locate(problem: str, paths: Mapping[str, Path]) -> str:
    """Turn ``respondents row 4: ...`` into ``respondents.csv line 6: ...``."""
    for table, path in paths.items():
        prefix = f"{table} row "
        if problem.startswith(prefix):
            row, rest = problem[len(prefix) :].split(":", 1)
            return f"{path.name} line {int(row) + 2}:{rest}"
    return problem
