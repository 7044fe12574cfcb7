"""Errors about bad input: they name the file (and page) and are reported, never raised as tracebacks."""


class InputError(Exception):
    """A file calpae cannot read; the message says which file and why."""

    def __init__(self, source: str, reason: str, page: int | None = None):
        self.source = source
        self.reason = reason
        self.page = page
        where = f"{source} (page {page})" if page else source
        super().__init__(f"{where}: {reason}")


class UsageError(Exception):
    """Arguments or an environment calpae cannot work with (a database it cannot open, a folder it cannot write).

    The command line prints the message as one line and exits 2."""
