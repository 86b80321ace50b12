"""Bulk movement between Arrow tables and the ledger: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC
from typing import Any, Protocol

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Connection, Select, Table

from mamori.ledger.mapping import aware
from mamori.ledger.migrations.append_only import refusal_trigger
from mamori.services.event_table import COLUMNS, EVENT_SCHEMA

_CHUNK = 50_000


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows; PostgreSQL gets COPY, others executemany."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        columns = list(rows[0])
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        return
    for start in range(0, len(rows), _CHUNK):
        connection.execute(table.insert(), list(rows[start : start + _CHUNK]))


def number_events(table: pa.Table, first: int) -> pa.Table:
    """Give validated events their ledger positions, in file order."""
    seq = pa.array(range(first, first + table.num_rows), type=pa.int64())
    body = table.select([c for c in COLUMNS if c != "seq"])
    return pa.Table.from_arrays([seq, *body.columns], schema=EVENT_SCHEMA)


def rechunk(batches: Iterable[pa.Table], rows: int) -> Iterator[pa.Table]:
    """Regroup a stream of tables into tables of exactly `rows` rows (the last may be shorter)."""
    pending: list[pa.Table] = []
    held = 0
    for batch in batches:
        while batch.num_rows:
            take = min(rows - held, batch.num_rows)
            pending.append(batch.slice(0, take))
            held += take
            batch = batch.slice(take)
            if held == rows:
                yield pa.concat_tables(pending).combine_chunks()
                pending, held = [], 0
    if held:
        yield pa.concat_tables(pending).combine_chunks()


class EventWriter(Protocol):
    """Where numbered events go during one bulk import."""

    def write(self, numbered: pa.Table) -> None:
        """Write one chunk of numbered events."""
        ...


@contextmanager
def event_writer(connection: Connection, chunk: int) -> Iterator[EventWriter]:
    """Open the bulk path of this database for one import of chunks of `chunk` events."""
    if connection.dialect.name == "postgresql":
        writer = _PostgresEvents(connection, chunk)
        with writer.copying() as started:
            yield started
    else:
        yield _SqliteEvents(connection)


class _SqliteEvents:
    def __init__(self, connection: Connection) -> None:
        self._cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def write(self, numbered: pa.Table) -> None:
        self._cursor.executemany(
            f"INSERT INTO consent_events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
            _sqlite_rows(numbered),
        )


class _PostgresEvents:
    """One binary COPY per import, encoded from Arrow by pgpq and sent by psycopg's writer thread.

    An import of at least one full chunk fills a table of its own ("lot", named after its first
    position) and indexes it once it is full, then attaches it as a partition of consent_events
    (migration foundation02 says why). The table is made with the CHECK its partition bound
    implies, so attaching needs no scan, and attaching locks out no reader, where creating a
    partition in place would lock the whole event table for the length of the import. A smaller
    import goes to the live partition like any other write.
    """

    def __init__(self, connection: Connection, chunk: int) -> None:
        # Imported here: both come with the `postgres` extra, which an SQLite install lacks.
        from pgpq import ArrowToPostgresBinaryEncoder

        self._chunk = chunk
        self._cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        self._encoder = ArrowToPostgresBinaryEncoder(EVENT_SCHEMA)
        self._copy: Any = None
        self._lot: int | None = None

    @contextmanager
    def copying(self) -> Iterator[_PostgresEvents]:
        with ExitStack() as stack:
            self._stack = stack
            yield self
            if self._copy is None:
                return
            self._copy.write(self._encoder.finish())
        if self._lot is not None:
            self._attach(self._lot)

    def write(self, numbered: pa.Table) -> None:
        if self._copy is None:
            self._open(numbered)
        for batch in numbered.to_batches():  # number_events gave it EVENT_SCHEMA
            self._copy.write(self._encoder.write_batch(batch))

    def _open(self, numbered: pa.Table) -> None:
        target = "consent_events"
        if numbered.num_rows >= self._chunk:
            self._lot = int(numbered.column("seq")[0].as_py())
            target = _lot_table(self._lot)
            self._execute(
                f"CREATE TABLE {target} (LIKE consent_events INCLUDING DEFAULTS, "
                f"CONSTRAINT {target}_bound CHECK (lot IS NOT NULL AND lot = {self._lot}))",
                f"ALTER TABLE {target} ALTER COLUMN lot SET DEFAULT {self._lot}",
            )
        from psycopg.copy import QueuedLibpqWriter

        copy = self._cursor.copy(
            f"COPY {target} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT binary)",
            writer=QueuedLibpqWriter(self._cursor),
        )
        self._copy = self._stack.enter_context(copy)
        self._copy.write(self._encoder.write_header())

    def _attach(self, lot: int) -> None:
        table = _lot_table(lot)
        self._execute(
            f"CREATE INDEX {table}_subject ON {table} (subject_id)",
            f"CREATE INDEX {table}_seq ON {table} USING brin (seq)",
            refusal_trigger(table),
            f"ALTER TABLE consent_events ATTACH PARTITION {table} FOR VALUES IN ({lot})",
        )

    def _execute(self, *statements: str) -> None:
        for statement in statements:
            self._cursor.execute(statement)


def _lot_table(lot: int) -> str:
    return f"consent_events_lot_{lot}"


def _sqlite_rows(table: pa.Table) -> list[tuple[Any, ...]]:
    # SQLAlchemy stores SQLite datetimes as naive text in this form; the ledger's are UTC.
    con = duckdb.connect()
    try:
        con.register("t", table)
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(
            "SELECT seq, subject_id, purpose_id, action, strftime(\"at\", '%Y-%m-%d %H:%M:%S.%f'), "
            "terms_version, actor, channel, text_hash FROM t ORDER BY seq"
        ).fetchall()
    finally:
        con.close()


def read_table(connection: Connection, query: Select[Any], schema: pa.Schema) -> pa.Table:
    """Run a query and return its rows as an Arrow table of a given schema."""
    result = connection.execute(query)
    columns: list[list[Any]] = [[] for _ in schema]
    for row in result:
        for i, value in enumerate(row):
            columns[i].append(value)
    return pa.Table.from_arrays(
        [pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)], schema=schema
    )


def read_events(connection: Connection, query: Select[Any]) -> pa.Table:
    """Read consent events (all columns, in COLUMNS order) into EVENT_SCHEMA."""
    if connection.dialect.name == "postgresql":
        return _copy_out(connection, query)
    result = connection.execute(query)
    columns: list[list[Any]] = [[] for _ in COLUMNS]
    at_index = COLUMNS.index("at")
    for row in result:
        for i, value in enumerate(row):
            columns[i].append(aware(value).astimezone(UTC) if i == at_index else value)
    arrays = [pa.array(col, type=f.type) for col, f in zip(columns, EVENT_SCHEMA, strict=True)]
    return pa.Table.from_arrays(arrays, schema=EVENT_SCHEMA)


def _copy_out(connection: Connection, query: Select[Any]) -> pa.Table:
    sql = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
    buffer = io.BytesIO()
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
        for block in copy:
            buffer.write(block)
    buffer.seek(0)
    if buffer.getbuffer().nbytes == 0:
        return EVENT_SCHEMA.empty_table()
    options = pacsv.ReadOptions(column_names=list(COLUMNS))
    convert = pacsv.ConvertOptions(
        column_types={f.name: f.type for f in EVENT_SCHEMA},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    return pacsv.read_csv(buffer, read_options=options, convert_options=convert).select(list(COLUMNS))
