"""A tiny portal world: two adult members, a minor with a guardian, staff, and the demo's terms."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mamori.bootstrap import build, build_portal
from mamori.domain.consent import ConsentAction, ConsentEvent
from mamori.domain.subjects import Subject
from mamori.services.consent import publish_terms, record_choice, register_purpose, register_subjects
from mamori.services.portal_ports import Account, Role
from mamori.settings import Settings
from mamori.web.app import create_app
from mamori.web.context import WebContext
from tests.web.catalogue import PURPOSES, TERMS

ALICE, BOB, KID = "M-ALICE", "M-BOB", "M-KID"
EMAILS = {
    ALICE: "alice@example.com",
    BOB: "bob@example.com",
    "officer": "officer@example.com",
    "operator": "operator@example.com",
    "auditor": "auditor@example.com",
}
XSS_ID = "M-<script>alert(1)</script>"


class MovableClock:
    """A clock the test can move forward (to expire sessions and codes)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        """Return the real time plus the offset."""
        return datetime.now(UTC) + self.offset


@dataclass
class World:
    """The app and what the tests need to reach into."""

    app: FastAPI
    clock: MovableClock

    @property
    def ctx(self) -> WebContext:
        """Return the app's wiring."""
        ctx: WebContext = self.app.state.ctx
        return ctx


def seed(home: Path) -> None:
    """Write the world into a fresh ledger under `home`."""
    platform = build(Settings(home=home, database_url=f"sqlite:///{home / 'ledger.sqlite3'}"))
    ledger = platform.ledger
    for purpose in PURPOSES:
        register_purpose(ledger, purpose, "test")
    for terms in TERMS:
        publish_terms(ledger, terms, "test")
    people = [
        Subject(ALICE, date(1980, 1, 1)),
        Subject(BOB, date(1985, 5, 5)),
        Subject(KID, date(2015, 3, 3), guardian=ALICE),
        Subject(XSS_ID, date(1990, 1, 1)),
    ]
    register_subjects(ledger, people, "test")
    # Alice answered under the 2019 terms only: the 2021 terms added two purposes she never saw.
    record_choice(
        ledger,
        ConsentEvent(ALICE, "analysis", ConsentAction.GRANT, datetime(2020, 1, 1, tzinfo=UTC), "2019-04"),
        "test",
    )
    store = build_portal(platform).store
    store.add_accounts(
        [
            Account(EMAILS[ALICE], Role.MEMBER, ALICE),
            Account(EMAILS[BOB], Role.MEMBER, BOB),
            Account("xss@example.com", Role.MEMBER, XSS_ID),
            Account(EMAILS["officer"], Role.PRIVACY_OFFICER),
            Account(EMAILS["operator"], Role.OPERATOR),
            Account(EMAILS["auditor"], Role.AUDITOR),
        ],
        "test",
    )
    platform.ledger.engine.dispose()


def make_world(home: Path) -> World:
    """Seed a world and create the app over it, with a clock the test controls."""
    seed(home)
    app = create_app(Settings(home=home, database_url=f"sqlite:///{home / 'ledger.sqlite3'}"))
    clock = MovableClock()
    ctx: WebContext = app.state.ctx
    ctx.platform = dataclasses.replace(ctx.platform, clock=clock)  # type: ignore[arg-type]
    return World(app, clock)


def csrf_of(html: str) -> str:
    """Return the CSRF token in a page's forms."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def last_code(world: World, email: str) -> str:
    """Return the newest sign-in code mailed to an address (from the outbox)."""
    for mail in world.ctx.portal.store.mails():
        if mail.to == email:
            found = re.search(r"(\d{6})", mail.body)
            assert found
            return found.group(1)
    raise AssertionError(f"no mail to {email}")


def sign_in(world: World, client: TestClient, email: str) -> None:
    """Sign a client in through the real forms (code from the outbox)."""
    page = client.get("/signin")
    client.post("/signin", data={"email": email, "csrf": csrf_of(page.text)})
    page = client.get("/signin")
    response = client.post(
        "/signin/code",
        data={"email": email, "code": last_code(world, email), "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
