"""Read what an anonymized dataset carries before it is provided: manifest, publication, columns.

`mamori anonymize` keeps next to OUT a manifest (items, business) and the APPI-43-3
publication in Japanese and English. Provision (APPI-43-4) reads them back here; whether
they are enough is the domain's judgement (`release_problems`).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from mamori.domain.anonymity.publication import Item, Release, Texts
from mamori.lake.anonymize.source import open_source


def _text(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def read_release(data: Path) -> Release:
    """Read an anonymized dataset's manifest, publication and columns (missing parts left empty)."""
    columns = tuple(open_source(data, duckdb.connect()).types)
    manifest_path = data.with_name(f"{data.name}.manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    if manifest.get("kind") != "anonymized":
        manifest = {}
    details = {d["name"]: d for d in manifest.get("item_details", [])}
    items = tuple(
        Item(name, details.get(name, {}).get("ja", ""), details.get(name, {}).get("en", ""))
        for name in manifest.get("items", [])
    )
    ja = _text(data.with_name(f"{data.name}.publication.ja.txt"))
    en = _text(data.with_name(f"{data.name}.publication.en.txt"))
    publication = Texts(ja, en) if ja is not None and en is not None else None
    return Release(str(data), str(manifest.get("business", "当社")), items, publication, columns)
