"""One small database interface over DuckDB (embedded default) and PostgreSQL (`postgresql://…`).

calpae's SQL is written once, with `?` placeholders and standard types; this module translates the
placeholders for psycopg and gives both engines the same execute/executemany/transaction calls.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Context, Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from calpae.errors import UsageError

DUCKDB_MEMORY_LIMIT = "1GB"  # the embedded database's buffer cap (env CALPAE_DUCKDB_MEMORY_LIMIT overrides it)
# DuckDB gets typed VALUES rows rather than Arrow batches until a connection has inserted this many rows that
# way while pyarrow is not loaded: pyarrow's first array imports pandas (~0.4-0.7 s, more than a one-document
# `calpae extract` spends on everything else but spaCy), a VALUES row costs ~0.35 ms, an Arrow row ~0.01 ms.
# Past the budget (about the import's cost) Arrow pays off, so the VALUES detour costs at most that much.
VALUES_ROW_BUDGET = 1000
VALUES_ROWS_PER_STATEMENT = 250
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # 'md:', 's3://', 'http://' (not 'C:\\' nor a path)
DUCKDB_CONFIG = {  # the embedded database never loads nor downloads an extension (no network at run time)
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}
CONNECT_TIMEOUT_S = 10  # a PostgreSQL server that does not answer within this is reported, not waited for


def is_postgres_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def is_url(target: str | Path) -> bool:
    """True for a 'scheme:…' target (PostgreSQL or one calpae refuses), never for a path that exists."""
    return is_postgres_url(target) or bool(_URL_SCHEME.match(str(target)) and not Path(str(target)).exists())


def shown_target(target: str | Path) -> str:
    """The database as it may be printed: a URL's password hidden."""
    text = str(target)
    if not is_postgres_url(text):
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class DatabaseError(UsageError):
    """The database cannot be opened or used; the message is one line naming it and saying why."""


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def is_database_error(exc: BaseException) -> bool:
    """True for an error raised by DuckDB or psycopg (a database problem, not a calpae bug)."""
    return type(exc).__module__.split(".")[0] in ("duckdb", "_duckdb", "psycopg")


def _duckdb_reason(exc: Exception) -> str:
    msg = first_line(exc)
    if "could not set lock" in msg.lower():
        pid = re.search(r"PID (\d+)", str(exc))
        owner = f" (process {pid.group(1)})" if pid else ""
        return f"the database is in use by another process{owner}: wait for it to finish"
    if "not a valid DuckDB database" in msg:
        return "not a DuckDB database (an empty file or a file of another kind)"
    if "version" in msg.lower() and "storage" in msg.lower():
        return f"written by another DuckDB version ({msg})"
    return msg.removeprefix("IO Error: ")


class Database:
    """A connection to the run database; `kind` is 'duckdb' or 'postgres'."""

    def __init__(self, target: str | Path, read_only: bool = False):
        self.target = str(target)
        self._values_rows = 0  # rows inserted as VALUES (see VALUES_ROW_BUDGET)
        if is_postgres_url(target):
            self.kind = "postgres"
            self._con: Any = _connect_postgres(self.target)
        elif is_url(self.target):
            raise DatabaseError(
                f"{shown_target(target)}: not a database calpae can use (a DuckDB file path, or postgresql://…)"
            )
        else:
            self.kind = "duckdb"
            self._con = _connect_duckdb(self.target, read_only)

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

    def insert_rows(
        self, table: str, columns: Sequence[str], types: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Append rows to a table, `columns` in order. DuckDB gets one Arrow batch (executemany there costs ~1 ms
        a row), or typed VALUES rows while pyarrow is not loaded and few rows were inserted (VALUES_ROW_BUDGET)."""
        if not rows:
            return
        target = f'"{table}" (' + ", ".join(f'"{c}"' for c in columns) + ")"
        if self.kind == "postgres":
            placeholders = ", ".join("?" for _ in columns)
            self.executemany(f"INSERT INTO {target} VALUES ({placeholders})", rows)
            return
        if "pyarrow" not in sys.modules and self._values_rows + len(rows) <= VALUES_ROW_BUDGET:
            self._values_rows += len(rows)
            self.insert_values(table, columns, types, rows)
        else:
            self.insert_arrow(table, arrow_table(columns, types, rows), columns=columns)

    def insert_values(
        self, table: str, columns: Sequence[str], types: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Append rows to a DuckDB table with INSERT … VALUES, each value cast to its column's type and decimals at
        the scale of 6: what the Arrow path stores, without importing pyarrow (nor, through it, pandas)."""
        target = f'"{table}" (' + ", ".join(f'"{c}"' for c in columns) + ")"
        row_marks = "(" + ", ".join(f"?::{t}" for t in types) + ")"
        decimal = [t.upper().startswith("DECIMAL") for t in types]
        for start in range(0, len(rows), VALUES_ROWS_PER_STATEMENT):
            chunk = rows[start : start + VALUES_ROWS_PER_STATEMENT]
            params = [
                None if v is None else Decimal(v).quantize(_SCALE, context=_DECIMAL_38) if is_dec else v
                for r in chunk
                for v, is_dec in zip(r, decimal, strict=True)
            ]
            self.execute(f"INSERT INTO {target} VALUES " + ", ".join([row_marks] * len(chunk)), params)

    def insert_arrow(self, table: str, arrow: Any, columns: Sequence[str] | None = None) -> None:
        """Append a pyarrow Table: its columns are the table's in order, or the given `columns`."""
        target = f'"{table}"' + (" (" + ", ".join(f'"{c}"' for c in columns) + ")" if columns else "")
        if self.kind == "postgres":
            placeholders = ", ".join("?" for _ in arrow.column_names)
            self.executemany(
                f"INSERT INTO {target} VALUES ({placeholders})", [tuple(r.values()) for r in arrow.to_pylist()]
            )
            return
        self._con.register("_calpae_rows", arrow)
        try:
            self._con.execute(f"INSERT INTO {target} SELECT * FROM _calpae_rows")
        finally:
            self._con.unregister("_calpae_rows")

    @contextmanager
    def transaction(self) -> Iterator[Database]:
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

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_SCALE = Decimal("0.000001")
_DECIMAL_38 = Context(prec=38)  # DECIMAL(38,6): Python's default 28 digits cannot quantize its larger values


def _arrow_type(sql_type: str):
    import pyarrow as pa

    t = sql_type.upper()
    if t.startswith("DECIMAL"):
        return pa.decimal128(38, 6)
    return {"INTEGER": pa.int64(), "BOOLEAN": pa.bool_(), "DOUBLE": pa.float64(), "DOUBLE PRECISION": pa.float64()}.get(
        t, pa.string()
    )


def arrow_table(columns: Sequence[str], types: Sequence[str], rows: Sequence[Sequence[Any]]):
    """Rows as a pyarrow Table typed from the SQL types (decimals at the column's scale of 6)."""
    import pyarrow as pa

    arrays = []
    for i, sql_type in enumerate(types):
        values = [r[i] for r in rows]
        if sql_type.upper().startswith("DECIMAL"):
            values = [None if v is None else Decimal(v).quantize(_SCALE, context=_DECIMAL_38) for v in values]
        arrays.append(pa.array(values, type=_arrow_type(sql_type)))
    return pa.Table.from_arrays(arrays, names=list(columns))


def _connect_postgres(url: str) -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise DatabaseError("a PostgreSQL database needs the extra: pip install 'calpae[postgres]'") from exc
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as exc:
        raise DatabaseError(f"{shown_target(url)}: cannot connect ({first_line(exc)})") from exc


def _connect_duckdb(path: str, read_only: bool) -> Any:
    import duckdb

    if Path(path).is_dir():
        raise DatabaseError(f"{path}: a folder, not a database file")
    if not read_only and not Path(path).parent.is_dir():
        raise DatabaseError(f"{path}: the folder {Path(path).parent} does not exist")
    # DuckDB would otherwise let its buffers grow to 80 % of RAM as the archive grows; past this it spills
    # to a temporary folder beside the database, so a national archive runs in bounded memory
    limit = os.environ.get("CALPAE_DUCKDB_MEMORY_LIMIT", DUCKDB_MEMORY_LIMIT)
    try:
        return duckdb.connect(path, read_only=read_only, config={**DUCKDB_CONFIG, "memory_limit": limit})
    except duckdb.Error as exc:
        raise DatabaseError(f"{path}: {_duckdb_reason(exc)}") from exc


def connect(target: str | Path, read_only: bool = False) -> Database:
    return Database(target, read_only=read_only)
