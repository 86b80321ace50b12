"""`mamori backup` and `mamori restore`: generations that survive ransomware, and the drill."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from sqlalchemy.engine import make_url

from mamori.cli.console import emit_json, err, out
from mamori.domain.incidents.backups import Retention
from mamori.errors import ConfigError, InputError
from mamori.i18n import t
from mamori.settings import Settings

ANCHOR_NAME = "audit-anchor.json"
BackupDir = Annotated[
    Path,
    typer.Option(
        "--to",
        envvar="MAMORI_BACKUP_DIR",
        help="バックアップ先（データと別の場所・書換え不可の媒体を推奨）/ backup location, separate from the data",
    ),
]


def _sources(settings: Settings) -> tuple[Path, dict[str, Path], dict[str, Path]]:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise ConfigError(
            "mamori backup は SQLite の台帳が対象です。PostgreSQL は pg_dump / PITR を使ってください",
            "mamori backup covers a SQLite ledger; for PostgreSQL use pg_dump or PITR",
        )
    folders = {"lake": settings.lake_dir, "evidence": settings.home / "incidents" / "evidence"}
    return Path(url.database), folders, {ANCHOR_NAME: settings.home / ANCHOR_NAME}


def backup(
    to: BackupDir,
    keep_last: Annotated[int, typer.Option(help="直近の世代数 / newest generations kept")] = 7,
    keep_daily: Annotated[int, typer.Option(help="日次で残す日数 / days with one kept")] = 14,
    keep_weekly: Annotated[int, typer.Option(help="週次で残す週数 / weeks with one kept")] = 8,
    as_json: Annotated[bool, typer.Option("--json", help="JSON を1つ標準出力へ / one JSON document")] = False,
) -> None:
    """Take the next numbered generation of the ledger and lake: consistent, checksummed, read-only.

    台帳（SQLite のオンラインバックアップ）とレイク・証拠を世代番号付きで別の場所へ複製し、
    SHA-256 のマニフェストを付けて読み取り専用にします。保持方針に従って古い世代を削除します。
    """
    from mamori.files.backup import take_backup

    settings = Settings.from_env()
    ledger, folders, files = _sources(settings)
    policy = Retention(last=keep_last, daily=keep_daily, weekly=keep_weekly)
    gen, pruned = take_backup(
        to, ledger=ledger, folders=folders, files=files, now=datetime.now(UTC), retention=policy
    )
    if as_json:
        emit_json(
            {
                "generation": gen.number,
                "path": str(gen.path),
                "files": gen.files,
                "bytes": gen.bytes,
                "manifest_sha256": gen.manifest_sha256,
                "pruned": pruned,
            }
        )
        return
    out.print(
        t(
            f"世代 {gen.number} を作成しました: {gen.path}（{gen.files}ファイル、{gen.bytes:,}バイト）",
            f"generation {gen.number} written: {gen.path} ({gen.files} files, {gen.bytes:,} bytes)",
        )
    )
    out.print(f"manifest SHA-256: {gen.manifest_sha256}")
    if pruned:
        err.print(t(f"保持方針により削除: {pruned}", f"pruned by the retention policy: {pruned}"))


def _chain_check(ledger: Path) -> str | None:
    """Verify a restored ledger's audit chain against the anchor saved beside it."""
    from mamori.ledger.incidents import verify_ledger_file

    anchor = ledger.parent / ANCHOR_NAME
    return verify_ledger_file(ledger, anchor if anchor.is_file() else None)


def restore_cmd(
    to: BackupDir,
    generation: Annotated[
        int | None, typer.Argument(help="世代番号（既定: 最新）/ generation (default: newest)")
    ] = None,
    verify: Annotated[
        bool, typer.Option("--verify", help="チェックサムと監査チェーンを検証 / verify checksums and chain")
    ] = True,
    into: Annotated[Path | None, typer.Option(help="復元先（既定: 一時フォルダ）/ scratch folder")] = None,
    live: Annotated[
        bool,
        typer.Option(
            "--live", help="検証後に本番データと入れ替える / swap into the live data after verifying"
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON を1つ標準出力へ / one JSON document")] = False,
) -> None:
    """Restore a generation into a scratch folder and verify it; with --live, swap it in.

    世代を作業用フォルダへ復元し、全ファイルの SHA-256・SQLite の整合性・監査チェーンを検証します。
    --live を付けると、検証に通った場合に限り本番データと入れ替えます（損傷したデータは退避）。
    """
    from mamori.files.backup import put_live, restore

    settings = Settings.from_env()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    scratch = into or settings.home.parent / f".mamori-restore-{stamp}"
    report = restore(to, generation, scratch, chain_check=_chain_check if verify else None)
    if live and not report.ok:
        raise InputError(
            "検証に失敗したため入れ替えません",
            "verification failed: not swapping into live",
            field="generation",
        )
    moved_to = None
    if live:
        ledger, folders, files = _sources(settings)
        moved_to = settings.home.parent / f".mamori-damaged-{stamp}"
        put_live(scratch, ledger=ledger, folders=folders, files=files, aside=moved_to)
    if as_json:
        emit_json(
            {
                "generation": report.generation,
                "target": str(report.target),
                "files_checked": report.files_checked,
                "chain_checked": report.chain_checked,
                "ok": report.ok,
                "problems": report.problems,
                "live": live,
                "damaged_moved_to": str(moved_to) if moved_to else None,
            }
        )
    else:
        state = t("検証に合格", "verified") if report.ok else t("検証に失敗", "verification FAILED")
        out.print(f"{t('世代', 'generation')} {report.generation} → {escape(str(report.target))}: {state}")
        out.print(
            t(
                f"ファイル {report.files_checked} 件、監査チェーン {'検証済み' if report.chain_checked else '未検証'}",
                f"{report.files_checked} files, audit chain {'verified' if report.chain_checked else 'not checked'}",
            )
        )
        for problem in report.problems:
            out.print(f"  [red]✗[/red] {escape(problem)}")
        if moved_to:
            out.print(
                t(
                    f"本番データを入れ替えました。損傷したデータ: {moved_to}",
                    f"live data replaced; damaged data kept in {moved_to}",
                )
            )
    raise typer.Exit(0 if report.ok else 1)


def list_generations(to: BackupDir, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the backup generations. / バックアップの世代一覧。"""
    from mamori.files.backup import generations

    gens = generations(to)
    if as_json:
        emit_json(
            {
                "generations": [
                    {
                        "number": g.number,
                        "taken_at": g.taken_at.isoformat(),
                        "files": g.files,
                        "bytes": g.bytes,
                    }
                    for g in gens
                ]
            }
        )
        return
    for g in gens:
        out.print(f"{g.number:6d}  {g.taken_at.isoformat()}  {g.files:5d} files  {g.bytes:,} bytes")


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command("backup")(backup)
    app.command("restore")(restore_cmd)
    app.command("backups")(list_generations)
