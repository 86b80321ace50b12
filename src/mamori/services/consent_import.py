"""Import a consent history in bulk from an existing membership system."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from mamori.errors import InputError
from mamori.services.ports import Ledger


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did."""

    rows: int
    first: int
    last: int


def check_references(table: pa.Table, ledger: Ledger, source: str) -> None:
    """Refuse events naming purposes or terms versions the ledger does not know."""
    purposes = set(ledger.purposes())
    versions = {v.version for v in ledger.terms().versions}
    for field, known in (("purpose_id", purposes), ("terms_version", versions)):
        seen = table.column(field).unique().to_pylist()
        unknown = sorted(v for v in seen if v not in known)
        if unknown:
            values = table.column(field).to_pylist()
            row = values.index(unknown[0]) + 2
            raise InputError(
                f"未登録の値です：{', '.join(unknown[:5])}",
                f"unknown values: {', '.join(unknown[:5])}",
                file=source,
                line=row,
                field=field.removesuffix("_id").removesuffix("_version"),
            )


def import_events(
    ledger: Ledger, table: pa.Table, source: str, actor: str, on_rows: Callable[[int], None] | None = None
) -> ImportResult:
    """Append validated events in one transaction (all or nothing), audit-chained per chunk."""
    check_references(table, ledger, source)
    if table.num_rows == 0:
        return ImportResult(rows=0, first=0, last=0)
    with ledger.transaction(actor) as tx:
        first, last = tx.append_event_table(table, source, on_rows)
    return ImportResult(rows=table.num_rows, first=first, last=last)
