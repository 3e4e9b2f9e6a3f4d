"""A read-only mapping that can be pickled.

:class:`types.MappingProxyType` gives read-only views, but cannot be pickled: data, records
and results holding one could not be sent to another process (``multiprocessing``,
``joblib``) or kept on disk with :mod:`pickle`. :class:`FrozenMap` is the same view of a
dict, and pickles as the dict it shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

__all__ = ["FrozenMap"]

K = TypeVar("K")
V = TypeVar("V", covariant=True)


class FrozenMap(Mapping[K, V]):
    """A read-only view of a dict (as :class:`types.MappingProxyType`) that pickles.

    Examples
    --------
    >>> import pickle
    >>> m = FrozenMap({"a": 1})
    >>> m["a"], len(m), pickle.loads(pickle.dumps(m)) == m
    (1, 1, True)
    >>> m["b"] = 2
    Traceback (most recent call last):
    ...
    TypeError: 'FrozenMap' object does not support item assignment
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[K, V] | None = None) -> None:
        # a dict is shown, not copied, as MappingProxyType does; any other mapping is copied
        self._items: Mapping[K, V] = items if isinstance(items, dict) else dict(items or {})

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __repr__(self) -> str:
        return f"FrozenMap({dict(self._items)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (dict(self._items),))
