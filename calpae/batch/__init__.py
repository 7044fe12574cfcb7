"""Batch processing of whole archives: parallel, resumable, fault-isolated."""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["BatchOptions", "BatchSummary", "run_batch"]

if TYPE_CHECKING:
    from calpae.batch.runner import BatchOptions, BatchSummary, run_batch


def __getattr__(name: str):
    """The runner's names, imported on first use: `calpae batch` starts its fork server before paying for
    the runner's imports (the store, the pipeline, the models)."""
    if name in __all__:
        from calpae.batch import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'calpae.batch' has no attribute {name!r}")
