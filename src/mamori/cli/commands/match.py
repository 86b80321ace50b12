"""`mamori match`: link two customer datasets and cluster them into persons."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from mamori.cli.console import emit_json, err, out
from mamori.i18n import t


def match(
    left: Annotated[
        str,
        typer.Argument(
            help="左（自社の会員など）: CSV/Parquet ファイル、又はレイクのデータセット ID（kind/source で最新）"
            " / LEFT: a CSV/Parquet file or a lake dataset id (kind/source = its latest ingest)"
        ),
    ],
    right: Annotated[
        str,
        typer.Argument(
            help="右（取引先の顧客など）: ファイル又はデータセット ID / RIGHT: a file or a lake dataset id"
        ),
    ],
    links_out: Annotated[Path, typer.Option("--out", help="リンクの出力 (CSV/Parquet) / LINKS file")],
    threshold: Annotated[
        float,
        typer.Option("--threshold", help="採用する一致確率の下限 / accept links at or above", min=0, max=1),
    ] = 0.9,
    mapping: Annotated[Path | None, typer.Option("--mapping", help="列名の対応表 / header mapping")] = None,
    right_mapping: Annotated[
        Path | None, typer.Option("--right-mapping", help="右側だけの対応表 / mapping for RIGHT only")
    ] = None,
    purpose: Annotated[
        str | None,
        typer.Option("--purpose", help="利用目的 ID（同意で絞る）/ purpose: link consenting subjects only"),
    ] = None,
    snapshot: Annotated[
        Path | None, typer.Option("--snapshot", help="同意スナップショット（既定は最新）/ consent snapshot")
    ] = None,
    engagement: Annotated[str | None, typer.Option("--engagement", help="案件 ID / engagement id")] = None,
    subjects: Annotated[
        Path | None,
        typer.Option("--subjects", help="統合本人 ID の台帳 (Parquet) / unified subject id registry"),
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb | spark")] = "duckdb",
    deterministic_only: Annotated[
        bool, typer.Option("--deterministic-only", help="確定的照合のみ / identifier stage only")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON を標準出力へ / one JSON document")] = False,
) -> None:
    """Link LEFT to RIGHT: identifiers first, then Fellegi–Sunter on names, dates and addresses.

    メールアドレス・電話番号（E.164）で確定的に照合し（氏名・生年月日が矛盾する場合は除く）、
    残りを氏名の読み・生年月日・郵便番号・住所で確率的に照合し、本人ごとに統合 ID を振ります。
    LEFT and RIGHT are files, or datasets `mamori ingest` put in the lake, named as `mamori catalog
    list` shows them (`customers/ryutsu/20260402T030000-98fee939`, or `customers/ryutsu` for the
    latest ingest of that source).
    Columns: id and any of name, name_kana, birth_date, email, phone, postal_code, address, gender.
    LINKS has left_id,right_id,probability,evidence. With --purpose, only LEFT subjects whose
    consent covers the purpose (consent snapshot) are linked and the run is recorded in the ledger;
    without it, the caller vouches for the data.
    """
    from mamori.lake.match.engagement import MatchFiles, match_files
    from mamori.settings import Settings

    settings = Settings.from_env()
    (left_path, left_from, left_name), (right_path, right_from, right_name) = _sources(settings, left, right)
    job = MatchFiles(
        left=left_path, right=right_path, links_out=links_out, left_name=left_name, right_name=right_name,
        registry=subjects or settings.lake_dir / "match" / "subjects.parquet",
        mapping=mapping, right_mapping=right_mapping, purpose=purpose, snapshot=snapshot,
        lake_dir=settings.lake_dir,
    )  # fmt: skip
    with err.status(t("照合中…", "linking…")):
        report = match_files(job, _engine(engine), threshold=threshold, deterministic_only=deterministic_only)
    report["sources"] = {"left": left_from, "right": right_from}
    if purpose is not None:
        report["engagement"] = _record(settings, engagement, report)
    if as_json:
        emit_json(report)
    else:
        _print(report)


def _sources(settings: Any, *specs: str) -> list[tuple[Path, dict[str, str], str | None]]:
    """Resolve each of LEFT / RIGHT: an existing file, else a dataset in the lake's catalogue.

    Returns (path, where it came from for the report, the registry name: None = the file's stem).
    """
    from mamori.errors import InputError

    found: list[tuple[Path, dict[str, str], str | None]] = []
    catalog = None
    for side, spec in zip(("LEFT", "RIGHT"), specs, strict=True):
        if Path(spec).exists():
            found.append((Path(spec), {"file": spec}, None))
            continue
        if catalog is None:
            from mamori.bootstrap import build

            catalog = build(settings).catalog
        from mamori.services.catalog import find

        record = find(catalog, spec)
        if record is None:
            raise InputError(
                f"{spec} はファイルでもレイクのデータセットでもありません（mamori catalog list で確認）",
                f"{spec} is neither a file nor a lake dataset (see `mamori catalog list`)",
                field=side,
            )
        found.append((Path(record.path), {"dataset": record.dataset_id}, f"{record.kind}/{record.source}"))
    return found


def _engine(name: str) -> Any:
    from mamori.lake.match.engines import DuckDBEngine, SparkEngine

    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        return SparkEngine()
    from mamori.errors import InputError

    raise InputError(f"エンジン {name} は不明です", f"unknown engine {name}", field="--engine")


def _record(settings: Any, engagement: str | None, report: dict[str, Any]) -> dict[str, Any]:
    """Record the engagement, its purpose and the snapshot in the ledger's audit chain."""
    from mamori.bootstrap import build
    from mamori.lake.match.engagement import engagement_payload

    platform = build(settings)
    payload = engagement_payload(engagement, report)
    with platform.ledger.transaction("mamori match") as tx:
        entry = tx.audit("match-engagement-run", "mamori match", payload)
    return {"recorded": True, "audit_seq": getattr(entry, "seq", None), **payload}


def _print(report: dict[str, Any]) -> None:
    table = Table(title=t("段階ごとのリンク数", "links per stage"))
    table.add_column(t("段階", "stage"))
    table.add_column(t("件数", "count"), justify="right")
    for stage, count in report["stages"].items():
        table.add_row(stage, str(count))
    out.print(table)
    dist = Table(title=t("一致確率の分布", "probability distribution"))
    dist.add_column(t("帯", "band"))
    dist.add_column(t("リンク", "links"), justify="right")
    for band, count in report["probability_distribution"].items():
        dist.add_row(band, str(count))
    out.print(dist)
    out.print(
        t(
            f"左 {report['left_rows']} 行・右 {report['right_rows']} 行 → リンク {report['links']} 件、本人 {report['persons']} 人",
            f"LEFT {report['left_rows']} rows, RIGHT {report['right_rows']} rows → {report['links']} links, {report['persons']} persons",
        )
    )
    consent = report["consent"]
    if consent["vouched_by_caller"]:
        out.print(
            t(
                "注意: --purpose なしで実行したため、同意による絞り込みはしていません（データの適法性は呼出し側が保証）。",
                "note: no --purpose given, so no consent gate was applied: the caller vouches for the data.",
            )
        )
    else:
        out.print(
            t(
                f"同意ゲート: 目的 {consent['purpose']} の同意がない {consent['excluded_without_consent']} 人を除外 "
                f"[{', '.join(consent['rules'])}]（スナップショット {consent['snapshot']}）",
                f"consent gate: excluded {consent['excluded_without_consent']} subjects without consent to "
                f"{consent['purpose']} [{', '.join(consent['rules'])}] (snapshot {consent['snapshot']})",
            )
        )
    for side, source in report["sources"].items():
        out.print(f"{side.upper()} ← {source.get('dataset') or source.get('file')}")
    out.print(f"LINKS → {report['links_out']}, subjects → {report['subjects_out']}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("match")(match)
