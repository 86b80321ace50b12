"""Browsing logs keyed by cookie ids, and every member's consent events.

Consent follows mamori's terms history: terms v1 (2019) covered service, analysis and
targeting; terms v2 (April 2022, when the amended APPI came into force) added profiling
and provision to partner companies, which v1 consent does not carry over (APPI-CONSENT-3),
so members who joined under v1 grant those only if they re-consent under v2. A member
under the guardian age at the time consents through the guardian (APPI-CONSENT-1).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from mamori.domain.config import DEFAULT_CONFIG
from mamori.lake.synth.purposes import TERMS

_V2 = TERMS[1].effective
GUARDIAN_AGE = DEFAULT_CONFIG.guardian_age.entries[0][1]
_GRANT_SHARE = {
    "service": 1.0,
    "analysis": 0.8,
    "targeting": 0.5,
    "profiling": 0.4,
    "provide_partners": 0.3,
    "anon_sale": 0.45,
}
_CHANNELS = ["web", "app", "store"]


def consent_events(rng: np.random.Generator, members: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Return consent events (subject, purpose, action, at, terms, by, channel) for every member."""
    joined = members["joined_at"]
    n = members.height
    offsets = rng.integers(0, max((as_of - _V2).days, 1) * 86400, size=n).astype("timedelta64[s]")
    reconsent_at = pl.Series((np.datetime64(_V2, "s") + offsets).astype("datetime64[us]"))
    under_v1 = (joined.dt.date() < _V2).to_numpy()
    reconsents = under_v1 & (rng.random(n) < 0.4)
    frames = []
    for purpose, share in _GRANT_SHARE.items():
        in_v1 = purpose in TERMS[0].purposes
        granted = rng.random(n) < share
        at_join = granted & (in_v1 | ~under_v1)
        later = granted & reconsents & (not in_v1)
        for mask, at, terms in ((at_join, joined, None), (later, reconsent_at, "v2")):
            frames.append(_events(members, mask, at, purpose, terms))
    grants = pl.concat(frames)
    # Some grants of targeting and provision are withdrawn later (APPI-CONSENT-4: as easy as granting).
    withdrawable = grants.filter(pl.col("purpose").is_in(["targeting", "provide_partners"]))
    pick = pl.Series(rng.random(withdrawable.height) < 0.1)
    gap = pl.Series(rng.integers(1, 400, size=withdrawable.height)).cast(pl.Duration("us")) * 86_400_000_000
    withdrawals = (
        withdrawable.filter(pick)
        .with_columns(action=pl.lit("withdraw"), at=pl.col("at") + gap.filter(pick))
        .filter(pl.col("at").dt.date() < as_of)
    )
    events = pl.concat([grants, withdrawals]).join(
        members.select(pl.col("person_id").alias("subject"), "birth_date"), on="subject"
    )
    minor = _age(pl.col("birth_date"), pl.col("at").dt.date()) < GUARDIAN_AGE
    return (
        events.with_columns(
            by=pl.when(minor).then(pl.lit("guardian")).otherwise(pl.lit("self")),
            channel=pl.Series(_CHANNELS).gather(rng.choice(3, size=events.height, p=[0.5, 0.35, 0.15])),
        )
        .sort("at", "subject", "purpose")
        .select(
            "subject",
            "purpose",
            "action",
            pl.col("at").dt.strftime("%Y-%m-%dT%H:%M:%S+09:00"),
            "terms",
            "by",
            "channel",
        )
    )


def _events(
    members: pl.DataFrame, mask: np.ndarray, at: pl.Series, purpose: str, terms: str | None
) -> pl.DataFrame:
    chosen = pl.Series(mask)
    frame = pl.DataFrame({"subject": members["person_id"], "at": at}).filter(chosen)
    version = (
        pl.lit(terms)
        if terms
        else pl.when(pl.col("at").dt.date() < _V2)
        .then(pl.lit(TERMS[0].version))
        .otherwise(pl.lit(TERMS[1].version))
    )
    return frame.with_columns(purpose=pl.lit(purpose), action=pl.lit("grant"), terms=version).select(
        "subject", "purpose", "action", "at", "terms"
    )


def _age(birth: pl.Expr, on: pl.Expr) -> pl.Expr:
    before = (on.dt.month() * 100 + on.dt.day()) < (birth.dt.month() * 100 + birth.dt.day())
    return on.dt.year() - birth.dt.year() - before.cast(pl.Int32)


def needs_guardian(members: pl.DataFrame) -> pl.Expr:
    """Return whether a member was under the guardian age when joining."""
    return _age(pl.col("birth_date"), pl.col("joined_at").dt.date()) < GUARDIAN_AGE


def browsing_frame(rng: np.random.Generator, events: int, members: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Return page views keyed by cookie id; a login ties a cookie to a member."""
    cookies = max(events // 8, 1)
    owner = np.where(rng.random(cookies) < 0.6, rng.integers(0, members.height, size=cookies), -1)
    cookie = rng.integers(0, cookies, size=events)
    cookie_ids = random_hex(rng, cookies, 24)
    device = _uuid(rng, cookies)
    person = owner[cookie]
    logged_in = (person >= 0) & (rng.random(events) < 0.3)
    seconds = rng.integers(0, 365 * 86400, size=events).astype("timedelta64[s]")
    at = np.datetime64(as_of, "s") - seconds
    pages = ["/", "/campaign", "/shop/search", "/item/detail", "/cart", "/mypage", "/coupon"]
    # Addresses from the documentation ranges (RFC 5737): never a real host.
    nets = pl.Series(["192.0.2.", "198.51.100.", "203.0.113."])
    member_ids = members["person_id"].gather(np.maximum(person, 0))
    return pl.DataFrame(
        {
            "cookie_id": "ck_" + cookie_ids.gather(cookie),
            "member_id": pl.select(pl.when(pl.Series(logged_in)).then(member_ids)).to_series(),
            "viewed_at": pl.Series(at.astype("datetime64[us]")).dt.strftime("%Y-%m-%dT%H:%M:%S+09:00"),
            "url": pl.Series(pages).gather(rng.integers(0, len(pages), size=events)),
            "ip_address": nets.gather(rng.integers(0, 3, size=events))
            + pl.Series(rng.integers(1, 255, size=events)).cast(pl.String),
            "device_id": device.gather(cookie),
            "true_person": pl.select(pl.when(pl.Series(person >= 0)).then(member_ids)).to_series(),
        }
    )


def random_hex(rng: np.random.Generator, count: int, width: int) -> pl.Series:
    """Return `count` random lower-case hex strings of `width` characters."""
    digits = np.array(list("0123456789abcdef"))[rng.integers(0, 16, size=(count, width))]
    return pl.Series(np.ascontiguousarray(digits).view(f"<U{width}").ravel())


def _uuid(rng: np.random.Generator, count: int) -> pl.Series:
    # An advertising id in UUID shape (8-4-4-4-12 hex), as mobile platforms issue them.
    t = random_hex(rng, count, 32)
    return pl.select(
        pl.format(
            "{}-{}-{}-{}-{}",
            t.str.slice(0, 8),
            t.str.slice(8, 4),
            t.str.slice(12, 4),
            t.str.slice(16, 4),
            t.str.slice(20),
        )
    ).to_series()
