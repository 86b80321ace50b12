"""The demo incident: a leaked export walked through all six steps, impact from the file itself.

A client's export (member id, name, email, birth date, purchase history) is sent to the wrong
recipient; the people in it are computed from the file, the case turns reportable when the count
passes 1,000, and every step is filled so that the report and the notices can be printed.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from mamori.bootstrap import Platform
from mamori.domain.incidents.classification import Audience, FirstAid, InfectionRoute, Inquiry, OrgSize
from mamori.domain.incidents.events import (
    AfterActionRecorded,
    ContainmentRecorded,
    FindingRecorded,
    FirstAidDone,
    HelpDeskOpened,
    NotificationTaskDone,
    NotificationTaskOpened,
    RecoveryConfirmed,
    SecondaryDamageAssessed,
    TeamMemberAssigned,
    TimelineEntryAdded,
)
from mamori.domain.incidents.facts import Cause, EventType, IncidentFacts
from mamori.domain.incidents.flow import Step
from mamori.domain.incidents.state import Incident
from mamori.domain.items import DataItem
from mamori.lake.leaked_files import LeakedFiles
from mamori.services.incidents.usecases import IncidentService

ACTOR = "demo-officer@example.com"
CATALOGUE = {"purchase_history": DataItem("purchase_history")}


def leaked_export(platform: Platform, path: Path, persons: int) -> Path:
    """Write the export that leaked: members of the demo world if it exists, else synthetic ones."""
    subjects = platform.ledger.subjects_table().slice(0, persons).to_pylist()
    if not subjects:
        subjects = [
            {"id": f"M{i:07d}", "birth_date": date(1960 + i % 50, 1 + i % 12, 1)} for i in range(persons)
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["member_id", "name", "email", "birth_date", "purchase_history"])
        for n, row in enumerate(subjects):
            born = row["birth_date"].isoformat() if row["birth_date"] else ""
            writer.writerow([row["id"], f"会員{n:05d}", f"member{n}@example.com", born, "食品;日用品"])
    return path


def lineage_of(leaked: Path) -> LeakedFiles:
    """Return the lineage the demo reads: the leaked file itself."""
    return LeakedFiles({leaked.name: leaked}, "member_id", "birth_date")


def walk_through(service: IncidentService, leaked: Path) -> Incident:
    """Open the incident, compute the impact from the file, and fill and close all six steps.

    The service must read lineage from `lineage_of(leaked)`.
    """
    now = service.clock.now()
    facts = IncidentFacts(
        aware_at=now, event=EventType.LEAK, cause=Cause.MISDELIVERY, persons=0, items=(), suspected=False
    )
    incident = service.open(
        ACTOR,
        title="顧客向け抽出ファイルの誤送信 / export sent to the wrong recipient",
        facts=facts,
        discovered_by="営業部 佐藤（受信者からの連絡）",
        summary="提供先 A 社宛ての抽出ファイルを、B 社の担当者へ誤って送信した",
        officer_told=True,
        organisation="example-platform",
        org_size=OrgSize.LARGE,
        route=InfectionRoute.NOT_APPLICABLE,
    )
    i = incident.id
    service.impact_from_lineage(i, ACTOR, [leaked.name], CATALOGUE)
    service.advance(i, ACTOR)  # 1 → 2
    service.record(
        i,
        ACTOR,
        TeamMemberAssigned,
        role="責任者",
        person="山田（個人情報保護管理者）",
        contact="privacy@example.com",
    )
    service.record(i, ACTOR, TeamMemberAssigned, role="技術", person="鈴木", contact="it@example.com")
    service.record(
        i,
        ACTOR,
        FirstAidDone,
        action=FirstAid.RECALL_MESSAGE,
        done_by="佐藤",
        done_at=now,
        note="B 社へ削除を依頼",
    )
    service.advance(i, ACTOR)  # 2 → 3
    answers = {
        Inquiry.WHEN: f"{(now - timedelta(hours=2)).date().isoformat()} 送信",
        Inquiry.WHERE: "電子メール（添付ファイル）",
        Inquiry.WHO: "営業部の担当者",
        Inquiry.WHAT: "会員の氏名・メールアドレス・生年月日・購買履歴の抽出ファイル",
        Inquiry.WHY: "宛先の自動補完で別会社の担当者を選択した",
        Inquiry.HOW: "暗号化されていない添付ファイルとして送信",
    }
    for question, answer in answers.items():
        service.record(i, ACTOR, FindingRecorded, question=question, answer=answer)
    service.record(i, ACTOR, TimelineEntryAdded, occurred_at=now - timedelta(hours=2), text="誤送信")
    service.record(i, ACTOR, TimelineEntryAdded, occurred_at=now, text="受信者から連絡、削除を確認")
    service.record(
        i, ACTOR, SecondaryDamageAssessed, text="受信者が削除を確認済み。二次被害は確認されていない"
    )
    service.attach_evidence(i, ACTOR, leaked.name, leaked.read_bytes(), "誤送信されたファイル")
    service.advance(i, ACTOR)  # 3 → 4
    service.record(
        i, ACTOR, NotificationTaskOpened, audience=Audience.PARTNERS, description="A 社・B 社への連絡"
    )
    for audience in (Audience.PPC_PRELIMINARY, Audience.SUBJECTS, Audience.PARTNERS):
        if audience in service.get(i).tasks:
            service.record(i, ACTOR, NotificationTaskDone, audience=audience, done_at=now, reference="DEMO-1")
    service.advance(i, ACTOR)  # 4 → 5
    service.record(i, ACTOR, ContainmentRecorded, measure="受信者による削除の確認書を取得", done_at=now)
    service.record(i, ACTOR, HelpDeskOpened, contact="0120-000-000 / help@example.com", hours="平日 9-18時")
    service.record(i, ACTOR, RecoveryConfirmed, note="ファイルの削除を確認")
    service.advance(i, ACTOR)  # 5 → 6
    for field, text in (
        ("root_cause", "宛先確認の手順がなく、自動補完に頼っていた"),
        ("recurrence_done", "外部宛て添付ファイルの送信前確認を必須化"),
        ("recurrence_planned", "抽出ファイルの受け渡しをポータル経由に限定"),
        ("apology", "対象の会員へお詫びの通知"),
        ("compensation", "二次被害が確認された場合に個別に対応"),
        ("lessons", "個人データの受け渡しにメール添付を使わない"),
    ):
        service.record(i, ACTOR, AfterActionRecorded, field=field, text=text)
    if Audience.PPC_FINAL in service.get(i).tasks:
        service.record(
            i, ACTOR, NotificationTaskDone, audience=Audience.PPC_FINAL, done_at=now, reference="DEMO-2"
        )
    incident = service.advance(i, ACTOR)  # 6 → closed
    assert incident.step is Step.CLOSED
    return incident


def open_for_the_console(platform: Platform) -> Incident | None:
    """Open a second incident for the officer to walk in the console: the demo's real export leaked.

    Its affected people come from the provision record's lineage id (the export the demo's
    provide step made), so the console can list and download them; it is left at step 1.
    """
    from mamori.bootstrap import incident_service
    from mamori.domain.items import STANDARD_ITEMS

    service = incident_service(platform, provisions=True)
    assert service.lineage is not None
    sources = service.lineage.sources()
    if not sources:
        return None
    facts = IncidentFacts(
        aware_at=service.clock.now(),
        event=EventType.LEAK,
        cause=Cause.UNAUTHORIZED_ACCESS,
        persons=0,
        suspected=True,
    )
    incident = service.open(
        ACTOR,
        title="提供先サーバからの抽出ファイル流出のおそれ / export possibly stolen from a recipient's server",
        facts=facts,
        discovered_by="提供先 株式会社アドコ（例示）からの連絡",
        summary="提供先のファイルサーバへの不正アクセスが判明し、当社が提供した抽出ファイルが含まれていた",
        officer_told=True,
        organisation="example-platform",
        org_size=OrgSize.LARGE,
        route=InfectionRoute.SUPPLY_CHAIN,
    )
    incident, _ = service.impact_from_lineage(incident.id, ACTOR, sources[-1:], STANDARD_ITEMS)
    return incident


def run_demo_incident(platform: Platform, persons: int) -> tuple[Incident, list[Path]]:
    """Leak a demo export, walk it through all six steps, and write its report and notice."""
    from mamori.bootstrap import incident_service
    from mamori.documents.render import to_html, to_pdf
    from mamori.domain.calendar import jst_date
    from mamori.domain.incidents.report import ReportKind, build_notice, build_report

    folder = platform.settings.home / "incidents" / "demo"
    leaked = leaked_export(platform, folder / "leaked-export.csv", persons)
    service = incident_service(platform, lineage_of(leaked))
    incident = walk_through(service, leaked)
    today = jst_date(service.clock.now())
    written = []
    for kind in ReportKind:
        document = build_report(incident, kind, today)
        for suffix, data in (("pdf", to_pdf(document)), ("html", to_html(document).encode("utf-8"))):
            target = folder / f"{incident.id}-report-{kind}.{suffix}"
            target.write_bytes(data)
            written.append(target)
    notice = folder / f"{incident.id}-notice.html"
    notice.write_text(to_html(build_notice(incident, today)), encoding="utf-8")
    written.append(notice)
    open_for_the_console(platform)
    return incident, written
