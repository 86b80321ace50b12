"""The demo's portal step: sign-in emails for members (example.com) and the console's staff."""

from __future__ import annotations

from datetime import timedelta

import pyarrow.compute as pc

from mamori.bootstrap import Platform, build_portal
from mamori.domain.calendar import jst_date
from mamori.domain.data_requests import DataRequest, RequestKind, RequestStatus, due_date
from mamori.i18n import t
from mamori.services.portal_ports import Account, Role

STAFF = (
    Account("officer@example.com", Role.PRIVACY_OFFICER),
    Account("operator@example.com", Role.OPERATOR),
    Account("auditor@example.com", Role.AUDITOR),
)


def member_email(subject: str) -> str:
    """Return a demo member's sign-in address (the reserved example.com domain)."""
    return f"{subject.lower()}@example.com"


def add_portal_accounts(platform: Platform, actor: str) -> list[str]:
    """Give every member a sign-in email, add staff, file a few requests; return how-to lines."""
    ledger = platform.ledger
    store = build_portal(platform).store
    people = ledger.subjects_table()
    ids = people.column("id").to_pylist()
    store.add_accounts([Account(member_email(s), Role.MEMBER, s) for s in ids] + list(STAFF), actor)
    events = ledger.events_table()
    versions = [v.version for v in ledger.terms().versions]
    old_only: set[str] = set()
    if len(versions) >= 2:
        # Members who answered only under the previous terms: the portal asks them what changed.
        def answered(version: str) -> set[str]:
            return set(
                pc.unique(events.filter(pc.equal(events["terms_version"], version))["subject_id"]).to_pylist()
            )

        old_only = answered(versions[-2]) - answered(versions[-1])
    guardians = sorted({g for g in people.column("guardian_id").to_pylist() if g})
    now = platform.clock.now()
    example = min(old_only) if old_only else ids[0]
    guardian = guardians[0] if guardians else None
    # A few requests so that the console's queue has something to show, one of them overdue.
    for n, (kind, days_ago) in enumerate(((RequestKind.DISCLOSURE, 3), (RequestKind.STOP_PROVISION, 20))):
        received = jst_date(now - timedelta(days=days_ago))
        request = DataRequest(
            f"R-demo{n}", ids[n + 1], kind, RequestStatus.RECEIVED, received, due_date(received)
        )
        store.add_request(request, actor, now)
    lines = [
        t(
            f"ポータル：{member_email(example)} でサインイン（前の規約にだけ回答した会員：変更点だけを尋ねられます）",
            f"portal: sign in as {member_email(example)} (answered only the previous terms: sees what changed)",
        )
    ]
    if guardian:
        lines.append(
            t(
                f"ポータル：{member_email(guardian)} は保護者です（メニュー「保護者として」）",
                f"portal: {member_email(guardian)} is a guardian (menu: As a guardian)",
            )
        )
    lines.append(t("コンソール：", "console: ") + ", ".join(a.email for a in STAFF))
    lines.append(
        t(
            "サインインコードは送信メール（outbox）に届きます：別の端末で `mamori outbox` を実行して読みます",
            "sign-in codes land in the outbox: read them with `mamori outbox` in another terminal",
        )
    )
    return lines
