"""Consent changes arriving together are group-committed, and every one of them lands."""

from __future__ import annotations

import asyncio
import threading

import httpx
from fastapi.testclient import TestClient

from mamori.domain.calendar import jst_date
from mamori.domain.consent import Actor, ConsentAction, ConsentEvent
from mamori.web.commits import AsyncGroupCommit
from mamori.web.context import WebContext
from tests.web.world import ALICE, BOB, KID, World, csrf_of

CHANGES = 12  # per member


def _ctx(world: World) -> WebContext:
    ctx: WebContext = world.app.state.ctx
    return ctx


async def _post_all(world: World, clients: list[TestClient]) -> list[int]:
    transport = httpx.ASGITransport(app=world.app)
    posts = []
    for signed_in in clients:
        token = csrf_of(signed_in.get("/consents").text)
        http = httpx.AsyncClient(
            transport=transport, base_url="http://portal", cookies=dict(signed_in.cookies.items())
        )
        for n in range(CHANGES):
            choice = "grant" if n % 2 == 0 else "withdraw"
            data = {"purpose": "provide_ads", "choice": choice, "csrf": token}
            posts.append(http.post("/consents", data=data))
    responses = await asyncio.gather(*posts)
    return [r.status_code for r in responses]


def test_APPI_CONSENT_1_concurrent_consent_changes_all_land_and_the_chain_verifies(
    world: World, alice: TestClient, bob: TestClient
) -> None:
    ledger = _ctx(world).platform.ledger
    before = {s: len(ledger.events_for(s)) for s in (ALICE, BOB)}
    statuses = asyncio.run(_post_all(world, [alice, bob]))
    assert statuses == [303] * (2 * CHANGES)
    for subject in (ALICE, BOB):
        mine = ledger.events_for(subject)[before[subject] :]
        # Each member's connection sent its changes concurrently: all of them are recorded.
        assert len(mine) == CHANGES
        assert {e.purpose for e in mine} == {"provide_ads"}
        assert sorted(e.action.value for e in mine) == sorted(["grant", "withdraw"] * (CHANGES // 2))
    assert ledger.verify_audit() is None
    # The consent page (what the snapshot reads) shows the standing after the last change.
    assert "provide_ads" in alice.get("/consents").text


def test_group_commit_waits_in_a_thread_while_another_writer_holds_the_lock(world: World) -> None:
    ledger = _ctx(world).platform.ledger
    commits = AsyncGroupCommit(ledger.append_each, ledger.append_each_now)
    held, release = threading.Event(), threading.Event()

    def importer() -> None:
        with ledger.transaction("importer") as tx:
            tx.audit("import-started", "importer", {})
            held.set()
            release.wait(30)

    async def changes() -> list[int]:
        at = world.clock.now()
        terms = ledger.terms().in_effect(jst_date(at))
        assert terms is not None
        events = [
            ConsentEvent(KID, "analysis", ConsentAction.WITHDRAW, at, terms.version, Actor.GUARDIAN)
            for _ in range(5)
        ]
        pending = asyncio.gather(*(commits.append(e, f"member:{ALICE}") for e in events))
        await asyncio.sleep(0.05)
        assert not pending.done()  # queued behind the importer, without blocking the loop
        release.set()
        return list(await pending)

    writer = threading.Thread(target=importer)
    writer.start()
    held.wait(30)
    positions = asyncio.run(changes())
    writer.join()
    assert sorted(positions) == list(range(positions[0], positions[0] + 5))
    assert ledger.position() == max(positions)
    assert ledger.verify_audit() is None
