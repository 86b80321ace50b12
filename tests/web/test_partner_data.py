"""Partner API for insight and provisions: a key reaches only its own recipient's results and exports."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import duckdb
import pytest
from fastapi.routing import APIRoute

from mamori.domain.consent import ConsentAction, ConsentEvent
from mamori.services.consent import record_choice
from mamori.services.partners import authenticate, issue_key
from mamori.web.routes import api_insight, api_provisions
from tests.web.partner_world import PartnerWorld, make_partner_world

SPEC = {
    "purpose": "analysis",
    "group_by": ["gender"],
    "metrics": ["persons", "spend_total"],
    "min_persons": 50,
}


@pytest.fixture(scope="module")
def pw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerWorld]:
    world = make_partner_world(tmp_path_factory.mktemp("partners"))
    yield world
    world.ctx.platform.ledger.engine.dispose()


@pytest.fixture(scope="module")
def acme_release(pw: PartnerWorld) -> int:
    made = pw.partner("acme").post("/api/v1/insight", json=SPEC)
    assert made.status_code == 201, made.text
    return int(made.json()["release_id"])


def test_MAMORI_AGG_1_partner_runs_an_insight_request_for_itself(pw: PartnerWorld, acme_release: int) -> None:
    acme = pw.partner("acme")
    one = acme.get(f"/api/v1/insight/{acme_release}").json()
    assert one["spec"]["recipient"] == "acme" and one["rows_kept"]
    assert one["columns"] == ["gender", "persons", "spend_total", "suppressed"]
    assert all(r["persons"] >= 50 for r in one["rows"] if not r["suppressed"])
    listed = acme.get("/api/v1/insight").json()
    assert acme_release in [r["release_id"] for r in listed] and all(r["rows"] is None for r in listed)
    # The CSV carries the same rows.
    text = acme.get(f"/api/v1/insight/{acme_release}/result.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["gender"] for r in rows] == [r["gender"] for r in one["rows"]]


def test_MAMORI_DP_1_the_recipient_is_the_keys_and_so_is_the_budget(pw: PartnerWorld) -> None:
    acme = pw.partner("acme")
    refused = acme.post("/api/v1/insight", json={**SPEC, "recipient": "otherco"})
    assert refused.status_code == 400 and "recipient" in refused.json()["detail"]
    before = acme.get("/api/v1/budget").json()
    made = acme.post("/api/v1/insight", json={**SPEC, "dp": {"epsilon": 0.25}})
    assert made.status_code == 201 and "MAMORI-DP-1" in made.json()["rules"]
    after = acme.get("/api/v1/budget").json()
    assert after["spent"] == pytest.approx(before["spent"] + 0.25)
    assert pw.partner("otherco").get("/api/v1/budget").json()["spent"] == 0
    over = acme.post("/api/v1/insight", json={**SPEC, "dp": {"epsilon": 9.0}})
    assert over.status_code == 409 and over.json()["rules"] == ["MAMORI-DP-1"]


def test_MAMORI_1_a_withdrawal_is_reflected_in_the_next_partner_insight(pw: PartnerWorld) -> None:
    acme = pw.partner("acme")
    spec = {"purpose": "analysis", "metrics": ["persons"]}
    first = acme.post("/api/v1/insight", json=spec).json()
    snapshot = max((pw.home / "lake" / "snapshots").glob("*.parquet"), key=lambda p: p.stat().st_mtime)
    bit = pw.ctx.platform.ledger.purpose_bits()["analysis"]
    (someone,) = duckdb.sql(
        f"SELECT min(subject_id) FROM read_parquet('{snapshot}') WHERE (granted_mask >> {bit}) & 1 = 1"
    ).fetchall()[0]
    withdrawal = ConsentEvent(someone, "analysis", ConsentAction.WITHDRAW, datetime.now(UTC), "v2")
    record_choice(pw.ctx.platform.ledger, withdrawal, "test")
    second = acme.post("/api/v1/insight", json=spec).json()
    assert second["rows"][0]["persons"] == first["rows"][0]["persons"] - 1
    assert second["snapshot_position"] > first["snapshot_position"]


def test_partner_never_reads_another_partners_results_or_provisions(
    pw: PartnerWorld, acme_release: int
) -> None:
    ids = {"release_id": str(acme_release), "lineage_id": pw.lineages["acme"]}
    other = pw.partner("otherco")
    tried = 0
    for module in (api_insight, api_provisions):
        for route in module.router.routes:
            if isinstance(route, APIRoute) and "GET" in route.methods and "{" in route.path:
                path = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], route.path)
                response = other.get(path)
                assert response.status_code == 404, path
                assert "acme" not in response.text, path
                tried += 1
    assert tried == 4
    assert acme_release not in [r["release_id"] for r in other.get("/api/v1/insight").json()]
    assert [p["lineage_id"] for p in other.get("/api/v1/provisions").json()] == [pw.lineages["otherco"]]


def test_APPI_29_1_partner_downloads_its_own_export_and_the_download_is_audited(pw: PartnerWorld) -> None:
    acme = pw.partner("acme")
    lineage = pw.lineages["acme"]
    (listed,) = acme.get("/api/v1/provisions").json()
    assert listed["lineage_id"] == lineage and listed["file_available"] and listed["subjects"] > 0
    assert acme.get(f"/api/v1/provisions/{lineage}").json()["purpose"] == "provide_partners"
    response = acme.get(f"/api/v1/provisions/{lineage}/file")
    assert response.status_code == 200
    assert response.content == (pw.home / "provisions" / f"{lineage}.csv").read_bytes()
    kinds = [(e.kind, json.loads(e.payload)) for e in pw.ctx.platform.ledger.audit_entries()]
    assert ("provision-downloaded", {"lineage_id": lineage, "recipient": "acme", "key": _key_id(pw)}) in [
        (k, {x: p.get(x) for x in ("lineage_id", "recipient", "key")}) for k, p in kinds
    ]


def _key_id(pw: PartnerWorld) -> str:
    key = authenticate(pw.ctx.portal.store, pw.keys["acme"])
    assert key is not None
    return key.id


def test_each_new_route_needs_its_scope(pw: PartnerWorld, acme_release: int) -> None:
    key = issue_key(pw.ctx.portal.store, "acme", frozenset({"requests:read"}), "test", datetime.now(UTC))
    client = pw.partner("acme")
    client.headers["X-API-Key"] = key
    lineage = pw.lineages["acme"]
    for path in ("/api/v1/insight", f"/api/v1/insight/{acme_release}", f"/api/v1/insight/{acme_release}/result.csv",
                 "/api/v1/budget", "/api/v1/provisions", f"/api/v1/provisions/{lineage}",
                 f"/api/v1/provisions/{lineage}/file"):  # fmt: skip
        assert client.get(path).status_code == 403, path
    assert client.post("/api/v1/insight", json=SPEC).status_code == 403
    # Reading provisions does not let a key download them.
    reader = issue_key(pw.ctx.portal.store, "acme", frozenset({"provisions:read"}), "test", datetime.now(UTC))
    client.headers["X-API-Key"] = reader
    assert client.get(f"/api/v1/provisions/{lineage}").status_code == 200
    assert client.get(f"/api/v1/provisions/{lineage}/file").status_code == 403


def test_a_result_file_altered_after_release_is_refused(pw: PartnerWorld, acme_release: int) -> None:
    path = pw.home / "lake" / "insight" / "releases" / f"release-{acme_release}.json"
    original = path.read_text(encoding="utf-8")
    body = json.loads(original)
    body["rows"][0]["persons"] = (body["rows"][0]["persons"] or 0) + 1
    path.write_text(json.dumps(body), encoding="utf-8")
    try:
        assert pw.partner("acme").get(f"/api/v1/insight/{acme_release}").status_code == 409
    finally:
        path.write_text(original, encoding="utf-8")


def test_the_api_offers_population_all_only(pw: PartnerWorld) -> None:
    response = pw.partner("acme").post("/api/v1/insight", json={**SPEC, "population": {"match": "R1"}})
    assert response.status_code == 422


def test_partner_data_api_never_answers_5xx(pw: PartnerWorld, acme_release: int) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_asgi("/openapi.json", pw.app)
    mine = {"/api/v1/insight", "/api/v1/budget", "/api/v1/provisions"}
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if any(result.ok().path.startswith(prefix) for prefix in mine)
    ]
    assert len(operations) == 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case: schemathesis.Case) -> None:
            for headers in ({"X-API-Key": pw.keys["acme"]}, {}):
                case.call_and_validate(headers=headers, checks=[not_a_server_error])

        fuzz()


def test_an_export_file_that_is_not_this_provisions_is_never_served(pw: PartnerWorld) -> None:
    lineage = pw.lineages["acme"]
    export = pw.home / "provisions" / f"{lineage}.csv"
    manifest = export.with_name(export.name + ".manifest.json")
    original = manifest.read_text(encoding="utf-8")
    # Another provision's file put in its place: the manifest names the other lineage id.
    manifest.write_text(
        json.dumps({**json.loads(original), "lineage_id": pw.lineages["otherco"]}), encoding="utf-8"
    )
    try:
        acme = pw.partner("acme")
        assert acme.get(f"/api/v1/provisions/{lineage}/file").status_code == 404
        assert acme.get(f"/api/v1/provisions/{lineage}").json()["file_available"] is False
    finally:
        manifest.write_text(original, encoding="utf-8")
    assert pw.partner("acme").get(f"/api/v1/provisions/{lineage}/file").status_code == 200


def test_a_score_spec_before_any_profile_refresh_is_bad_input(pw: PartnerWorld) -> None:
    acme = pw.partner("acme")
    for spec in ({"group_by": ["score_band:healthy"], "metrics": ["persons"]}, {"metrics": ["score_mean:x"]}):
        response = acme.post("/api/v1/insight", json={"purpose": "analysis", **spec})
        assert response.status_code == 400 and "insight refresh" in response.json()["detail"]
