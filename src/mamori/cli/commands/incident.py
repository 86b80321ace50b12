"""`mamori incident`: open, show, advance, assess, report — the six-step flow from the terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from mamori.cli.console import emit_json, err, out
from mamori.cli.incident_support import (
    Actor,
    AsJson,
    IncidentId,
    actor_name,
    countdown_text,
    incident_app,
    parse_instant,
    print_view,
    service,
    view_json,
)
from mamori.domain.calendar import jst_date
from mamori.domain.incidents.classification import InfectionRoute, OrgSize
from mamori.domain.incidents.deadlines import Urgency
from mamori.domain.incidents.facts import Cause, Encryption, EventType, IncidentFacts
from mamori.domain.incidents.report import Reporter, ReportKind, build_notice, build_report
from mamori.errors import InputError
from mamori.i18n import t


@incident_app.command("open")
def open_(
    title: Annotated[str, typer.Option(help="件名 / title")],
    cause: Annotated[Cause, typer.Option(help="原因 / cause")],
    persons: Annotated[
        int, typer.Option(help="本人の数（不明なら最大数）/ persons (unknown: the possible maximum)")
    ],
    discovered_by: Annotated[str, typer.Option(help="発見者 / who found it")],
    summary: Annotated[str, typer.Option(help="発見した事象 / what was found")],
    event: Annotated[
        EventType, typer.Option(help="漏えい・滅失・毀損 / leak, loss, damage")
    ] = EventType.LEAK,
    items: Annotated[str, typer.Option(help="項目（カンマ区切り）/ data items, comma-separated")] = "",
    aware_at: Annotated[
        str | None, typer.Option(help="知った日時 ISO 8601（既定: 今）/ when known (default: now)")
    ] = None,
    suspected: Annotated[bool, typer.Option(help="おそれ（未確定）/ suspected, not certain")] = False,
    sensitive: Annotated[bool, typer.Option(help="要配慮個人情報を含む / sensitive data")] = False,
    financial: Annotated[
        bool, typer.Option(help="財産的被害のおそれ / misuse may cause property damage")
    ] = False,
    encryption: Annotated[
        Encryption, typer.Option(help="高度な暗号化 / high-level encryption")
    ] = Encryption.NONE,
    backup: Annotated[
        bool, typer.Option(help="滅失・毀損で完全なバックアップあり / intact backup (loss/damage)")
    ] = False,
    officer_told: Annotated[
        bool, typer.Option(help="管理者へ報告済み / privacy officer already told")
    ] = False,
    organisation: Annotated[str, typer.Option("--org", help="組織名 / organisation")] = "",
    size: Annotated[OrgSize, typer.Option(help="組織の規模 / organisation size")] = OrgSize.LARGE,
    route: Annotated[
        InfectionRoute, typer.Option(help="侵入・流出経路 / infection route")
    ] = InfectionRoute.UNKNOWN,
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Open an incident (step 1: discovery and report) and decide reportability at once.

    事案を開始し（第1段階：発見・報告）、報告対象か（規則7条）と期限（規則8条）を直ちに判定します。
    """
    svc = service()
    known = parse_instant(aware_at, "aware_at") or svc.clock.now()
    facts = IncidentFacts(
        aware_at=known,
        event=event,
        cause=cause,
        persons=persons,
        items=tuple(i.strip() for i in items.split(",") if i.strip()),
        suspected=suspected,
        sensitive=sensitive,
        financial=financial,
        encryption=encryption,
        backup=backup,
    )
    incident = svc.open(
        actor_name(actor),
        title=title,
        facts=facts,
        discovered_by=discovered_by,
        summary=summary,
        officer_told=officer_told,
        organisation=organisation,
        org_size=size,
        route=route,
    )
    _show(incident.id, as_json)


@incident_app.command("show")
def show(incident_id: IncidentId, as_json: AsJson = False) -> None:
    """Show an incident: step, decision, countdowns to the PPC deadlines, what the step still needs.

    事案の段階・判定・委員会への報告期限までの残り日数（JST）・未記入の必須項目を表示します。
    """
    _show(incident_id, as_json)


def _show(incident_id: str, as_json: bool) -> None:
    view = service().view(incident_id)
    if as_json:
        emit_json(view_json(view))
        return
    print_view(view)
    for c in view.countdowns:
        if c.urgency in (Urgency.OVERDUE, Urgency.DUE_TODAY, Urgency.DUE_SOON):
            err.print(f"[yellow]{t('警告', 'warning')}:[/yellow] {escape(countdown_text(c))}")


@incident_app.command("list")
def list_(as_json: AsJson = False) -> None:
    """List incidents with their step and the nearest deadline.

    事案の一覧（段階、報告対象か、直近の期限）。
    """
    svc = service()
    views = [svc.view(i) for i in svc.store.incident_ids()]
    if as_json:
        emit_json({"incidents": [view_json(v) for v in views]})
        return
    table = Table("id", t("件名", "title"), t("段階", "step"), t("報告", "report"), t("期限", "deadline"))
    for v in views:
        pending = [c for c in v.countdowns if c.urgency is not Urgency.DONE]
        table.add_row(
            v.incident.id,
            v.incident.title,
            f"{v.incident.step.number}. {v.incident.step.value}",
            ",".join(map(str, v.assessment.categories)) or "-",
            countdown_text(pending[0]) if pending else "-",
        )
    out.print(table)


@incident_app.command("advance")
def advance(incident_id: IncidentId, actor: Actor = None, as_json: AsJson = False) -> None:
    """Close the current step and move to the next; refused while required fields are empty.

    現在の段階を完了して次へ進みます。必須項目が空の場合は拒否され、不足項目を示します。
    """
    service().advance(incident_id, actor_name(actor))
    _show(incident_id, as_json)


@incident_app.command("assess")
def assess(
    incident_id: IncidentId,
    reason: Annotated[str | None, typer.Option(help="事実が変わった理由 / why the facts changed")] = None,
    persons: Annotated[int | None, typer.Option(help="本人の数 / persons")] = None,
    cause: Annotated[Cause | None, typer.Option(help="原因 / cause")] = None,
    route: Annotated[InfectionRoute | None, typer.Option(help="経路 / route")] = None,
    sensitive: Annotated[
        bool | None, typer.Option("--sensitive/--not-sensitive", help="要配慮 / sensitive")
    ] = None,
    financial: Annotated[
        bool | None, typer.Option("--financial/--not-financial", help="財産的被害 / financial")
    ] = None,
    suspected: Annotated[
        bool | None, typer.Option("--suspected/--confirmed", help="おそれ / suspected")
    ] = None,
    encryption: Annotated[Encryption | None, typer.Option(help="暗号化 / encryption")] = None,
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Re-decide reportability; with new facts (persons found later, cause confirmed) record them first.

    事実（後から判明した人数、確定した原因など）を記録し、報告対象かを再判定します。
    1,000人を超えた時点で報告対象となり、期限はその時点から数えます（規則7条4号）。
    """
    changes = {
        k: v
        for k, v in {
            "persons": persons,
            "cause": cause,
            "route": route,
            "sensitive": sensitive,
            "financial": financial,
            "suspected": suspected,
            "encryption": encryption,
        }.items()
        if v is not None
    }
    if changes:
        if not reason:
            raise InputError(
                "事実を変える理由を --reason で示してください",
                "give the reason with --reason",
                field="reason",
            )
        service().amend_facts(incident_id, actor_name(actor), reason, **changes)
    _show(incident_id, as_json)


def _write_document(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    output.write_bytes(data)
    err.print(t(f"書き出しました: {output}", f"written: {output}"))


@incident_app.command("report")
def report(
    incident_id: IncidentId,
    kind: Annotated[
        ReportKind, typer.Option(help="速報 / 確報 (preliminary / final)")
    ] = ReportKind.PRELIMINARY,
    fmt: Annotated[str, typer.Option("--format", help="json | html | pdf")] = "json",
    output: Annotated[
        Path | None, typer.Option("--out", help="出力ファイル（既定: 標準出力）/ output file")
    ] = None,
    business: Annotated[str, typer.Option(help="報告者（事業者名）/ reporting business")] = "",
    address: Annotated[str, typer.Option(help="所在地 / address")] = "",
    representative: Annotated[str, typer.Option(help="代表者 / representative")] = "",
    contact: Annotated[str, typer.Option(help="担当者・連絡先 / contact person")] = "",
    as_json: AsJson = False,
) -> None:
    """Build the PPC report's nine items (PPC-RULE-8-3) as JSON, HTML or PDF (Japanese fonts).

    個人情報保護委員会への報告（9項目）を JSON・HTML・PDF で作成します。
    """
    reporter = Reporter(business, address, representative, contact) if business else None
    _document(incident_id, "json" if as_json else fmt, output, notice=False, kind=kind, reporter=reporter)


@incident_app.command("notice")
def notice(
    incident_id: IncidentId,
    fmt: Annotated[str, typer.Option("--format", help="json | html | pdf")] = "json",
    output: Annotated[Path | None, typer.Option("--out", help="出力ファイル / output file")] = None,
    as_json: AsJson = False,
) -> None:
    """Draft the notice to the affected persons: items 1, 2, 4, 5 and 9 only (APPI-26-2).

    本人への通知文（日本語・英語）を作成します。記載は規則10条の項目（1,2,4,5,9）に限ります。
    """
    _document(incident_id, "json" if as_json else fmt, output, notice=True, kind=ReportKind.PRELIMINARY)


def _document(
    incident_id: str,
    fmt: str,
    output: Path | None,
    *,
    notice: bool,
    kind: ReportKind,
    reporter: Reporter | None = None,
) -> None:
    from mamori.documents.render import to_html, to_json, to_pdf

    svc = service()
    incident = svc.get(incident_id)
    today = jst_date(svc.clock.now())
    doc = build_notice(incident, today) if notice else build_report(incident, kind, today, reporter=reporter)
    if fmt == "json":
        emit_json(to_json(doc)) if output is None else _write_document(_json_bytes(to_json(doc)), output)
    elif fmt == "html":
        _write_document(to_html(doc).encode("utf-8"), output)
    elif fmt == "pdf":
        if output is None and sys.stdout.isatty():
            raise InputError("PDF は --out で保存先を指定してください", "give --out for a PDF", field="out")
        _write_document(to_pdf(doc), output)
    else:
        raise InputError(
            "形式は json, html, pdf のいずれかです", "format is json, html or pdf", field="format"
        )


def _json_bytes(document: object) -> bytes:
    import json

    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


@incident_app.command("verify")
def verify(as_json: AsJson = False) -> None:
    """Check every incident event against the audit entry that vouches for it.

    事案の記録（incident_events）を監査ログの各項目と照合し、改ざん・削除を検出します。
    """
    from mamori.bootstrap import build
    from mamori.ledger.incidents import verify_incident_events

    platform = build()
    chain = platform.ledger.verify_audit()
    with platform.ledger.engine.connect() as connection:
        broken = chain or verify_incident_events(connection)
    document = {
        "ok": broken is None,
        "break": None
        if broken is None
        else {"seq": broken.seq, "tampering": broken.tampering.value, "detail": broken.detail},
    }
    if as_json:
        emit_json(document)
    elif broken is None:
        out.print(t("事案の記録は監査ログと一致しています", "incident records match the audit chain"))
    else:
        out.print(
            escape(
                t(
                    f"改ざんを検出: 項目 {broken.seq} {broken.detail}",
                    f"tampering: entry {broken.seq} {broken.detail}",
                )
            )
        )
    raise typer.Exit(0 if broken is None else 1)


def register(app: typer.Typer) -> None:
    """Add the command group to the app."""
    # Importing these modules registers their commands on `incident_app`.
    import mamori.cli.incident_impact
    import mamori.cli.incident_stats
    import mamori.cli.incident_steps  # noqa: F401

    app.add_typer(incident_app, name="incident")


@incident_app.command("demo")
def demo(
    persons: Annotated[
        int, typer.Option(help="誤送信されたファイルの人数 / persons in the leaked export")
    ] = 1200,
    as_json: AsJson = False,
) -> None:
    """Walk a demo incident (a misdelivered export) through all six steps and print its documents.

    デモ事案（抽出ファイルの誤送信）を6段階すべて進め、影響範囲をファイルから求め、報告書（PDF/HTML）と
    本人への通知文を $MAMORI_HOME/incidents/demo/ に書き出します。`mamori demo` の後に実行すると
    デモ世界の会員が対象になります。
    """
    from mamori.bootstrap import build
    from mamori.demo.incident import run_demo_incident

    platform = build()
    incident, written = run_demo_incident(platform, persons)
    svc = service()
    if as_json:
        emit_json({"incident": view_json(svc.view(incident.id)), "files": [str(p) for p in written]})
        return
    print_view(svc.view(incident.id))
    for path in written:
        out.print(escape(str(path)))
