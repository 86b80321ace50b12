"""`mamori catalog`: the datasets in the lake, their provenance, quarantine and Art. 30 declaration."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from mamori.bootstrap import build
from mamori.cli.commands.ingest import read_declaration
from mamori.cli.console import emit_json, out
from mamori.errors import InputError
from mamori.services.catalog import DatasetRecord, confirm

catalog_app = typer.Typer(help="データセットの台帳 / the dataset catalogue", no_args_is_help=True)


def _entry(record: DatasetRecord) -> dict[str, object]:
    return {
        "dataset": record.dataset_id, "kind": record.kind, "source": record.source, "file": record.file_name,
        "sha256": record.file_sha256, "ingested_at": record.ingested_at.isoformat(), "rows_in": record.rows_in,
        "rows_accepted": record.rows_accepted, "rows_quarantined": record.rows_quarantined,
        "confirmed": record.confirmed, "classifications": {k: list(v) for k, v in record.classifications.items()},
        "marks": {k: list(v) for k, v in record.marks.items()}, "path": record.path,
    }  # fmt: skip


@catalog_app.command("list")
def list_command(
    kind: Annotated[str | None, typer.Option("--kind", help="種類で絞る / only this kind")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / one JSON document")] = False,
) -> None:
    """List datasets with row counts and whether the provider's declaration is recorded.

    データセットの一覧（行数、確認済みか）。未確認（unconfirmed）のものは提供に使えません（APPI-30-1）。
    """
    records = build().catalog.datasets(kind)
    if as_json:
        emit_json({"datasets": [_entry(r) for r in records]})
        return
    for r in records:
        state = "confirmed" if r.confirmed else "[yellow]unconfirmed[/yellow]"
        out.print(f"{escape(r.dataset_id)}\t{r.rows_accepted:,}/{r.rows_in:,}\t{state}")


@catalog_app.command("declare")
def declare_command(
    dataset: Annotated[str, typer.Argument(help="データセット ID / dataset id")],
    declaration: Annotated[
        Path, typer.Option("--declaration", help="提供元の申告 YAML / provider declaration YAML")
    ],
) -> None:
    """Record the provider's declaration (name, address, representative, how the data was obtained).

    法30条1項の確認事項を記録し、データセットを確認済みにします（APPI-30-1）。
    """
    declared = read_declaration(declaration)
    if declared is None:  # pragma: no cover - the option is required
        raise InputError("申告がありません", "no declaration", field="--declaration")
    record = confirm(build().catalog, dataset, declared)
    out.print(f"{escape(record.dataset_id)}\tconfirmed")


@catalog_app.command("quarantine")
def quarantine_command(
    dataset: Annotated[str, typer.Argument(help="データセット ID / dataset id")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / one JSON document")] = False,
) -> None:
    """Show the rows an ingest quarantined: file, row, field and reason code.

    隔離された行（ファイル、行番号、項目、理由コード）を表示します。
    """
    entries = build().catalog.quarantine(dataset)
    if as_json:
        emit_json(
            {
                "quarantine": [
                    {"file": e.file, "row": e.row, "field": e.field, "reason": e.reason} for e in entries
                ]
            }
        )
        return
    for e in entries:
        out.print(f"{escape(e.file)}:{e.row}\t{escape(e.field)}\t{e.reason}")


def register(app: typer.Typer) -> None:
    """Add the command group to the app."""
    app.add_typer(catalog_app, name="catalog")
