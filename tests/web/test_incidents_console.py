"""The console's incident pages: list and deadlines, six steps, impact from lineage, report, notices."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from mamori.domain.calendar import JST
from mamori.domain.incidents.flow import Step
from mamori.domain.incidents.state import Incident
from mamori.web.routes import incident_stats, incidents, notices
from mamori.web.routes.incidents import incident_console
from tests.web.incident_walk import fill, finish_tasks, post
from tests.web.incident_world import leak_export
from tests.web.world import ALICE, BOB, EMAILS, KID, XSS_ID, World, csrf_of, sign_in

FILE = {"title": "抽出ファイルの誤送信", "cause": "misdelivery", "discovered_by": "営業部 佐藤"}


def _client(world: World, who: str) -> TestClient:
    client = TestClient(world.app)
    sign_in(world, client, EMAILS[who])
    return client


def _kinds(world: World) -> list[str]:
    return [e.kind for e in world.ctx.platform.ledger.audit_entries()]


def _file(client: TestClient, **extra: str) -> str:
    token = csrf_of(client.get("/console/incidents").text)
    data = {
        "csrf": token,
        "summary": "A 社宛てのファイルを B 社へ送信",
        "officer_told": "true",
        **FILE,
        **extra,
    }
    response = client.post("/console/incidents", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def _incident(world: World, url: str) -> Incident:
    return incident_console(world.ctx).service.get(url.rsplit("/", 1)[1])


def test_PPC_RULE_7_4_the_list_shows_the_decision_rule_ids_and_countdowns(
    world: World, officer: TestClient
) -> None:
    url = _file(officer, persons="1500")
    page = officer.get("/console/incidents").text
    assert "報告対象" in page and "PPC-RULE-7-4" in page and "APPI-26-1" in page
    assert "PPC-RULE-8-1" in page and "PPC-RULE-8-2" in page and "残り" in page
    assert _incident(world, url).facts.persons == 1500
    # Known ten days ago: the preliminary report (3 days) is overdue, and the list says so.
    known = (world.clock.now() - timedelta(days=10)).astimezone(JST).strftime("%Y-%m-%dT%H:%M")
    _file(officer, persons="1500", aware_at=known)
    page = officer.get("/console/incidents").text
    assert "日超過" in page and 'class="late"' in page
    english = officer.get("/console/incidents?lang=en").text
    assert "OVERDUE" in english and "Reportable" in english


def test_a_step_cannot_close_while_its_required_fields_are_empty(world: World, officer: TestClient) -> None:
    url = _file(officer)
    token = csrf_of(officer.get(url).text)
    assert post(officer, f"{url}/advance", token) == 303  # step 1 was filled by the form
    response = officer.post(f"{url}/advance", data={"csrf": token})
    assert response.status_code == 409
    assert 'role="alert"' in response.text and "対応体制" in response.text and "応急措置" in response.text
    assert _incident(world, url).step is Step.INITIAL_RESPONSE
    ids = re.findall(r'\sid="([^"]+)"', officer.get(url).text)
    assert len(ids) == len(set(ids)), "element ids are unique (labels point at the right control)"
    assert all(
        f'for="{i}"' in officer.get(url).text for i in ("t-role", "fa-action", "a-reason", "r-business")
    )
    # A required field left empty is refused by name, and nothing is recorded.
    response = officer.post(
        f"{url}/team", data={"csrf": token, "role": "責任者", "person": " ", "contact": "x"}
    )
    assert response.status_code == 400 and "person" in response.text
    assert (
        officer.post(f"{url}/first-aid", data={"csrf": token, "action": "nope", "done_by": "x"}).status_code
        == 400
    )
    assert officer.post(f"{url}/no-such-form", data={"csrf": token}).status_code == 404
    assert _incident(world, url).team == ()
    assert officer.get("/console/incidents/INC-2099-0042").status_code == 404
    assert officer.get("/console/incidents/INC-2099-0042/affected.csv").status_code == 404
    assert officer.get("/console/incidents/INC-2099-0042/report/final.pdf").status_code == 404


def test_APPI_26_1_impact_from_lineage_and_the_affected_list(
    world: World, officer: TestClient, tmp_path: Path
) -> None:
    lineage = leak_export(world, tmp_path / "leak")
    url = _file(officer)
    page = officer.get(url).text
    assert lineage in page
    assert post(officer, f"{url}/impact", csrf_of(page), {"sources": lineage}) == 303
    incident = _incident(world, url)
    assert incident.impact is not None and incident.impact.persons == 3  # the kid never consented
    assert incident.facts.persons == 3 and "purchase_history" in incident.facts.items
    page = officer.get(url).text
    assert re.search(r'class="count">3<', page) and "購買履歴" in page
    response = officer.get(f"{url}/affected.csv")
    rows = response.text.splitlines()
    assert rows[0] == "subject_id,items" and len(rows) == 4
    assert {r.split(",")[0] for r in rows[1:]} == {ALICE, BOB, XSS_ID} and KID not in response.text
    assert response.headers["x-mamori-matches-recorded"] == "true"
    assert "affected-list-downloaded" in _kinds(world)
    assert "incident-impact-computed" in _kinds(world)


def test_roles_auditor_and_operator_read_but_cannot_change(world: World, officer: TestClient) -> None:
    url = _file(officer)
    for who in ("auditor", "operator"):
        client = _client(world, who)
        page = client.get(url).text
        assert (
            "この段階を完了して次へ" not in page
            and 'method="post" action="/console/incidents/INC' not in page
        )
        assert client.get("/console/incidents").status_code == 200
        assert "事案を登録する" not in client.get("/console/incidents").text
        token = csrf_of(page)
        for path, data in (
            ("/console/incidents", FILE),
            (f"{url}/advance", {}),
            (f"{url}/team", {"role": "r", "person": "p", "contact": "c"}),
            (f"{url}/impact", {"sources": "LIN-x"}),
            (f"{url}/notices", {}),
            (f"{url}/facts", {"reason": "r", "persons": "5", "cause": "theft", "route": "unknown"}),
        ):
            assert client.post(path, data={"csrf": token, **data}).status_code == 403, (who, path)
    assert _incident(world, url).step is Step.DISCOVERY
    assert _client(world, "auditor").get(f"{url}/report/preliminary.html").status_code == 200
    assert _client(world, ALICE).get(url).status_code == 403  # members never see the console


def _posts() -> list[str]:
    found = []
    for module in (incidents, incident_stats, notices):
        for route in module.router.routes:
            if isinstance(route, APIRoute) and "POST" in route.methods:
                found.append(route.path.replace("{incident_id}", "INC-2026-0001").replace("{action}", "team"))
    return found


def test_every_incident_form_needs_the_csrf_token(world: World, officer: TestClient) -> None:
    url = _file(officer)
    paths = _posts()
    assert len(paths) >= 7 and url.replace("http://testserver", "") == "/console/incidents/INC-2026-0001"
    for path in paths:
        for token in (None, "forged"):
            data = {"csrf": token} if token else {}
            assert officer.post(path, data=data, follow_redirects=False).status_code == 403, (path, token)
    assert len(_incident(world, url).team) == 0


def test_incident_text_is_escaped_on_pages_and_in_the_report(world: World, officer: TestClient) -> None:
    url = _file(officer, title="<script>alert(1)</script>", summary="<img src=x onerror=alert(2)>")
    for page in (officer.get("/console/incidents").text, officer.get(url).text):
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<img src=x" not in page
    report = officer.get(f"{url}/report/preliminary.html").text
    assert "<img src=x" not in report


def test_PPC_RULE_8_3_the_report_prints_with_nine_items_and_downloads_as_pdf(
    world: World, officer: TestClient
) -> None:
    url = _file(officer, persons="1200")
    html = officer.get(f"{url}/report/preliminary.html?business=例示ショップ株式会社&contact=03-0000").text
    assert all(f'id="item-{n}"' in html for n in range(1, 10)) and "@media print" in html
    assert "例示ショップ株式会社" in html and "PPC-RULE-8-1" in html and "03-0000" in html
    contact_only = officer.get(f"{url}/report/preliminary.html?contact=総務部").text
    assert "総務部" in contact_only
    pdf = officer.get(f"{url}/report/final.pdf")
    assert pdf.content.startswith(b"%PDF-") and pdf.headers["content-type"] == "application/pdf"
    document = officer.get(f"{url}/report/final.json").json()
    assert len(document["items"]) == 9 and "PPC-RULE-8-2" in document["rules"]
    assert officer.get(f"{url}/report/final.exe").status_code == 404
    assert officer.get(f"{url}/report/later.html").status_code == 422
    assert _kinds(world).count("ppc-report-printed") == 4


def test_APPI_26_2_notices_reach_the_portal_and_the_email_outbox(
    world: World, officer: TestClient, alice: TestClient, bob: TestClient, tmp_path: Path
) -> None:
    lineage = leak_export(world, tmp_path / "leak")
    url = _file(officer, persons="0", sensitive="true")
    token = csrf_of(officer.get(url).text)
    # Notices need the affected list first.
    assert officer.post(f"{url}/notices", data={"csrf": token}).status_code == 400
    post(officer, f"{url}/impact", token, {"sources": lineage})
    assert post(officer, f"{url}/notices", token) == 303
    incident = _incident(world, url)
    assert [(ch, ok, ng) for ch, ok, ng, _ in incident.deliveries] == [
        ("portal", 3, 0),
        ("email-outbox", 3, 0),
    ]
    assert incident.tasks["subjects"].done  # everyone reached: the APPI-26-2 task closes itself
    home = world.ctx.platform.settings.home
    mails = sorted(p.name for p in (home / "outbox" / incident.id).glob("*.eml"))
    assert mails == ["M-%3Cscript%3Ealert%281%29%3C%2Fscript%3E.eml", "M-ALICE.eml", "M-BOB.eml"]
    # Alice sees her own notice, with her items only (Rule 10), and reading it is audited.
    assert "/notices" in alice.get("/").text
    listing = alice.get("/notices").text
    (notice_id,) = re.findall(r"/notices/(PN-[0-9a-f]+)", listing)
    page = alice.get(f"/notices/{notice_id}").text
    assert "お知らせとお詫び" in page and incident.id in page and "purchase_history" in page
    assert "portal-notice-read" in _kinds(world)
    # Bob cannot open it, by id or by acting "for" Alice; Alice has nothing for her ward.
    assert bob.get(f"/notices/{notice_id}").status_code == 404
    assert bob.get(f"/notices?for={ALICE}").status_code == 404
    assert bob.get(f"/notices/{notice_id}?for={ALICE}").status_code == 404
    assert notice_id not in bob.get("/notices").text
    assert "お知らせはありません" in alice.get(f"/notices?for={KID}").text
    assert officer.get("/notices").status_code == 403  # staff have no notices of their own


def test_evidence_is_hashed_on_upload(world: World, officer: TestClient) -> None:
    url = _file(officer)
    token = csrf_of(officer.get(url).text)
    files = {"file": ("log.txt", b"evidence bytes", "text/plain")}
    response = officer.post(f"{url}/evidence", data={"csrf": token}, files=files, follow_redirects=False)
    assert response.status_code == 303
    (item,) = _incident(world, url).evidence
    assert item.sha256 == hashlib.sha256(b"evidence bytes").hexdigest()
    assert item.sha256[:16] in officer.get(url).text


def test_walk_all_six_steps_in_the_console(world: World, officer: TestClient, tmp_path: Path) -> None:
    lineage = leak_export(world, tmp_path / "leak")
    url = _file(officer, persons="1100")
    token = csrf_of(officer.get(url).text)
    post(officer, f"{url}/impact", token, {"sources": lineage})
    for step in range(1, 7):
        fill(officer, url, token, step)
        if step == 4:
            post(officer, f"{url}/notices", token)
        if step in (4, 6):
            incident = _incident(world, url)
            finish_tasks(officer, url, token, [a.value for a, t in incident.tasks.items() if not t.done])
        assert post(officer, f"{url}/advance", token) == 303, (step, officer.get(url).text[-3000:])
    incident = _incident(world, url)
    assert incident.step is Step.CLOSED
    page = officer.get(url).text
    assert "この事案は終結しました" in page and "<form" not in page.split("<main")[1].split("report-h")[0]
    assert "incident-step-advanced" in _kinds(world)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "element ids are unique (labels point at the right control)"
    english = officer.get(f"{url}?lang=en").text
    assert "This incident is closed" in english and "The PPC report (nine items)" in english


def test_statistics_by_cause_size_route_and_month_with_csv(world: World, officer: TestClient) -> None:
    _file(officer, persons="1500")
    _file(officer, cause="ransomware", route="vpn_appliance", org_size="sme", organisation="example-shop")
    page = officer.get("/console/incidents/stats").text
    assert page.count("<svg") == 4 and "ランサムウェア" in page and "VPN 機器" in page and "中小企業" in page
    csv_text = officer.get("/console/incidents/stats.csv?by=cause").text
    assert csv_text.splitlines()[0] == "cause,incidents,reportable,persons,organisations"
    assert "ransomware,1,1,0,1" in csv_text and "misdelivery,1,1,1500,1" in csv_text
    assert officer.get("/console/incidents/stats.csv?by=colour").status_code == 400
    assert "incident-stats-exported" in _kinds(world)
    assert _client(world, "auditor").get("/console/incidents/stats").status_code == 200


@pytest.mark.parametrize("path", ["/console/incidents", "/console/incidents/stats"])
def test_incident_pages_need_a_console_role(bob: TestClient, anon: TestClient, path: str) -> None:
    assert bob.get(path).status_code == 403
    assert anon.get(path, follow_redirects=False).status_code == 303


def test_every_incident_route_is_documented() -> None:
    from tests.paths import REPO

    text = (REPO / "docs" / "web.md").read_text(encoding="utf-8")
    missing = [
        f"{method} {route.path}"
        for module in (incidents, incident_stats, notices)
        for route in module.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods - {"HEAD"}
        if f"{method} {route.path}" not in text
    ]
    assert not missing, f"undocumented routes: {missing}"


def test_statistics_combine_other_organisations_records_and_quarantine_bad_rows(
    world: World, officer: TestClient
) -> None:
    _file(officer, persons="10")
    token = csrf_of(officer.get("/console/incidents/stats").text)
    header = "organisation,org_size,cause,route,aware_on,persons,reportable\n"
    good = header + "client-a,sme,ransomware,vpn_appliance,2025-04-01,800,true\n"
    bad = (
        header
        + "client-b,sme,ransomware,remote_desktop,2025-05-01,12,true\nclient-b,huge,theft,unknown,2025-06-01,3,false\n"
    )
    files = [
        ("records", ("a.csv", good.encode(), "text/csv")),
        ("records", ("b.csv", bad.encode(), "text/csv")),
    ]
    page = officer.post("/console/incidents/stats", data={"csrf": token, "local": "true"}, files=files).text
    assert "b.csv: 2行 = 採用1 + 隔離1" in page and "org_size" in page and "3" in page.split("事案数")[1][:40]
    assert "リモートデスクトップ" in page and "VPN 機器" in page
    exported = officer.post(
        "/console/incidents/stats", data={"csrf": token, "fmt": "csv"}, files=files[:1]
    ).text.splitlines()
    assert exported == ["organisation,cause,size,route,month,incidents,reportable,persons,organisations",
                        "client-a,ransomware,sme,vpn_appliance,2025-04,1,1,800,1"]  # fmt: skip


def test_APPI_CONSENT_4_a_minor_is_reached_through_the_guardian(world: World, alice: TestClient) -> None:
    reach = incident_console(world.ctx).notices.member_emails([KID, BOB, "M-NOBODY"])
    assert reach == {KID: EMAILS[ALICE], BOB: EMAILS[BOB]}
    page = alice.get("/notices").text
    assert f'href="/notices?for={KID}"' in page
