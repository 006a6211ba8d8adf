"""Provides LazyClasses, a mapping of names to classes whose modules load on first use, and
lazy_class, one such class."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class LazyClasses(Mapping[str, type[T]], Generic[T]):
    """name → class, each given as "package.module:Class" and imported when first looked up
    (or given as the class itself, already imported).

    The main screen's panes live here: a pane's module, and what it draws with (plotext for the
    Train and Distributions panes), load when the pane is first opened, not before the first
    screen. Iteration gives the names without importing anything.
    """

    def __init__(self, paths: Mapping[str, str | type[T]]) -> None:
        self._paths = {name: p for name, p in paths.items() if isinstance(p, str)}
        self._loaded: dict[str, type[T]] = {
            name: p for name, p in paths.items() if not isinstance(p, str)
        }
        self._order = list(paths)

    def __getitem__(self, name: str) -> type[T]:
        if name not in self._loaded:
            module, _, attribute = self._paths[name].partition(":")
            self._loaded[name] = getattr(importlib.import_module(module), attribute)
        return self._loaded[name]

    def loaded(self, name: str) -> bool:
        """Whether `name`'s class has been imported."""
        return name in self._loaded

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def lazy_class(path: str) -> Callable[[], type[Any]]:
    """A function that imports "package.module:Class" and returns the class when called (a
    Textual command provider that loads when the palette first opens)."""

    def load() -> type[Any]:
        module, _, attribute = path.partition(":")
        loaded: type[Any] = getattr(importlib.import_module(module), attribute)
        return loaded

    return load
