"""The member portal: landing, sign-in, My consents, requests and disclosure."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from fastapi.testclient import TestClient

from mamori.settings import Settings
from mamori.web.app import create_app
from tests.web.world import ALICE, KID, World, csrf_of


def test_landing_is_japanese_on_an_empty_home(tmp_path: Path) -> None:
    app = create_app(Settings(home=tmp_path / "empty", database_url=f"sqlite:///{tmp_path / 'empty/l.db'}"))
    page = TestClient(app).get("/")
    assert page.status_code == 200
    assert '<html lang="ja">' in page.text
    assert "サインイン" in page.text
    app.state.ctx.platform.ledger.engine.dispose()


def test_language_switch_to_english_sticks(anon: TestClient) -> None:
    assert '<html lang="en">' in anon.get("/?lang=en").text
    assert '<html lang="en">' in anon.get("/signin").text
    assert '<html lang="ja">' in anon.get("/?lang=ja").text


def test_pages_need_sign_in(anon: TestClient) -> None:
    for path in ("/consents", "/requests", "/received", "/scores", "/wards", "/console"):
        response = anon.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/signin"


def test_APPI_CONSENT_2_no_purpose_is_pre_selected(alice: TestClient) -> None:
    page = alice.get("/consents").text
    assert "checked" not in page
    assert page.count('value="grant"') == page.count('value="withdraw"') == 5
    # Each purpose's detail is one click away (a <details> inside its card).
    assert page.count("<details>") == 5


def test_APPI_CONSENT_3_after_a_terms_change_only_the_new_purposes_are_asked(alice: TestClient) -> None:
    page = alice.get("/consents").text
    changed = page.split('id="changed-h"')[1].split('id="all-h"')[0]
    assert "2019-04" in changed and "2021-07" in changed
    assert set(re.findall(r'id="p-([a-z_]+)"', changed)) == {"provide_ads", "anon_sale"}
    # Nothing carried over: the new purposes stand unanswered.
    assert changed.count("まだ回答していません") == 2


def test_APPI_CONSENT_1_grant_and_withdraw_are_recorded_from_the_form(
    world: World, alice: TestClient
) -> None:
    token = csrf_of(alice.get("/consents").text)
    response = alice.post("/consents", data={"purpose": "provide_ads", "choice": "grant", "csrf": token})
    assert response.status_code == 200
    assert "保存しました" in response.text
    events = world.ctx.platform.ledger.events_for(ALICE)
    assert (events[-1].purpose, events[-1].action.value, events[-1].terms) == (
        "provide_ads",
        "grant",
        "2021-07",
    )
    alice.post("/consents", data={"purpose": "provide_ads", "choice": "withdraw", "csrf": token})
    assert world.ctx.platform.ledger.events_for(ALICE)[-1].action.value == "withdraw"
    assert world.ctx.platform.ledger.verify_audit() is None


def test_htmx_consent_change_returns_only_the_card(alice: TestClient) -> None:
    token = csrf_of(alice.get("/consents").text)
    response = alice.post(
        "/consents",
        data={"purpose": "analysis", "choice": "withdraw", "csrf": token},
        headers={"HX-Request": "true"},
    )
    assert response.text.lstrip().startswith("<article")
    assert "撤回済み" in response.text


def test_APPI_CONSENT_4_guardian_answers_for_the_minor(world: World, alice: TestClient) -> None:
    assert KID in alice.get("/wards").text
    page = alice.get(f"/consents?for={KID}")
    token = csrf_of(page.text)
    alice.post(f"/consents?for={KID}", data={"purpose": "analysis", "choice": "grant", "csrf": token})
    event = world.ctx.platform.ledger.events_for(KID)[-1]
    assert event.by.value == "guardian"
    assert "同意しています" in alice.get(f"/consents?for={KID}").text


def test_APPI_33_1_disclosure_holds_profile_consents_and_requests(alice: TestClient) -> None:
    data = alice.get("/requests/disclosure.json")
    assert data.status_code == 200
    assert "attachment" in data.headers["content-disposition"]
    document = data.json()
    assert document["profile"]["subject_id"] == ALICE
    assert document["profile"]["accounts"] == ["alice@example.com"]
    assert {c["purpose"] for c in document["consents"]} >= {"analysis", "provide_ads"}
    assert document["consent_events"][0]["terms"] == "2019-04"
    assert document["provisions"] == [] and document["scores"] == []


def test_APPI_33_5_disclosure_as_csv_keeps_every_value(alice: TestClient) -> None:
    text = alice.get("/requests/disclosure.csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"profile", "consents", "consent_events"} <= {r["section"] for r in rows}
    assert any(r["field"] == "subject_id" and r["value"] == ALICE for r in rows)


def test_APPI_35_1_requests_have_status_and_due_date_and_can_be_withdrawn(alice: TestClient) -> None:
    token = csrf_of(alice.get("/requests").text)
    alice.post("/requests", data={"kind": "stop_provision", "detail": "", "csrf": token})
    page = alice.get("/requests").text
    assert "第三者提供の停止" in page and "受付済み" in page
    request_id = re.search(r"<code>(R-[0-9a-f]+)</code>", page).group(1)  # type: ignore[union-attr]
    alice.post(f"/requests/{request_id}/withdraw", data={"csrf": token})
    assert "取り下げ" in alice.get("/requests").text


def test_APPI_34_1_correction_needs_the_correct_content(alice: TestClient) -> None:
    token = csrf_of(alice.get("/requests").text)
    response = alice.post("/requests", data={"kind": "correction", "detail": " ", "csrf": token})
    assert response.status_code == 400


def test_empty_states_for_provisions_and_scores(alice: TestClient) -> None:
    assert "記録はありません" in alice.get("/received").text
    assert "スコアはありません" in alice.get("/scores").text
