"""Backups that survive ransomware: numbered, checksummed, read-only generations elsewhere.

A generation is a folder `gen-000042/` holding a consistent copy of the ledger (SQLite's
online backup API copies a live database page by page under a read lock, so writers cannot
tear it), copies of the lake and evidence folders, and `manifest.json` with the SHA-256 of
every file. It is built under a temporary name and renamed when complete, then made
read-only; the manifest's own hash goes to `manifest.sha256` and is printed for the operator
to note elsewhere. File permissions do not stop an attacker with the same account: point
`--to` at storage the application account cannot delete from (WORM / object lock, another
host) — see docs/incidents.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from mamori.domain.incidents.backups import GenerationStamp, Retention, keep
from mamori.errors import ConfigError, InputError

MANIFEST, MANIFEST_HASH, LEDGER_NAME = "manifest.json", "manifest.sha256", "ledger.sqlite3"
_CHUNK = 1 << 20

# Checks a restored ledger file's audit chain; returns a description of the first break or None.
ChainCheck = Callable[[Path], str | None]


@dataclass(frozen=True, slots=True)
class Generation:
    """One backup generation as found on disk."""

    number: int
    path: Path
    taken_at: datetime
    files: int
    bytes: int
    manifest_sha256: str


@dataclass(slots=True)
class RestoreReport:
    """What a restore found: the files it checked and every problem (empty when sound)."""

    generation: int
    target: Path
    files_checked: int = 0
    problems: list[str] = field(default_factory=list)
    chain_checked: bool = False

    @property
    def ok(self) -> bool:
        """Tell whether everything verified."""
        return not self.problems


def sha256_file(path: Path) -> str:
    """Hash a file in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _number(path: Path) -> int | None:
    name = path.name
    return int(name[4:]) if name.startswith("gen-") and name[4:].isdigit() else None


def _guard_location(dest: Path, sources: list[Path]) -> None:
    resolved = dest.resolve()
    for source in sources:
        src = source.resolve()
        if resolved == src or src in resolved.parents or resolved in src.parents:
            raise ConfigError(
                f"バックアップ先はデータと別の場所にしてください: {dest}",
                f"the backup location must be separate from the data it protects: {dest}",
            )


def _copy_ledger(ledger: Path, target: Path) -> None:
    # Online backup API: a consistent snapshot even while another process writes.
    source = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
    finally:
        copy.close()
        source.close()


def make_read_only(root: Path) -> None:
    for path in _walk(root):
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    root.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)


def make_writable(root: Path) -> None:
    root.chmod(stat.S_IRWXU)
    for path in root.rglob("*"):
        path.chmod(stat.S_IRWXU if path.is_dir() else stat.S_IRUSR | stat.S_IWUSR)


def take_backup(
    dest: Path,
    *,
    ledger: Path | None,
    folders: dict[str, Path],
    now: datetime,
    files: dict[str, Path] | None = None,
    retention: Retention = Retention(),  # noqa: B008 - frozen, immutable default
) -> tuple[Generation, list[int]]:
    """Write the next generation under `dest`, then prune per the retention policy.

    Returns the new generation and the numbers pruned.
    """
    # The ledger's folder is the data's home: a backup inside it falls with it.
    sources = [p for p in (ledger.parent if ledger else None, *folders.values()) if p is not None]
    _guard_location(dest, sources)
    dest.mkdir(parents=True, exist_ok=True)
    existing = [n for p in dest.iterdir() if (n := _number(p)) is not None]
    number = max(existing, default=0) + 1
    partial = dest / f".gen-{number:06d}.partial"
    if partial.exists():
        make_writable(partial)
        shutil.rmtree(partial)
    partial.mkdir()
    if ledger is not None:
        if not ledger.is_file():
            raise InputError("台帳が見つかりません", "the ledger file does not exist", file=str(ledger))
        _copy_ledger(ledger, partial / LEDGER_NAME)
    for name, folder in folders.items():
        if folder.is_dir():
            shutil.copytree(folder, partial / name, symlinks=False)
    for name, single in (files or {}).items():
        if single.is_file():
            shutil.copyfile(single, partial / name)
    entries: list[dict[str, Any]] = [
        {"path": p.relative_to(partial).as_posix(), "sha256": sha256_file(p), "size": p.stat().st_size}
        for p in _walk(partial)
    ]
    manifest = {"generation": number, "taken_at": now.isoformat(), "format": 1, "files": entries}
    body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    (partial / MANIFEST).write_bytes(body)
    manifest_hash = hashlib.sha256(body).hexdigest()
    (partial / MANIFEST_HASH).write_text(manifest_hash + "\n", encoding="ascii")
    final = dest / f"gen-{number:06d}"
    make_read_only(partial)
    os.replace(partial, final)  # atomic: a generation is either complete or absent
    pruned = prune(dest, retention)
    size = sum(int(e["size"]) for e in entries)
    return Generation(number, final, now, len(entries), size, manifest_hash), pruned


def generations(dest: Path) -> list[Generation]:
    """List the complete generations under a backup location, oldest first."""
    found: list[Generation] = []
    if not dest.is_dir():
        return found
    for path in sorted(dest.iterdir()):
        number = _number(path)
        if number is None or not (path / MANIFEST).is_file():
            continue
        manifest = json.loads((path / MANIFEST).read_bytes())
        files = manifest["files"]
        found.append(
            Generation(
                number,
                path,
                datetime.fromisoformat(manifest["taken_at"]),
                len(files),
                sum(f["size"] for f in files),
                (path / MANIFEST_HASH).read_text(encoding="ascii").strip(),
            )
        )
    return found


def prune(dest: Path, retention: Retention) -> list[int]:
    """Delete the generations the retention policy does not keep; return their numbers."""
    gens = generations(dest)
    kept = keep((GenerationStamp(g.number, g.taken_at) for g in gens), retention)
    pruned = []
    for gen in gens:
        if gen.number not in kept:
            make_writable(gen.path)
            shutil.rmtree(gen.path)
            pruned.append(gen.number)
    return pruned


def restore(
    dest: Path, number: int | None, target: Path, chain_check: ChainCheck | None = None
) -> RestoreReport:
    """Copy a generation (default: the newest) into `target` and verify it there.

    Verifies the manifest's own hash, every file's SHA-256 and size, that no file was added,
    SQLite's integrity check on the ledger, and (when given) the ledger's audit chain.
    """
    gens = {g.number: g for g in generations(dest)}
    if not gens:
        raise InputError("バックアップがありません", "no backup generations found", file=str(dest))
    chosen = gens.get(number if number is not None else max(gens))
    if chosen is None:
        raise InputError(f"世代がありません: {number}", f"no such generation: {number}", field="generation")
    if target.exists() and any(target.iterdir()):
        raise InputError("復元先が空ではありません", "the restore target is not empty", file=str(target))
    target.mkdir(parents=True, exist_ok=True)
    report = RestoreReport(chosen.number, target)
    body = (chosen.path / MANIFEST).read_bytes()
    if hashlib.sha256(body).hexdigest() != chosen.manifest_sha256:
        report.problems.append("manifest.json does not match manifest.sha256")
    manifest = json.loads(body)
    listed = {f["path"] for f in manifest["files"]}
    for extra in _walk(chosen.path):
        rel = extra.relative_to(chosen.path).as_posix()
        if rel not in listed and rel not in (MANIFEST, MANIFEST_HASH):
            report.problems.append(f"{rel}: not in the manifest")
    for entry in manifest["files"]:
        source, copy = chosen.path / entry["path"], target / entry["path"]
        if not source.is_file():
            report.problems.append(f"{entry['path']}: missing")
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
        report.files_checked += 1
        if copy.stat().st_size != entry["size"] or sha256_file(copy) != entry["sha256"]:
            report.problems.append(f"{entry['path']}: checksum mismatch")
    ledger = target / LEDGER_NAME
    if ledger.is_file():
        report.problems += _sqlite_problems(ledger)
        if chain_check is not None and not report.problems:
            report.chain_checked = True
            if (broken := chain_check(ledger)) is not None:
                report.problems.append(f"audit chain: {broken}")
    return report


def _sqlite_problems(path: Path) -> list[str]:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return [f"{LEDGER_NAME}: {exc}"]
    return [] if rows == [("ok",)] else [f"{LEDGER_NAME}: {r[0]}" for r in rows]


def put_live(
    scratch: Path,
    *,
    ledger: Path | None,
    folders: dict[str, Path],
    aside: Path,
    files: dict[str, Path] | None = None,
) -> None:
    """Swap a verified restore into place, moving the damaged live data to `aside` (never deleting it)."""
    aside.mkdir(parents=True, exist_ok=False)
    pairs: list[tuple[Path, Path]] = [
        (scratch / name, live) for name, live in {**folders, **(files or {})}.items()
    ]
    if ledger is not None:
        pairs.append((scratch / LEDGER_NAME, ledger))
        for suffix in ("-wal", "-shm", "-journal"):  # stale journals would be replayed onto the copy
            stale = ledger.with_name(ledger.name + suffix)
            if stale.exists():
                os.replace(stale, aside / stale.name)
    for restored, live in pairs:
        if live.exists():
            os.replace(live, aside / live.name)
        if restored.exists():
            live.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(restored, live)
