"""An in-memory DatasetCatalog: services are tested without a database."""

from __future__ import annotations

from collections.abc import Iterable

from mamori.services.catalog import DatasetRecord, ProviderDeclaration, QuarantineEntry, with_declaration


class InMemoryDatasetCatalog:
    """Keeps datasets and quarantine entries in dictionaries, in registration order."""

    def __init__(self) -> None:
        self._records: dict[str, DatasetRecord] = {}
        self._quarantine: dict[str, list[QuarantineEntry]] = {}

    def register(self, record: DatasetRecord, quarantine: Iterable[QuarantineEntry] = ()) -> None:
        """Record a new dataset (ids are unique)."""
        if record.dataset_id in self._records:
            raise ValueError(f"dataset already registered: {record.dataset_id}")
        self._records[record.dataset_id] = record
        self._quarantine[record.dataset_id] = list(quarantine)

    def get(self, dataset_id: str) -> DatasetRecord | None:
        """Return a dataset, or None."""
        return self._records.get(dataset_id)

    def datasets(self, kind: str | None = None) -> list[DatasetRecord]:
        """Return the datasets (of one kind), oldest first."""
        return [r for r in self._records.values() if kind is None or r.kind == kind]

    def quarantine(self, dataset_id: str) -> list[QuarantineEntry]:
        """Return the quarantine entries of a dataset's ingest."""
        return list(self._quarantine.get(dataset_id, []))

    def record_declaration(self, dataset_id: str, declaration: ProviderDeclaration) -> DatasetRecord:
        """Record the provider's declaration."""
        record = with_declaration(self._records[dataset_id], declaration)
        self._records[dataset_id] = record
        return record
