"""Reconciliation across documents and years, and the national comparison dataset."""

from calpae.reconcile.dataset import export_dataset
from calpae.reconcile.run import ReconcileSummary, reconcile

__all__ = ["ReconcileSummary", "export_dataset", "reconcile"]
