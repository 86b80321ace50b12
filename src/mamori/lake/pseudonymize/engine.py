"""Make pseudonymized data by PPC Rule 31 for internal analysis.

Rule 31: (1) delete descriptions that identify a person, (2) delete every individual
identification code, (3) delete items whose misuse could cause financial damage (card
numbers, bank accounts). Member ids become HMAC-SHA256 tokens under a key kept in the
keystore (so the business can still join its own pseudonymized tables, APPI-41), and the
result may never be provided to a third party (APPI-42-1; see ``provision_allowed``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
from cryptography.hazmat.primitives import hashes, hmac

from mamori.domain.anonymity.pii import scan_column
from mamori.domain.decision import Decision
from mamori.domain.policy import PolicyWorld, decide
from mamori.domain.recipients import Recipient
from mamori.domain.requests import Action, PolicyRequest, ProvisionKind
from mamori.errors import InputError, RefusedError
from mamori.lake.anonymize.source import open_source, q
from mamori.lake.pseudonymize.keystore import Keystore

# Rule 31(3): items that could cause property damage if misused.
_FINANCIAL = re.compile(r"card|credit|カード|口座|account_?no|bank|iban|cvv|暗証", re.I)


@dataclass(slots=True)
class PseudoJob:
    """What to pseudonymize: columns to tokenize and to keep; everything else is removed."""

    input: Path
    out: Path
    keystore: Path
    tokens: list[str]
    keep: list[str] = field(default_factory=list)
    key_id: str = "default"
    purpose: str = "internal_analysis"
    force: bool = False


def token(key: bytes, value: str) -> str:
    """Return the keyed token of a value (HMAC-SHA256, 128 bits in hex)."""
    mac = hmac.HMAC(key, hashes.SHA256())
    mac.update(value.encode("utf-8"))
    return mac.finalize()[:16].hex()


def run(job: PseudoJob) -> dict[str, Any]:
    """Pseudonymize ``job.input`` into ``job.out``; return the report."""
    if job.keystore.resolve().parent == job.out.resolve().parent:
        raise RefusedError(
            "鍵ファイルは仮名加工情報と別の場所に置いてください",
            "keep the keystore apart from the pseudonymized data (another folder)",
            rules=("APPI-41-1",),
        )
    con = duckdb.connect()
    source = open_source(job.input, con)
    for name in (*job.tokens, *job.keep):
        if name not in source.types:
            raise InputError(
                f"列 {name} が入力にありません", f"column {name} is not in the input", field=name
            )
    flagged = {}
    for name in job.keep:
        kind = scan_column(name, source.sample(name, 200))
        if kind is not None or _FINANCIAL.search(name):
            flagged[name] = kind.value if kind else "financial"
    if flagged and not job.force:
        raise RefusedError(
            f"残す列に識別情報・個人識別符号・財産的被害のおそれのある項目があります: {flagged}",
            f"kept columns hold identifying, identification-code or financial items: {flagged}",
            rules=("PPC-RULE-31",),
        )
    key = Keystore(job.keystore).key(job.key_id, purpose=job.purpose, dataset=str(job.out))
    for name in job.tokens:
        distinct = [r[0] for r in con.sql(f"SELECT DISTINCT CAST({q(name)} AS VARCHAR) FROM raw").fetchall()]
        # One HMAC per distinct value, then a join: never a Python loop over rows. DuckDB
        # scans the dict of numpy arrays by its variable name.
        tokens = {  # noqa: F841
            "v": np.array(distinct, dtype=object),
            "t": np.array([None if v is None else token(key, v) for v in distinct], dtype=object),
        }
        con.sql(f"CREATE OR REPLACE TEMP TABLE {q('__tok_' + name)} AS SELECT * FROM tokens")
    select, joins = [], []
    for name in source.types:
        if name in job.tokens:
            alias = q("__tok_" + name)
            select.append(f"{alias}.t AS {q(name)}")
            joins.append(f"LEFT JOIN {alias} ON CAST(raw.{q(name)} AS VARCHAR) = {alias}.v")
        elif name in job.keep:
            select.append(f"raw.{q(name)}")
    target = str(job.out).replace("'", "''")
    fmt = "PARQUET" if job.out.suffix.lower() == ".parquet" else "CSV, HEADER"
    job.out.parent.mkdir(parents=True, exist_ok=True)
    con.sql(f"COPY (SELECT {', '.join(select)} FROM raw {' '.join(joins)}) TO '{target}' (FORMAT {fmt})")
    removed = [c for c in source.types if c not in job.tokens and c not in job.keep]
    report = {
        "kind": "pseudonymized",
        "input": str(job.input),
        "output": str(job.out),
        "rows": source.rows_in,
        "key_id": job.key_id,
        "keystore": str(job.keystore),
        "tokenized": job.tokens,
        "kept": job.keep,
        "removed": removed,
        "forced": flagged,
        "rules": ["PPC-RULE-31", "APPI-41-1", "APPI-42-1"],
        "statement": {
            "ja": "仮名加工情報です。第三者に提供できません（第42条）。本人への連絡・再識別に利用できません（第41条）。",
            "en": "Pseudonymized information: never provided to third parties (Art. 42), never used to contact or re-identify (Art. 41).",
        },
    }
    job.out.with_name(job.out.name + ".manifest.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return report


def is_pseudonymized(dataset: Path) -> bool:
    """Tell whether a dataset's manifest marks it as pseudonymized information."""
    manifest = dataset.with_name(dataset.name + ".manifest.json")
    if not manifest.exists():
        return False
    return bool(json.loads(manifest.read_text(encoding="utf-8")).get("kind") == "pseudonymized")


def provision_decision(
    world: PolicyWorld, subject: str, purpose: str, recipient: Recipient, at: datetime
) -> Decision:
    """Ask the policy whether pseudonymized data may go to a recipient (APPI-42-1: never a third party)."""
    request = PolicyRequest(
        id=f"pseudonymized:{recipient.id}",
        at=at,
        subject=subject,
        action=Action.PROVIDE,
        purpose=purpose,
        kind=ProvisionKind.PSEUDONYMIZED,
        recipient=recipient,
    )
    return decide(world, request)
