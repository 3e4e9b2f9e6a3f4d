"""Write small Sphinx inventories (objects.inv) for the other projects these pages link to.

The documentation is built on machines without network access, so intersphinx cannot
download the projects' inventories. This module writes inventories that list the objects
our pages name, with the addresses of the projects' own documentation pages.
"""

from __future__ import annotations

import zlib
from pathlib import Path

PROJECTS: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    # name: (base url, project, [(object, role, page relative to base)])
    "python": (
        "https://docs.python.org/3/",
        "Python",
        [
            ("enum.StrEnum", "py:class", "library/enum.html#enum.StrEnum"),
            ("enum", "py:module", "library/enum.html#module-enum"),
            ("float", "py:class", "library/functions.html#float"),
            ("int", "py:class", "library/functions.html#int"),
            ("str", "py:class", "library/stdtypes.html#str"),
            ("tomllib", "py:module", "library/tomllib.html#module-tomllib"),
            ("pathlib.Path", "py:class", "library/pathlib.html#pathlib.Path"),
        ],
    ),
    "numpy": (
        "https://numpy.org/doc/stable/",
        "NumPy",
        [
            ("numpy.ndarray", "py:class", "reference/generated/numpy.ndarray.html#numpy.ndarray"),
            ("numpy.bincount", "py:function",
             "reference/generated/numpy.bincount.html#numpy.bincount"),
        ],
    ),
    "scipy": (
        "https://docs.scipy.org/doc/scipy/",
        "SciPy",
        [
            ("scipy.stats.binomtest", "py:function",
             "reference/generated/scipy.stats.binomtest.html#scipy.stats.binomtest"),
        ],
    ),
    "pandas": (
        "https://pandas.pydata.org/docs/",
        "pandas",
        [
            ("pandas.DataFrame", "py:class",
             "reference/api/pandas.DataFrame.html#pandas.DataFrame"),
        ],
    ),
    "attrs": (
        "https://www.attrs.org/en/stable/",
        "attrs",
        [
            ("attrs", "py:module", "api.html#module-attrs"),
            ("attrs.frozen", "py:function", "api.html#attrs.frozen"),
        ],
    ),
}


def write_inventories(folder: Path) -> dict[str, tuple[str, Path]]:
    """Write one ``<name>.inv`` per project into ``folder``; return intersphinx's mapping."""
    folder.mkdir(parents=True, exist_ok=True)
    mapping = {}
    for name, (url, project, objects) in PROJECTS.items():
        body = "".join(f"{obj} {role} 1 {page} -\n" for obj, role, page in objects)
        header = (
            "# Sphinx inventory version 2\n"
            f"# Project: {project}\n"
            "# Version: \n"
            "# The remainder of this file is compressed using zlib.\n"
        )
        path = folder / f"{name}.inv"
        path.write_bytes(header.encode() + zlib.compress(body.encode()))
        mapping[name] = (url, path)
    return mapping
