"""Imported once by the fork server: every worker process is forked with the stages and the referential already
loaded, instead of loading them again in each worker.

spaCy's French pipeline is not loaded here (issue 17): it took ~1 CPU s before the first worker could start, and
only documents with figures in their prose need it. A worker loads it when its first such document does
(`calpae.indicators.prose.nlp`, once per worker), so the batch's first document starts as soon as the stages are
imported.

Every module of the per-document stages (the reader's too) is imported here, found by walking their
packages, so that a worker forked from this server (the first one, and each replacement after a recycle)
starts on its document at once instead of importing ~150 modules (~0.3 s) first."""

import importlib
import logging
import pkgutil

from calpae import pipeline, stages  # noqa: F401  (the imports are the point)
from calpae.referential import load_referential

STAGE_PACKAGES = ("calpae.extract", "calpae.classify", "calpae.budget", "calpae.indicators", "calpae.audit")
WORKER_MODULES = ("calpae.batch.worker", "calpae.store.run")
# Imported inside functions by the PDF reader (only pages with ruling lines need them): once here, for every worker.
READER_LIBRARIES = ("pdfplumber", "pdfplumber.page", "pdfplumber.table", "pdfplumber.utils.text")


def import_stage_modules() -> None:
    """Import every module of the stage packages (command-line modules aside); one that fails is left to
    fail where it is used, with the document that needs it."""
    for package in STAGE_PACKAGES:
        pkg = importlib.import_module(package)
        for info in pkgutil.walk_packages(pkg.__path__, package + "."):
            if info.name.rsplit(".", 1)[-1] == "cli":
                continue
            try:
                importlib.import_module(info.name)
            except Exception as exc:  # an optional dependency missing: not the fork server's business
                logging.getLogger(__name__).debug("preload: %s not imported (%s)", info.name, exc)
    for name in WORKER_MODULES + READER_LIBRARIES:
        importlib.import_module(name)


import_stage_modules()
load_referential()
