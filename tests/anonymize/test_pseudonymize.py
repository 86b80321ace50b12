"""Pseudonymized information: keyed tokens, key held apart with an access log, never provided."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from mamori.domain.consent import ConsentBook
from mamori.domain.policy import PolicyWorld
from mamori.domain.purposes import Purpose, PurposeKind
from mamori.domain.recipients import Recipient, Relation
from mamori.domain.terms import TermsHistory
from mamori.errors import ConfigError, RefusedError
from mamori.lake.pseudonymize.engine import PseudoJob, provision_decision, run, token
from mamori.lake.pseudonymize.keystore import Keystore


def _job(src: Path, tmp: Path, **kw: object) -> PseudoJob:
    return PseudoJob(src, tmp / "data" / "p.parquet", tmp / "keys" / "ks.json", tokens=["member_id"], **kw)  # type: ignore[arg-type]


def test_PPC_RULE_31_keyed_tokens_and_removed_columns(members_csv: Path, tmp_path: Path) -> None:
    report = run(_job(members_csv, tmp_path, keep=["age", "sex", "diagnosis"]))
    rows = duckdb.connect().execute(f"SELECT * FROM '{tmp_path / 'data' / 'p.parquet'}'").fetchall()
    assert len(rows) == 1500
    assert {"name", "email", "address", "postal_code"} <= set(report["removed"])
    key = Keystore(tmp_path / "keys" / "ks.json").key("default", purpose="test")
    assert rows[0][0] == token(key, "M100000")  # the business can re-derive with the key, nobody else
    second = run(_job(members_csv, tmp_path / "again", keep=["age"]))
    assert second["key_id"] == "default"


def test_PPC_RULE_31_financial_and_contact_columns_refused(members_csv: Path, tmp_path: Path) -> None:
    with pytest.raises(RefusedError) as caught:
        run(_job(members_csv, tmp_path, keep=["email"]))
    assert caught.value.rules == ("PPC-RULE-31",)


def test_APPI_41_1_keystore_private_apart_and_logged(members_csv: Path, tmp_path: Path) -> None:
    run(_job(members_csv, tmp_path, keep=["age"]))
    store = tmp_path / "keys" / "ks.json"
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    log = Keystore(store).access_log()
    assert [e["action"] for e in log] == ["create", "use"]
    assert log[0]["key_id"] == "default" and log[0]["actor"]
    os.chmod(store, 0o644)
    with pytest.raises(ConfigError):
        run(_job(members_csv, tmp_path, keep=["age"]))
    with pytest.raises(RefusedError):
        run(
            PseudoJob(members_csv, tmp_path / "x" / "p.csv", tmp_path / "x" / "ks.json", tokens=["member_id"])
        )


def test_APPI_42_1_pseudonymized_data_is_never_provided_to_a_third_party() -> None:
    purpose = Purpose(id="share", kind=PurposeKind.THIRD_PARTY_PROVISION, recipients=frozenset({"retail"}))
    world = PolicyWorld({"share": purpose}, {}, ConsentBook([], {}, TermsHistory([])))
    decision = provision_decision(
        world,
        "s1",
        "share",
        Recipient(id="r", category="retail", relation=Relation.THIRD_PARTY),
        datetime.now(UTC),
    )
    assert not decision.allowed and decision.rules == ("APPI-42-1",)
