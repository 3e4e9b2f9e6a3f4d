"""Public names of a package imported when first used (PEP 562).

``import vpt_monitor`` and ``import vpt_monitor.stats`` stay quick: a package lists where
each of its names lives, and its module ``__getattr__`` imports the module on first use and
keeps the name in the package's namespace.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["loader"]


def loader(
    package: str, where: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """Return a module ``__getattr__`` that imports the names of ``where`` on first use.

    ``where`` maps a name to the module that defines it; a name that is itself a submodule
    (``"stats": "vpt_monitor.stats"``) is the module. The value found is stored in
    ``namespace`` (the package's ``globals()``), so each import happens once.

    Examples
    --------
    >>> getattr_ = loader("pkg", {"sqrt": "math"}, {})
    >>> getattr_("sqrt")(4.0)
    2.0
    """

    def attribute(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        found = importlib.import_module(module)
        value = found if module == f"{package}.{name}" else getattr(found, name)
        namespace[name] = value
        return value

    return attribute
