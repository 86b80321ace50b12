"""`mamori consent`: import a consent history in bulk; show one person's standing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mamori.cli.console import emit_json, out, progress
from mamori.domain.consent_records import consent_records
from mamori.errors import InputError
from mamori.i18n import t

# The controller named in consent records (the operator of this mamori installation).
CONTROLLER = {"name": "mamori operator", "jurisdiction": "JP"}

consent_app = typer.Typer(help="同意の記録 / consent records", no_args_is_help=True)


@consent_app.command("import")
def import_file(
    path: Annotated[
        Path, typer.Argument(help="CSV / TSV / Parquet: subject,purpose,action,at,terms[,by,channel]")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / print one JSON document")] = False,
) -> None:
    """Import consent events from an existing membership system, all or nothing.

    既存の会員システムから同意イベントを一括で取り込みます。不正な行があれば（ファイル・行・項目を示して）
    何も取り込みません。Columns: subject, purpose, action (grant|withdraw|object), at (ISO 8601; JST
    when no offset), terms, and optionally by (self|guardian), channel, text_hash.
    """
    from mamori.bootstrap import build
    from mamori.lake.consent_stream import open_event_file
    from mamori.services.consent_import import import_events

    platform = build()
    events = open_event_file(path)
    with progress() as bar:
        task = bar.add_task(t("取り込み中", "importing"), total=events.estimated_rows())
        result = import_events(
            platform.ledger, events, str(path), actor="cli", on_rows=lambda n: bar.advance(task, n)
        )
        bar.update(task, total=result.rows, completed=result.rows)
    if as_json:
        emit_json({"rows": result.rows, "first_position": result.first, "last_position": result.last})
        return
    out.print(
        t(
            f"{result.rows} 件の同意イベントを取り込みました（台帳位置 {result.first}〜{result.last}）",
            f"imported {result.rows} consent events (ledger positions {result.first}-{result.last})",
        )
    )


def register(app: typer.Typer) -> None:
    """Add the command group to the app."""
    app.add_typer(consent_app, name="consent")


@consent_app.command("records")
def records(
    subject: Annotated[str, typer.Argument(help="本人の ID / subject id")],
) -> None:
    """Print a subject's consent records as ISO/IEC TS 27560 JSON (purposes mapped to W3C DPV).

    本人の同意記録を ISO/IEC TS 27560 の構造（目的は W3C DPV に対応付け）で JSON 出力します。
    """
    from mamori.bootstrap import build

    platform = build()
    person = platform.ledger.subject(subject)
    if person is None:
        raise InputError(
            f"本人 {subject} は登録されていません", f"unknown subject {subject}", field="subject"
        )
    emit_json(
        {
            "records": consent_records(
                person,
                platform.ledger.events_for(subject),
                platform.ledger.purposes(),
                platform.ledger.terms(),
                CONTROLLER,
            )
        }
    )
