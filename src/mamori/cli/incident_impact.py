"""`mamori incident impact` and `send-notices`: who was affected, and telling them (APPI-26-2)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mamori.cli.console import emit_json, err
from mamori.cli.incident_support import (
    Actor,
    AsJson,
    IncidentId,
    actor_name,
    incident_app,
    print_view,
    service,
    view_json,
)
from mamori.errors import InputError
from mamori.i18n import t


@incident_app.command("impact")
def impact(
    incident_id: IncidentId,
    files: Annotated[
        list[Path] | None,
        typer.Option("--file", help="漏えいしたファイル（CSV/Parquet）/ leaked file", exists=True),
    ] = None,
    lineage_ids: Annotated[
        list[str] | None,
        typer.Option("--lineage", help="漏えいした提供の系譜 ID（LIN-...）/ lineage id of a leaked export"),
    ] = None,
    subject_column: Annotated[
        str, typer.Option(help="本人を示す列 / column naming the person")
    ] = "member_id",
    birth_column: Annotated[
        str | None, typer.Option(help="生年月日の列（未成年の数）/ birth date column")
    ] = None,
    sensitive_items: Annotated[str, typer.Option(help="要配慮の列（カンマ区切り）/ sensitive columns")] = "",
    financial_items: Annotated[str, typer.Option(help="財産的被害のおそれのある列 / financial columns")] = "",
    subjects_out: Annotated[
        Path | None, typer.Option(help="影響を受けた本人の一覧 CSV / affected persons CSV")
    ] = None,
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 3: compute the affected persons from leaked exports or files and re-decide reportability.

    漏えいした提供（--lineage: 台帳の提供記録）又はファイル（--file）から、影響を受けた本人
    （人数・一覧・項目・要配慮/財産的被害・未成年）を求め、事実に反映して報告対象かを再判定します。
    """
    from mamori.domain.items import DataItem
    from mamori.lake.leaked_files import LeakedFiles

    flagged_s = {c.strip() for c in sensitive_items.split(",") if c.strip()}
    flagged_f = {c.strip() for c in financial_items.split(",") if c.strip()}
    catalogue = {c: DataItem(c, sensitive=True, financial=c in flagged_f) for c in flagged_s}
    catalogue.update({c: DataItem(c, financial=True, sensitive=c in flagged_s) for c in flagged_f})
    if bool(files) == bool(lineage_ids):
        raise InputError(
            "--lineage か --file のどちらか一方を指定してください",
            "give either --lineage or --file",
            field="lineage",
        )
    if lineage_ids:
        svc, names = service(provisions=True), list(lineage_ids)
    else:
        sources = {str(f): f for f in files or []}
        svc, names = service(LeakedFiles(sources, subject_column, birth_column)), sorted(sources)
    _, found = svc.impact_from_lineage(incident_id, actor_name(actor), names, catalogue)
    if subjects_out is not None:
        lines = (f"{s},{';'.join(sorted(found.items_by_subject.get(s, ())))}\n" for s in found.subjects)
        subjects_out.write_text("subject_id,items\n" + "".join(lines), encoding="utf-8")
        err.print(
            t(f"本人の一覧を書き出しました: {subjects_out}", f"affected persons written: {subjects_out}")
        )
    view = svc.view(incident_id)
    summary = {
        "persons": found.persons,
        "items": list(found.items),
        "sensitive_items": list(found.sensitive_items),
        "financial_items": list(found.financial_items),
        "minors": found.minors,
        "sources": list(found.sources),
    }
    if as_json:
        emit_json({"impact": summary, "incident": view_json(view)})
        return
    err.print(
        t(
            f"影響: {found.persons:,}人、項目 {', '.join(found.items)}、未成年 {found.minors:,}人",
            f"impact: {found.persons:,} persons, items {', '.join(found.items)}, minors {found.minors:,}",
        )
    )
    print_view(view)


def _column(path: Path, name: str) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if name not in (reader.fieldnames or []):
            raise InputError("列がありません", "missing column", file=str(path), line=1, field=name)
        return list(reader)


@incident_app.command("send-notices")
def send_notices_cmd(
    incident_id: IncidentId,
    affected: Annotated[
        Path, typer.Option(help="影響を受けた本人 CSV（subject_id 列）/ affected persons", exists=True)
    ],
    contacts: Annotated[Path, typer.Option(help="連絡先 CSV（subject_id, email 列）/ contacts", exists=True)],
    outbox: Annotated[
        Path | None, typer.Option(help="送信フォルダ（既定: $MAMORI_HOME/outbox）/ outbox folder")
    ] = None,
    sender: Annotated[str, typer.Option(help="差出人 / From")] = "privacy@example.com",
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 4: send the notice (items 1, 2, 4, 5, 9) to every affected person and record each delivery.

    本人への通知を一括で送信フォルダ（.eml）に書き出し、各配信を一覧に記録します（APPI-26-2）。
    連絡先のない本人は配信不能として数え、公表・問合せ窓口等の代替措置が必要です。
    """
    from mamori.documents.render import to_text
    from mamori.domain.calendar import jst_date
    from mamori.domain.incidents.report import build_notice
    from mamori.files.outbox import EmailOutbox
    from mamori.services.incidents.notices import send_notices

    svc = service()
    incident, today = svc.get(incident_id), jst_date(svc.clock.now())
    rows_affected = [row for row in _column(affected, "subject_id") if row["subject_id"].strip()]
    people = [row["subject_id"].strip() for row in rows_affected]
    # With an `items` column (from `impact --subjects-out`), each notice lists that person's items only.
    own = {
        row["subject_id"].strip(): tuple(i for i in (row.get("items") or "").split(";") if i)
        for row in rows_affected
        if row.get("items")
    }
    shared_body = to_text(build_notice(incident, today))

    def body(subject_id: str) -> str:
        items = own.get(subject_id)
        return shared_body if items is None else to_text(build_notice(incident, today, items))

    rows = _column(contacts, "email")
    addresses = {row.get("subject_id", "").strip(): row["email"].strip() for row in rows}
    root = outbox or svc_home() / "outbox"
    report = send_notices(
        svc,
        incident_id,
        actor_name(actor),
        affected=people,
        contacts=addresses,
        title="個人情報の漏えい等に関するお知らせとお詫び / Notice about an incident involving your personal data",
        body=body,
        outbox=EmailOutbox(root, incident_id, sender),
    )
    if as_json:
        emit_json(
            {
                "delivered": report.delivered,
                "undeliverable": len(report.undeliverable),
                "manifest_sha256": report.manifest_sha256,
                "outbox": str(root / incident_id),
                "incident": view_json(svc.view(incident_id)),
            }
        )
        return
    err.print(
        t(f"送信フォルダへ {report.delivered}件", f"{report.delivered} notice(s) written to the outbox")
    )
    if report.undeliverable:
        err.print(
            t(
                f"[yellow]配信不能 {len(report.undeliverable)}件: 公表又は問合せ窓口で代替してください（APPI-26-2）[/yellow]",
                f"[yellow]{len(report.undeliverable)} undeliverable: use publication or the help desk instead (APPI-26-2)[/yellow]",
            )
        )
    print_view(svc.view(incident_id))


def svc_home() -> Path:
    """Return MAMORI_HOME as the settings read it."""
    from mamori.settings import Settings

    return Settings.from_env().home
