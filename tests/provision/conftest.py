"""A ledger with a provision purpose, six members and their choices, and a member table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from mamori.bootstrap import Platform
from mamori.domain.consent import ConsentAction, ConsentEvent
from mamori.domain.purposes import Purpose, PurposeKind
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsVersion
from mamori.services.consent import publish_terms, record_choice, register_purpose, register_subjects
from tests.ledger.world import ADS, jst

ABROAD = Purpose(
    "provide_ads_us",
    PurposeKind.THIRD_PARTY_PROVISION,
    frozenset({"ad_business"}),
    foreign=True,
    countries=("US",),
    description_ja="購買履歴を米国の広告事業者に提供し、広告事業者があなたに合った広告を配信します",
    description_en="Provide purchase history to an advertising business in the US so it can show you relevant ads",
)


def seed_provision_world(platform: Platform) -> None:
    """s1-s3 granted ADS, s4 granted then withdrew, s5 never granted; s1 also granted ABROAD."""
    ledger = platform.ledger
    register_purpose(ledger, ADS, "officer")
    register_purpose(ledger, ABROAD, "officer")
    publish_terms(ledger, TermsVersion("v1", date(2020, 1, 1), frozenset({ADS.id, ABROAD.id})), "officer")
    register_subjects(ledger, [Subject(f"s{i}", date(1980, 1, i)) for i in range(1, 6)], "operator")
    at = jst("2021-01-01T10:00:00")
    for subject in ("s1", "s2", "s3", "s4"):
        record_choice(ledger, ConsentEvent(subject, ADS.id, ConsentAction.GRANT, at, "v1"), "member")
    record_choice(ledger, ConsentEvent("s1", ABROAD.id, ConsentAction.GRANT, at, "v1"), "member")
    record_choice(
        ledger, ConsentEvent("s4", ADS.id, ConsentAction.WITHDRAW, jst("2022-01-01T10:00:00"), "v1"), "member"
    )


@pytest.fixture
def provision_platform(make_platform: Callable[..., Platform], tmp_path: Path) -> Platform:
    platform = make_platform(f"sqlite:///{tmp_path / 'ledger.sqlite3'}", tmp_path / "home")
    seed_provision_world(platform)
    return platform


@pytest.fixture
def member_csv(tmp_path: Path) -> Path:
    path = tmp_path / "members.csv"
    table = pa.table(
        {
            "member_id": [f"s{i}" for i in range(1, 7)],
            "purchases": ["rice", "tea", '=HYPERLINK("http://x.invalid")', "+81-3", "@SUM(1)", "-2"],
            "spend": [100, 200, 300, 400, 500, 600],
        }
    )
    pacsv.write_csv(table, path)
    return path
