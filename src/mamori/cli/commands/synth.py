"""`mamori synth`: build a synthetic Japanese world (members, shops, purchases, client files)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Annotated

import typer

from mamori.cli.console import emit_json, err, out
from mamori.errors import InputError
from mamori.i18n import t

_SIZE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)([kKmM]?)$")


def parse_size(text: str, field: str) -> int:
    """Read 1000, 1k, 1M, 2.5M as a count."""
    found = _SIZE.match(text.strip())
    if not found:
        raise InputError(f"件数として読めません: {text!r}", f"not a count: {text!r}", field=field)
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[found.group(2).lower()]
    return int(float(found.group(1)) * factor)


def synth(
    out_dir: Annotated[Path, typer.Argument(help="出力フォルダ / folder to write the world into")] = Path(
        "world"
    ),
    members: Annotated[
        str, typer.Option("--members", "-n", help="会員数（1k, 1M など）/ members (1k, 1M, ...)")
    ] = "1k",
    transactions: Annotated[
        str | None,
        typer.Option("--transactions", help="購買件数（既定: 会員数×10）/ purchases (default 10 per member)"),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="乱数の種（同じ種なら同じ世界）/ seed: same seed, same files")
    ] = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help="結果を JSON で標準出力へ / one JSON document on stdout")
    ] = False,
) -> None:
    """Build a seeded synthetic world: members, consents, shops, purchases, client files, ground truth.

    実在の姓（人口付き）・名・郵便番号（日本郵便）から、決定的な合成データを作ります。
    顧客ファイルには表記ゆれ（全角・半角、+81、和暦、ヴ/ブ）、欠損、転居、重複が入ります。
    Example: mamori synth world --members 1k --seed 7
    """
    from mamori.lake.synth import SynthConfig, build_world

    config = SynthConfig(
        members=parse_size(members, "--members"),
        transactions=parse_size(transactions, "--transactions") if transactions else None,
        seed=seed,
    )
    started = time.perf_counter()
    with err.status(t("合成データを生成中…", "building the world…")) as status:
        summary = build_world(
            config, out_dir, lambda part: status.update(f"{t('生成中', 'building')}: {part}")
        )
    seconds = round(time.perf_counter() - started, 2)
    if as_json:
        emit_json(
            {"folder": summary.folder, "seed": summary.seed, "files": summary.files, "seconds": seconds}
        )
        return
    for name, rows in summary.files.items():
        out.print(f"{name}\t{rows:,}")
    err.print(t(f"{seconds} 秒で {out_dir} に書き出しました", f"wrote {out_dir} in {seconds} s"))


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("synth")(synth)
