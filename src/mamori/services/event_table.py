"""The Arrow form of consent events that readers produce and the ledger loads in bulk."""

from __future__ import annotations

import pyarrow as pa

COLUMNS = (
    "seq",
    "subject_id",
    "purpose_id",
    "action",
    "at",
    "terms_version",
    "actor",
    "channel",
    "text_hash",
)
EVENT_SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        ("subject_id", pa.string()),
        ("purpose_id", pa.string()),
        ("action", pa.string()),
        ("at", pa.timestamp("us", tz="UTC")),
        ("terms_version", pa.string()),
        ("actor", pa.string()),
        ("channel", pa.string()),
        ("text_hash", pa.string()),
    ]
)
SUBJECT_SCHEMA = pa.schema([("id", pa.string()), ("birth_date", pa.date32()), ("guardian_id", pa.string())])
# Ids travel as PostgreSQL COPY text lines, which these characters would break.
FORBIDDEN = ("\t", "\n", "\r", "\\")
