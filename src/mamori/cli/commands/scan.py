"""`mamori scan`: say which columns of a file hold which kinds of personal data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.markup import escape

from mamori.cli.console import emit_json, out
from mamori.domain.calendar import JST


def scan_command(
    file: Annotated[Path, typer.Argument(help="調べるファイル / file to scan (CSV/TSV/Parquet/JSON Lines)")],
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="文字コード（既定は自動判定）/ default: detected")
    ] = None,
    file_format: Annotated[str | None, typer.Option("--format", help="csv | tsv | parquet | jsonl")] = None,
    rows: Annotated[int, typer.Option("--rows", help="調べる行数の上限 / rows to read at most")] = 100_000,
    as_json: Annotated[
        bool, typer.Option("--json", help='{"columns": [{"name", "kinds", "share"}]} を出力')
    ] = False,
) -> None:
    """Classify every column: email, phone, postal_code, address, person_name, birth_date, my_number, card_number, ip_address, device_id.

    各列の個人情報の種類と、該当した行の割合を示します。個人番号は検査用数字（MYNUM-CD）で判定します。
    share = matching cells / rows read; a kind is given when at least half of the non-empty cells match.
    """
    from mamori.lake.intake.read import open_file
    from mamori.lake.intake.scan import finding_json, scan_frame

    raw = open_file(file, declared_encoding=encoding, declared_format=file_format)
    try:
        batches = list(raw.batches(limit=rows))
    finally:
        raw.close()
    frame = (
        pl.concat(batches, how="diagonal")
        if batches
        else pl.DataFrame(schema=dict.fromkeys(raw.headers, pl.String))
    )
    findings = scan_frame(frame, datetime.now(JST).date(), raw.headers)
    if as_json:
        emit_json({"columns": [finding_json(f) for f in findings]})
        return
    for finding in findings:
        kinds = ", ".join(k.value for k in finding.kinds) or "-"
        flags = f"  ({', '.join(finding.flags)})" if finding.flags else ""
        out.print(f"{escape(finding.name)}\t{kinds}\t{finding.share:.2f}{flags}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("scan")(scan_command)
