"""Datasets and lineage for the console: what the lake holds, what left it, and each one's story.

Every ingested dataset carries its provenance (source, file hash, the provider's Art. 30
declaration, APPI-30-1); every export carries a lineage id that the provision ledger keys its
records and subjects by (APPI-29-1). One lineage id therefore answers: where from, read at
which consent position, written to which export, received by whom, about how many people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from mamori.services.catalog import DatasetRecord
from mamori.services.regulator_export import labelled


class DatasetList(Protocol):
    """The dataset catalogue (services.catalog.DatasetCatalog's read side)."""

    def datasets(self, kind: str | None = None) -> list[DatasetRecord]:
        """Return the datasets, oldest first."""
        ...

    def get(self, dataset_id: str) -> DatasetRecord | None:
        """Return a dataset, or None."""
        ...


class ProvisionDetail(Protocol):
    """The provision ledger read by lineage id."""

    def provision(self, lineage_id: str) -> dict[str, Any] | None:
        """Return every column of one provision, or None."""
        ...

    def provisions(self) -> list[dict[str, Any]]:
        """Return every provision, oldest first."""
        ...

    def receipts(self) -> list[dict[str, Any]]:
        """Return the confirmation records of data received (APPI-30-1), oldest first."""
        ...

    def records_of(self, lineage_id: str) -> list[dict[str, Any]]:
        """Return the statutory records made with a lineage id."""
        ...


class ExportFiles(Protocol):
    """Looks at an export file in the lake (it may have been moved or deleted since)."""

    def describe(self, path: str) -> dict[str, Any]:
        """Return whether the file exists, its size and its manifest."""
        ...


@dataclass(frozen=True, slots=True)
class Lineage:
    """One lineage id's story; `kind` is dataset, provision or receipt."""

    id: str
    kind: str
    facts: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)
    export: dict[str, Any] | None = None
    rules: tuple[str, ...] = ()


def lineage_index(catalog: DatasetList, ledger: ProvisionDetail) -> dict[str, list[Any]]:
    """Return the datasets, provisions (exports) and receipts, newest first."""
    return {
        "datasets": list(reversed(catalog.datasets())),
        "provisions": list(reversed(ledger.provisions())),
        "receipts": list(reversed(ledger.receipts())),
    }


def _dataset_facts(d: DatasetRecord) -> dict[str, Any]:
    declared = d.declaration
    return {
        "kind": d.kind,
        "source": d.source,
        "file_name": d.file_name,
        "file_sha256": d.file_sha256,
        "path": d.path,
        "ingested_at": d.ingested_at,
        "engine": d.engine,
        "rows_in": d.rows_in,
        "rows_accepted": d.rows_accepted,
        "rows_quarantined": d.rows_quarantined,
        "confirmed": d.confirmed,
        "provider_name": declared.provider_name if declared else None,
        "acquisition_method": declared.acquisition_method if declared else None,
        "classifications": {k: list(v) for k, v in d.classifications.items()},
    }


def _dataset_at(catalog: DatasetList, path: str) -> str | None:
    """Return the id of the catalogued dataset stored at a path (the export's source), if any."""
    return next((d.dataset_id for d in catalog.datasets() if d.path == path), None)


def lineage_of(
    lineage_id: str, catalog: DatasetList, ledger: ProvisionDetail, files: ExportFiles
) -> Lineage | None:
    """Return the story of one dataset id or lineage id, or None when nothing has that id."""
    dataset = catalog.get(lineage_id)
    if dataset is not None:
        return Lineage(lineage_id, "dataset", _dataset_facts(dataset), rules=("APPI-30-1",))
    provision = ledger.provision(lineage_id)
    records = [{**r, "items": labelled(r["rule"], r["items"])} for r in ledger.records_of(lineage_id)]
    if provision is not None:
        rules: Mapping[str, int] = provision.get("decision_rules") or {}
        facts = {k: v for k, v in provision.items() if k not in ("export_path",)}
        export = files.describe(str(provision["export_path"])) if provision["export_path"] else None
        manifest = (export or {}).get("manifest") or {}
        facts["source"] = manifest.get("source")  # older exports did not name it
        facts["source_dataset"] = _dataset_at(catalog, facts["source"]) if facts["source"] else None
        return Lineage(lineage_id, "provision", facts, records, export, tuple(sorted(rules)))
    if records:
        return Lineage(lineage_id, "receipt", {}, records, rules=("APPI-30-1",))
    return None
