"""PSI between two mamori instances over HTTP: the platform serves, the client connects.

    POST /psi/v1/sessions                 → 200, body: offer   (header X-Mamori-Psi-Session)
    POST /psi/v1/sessions/{id}/answer     body: answer → 200, body: result

Standard library only (http.server, urllib): two small requests do not justify a web framework in
the data plane, and the bodies are the same bytes as the file exchange. The server binds 127.0.0.1;
across machines it sits behind a TLS-terminating proxy, and the client refuses plain http to any
host other than loopback.
"""

from __future__ import annotations

import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mamori.errors import InputError, MamoriError
from mamori.lake.psi import wire
from mamori.lake.psi.protocol import Client, Identifier, Outcome, Platform

SESSION_HEADER = "X-Mamori-Psi-Session"
_MAX_BODY = 1 << 31
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class PsiServer:
    """Serve PSI sessions for one platform dataset on 127.0.0.1; each session gets a fresh key."""

    def __init__(
        self,
        identifiers: Mapping[Identifier, Sequence[str]],
        *,
        mode: str,
        context: str,
        port: int = 0,
        sessions: int | None = 1,
        on_outcome: Callable[[Outcome], None] | None = None,
        threads: int | None = None,
    ) -> None:
        self.outcomes: list[Outcome] = []
        self.errors: list[str] = []
        self._open: dict[str, Platform] = {}
        self._lock = threading.Lock()
        self._left = sessions
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                """Stay quiet: progress is the CLI's job, on stderr."""

            def do_POST(self) -> None:
                parts = self.path.strip("/").split("/")
                try:
                    if parts == ["psi", "v1", "sessions"]:
                        token, body = server._start(identifiers, mode, context, threads)
                        self._reply(200, body, {SESSION_HEADER: token})
                    elif len(parts) == 5 and parts[:3] == ["psi", "v1", "sessions"] and parts[4] == "answer":
                        self._reply(200, server._finish(parts[3], self._body(), on_outcome))
                    else:
                        self._reply(404, b"not found")
                except MamoriError as exc:
                    server.errors.append(exc.en)
                    self._reply(400, exc.en.encode())

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length", "0"))
                if not 0 < length < _MAX_BODY:
                    raise InputError("本文の長さが不正です", "bad Content-Length", file="http")
                return self.rfile.read(length)

            def _reply(self, status: int, body: bytes, headers: Mapping[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.httpd.server_address[1]
        self.done = threading.Event()

    @property
    def url(self) -> str:
        """Return the base URL clients connect to."""
        return f"http://127.0.0.1:{self.port}"

    def _start(
        self, identifiers: Mapping[Identifier, Sequence[str]], mode: str, context: str, threads: int | None
    ) -> tuple[str, bytes]:
        party = Platform(identifiers, mode=mode, context=context, threads=threads)
        token = secrets.token_urlsafe(16)
        body = wire.encode(party.offer())
        with self._lock:
            self._open[token] = party
        return token, body

    def _finish(self, token: str, body: bytes, on_outcome: Callable[[Outcome], None] | None) -> bytes:
        with self._lock:
            party = self._open.pop(token, None)
        if party is None:
            raise InputError("不明なセッションです", "unknown or finished session", file="http")
        outcome, result = party.finish(wire.decode(body, "http"), "http")
        self.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
        with self._lock:
            if self._left is not None:
                self._left -= 1
                if self._left <= 0:
                    self.done.set()
        return wire.encode(result)

    def serve(self) -> None:
        """Serve until the configured number of sessions finished (or forever when None)."""
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        try:
            self.done.wait()
        finally:
            self.close()

    def start(self) -> None:
        """Serve in a background thread (tests, and the CLI's `--once`)."""
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving and release the port."""
        self.httpd.shutdown()
        self.httpd.server_close()


def _post(url: str, body: bytes) -> tuple[bytes, Mapping[str, str]]:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/octet-stream"}
    )
    try:
        with urllib.request.urlopen(request, timeout=3600) as response:  # scheme checked in connect()
            return response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")
        raise InputError(
            f"相手方がエラーを返しました: {detail}", f"the peer answered {exc.code}: {detail}", file=url
        ) from exc
    except urllib.error.URLError as exc:
        raise InputError("相手方に接続できません", f"cannot reach the peer: {exc.reason}", file=url) from exc


def connect(
    base_url: str,
    identifiers: Iterable[Identifier],
    *,
    context: str,
    allow_members: bool = False,
    threads: int | None = None,
) -> Outcome:
    """Run the client side against a platform's server and return the intersection size."""
    parsed = urllib.parse.urlparse(base_url)
    if parsed.scheme not in ("http", "https") or (
        parsed.scheme == "http" and parsed.hostname not in _LOOPBACK
    ):
        raise InputError(
            "平文 http はループバックにのみ使えます（他は https）",
            "plain http is allowed to loopback only; use https",
            file=base_url,
        )
    base = base_url.rstrip("/")
    client = Client(identifiers, context=context, allow_members=allow_members, threads=threads)
    body, headers = _post(f"{base}/psi/v1/sessions", b"")
    token = headers.get(SESSION_HEADER) or headers.get(SESSION_HEADER.lower())
    if not token:
        raise InputError("セッション番号がありません", "the peer sent no session id", file=base_url)
    answer = client.answer(wire.decode(body, base_url), base_url)
    result, _ = _post(f"{base}/psi/v1/sessions/{urllib.parse.quote(token)}/answer", wire.encode(answer))
    return client.count(wire.decode(result, base_url), base_url)
