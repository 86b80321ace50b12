"""Security: members and partners see only their own, CSRF everywhere, escaping, expiry, rate limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from mamori.services.partners import issue_key
from mamori.web.routes import auth, consents, console, home, records, requests
from tests.web.world import ALICE, EMAILS, KID, XSS_ID, World, csrf_of, last_code, sign_in

MEMBER_GETS = (
    "/consents",
    "/requests",
    "/received",
    "/scores",
    "/requests/disclosure.json",
    "/requests/disclosure.csv",
)


@pytest.mark.parametrize("path", MEMBER_GETS)
@pytest.mark.parametrize("other", [ALICE, KID, "M-NOBODY"])
def test_member_cannot_read_another_members_data(bob: TestClient, path: str, other: str) -> None:
    response = bob.get(f"{path}?for={other}")
    assert response.status_code == 404
    assert "subject_id" not in response.text and "同意しています" not in response.text


def test_member_cannot_change_another_members_consents_or_requests(
    world: World, alice: TestClient, bob: TestClient
) -> None:
    token = csrf_of(bob.get("/consents").text)
    for other in (ALICE, KID):
        response = bob.post(
            f"/consents?for={other}", data={"purpose": "analysis", "choice": "grant", "csrf": token}
        )
        assert response.status_code == 404
        response = bob.post(f"/requests?for={other}", data={"kind": "deletion", "csrf": token})
        assert response.status_code == 404
    assert world.ctx.platform.ledger.events_for(KID) == []
    # Alice's own request cannot be withdrawn by Bob, even knowing its id.
    alice.post("/requests", data={"kind": "deletion", "csrf": csrf_of(alice.get("/requests").text)})
    (request,) = world.ctx.portal.store.requests(ALICE)
    assert bob.post(f"/requests/{request.id}/withdraw", data={"csrf": token}).status_code == 404
    assert world.ctx.portal.store.request(request.id).status.value == "received"  # type: ignore[union-attr]


def test_member_cannot_open_the_console(bob: TestClient) -> None:
    assert bob.get("/console").status_code == 403
    assert bob.get("/console/outbox").status_code == 403


def _post_routes(world: World) -> list[str]:
    paths = []
    for module in (auth, consents, requests, records, console, home):
        for route in module.router.routes:
            if isinstance(route, APIRoute) and "POST" in route.methods:
                paths.append(route.path.replace("{request_id}", "R-x"))
    return sorted(paths)


def test_every_state_changing_form_needs_the_csrf_token(
    world: World, officer: TestClient, alice: TestClient
) -> None:
    posts = _post_routes(world)
    assert len(posts) >= 10
    for client in (officer, alice):
        for path in posts:
            for token in (None, "forged"):
                data = {"csrf": token} if token else {}
                response = client.post(path, data=data, follow_redirects=False)
                assert response.status_code == 403, (path, token, response.status_code)


def test_anonymous_sign_in_form_needs_the_csrf_cookie(anon: TestClient) -> None:
    assert anon.post("/signin", data={"email": "alice@example.com"}).status_code == 403
    other = TestClient(anon.app)
    token = csrf_of(other.get("/signin").text)
    assert anon.post("/signin", data={"email": "alice@example.com", "csrf": token}).status_code == 403


def test_script_in_names_and_japanese_text_is_escaped(world: World, officer: TestClient) -> None:
    member = TestClient(world.app)
    sign_in(world, member, "xss@example.com")
    token = csrf_of(member.get("/requests").text)
    detail = "氏名の訂正：<script>alert('山田')</script>"
    member.post("/requests", data={"kind": "correction", "detail": detail, "csrf": token})
    page = officer.get("/console/requests").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the subject id
    assert "氏名の訂正：&lt;script&gt;" in page  # Japanese text kept, markup escaped
    assert XSS_ID in member.get("/requests/disclosure.json").json()["profile"]["subject_id"]


def test_sessions_expire(world: World, alice: TestClient) -> None:
    assert alice.get("/consents", follow_redirects=False).status_code == 200
    world.clock.offset = timedelta(hours=3)
    response = alice.get("/consents", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/signin"


def test_sign_out_ends_the_session(alice: TestClient) -> None:
    token = csrf_of(alice.get("/consents").text)
    alice.post("/signout", data={"csrf": token})
    assert alice.get("/consents", follow_redirects=False).status_code == 303


def test_session_cookie_is_http_only(world: World, anon: TestClient) -> None:
    sign_in(world, anon, EMAILS[ALICE])
    page = anon.get("/signin")
    token = csrf_of(page.text)
    anon.post("/signin", data={"email": EMAILS[ALICE], "csrf": token})
    response = anon.post(
        "/signin/code",
        data={"email": EMAILS[ALICE], "code": last_code(world, EMAILS[ALICE]), "csrf": token},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_sign_in_is_rate_limited(anon: TestClient) -> None:
    token = csrf_of(anon.get("/signin").text)
    codes = [
        anon.post("/signin", data={"email": "bob@example.com", "csrf": token}).status_code for _ in range(6)
    ]
    assert codes == [200] * 5 + [429]


def test_a_code_dies_after_five_wrong_guesses(world: World, anon: TestClient) -> None:
    token = csrf_of(anon.get("/signin").text)
    anon.post("/signin", data={"email": "bob@example.com", "csrf": token})
    good = last_code(world, "bob@example.com")
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(5):
        assert (
            anon.post(
                "/signin/code", data={"email": "bob@example.com", "code": wrong, "csrf": token}
            ).status_code
            == 400
        )
    response = anon.post("/signin/code", data={"email": "bob@example.com", "code": good, "csrf": token})
    assert response.status_code == 400


def test_unknown_address_gets_the_same_answer_and_no_mail(world: World, anon: TestClient) -> None:
    token = csrf_of(anon.get("/signin").text)
    response = anon.post("/signin", data={"email": "stranger@example.com", "csrf": token})
    assert response.status_code == 200
    assert all(m.to != "stranger@example.com" for m in world.ctx.portal.store.mails())


def test_partner_key_never_reads_another_partners_requests(world: World) -> None:
    store, now = world.ctx.portal.store, datetime.now(UTC)
    scopes = frozenset({"requests:read", "requests:write"})
    key_a = issue_key(store, "adco", scopes, "test", now)
    key_b = issue_key(store, "otherco", scopes, "test", now)
    client = TestClient(world.app)
    made = client.post(
        "/api/v1/requests",
        json={"purpose": "provide_ads", "description": "週次の集計"},
        headers={"X-API-Key": key_a},
    )
    assert made.status_code == 201
    request_id = made.json()["id"]
    assert client.get(f"/api/v1/requests/{request_id}", headers={"X-API-Key": key_a}).status_code == 200
    assert client.get(f"/api/v1/requests/{request_id}", headers={"X-API-Key": key_b}).status_code == 404
    assert client.get("/api/v1/requests", headers={"X-API-Key": key_b}).json() == []
    assert client.get("/api/v1/requests", headers={"X-API-Key": "mk_wrong"}).status_code == 401
    # Only hashes are stored.
    with world.ctx.platform.ledger.engine.connect() as c:
        stored = [r[0] for r in c.exec_driver_sql("SELECT key_hash FROM api_keys")]
    assert key_a not in stored and len(stored) == 2


def test_partner_key_scopes_are_enforced(world: World) -> None:
    reader = issue_key(
        world.ctx.portal.store, "adco", frozenset({"requests:read"}), "test", datetime.now(UTC)
    )
    response = TestClient(world.app).post(
        "/api/v1/requests", json={"purpose": "provide_ads", "description": "x"}, headers={"X-API-Key": reader}
    )
    assert response.status_code == 403
