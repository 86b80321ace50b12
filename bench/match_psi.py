"""PSI speed: mamori's ECDH PSI over ristretto255 vs raw libsodium scalar multiplication and openmined-psi.

Prints, from one run on this machine:
  * the raw rate of rbcl.crypto_scalarmult_ristretto255 (one call per element, one core);
  * mamori's protocol rate per core: element blindings (one secret-scalar multiplication of one
    element, hash-to-group included where the protocol does it) per CPU-second, over a whole
    n × n size-mode exchange (offer, answer, finish, count; wire encoding and decoding included);
    the ratio of the two is 1 − protocol overhead (target ≥ 0.7);
  * identifiers intersected per second per core (each identifier needs two blindings per party,
    so this is about half the blinding rate, by construction of DH-PSI);
  * wall time of n × n for mamori and openmined-psi (ECDH on P-256, cardinality only, raw
    container) on the same sets and the same cores: both on one core, and both on all cores
    (mamori's threads; openmined-psi sharded over processes, see run_openmined); ratios (target ≥ 2×);
  * optionally (--big N) the wall time of N × N.

    python bench/match_psi.py [--n 100000] [--big 1000000] [--raw 20000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import rbcl

from mamori.lake.psi import wire
from mamori.lake.psi.protocol import Client, Platform


def sets(n: int) -> tuple[dict[tuple[str, str], tuple[str]], list[tuple[str, str]]]:
    """Half of each side overlaps; identifiers look like normalized emails."""
    platform = {("email", f"user{i}@example.com"): (f"s{i}",) for i in range(n)}
    client = [("email", f"user{i}@example.com") for i in range(n // 2, n + n // 2)]
    return platform, client


def raw_rate(count: int, repeats: int = 3) -> float:
    """Scalar multiplications per second of the library's own API, one core."""
    scalar = rbcl.crypto_core_ristretto255_scalar_random()
    points = [
        rbcl.crypto_core_ristretto255_from_hash(hashlib.sha512(str(i).encode()).digest())
        for i in range(count)
    ]
    rates = []
    for _ in range(repeats):
        start = time.process_time()  # CPU time, like mamori's rate: other people's load cancels out
        for point in points:
            rbcl.crypto_scalarmult_ristretto255(scalar, point)
        rates.append(count / (time.process_time() - start))
    return statistics.median(rates)


def run_mamori(n: int, threads: int | None) -> tuple[float, float, int]:
    """Run a full n × n exchange; return (wall s, CPU s, intersection size)."""
    platform_ids, client_ids = sets(n)
    wall, cpu = time.perf_counter(), time.process_time()
    platform = Platform(platform_ids, mode="size", context="bench", threads=threads)
    client = Client(client_ids, context="bench", threads=threads)
    offer = wire.decode(wire.encode(platform.offer()))
    answer = wire.decode(wire.encode(client.answer(offer)))
    outcome, result = platform.finish(answer)
    counted = client.count(wire.decode(wire.encode(result)))
    assert outcome.size == counted.size == n // 2
    return time.perf_counter() - wall, time.process_time() - cpu, outcome.size


def _peer() -> Any:
    import private_set_intersection.python as psi  # type: ignore[import-not-found]

    return psi


def _om_setup(key: bytes, items: list[str], total: int) -> bytes:
    psi = _peer()
    server = psi.server.CreateFromKey(key, False)
    return bytes(server.CreateSetupMessage(0.0, total, items, psi.DataStructure.RAW).SerializeToString())


def _om_request(key: bytes, items: list[str]) -> bytes:
    return bytes(_peer().client.CreateFromKey(key, False).CreateRequest(items).SerializeToString())


def _om_process(key: bytes, request: bytes) -> bytes:
    psi = _peer()
    parsed = psi.Request()
    parsed.ParseFromString(request)
    return bytes(psi.server.CreateFromKey(key, False).ProcessRequest(parsed).SerializeToString())


def _om_size(key: bytes, setup: bytes, response: bytes) -> int:
    psi = _peer()
    parsed_setup, parsed_response = psi.ServerSetup(), psi.Response()
    parsed_setup.ParseFromString(setup)
    parsed_response.ParseFromString(response)
    return int(psi.client.CreateFromKey(key, False).GetIntersectionSize(parsed_setup, parsed_response))


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the peer's worker processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_openmined(n: int, processes: int = 1) -> tuple[float, float] | None:
    """Run openmined-psi's cardinality protocol on the same sets; None if it is not installed.

    openmined-psi is one-threaded (and not thread-safe: two threads on one object abort in
    BoringSSL). To give it the same cores mamori uses, `processes` > 1 shards every step over that
    many processes sharing the parties' keys (CreateFromKey) and merges the protobuf messages —
    the same protocol and the same work, spread like mamori's threads spread theirs.
    """
    try:
        psi = _peer()
    except ImportError:
        return None
    platform_ids, client_ids = sets(n)
    server_items = [value for _, value in platform_ids]
    client_items = [value for _, value in client_ids]
    start, start_cpu = time.perf_counter(), _cpu()
    server_key = psi.server.CreateWithNewKey(False).GetPrivateKeyBytes()
    client_key = psi.client.CreateWithNewKey(False).GetPrivateKeyBytes()
    if processes == 1:
        setup = _om_setup(server_key, server_items, len(client_items))
        response = _om_process(server_key, _om_request(client_key, client_items))
        size = _om_size(client_key, setup, response)
    else:
        shards_s = [server_items[i::processes] for i in range(processes)]
        shards_c = [client_items[i::processes] for i in range(processes)]
        with ProcessPoolExecutor(processes) as pool:
            setups = [pool.submit(_om_setup, server_key, part, len(client_items)) for part in shards_s]
            requests = [pool.submit(_om_request, client_key, part) for part in shards_c]
            responses = [pool.submit(_om_process, server_key, r.result()) for r in requests]
            elements: list[bytes] = []
            for part in setups:
                piece = psi.ServerSetup()
                piece.ParseFromString(part.result())
                elements.extend(piece.raw.encrypted_elements)
            merged = psi.ServerSetup()
            merged.raw.encrypted_elements.extend(sorted(elements))  # the client binary-searches it
            setup = merged.SerializeToString()
            sizes = [pool.submit(_om_size, client_key, setup, r.result()) for r in responses]
            size = sum(s.result() for s in sizes)
    elapsed, cpu = time.perf_counter() - start, _cpu() - start_cpu
    assert size == n // 2, size
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--raw", type=int, default=20_000)
    parser.add_argument("--big", type=int, default=0)
    args = parser.parse_args()
    cores = os.cpu_count() or 1

    raw = raw_rate(args.raw)
    print(f"raw rbcl scalarmult: {raw:,.0f} /s/core")

    wall, cpu, _ = run_mamori(args.n, threads=1)
    blindings = 4 * args.n
    rate = blindings / cpu
    print(f"mamori {args.n:,}x{args.n:,} one thread: {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"mamori blindings: {rate:,.0f} /s/core = {rate / raw:.2f} x raw (target >= 0.70)")
    print(
        f"mamori identifiers intersected: {2 * args.n / cpu:,.0f} /s/core = {2 * args.n / cpu / raw:.2f} x raw"
    )

    wall_all, cpu_all, _ = run_mamori(args.n, threads=None)
    print(f"mamori {args.n:,}x{args.n:,} {cores} threads: {wall_all:.1f} s wall ({cpu_all:.1f} s CPU)")

    peer = run_openmined(args.n)
    if peer is None:
        print("openmined-psi: not installed (pip install openmined-psi)")
    else:
        peer_all = run_openmined(args.n, processes=cores)
        assert peer_all is not None
        print(
            f"openmined-psi {args.n:,}x{args.n:,}: one thread {peer[0]:.1f} s wall ({peer[1]:.1f} s CPU); "
            f"{cores} processes {peer_all[0]:.1f} s wall ({peer_all[1]:.1f} s CPU)"
        )
        print(
            f"ratio openmined / mamori, same cores: one core each {peer[0] / wall:.2f} x wall, "
            f"{peer[1] / cpu:.2f} x CPU; {cores} cores each {peer_all[0] / wall_all:.2f} x wall, "
            f"{peer_all[1] / cpu_all:.2f} x CPU"
        )
        print(
            f"ratio openmined one thread (its default) / mamori {cores} threads: {peer[0] / wall_all:.2f} x wall"
        )

    if args.big:
        big_wall, big_cpu, size = run_mamori(args.big, threads=None)
        print(f"mamori {args.big:,}x{args.big:,}: {big_wall:.1f} s wall, {big_cpu:.1f} s CPU, size {size:,}")


if __name__ == "__main__":
    main()
