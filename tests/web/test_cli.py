"""`mamori serve` starts on an empty home and answers `/` in Japanese; `mamori outbox` reads codes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from fastapi.testclient import TestClient

from tests.paths import SRC
from tests.web.world import World, csrf_of


def _env(home: Path) -> dict[str, str]:
    return {
        "PYTHONPATH": str(SRC.parent),
        "MAMORI_HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }


def test_serve_on_an_empty_home_answers_in_japanese(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "mamori", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=_env(tmp_path / "empty"), stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
                    assert response.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "mamori serve did not answer"
                time.sleep(0.2)
        assert '<html lang="ja">' in body and "サインイン" in body
    finally:
        server.terminate()
        server.wait(10)
        assert server.stderr is not None
        server.stderr.close()


def test_outbox_command_shows_the_sign_in_code(world: World, anon: TestClient) -> None:
    token = csrf_of(anon.get("/signin").text)
    anon.post("/signin", data={"email": "officer@example.com", "csrf": token})
    home = world.ctx.platform.settings.home
    result = subprocess.run(
        [sys.executable, "-m", "mamori", "outbox", "--json"],
        env=_env(home),
        capture_output=True,
        text=True,
        check=True,
    )
    (mail,) = json.loads(result.stdout)
    assert mail["to"] == "officer@example.com" and "サインインコード" in mail["body"]
    assert any(e.kind == "outbox-read" for e in world.ctx.platform.ledger.audit_entries())
