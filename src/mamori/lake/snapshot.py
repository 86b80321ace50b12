"""The consent snapshot on DuckDB: one row per subject with purpose bitmasks, as Parquet.

The fold is the domain's (mamori.domain.consent.fold) in set form: invalid grants are ignored,
a subject is granted a purpose when its latest valid grant comes after its latest withdrawal or
objection, and objected when an objection comes after the latest valid grant. A parity test
holds the two to the same answers.
"""

from __future__ import annotations

import json
import os
from datetime import UTC
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from mamori.services.snapshot import SnapshotInfo, SnapshotInputs

SNAPSHOT_SCHEMA = pa.schema(
    [
        ("subject_id", pa.string()),
        ("granted_mask", pa.int64()),
        ("objected_mask", pa.int64()),
        ("ledger_position", pa.int64()),  # the same on every row: what the snapshot was read at
        ("taken_at", pa.timestamp("us", tz="UTC")),
    ]
)
_US_PER_DAY = 86_400_000_000
_JST_OFFSET_US = 9 * 3_600_000_000

_FOLD_SQL = """
WITH ev AS (
    SELECT e.seq, e.subject_id, e.purpose_id, e.action, e.terms_version, e.actor,
           epoch_us(e."at") AS at_us,
           DATE '1970-01-01' + CAST((epoch_us(e."at") + {jst}) // {day} AS INTEGER) AS jst_day
    FROM events e
    WHERE epoch_us(e."at") <= {at_us}
),
ranked AS (
    SELECT *, row_number() OVER (ORDER BY at_us, seq) AS k FROM ev
),
in_effect AS (
    SELECT r.*, t.version AS effective_version, t.purposes AS effective_purposes, g.age AS guardian_age
    FROM ranked r
    ASOF LEFT JOIN terms t ON r.jst_day >= t.effective
    ASOF LEFT JOIN guardian_age g ON r.jst_day >= g.effective
),
judged AS (
    SELECT i.subject_id, i.purpose_id, i.action, i.k,
           i.action = 'grant'
           AND s.id IS NOT NULL
           AND i.effective_version = i.terms_version
           AND list_contains(i.effective_purposes, i.purpose_id)
           AND CASE WHEN i.actor = 'guardian' THEN s.guardian_id IS NOT NULL
                    ELSE s.birth_date IS NULL
                         OR (year(i.jst_day) - year(s.birth_date)
                             - CASE WHEN (month(i.jst_day), day(i.jst_day))
                                         < (month(s.birth_date), day(s.birth_date)) THEN 1 ELSE 0 END)
                            >= coalesce(i.guardian_age, {default_age}) END AS valid_grant
    FROM in_effect i LEFT JOIN subjects s ON s.id = i.subject_id
),
standing AS (
    SELECT subject_id, purpose_id,
           max(k) FILTER (WHERE valid_grant) AS g,
           max(k) FILTER (WHERE action IN ('withdraw', 'object')) AS w,
           max(k) FILTER (WHERE action = 'object') AS o
    FROM judged GROUP BY ALL
),
masks AS (
    SELECT st.subject_id,
           bit_or(CASE WHEN st.g IS NOT NULL AND (st.w IS NULL OR st.g > st.w)
                       THEN CAST(1 AS BIGINT) << b.bit ELSE 0 END) AS granted_mask,
           bit_or(CASE WHEN st.o IS NOT NULL AND (st.g IS NULL OR st.o > st.g)
                       THEN CAST(1 AS BIGINT) << b.bit ELSE 0 END) AS objected_mask
    FROM standing st JOIN bits b ON b.purpose_id = st.purpose_id
    GROUP BY st.subject_id
)
SELECT s.id AS subject_id, coalesce(m.granted_mask, 0) AS granted_mask,
       coalesce(m.objected_mask, 0) AS objected_mask, {position}::BIGINT AS ledger_position,
       make_timestamp({at_us}::BIGINT)::TIMESTAMPTZ AS taken_at
FROM subjects s LEFT JOIN masks m ON m.subject_id = s.id
ORDER BY s.id
"""


def fold_masks(inputs: SnapshotInputs) -> pa.Table:
    """Fold the consent events into per-subject bitmasks (SNAPSHOT_SCHEMA)."""
    if max(inputs.bits.values(), default=0) > 62:
        raise ValueError("the snapshot bitmask holds at most 63 purposes")
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.register("events", inputs.events)
        con.register("subjects", inputs.subjects)
        con.register("terms", _terms_table(inputs))
        con.register("bits", pa.table({"purpose_id": list(inputs.bits), "bit": list(inputs.bits.values())}))
        con.register(
            "guardian_age",
            pa.table(
                {
                    "effective": pa.array([d for d, _ in inputs.config.guardian_age.entries], pa.date32()),
                    "age": pa.array([a for _, a in inputs.config.guardian_age.entries], pa.int32()),
                }
            ),
        )
        at_us = int(inputs.at.astimezone(UTC).timestamp() * 1_000_000)
        sql = _FOLD_SQL.format(
            jst=_JST_OFFSET_US,
            position=inputs.position,
            day=_US_PER_DAY,
            at_us=at_us,
            default_age=inputs.config.guardian_age.entries[0][1],
        )
        return con.sql(sql).to_arrow_table().cast(SNAPSHOT_SCHEMA)
    finally:
        con.close()


def _terms_table(inputs: SnapshotInputs) -> pa.Table:
    versions = inputs.terms.versions
    return pa.table(
        {
            "version": pa.array([v.version for v in versions], pa.string()),
            "effective": pa.array([v.effective for v in versions], pa.date32()),
            "purposes": pa.array([sorted(v.purposes) for v in versions], pa.list_(pa.string())),
        }
    )


class DuckDBSnapshotEngine:
    """Builds snapshots with DuckDB and publishes them atomically as Parquet."""

    def build(self, inputs: SnapshotInputs, out: Path) -> SnapshotInfo:
        """Write the snapshot (with its purposes, position and instant in the file's metadata)."""
        table = fold_masks(inputs)
        meta = {
            "mamori.position": str(inputs.position),
            "mamori.taken_at": inputs.at.isoformat(),
            "mamori.purpose_bits": json.dumps(inputs.bits, ensure_ascii=False),
        }
        table = table.replace_schema_metadata(meta)
        out.parent.mkdir(parents=True, exist_ok=True)
        temporary = out.with_name(f".{out.name}.tmp")
        pq.write_table(table, temporary)
        os.replace(temporary, out)  # never a half-written snapshot
        granted = {purpose: int(_count_bit(table, bit)) for purpose, bit in inputs.bits.items()}
        return SnapshotInfo(out, table.num_rows, inputs.position, inputs.at, granted)


def _count_bit(table: pa.Table, bit: int) -> int:
    con = duckdb.connect()
    try:
        con.register("s", table)
        found = con.execute(f"SELECT count(*) FROM s WHERE (granted_mask >> {bit}) & 1 = 1").fetchone()
        return int(found[0]) if found else 0
    finally:
        con.close()


def read_snapshot_meta(path: Path) -> dict[str, str]:
    """Return a snapshot's position, instant and purpose bits."""
    raw = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items() if k.startswith(b"mamori.")}
