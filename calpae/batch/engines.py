"""Engines by name: the local process pool and Dask. Looked up, not imported, by the runner, so neither engine
imports the runner nor each other, and Dask is imported only when asked for."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from calpae.errors import UsageError

# name -> (module, function); each function is engine(tasks: Sequence[Task], run: RunContext) -> None
ENGINES: dict[str, tuple[str, str]] = {
    "local": ("calpae.batch.local", "run_local"),
    "dask": ("calpae.batch.dask_engine", "run_dask"),
}


def register_engine(name: str, module: str, function: str) -> None:
    """Make another engine available to `calpae batch --engine NAME`."""
    ENGINES[name] = (module, function)


def get_engine(name: str) -> Callable[..., Any]:
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r} (known: {', '.join(sorted(ENGINES))})")
    module, function = ENGINES[name]
    return getattr(importlib.import_module(module), function)
