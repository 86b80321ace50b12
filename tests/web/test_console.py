"""The officer console: roles, the request queue, terms with a diff, coverage, audit status."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient

from mamori.domain.data_requests import DataRequest, RequestKind, RequestStatus, due_date
from tests.web.world import ALICE, EMAILS, World, csrf_of, sign_in


def _client(world: World, who: str) -> TestClient:
    client = TestClient(world.app)
    sign_in(world, client, EMAILS[who])
    return client


def _kinds(world: World) -> list[str]:
    return [e.kind for e in world.ctx.platform.ledger.audit_entries()]


def test_request_queue_warns_of_overdue_and_moves_by_the_transition_table(
    world: World, officer: TestClient
) -> None:
    old = date.today() - timedelta(days=30)
    request = DataRequest("R-old", ALICE, RequestKind.DELETION, RequestStatus.RECEIVED, old, due_date(old))
    world.ctx.portal.store.add_request(request, "test", world.clock.now())
    page = officer.get("/console/requests").text
    assert "期限超過" in page
    assert "1" in re.sub(r"\s", "", officer.get("/console").text.split("期限超過の請求")[0])[-20:]
    token = csrf_of(page)
    officer.post(
        "/console/requests/R-old", data={"status": "completed", "note": "消去しました", "csrf": token}
    )
    assert world.ctx.portal.store.request("R-old").status is RequestStatus.COMPLETED  # type: ignore[union-attr]
    assert "data-request-completed" in _kinds(world)
    # A completed request cannot be reopened: the lifecycle refuses.
    response = officer.post("/console/requests/R-old", data={"status": "in_progress", "csrf": token})
    assert response.status_code == 409


def test_auditor_reads_but_cannot_act(world: World) -> None:
    auditor = _client(world, "auditor")
    assert auditor.get("/console/requests").status_code == 200
    assert auditor.get("/console/outbox").status_code == 403
    token = csrf_of(auditor.get("/console").text)
    assert (
        auditor.post("/console/requests/R-x", data={"status": "completed", "csrf": token}).status_code == 403
    )
    assert (
        auditor.post(
            "/console/terms",
            data={"csrf": token, "version": "x", "effective": "2030-01-01", "purposes": "analysis"},
        ).status_code
        == 403
    )


def test_operator_cannot_publish_terms(world: World) -> None:
    operator = _client(world, "operator")
    token = csrf_of(operator.get("/console").text)
    data = {"csrf": token, "version": "2030-01", "effective": "2030-01-01", "purposes": ["analysis"]}
    assert operator.post("/console/terms", data=data).status_code == 403


def test_APPI_CONSENT_3_terms_editor_shows_the_diff_and_publishes(world: World, officer: TestClient) -> None:
    page = officer.get("/console/terms").text
    diff = page.split("<h2>2021-07")[1].split("</section>")[0]
    assert "provide_ads" in diff and "anon_sale" in diff
    token = csrf_of(page)
    data = {
        "csrf": token,
        "version": "2031-01",
        "effective": "2031-01-01",
        "purposes": ["point_service", "analysis"],
    }
    assert officer.post("/console/terms", data=data).status_code == 200
    page = officer.get("/console/terms").text
    assert "2031-01" in page and "terms-published" in _kinds(world)


def test_coverage_chart_is_server_side_svg_with_a_table(world: World, officer: TestClient) -> None:
    page = officer.get("/console/coverage").text
    assert "<svg" in page and "<polyline" in page and "<script" not in page.split("<main")[1]
    assert "analysis" in page
    assert "provide_ads" in page.split("再同意")[1]


def test_audit_verification_is_shown_and_itself_audited(world: World, officer: TestClient) -> None:
    token = csrf_of(officer.get("/console").text)
    page = officer.post("/console/audit/verify", data={"csrf": token}).text
    assert "改ざんは検出されませんでした" in page
    assert "audit-verified" in _kinds(world)


def test_outbox_shows_codes_and_reading_it_is_audited(world: World, officer: TestClient) -> None:
    page = officer.get("/console/outbox").text
    assert "officer@example.com" in page and "サインインコード" in page
    assert "outbox-read" in _kinds(world)


def test_officer_issues_a_partner_key_shown_once(world: World, officer: TestClient) -> None:
    token = csrf_of(officer.get("/console/partners").text)
    page = officer.post(
        "/console/partners", data={"csrf": token, "recipient": "adco", "scopes": ["requests:read"]}
    ).text
    secret = re.search(r"<code>(mk_[^<]+)</code>", page).group(1)  # type: ignore[union-attr]
    me = TestClient(world.app).get("/api/v1/me", headers={"X-API-Key": secret}).json()
    assert me == {"recipient": "adco", "scopes": ["requests:read"]}
    assert secret not in officer.get("/console/partners").text
