"""After `mamori demo`, a spec naming demo-client and analysis runs as is; the demo's release is recorded."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
import pytest
from tests.insight.test_cli import mamori

from mamori.demo.run import run_demo
from mamori.ledger.insight_store import SqlInsightStore
from mamori.settings import Settings


@pytest.mark.slow
def test_MAMORI_AGG_1_demo_releases_insight_with_chart_and_record(tmp_path: Path) -> None:
    home = tmp_path / "home"
    settings = Settings(home=home, database_url=f"sqlite:///{tmp_path / 'l.sqlite3'}")
    report = run_demo(1500, lambda *_: None, settings)
    assert any("insight release #1" in note for note in report.notes)
    rows = pacsv.read_csv(home / "insight" / "demo-result.csv").to_pylist()
    assert rows and any(r["suppressed"] for r in rows)
    assert "suppressed" in (home / "insight" / "demo-chart.svg").read_text(encoding="utf-8")
    done = mamori(
        home,
        "insight",
        "run",
        str(home / "insight" / "demo-spec.yaml"),
        "--out",
        str(tmp_path / "again.csv"),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    from mamori.bootstrap import build

    platform = build(settings)
    releases = SqlInsightStore(platform.ledger).releases("demo-client")
    assert [r["seq"] for r in releases] == [1, 2]
    assert platform.ledger.verify_audit() is None
    platform.ledger.engine.dispose()
