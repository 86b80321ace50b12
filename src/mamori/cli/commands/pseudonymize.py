"""`mamori pseudonymize`: make pseudonymized information (仮名加工情報) for internal analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mamori.cli.console import emit_json, out


def _cols(text: str | None) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


def pseudonymize(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="CSV 又は Parquet / CSV or Parquet input")
    ],
    token: Annotated[str, typer.Option("--token", help="鍵付きトークンにする列 / columns to keyed tokens")],
    out_path: Annotated[Path, typer.Option("--out", help="出力 / output file")],
    keystore: Annotated[
        Path,
        typer.Option("--keystore", help="鍵ファイル（データと別の場所、0600）/ keystore file, kept apart"),
    ],
    keep: Annotated[str | None, typer.Option("--keep", help="残す列 / columns kept")] = None,
    key_id: Annotated[str, typer.Option("--key-id", help="鍵の識別子 / key id")] = "default",
    purpose: Annotated[
        str, typer.Option("--purpose", help="利用目的 / purpose of use")
    ] = "internal_analysis",
    force: Annotated[
        bool, typer.Option("--force", help="検知を確認済みとして続行 / override the scan")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="報告を標準出力へ / report on stdout")] = False,
) -> None:
    """Pseudonymize a table by PPC Rule 31 (internal analysis only; never to third parties).

    識別情報・個人識別符号・財産的被害のおそれのある項目を削除し、--token の列を鍵付きトークン
    （HMAC-SHA256）に置き換えます。鍵は --keystore（0600、アクセス記録つき）に別に保管されます。
    Columns not in --token or --keep are removed. Pseudonymized data is refused for provision
    to third parties (APPI-42-1).
    """
    from mamori.lake.pseudonymize.engine import PseudoJob, run

    report = run(
        PseudoJob(
            input_path,
            out_path,
            keystore,
            tokens=_cols(token),
            keep=_cols(keep),
            key_id=key_id,
            purpose=purpose,
            force=force,
        )
    )
    if as_json:
        emit_json(report)
        return
    out.print(f"{report['output']}: {report['rows']} rows, key {report['key_id']} ({report['keystore']})")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("pseudonymize")(pseudonymize)
