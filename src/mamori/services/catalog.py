"""The dataset catalogue: what the lake holds, where it came from, and whether it may leave.

APPI Art. 30(1): a recipient of personal data confirms the provider's name, address and
representative and how the provider obtained the data, and keeps a record (APPI-30-1). A
dataset ingested without that declaration is kept but marked unconfirmed, and no provision
may use it until the declaration is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from mamori.errors import RefusedError


@dataclass(frozen=True, slots=True)
class ProviderDeclaration:
    """What the provider says about itself and how it obtained the data (APPI-30-1)."""

    provider_name: str
    provider_address: str
    representative: str
    acquisition_method: str

    def missing(self) -> list[str]:
        """Return the names of empty items (each is required by Art. 30(1))."""
        return [name for name in self.__slots__ if not str(getattr(self, name)).strip()]


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    """One failed check of one row: the file, row number (1-based, header excluded), field and reason."""

    file: str
    row: int
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class DatasetRecord:
    """A dataset in the lake, with its provenance."""

    dataset_id: str
    kind: str
    source: str
    path: str
    file_name: str
    file_sha256: str
    ingested_at: datetime
    schema: tuple[tuple[str, str], ...]
    rows_in: int
    rows_accepted: int
    rows_quarantined: int
    classifications: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    marks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    declaration: ProviderDeclaration | None = None
    engine: str = "duckdb"

    @property
    def confirmed(self) -> bool:
        """Tell whether the provider's Art. 30 declaration is recorded."""
        return self.declaration is not None


class DatasetCatalog(Protocol):
    """Where datasets are registered; the ledger implements it, `mamori.testing` fakes it."""

    def register(self, record: DatasetRecord, quarantine: Iterable[QuarantineEntry] = ()) -> None:
        """Record a new dataset and the quarantine entries of its ingest."""
        ...

    def get(self, dataset_id: str) -> DatasetRecord | None:
        """Return a dataset, or None."""
        ...

    def datasets(self, kind: str | None = None) -> list[DatasetRecord]:
        """Return the datasets (of one kind), oldest first."""
        ...

    def quarantine(self, dataset_id: str) -> list[QuarantineEntry]:
        """Return the quarantine entries of a dataset's ingest."""
        ...

    def record_declaration(self, dataset_id: str, declaration: ProviderDeclaration) -> DatasetRecord:
        """Record the provider's declaration; the dataset becomes confirmed."""
        ...


def confirm(catalog: DatasetCatalog, dataset_id: str, declaration: ProviderDeclaration) -> DatasetRecord:
    """Record a complete provider declaration for a dataset (APPI-30-1)."""
    missing = declaration.missing()
    if missing:
        raise RefusedError(
            f"提供元の申告に欠けている項目があります: {', '.join(missing)}",
            f"the provider declaration lacks: {', '.join(missing)}",
            rules=("APPI-30-1",),
        )
    if catalog.get(dataset_id) is None:
        raise RefusedError(f"データセットがありません: {dataset_id}", f"no such dataset: {dataset_id}")
    return catalog.record_declaration(dataset_id, declaration)


def require_providable(catalog: DatasetCatalog, dataset_id: str) -> DatasetRecord:
    """Return a dataset that may be used in a provision, or refuse citing APPI-30-1."""
    record = catalog.get(dataset_id)
    if record is None:
        raise RefusedError(f"データセットがありません: {dataset_id}", f"no such dataset: {dataset_id}")
    if not record.confirmed:
        raise RefusedError(
            f"{dataset_id} は提供元の確認（取得の経緯等）が未記録のため提供に使えません",
            f"{dataset_id} has no recorded provider confirmation (how the data was obtained); it cannot be provided",
            rules=("APPI-30-1",),
        )
    return record


def with_declaration(record: DatasetRecord, declaration: ProviderDeclaration) -> DatasetRecord:
    """Return the record with a declaration (for adapters)."""
    return replace(record, declaration=declaration)


def find(catalog: DatasetCatalog, name: str) -> DatasetRecord | None:
    """Return the dataset a user names: its full id, or `kind/source` (the latest ingest of it).

    Dataset ids are `kind/source/timestamp-sha`; people think of "the ryutsu customer file", so a
    prefix of whole segments picks the most recent ingest under it. None when nothing matches.
    """
    exact = catalog.get(name)
    if exact is not None:
        return exact
    prefix = name.rstrip("/") + "/"
    under = [r for r in catalog.datasets() if r.dataset_id.startswith(prefix)]
    return max(under, key=lambda r: (r.ingested_at, r.dataset_id)) if under else None
