"""Everything that crosses the wire between two mamori instances, read byte by byte.

A recording TCP proxy sits between the client and the platform's server. The test then plays each
side as a curious (semi-honest) receiver holding its own key and a dictionary containing every
identifier of both parties, and shows that nothing it received lets it recognise an identifier of
the other side that is not in the intersection — neither in clear, nor hashed, nor as a group
element it could compute without the other party's key.
"""

from __future__ import annotations

import hashlib
import re
import socket
import threading
from collections.abc import Iterator

import pytest

from mamori.lake.psi import http as psi_http
from mamori.lake.psi import wire
from mamori.lake.psi.group import SecretKey, blind, element_message, hash_and_blind
from mamori.lake.psi.protocol import Outcome, Platform

Exchange = tuple[bytes, bytes, Outcome, Outcome]
CONTEXT = "engagement-2026-11"
SHARED = [("email", f"both{i}@example.com") for i in range(15)] + [("phone", "+81312345678")]
ONLY_PLATFORM = [("email", f"member{i}@example.com") for i in range(25)] + [("phone", "+819011112222")]
ONLY_CLIENT = [("email", f"customer{i}@example.jp") for i in range(30)] + [("phone", "+818033334444")]
PLATFORM_IDS = {ident: (f"subject-{n:03d}",) for n, ident in enumerate(SHARED + ONLY_PLATFORM)}


class RecordingProxy:
    """Forward TCP 127.0.0.1:port → upstream and keep every byte in each direction."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.to_server = bytearray()
        self.to_client = bytearray()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                downstream, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(downstream,), daemon=True).start()

    def _relay(self, downstream: socket.socket) -> None:
        with downstream, socket.create_connection(("127.0.0.1", self.upstream)) as upstream:
            back = threading.Thread(target=self._pump, args=(upstream, downstream, self.to_client))
            back.start()
            self._pump(downstream, upstream, self.to_server)
            back.join()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket, record: bytearray) -> None:
        while chunk := src.recv(65536):
            record.extend(chunk)
            dst.sendall(chunk)
        dst.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self.sock.close()


class Keys:
    """Fixed keys injected into both parties so the test can name every value on the wire."""

    platform = SecretKey.generate()
    client = SecretKey.generate()


@pytest.fixture(scope="module")
def exchange(monkeypatch_module: pytest.MonkeyPatch) -> Exchange:
    original_platform, original_client = Platform.__init__, psi_http.Client.__init__

    def platform_init(self: Platform, *args: object, **kwargs: object) -> None:
        kwargs["key"] = Keys.platform
        original_platform(self, *args, **kwargs)  # type: ignore[arg-type]

    def client_init(self: object, *args: object, **kwargs: object) -> None:
        kwargs["key"] = Keys.client
        original_client(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch_module.setattr(Platform, "__init__", platform_init)
    monkeypatch_module.setattr(psi_http.Client, "__init__", client_init)
    server = psi_http.PsiServer(PLATFORM_IDS, mode="members", context=CONTEXT)
    server.start()
    proxy = RecordingProxy(server.port)
    client_outcome = psi_http.connect(
        f"http://127.0.0.1:{proxy.port}", SHARED + ONLY_CLIENT, context=CONTEXT, allow_members=True
    )
    proxy.close()
    server.close()
    return bytes(proxy.to_server), bytes(proxy.to_client), server.outcomes[0], client_outcome


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _h(ident: tuple[str, str]) -> bytes:
    """H(x) itself, computed the way anyone could (multiply by the scalar 1)."""
    one = SecretKey((1).to_bytes(32, "little"))
    return hash_and_blind(one, [element_message(CONTEXT.encode(), *ident)])[0]


def _guessable(ident: tuple[str, str], own_key: SecretKey) -> list[bytes]:
    """Every value a receiver can compute from a guess with only its own key (and none)."""
    kind, value = ident
    msg = element_message(CONTEXT.encode(), kind, value)
    point = _h(ident)
    return [
        value.encode(),
        value.encode("utf-16-le"),
        hashlib.sha256(value.encode()).digest(),
        hashlib.sha256(value.encode()).hexdigest().encode(),
        hashlib.sha512(msg).digest(),
        point,
        blind(own_key, [point])[0],
    ]


def _http_messages(raw: bytes) -> list[tuple[bytes, bytes]]:
    """Split a recorded byte stream into (head, body) HTTP messages using Content-Length."""
    found = []
    while raw:
        head, sep, rest = raw.partition(b"\r\n\r\n")
        assert sep, "incomplete HTTP message on the wire"
        match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        length = int(match.group(1)) if match else 0
        found.append((head, rest[:length]))
        raw = rest[length:]
    return found


def test_the_protocol_ran_and_found_exactly_the_overlap(exchange: Exchange) -> None:
    _, _, platform, client = exchange
    assert platform.size == client.size == len(SHARED)
    assert set(platform.members or ()) == {PLATFORM_IDS[i][0] for i in SHARED}


def test_no_platform_only_identifier_is_recognisable_by_the_client(
    exchange: Exchange,
) -> None:
    _, to_client, _, _ = exchange
    for ident in ONLY_PLATFORM:
        for value in _guessable(ident, Keys.client):
            assert value not in to_client, ident
    for subject in PLATFORM_IDS.values():
        assert subject[0].encode() not in to_client


def test_no_client_only_identifier_is_recognisable_by_the_platform(
    exchange: Exchange,
) -> None:
    to_server, _, _, _ = exchange
    for ident in ONLY_CLIENT:
        for value in _guessable(ident, Keys.platform):
            assert value not in to_server, ident


def test_every_value_on_the_wire_carries_a_secret_key(exchange: Exchange) -> None:
    """Name each byte that crossed: HTTP heads, public header fields, and values blinded by a key."""
    to_server, to_client, _, _ = exchange
    p, c = Keys.platform, Keys.client
    platform_h = [_h(i) for i in SHARED + ONLY_PLATFORM]
    client_h = [_h(i) for i in SHARED + ONLY_CLIENT]
    requests, responses = _http_messages(to_server), _http_messages(to_client)
    assert requests[0][1] == b""
    assert len(requests) == len(responses) == 2
    offer, result = (wire.decode(body) for _, body in responses)
    answer = wire.decode(requests[1][1])
    # wire.decode refuses any header field beyond step/mode/context/protocol/sections and any
    # trailing byte, so these sections are all the payload there was.
    assert set(offer.section("A")) == set(blind(p, platform_h))
    assert list(offer.section("A")) == sorted(offer.section("A"))  # shuffled: sorted by blinded value
    assert set(answer.section("B")) == set(blind(c, client_h))
    assert list(answer.section("A2")) == blind(c, offer.section("A"))
    assert set(result.section("B2")) == set(blind(p, blind(c, client_h)))
    # Only double-blinded values can be compared, and they agree exactly on the intersection.
    overlap = set(answer.section("A2")) & set(result.section("B2"))
    assert overlap == set(blind(c, blind(p, [_h(i) for i in SHARED])))
    for head, _ in requests + responses:
        assert b"example" not in head and b"subject-" not in head
