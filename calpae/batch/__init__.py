"""Batch processing of whole archives: parallel, resumable, fault-isolated.

Each public name is imported from its module the first time it is asked for (PEP 562), so that the command line,
which loads calpae.batch.cli at every start, does not load the run machinery (and pandas, through reconcile)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from calpae.batch.runner import run_batch
    from calpae.batch.tasks import BatchOptions, BatchSummary

_HOMES = {
    "BatchOptions": "calpae.batch.tasks",
    "BatchSummary": "calpae.batch.tasks",
    "run_batch": "calpae.batch.runner",
}

__all__ = ["BatchOptions", "BatchSummary", "run_batch"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'calpae.batch' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
