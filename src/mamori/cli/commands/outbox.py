"""`mamori outbox`: read the embedded default's outbox (sign-in codes) from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from mamori.cli.console import emit_json, out
from mamori.i18n import t


def outbox(
    limit: Annotated[int, typer.Option(min=1, max=500, help="表示する件数 / how many messages")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / print JSON")] = False,
) -> None:
    """Show the newest mail in the outbox, where sign-in codes go when no SMTP server is set.

    SMTP（MAMORI_SMTP_HOST）が未設定のとき、サインインコードは送信メール（outbox）に届きます。
    The operator reads it here or in the console; reading it is recorded in the audit chain.
    """
    from mamori.bootstrap import build, build_portal

    portal = build_portal(build())
    mails = portal.store.mails(limit)
    portal.store.audit("outbox-read", "cli", {"count": len(mails)})
    if as_json:
        emit_json(
            [
                {"to": m.to, "subject": m.subject, "body": m.body, "at": m.created_at.isoformat()}
                for m in mails
            ]
        )
        return
    if not mails:
        out.print(t("送信メールはありません", "the outbox is empty"))
    for m in mails:
        out.print(f"[bold]{escape(m.to)}[/bold]  {m.created_at:%Y-%m-%d %H:%M:%S}  {escape(m.subject)}")
        out.print(escape(m.body) + "\n")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("outbox")(outbox)
