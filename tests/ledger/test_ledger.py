"""The consent ledger on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mamori.domain.consent import ConsentAction, ConsentEvent
from mamori.errors import InputError, RefusedError
from mamori.services.consent import record_choice, register_purpose
from tests.ledger.world import ADS, MakePlatform, jst, seed


def test_events_round_trip_and_positions(database_url: str, make_platform: MakePlatform) -> None:
    platform = make_platform(database_url)
    seed(platform)
    events = platform.ledger.events_for("hanako")
    assert [e.action for e in events] == [ConsentAction.GRANT, ConsentAction.GRANT, ConsentAction.WITHDRAW]
    assert events[0].at == jst("2020-05-01T12:00:00")
    assert platform.ledger.position() == 4
    assert platform.ledger.purpose_bits() == {"analysis": 0, "provide_ads": 1}
    assert platform.ledger.verify_audit() is None


def test_APPI_17_1_vague_purpose_is_refused_at_registration(
    database_url: str, make_platform: MakePlatform
) -> None:
    from mamori.domain.purposes import Purpose, PurposeKind

    platform = make_platform(database_url)
    with pytest.raises(RefusedError) as refused:
        register_purpose(
            platform.ledger,
            Purpose("mk", PurposeKind.TARGETING, description_ja="マーケティングのため"),
            "officer",
        )
    assert "APPI-17-1" in refused.value.rules


def test_purposes_are_immutable(database_url: str, make_platform: MakePlatform) -> None:
    platform = make_platform(database_url)
    seed(platform)
    with pytest.raises(InputError):
        register_purpose(platform.ledger, ADS, "officer")


def test_MAMORI_1_and_APPI_CONSENT_3_stale_or_minor_grants_are_refused(
    database_url: str, make_platform: MakePlatform
) -> None:
    platform = make_platform(database_url)
    seed(platform)
    stale = ConsentEvent("hanako", "analysis", ConsentAction.GRANT, jst("2022-01-01T00:00:00"), "v1")
    with pytest.raises(RefusedError) as refused:
        record_choice(platform.ledger, stale, "member")
    assert "APPI-CONSENT-3" in refused.value.rules
    minor = ConsentEvent("ken", "provide_ads", ConsentAction.GRANT, jst("2022-01-01T00:00:00"), "v2")
    with pytest.raises(RefusedError) as refused:
        record_choice(platform.ledger, minor, "member")
    assert "APPI-CONSENT-4" in refused.value.rules


@pytest.mark.postgres
def test_APPI_CONSENT_1_postgres_refuses_update_and_delete_of_events(
    pg_server: object, make_platform: MakePlatform
) -> None:
    url = pg_server.create_database("appendonly")  # type: ignore[attr-defined]
    platform = make_platform(url)
    seed(platform)
    engine = platform.ledger.engine
    for statement in (
        "UPDATE consent_events SET action = 'grant'",
        "DELETE FROM consent_events",
        "UPDATE audit_log SET actor = 'x'",
        "DELETE FROM audit_log",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as c:
            c.execute(sa.text(statement))
    assert platform.ledger.position() == 4


def test_APPI_CONSENT_1_consent_records_follow_iso_27560_with_dpv(
    database_url: str, make_platform: MakePlatform
) -> None:
    from mamori.domain.consent_records import DPV, SCHEMA, consent_records

    platform = make_platform(database_url)
    seed(platform)
    person = platform.ledger.subject("hanako")
    assert person is not None
    records = consent_records(
        person,
        platform.ledger.events_for("hanako"),
        platform.ledger.purposes(),
        platform.ledger.terms(),
        {"name": "operator"},
    )
    assert [r["consent_state"] for r in records] == [
        DPV + "ConsentGiven",
        DPV + "ConsentGiven",
        DPV + "ConsentWithdrawn",
    ]
    assert all(r["schema_version"] == SCHEMA for r in records)
    ads = records[1]["purposes"][0]
    assert ads["dpv_processing"] == DPV + "Disclose"
    assert ads["recipients"] == ["ad_business"]
    assert records[0]["notice"]["id"] == "v1"
