"""One hot read statement, compiled once and run straight on a pooled DBAPI connection.

Every consent change looks up its session, checks the catalogue's stamp and (for a grant)
reads the subject. Through `Connection.execute` each of these cost ~250 µs of Python around
a ~20 µs SQLite query (connection wrapper, events, BEGIN, cache-key lookup, result object,
ROLLBACK); the same statement run on the pool's DBAPI connection costs ~50 µs (measured on
the bench machine). SQLAlchemy still compiles the statement for the dialect and converts the
values (its own type processors), so the SQL stays the table definitions' and works on
SQLite and PostgreSQL alike; only the per-call machinery is skipped.

Used for single-statement reads only: on SQLite the pooled connection is in autocommit mode
(see `engine._serialize_sqlite_writers`), so the statement is its own consistent snapshot;
the pool rolls back a PostgreSQL connection when it is returned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, Select


class FastRead:
    """A compiled read returning its first row as a dict (keys: the selected columns' keys)."""

    def __init__(self, engine: Engine, statement: Select[Any]) -> None:
        compiled = statement.compile(dialect=engine.dialect)
        self._engine = engine
        self._sql = str(compiled)
        self._order = compiled.positiontup if compiled.positional else None
        self._names = [str(column.key) for column in statement.selected_columns]
        dialect = engine.dialect
        self._convert: list[Callable[[Any], Any] | None] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        ]

    def first(self, **params: str | int) -> dict[str, Any] | None:
        """Run the statement with its bound values (strings and integers); return the first row."""
        args: Any = tuple(params[name] for name in self._order) if self._order is not None else params
        connection = self._engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self._sql, args)
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()
        if row is None:
            return None
        return {
            name: convert(value) if convert is not None and value is not None else value
            for name, convert, value in zip(self._names, self._convert, row, strict=True)
        }
