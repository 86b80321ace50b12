"""`mamori insight`: clean-room insight for clients — aggregates leave, people don't."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import yaml

from mamori.cli.console import emit_json, err, out
from mamori.domain.insight.spec import InsightSpec, parse_spec
from mamori.errors import InputError
from mamori.i18n import t
from mamori.lake.insight.world import InsightWorld
from mamori.services.insight import Release, run_insight

if TYPE_CHECKING:
    from mamori.bootstrap import Platform


insight_app = typer.Typer(help="統計情報（クリーンルーム）/ clean-room insight", no_args_is_help=True)

SPEC_HELP = """仕様 YAML / spec YAML:

recipient: acme            # 登録済みの提供先 / a registered recipient
purpose: analysis          # internal_analysis の利用目的 / an internal_analysis purpose
population: all            # または {match: RUN_ID} / {psi: RUN_ID}
group_by: [age_band, prefecture]   # age_band gender prefecture segment category score_band:ID
metrics: [persons, spend_total]    # persons spend_total spend_share score_mean:ID
min_persons: 50            # 既定以上 / at least the configured minimum (MAMORI-AGG-1)
dp: null                   # または {epsilon: 1.0}（予算から差し引き / charged to the budget, MAMORI-DP-1）
"""


def read_spec(path: Path, floor: int) -> InsightSpec:
    """Read and validate a spec file, naming the line of a YAML error."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("ファイルがありません", "no such file", file=str(path)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            "YAML として読めません", "not valid YAML", file=str(path), line=mark.line + 1 if mark else None
        ) from exc
    return parse_spec(document, file=str(path), floor=floor)


def latest_snapshot(platform: Platform) -> Path:
    """Return the newest consent snapshot in the lake."""
    found = sorted(
        (platform.settings.lake_dir / "snapshots").glob("*.parquet"), key=lambda p: p.stat().st_mtime
    )
    if not found:
        raise InputError(
            "同意スナップショットがありません（mamori snapshot で作成します）",
            "no consent snapshot yet (run `mamori snapshot`)",
            field="--snapshot",
        )
    return found[-1]


def run_request(platform: Platform, spec: InsightSpec, world: InsightWorld, actor: str = "cli") -> Release:
    """Run a validated spec over a world on the wired platform."""
    from mamori.lake.insight.engine import DuckDBInsightEngine
    from mamori.ledger.insight_store import SqlInsightStore

    engine = DuckDBInsightEngine(world)
    from mamori.lake.insight.populations import RunPopulations

    populations = RunPopulations(platform.settings.lake_dir)
    return run_insight(spec, platform.ledger, SqlInsightStore(platform.ledger), engine, populations, actor)


def write_outputs(release: Release, spec: InsightSpec, result: Path, chart: Path | None) -> None:
    """Write the result file and, when asked, the chart of the main metric."""
    from mamori.lake.insight.output import result_table, write_chart, write_result

    outcome = release.outcome
    write_result(result_table(outcome.rows, outcome.columns), result)
    if chart is not None:
        dims = outcome.columns[: len(spec.group_by)]
        metric = outcome.columns[len(spec.group_by)]
        title = f"{spec.recipient} / {spec.purpose} — release #{release.release_id}"
        write_chart(outcome.rows, dims, metric, chart, title)


@insight_app.command("run", help=f"Run an insight request and record the release.\n\n{SPEC_HELP}")
def run(
    spec_path: Annotated[Path, typer.Argument(help="仕様 YAML / the spec file")],
    result: Annotated[Path, typer.Option("--out", help="結果 .csv / .parquet / result file")],
    chart: Annotated[
        Path | None, typer.Option("--chart", help="グラフ .svg / chart of the main metric")
    ] = None,
    world: Annotated[
        Path | None, typer.Option(help="members / transactions のフォルダ（既定は lake）/ data folder")
    ] = None,
    snapshot: Annotated[
        Path | None, typer.Option(help="同意スナップショット（既定は最新）/ snapshot")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / print one JSON document")] = False,
) -> None:
    """統計情報の要求を実行し、提供を記録します（同意・最少人数・補完秘匿・差分プライバシーを基盤が強制）。"""
    from mamori.bootstrap import build

    platform = build()
    spec = read_spec(spec_path, platform.settings.policy.min_persons.entries[-1][1])
    folder = world or platform.settings.lake_dir
    files = InsightWorld.in_folder(folder, snapshot or latest_snapshot(platform))
    with err.status(t("集計中…", "aggregating…")):
        release = run_request(platform, spec, files)
    write_outputs(release, spec, result, chart)
    outcome = release.outcome
    summary: dict[str, Any] = {
        "release_id": release.release_id,
        "result": str(result),
        "chart": str(chart) if chart else None,
        "cells": len(outcome.rows),
        "suppressed": len(outcome.suppressed),
        "primary_suppressed": outcome.primary,
        "epsilon": outcome.epsilon,
        "remaining_epsilon": release.remaining_epsilon,
        "snapshot_position": outcome.snapshot.position,
        "rules": list(release.rules),
    }
    if as_json:
        emit_json(summary)
        return
    out.print(
        t(
            f"提供 #{release.release_id}：{len(outcome.rows)} セル（秘匿 {len(outcome.suppressed)}、うち一次 "
            f"{outcome.primary}）、ε={outcome.epsilon:g}、残り ε={release.remaining_epsilon:g} → {result}",
            f"release #{release.release_id}: {len(outcome.rows)} cells ({len(outcome.suppressed)} suppressed, "
            f"{outcome.primary} primary), ε={outcome.epsilon:g}, remaining ε={release.remaining_epsilon:g} "
            f"→ {result}",
        )
    )


@insight_app.command("recipient")
def recipient(
    recipient_id: Annotated[str, typer.Argument(help="提供先 id / recipient id")],
    name: Annotated[str, typer.Option(help="名称 / name")] = "",
    budget: Annotated[float, typer.Option(help="プライバシー予算 ε / total privacy budget ε")] = 10.0,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / print one JSON document")] = False,
) -> None:
    """Register a client that may receive insight, with its total ε (MAMORI-DP-1).

    統計情報の提供先を、差分プライバシーの予算 ε とともに登録します。
    """
    from mamori.bootstrap import build
    from mamori.ledger.insight_store import SqlInsightStore

    platform = build()
    SqlInsightStore(platform.ledger).register_recipient(recipient_id, name, budget, "cli")
    if as_json:
        emit_json({"recipient": recipient_id, "budget_epsilon": budget})
        return
    out.print(
        t(
            f"提供先 {recipient_id} を登録しました（ε={budget:g}）",
            f"registered {recipient_id} (ε={budget:g})",
        )
    )


@insight_app.command("budget")
def budget_of(
    recipient_id: Annotated[str, typer.Argument(help="提供先 id / recipient id")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / print one JSON document")] = False,
) -> None:
    """Show a recipient's privacy budget: total, spent, remaining.

    提供先のプライバシー予算（合計・使用済み・残り）を表示します。
    """
    from mamori.bootstrap import build
    from mamori.ledger.insight_store import SqlInsightStore

    platform = build()
    account = SqlInsightStore(platform.ledger).account(recipient_id)
    if account is None:
        raise InputError(f"未登録の提供先です：{recipient_id}", f"unknown recipient: {recipient_id}")
    doc = {"recipient": account.id, "total": account.budget.total, "spent": account.budget.spent,
           "remaining": account.budget.remaining}  # fmt: skip
    if as_json:
        emit_json(doc)
        return
    out.print(
        t(
            f"{account.id}：合計 ε={account.budget.total:g}、使用 {account.budget.spent:g}、残り {account.budget.remaining:g}",
            f"{account.id}: total ε={account.budget.total:g}, spent {account.budget.spent:g}, "
            f"remaining {account.budget.remaining:g}",
        )
    )


@insight_app.command("refresh")
def refresh(
    world: Annotated[
        Path | None, typer.Option(help="members / transactions のフォルダ（既定は lake）/ data folder")
    ] = None,
    snapshot: Annotated[
        Path | None, typer.Option(help="同意スナップショット（既定は最新）/ snapshot")
    ] = None,
    profiling: Annotated[
        str, typer.Option(help="プロファイリングの目的 / the profiling purpose")
    ] = "profiling",
    analysis: Annotated[str, typer.Option(help="分析の目的 / the analysis purpose")] = "analysis",
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / print one JSON document")] = False,
) -> None:
    """Recompute features and lifestyle scores from the latest consent snapshot (DuckDB).

    購買特徴量とライフスタイルスコアを最新の同意スナップショットから再計算します。プロファイリングに
    同意していない（撤回した）会員のスコアは作られません（次回の再計算で消えます）。
    """
    from mamori.bootstrap import build
    from mamori.lake.insight.profiles import DuckDBProfiles
    from mamori.services.profiles import refresh_profiles

    platform = build()
    folder = world or platform.settings.lake_dir
    files = InsightWorld.in_folder(folder, snapshot or latest_snapshot(platform))
    with err.status(t("特徴量とスコアを計算中…", "computing features and scores…")):
        info = refresh_profiles(
            platform.ledger, DuckDBProfiles(files), folder / "profiles", "cli", profiling, analysis
        )
    doc = {"features": str(info.features), "scores": str(info.scores), "featured": info.featured,
           "scored": info.scored, "snapshot_position": info.snapshot_position}  # fmt: skip
    if as_json:
        emit_json(doc)
        return
    out.print(
        t(
            f"特徴量 {info.featured:,} 人、スコア {info.scored:,} 人 → {info.scores}",
            f"features for {info.featured:,}, scores for {info.scored:,} members → {info.scores}",
        )
    )


@insight_app.command("scores")
def scores(
    subject_id: Annotated[str, typer.Argument(help="会員 id / member id")],
    world: Annotated[Path | None, typer.Option(help="lake のフォルダ / data folder")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / print one JSON document")] = False,
) -> None:
    """Show every lifestyle score held about a member, with the features that drove it.

    会員について保有するライフスタイルスコアを、主な根拠（特徴量）とともに表示します。
    """
    from mamori.bootstrap import build
    from mamori.lake.insight.profiles import ParquetScores, load_catalogue
    from mamori.services.profiles import scores_for

    platform = build()
    folder = world or platform.settings.lake_dir
    held = scores_for(ParquetScores(folder / "profiles" / "scores.parquet"), load_catalogue(), subject_id)
    if as_json:
        emit_json([dataclasses.asdict(s) for s in held])
        return
    if not held:
        out.print(t("スコアはありません", "no scores held"))
    for s in held:
        why = ", ".join(f"{t(c.ja, c.en)} {c.contribution:+.2f}" for c in s.top)
        out.print(f"{s.score:5.1f}  {t(s.ja, s.en)}  ({why})")


def register(app: typer.Typer) -> None:
    """Add the command group to the app."""
    app.add_typer(insight_app, name="insight")
