"""`mamori provisions-export`: the provision records for a regulator, as the console's export writes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mamori.cli.console import emit_json, out
from mamori.errors import InputError
from mamori.i18n import t


def provisions_export(
    out_path: Annotated[Path, typer.Option("--out", help="出力ファイル（.csv / .json）/ file to write")],
    subject: Annotated[str | None, typer.Option("--subject", help="本人 ID / subject id")] = None,
    recipient: Annotated[str | None, typer.Option("--recipient", help="提供先 ID / recipient id")] = None,
    since: Annotated[str | None, typer.Option("--since", help="この日以降（JST）/ from date")] = None,
    until: Annotated[str | None, typer.Option("--until", help="この日まで（JST）/ to date")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON で結果を出力 / print one JSON document")
    ] = False,
) -> None:
    """Write the provision records for a regulator: every item of every record, audit-chained.

    監督当局への提出用に、検索した提供の記録（第29条の全項目、保存期限、第31条・第28条の記録）を
    書き出します。.csv は表計算ソフトで数式として実行されないよう無害化し（先頭の = + - @ に ' を付加）、
    .json はコンソールの書き出しと同じ形式です。書き出しは監査ログに記録されます。
    """
    from mamori.bootstrap import build, build_portal, build_records
    from mamori.services.regulator_export import Filters, export_summary, regulator_csv, regulator_document

    suffix = out_path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise InputError("出力は .csv か .json です", "the output is .csv or .json", file=str(out_path))
    platform = build()
    filters = Filters.read(subject, recipient, since, until)
    document = regulator_document(build_records(platform).provisions, filters, platform.clock.now())
    # A BOM so that Excel reads the Japanese CSV as UTF-8, as the console's download does.
    body = (
        json.dumps(document, ensure_ascii=False, indent=2)
        if suffix == ".json"
        else "\ufeff" + regulator_csv(document)
    )
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(body, encoding="utf-8")
    summary = export_summary(document, suffix[1:], body)
    build_portal(platform).store.audit("provision-records-exported", "cli", summary)
    if as_json:
        emit_json({"path": str(out_path), **summary})
        return
    out.print(
        t(
            f"提供 {summary['provisions']} 件の記録を書き出しました → {out_path}",
            f"wrote the records of {summary['provisions']} provisions → {out_path}",
        )
    )


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("provisions-export")(provisions_export)
