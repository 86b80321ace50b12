"""The PSI finds exactly the overlap, in both modes, on files, and refuses malformed or unwanted input."""

from __future__ import annotations

from pathlib import Path

import pytest

from mamori.errors import InputError, RefusedError
from mamori.lake.psi import wire
from mamori.lake.psi.group import SecretKey, blind, element_message, hash_and_blind
from mamori.lake.psi.protocol import Client, Platform

PLATFORM = {("email", f"member{i}@example.com"): (f"m{i}",) for i in range(60)}
PLATFORM[("phone", "+819012345678")] = ("m1", "m2")  # a household landline shared by two members
CLIENT = [("email", f"member{i}@example.com") for i in range(40, 90)] + [("phone", "+819012345678")]


def _run(mode: str, *, threads: int | None = None) -> tuple[object, object]:
    platform = Platform(PLATFORM, mode=mode, context="eng-7", threads=threads)
    client = Client(CLIENT, context="eng-7", allow_members=True, threads=threads)
    offer = wire.decode(wire.encode(platform.offer()))
    answer = wire.decode(wire.encode(client.answer(offer)))
    outcome, result = platform.finish(answer)
    return outcome, client.count(wire.decode(wire.encode(result)))


def test_size_mode_reveals_the_count_only() -> None:
    platform, client = _run("size")
    assert platform.size == client.size == 21  # 20 emails + the shared phone
    assert platform.members is None and client.members is None
    assert (platform.own_count, platform.peer_count) == (61, 51)


def test_members_mode_names_the_platforms_subjects_in_the_overlap() -> None:
    platform, client = _run("members", threads=2)
    expected = {f"m{i}" for i in range(40, 60)} | {"m1", "m2"}
    assert set(platform.members or ()) == expected
    assert client.size == 21


def test_client_refuses_members_mode_unless_it_allows_it() -> None:
    offer = Platform(PLATFORM, mode="members", context="eng-7").offer()
    with pytest.raises(RefusedError):
        Client(CLIENT, context="eng-7").answer(offer)


def test_a_different_engagement_context_is_refused() -> None:
    offer = Platform(PLATFORM, mode="size", context="eng-7").offer()
    with pytest.raises(RefusedError):
        Client(CLIENT, context="eng-8").answer(offer)


def test_blinding_commutes_and_hashing_separates_kinds_and_contexts() -> None:
    p, c = SecretKey.generate(), SecretKey.generate()
    msg = element_message(b"eng", "email", "a@example.com")
    assert blind(c, hash_and_blind(p, [msg])) == blind(p, hash_and_blind(c, [msg]))
    other_kind = element_message(b"eng", "phone", "a@example.com")
    other_ctx = element_message(b"eng2", "email", "a@example.com")
    points = hash_and_blind(p, [msg, other_kind, other_ctx])
    assert len(set(points)) == 3


def test_a_value_that_is_not_a_group_element_is_refused() -> None:
    key = SecretKey.generate()
    with pytest.raises(InputError, match="#1"):
        blind(key, [hash_and_blind(key, [b"x"])[0], b"\xff" * 32], threads=1)


def test_truncated_or_padded_messages_are_refused() -> None:
    data = wire.encode(Platform(PLATFORM, mode="size", context="e").offer())
    with pytest.raises(InputError):
        wire.decode(data[:-1])
    with pytest.raises(InputError):
        wire.decode(data + b"\x00")
    with pytest.raises(InputError):
        wire.decode(b"GARBAGE")


def test_file_exchange_keeps_state_between_steps(tmp_path: Path) -> None:
    platform = Platform(PLATFORM, mode="members", context="eng-7")
    wire.write(tmp_path / "offer.psi", platform.offer())
    platform.save(tmp_path / "platform.state")
    assert (tmp_path / "platform.state").stat().st_mode & 0o077 == 0

    client = Client(CLIENT, context="eng-7", allow_members=True)
    wire.write(tmp_path / "answer.psi", client.answer(wire.read(tmp_path / "offer.psi")))
    client.save(tmp_path / "client.state")
    assert b"key" not in (tmp_path / "client.state").read_bytes()

    outcome, result = Platform.load(tmp_path / "platform.state").finish(wire.read(tmp_path / "answer.psi"))
    wire.write(tmp_path / "result.psi", result)
    counted = Client.load(tmp_path / "client.state").count(wire.read(tmp_path / "result.psi"))
    assert outcome.size == counted.size == 21
    assert "m45" in (outcome.members or ())
