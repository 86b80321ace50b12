"""In a real browser: the officer searches provision records, exports them for a regulator, and reads lineage
and insight budgets. Screenshots go to docs/screenshots/console-{provisions,lineage,insight}.png.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.partner_world import FORMULA_NAME, PartnerWorld, make_partner_world
from tests.web.test_browser import ARGS, CHROMIUM, SHOTS, _sign_in, serving

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PartnerWorld, str]]:
    """Serve the partner world with uvicorn on a free port."""
    world = make_partner_world(tmp_path_factory.mktemp("browser-records"))
    made = world.partner("acme").post(
        "/api/v1/insight", json={"purpose": "analysis", "group_by": ["age_band"], "metrics": ["persons"]}
    )
    assert made.status_code == 201, made.text
    with serving(world.app) as base:
        yield world, base
    world.ctx.platform.ledger.engine.dispose()


def test_officer_searches_exports_and_reads_lineage_and_budgets(served: tuple[PartnerWorld, str]) -> None:
    from playwright.sync_api import sync_playwright

    world, base = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
        page = context.new_page()
        _sign_in(page, world, base, "officer@example.com")  # type: ignore[arg-type]
        page.goto(base + "/console/provisions")
        page.get_by_label("提供先ID").fill("otherco")
        page.get_by_role("button", name="検索").click()
        page.wait_for_url("**/console/provisions?*recipient=otherco*")
        assert world.lineages["otherco"] in page.content()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "console-provisions.png"), full_page=True)
        with page.expect_download() as info:
            page.get_by_role("link", name="監督当局向けに書き出す（CSV）").click()
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
        names = {r["value"] for r in csv.DictReader(io.StringIO(text)) if r["item"] == "recipient_name"}
        assert names == {"'" + FORMULA_NAME}
        page.get_by_role("link", name=world.lineages["otherco"]).click()
        assert "誰が受け取ったか" in page.content()
        page.goto(base + "/console/lineage")
        page.screenshot(path=str(SHOTS / "console-lineage.png"), full_page=True)
        page.goto(base + "/console/insight")
        assert page.locator("h1").count() == 1
        page.screenshot(path=str(SHOTS / "console-insight.png"), full_page=True)
        context.close()
        browser.close()
