"""Errors about bad input: they name the file (and page) and are reported, never raised as tracebacks."""


class InputError(Exception):
    """A file calpae cannot read; the message says which file and why."""

    def __init__(self, source: str, reason: str, page: int | None = None):
        self.source = source
        self.reason = reason
        self.page = page
        where = f"{source} (page {page})" if page else source
        super().__init__(f"{where}: {reason}")
