"""After `mamori demo`, the console shows the demo's incidents: one walked, one from real lineage."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from mamori.demo.run import run_demo
from mamori.settings import Settings
from mamori.web.app import create_app
from tests.web.world import MovableClock, World, csrf_of, sign_in


def test_APPI_26_1_the_demo_incidents_in_the_console(tmp_path: Path) -> None:
    home = tmp_path / "home"
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'ledger.sqlite3'}")
    report = run_demo(100, lambda *_: None, settings)
    assert any("/console/incidents" in note for note in report.notes)
    world = World(create_app(settings), MovableClock())
    officer = TestClient(world.app)
    sign_in(world, officer, "officer@example.com")
    listing = officer.get("/console/incidents").text
    assert "INC-" in listing and "終結" in listing and "報告対象" in listing
    walked, waiting = sorted(set(re.findall(r"/console/incidents/(INC-\d{4}-\d{4})", listing)))
    # The walked incident came from a leaked file: counts shown, the list is the CLI's to write.
    page = officer.get(f"/console/incidents/{walked}").text
    assert "この事案は終結しました" in page and "--subjects-out" in page
    # The waiting one came from the demo's real export: its affected list downloads, notices send.
    page = officer.get(f"/console/incidents/{waiting}").text
    assert "PPC-RULE-7-3" in page and "LIN-" in page and "残り" in page
    rows = officer.get(f"/console/incidents/{waiting}/affected.csv").text.splitlines()
    assert rows[0] == "subject_id,items" and len(rows) > 1
    response = officer.post(f"/console/incidents/{waiting}/notices", data={"csrf": csrf_of(page)})
    assert response.status_code == 200 and "portal" in response.text
    world.ctx.platform.ledger.engine.dispose()
