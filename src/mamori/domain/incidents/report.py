"""The PPC report's nine items (PPC-RULE-8-3) and the notice to the persons (APPI-26-2).

Built from the incident as recorded; what is not yet known says so ("調査中"), because a
preliminary report carries what is known at that point and is supplemented later (Rule 8).
The notice to the persons carries only items 1, 2, 4, 5 and 9 (Rule 10): never the count,
the state of other notices, publication or the internal measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from mamori.domain.calendar import jst_date
from mamori.domain.config import DEFAULT_CONFIG, PolicyConfig
from mamori.domain.incidents.classification import Audience, Inquiry
from mamori.domain.incidents.labels import CATEGORY_LABELS, CAUSE_LABELS, EVENT_LABELS, ROUTE_LABELS
from mamori.domain.incidents.state import Incident, Task
from mamori.domain.items import STANDARD_ITEMS

UNKNOWN = ("調査中", "under investigation")
NOTICE_ITEMS = (1, 2, 4, 5, 9)  # Rule 10: what a notice to the persons may carry


class ReportKind(StrEnum):
    """速報 (PPC-RULE-8-1) or 確報 (PPC-RULE-8-2)."""

    PRELIMINARY = "preliminary"
    FINAL = "final"


@dataclass(frozen=True, slots=True)
class ReportItem:
    """One of the nine items, in Japanese and English (one line per entry)."""

    number: int
    key: str
    title_ja: str
    title_en: str
    lines_ja: tuple[str, ...]
    lines_en: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reporter:
    """Who reports: the business, its address and representative, and whom the PPC may call."""

    business: str = ""
    address: str = ""
    representative: str = ""
    contact: str = ""  # person, department, phone or email


@dataclass(frozen=True, slots=True)
class PpcReport:
    """The report to the PPC (漏えい等報告), with the rule ids behind its duty and form."""

    incident_id: str
    kind: ReportKind
    organisation: str
    prepared_on: date
    reportable: bool
    categories: tuple[int, ...]
    rules: tuple[str, ...]
    items: tuple[ReportItem, ...]
    reporter: Reporter = Reporter()
    addressee: str = "個人情報保護委員会 御中 / To the Personal Information Protection Commission"


@dataclass(frozen=True, slots=True)
class SubjectNotice:
    """The notice to an affected person: items 1, 2, 4, 5 and 9 only (APPI-26-2, Rule 10)."""

    incident_id: str
    organisation: str
    prepared_on: date
    items: tuple[ReportItem, ...]
    rules: tuple[str, ...] = ("APPI-26-2",)


def _when(at: datetime | None) -> str:
    return jst_date(at).isoformat() if at else UNKNOWN[0]


def _finding(incident: Incident, question: Inquiry) -> str:
    return incident.findings.get(question, "").strip()


def _task_line(task: Task | None) -> tuple[str, str]:
    if task is None:
        return "予定なし", "not planned"
    if task.done_at is not None:
        ref = f" ({task.reference})" if task.reference else ""
        return f"実施済み {_when(task.done_at)}{ref}", f"done {_when(task.done_at)}{ref}"
    due = f"（期限 {_when(task.due)}）" if task.due else ""
    due_en = f" (due {_when(task.due)})" if task.due else ""
    return f"未了{due}", f"pending{due_en}"


def _item(number: int, key: str, titles: tuple[str, str], ja: list[str], en: list[str]) -> ReportItem:
    return ReportItem(
        number, key, titles[0], titles[1], tuple(ja) or (UNKNOWN[0],), tuple(en) or (UNKNOWN[1],)
    )


def _overview(inc: Incident, categories: tuple[int, ...], with_timeline: bool) -> ReportItem:
    event_ja, event_en = EVENT_LABELS[inc.facts.event]
    if inc.facts.suspected:
        event_ja, event_en = f"{event_ja}のおそれ", f"possible {event_en}"
    occurred = _finding(inc, Inquiry.WHEN) or UNKNOWN[0]
    ja = [
        f"事象: {event_ja}",
        f"発生日時: {occurred}",
        f"発覚日: {_when(inc.facts.aware_at)}",
        f"概要: {inc.summary}",
    ]
    en = [
        f"event: {event_en}",
        f"occurred: {occurred}",
        f"discovered: {_when(inc.facts.aware_at)}",
        f"summary: {inc.summary}",
    ]
    if with_timeline:
        ja.insert(3, f"発見者: {inc.discovered_by}")
        en.insert(3, f"found by: {inc.discovered_by}")
        for c in categories:
            ja.append(f"報告対象事態: 規則第7条第{c}号 {CATEGORY_LABELS[c][0]}")
            en.append(f"reportable under Rule 7 item {c}: {CATEGORY_LABELS[c][1]}")
        for entry in inc.timeline:
            ja.append(f"経緯 {entry.occurred_at.isoformat()}: {entry.text}")
            en.append(f"timeline {entry.occurred_at.isoformat()}: {entry.text}")
    return _item(1, "overview", ("概要", "overview"), ja, en)


def _named(item: str, lang: str) -> str:
    known = STANDARD_ITEMS.get(item)
    label = (known.label_en if lang == "en" else known.label_ja) if known else ""
    if not label or label == item:
        return item
    return f"{label}（{item}）" if lang == "ja" else f"{label} ({item})"


def _items(inc: Incident, only: tuple[str, ...] | None = None) -> ReportItem:
    where = _finding(inc, Inquiry.WHERE)
    shown = inc.facts.items if only is None else only
    # Plain names first (a notice must be understood by the person), the code kept for the record.
    ja = [f"項目: {'、'.join(_named(i, 'ja') for i in shown)}"] if shown else []
    en = [f"items: {', '.join(_named(i, 'en') for i in shown)}"] if shown else []
    if inc.facts.sensitive and only is None:
        ja.append("要配慮個人情報を含む")
        en.append("includes sensitive personal information")
    if where:
        ja.append(f"媒体・所在: {where}")
        en.append(f"medium / location: {where}")
    return _item(
        2, "items", ("漏えい等が発生し、又は発生したおそれがある個人データの項目", "data items"), ja, en
    )


def _persons(inc: Incident) -> ReportItem:
    n = inc.facts.persons
    suffix_ja, suffix_en = (
        ("（おそれを含む最大数）", " (possible maximum)") if inc.facts.suspected else ("", "")
    )
    return _item(
        3, "persons", ("本人の数", "number of persons"), [f"{n:,}人{suffix_ja}"], [f"{n:,}{suffix_en}"]
    )


def _cause(inc: Incident) -> ReportItem:
    cause_ja, cause_en = CAUSE_LABELS[inc.facts.cause]
    route_ja, route_en = ROUTE_LABELS[inc.route]
    ja, en = (
        [f"原因の区分: {cause_ja}", f"侵入・流出経路: {route_ja}"],
        [f"cause: {cause_en}", f"route: {route_en}"],
    )
    for question, label in ((Inquiry.WHY, ("理由", "why")), (Inquiry.HOW, ("手口・経緯", "how"))):
        if text := _finding(inc, question):
            ja.append(f"{label[0]}: {text}")
            en.append(f"{label[1]}: {text}")
    if root := inc.after_action.get("root_cause", "").strip():
        ja.append(f"根本原因: {root}")
        en.append(f"root cause: {root}")
    return _item(4, "cause", ("原因", "cause"), ja, en)


def _secondary(inc: Incident) -> ReportItem:
    text = inc.secondary_damage.strip()
    return _item(
        5,
        "secondary_damage",
        ("二次被害又はそのおそれの有無及びその内容", "secondary damage"),
        [text] if text else [],
        [text] if text else [],
    )


def _response(inc: Incident) -> ReportItem:
    ja_task, en_task = _task_line(inc.tasks.get(Audience.SUBJECTS))
    ja, en = [f"本人への通知: {ja_task}"], [f"notice to persons: {en_task}"]
    if inc.help_desk:
        ja.append(f"問合せ窓口: {inc.help_desk}")
        en.append(f"help desk: {inc.help_desk}")
    return _item(6, "response_to_persons", ("本人への対応の実施状況", "response to the persons"), ja, en)


def _publication(inc: Incident) -> ReportItem:
    ja, en = _task_line(inc.tasks.get(Audience.PUBLICATION))
    return _item(7, "publication", ("公表の実施状況", "publication"), [ja], [en])


def _prevention(inc: Incident) -> ReportItem:
    ja, en = [], []
    for measure, at in inc.containment:
        ja.append(f"実施済み {_when(at)}: {measure}")
        en.append(f"done {_when(at)}: {measure}")
    for key, (label_ja, label_en) in (
        ("recurrence_done", ("実施済み", "done")),
        ("recurrence_planned", ("今後の予定", "planned")),
    ):
        if text := inc.after_action.get(key, "").strip():
            ja.append(f"{label_ja}: {text}")
            en.append(f"{label_en}: {text}")
    return _item(8, "prevention", ("再発防止のための措置", "measures against recurrence"), ja, en)


def _other(inc: Incident, for_subjects: bool, facts_financial: bool) -> ReportItem:
    ja, en = [], []
    if for_subjects:
        # Rule 10 item 9 in a notice: what the person can do to protect themselves.
        ja.append(
            "不審な電話・メール・郵便物にご注意ください。当社から暗証番号やパスワードをお尋ねすることはありません。"
        )
        en.append(
            "Beware of suspicious calls, emails or letters; we will never ask for your PIN or password."
        )
        if facts_financial:
            ja.append("カードの利用明細をご確認のうえ、身に覚えのない請求はカード会社へご連絡ください。")
            en.append(
                "Check your card statements and report any charge you do not recognise to your card issuer."
            )
        if inc.help_desk:
            ja.append(f"お問合せ: {inc.help_desk}")
            en.append(f"Inquiries: {inc.help_desk}")
        return _item(9, "other", ("その他参考となる事項", "other"), ja, en)
    for audience, label in (
        (Audience.POLICE, ("警察への届出", "police")),
        (Audience.OTHER_REGULATOR, ("所管省庁等への報告", "other regulators")),
        (Audience.PARTNERS, ("取引先への連絡", "business partners")),
    ):
        status_ja, status_en = _task_line(inc.tasks.get(audience))
        ja.append(f"{label[0]}: {status_ja}")
        en.append(f"{label[1]}: {status_en}")
    if inc.evidence:
        ja.append(f"保全した証拠: {len(inc.evidence)}件（SHA-256 で特定）")
        en.append(f"evidence preserved: {len(inc.evidence)} file(s), identified by SHA-256")
    return _item(9, "other", ("その他参考となる事項", "other"), ja, en)


def build_report(
    incident: Incident,
    kind: ReportKind,
    prepared_on: date,
    config: PolicyConfig = DEFAULT_CONFIG,
    reporter: Reporter | None = None,
) -> PpcReport:
    """Fill the nine items of PPC-RULE-8-3 from the incident as recorded."""
    decision = incident.assessment(config)
    items = (
        _overview(incident, decision.categories, with_timeline=True),
        _items(incident),
        _persons(incident),
        _cause(incident),
        _secondary(incident),
        _response(incident),
        _publication(incident),
        _prevention(incident),
        _other(incident, for_subjects=False, facts_financial=incident.facts.financial),
    )
    rule = "PPC-RULE-8-1" if kind is ReportKind.PRELIMINARY else "PPC-RULE-8-2"
    return PpcReport(
        incident_id=incident.id,
        kind=kind,
        organisation=incident.organisation,
        prepared_on=prepared_on,
        reportable=decision.reportable,
        categories=decision.categories,
        rules=("PPC-RULE-8-3", rule, *decision.rules),
        items=items,
        reporter=reporter or Reporter(business=incident.organisation),
    )


def build_notice(
    incident: Incident, prepared_on: date, person_items: tuple[str, ...] | None = None
) -> SubjectNotice:
    """Draft the notice to the persons with items 1, 2, 4, 5 and 9 only (APPI-26-2, Rule 10).

    `person_items` narrows item 2 to the data items of one person (Rule 10: only what that
    person needs), as lineage knows them; without it the incident's items are listed.
    """
    items = (
        _overview(incident, (), with_timeline=False),
        _items(incident, person_items),
        _cause(incident),
        _secondary(incident),
        _other(incident, for_subjects=True, facts_financial=incident.facts.financial),
    )
    assert tuple(i.number for i in items) == NOTICE_ITEMS
    return SubjectNotice(incident.id, incident.organisation, prepared_on, items)
