"""In a real browser (Debian's Chromium via Playwright): sign in, choose, snapshot, download.

Screenshots of the main pages are written to docs/screenshots/.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import uvicorn
from fastapi import FastAPI

from mamori.services.snapshot import take_snapshot
from tests.paths import REPO
from tests.web.world import ALICE, EMAILS, World, last_code, make_world

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = REPO / "docs" / "screenshots"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve an app with uvicorn on a free port; yield its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, str]]:
    """Serve a seeded world with uvicorn on a free port for the module's tests."""
    world = make_world(tmp_path_factory.mktemp("browser") / "home")
    with serving(world.app) as base:
        yield world, base
    world.ctx.platform.ledger.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Launch Chromium once for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def _sign_in(page: object, world: World, base: str, email: str) -> None:
    page.goto(base + "/signin")  # type: ignore[attr-defined]
    page.get_by_label("メールアドレス").fill(email)  # type: ignore[attr-defined]
    page.get_by_role("button", name="コードを送る").click()  # type: ignore[attr-defined]
    page.get_by_label("6桁のコード").fill(last_code(world, email))  # type: ignore[attr-defined]
    page.get_by_role("button", name="サインイン").click()  # type: ignore[attr-defined]


def _snapshot_granted(world: World, tmp_path: Path, purpose: str) -> bool:
    platform = world.ctx.platform
    out = tmp_path / f"snap-{time.monotonic_ns()}.parquet"
    take_snapshot(platform.ledger, platform.snapshots, datetime.now(UTC), out, platform.settings.policy)
    bit = platform.ledger.purpose_bits()[purpose]
    rows = {r["subject_id"]: r["granted_mask"] for r in pq.read_table(out).to_pylist()}
    return bool(rows[ALICE] >> bit & 1)


def test_landing_and_sign_in_pages(served: tuple[World, str], browser: object) -> None:
    _, base = served
    page = browser.new_page(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "landing.png"), full_page=True)
    # Keyboard: the first Tab reaches the skip link, and it is visible when focused.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.goto(base + "/signin")
    page.screenshot(path=str(SHOTS / "signin.png"), full_page=True)
    page.close()


def test_consent_page_criteria_and_grant_withdraw_reach_the_snapshot(
    served: tuple[World, str], browser: object, tmp_path: Path
) -> None:
    world, base = served
    page = browser.new_page(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    _sign_in(page, world, base, EMAILS[ALICE])
    page.wait_for_url(base + "/consents")
    page.screenshot(path=str(SHOTS / "consents.png"), full_page=True)
    # No pre-checked control anywhere on the page.
    assert page.locator("input:checked").count() == 0
    cards = page.locator("article.purpose")
    assert cards.count() == 5
    for n in range(cards.count()):
        card = cards.nth(n)
        # Full detail is one click away.
        assert not card.locator("dl").is_visible()
        card.locator("summary").click()
        assert card.locator("dl").is_visible()
        # Yes and No are both there, with the same size.
        yes = card.get_by_role("button", name="はい、同意する").bounding_box()
        no = card.get_by_role("button", name="いいえ、同意しない").bounding_box()
        assert yes and no and abs(yes["width"] - no["width"]) < 2 and abs(yes["height"] - no["height"]) < 2
    card = page.locator("#p-provide_ads")
    card.get_by_role("button", name="はい、同意する").click()
    page.locator("#p-provide_ads .saved").wait_for()
    assert "同意しています" in page.locator("#p-provide_ads .state").inner_text()
    assert _snapshot_granted(world, tmp_path, "provide_ads")
    page.locator("#p-provide_ads").get_by_role("button", name="いいえ、同意しない").click()
    page.locator("#p-provide_ads .no").wait_for()
    assert not _snapshot_granted(world, tmp_path, "provide_ads")
    page.close()


def test_consent_works_without_javascript(served: tuple[World, str], browser: object, tmp_path: Path) -> None:
    world, base = served
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    _sign_in(page, world, base, EMAILS[ALICE])
    page.locator("#p-anon_sale").get_by_role("button", name="はい、同意する").click()
    page.wait_for_url("**/consents?done=anon_sale*")
    assert "同意しています" in page.locator("#p-anon_sale .state").inner_text()
    assert _snapshot_granted(world, tmp_path, "anon_sale")
    context.close()


def test_download_a_disclosure_and_console_pages(served: tuple[World, str], browser: object) -> None:
    world, base = served
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    _sign_in(page, world, base, EMAILS[ALICE])
    page.goto(base + "/requests")
    with page.expect_download() as info:
        page.get_by_role("link", name="JSON でダウンロード").click()
    path = info.value.path()
    assert ALICE in Path(path).read_text(encoding="utf-8")
    page.get_by_label("第三者提供の停止").check()
    page.get_by_role("button", name="請求を送る").click()
    page.screenshot(path=str(SHOTS / "requests.png"), full_page=True)
    officer = context.browser.new_page(viewport={"width": 1100, "height": 900})
    _sign_in(officer, world, base, EMAILS["officer"])
    for name, path in (
        ("console-requests", "/console/requests"),
        ("console-coverage", "/console/coverage"),
        ("console-terms", "/console/terms"),
    ):
        officer.goto(base + path)
        officer.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    officer.goto(base + "/?lang=en")
    assert officer.locator("html").get_attribute("lang") == "en"
    context.close()
