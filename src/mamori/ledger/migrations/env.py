"""Alembic environment: runs on the connection mamori hands over (never builds its own engine)."""

from __future__ import annotations

from alembic import context

from mamori.ledger.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - mamori always passes one
    raise RuntimeError("run migrations through mamori.ledger.engine.upgrade()")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
