"""Import a consent history in bulk from an existing membership system."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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


@dataclass(frozen=True, slots=True)
class _Known:
    """The purposes and terms versions the ledger has, read once before the import."""

    purposes: frozenset[str]
    versions: frozenset[str]

    @classmethod
    def of(cls, ledger: Ledger) -> _Known:
        return cls(frozenset(ledger.purposes()), frozenset(v.version for v in ledger.terms().versions))


def check_references(table: pa.Table, known: _Known, source: str, first_row: int = 2) -> None:
    """Refuse events naming purposes or terms versions the ledger does not know.

    `first_row` is the file row of the table's first event (the header is row 1).
    """
    for field, names in (("purpose_id", known.purposes), ("terms_version", known.versions)):
        seen = table.column(field).unique().to_pylist()
        unknown = sorted(v for v in seen if v not in names)
        if unknown:
            values = table.column(field).to_pylist()
            raise InputError(
                f"未登録の値です：{', '.join(unknown[:5])}",
                f"unknown values: {', '.join(unknown[:5])}",
                file=source,
                line=values.index(unknown[0]) + first_row,
                field=field.removesuffix("_id").removesuffix("_version"),
            )


def import_events(
    ledger: Ledger,
    events: pa.Table | Iterable[pa.Table],
    source: str,
    actor: str,
    on_rows: Callable[[int], None] | None = None,
) -> ImportResult:
    """Append validated events in one transaction (all or nothing), audit-chained per chunk.

    `events` may be a stream of tables (lake.consent_stream): the ledger stores each part while
    the next is read, and a bad row anywhere rolls back everything stored before it.
    """
    batches = [events] if isinstance(events, pa.Table) else events
    checked = _checked(batches, _Known.of(ledger), source)
    with ledger.transaction(actor) as tx:
        first, last = tx.append_event_batches(checked, source, on_rows)
    rows = last - first + 1
    return ImportResult(rows=rows, first=first if rows else 0, last=last if rows else 0)


def _checked(batches: Iterable[pa.Table], known: _Known, source: str) -> Iterator[pa.Table]:
    row = 2
    for batch in batches:
        check_references(batch, known, source, first_row=row)
        row += batch.num_rows
        yield batch
