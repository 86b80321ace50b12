"""PSI speed: mamori's ECDH PSI over ristretto255 vs raw libsodium scalar multiplication and openmined-psi.

Prints, from one run on this machine:
  * the raw rate of rbcl.crypto_scalarmult_ristretto255 (one call per element, one core);
  * mamori's protocol rate per core: element blindings (one secret-scalar multiplication of one
    element, hash-to-group included where the protocol does it) per CPU-second, over a whole
    n × n size-mode exchange (offer, answer, finish, count; wire encoding and decoding included);
    the ratio of the two is 1 − protocol overhead (target ≥ 0.7);
  * identifiers intersected per second per core (each identifier needs two blindings per party,
    so this is about half the blinding rate, by construction of DH-PSI);
  * wall time of n × n for mamori (all cores, and one thread) and openmined-psi (ECDH on P-256,
    cardinality only, raw container) on the same sets; ratio (target ≥ 2×);
  * optionally (--big N) the wall time of N × N.

    python bench/match_psi.py [--n 100000] [--big 1000000] [--raw 20000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import time

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
        start = time.perf_counter()
        for point in points:
            rbcl.crypto_scalarmult_ristretto255(scalar, point)
        rates.append(count / (time.perf_counter() - start))
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


def run_openmined(n: int) -> float | None:
    """Run openmined-psi's cardinality protocol on the same sets; None if it is not installed."""
    try:
        import private_set_intersection.python as psi  # type: ignore[import-not-found]
    except ImportError:
        return None
    platform_ids, client_ids = sets(n)
    server_items = [value for _, value in platform_ids]
    client_items = [value for _, value in client_ids]
    start = time.perf_counter()
    server = psi.server.CreateWithNewKey(False)
    client = psi.client.CreateWithNewKey(False)
    setup = server.CreateSetupMessage(0.0, len(client_items), server_items, psi.DataStructure.RAW)
    request = client.CreateRequest(client_items)
    response = server.ProcessRequest(request)
    size = client.GetIntersectionSize(setup, response)
    elapsed = time.perf_counter() - start
    assert size == n // 2, size
    return elapsed


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
        print(f"openmined-psi {args.n:,}x{args.n:,}: {peer:.1f} s wall (one thread)")
        print(
            f"ratio openmined / mamori: {peer / wall_all:.2f} x ({cores} threads), {peer / wall:.2f} x (one thread)"
        )

    if args.big:
        big_wall, big_cpu, size = run_mamori(args.big, threads=None)
        print(f"mamori {args.big:,}x{args.big:,}: {big_wall:.1f} s wall, {big_cpu:.1f} s CPU, size {size:,}")


if __name__ == "__main__":
    main()
