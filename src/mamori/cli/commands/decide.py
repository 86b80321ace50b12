"""`mamori decide`: one policy decision from the ledger, with the rules that made it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from mamori.cli.commands.snapshot import parse_instant
from mamori.cli.console import emit_json, out
from mamori.conformance.runner import decision_entry
from mamori.domain.recipients import Recipient, Relation
from mamori.domain.requests import Action, LegalException, PolicyRequest, ProvisionKind
from mamori.i18n import current_lang


def decide_command(
    subject: Annotated[str, typer.Option(help="本人の ID / subject id")],
    purpose: Annotated[str, typer.Option(help="利用目的の ID / purpose id")],
    action: Annotated[Action, typer.Option(help="use（利用）| provide（提供）")] = Action.USE,
    kind: Annotated[ProvisionKind | None, typer.Option(help="提供の種類 / provision kind")] = None,
    items: Annotated[
        str, typer.Option(help="項目（カンマ区切り）/ items, comma-separated")
    ] = "purchase_history",
    recipient_category: Annotated[str | None, typer.Option(help="提供先の類型 / recipient category")] = None,
    country: Annotated[str, typer.Option(help="提供先の国 / recipient country (ISO 3166)")] = "JP",
    relation: Annotated[Relation, typer.Option(help="提供先との関係 / relation")] = Relation.THIRD_PARTY,
    exception: Annotated[LegalException | None, typer.Option(help="法定の例外 / statutory exception")] = None,
    at: Annotated[str | None, typer.Option(help="時点（ISO 8601、既定は現在）/ instant, default now")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / print one JSON document")] = False,
) -> None:
    """Decide whether a subject's data may be used or provided, and say which rule decides.

    本人のデータをこの目的で利用・提供してよいかを判断し、根拠となる規則を示します。
    Example: mamori decide --subject M00000001 --purpose provide_partners --action provide
    --kind personal_data --recipient-category ad_business
    """
    from mamori.bootstrap import build
    from mamori.services.decisions import decide_for_subject

    platform = build()
    instant = parse_instant(at, platform.clock.now())
    recipient = None
    if action is Action.PROVIDE:
        recipient = Recipient("cli", recipient_category or "", country, relation)
    request = PolicyRequest(
        "cli",
        instant,
        subject,
        action,
        purpose,
        tuple(i.strip() for i in items.split(",") if i.strip()),
        kind,
        recipient,
        exception,
    )
    decision = decide_for_subject(platform.ledger, request)
    if as_json:
        emit_json(decision_entry("cli", request.id, decision))
    else:
        out.print(escape(decision.explanation.in_lang(current_lang())))
        if decision.obligations:
            out.print("obligations / 義務: " + ", ".join(decision.obligations))
    raise typer.Exit(0 if decision.allowed else 1)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("decide")(decide_command)
