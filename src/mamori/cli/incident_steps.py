"""`mamori incident <step command>`: record what each of the six steps needs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from mamori.cli.console import emit_json, err
from mamori.cli.incident_support import (
    Actor,
    AsJson,
    IncidentId,
    actor_name,
    incident_app,
    parse_instant,
    print_view,
    service,
    view_json,
)
from mamori.domain.incidents.classification import Audience, FirstAid, Inquiry
from mamori.domain.incidents.events import (
    AfterActionRecorded,
    ContainmentRecorded,
    FindingRecorded,
    FirstAidDone,
    HelpDeskOpened,
    IncidentEvent,
    NotificationTaskDone,
    NotificationTaskOpened,
    OfficerNotified,
    RecoveryConfirmed,
    SecondaryDamageAssessed,
    TeamMemberAssigned,
    TimelineEntryAdded,
)
from mamori.domain.incidents.state import AFTER_ACTION_FIELDS
from mamori.errors import InputError
from mamori.i18n import t

When = Annotated[str | None, typer.Option("--at", help="日時 ISO 8601（既定: 今）/ when (default: now)")]


def _record(
    incident_id: str, actor: str | None, kind: type[IncidentEvent], as_json: bool, **fields: Any
) -> None:
    svc = service()
    svc.record(incident_id, actor_name(actor), kind, **fields)
    view = svc.view(incident_id)
    if as_json:
        emit_json(view_json(view))
    else:
        err.print(t(f"記録しました: {kind.name}", f"recorded: {kind.name}"))
        print_view(view)


def _now_or(text: str | None, name: str) -> Any:
    return parse_instant(text, name) or service().clock.now()


@incident_app.command("officer-told")
def officer_told(
    incident_id: IncidentId,
    officer: Annotated[str, typer.Option(help="管理者 / officer")],
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 1: record that the privacy officer was told. / 個人情報保護管理者へ報告した。"""
    _record(incident_id, actor, OfficerNotified, as_json, officer=officer)


@incident_app.command("team")
def team(
    incident_id: IncidentId,
    role: Annotated[str, typer.Option(help="役割（責任者、広報、技術…）/ role")],
    person: Annotated[str, typer.Option(help="担当者 / person")],
    contact: Annotated[str, typer.Option(help="連絡先 / contact")],
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 2a: put someone on the response team. / 対応体制に役割と担当者を加える。"""
    _record(incident_id, actor, TeamMemberAssigned, as_json, role=role, person=person, contact=contact)


@incident_app.command("first-aid")
def first_aid(
    incident_id: IncidentId,
    action: Annotated[FirstAid, typer.Option(help="応急措置 / action")],
    by: Annotated[str, typer.Option("--by", help="実施者 / who did it")],
    at: When = None,
    note: Annotated[str, typer.Option(help="補足 / note")] = "",
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 2b: record a first-aid action with who and when. / 応急措置（誰が・いつ）を記録する。"""
    _record(
        incident_id,
        actor,
        FirstAidDone,
        as_json,
        action=action,
        done_by=by,
        done_at=_now_or(at, "at"),
        note=note,
    )


@incident_app.command("finding")
def finding(
    incident_id: IncidentId,
    question: Annotated[Inquiry, typer.Option(help="5W1H の問い / which of the 5W1H")],
    answer: Annotated[str, typer.Option(help="調査結果 / what was found")],
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 3: answer one of when, where, who, what, why, how. / 5W1H の調査結果を記録する。"""
    _record(incident_id, actor, FindingRecorded, as_json, question=question, answer=answer)


@incident_app.command("timeline")
def timeline(
    incident_id: IncidentId,
    text: Annotated[str, typer.Option(help="出来事 / what happened")],
    at: When = None,
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 3: place something on the timeline. / 時系列に出来事を加える。"""
    _record(incident_id, actor, TimelineEntryAdded, as_json, occurred_at=_now_or(at, "at"), text=text)


@incident_app.command("evidence")
def evidence(
    incident_id: IncidentId,
    file: Annotated[Path, typer.Argument(help="証拠ファイル / evidence file", exists=True, dir_okay=False)],
    description: Annotated[str, typer.Option(help="説明 / description")] = "",
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 3: store an evidence file read-only and record its SHA-256. / 証拠を保全しハッシュを記録する。"""
    svc = service()
    svc.attach_evidence(incident_id, actor_name(actor), file.name, file.read_bytes(), description)
    view = svc.view(incident_id)
    emit_json(view_json(view)) if as_json else print_view(view)


@incident_app.command("secondary-damage")
def secondary_damage(
    incident_id: IncidentId,
    text: Annotated[str, typer.Option(help="二次被害又はそのおそれ / secondary damage or its risk")],
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 3: record secondary damage or its risk (report item 5). / 二次被害の有無と内容。"""
    _record(incident_id, actor, SecondaryDamageAssessed, as_json, text=text)


@incident_app.command("task")
def task(
    incident_id: IncidentId,
    audience: Annotated[Audience, typer.Option(help="通知先 / who must be told")],
    description: Annotated[str, typer.Option(help="内容 / what")],
    due: Annotated[str | None, typer.Option(help="期限 ISO 8601 / due")] = None,
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 4: open a notification task (persons, partners, PPC, police, regulators). / 通知タスクを開始する。"""
    _record(
        incident_id,
        actor,
        NotificationTaskOpened,
        as_json,
        audience=audience,
        description=description,
        due=parse_instant(due, "due"),
    )


@incident_app.command("task-done")
def task_done(
    incident_id: IncidentId,
    audience: Annotated[Audience, typer.Option(help="通知先 / audience")],
    reference: Annotated[str, typer.Option(help="受付番号・文書番号等 / receipt or reference")] = "",
    at: When = None,
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 4: record that a notification was made. / 通知・報告・公表を実施した。"""
    _record(
        incident_id,
        actor,
        NotificationTaskDone,
        as_json,
        audience=audience,
        done_at=_now_or(at, "at"),
        reference=reference,
    )


@incident_app.command("contain")
def contain(
    incident_id: IncidentId,
    measure: Annotated[str, typer.Option(help="措置 / measure")],
    at: When = None,
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 5: record a containment or recovery measure. / 抑制・復旧の措置を記録する。"""
    _record(incident_id, actor, ContainmentRecorded, as_json, measure=measure, done_at=_now_or(at, "at"))


@incident_app.command("help-desk")
def help_desk(
    incident_id: IncidentId,
    contact: Annotated[str, typer.Option(help="電話・メール / phone or email")],
    hours: Annotated[str, typer.Option(help="受付時間 / hours")],
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 5: open the help desk for affected people. / 本人向けの問合せ窓口を開設する。"""
    _record(incident_id, actor, HelpDeskOpened, as_json, contact=contact, hours=hours)


@incident_app.command("recovered")
def recovered(
    incident_id: IncidentId,
    note: Annotated[str, typer.Option(help="復旧の状況 / how it was recovered")],
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 5: confirm recovery. / 復旧を確認する。"""
    _record(incident_id, actor, RecoveryConfirmed, as_json, note=note)


@incident_app.command("after-action")
def after_action(
    incident_id: IncidentId,
    field: Annotated[str, typer.Option(help=", ".join(AFTER_ACTION_FIELDS))],
    text: Annotated[str, typer.Option(help="内容 / text")],
    actor: Actor = None,
    as_json: AsJson = False,
) -> None:
    """Step 6: root cause, measures against recurrence, apology, compensation, lessons. / 事後対応。"""
    if field not in AFTER_ACTION_FIELDS:
        raise InputError(
            f"項目は {', '.join(AFTER_ACTION_FIELDS)} のいずれかです",
            f"field is one of {', '.join(AFTER_ACTION_FIELDS)}",
            field="field",
        )
    _record(incident_id, actor, AfterActionRecorded, as_json, field=field, text=text)
