"""The dataset catalogue: provenance of every lake dataset and the quarantine of its ingest."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, String, Table, Text

from mamori.ledger.tables.base import metadata

datasets = Table(
    "datasets",
    metadata,
    Column("dataset_id", String(300), primary_key=True),
    Column("kind", String(60), nullable=False),
    Column("source", String(200), nullable=False),
    Column("path", Text, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("schema", Text, nullable=False),  # JSON [[column, type], ...]
    Column("rows_in", BigInteger, nullable=False),
    Column("rows_accepted", BigInteger, nullable=False),
    Column("rows_quarantined", BigInteger, nullable=False),
    Column("classifications", Text, nullable=False),  # JSON {column: [pii kinds]}
    Column("marks", Text, nullable=False),  # JSON {column: ["sensitive:APPI-20-2", ...]}
    Column("engine", String(20), nullable=False),
    # The provider's Art. 30(1) declaration; all empty while the dataset is unconfirmed.
    Column("provider_name", Text, nullable=True),
    Column("provider_address", Text, nullable=True),
    Column("representative", Text, nullable=True),
    Column("acquisition_method", Text, nullable=True),
    Column("declared_at", DateTime(timezone=True), nullable=True),
)

quarantine_entries = Table(
    "quarantine_entries",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("dataset_id", String(300), nullable=False, index=True),
    Column("file", Text, nullable=False),
    Column("row", BigInteger, nullable=False),
    Column("field", Text, nullable=False),
    Column("reason", String(40), nullable=False),
)
