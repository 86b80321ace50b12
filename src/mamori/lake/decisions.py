"""Policy decisions for many (subject, purpose) pairs at once, against a consent snapshot.

The domain decides once per purpose and standing class (granted, objected, neither) with the
very function the portal uses; DuckDB then only picks, per pair, which of those decisions
applies. Vectorized decisions are therefore the domain's decisions by construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from mamori.domain.consent import Actor, ConsentAction, ConsentEvent, Standing
from mamori.domain.items import DataItem
from mamori.domain.policy import decide_with_standing
from mamori.domain.purposes import Purpose
from mamori.domain.requests import PolicyRequest

GRANTED, OBJECTED, NEITHER = 0, 1, 2


@dataclass(frozen=True, slots=True)
class BatchRequest:
    """What every pair in the batch asks, apart from the subject and the purpose."""

    template: PolicyRequest  # its subject and purpose are replaced per pair


def _standings(at: datetime) -> dict[int, Standing]:
    # A stand-in grant: only its existence matters to the decision once validity is settled.
    grant = ConsentEvent("*", "*", ConsentAction.GRANT, at, "*", Actor.SELF)
    return {
        GRANTED: Standing(grant=grant),
        OBJECTED: Standing(grant=None, objected=True),
        NEITHER: Standing(grant=None),
    }


def decision_table(
    purposes: Mapping[str, Purpose],
    items: Mapping[str, DataItem],
    bits: Mapping[str, int],
    batch: BatchRequest,
) -> pa.Table:
    """Decide each purpose once per standing class: key = bit * 3 + class."""
    rows: dict[str, list[object]] = {"key": [], "decision": [], "rules": [], "obligations": []}
    for purpose_id, bit in bits.items():
        for cls, standing in _standings(batch.template.at).items():
            request = replace(batch.template, purpose=purpose_id, subject="*")
            decision = decide_with_standing(purposes, items, request, standing)
            rows["key"].append(bit * 3 + cls)
            rows["decision"].append(decision.verdict.value)
            rows["rules"].append(list(decision.rules))
            rows["obligations"].append(list(decision.obligations))
    # A purpose the ledger does not know: the domain refuses it (APPI-18-1); key -1.
    unknown = decide_with_standing(
        purposes, items, replace(batch.template, purpose="\x00unknown"), Standing(grant=None)
    )
    rows["key"].append(-1)
    rows["decision"].append(unknown.verdict.value)
    rows["rules"].append(list(unknown.rules))
    rows["obligations"].append(list(unknown.obligations))
    return pa.table(
        {
            "key": pa.array(rows["key"], pa.int64()),
            "decision": pa.array(rows["decision"], pa.string()),
            "rules": pa.array(rows["rules"], pa.list_(pa.string())),
            "obligations": pa.array(rows["obligations"], pa.list_(pa.string())),
        }
    )


_DECIDE_SQL = """
SELECT p.subject_id, p.purpose_id, d.decision, d.rules, d.obligations
FROM pairs p
LEFT JOIN bits b ON b.purpose_id = p.purpose_id
LEFT JOIN read_parquet('{snapshot}') s ON s.subject_id = p.subject_id
JOIN decisions d ON d.key = CASE
    WHEN b.bit IS NULL THEN -1
    WHEN (coalesce(s.granted_mask, 0) >> b.bit) & 1 = 1 THEN b.bit * 3 + {granted}
    WHEN (coalesce(s.objected_mask, 0) >> b.bit) & 1 = 1 THEN b.bit * 3 + {objected}
    ELSE b.bit * 3 + {neither} END
"""


def decide_pairs(
    snapshot: Path,
    pairs: pa.Table,
    purposes: Mapping[str, Purpose],
    items: Mapping[str, DataItem],
    bits: Mapping[str, int],
    batch: BatchRequest,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pa.Table:
    """Decide every (subject_id, purpose_id) pair; unknown purposes are decided by the domain too."""
    own = con is None
    con = con or duckdb.connect()
    try:
        con.register("pairs", pairs)
        con.register("bits", pa.table({"purpose_id": list(bits), "bit": list(bits.values())}))
        con.register("decisions", decision_table(purposes, items, bits, batch))
        sql = _DECIDE_SQL.format(
            snapshot=str(snapshot).replace("'", "''"), granted=GRANTED, objected=OBJECTED, neither=NEITHER
        )
        return con.sql(sql).to_arrow_table()
    finally:
        if own:
            con.close()
