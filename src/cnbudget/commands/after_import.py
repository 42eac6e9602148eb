"""Run a function on a module right after its first import, without importing it now.

typer imports ``typer.rich_utils`` (rich's markdown, syntax highlighting and tracebacks: 70 ms or
more of a start) only when it prints help or an error; the words we set there (Options, Error …
in the chosen language) are set at that moment, so a plain ``cnbudget check`` never loads it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

_pending: dict[str, Callable[[ModuleType], None]] = {}


def when_imported(name: str, then: Callable[[ModuleType], None]) -> None:
    """Call ``then(module)`` now if ``name`` is imported, else right after its import (the last ``then`` given wins)."""
    module = sys.modules.get(name)
    if module is not None:
        then(module)
        return
    if name not in _pending:
        sys.meta_path.insert(0, _Finder(name))
    _pending[name] = then


class _Finder(importlib.abc.MetaPathFinder):
    """Finds one module with the other finders and wraps its loader; removes itself on first use."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        then = _pending.pop(fullname)
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenLoader(spec.loader, then)
        return spec


class _ThenLoader(importlib.abc.Loader):
    """The module's own loader, then the function."""

    def __init__(self, inner: importlib.abc.Loader, then: Callable[[ModuleType], None]) -> None:
        self.inner, self.then = inner, then

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.inner.exec_module(module)
        self.then(module)
