"""What one read covers and who hears about its progress: the pages to read (`extract --pages`) and a
per-page callback (OCR is ~10 s a page). A context variable, so it reaches the readers without adding a
parameter to every reading function."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

PageHook = Callable[[int, int, str], None]  # (page number, pages in the file, what was done: 'lu', 'OCR')


@dataclass(frozen=True)
class ReadScope:
    pages: frozenset[int] | None = None  # 1-based page numbers to read; None reads every page
    on_page: PageHook | None = None

    def wanted(self, page: int) -> bool:
        return self.pages is None or page in self.pages

    def page_done(self, page: int, total: int, what: str) -> None:
        if self.on_page is not None:
            self.on_page(page, total, what)


_SCOPE: ContextVar[ReadScope | None] = ContextVar("calpae_read_scope", default=None)
_EVERYTHING = ReadScope()


def current() -> ReadScope:
    return _SCOPE.get() or _EVERYTHING


@contextmanager
def read_scope(pages: frozenset[int] | None = None, on_page: PageHook | None = None) -> Iterator[ReadScope]:
    scope = ReadScope(pages, on_page)
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


def parse_pages(text: str) -> frozenset[int]:
    """'1-3,7' → {1, 2, 3, 7}; ValueError on anything else (pages are 1-based)."""
    pages: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        first, sep, last = part.partition("-")
        if not first.isdigit() or (sep and not last.isdigit()):
            raise ValueError(f"--pages: '{part}' is not a page or a range such as 2-5")
        lo, hi = int(first), int(last) if sep else int(first)
        if lo < 1 or hi < lo:
            raise ValueError(f"--pages: '{part}' is not a range of pages counted from 1")
        pages.update(range(lo, hi + 1))
    if not pages:
        raise ValueError("--pages: no page given")
    return frozenset(pages)
