"""`mamori ingest`: take a partner file into the lake; every row is accepted or quarantined."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.markup import escape

from mamori.bootstrap import build
from mamori.cli.console import emit_json, err, out, progress
from mamori.errors import InputError
from mamori.i18n import t
from mamori.services.catalog import ProviderDeclaration
from mamori.services.intake import IngestOutcome, ingest


def read_declaration(path: Path | None) -> ProviderDeclaration | None:
    """Read a provider declaration file (APPI Art. 30(1) items)."""
    if path is None:
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        declaration = ProviderDeclaration(
            str(data["provider_name"]),
            str(data["provider_address"]),
            str(data["representative"]),
            str(data["acquisition_method"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise InputError(
            "申告ファイルには provider_name, provider_address, representative, acquisition_method が必要です",
            "a declaration needs provider_name, provider_address, representative and acquisition_method",
            file=str(path),
        ) from exc
    missing = declaration.missing()
    if missing:
        raise InputError(f"空の項目があります: {missing}", f"empty items: {missing}", file=str(path))
    return declaration


def ingest_command(
    file: Annotated[
        Path, typer.Argument(help="取り込むファイル（CSV/TSV/Parquet/JSON Lines）/ file to ingest")
    ],
    source: Annotated[str, typer.Option("--source", help="提供元の名前 / who provided the file")],
    kind: Annotated[
        str | None, typer.Option("--kind", help="members | customers | transactions | browsing | shops")
    ] = None,
    schema: Annotated[
        Path | None, typer.Option("--schema", help="独自の種類を定義する YAML / YAML defining a new kind")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="見出しの対応表 YAML / header mapping YAML")
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", help="文字コード（既定は自動判定）/ utf-8 | utf-8-sig | cp932 (default: detected)"
        ),
    ] = None,
    file_format: Annotated[
        str | None, typer.Option("--format", help="csv | tsv | parquet | jsonl（既定は拡張子）")
    ] = None,
    declaration: Annotated[
        Path | None,
        typer.Option("--declaration", help="提供元の申告 YAML（法30条）/ provider declaration (Art. 30)"),
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb（既定）| spark")] = "duckdb",
    provider_rules: Annotated[
        bool,
        typer.Option("--email-provider-rules", help="Gmail のドット・+ を同一視 / fold gmail dots and +tags"),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="集計を JSON で標準出力へ / summary as one JSON document")
    ] = False,
) -> None:
    """Ingest a file: normalize, validate, quarantine bad rows, publish atomically, register in the catalogue.

    取り込みは全行を受理か隔離に振り分け、rows_in = rows_accepted + rows_quarantined を必ず満たします。
    Shift_JIS/CP932 と UTF-8（BOM 付き）は自動判定。個人番号・カード番号の列があるファイルは拒否します（MYNUM-20）。
    Exit 0 when every row is accounted for (quarantined rows included); 2 for an unreadable file; 3 when refused.
    Example: mamori ingest world/customers_ryutsu.csv --kind customers --source ryutsu
    """
    from mamori.lake.intake import open_intake

    platform = build()
    now = platform.clock.now()
    declared = read_declaration(declaration)
    with progress() as bar:
        task = bar.add_task(t(f"取り込み中 {file.name}", f"ingesting {file.name}"), total=None)
        intake = open_intake(
            file, kind=kind, lake_dir=platform.settings.lake_dir, now=now, engine=engine, schema_file=schema,
            mapping_file=mapping, encoding=encoding, file_format=file_format, email_provider_rules=provider_rules,
            progress=lambda rows: bar.advance(task, rows),
        )  # fmt: skip
        outcome = ingest(intake, platform.catalog, source_name=source, now=now, declaration=declared)
    for warning in outcome.warnings:
        err.print(f"[yellow]警告 / warning:[/yellow] {escape(warning)}")
    if as_json:
        emit_json(summary(outcome, intake.raw.encoding, intake.raw.file_format))
        return
    _print_human(outcome)


def summary(outcome: IngestOutcome, encoding: str | None, file_format: str) -> dict[str, object]:
    """Return the `--json` document of an ingest."""
    from mamori.lake.intake.scan import finding_json

    record, published = outcome.record, outcome.published
    return {
        "dataset": record.dataset_id, "kind": record.kind, "source": record.source, "file": record.file_name,
        "sha256": record.file_sha256, "encoding": encoding, "format": file_format, "engine": record.engine,
        "rows_in": published.rows_in, "rows_accepted": published.rows_accepted,
        "rows_quarantined": published.rows_quarantined, "reasons": published.reasons,
        "confirmed": record.confirmed, "path": record.path,
        "columns": [finding_json(f) for f in outcome.findings], "marks": {k: list(v) for k, v in record.marks.items()},
        "warnings": outcome.warnings,
    }  # fmt: skip


def _print_human(outcome: IngestOutcome) -> None:
    p = outcome.published
    out.print(f"{escape(outcome.record.dataset_id)}")
    out.print(
        f"rows_in {p.rows_in:,} = rows_accepted {p.rows_accepted:,} + rows_quarantined {p.rows_quarantined:,}"
    )
    for reason, count in p.reasons.items():
        out.print(f"  {reason}\t{count:,}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("ingest")(ingest_command)
