"""Batch processing of whole archives: parallel, resumable, fault-isolated."""

from calpae.batch.runner import BatchOptions, BatchSummary, run_batch

__all__ = ["BatchOptions", "BatchSummary", "run_batch"]
