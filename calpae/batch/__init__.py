"""Batch processing of whole archives: parallel, resumable, fault-isolated."""

from calpae.batch.runner import run_batch
from calpae.batch.tasks import BatchOptions, BatchSummary

__all__ = ["BatchOptions", "BatchSummary", "run_batch"]
