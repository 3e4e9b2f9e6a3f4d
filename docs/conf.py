"""Sphinx configuration for the vpt_monitor documentation."""

from __future__ import annotations

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
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
myst_enable_extensions = ["dollarmath", "colon_fence"]

autosummary_generate = True
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = False

# Names from other projects that appear in signatures and docstrings. The build machines
# have no network, so they are not resolved against the projects' online inventories.
nitpick_ignore_regex = [
    ("py:.*", r"(numpy|np|scipy|pandas|attrs|collections|typing)(\..*)?"),
    ("py:.*", r"(array_like|ArrayLike|NDArray|optional|callable|default.*)"),
    ("py:class", r"(float|int|str|bool|tuple|dict|list|object|None)"),
]

html_theme = "pydata_sphinx_theme"
html_title = "vpt_monitor"
html_static_path = ["_static"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
autodoc_preserve_defaults = True
