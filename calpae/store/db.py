"""One small database interface over DuckDB (embedded default) and PostgreSQL (`postgresql://…`).

calpae's SQL is written once, with `?` placeholders and standard types; this module translates the
placeholders for psycopg and gives both engines the same execute/executemany/transaction calls.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def is_postgres_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


class Database:
    """A connection to the run database; `kind` is 'duckdb' or 'postgres'."""

    def __init__(self, target: str | Path, read_only: bool = False):
        self.target = str(target)
        if is_postgres_url(target):
            try:
                import psycopg
            except ImportError as exc:
                raise SystemExit("a PostgreSQL database needs the extra: pip install 'calpae[postgres]'") from exc
            self.kind = "postgres"
            self._con = psycopg.connect(self.target, autocommit=True)
        else:
            import duckdb

            self.kind = "duckdb"
            self._con = duckdb.connect(self.target, read_only=read_only)

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.kind == "postgres" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; the result has fetchone()/fetchall()."""
        if self.kind == "postgres":
            cur = self._con.cursor()
            cur.execute(self._sql(sql), params or None)
            return cur
        return self._con.execute(sql, list(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if self.kind == "postgres":
            with self._con.cursor() as cur:
                cur.executemany(self._sql(sql), rows)
        else:
            self._con.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator["Database"]:
        """All statements inside commit together or not at all."""
        self.execute("BEGIN")
        try:
            yield self
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(target: str | Path, read_only: bool = False) -> Database:
    return Database(target, read_only=read_only)
