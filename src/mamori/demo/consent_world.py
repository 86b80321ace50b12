"""A seeded synthetic membership with a realistic consent history, built in vectorized form.

Members' ages follow Japan's population roughly (minors included, with a guardian); most adults
grant the analysis purposes under the terms of their time, some grant provision to advertisers
under the 2021 terms, some withdraw, and a consent screen that kept showing the old terms after
the change leaves a few grants recorded under a superseded version (which do not count).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import pyarrow as pa

from mamori.domain.subjects import Subject
from mamori.services.event_table import EVENT_SCHEMA

_T0 = datetime(2019, 4, 1, tzinfo=UTC)
_T_TERMS2 = datetime(2021, 7, 1, tzinfo=UTC)
_T_END = datetime(2026, 10, 31, tzinfo=UTC)
# Share of Japan's population by age band (0-14, 15-19, 20-39, 40-64, 65-89), roughly.
_AGE_BANDS = ((0, 14, 0.12), (15, 19, 0.05), (20, 39, 0.21), (40, 64, 0.33), (65, 89, 0.29))


@dataclass(frozen=True, slots=True)
class ConsentWorld:
    """Members and their consent events."""

    members: list[Subject]
    events: pa.Table  # EVENT_SCHEMA without positions


def build_world(members: int, seed: int = 20261127, today: date = date(2026, 11, 1)) -> ConsentWorld:
    """Build `members` members and their consent histories."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"M{n:08d}" for n in range(members)])
    band = rng.choice(len(_AGE_BANDS), size=members, p=[b[2] for b in _AGE_BANDS])
    low = np.array([_AGE_BANDS[b][0] for b in band])
    high = np.array([_AGE_BANDS[b][1] for b in band])
    age_days = ((low + rng.random(members) * (high - low + 1)) * 365.25).astype(int)
    births = np.datetime64(today) - age_days.astype("timedelta64[D]")
    adults = np.flatnonzero(age_days >= 20 * 365.25)
    minors = np.flatnonzero(age_days < 16 * 365.25)
    guardians = {int(m): ids[int(rng.choice(adults))] for m in minors} if adults.size else {}
    people = [Subject(str(ids[i]), births[i].astype(date), guardians.get(i)) for i in range(members)]
    events = _events(rng, ids, age_days, minors)
    return ConsentWorld(people, events)


def _instants(rng: np.random.Generator, n: int, start: datetime, end: datetime) -> np.ndarray:
    span = int((end - start).total_seconds())
    return np.datetime64(start.replace(tzinfo=None)) + rng.integers(0, span, n).astype("timedelta64[s]")


def _events(rng: np.random.Generator, ids: np.ndarray, age_days: np.ndarray, minors: np.ndarray) -> pa.Table:
    n = ids.size
    grown = age_days >= 16 * 365.25
    columns: dict[str, list[np.ndarray]] = {
        k: [] for k in ("subject", "purpose", "action", "at", "terms", "by")
    }

    def add(
        who: np.ndarray, purpose: str, action: str, at: np.ndarray, terms: np.ndarray | str, by: str
    ) -> None:
        columns["subject"].append(ids[who])
        columns["purpose"].append(np.full(who.size, purpose))
        columns["action"].append(np.full(who.size, action))
        columns["at"].append(at)
        columns["terms"].append(np.broadcast_to(np.asarray(terms), who.shape).astype(str))
        columns["by"].append(np.full(who.size, by))

    joined = _instants(rng, n, _T0, _T_END)
    terms_then = np.where(joined < np.datetime64(_T_TERMS2.replace(tzinfo=None)), "2019-04", "2021-07")
    for purpose, share in (("point_service", 0.97), ("analysis", 0.85), ("lifestyle_profiling", 0.55)):
        who = np.flatnonzero(grown & (rng.random(n) < share))
        add(who, purpose, "grant", joined[who], terms_then[who], "self")
        kids = np.array([m for m in minors if rng.random() < share], dtype=int)
        add(kids, purpose, "grant", joined[kids], terms_then[kids], "guardian")
    # The 2021 terms widened the purposes: a fresh grant is needed, and only some give it.
    later = np.maximum(joined, np.datetime64(_T_TERMS2.replace(tzinfo=None))) + rng.integers(
        3600, 400 * 86400, n
    ).astype("timedelta64[s]")
    later = np.minimum(later, np.datetime64(_T_END.replace(tzinfo=None)))
    for purpose, share in (("provide_ads", 0.3), ("anon_sale", 0.5)):
        who = np.flatnonzero(grown & (rng.random(n) < share))
        add(who, purpose, "grant", later[who], "2021-07", "self")
    # A stale consent screen: grants recorded under the superseded 2019 terms after the change.
    stale = np.flatnonzero(grown & (rng.random(n) < 0.02))
    add(stale, "provide_ads", "grant", later[stale], "2019-04", "self")
    # Minors who tapped "agree" themselves: not valid without the guardian (APPI-CONSENT-4).
    selfish = np.array([m for m in minors if rng.random() < 0.3], dtype=int)
    add(selfish, "lifestyle_profiling", "grant", joined[selfish], terms_then[selfish], "self")
    # Some say NO later.
    for purpose, share in (("provide_ads", 0.25), ("lifestyle_profiling", 0.08)):
        who = np.flatnonzero(grown & (rng.random(n) < share * 0.5))
        after = np.minimum(
            later[who] + rng.integers(86400, 300 * 86400, who.size).astype("timedelta64[s]"),
            np.datetime64(_T_END.replace(tzinfo=None)),
        )
        add(who, purpose, "withdraw", after, "2021-07", "self")
    at = np.concatenate(columns["at"]).astype("datetime64[us]")
    order = np.argsort(at, kind="stable")
    total = at.size
    return pa.Table.from_arrays(
        [
            pa.nulls(total, pa.int64()),
            pa.array(np.concatenate(columns["subject"])[order]),
            pa.array(np.concatenate(columns["purpose"])[order]),
            pa.array(np.concatenate(columns["action"])[order]),
            pa.array(at[order]).cast(pa.timestamp("us", tz="UTC")),
            pa.array(np.concatenate(columns["terms"])[order]),
            pa.array(np.concatenate(columns["by"])[order]),
            pa.array(np.full(total, "demo")),
            pa.array(np.full(total, "")),
        ],
        schema=EVENT_SCHEMA,
    )
