"""What the `mamori incident` commands share: the command group, wiring, and how a view prints."""

from __future__ import annotations

import getpass
import os
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from mamori.cli.console import out
from mamori.domain.calendar import JST, as_jst
from mamori.domain.incidents.deadlines import Countdown, Urgency
from mamori.domain.incidents.labels import CAUSE_LABELS, EVENT_LABELS, ROUTE_LABELS
from mamori.errors import InputError
from mamori.i18n import current_lang, t

if TYPE_CHECKING:
    from mamori.services.incidents.ports import LineageReader
    from mamori.services.incidents.usecases import IncidentService, IncidentView


incident_app = typer.Typer(
    help="漏えい等事案の対応（6段階）と委員会への報告 / incident response in six steps and the PPC report",
    no_args_is_help=True,
)

ACTOR_HELP = "操作者（既定: $MAMORI_ACTOR 又はログイン名）/ who acts (default: $MAMORI_ACTOR or login)"
JSON_HELP = "JSON を1つ標準出力へ / one JSON document on stdout"
Actor = Annotated[str | None, typer.Option("--actor", help=ACTOR_HELP)]
AsJson = Annotated[bool, typer.Option("--json", help=JSON_HELP)]
IncidentId = Annotated[str, typer.Argument(help="事案番号 / incident id (INC-YYYY-NNNN)")]


def actor_name(given: str | None) -> str:
    """Return who is acting: the option, else $MAMORI_ACTOR, else the login name."""
    return given or os.environ.get("MAMORI_ACTOR") or getpass.getuser()


def service(lineage: LineageReader | None = None, *, provisions: bool = False) -> IncidentService:
    """Wire the incident use cases for this command (see bootstrap.incident_service)."""
    from mamori.bootstrap import build, incident_service

    return incident_service(build(), lineage, provisions=provisions)


def parse_instant(text: str | None, name: str) -> datetime | None:
    """Read an ISO 8601 instant (a naive one is JST, the legal calendar)."""
    if text is None:
        return None
    try:
        return as_jst(datetime.fromisoformat(text))
    except ValueError:
        raise InputError(
            "日時は ISO 8601 で指定してください", "use ISO 8601 for instants", field=name
        ) from None


def _label(pair: tuple[str, str]) -> str:
    return pair[1] if current_lang() == "en" else pair[0]


_COLOURS = {
    Urgency.DONE: "green",
    Urgency.OK: "white",
    Urgency.DUE_SOON: "yellow",
    Urgency.DUE_TODAY: "bold yellow",
    Urgency.OVERDUE: "bold red",
}


def countdown_text(c: Countdown) -> str:
    """Say how long is left before a deadline, in the user's language."""
    name = t("速報", "preliminary report") if c.audience == "ppc_preliminary" else t("確報", "final report")
    match c.urgency:
        case Urgency.DONE:
            rest = t("提出済み", "submitted")
        case Urgency.OVERDUE:
            rest = t(f"{-c.days_left}日超過", f"{-c.days_left} day(s) overdue")
        case Urgency.DUE_TODAY:
            rest = t("本日が期限", "due today")
        case _:
            rest = t(f"残り{c.days_left}日", f"{c.days_left} day(s) left")
    return f"{name} {c.due.isoformat()} — {rest} [{c.rule}]"


def view_json(view: IncidentView) -> dict[str, Any]:
    """Return an incident view as one JSON-ready document."""
    from mamori.services.incidents.codec import facts_payload

    inc, decision = view.incident, view.assessment

    def iso(day: date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "id": inc.id,
        "title": inc.title,
        "step": inc.step.value,
        "step_number": inc.step.number,
        "organisation": inc.organisation,
        "facts": facts_payload(inc.facts),
        "route": inc.route.value,
        "reportable_since": inc.reportable_since.isoformat() if inc.reportable_since else None,
        "assessment": {
            "reportable": decision.reportable,
            "categories": list(decision.categories),
            "preliminary_due": iso(decision.preliminary_due),
            "final_due": iso(decision.final_due),
            "notify_subjects": decision.notify_subjects,
            "rules": list(decision.rules),
        },
        "countdowns": [
            {
                "audience": c.audience.value,
                "due": c.due.isoformat(),
                "days_left": c.days_left,
                "urgency": c.urgency.value,
                "rule": c.rule,
            }
            for c in view.countdowns
        ],
        "missing": [{"field": m.field, "ja": m.ja, "en": m.en, "rules": list(m.rules)} for m in view.missing],
        "tasks": {
            a.value: {
                "due": task.due.isoformat() if task.due else None,
                "done_at": task.done_at.isoformat() if task.done_at else None,
            }
            for a, task in inc.tasks.items()
        },
        "team": [{"role": m.role, "person": m.person, "contact": m.contact} for m in inc.team],
        "evidence": [{"filename": e.filename, "sha256": e.sha256, "size": e.size} for e in inc.evidence],
        "closed_at": inc.closed_at.isoformat() if inc.closed_at else None,
    }


def print_view(view: IncidentView) -> None:
    """Print an incident for a person: step, decision, countdowns, what is missing."""
    inc, decision = view.incident, view.assessment
    out.print(f"[bold]{escape(inc.id)}[/bold] {escape(inc.title)}")
    out.print(
        t(f"段階: {inc.step.number}. {inc.step.label[0]}", f"step: {inc.step.number}. {inc.step.label[1]}")
    )
    facts = inc.facts
    out.print(
        escape(
            t(
                f"事象: {_label(EVENT_LABELS[facts.event])}{'のおそれ' if facts.suspected else ''} / 原因: {_label(CAUSE_LABELS[facts.cause])} / 経路: {_label(ROUTE_LABELS[inc.route])} / 本人の数: {facts.persons:,}",
                f"event: {'possible ' if facts.suspected else ''}{_label(EVENT_LABELS[facts.event])} / cause: {_label(CAUSE_LABELS[facts.cause])} / route: {_label(ROUTE_LABELS[inc.route])} / persons: {facts.persons:,}",
            )
        )
    )
    verdict = t("報告対象", "reportable") if decision.reportable else t("報告対象外", "not reportable")
    out.print(f"{verdict} {list(decision.categories) or ''} [{', '.join(decision.rules)}]")
    for c in view.countdowns:
        out.print(f"[{_COLOURS[c.urgency]}]{escape(countdown_text(c))}[/]")
    if inc.tasks:
        table = Table(t("通知タスク", "notification tasks"), t("期限", "due"), t("状況", "status"))
        for task in inc.tasks.values():
            status = (
                task.done_at.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")
                if task.done_at
                else t("未了", "pending")
            )
            table.add_row(task.audience.value, task.due.date().isoformat() if task.due else "-", status)
        out.print(table)
    if view.missing:
        out.print(t("この段階を完了するのに必要な項目:", "to close this step, fill in:"))
        for m in view.missing:
            rules = f" [{', '.join(m.rules)}]" if m.rules else ""
            out.print(f"  - {escape(_label((m.ja, m.en)))} ({m.field}){rules}")
