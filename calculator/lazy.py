"""Package attributes loaded on first use (PEP 562): every command is its own process, and each imports only what it uses."""
from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(package: str, namespace: dict, where: dict[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` that imports `where[name]` (a submodule of `package`) the first time `name` is read."""

    def __getattr__(name: str):
        if name in where:
            value = getattr(importlib.import_module(f".{where[name]}", package), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
