"""`mamori hash`: the client-side tool that turns identifiers into keyed hashes before they leave."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mamori.cli.console import emit_json, err, out
from mamori.i18n import t


def hash_command(
    file: Annotated[Path, typer.Argument(help="顧客ファイル (CSV/Parquet) / customer file")],
    key: Annotated[Path, typer.Option("--key", help="案件ごとの鍵ファイル / per-engagement key file")],
    output: Annotated[Path, typer.Option("--out", help="出力 (CSV/Parquet) / output file")] = Path(
        "hashed.csv"
    ),
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="列名の対応表 / header mapping (YAML/JSON)")
    ] = None,
    new_key: Annotated[
        bool, typer.Option("--new-key", help="鍵を新規作成して終了 / create the key file and exit")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON を標準出力へ / one JSON document")] = False,
) -> None:
    """Normalize email and phone as intake does, then HMAC-SHA256 them with the engagement key.

    メールアドレスと電話番号を取り込みと同じ方法で正規化し、案件ごとの鍵で HMAC-SHA256 します。
    鍵なしのハッシュ（電話番号は総当たりで元に戻せる）は作りません。出力は id,email,phone のみ。
    The platform hashes its side with the same key and matches hashed against hashed:
    `mamori match MEMBERS_HASHED.csv CLIENT_HASHED.csv --out links.csv`.
    """
    from mamori.lake.match import keyed
    from mamori.lake.match.records import load, read_mapping
    from mamori.lake.match.writer import write_frame

    if new_key:
        keyed.new_key(key)
        err.print(t(f"鍵を作成しました: {key}", f"key written to {key}"))
        return
    frame = load(file, read_mapping(mapping))
    hashed = keyed.hash_frame(frame, keyed.read_key(key))
    write_frame(hashed, output)
    counts = {k: int(hashed[k].is_not_null().sum()) for k in keyed.KINDS}
    if as_json:
        emit_json({"rows": hashed.height, "hashed": counts, "out": str(output)})
    else:
        out.print(
            t(
                f"{hashed.height} 行: email {counts['email']} 件, phone {counts['phone']} 件をハッシュ化 → {output}",
                f"{hashed.height} rows: hashed {counts['email']} emails, {counts['phone']} phones → {output}",
            )
        )


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("hash")(hash_command)
