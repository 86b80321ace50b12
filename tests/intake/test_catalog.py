"""The dataset catalogue: provenance, quarantine, and the Art. 30 confirmation that gates provision."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from mamori.bootstrap import Platform
from mamori.errors import RefusedError
from mamori.services.catalog import (
    DatasetCatalog,
    ProviderDeclaration,
    QuarantineEntry,
    confirm,
    require_providable,
)
from mamori.testing.catalog import InMemoryDatasetCatalog
from tests.intake.helpers import NOW, ingest_bytes

_numbers = itertools.count()
DECLARATION = ProviderDeclaration(
    "株式会社りゅうつう",
    "東京都千代田区千代田1-1",
    "代表取締役 山田太郎",
    "自社会員の入会申込書（利用目的を明示して取得）",
)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def catalog(
    request: pytest.FixtureRequest, make_platform: Callable[..., Platform], tmp_path: Path
) -> DatasetCatalog:
    """The in-memory fake and the ledger adapter must behave alike."""
    if request.param == "memory":
        return InMemoryDatasetCatalog()
    if request.param == "sqlite":
        return make_platform(f"sqlite:///{tmp_path / 'ledger.sqlite3'}").catalog
    server = request.getfixturevalue("pg_server")
    return make_platform(server.create_database(f"catalog{next(_numbers)}")).catalog


def _record(tmp_path: Path):  # type: ignore[no-untyped-def]
    data = "顧客ID,電話番号\nC1,03-1234-5678\nC2,12345\n".encode()
    outcome, _ = ingest_bytes(tmp_path, data)
    return outcome.record, outcome.published.quarantine


def test_APPI_30_1_unconfirmed_dataset_cannot_be_provided(catalog: DatasetCatalog, tmp_path: Path) -> None:
    record, quarantine = _record(tmp_path)
    catalog.register(record, quarantine)
    stored = catalog.get(record.dataset_id)
    assert stored is not None and not stored.confirmed
    with pytest.raises(RefusedError) as caught:
        require_providable(catalog, record.dataset_id)
    assert caught.value.rules == ("APPI-30-1",)


def test_APPI_30_1_declaration_confirms_the_dataset(catalog: DatasetCatalog, tmp_path: Path) -> None:
    record, quarantine = _record(tmp_path)
    catalog.register(record, quarantine)
    confirm(catalog, record.dataset_id, DECLARATION)
    assert require_providable(catalog, record.dataset_id).declaration == DECLARATION


def test_APPI_30_1_incomplete_declaration_is_refused(catalog: DatasetCatalog, tmp_path: Path) -> None:
    record, quarantine = _record(tmp_path)
    catalog.register(record, quarantine)
    with pytest.raises(RefusedError, match="acquisition_method"):
        confirm(catalog, record.dataset_id, replace(DECLARATION, acquisition_method=" "))


def test_provenance_and_quarantine_round_trip(catalog: DatasetCatalog, tmp_path: Path) -> None:
    record, quarantine = _record(tmp_path)
    catalog.register(record, quarantine)
    stored = catalog.get(record.dataset_id)
    assert stored == record
    assert catalog.quarantine(record.dataset_id) == [
        QuarantineEntry("in.csv", 2, "電話番号", "invalid_phone")
    ]
    assert [r.dataset_id for r in catalog.datasets("customers")] == [record.dataset_id]
    assert catalog.datasets("transactions") == []
    assert stored.ingested_at == NOW
