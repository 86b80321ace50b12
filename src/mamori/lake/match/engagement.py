"""One matching engagement end to end: load, consent gate, link, cluster, report.

The CLI and the demo both run engagements through here; recording the engagement in the
ledger is the caller's (it needs the wired ledger), through `engagement_payload`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mamori.lake.match import clusters, records
from mamori.lake.match.pipeline import run
from mamori.lake.match.writer import write_frame


@dataclass(frozen=True, slots=True)
class MatchFiles:
    """What to link and where to write it."""

    left: Path
    right: Path
    links_out: Path
    registry: Path
    mapping: Path | None = None
    right_mapping: Path | None = None
    purpose: str | None = None
    snapshot: Path | None = None
    lake_dir: Path | None = None
    # Names under which the subject registry keeps each side's records (default: the file's stem);
    # a lake dataset uses its `kind/source`, so a re-ingest keeps the unified ids.
    left_name: str | None = None
    right_name: str | None = None


def match_files(
    job: MatchFiles, engine: Any, *, threshold: float = 0.9, deterministic_only: bool = False
) -> dict[str, Any]:
    """Link LEFT to RIGHT, cluster into persons with stable ids, and return the report."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    left_map = records.read_mapping(job.mapping)
    right_map = records.read_mapping(job.right_mapping) if job.right_mapping else left_map
    left_frame = records.load(job.left, left_map)
    right_frame = records.load(job.right, right_map)
    consent: dict[str, Any] = {"vouched_by_caller": job.purpose is None}
    left_in = left_frame
    if job.purpose is not None:
        from mamori.lake.match.consent import RULES, gate, latest_snapshot

        if job.snapshot is None and job.lake_dir is None:
            raise ValueError("a purpose needs a snapshot or the lake folder to find one")
        snap = job.snapshot or latest_snapshot(job.lake_dir)  # type: ignore[arg-type]
        the_gate = gate(snap, job.purpose)
        left_in, excluded = the_gate.split(left_frame)
        consent = {
            "vouched_by_caller": False,
            "purpose": job.purpose,
            "snapshot": str(snap),
            "snapshot_position": the_gate.position,
            "excluded_without_consent": excluded,
            "rules": list(RULES),
        }
    result = run(
        left_in, right_frame, engine, threshold=threshold, probabilistic_stage=not deterministic_only
    )
    write_frame(result.links, job.links_out)
    _, persons = clusters.update_registry(
        job.registry, result.links, left_in["id"].to_list(), right_frame["id"].to_list(),
        left_name=job.left_name or job.left.stem, right_name=job.right_name or job.right.stem,
    )  # fmt: skip
    return {
        "left_rows": left_frame.height,
        "right_rows": right_frame.height,
        "stages": result.stages,
        "probability_distribution": result.distribution,
        "links": result.links.height,
        "persons": persons,
        "links_out": str(job.links_out),
        "subjects_out": str(job.registry),
        "consent": consent,
    }


def engagement_payload(engagement: str | None, report: dict[str, Any]) -> dict[str, Any]:
    """Return what the ledger's audit chain records of a consent-gated engagement."""
    return {
        "engagement": engagement,
        "purpose": report["consent"]["purpose"],
        "snapshot": report["consent"]["snapshot"],
        "snapshot_position": report["consent"]["snapshot_position"],
        "left_rows": report["left_rows"],
        "right_rows": report["right_rows"],
        "excluded_without_consent": report["consent"]["excluded_without_consent"],
        "links": report["links"],
        "rules": report["consent"]["rules"],
        **({"sources": report["sources"]} if "sources" in report else {}),
    }
