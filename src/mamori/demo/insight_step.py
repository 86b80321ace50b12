"""The demo's clean-room step: purchases from `mamori synth`, a client request with a chart, lifestyle scores.

The members are the demo ledger's (same ids M00000000..); gender, prefecture and purchases
come from the synthetic world, birth dates from the ledger, so ages agree with consent.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from mamori.bootstrap import Platform
from mamori.domain.insight.spec import parse_spec
from mamori.lake.insight.engine import DuckDBInsightEngine
from mamori.lake.insight.output import result_table, write_chart, write_result
from mamori.lake.insight.profiles import DuckDBProfiles, ParquetScores, load_catalogue
from mamori.lake.insight.world import InsightWorld, lake_from_synth
from mamori.ledger.insight_store import SqlInsightStore
from mamori.services.insight import AllMembers, run_insight
from mamori.services.profiles import refresh_profiles, scores_for

RECIPIENT = "demo-client"
SPEC = """# 統計情報の要求（mamori insight run この ファイル --out result.csv --chart chart.svg）
recipient: demo-client
purpose: analysis
population: all
group_by: [age_band, prefecture]
metrics: [persons, spend_total]
min_persons: 50
dp: null
"""

Progress = Callable[[str, int, int], None]


def run_insight_step(platform: Platform, members: int, snapshot: Path, step: Progress) -> list[str]:
    """Run the clean-room part of the demo; return the lines to show."""
    name = "clean-room insight / 統計情報"
    step(name, 0, 4)
    lake = lake_from_synth(platform.settings.home / "synth", platform.settings.lake_dir)
    step(name, 1, 4)
    store = SqlInsightStore(platform.ledger)
    store.register_recipient(RECIPIENT, "デモ株式会社 / Demo Co.", 10.0, "demo")
    folder = platform.settings.home / "insight"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "demo-spec.yaml").write_text(SPEC, encoding="utf-8")
    spec = parse_spec(
        __import__("yaml").safe_load(SPEC),
        file="demo-spec.yaml",
        floor=platform.settings.policy.min_persons.entries[-1][1],
    )
    world = InsightWorld.in_folder(lake, snapshot)
    release = run_insight(spec, platform.ledger, store, DuckDBInsightEngine(world), AllMembers(), "demo")
    outcome = release.outcome
    write_result(result_table(outcome.rows, outcome.columns), folder / "demo-result.csv")
    write_chart(outcome.rows, outcome.columns[:2], "persons", folder / "demo-chart.svg",
                f"{RECIPIENT}: 年代 × 都道府県 / age band × prefecture (release #{release.release_id})")  # fmt: skip
    step(name, 2, 4)
    info = refresh_profiles(platform.ledger, DuckDBProfiles(world), lake / "profiles", "demo", "profiling")
    step(name, 3, 4)
    lines = [
        f"統計情報の提供 #{release.release_id} → {RECIPIENT}: {len(outcome.rows)} セル、秘匿 {len(outcome.suppressed)}"
        f"（一次 {outcome.primary}、補完 {len(outcome.suppressed) - outcome.primary}）/ insight release "
        f"#{release.release_id}: {len(outcome.rows)} cells, {len(outcome.suppressed)} suppressed — recorded and "
        "audit-chained [MAMORI-1, MAMORI-AGG-1]",
        f"  {folder / 'demo-result.csv'}  {folder / 'demo-chart.svg'}  ({folder / 'demo-spec.yaml'})",
        f"ライフスタイルスコア：{info.scored:,} 人（プロファイリングに同意した会員のみ）/ lifestyle scores for "
        f"{info.scored:,} members who consented to profiling → {info.scores}",
    ]
    con = duckdb.connect()
    try:
        first = con.execute("SELECT min(subject_id) FROM read_parquet(?)", [str(info.scores)]).fetchone()
    finally:
        con.close()
    held = [first[0]] if first and first[0] else []
    if held:
        top = scores_for(ParquetScores(info.scores), load_catalogue(), held[0])[:2]
        for s in top:
            why = ", ".join(f"{c.ja} {c.contribution:+.2f}" for c in s.top)
            lines.append(f"  {held[0]} {s.ja} / {s.en}: {s.score:.0f}（{why}）")
    step(name, 4, 4)
    return lines
