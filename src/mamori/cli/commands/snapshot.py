"""`mamori snapshot`: materialize consent as of an instant for the data plane."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from mamori.cli.console import emit_json, err, out
from mamori.domain.calendar import as_jst
from mamori.errors import InputError
from mamori.i18n import t


def parse_instant(text: str | None, default: datetime) -> datetime:
    """Read an ISO 8601 instant from the command line (JST when no offset is given)."""
    if text is None:
        return default
    try:
        return as_jst(datetime.fromisoformat(text))
    except ValueError as exc:
        raise InputError(
            f"日時を読めません：{text}", f"not an ISO 8601 date-time: {text}", field="--at"
        ) from exc


def snapshot(
    at: Annotated[str | None, typer.Option(help="時点（ISO 8601、既定は現在）/ instant, default now")] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="出力先 Parquet / output file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / print one JSON document")] = False,
) -> None:
    """Write the consent snapshot: one row per subject, a purpose bitmask, the ledger position.

    同意スナップショット（本人ごと1行、目的のビットマスク、台帳位置）を Parquet に書き出します。
    Every provision record names the snapshot it was computed from.
    """
    from mamori.bootstrap import build
    from mamori.services.snapshot import take_snapshot

    platform = build()
    instant = parse_instant(at, platform.clock.now())
    target = out_path or platform.settings.lake_dir / "snapshots" / f"consent-{instant:%Y%m%dT%H%M%S}.parquet"
    with err.status(t("同意スナップショットを作成中…", "taking the consent snapshot…")):
        info = take_snapshot(platform.ledger, platform.snapshots, instant, target, platform.settings.policy)
    if as_json:
        emit_json(
            {
                "path": str(info.path),
                "subjects": info.subjects,
                "position": info.position,
                "at": info.at.isoformat(),
                "granted": info.granted,
            }
        )
        return
    out.print(
        t(
            f"スナップショット：{info.path}（本人 {info.subjects} 人、台帳位置 {info.position}）",
            f"snapshot: {info.path} ({info.subjects} subjects, ledger position {info.position})",
        )
    )
    for purpose, count in info.granted.items():
        out.print(f"  {purpose}: {count}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("snapshot")(snapshot)
