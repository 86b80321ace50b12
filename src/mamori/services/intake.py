"""Ingest one file: scan it, refuse what the law forbids, publish, register in the catalogue.

The lake does the work behind the `IntakeSource` port (read, normalize, validate, write);
this use case owns the decisions: refusal (MYNUM-20, PPC-RULE-7-2), the accounting identity
rows_in = rows_accepted + rows_quarantined, and the Art. 30 confirmation state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from mamori.domain.intake import ColumnFinding, column_marks, refusals
from mamori.errors import MamoriError, RefusedError
from mamori.services.catalog import DatasetCatalog, DatasetRecord, ProviderDeclaration, QuarantineEntry


@dataclass(frozen=True)
class Published:
    """What an intake source wrote: the dataset and the accounting of its rows."""

    path: str
    schema: tuple[tuple[str, str], ...]
    rows_in: int
    rows_accepted: int
    rows_quarantined: int
    quarantine: list[QuarantineEntry]
    reasons: dict[str, int]
    warnings: list[str] = field(default_factory=list)


class IntakeSource(Protocol):
    """One opened input file, ready to be scanned and published by an engine."""

    @property
    def kind(self) -> str:
        """Return the dataset kind (members, customers, ...)."""
        ...

    @property
    def file_name(self) -> str:
        """Return the input file's name."""
        ...

    @property
    def file_sha256(self) -> str:
        """Return the SHA-256 of the input file."""
        ...

    @property
    def declared(self) -> Mapping[str, str]:
        """Return column -> declared field type, for my_number and card_number fields."""
        ...

    @property
    def engine(self) -> str:
        """Return the engine's name."""
        ...

    def scan(self) -> list[ColumnFinding]:
        """Classify the columns (a sample of rows is enough to refuse a file)."""
        ...

    def publish(self, dataset_id: str) -> Published:
        """Normalize, validate, and publish the dataset and its quarantine atomically."""
        ...

    def discard(self) -> None:
        """Release temporary files without publishing anything."""
        ...


@dataclass(frozen=True)
class IngestOutcome:
    """The registered dataset, what was published, the scan, and warnings for the operator."""

    record: DatasetRecord
    published: Published
    findings: list[ColumnFinding]
    warnings: list[str]


class AccountingError(MamoriError):
    """Rows went missing between reading and publishing (a bug, never expected)."""


def ingest(
    source: IntakeSource,
    catalog: DatasetCatalog,
    *,
    source_name: str,
    now: datetime,
    declaration: ProviderDeclaration | None = None,
) -> IngestOutcome:
    """Ingest a file into the lake and register it; refuse files with undeclared My Numbers or cards."""
    findings = source.scan()
    refused = refusals(findings, source.declared)
    if refused:
        source.discard()
        columns = ", ".join(f"{r.column} ({r.kind.value})" for r in refused)
        rules = tuple(dict.fromkeys(rule for r in refused for rule in r.rules))
        raise RefusedError(
            f"{source.file_name}: 宣言されていない列に個人番号又はカード番号があります: {columns}。"
            "個人番号は法定の事務以外で収集・保管できません",
            f"{source.file_name}: undeclared columns carry Individual Numbers or card numbers: {columns}; "
            "Individual Numbers may be collected only for the work the My Number Act lists",
            rules=rules,
        )
    dataset_id = f"{source.kind}/{source_name}/{now:%Y%m%dT%H%M%S}-{source.file_sha256[:8]}"
    published = source.publish(dataset_id)
    if published.rows_in != published.rows_accepted + published.rows_quarantined:
        raise AccountingError(
            f"行数が合いません: 入力 {published.rows_in} ≠ 受理 {published.rows_accepted} + 隔離 {published.rows_quarantined}",
            f"rows do not add up: in {published.rows_in} != accepted {published.rows_accepted} "
            f"+ quarantined {published.rows_quarantined}",
        )
    warnings = list(published.warnings)
    if declaration is None:
        warnings.append(
            "提供元の申告（名称・住所・代表者・取得の経緯）がないため、未確認として登録しました。"
            "申告を記録するまで提供には使えません [APPI-30-1] / no provider declaration: registered as "
            "unconfirmed; it cannot be provided until the declaration is recorded [APPI-30-1]"
        )
    record = DatasetRecord(
        dataset_id=dataset_id,
        kind=source.kind,
        source=source_name,
        path=published.path,
        file_name=source.file_name,
        file_sha256=source.file_sha256,
        ingested_at=now,
        schema=published.schema,
        rows_in=published.rows_in,
        rows_accepted=published.rows_accepted,
        rows_quarantined=published.rows_quarantined,
        classifications={f.name: tuple(k.value for k in f.kinds) for f in findings if f.kinds},
        marks={f.name: column_marks(f) for f in findings if column_marks(f)},
        declaration=declaration,
        engine=source.engine,
    )
    catalog.register(record, published.quarantine)
    return IngestOutcome(record, published, findings, warnings)
