"""Schemathesis against the partner API's OpenAPI document: no input makes the server fail (5xx)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from mamori.services.partners import SCOPES, issue_key
from tests.web.world import make_world


def test_api_never_answers_5xx(tmp_path: Path) -> None:
    world = make_world(tmp_path / "home")
    key = issue_key(world.ctx.portal.store, "adco", SCOPES, "test", datetime.now(UTC))
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 12
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case: schemathesis.Case) -> None:
            for headers in ({"X-API-Key": key}, {}):
                case.call_and_validate(headers=headers, checks=[not_a_server_error])

        fuzz()
    world.ctx.platform.ledger.engine.dispose()


def test_openapi_document_lists_the_partner_api(tmp_path: Path) -> None:
    world = make_world(tmp_path / "home")
    from fastapi.testclient import TestClient

    document = TestClient(world.app).get("/openapi.json").json()
    assert {"/api/v1/me", "/api/v1/requests", "/api/v1/requests/{request_id}"} <= set(document["paths"])
    assert "APIKeyHeader" in document["components"]["securitySchemes"]
    world.ctx.platform.ledger.engine.dispose()
