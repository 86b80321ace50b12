"""The demo's intake: the synthetic world's partner files go through `ingest`, nothing lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mamori.bootstrap import Platform
from mamori.lake.intake import open_intake
from mamori.services.intake import ingest

Progress = Callable[[str, int, int], None]

# (file name pattern in the synth folder, kind, source). A client file with its own headers
# comes with the mapping file that synth writes beside it (mapping_<client>.yaml).
FILES = (
    ("transactions.csv", "transactions", "partner-pos"),
    ("customers_*.*", "customers", None),
    ("browsing.jsonl", "browsing", "dmp"),
)


def _files(world: Path) -> list[tuple[Path, str, str, Path | None]]:
    found = []
    for pattern, kind, source in FILES:
        for path in sorted(world.glob(pattern)):
            client = path.stem.split("_", 1)[1] if source is None else source
            mapping = world / f"mapping_{client}.yaml"
            found.append((path, kind, client, mapping if mapping.exists() else None))
    return found


def run_intake_step(platform: Platform, world: Path, step: Progress) -> list[str]:
    """Ingest each partner file of the world; return one line per dataset for the report."""
    notes = []
    files = _files(world)
    for index, (path, kind, source, mapping) in enumerate(files):
        step("partner files / 提携先ファイルの取り込み", index, len(files))
        now = platform.clock.now()
        intake = open_intake(
            path, kind=kind, lake_dir=platform.settings.lake_dir, now=now, mapping_file=mapping
        )
        record = ingest(intake, platform.catalog, source_name=source, now=now).record
        notes.append(
            f"取り込み / ingest {path.name}: rows_in {record.rows_in:,} = accepted {record.rows_accepted:,} "
            f"+ quarantined {record.rows_quarantined:,} → {record.dataset_id}"
        )
    step("partner files / 提携先ファイルの取り込み", len(files), len(files))
    return notes
