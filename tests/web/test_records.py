"""Who received my data: provisions written by the provision ledger show to the member, and only to them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mamori.domain.recipients import Recipient
from mamori.ledger.provisions import SqlProvisionStore
from mamori.services.provide import Provision, ProvisionRequest
from tests.web.world import ALICE, BOB, World


def _provide_alice(world: World) -> None:
    recipient = Recipient("adco", "ad_business", "JP", name="株式会社アドコ<script>")
    request = ProvisionRequest(
        "provide_ads",
        recipient,
        ("purchase_history", "age_band"),
        (ALICE,),
        world.clock.now(),
        "L-web-test-0001",
    )
    provision = Provision(request, allowed=(ALICE,), denied={BOB: ("MAMORI-1",)}, rules={"APPI-27-1": 1})
    SqlProvisionStore(world.ctx.platform.ledger).record(provision, "test")


def test_APPI_29_1_member_sees_who_received_their_data(
    world: World, alice: TestClient, bob: TestClient
) -> None:
    _provide_alice(world)
    page = alice.get("/received").text
    assert "株式会社アドコ&lt;script&gt;" in page and "購買履歴" in page and "provide_ads" in page
    assert "株式会社アドコ" not in bob.get("/received").text
    assert alice.get("/requests/disclosure.json").json()["provisions"][0]["recipient_id"] == "adco"
    assert bob.get("/requests/disclosure.json").json()["provisions"] == []


def test_officer_searches_provisions_by_subject(world: World, officer: TestClient) -> None:
    _provide_alice(world)
    assert "株式会社アドコ" in officer.get(f"/console/provisions?subject={ALICE}").text
    assert "株式会社アドコ" not in officer.get(f"/console/provisions?subject={BOB}").text


def test_member_sees_their_scores_and_the_features_behind_them(
    world: World, alice: TestClient, bob: TestClient
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    contribution = pa.struct([("feature", pa.string()), ("contribution", pa.float64())])
    table = pa.table(
        {
            "subject_id": [ALICE],
            "score_id": ["healthy_eating"],
            "score": [0.82],
            "contributions": [[{"feature": "vegetables_share", "contribution": 0.5}]],
        },
        schema=pa.schema(
            [
                ("subject_id", pa.string()),
                ("score_id", pa.string()),
                ("score", pa.float64()),
                ("contributions", pa.list_(contribution)),
            ]
        ),
    )
    path = world.ctx.platform.settings.lake_dir / "profiles" / "scores.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    page = alice.get("/scores").text
    assert "healthy_eating" in page and "vegetables_share (+0.50)" in page
    assert "healthy_eating" not in bob.get("/scores").text
    assert alice.get("/requests/disclosure.json").json()["scores"][0]["name"] == "healthy_eating"
