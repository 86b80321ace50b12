"""Bulk movement between Arrow tables and the ledger: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Connection, Select, Table

from mamori.ledger.mapping import aware
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


def write_events(connection: Connection, table: pa.Table, lines: bytes) -> None:
    """Write numbered events whose canonical lines are given (they are the COPY payload)."""
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY consent_events ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            view = memoryview(lines)
            for start in range(0, len(view), 8 << 20):
                copy.write(view[start : start + (8 << 20)])
        return
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.executemany(
        f"INSERT INTO consent_events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        _sqlite_rows(table),
    )


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
