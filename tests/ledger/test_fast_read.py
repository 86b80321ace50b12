"""The hot reads (session, subject, catalogue stamp) give what the ORM-free path promises."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from mamori.bootstrap import build_portal
from mamori.domain.subjects import Subject
from mamori.services.portal_ports import Account, Role
from tests.ledger.world import MakePlatform, seed


def test_session_and_subject_lookups_convert_values_on_each_database(
    database_url: str, make_platform: MakePlatform
) -> None:
    platform = make_platform(database_url)
    seed(platform)
    store = build_portal(platform).store
    store.add_accounts([Account("hanako@example.com", Role.MEMBER, "hanako")], "operator")
    expires = datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    store.add_session("h" * 64, "hanako@example.com", "csrf-token", expires - timedelta(hours=2), expires)
    found = store.session("h" * 64)
    assert found is not None
    session, account = found
    assert (session.email, session.csrf, session.expires_at) == ("hanako@example.com", "csrf-token", expires)
    assert account == Account("hanako@example.com", Role.MEMBER, "hanako")
    assert store.session("x" * 64) is None
    assert platform.ledger.subject("ken") == Subject("ken", date(2012, 6, 1), guardian="mother")
    assert platform.ledger.subject("nobody") is None
