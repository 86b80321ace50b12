"""Files kept with an anonymized dataset: report, publication, provision notice, manifest,
and — apart, readable by the owner only — the processing method information.

APPI-43-2 / Rule 35: the processing method (hierarchies, levels, bounds) would help undo
the anonymization, so it is written under a 0700 folder as a 0600 file, never next to the
data that leaves. Salts and token keys are never written at all.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from mamori.domain.anonymity.publication import Item, Texts, provision_notice, publication

RESTRICTED = ".mamori-restricted"


def items_of(report: dict[str, Any]) -> list[Item]:
    """List the items the output contains, with what was done to each."""
    items = []
    for column in report["columns"]:
        if column["role"] == "identifying":
            continue
        items.append(Item(column["name"], column["action"]["ja"], column["action"]["en"]))
    return items


def _write_text(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def _write_private(path: Path, document: dict[str, Any]) -> str:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=2)
    os.chmod(path, 0o600)
    return str(path)


def write_paperwork(
    report: dict[str, Any],
    out: Path,
    *,
    business: str,
    made_on: date,
    recipient: str | None,
    method_ja: str,
    method_en: str,
    lineage_id: str,
) -> dict[str, str]:
    """Write publication, notice and manifest next to OUT, and the method information apart."""
    dataset = out.name
    items = items_of(report)
    written: dict[str, str] = {}
    texts: dict[str, Texts] = {"publication": publication(business, dataset, made_on, items)}
    if recipient:
        texts["provision-notice"] = provision_notice(
            business, dataset, recipient, method_ja, method_en, items
        )
    for name, text in texts.items():
        for lang in ("ja", "en"):
            written[f"{name}.{lang}"] = _write_text(
                out.with_name(f"{out.name}.{name}.{lang}.txt"), getattr(text, lang)
            )
    manifest = {
        "dataset": dataset,
        "kind": "anonymized",
        "statement": {
            "ja": "本データは個人情報保護法に定める匿名加工情報です。",
            "en": "This data is anonymized information under the APPI.",
        },
        "no_reidentification": {
            "ja": "受領者は本人の識別のための照合をしてはなりません（第45条）。",
            "en": "Recipients must not re-identify anyone (Art. 45).",
        },
        "items": [i.name for i in items],
        # What was done to each item and by whom: provision rebuilds the APPI-43-4 statement from these.
        "item_details": [{"name": i.name, "ja": i.ja, "en": i.en} for i in items],
        "business": business,
        "lineage_id": lineage_id,
        "made_on": made_on.isoformat(),
        "privacy_model": report["model"]["described"],
        "rules": ["PPC-RULE-34", "APPI-43-3", "APPI-43-4", "APPI-43-5"],
    }
    written["manifest"] = _write_text(
        out.with_name(f"{out.name}.manifest.json"), json.dumps(manifest, ensure_ascii=False, indent=2)
    )
    method = {
        "dataset": dataset,
        "rule": "APPI-43-2",
        "model": report["model"],
        "algorithm": report["algorithm"],
        "lattice": report.get("lattice"),
        "steps": report["steps"],
        "columns": report["columns"],
    }
    written["method"] = _write_private(out.parent / RESTRICTED / f"{out.name}.method.json", method)
    return written
