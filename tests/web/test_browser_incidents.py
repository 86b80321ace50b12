"""In a real browser: a leaked export walked through all six steps in the console.

The affected people come from the export's lineage (1,003 persons: reportable by count alone,
PPC-RULE-7-4), the report due dates are shown, notices reach the member portal, and the PPC
report opens printable. Screenshots go to docs/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from mamori.domain.incidents.classification import InfectionRoute, OrgSize
from mamori.domain.incidents.facts import Cause, EventType, IncidentFacts
from mamori.web.routes.incidents import incident_console
from tests.web.incident_world import leak_export
from tests.web.test_browser import CHROMIUM, SHOTS, _sign_in
from tests.web.test_browser import browser as browser  # the module-scoped fixture
from tests.web.test_browser import served as _served
from tests.web.world import ALICE, EMAILS, World

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, str, str]]:
    """Serve the web world with an export of 1,003 members recorded in the ledger."""
    generator = _served.__wrapped__(tmp_path_factory)  # type: ignore[attr-defined]
    world, base = next(generator)
    lineage = leak_export(world, tmp_path_factory.mktemp("leak"), crowd=1000)
    yield world, base, lineage
    next(generator, None)


def _more_incidents(world: World) -> None:
    """File two more incidents (a ransomware case at an SME, a lost laptop) for the statistics page."""
    service = incident_console(world.ctx).service
    now = world.clock.now()
    for cause, route, size, persons in (
        (Cause.RANSOMWARE, InfectionRoute.VPN_APPLIANCE, OrgSize.SME, 800),
        (Cause.LOST_DEVICE, InfectionRoute.REMOVABLE_MEDIA, OrgSize.SME, 40),
    ):
        facts = IncidentFacts(
            aware_at=now, event=EventType.LEAK, cause=cause, persons=persons, suspected=True
        )
        service.open(
            "test",
            title=str(cause),
            facts=facts,
            discovered_by="x",
            summary="y",
            org_size=size,
            route=route,
            organisation="example-shop",
        )


def _record(page: object, action: str, fields: dict[str, str], selects: dict[str, str] | None = None) -> None:
    for selector, value in (selects or {}).items():
        page.select_option(selector, value)  # type: ignore[attr-defined]
    for selector, value in fields.items():
        page.fill(selector, value)  # type: ignore[attr-defined]
    page.locator(f"form[action$='/{action}'] button[type=submit]").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]


def _advance(page: object, to: str) -> None:
    page.get_by_role("button", name="この段階を完了して次へ").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert to in page.locator("#decision-h + p").inner_text(), page.locator("main").inner_text()[:800]  # type: ignore[attr-defined]


def test_a_leaked_export_walks_all_six_steps_in_the_console(
    served: tuple[World, str, str], browser: object, tmp_path: Path
) -> None:
    world, base, lineage = served
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    _sign_in(page, world, base, EMAILS["officer"])
    page.goto(base + "/console/incidents")
    # Step 1: file the incident from the console.
    page.get_by_label("件名").fill("提供先向け抽出ファイルの漏えい")
    page.get_by_label("発見者").fill("営業部 佐藤（受信者からの連絡）")
    page.get_by_label("発見した事象の内容").fill("アドコ社宛ての抽出ファイルが第三者の手に渡った")
    page.get_by_label("原因", exact=True).select_option("misdelivery")
    page.get_by_label("侵入・流出経路").select_option("not_applicable")
    page.get_by_label("個人情報保護管理者へ報告済み").check()
    page.get_by_role("button", name="登録する").click()
    page.wait_for_url(re.compile(r".*/console/incidents/INC-\d{4}-\d{4}$"))
    url = page.url
    assert "報告対象外" in page.locator("#decision-h ~ p").all_inner_texts()[1]
    # Impact from lineage: the export's lineage id, 1,003 persons, reportable with due dates.
    page.get_by_label(lineage).check()
    page.get_by_role("button", name="影響範囲を算出して再判定").click()
    page.wait_for_url(url + "#impact")
    assert page.locator("#impact .count").inner_text() == "1,003"
    decision = page.locator("#decision-h").locator("..").inner_text()
    assert "報告対象" in decision and "PPC-RULE-7-4" in decision
    countdowns = page.locator(".countdown")
    assert countdowns.count() == 2 and "残り" in countdowns.first.inner_text()
    assert (
        "PPC-RULE-8-1" in countdowns.first.inner_text() and "PPC-RULE-8-2" in countdowns.nth(1).inner_text()
    )
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "console-incident.png"), full_page=False)
    with page.expect_download() as info:
        page.get_by_role("link", name="影響を受けた本人の一覧（CSV）").click()
    assert len(Path(info.value.path()).read_text(encoding="utf-8").splitlines()) == 1004
    _advance(page, "2. 初動対応")
    # Step 2: the team and first aid; closing is refused until both are there.
    _record(
        page,
        "team",
        {"#t-role": "責任者", "#t-person": "山田（個人情報保護管理者）", "#t-contact": "privacy@example.com"},
    )
    page.get_by_role("button", name="この段階を完了して次へ").click()
    assert "応急措置" in page.get_by_role("alert").inner_text()
    _record(
        page,
        "first-aid",
        {"#fa-by": "佐藤", "#fa-note": "受信者へ削除を依頼"},
        {"#fa-action": "recall_message"},
    )
    _advance(page, "3. 調査")
    # Step 3: 5W1H, a timeline, evidence (hashed on upload), secondary damage.
    for question in ("when", "where", "who", "what", "why", "how"):
        _record(page, "finding", {"#q-a": f"{question}: 調査結果"}, {"#q-q": question})
    _record(page, "timeline", {"#tl-text": "誤送信"})
    evidence = tmp_path / "mail-log.txt"
    evidence.write_text("送信ログ", encoding="utf-8")
    page.set_input_files("#ev-file", str(evidence))
    _record(page, "evidence", {"#ev-desc": "送信ログ"})
    _record(page, "secondary-damage", {"#sd-text": "二次被害は確認されていない"})
    _advance(page, "4. 通知・報告・公表")
    # Step 4: notices through the portal and email; the rest are told by publication.
    page.get_by_role("button", name=re.compile("人へ通知を送る")).click()
    page.wait_for_load_state()
    assert "portal" in page.locator("#step-notification").inner_text()
    _record(page, "task", {"#tk-desc": "ウェブサイトで公表（代替措置）"}, {"#tk-aud": "publication"})
    for audience in ("publication", "ppc_preliminary"):
        _record(page, "task-done", {"#td-ref": "PPC-受付-0001"}, {"#td-aud": audience})
    page.screenshot(path=str(SHOTS / "console-incident-notification.png"), full_page=False)
    _advance(page, "5. 抑制・復旧")
    _record(page, "contain", {"#c-m": "受信者による削除の確認書を取得"})
    _record(page, "help-desk", {"#hd-c": "0120-000-000", "#hd-h": "平日 9-18時"})
    _record(page, "recovered", {"#rc-n": "削除を確認"})
    _advance(page, "6. 事後対応")
    for field in (
        "root_cause",
        "recurrence_done",
        "recurrence_planned",
        "apology",
        "compensation",
        "lessons",
    ):
        _record(page, "after-action", {"#aa-t": f"{field} の内容"}, {"#aa-f": field})
    _record(page, "task-done", {"#td-ref": "PPC-受付-0002"}, {"#td-aud": "ppc_final"})
    _advance(page, "終結")
    assert "この事案は終結しました" in page.get_by_role("status").inner_text()
    page.screenshot(path=str(SHOTS / "console-incident-closed.png"), full_page=True)
    # The PPC report: printable HTML with the nine items, and a PDF.
    page.get_by_label("事業者名").fill("例示プラットフォーム株式会社")
    page.get_by_label("担当者・連絡先").fill("情報管理部 03-0000-0000")
    page.get_by_role("button", name="確報を印刷用に開く").click()
    page.wait_for_load_state()
    assert page.locator("section[id^=item-]").count() == 9 and "確報" in page.locator("h1").inner_text()
    assert "例示プラットフォーム株式会社" in page.content() and "03-0000-0000" in page.content()
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "console-incident-report.png"), full_page=True)
    page.emulate_media(media="screen")
    page.go_back()
    with page.expect_download() as info:
        page.get_by_role("button", name="確報 PDF").click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF-")
    page.goto(base + "/console/incidents")
    page.screenshot(path=str(SHOTS / "console-incidents.png"), full_page=True)
    _more_incidents(world)
    page.goto(base + "/console/incidents/stats")
    assert page.locator("svg.chart").count() == 4
    page.screenshot(path=str(SHOTS / "console-incident-stats.png"), full_page=True)
    context.close()
    # The member reads the notice on the portal, from their home page.
    page = browser.new_page(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    _sign_in(page, world, base, EMAILS[ALICE])
    page.goto(base + "/")
    page.get_by_role("link", name=re.compile("お知らせ")).first.click()
    page.wait_for_url(base + "/notices")
    page.locator("ul.notices a").first.click()
    assert "お知らせとお詫び" in page.locator("h1").inner_text()
    assert "purchase_history" in page.locator("pre.letter").inner_text()
    page.screenshot(path=str(SHOTS / "portal-notice.png"), full_page=True)
    page.close()


def test_the_console_files_and_advances_an_incident_without_javascript(
    served: tuple[World, str, str], browser: object
) -> None:
    world, base, _ = served
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    _sign_in(page, world, base, EMAILS["officer"])
    page.goto(base + "/console/incidents")
    page.get_by_label("件名").fill("USB メモリの紛失")
    page.get_by_label("発見者").fill("総務部")
    page.get_by_label("発見した事象の内容").fill("顧客名簿を保存した USB メモリを紛失")
    page.get_by_label("原因", exact=True).select_option("lost_device")
    page.get_by_label("本人の数（不明なら最大数）").fill("40")
    page.get_by_label("個人情報保護管理者へ報告済み").check()
    page.get_by_role("button", name="登録する").click()
    page.wait_for_url(re.compile(r".*/console/incidents/INC-\d{4}-\d{4}$"))
    assert "報告対象外" in page.locator("#decision-h").locator("..").inner_text()
    page.get_by_role("button", name="この段階を完了して次へ").click()
    assert "2. 初動対応" in page.locator("#decision-h + p").inner_text()
    context.close()
