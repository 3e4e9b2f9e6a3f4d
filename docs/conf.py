"""Sphinx configuration for the vpt_monitor documentation."""

from __future__ import annotations

import sys
from pathlib import Path

import vpt_monitor

project = "vpt_monitor"
author = "vpt_monitor developers"
copyright = "2026, vpt_monitor developers"
release = vpt_monitor.__version__
version = release

templates_path = ["_templates"]

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # MathJax from the package, copied into _static: formulas render without internet access
    "sphinx-mathjax-offline",
    "sphinx.ext.viewcode",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "myst_nb",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "_inventories"]
myst_enable_extensions = ["dollarmath", "colon_fence"]

# Tutorials, the validation and the performance pages are notebooks (MyST text) that run at
# every build; an error in a cell fails the build.
nb_execution_mode = "force"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

autosummary_generate = True
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = False

# Links to other projects' documentation. The build machines have no network, so the
# inventories are written here from the few objects these pages name (see
# _inventories/README.md); the links point at the projects' real pages.
sys.path.insert(0, str(Path(__file__).parent / "_inventories"))
from make_inventories import write_inventories  # noqa: E402

_INVENTORIES = write_inventories(Path(__file__).parent / "_build" / "inventories")
intersphinx_mapping = {
    name: (url, str(path)) for name, (url, path) in _INVENTORIES.items()
}

# Names from other projects that appear in type descriptions and are not linked.
nitpick_ignore_regex = [
    ("py:.*", r"(numpy|np|scipy|pandas|attrs|collections|typing)(\..*)?"),
    ("py:.*", r"(array_like|ArrayLike|NDArray|optional|callable|default.*)"),
    ("py:class", r"(float|int|str|bool|tuple|dict|list|object|None)"),
]

html_theme = "pydata_sphinx_theme"
html_title = "vpt_monitor"
html_static_path = ["_static"]
# long code lines, wide tables and notebook outputs scroll instead of being cut off
html_css_files = ["scroll.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
autodoc_preserve_defaults = True
