"""The dataset catalogue in the ledger; every registration and declaration is audit-chained."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update

from mamori.ledger.sql_ledger import SqlLedger
from mamori.ledger.tables.datasets import datasets, quarantine_entries
from mamori.services.catalog import DatasetRecord, ProviderDeclaration, QuarantineEntry

_CHUNK = 10_000


class SqlDatasetCatalog:
    """Implements `DatasetCatalog` over the ledger's tables."""

    def __init__(self, ledger: SqlLedger, actor: str = "intake") -> None:
        self.ledger, self.actor = ledger, actor

    def register(self, record: DatasetRecord, quarantine: Iterable[QuarantineEntry] = ()) -> None:
        """Record a dataset and its quarantine entries in one audited transaction."""
        with self.ledger.transaction(self.actor) as tx:
            tx.connection.execute(insert(datasets).values(**_row(record)))
            batch: list[dict[str, Any]] = []
            for entry in quarantine:
                batch.append(
                    {
                        "dataset_id": record.dataset_id,
                        "file": entry.file,
                        "row": entry.row,
                        "field": entry.field,
                        "reason": entry.reason,
                    }
                )
                if len(batch) >= _CHUNK:
                    tx.connection.execute(insert(quarantine_entries), batch)
                    batch = []
            if batch:
                tx.connection.execute(insert(quarantine_entries), batch)
            tx.audit(
                "dataset-registered",
                self.actor,
                {"dataset_id": record.dataset_id, "file_sha256": record.file_sha256, "rows_in": record.rows_in,
                 "rows_accepted": record.rows_accepted, "rows_quarantined": record.rows_quarantined,
                 "confirmed": record.confirmed},
            )  # fmt: skip

    def get(self, dataset_id: str) -> DatasetRecord | None:
        """Return a dataset, or None."""
        with self.ledger.engine.connect() as connection:
            row = (
                connection.execute(select(datasets).where(datasets.c.dataset_id == dataset_id))
                .mappings()
                .first()
            )
        return _record(dict(row)) if row else None

    def datasets(self, kind: str | None = None) -> list[DatasetRecord]:
        """Return the datasets (of one kind), oldest first."""
        query = select(datasets).order_by(datasets.c.ingested_at, datasets.c.dataset_id)
        if kind is not None:
            query = query.where(datasets.c.kind == kind)
        with self.ledger.engine.connect() as connection:
            return [_record(dict(r)) for r in connection.execute(query).mappings()]

    def quarantine(self, dataset_id: str) -> list[QuarantineEntry]:
        """Return the quarantine entries of a dataset's ingest, by row."""
        q = quarantine_entries.c
        query = (
            select(q.file, q.row, q.field, q.reason)
            .where(q.dataset_id == dataset_id)
            .order_by(q.row, q.field, q.reason)
        )
        with self.ledger.engine.connect() as connection:
            return [QuarantineEntry(r.file, int(r.row), r.field, r.reason) for r in connection.execute(query)]

    def record_declaration(self, dataset_id: str, declaration: ProviderDeclaration) -> DatasetRecord:
        """Record the provider's Art. 30(1) declaration (APPI-30-1), audited."""
        values = {
            "provider_name": declaration.provider_name, "provider_address": declaration.provider_address,
            "representative": declaration.representative, "acquisition_method": declaration.acquisition_method,
            "declared_at": self.ledger.clock.now(),
        }  # fmt: skip
        with self.ledger.transaction(self.actor) as tx:
            tx.connection.execute(
                update(datasets).where(datasets.c.dataset_id == dataset_id).values(**values)
            )
            tx.audit(
                "dataset-declaration-recorded",
                self.actor,
                {"dataset_id": dataset_id, **{k: str(v) for k, v in values.items()}},
            )
        found = self.get(dataset_id)
        assert found is not None
        return found


def _row(record: DatasetRecord) -> dict[str, Any]:
    declared = record.declaration
    return {
        "dataset_id": record.dataset_id, "kind": record.kind, "source": record.source, "path": record.path,
        "file_name": record.file_name, "file_sha256": record.file_sha256, "ingested_at": record.ingested_at,
        "schema": json.dumps([list(c) for c in record.schema], ensure_ascii=False),
        "rows_in": record.rows_in, "rows_accepted": record.rows_accepted, "rows_quarantined": record.rows_quarantined,
        "classifications": json.dumps({k: list(v) for k, v in record.classifications.items()}, ensure_ascii=False),
        "marks": json.dumps({k: list(v) for k, v in record.marks.items()}, ensure_ascii=False),
        "engine": record.engine,
        "provider_name": declared.provider_name if declared else None,
        "provider_address": declared.provider_address if declared else None,
        "representative": declared.representative if declared else None,
        "acquisition_method": declared.acquisition_method if declared else None,
        "declared_at": record.ingested_at if declared else None,
    }  # fmt: skip


def _record(row: dict[str, Any]) -> DatasetRecord:
    declaration = None
    if row["provider_name"] is not None:
        declaration = ProviderDeclaration(
            row["provider_name"], row["provider_address"], row["representative"], row["acquisition_method"]
        )
    at: datetime = row["ingested_at"]
    return DatasetRecord(
        dataset_id=row["dataset_id"], kind=row["kind"], source=row["source"], path=row["path"],
        file_name=row["file_name"], file_sha256=row["file_sha256"],
        ingested_at=at if at.tzinfo else at.replace(tzinfo=UTC),  # SQLite drops the offset
        schema=tuple((str(c[0]), str(c[1])) for c in json.loads(row["schema"])),
        rows_in=int(row["rows_in"]), rows_accepted=int(row["rows_accepted"]), rows_quarantined=int(row["rows_quarantined"]),
        classifications={k: tuple(v) for k, v in json.loads(row["classifications"]).items()},
        marks={k: tuple(v) for k, v in json.loads(row["marks"]).items()},
        declaration=declaration, engine=row["engine"],
    )  # fmt: skip
