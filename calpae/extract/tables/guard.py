"""One table reader's fault never loses a document: a reader that crashes (a layout it was not made for) gives no
tables, the others' tables are kept, and the document is marked partial with the reader named in its errors."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from calpae.models import Document

log = logging.getLogger(__name__)
T = TypeVar("T")


def guarded(
    doc: Document, name: str, read: Callable[[], T], fallback: T, lost: str = "tables it reads may be missing"
) -> T:
    """read()'s result, or fallback when it raises: the document partial, its errors saying which reader failed, why,
    and what is lost (the per-document deadline is no Exception: it still stops the document)."""
    try:
        return read()
    except Exception as exc:
        reason = f"{name} failed ({type(exc).__name__}: {exc}): {lost}"
        log.debug("%s: %s", doc.source, reason, exc_info=True)
        doc.errors.append(reason)
        doc.status = "partial"
        return fallback
