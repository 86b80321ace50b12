"""Build a whole synthetic world into a folder: the files intake, matching and the demo read.

Deterministic: the same seed and sizes give byte-identical files. Each part draws from its
own random stream (numpy SeedSequence.spawn), so asking for more transactions does not
change the members.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from mamori.lake.synth.activity import browsing_frame, consent_events, needs_guardian
from mamori.lake.synth.clients import CLIENTS, ClientSpec, customer_frame, to_client_headers
from mamori.lake.synth.commerce import shops_frame, transactions_frame
from mamori.lake.synth.people import days_after, people_frame
from mamori.lake.synth.purposes import PURPOSES, TERMS


# Characters CP932 cannot encode are written as 〓 (geta), the substitute Japanese
# systems have long printed for a missing glyph.
def _geta(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeEncodeError)
    return "〓", exc.end


codecs.register_error("mamori-geta", _geta)

START = date(2019, 1, 1)
MEMBER_COLUMNS = [
    "member_id", "name", "name_kana", "birth_date", "gender", "postal_code", "prefecture",
    "city", "address", "phone", "email", "guardian_id", "joined_at",
]  # fmt: skip


@dataclass(frozen=True)
class SynthConfig:
    """Sizes, seed and the reference date of a world."""

    members: int = 1000
    transactions: int | None = None  # default: 10 per member
    browsing: int | None = None  # default: 5 page views per member
    seed: int = 0
    as_of: date = date(2026, 4, 1)
    clients: tuple[ClientSpec, ...] = CLIENTS

    @property
    def transaction_count(self) -> int:
        """Return the number of transactions to draw."""
        return self.transactions if self.transactions is not None else self.members * 10


@dataclass
class WorldSummary:
    """What was written: file name -> rows."""

    folder: str
    seed: int
    files: dict[str, int] = field(default_factory=dict)


def build_world(config: SynthConfig, out: Path, step: Callable[[str], None] | None = None) -> WorldSummary:
    """Generate every part of the world and write it under `out`."""
    tell = step or (lambda _: None)
    out.mkdir(parents=True, exist_ok=True)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(config.seed).spawn(8)]
    summary = WorldSummary(folder=str(out), seed=config.seed)

    tell("members")
    people = people_frame(streams[0], config.members, config.as_of, "M")
    joined = days_after(streams[1], START, config.as_of, config.members)
    seconds = streams[1].integers(8 * 3600, 22 * 3600, size=config.members).astype("timedelta64[s]")
    people = people.with_columns(
        joined_at=pl.Series((joined.astype("datetime64[s]") + seconds).astype("datetime64[us]")).cast(
            pl.Datetime("us")
        )
    )
    heads = people.select("household", pl.col("person_id").alias("head_id")).filter(
        pl.col("household").is_first_distinct()
    )
    people = people.join(heads, on="household", how="left", maintain_order="left").with_columns(
        guardian_id=pl.when(needs_guardian(people) & (pl.col("head_id") != pl.col("person_id"))).then(
            "head_id"
        )
    )
    # A child who would head a household alone cannot consent; the synthetic world has none.
    members = people.rename({"person_id": "member_id"})
    _write_csv(
        members.select(MEMBER_COLUMNS).with_columns(
            pl.col("joined_at").dt.strftime("%Y-%m-%dT%H:%M:%S+09:00")
        ),
        out / "members.csv",
        summary,
    )

    tell("consents")
    _write_csv(consent_events(streams[2], people, config.as_of), out / "consents.csv", summary)

    tell("shops")
    shops = shops_frame(streams[3], max(config.members // 100, 20))
    _write_csv(shops.select("shop_id", "name", "industry", "prefecture"), out / "shops.csv", summary)

    tell("transactions")
    sales = transactions_frame(streams[4], config.transaction_count, people, shops, START, config.as_of)
    sales = sales.with_columns(pl.col("purchased_at").dt.strftime("%Y-%m-%dT%H:%M:%S+09:00"))
    _write_csv(sales, out / "transactions.csv", summary)
    del sales

    tell("customers")
    outsiders = people_frame(streams[5], max(config.members // 2, 1), config.as_of, "P")
    truth = [
        members.select(
            pl.lit("members").alias("source"),
            pl.col("member_id").alias("record_id"),
            pl.col("member_id").alias("person_id"),
        )
    ]
    for spec in config.clients:
        records, client_truth = customer_frame(streams[6], spec, people, outsiders)
        truth.append(client_truth)
        _write_client(records, spec, out, summary)

    tell("browsing")
    views = browsing_frame(streams[7], config.browsing or config.members * 5, people, config.as_of)
    _write_jsonl(views.drop("true_person"), out / "browsing.jsonl", summary)
    cookies = (
        views.filter(pl.col("true_person").is_not_null())
        .select(
            pl.lit("browsing").alias("source"),
            pl.col("cookie_id").alias("record_id"),
            pl.col("true_person").alias("person_id"),
        )
        .unique(maintain_order=True)
    )
    truth.append(cookies)
    _write_csv(pl.concat(truth), out / "ground_truth.csv", summary)

    manifest = {
        "seed": config.seed,
        "as_of": config.as_of.isoformat(),
        "purposes": {
            p.id: {"kind": p.kind.value, "ja": p.description_ja, "en": p.description_en} for p in PURPOSES
        },
        "terms": [
            {"version": t.version, "effective": t.effective.isoformat(), "purposes": sorted(t.purposes)}
            for t in TERMS
        ],
        "files": summary.files,
        "clients": [asdict(c) for c in config.clients],
    }
    (out / "world.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary


def _write_csv(frame: pl.DataFrame, path: Path, summary: WorldSummary) -> None:
    frame.write_csv(path)
    summary.files[path.name] = frame.height


def _write_jsonl(frame: pl.DataFrame, path: Path, summary: WorldSummary) -> None:
    frame.write_ndjson(path)
    summary.files[path.name] = frame.height


def _write_client(records: pl.DataFrame, spec: ClientSpec, out: Path, summary: WorldSummary) -> None:
    frame = to_client_headers(records, spec)
    suffix = {"csv": "csv", "tsv": "tsv", "jsonl": "jsonl"}[spec.file_format]
    path = out / f"customers_{spec.name}.{suffix}"
    if spec.file_format == "jsonl":
        _write_jsonl(frame, path, summary)
        return
    text = frame.write_csv(separator="\t" if spec.file_format == "tsv" else ",")
    path.write_bytes(text.encode(spec.encoding, errors="mamori-geta"))
    summary.files[path.name] = frame.height
    if spec.mapping:
        import yaml

        mapping = {"columns": {header: field for field, header in spec.headers.items()}}
        text = "# the client's headers -> mamori's fields (mamori ingest --mapping)\n"
        text += yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False)
        (out / f"mapping_{spec.name}.yaml").write_text(text, encoding="utf-8")
