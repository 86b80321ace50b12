"""Benchmark the portal: consent changes under 50 concurrent clients, and disclosure latency.

Needs wrk (`apt-get install wrk`) as the load generator.

Part 1 — consent change (POST /consents, the no-JavaScript form: session looked up, CSRF
checked, the grant/withdrawal validated against the terms in effect and appended to the
ledger with its audit entry, answered 303 after the commit) on the embedded default (SQLite)
vs a bare FastAPI endpoint returning a static JSON body. Both run under the same uvicorn
settings (--workers processes, 127.0.0.1, log level warning), driven by wrk with the same 50
connections, alternating --rounds times; the medians are printed, with each round's ratio and
the servers' CPU time per request (the figure a loaded machine moves least).

Part 2 — disclosure download (GET /requests/disclosure.json) for one member of a world of
--members members: p50/p99 over --downloads sequential downloads (before the consent load).

    PYTHONPATH=src python bench/web_consent.py --members 200000 --seconds 15 [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

CLIENTS = 50
Session = tuple[str, str, str]  # subject, cookie token, csrf token


def bare_app() -> Any:
    """The peer: a bare FastAPI endpoint returning a static JSON body."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/static")
    def static() -> dict[str, bool]:
        return {"ok": True}

    return app


def portal_app() -> Any:
    """The portal over $MAMORI_HOME (built by `prepare`)."""
    from mamori.settings import Settings
    from mamori.web.app import create_app

    return create_app(Settings.from_env())


def prepare(home: Path, members: int) -> list[Session]:
    """Build a demo-like world and open sessions for CLIENTS adult members."""
    from mamori.bootstrap import build, build_portal
    from mamori.demo.portal import member_email
    from mamori.lake.consent_files import read_event_file
    from mamori.lake.synth import SynthConfig, build_world
    from mamori.lake.synth.members import read_members
    from mamori.lake.synth.purposes import PURPOSES, TERMS
    from mamori.services.accounts import digest
    from mamori.services.consent import publish_terms, register_purpose, register_subjects
    from mamori.services.consent_import import import_events
    from mamori.services.portal_ports import Account, Role
    from mamori.settings import Settings

    platform = build(Settings(home=home, database_url=f"sqlite:///{home / 'ledger.sqlite3'}"))
    for purpose in PURPOSES:
        register_purpose(platform.ledger, purpose, "bench")
    for terms in TERMS:
        publish_terms(platform.ledger, terms, "bench")
    synth = home / "synth"
    build_world(SynthConfig(members=members, seed=20261127), synth)
    people = read_members(synth / "members.csv")
    register_subjects(platform.ledger, people, "bench")
    import_events(platform.ledger, read_event_file(synth / "consents.csv"), "bench", "bench")
    store = build_portal(platform).store
    store.add_accounts([Account(member_email(s.id), Role.MEMBER, s.id) for s in people], "bench")
    adults = [s.id for s in people if s.birth_date and s.birth_date.year < 2000]
    now = datetime.now(UTC)
    sessions = []
    for subject in random.Random(7).sample(adults, CLIENTS):
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        store.add_session(digest(token), member_email(subject), csrf, now, now + timedelta(hours=2))
        sessions.append((subject, token, csrf))
    platform.ledger.engine.dispose()
    return sessions


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(factory: str, home: Path, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """Start uvicorn (the same settings for both apps) and wait until it answers."""
    port = _port()
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "MAMORI_HOME": str(home), "PYTHONPATH": src}
    command = [sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning", "--app-dir", str(Path(__file__).parent)]
    command += ["--workers", str(workers)] if workers > 1 else []
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/openapi.json", timeout=1)
            return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


_LUA = """
local sessions = {%s}
local purpose = "analysis"  -- in every terms version of the synthetic world
local n = 0
request = function()
  n = n + 1
  local s = sessions[(n %% #sessions) + 1]
  local choice = (math.floor(n / #sessions) %% 2 == 0) and "grant" or "withdraw"
  local body = "purpose=" .. purpose .. "&choice=" .. choice .. "&csrf=" .. s[2]
  local headers = {["Cookie"] = "mamori_session=" .. s[1],
                   ["Content-Type"] = "application/x-www-form-urlencoded"}
  return wrk.format("POST", "%s", headers, body)
end
"""


def load(base: str, path: str, sessions: list[Session], seconds: float, script_dir: Path) -> dict[str, float]:
    """Drive CLIENTS connections with wrk (C, so the load generator is not the bottleneck)."""
    script = script_dir / "load.lua"
    pairs = ", ".join(f'{{"{token}", "{csrf}"}}' for _, token, csrf in sessions)
    script.write_text(_LUA % (pairs, path), encoding="utf-8")
    command = ["wrk", "-t2", f"-c{CLIENTS}", f"-d{int(seconds)}s", "--latency", "--timeout", "30s"]
    out = subprocess.run(
        [*command, "-s", str(script), base], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw failed requests:\n{out}")
    found = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for q in ("50", "99"):
        value, unit = re.search(rf"\s{q}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        found[q] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return found


def disclosures(base: str, sessions: list[Session], count: int) -> list[float]:
    """Download disclosures one after another, for the signed-in members in turn."""
    latencies = []
    with httpx.Client(base_url=base, timeout=120) as http:
        for n in range(count):
            _, token, _ = sessions[n % len(sessions)]
            started = time.perf_counter()
            response = http.get("/requests/disclosure.json", cookies={"mamori_session": token})
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200 or "profile" not in response.json():
                raise RuntimeError(f"disclosure: {response.status_code}")
    return latencies


def ms(values: list[float], q: float) -> float:
    """Return the q-quantile in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def server_cpu(process: subprocess.Popen[bytes]) -> float:
    """Return the CPU seconds used so far by the server and its worker processes (Linux /proc).

    CPU per request does not depend on how much of the shared machine the server was given,
    so it is the steadiest figure when other jobs load the cores.
    """
    pids = [process.pid]
    try:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        pids += [int(c) for c in children]
        total = 0.0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total
    except (OSError, ValueError):
        return float("nan")


APPS = (
    ("bare FastAPI static JSON", "web_consent:bare_app", "/static"),
    ("mamori consent change", "web_consent:portal_app", "/consents"),
)


def main() -> None:
    """Run both parts and print our figure, the peer's, and the ratio (medians over rounds)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--downloads", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (both apps)")
    parser.add_argument("--rounds", type=int, default=3, help="alternate the two servers this many times")
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in APPS}
    downloads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="mamori-bench-web-") as tmp:
        home = Path(tmp) / "home"
        started = time.perf_counter()
        sessions = prepare(home, args.members)
        print(
            f"world: {args.members:,} members built in {time.perf_counter() - started:.0f}s", file=sys.stderr
        )
        for round_ in range(args.rounds):
            for name, factory, path in APPS:
                process, base = serve(factory, home, args.workers)
                try:
                    if factory.endswith("portal_app") and round_ == 0:
                        # Before any consent load: a member's disclosure holds every consent
                        # event of theirs, and the load adds hundreds to these 50 members.
                        downloads = disclosures(base, sessions, args.downloads)
                    load(base, path, sessions, 2, Path(tmp))  # warm-up
                    cpu = server_cpu(process)
                    found = load(base, path, sessions, args.seconds, Path(tmp))
                    found["cpu_ms"] = 1000 * (server_cpu(process) - cpu) / (found["rps"] * args.seconds)
                    runs[name].append(found)
                    print(f"round {round_ + 1} {name}: {found}", file=sys.stderr)
                finally:
                    process.terminate()
                    process.wait(10)
    print(
        f"uvicorn workers: {args.workers}; medians of {args.rounds} alternating rounds of {args.seconds:.0f}s"
    )
    print(f"{'endpoint (50 clients)':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'CPU ms/req':>12}")
    for name, found in runs.items():
        rps, p50, p99, cpu = (statistics.median(f[k] for f in found) for k in ("rps", "50", "99", "cpu_ms"))
        print(f"{name:<28}{rps:>10.0f}{p50:>10.1f}{p99:>10.1f}{cpu:>12.2f}")
    ours, peer = (statistics.median(f["rps"] for f in runs[name]) for name, _, _ in reversed(APPS))
    each = [o["rps"] / p["rps"] for o, p in zip(runs[APPS[1][0]], runs[APPS[0][0]], strict=True)]
    print(
        f"ratio (consent change / bare): {ours / peer:.2f}x  (target >= 0.3x); "
        f"per round: {', '.join(f'{r:.2f}x' for r in each)}"
    )
    print(
        f"disclosure.json, one member of {args.members:,}: p50 {ms(downloads, 0.5):.1f} ms, "
        f"p99 {ms(downloads, 0.99):.1f} ms over {len(downloads)} sequential downloads"
    )


if __name__ == "__main__":
    main()
