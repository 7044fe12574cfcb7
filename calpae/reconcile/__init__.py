"""Reconciliation across documents and years, and the national comparison dataset."""

from calpae.reconcile.export import StaleDatabase, export_dataset
from calpae.reconcile.run import ReconcileSummary, reconcile
from calpae.reconcile.state import stale_reason

__all__ = ["ReconcileSummary", "StaleDatabase", "export_dataset", "reconcile", "stale_reason"]
