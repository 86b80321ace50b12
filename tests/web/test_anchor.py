"""The audit anchor under the web server's concurrency: it only moves forward, and stays readable."""

from __future__ import annotations

import threading
from pathlib import Path

from mamori.domain.audit import Anchor
from mamori.ledger.anchor import FileAnchor


def test_anchor_never_goes_backwards_under_concurrent_writers(tmp_path: Path) -> None:
    anchor = FileAnchor(tmp_path / "audit-anchor.json")
    threads = [
        threading.Thread(
            target=lambda n=n: [anchor.advance(Anchor(n * 100 + k, f"h{n}-{k}")) for k in range(50)]
        )
        for n in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert anchor.read() == Anchor(749, "h7-49")


def test_a_shorter_head_overwrites_a_longer_one_cleanly(tmp_path: Path) -> None:
    anchor = FileAnchor(tmp_path / "audit-anchor.json")
    anchor.write(Anchor(123456789, "a" * 64))
    anchor.write(Anchor(2, "b"))
    assert anchor.read() == Anchor(2, "b")
