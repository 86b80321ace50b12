"""`mamori audit`: verify the hash-chained audit log."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from mamori.cli.console import emit_json, out
from mamori.i18n import t

audit_app = typer.Typer(help="監査ログ（ハッシュチェーン）/ the hash-chained audit log", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / print one JSON document")] = False,
) -> None:
    """Walk the chain and name the first entry changed, deleted, inserted or reordered.

    監査ログのチェーンをたどり、改ざん（変更・削除・挿入・並べ替え）された最初の項目を示します。
    Exit status 0 when intact, 1 when tampered with.
    """
    from mamori.bootstrap import build

    platform = build()
    entries = sum(1 for _ in platform.ledger.audit_entries())
    broken = platform.ledger.verify_audit()
    if as_json:
        emit_json(
            {
                "ok": broken is None,
                "entries": entries,
                "break": None
                if broken is None
                else {"seq": broken.seq, "tampering": broken.tampering.value, "detail": broken.detail},
            }
        )
    elif broken is None:
        out.print(t(f"監査ログは正常です（{entries} 件）", f"audit chain intact ({entries} entries)"))
    else:
        out.print(
            escape(
                t(
                    f"改ざんを検出しました：項目 {broken.seq} が {broken.tampering.value}（{broken.detail}）",
                    f"tampering detected: entry {broken.seq} was {broken.tampering.value} ({broken.detail})",
                )
            )
        )
    raise typer.Exit(0 if broken is None else 1)


def register(app: typer.Typer) -> None:
    """Add the command group to the app."""
    app.add_typer(audit_app, name="audit")
