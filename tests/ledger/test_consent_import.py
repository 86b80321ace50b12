"""Bulk import of a consent history: all or nothing, with file/row/field in every error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from mamori.domain.audit import Tampering
from mamori.errors import InputError
from mamori.lake import consent_stream
from mamori.lake.consent_files import read_event_file
from mamori.lake.consent_stream import open_event_file
from mamori.ledger import sql_ledger
from mamori.services.consent_import import import_events
from tests.ledger.test_audit_chain import tamper
from tests.ledger.world import MakePlatform, seed
from tests.paths import SRC

HEADER = "subject,purpose,action,at,terms,by,channel\n"


def write(tmp_path: Path, body: str, name: str = "events.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_import_appends_and_audits(database_url: str, make_platform: MakePlatform, tmp_path: Path) -> None:
    platform = make_platform(database_url)
    seed(platform)
    path = write(
        tmp_path,
        "hanako,provide_ads,grant,2022-02-01T10:00:00+09:00,v2,self,store\n"
        'mother,analysis,grant,2022-02-01 10:00:00,v2,self,"paper, signed"\n',
    )
    result = import_events(platform.ledger, read_event_file(path), str(path), "test")
    assert (result.rows, result.first, result.last) == (2, 5, 6)
    events = platform.ledger.events_for("mother")
    assert events[0].at.isoformat() == "2022-02-01T01:00:00+00:00"  # no offset: read as JST
    assert events[0].channel == "paper, signed"
    assert platform.ledger.verify_audit() is None


@pytest.mark.parametrize(
    ("body", "line", "field"),
    [
        ("hanako,analysis,agree,2022-02-01T10:00:00+09:00,v2,self,web\n", 2, "action"),
        ("hanako,analysis,grant,2022-02-30T10:00:00+09:00,v2,self,web\n", 2, "at"),
        (
            "hanako,analysis,grant,2022-02-01T10:00:00+09:00,v2,self,web\n,analysis,grant,2022-02-01,v2,self,web\n",
            3,
            "subject",
        ),
        ("hanako,analysis,grant,2022-02-01T10:00:00+09:00,v2,parent,web\n", 2, "by"),
    ],
)
def test_bad_rows_name_file_row_and_field(tmp_path: Path, body: str, line: int, field: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(InputError) as error:
        read_event_file(path)
    assert (error.value.file, error.value.line, error.value.field) == (str(path), line, field)


def test_unknown_purpose_refuses_the_whole_file(
    database_url: str, make_platform: MakePlatform, tmp_path: Path
) -> None:
    platform = make_platform(database_url)
    seed(platform)
    path = write(
        tmp_path,
        "hanako,analysis,grant,2022-02-01T10:00:00+09:00,v2,self,web\n"
        "hanako,golf,grant,2022-02-01T10:00:00+09:00,v2,self,web\n",
    )
    with pytest.raises(InputError) as error:
        import_events(platform.ledger, read_event_file(path), str(path), "test")
    assert (error.value.line, error.value.field) == (3, "purpose")
    assert platform.ledger.position() == 4  # nothing written


def test_cli_import_exits_non_zero_without_partial_import(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = write(tmp_path, "a,analysis,grant,2022-02-01T10:00:00+09:00,v1,self,web\nragged,row\n")
    env = {
        "PYTHONPATH": str(SRC.parent),
        "MAMORI_HOME": str(home),
        "MAMORI_LANG": "en",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "mamori", "consent", "import", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "events.csv:3" in result.stderr


def _many(rows: int) -> str:
    return "".join(
        f"s{i % 300},analysis,grant,2022-02-01T10:00:{i % 60:02d}+09:00,v1,self,web\n" for i in range(rows)
    )


def _partitions(url: str, platform: object) -> list[str]:
    if not url.startswith("postgresql"):
        return []
    with platform.ledger.engine.connect() as c:  # type: ignore[attr-defined]
        found = c.execute(
            sa.text(
                "SELECT inhrelid::regclass::text FROM pg_inherits "
                "WHERE inhparent = 'consent_events'::regclass ORDER BY 1"
            )
        )
        return list(found.scalars())


def test_a_large_streamed_import_fills_a_partition_of_its_own(
    database_url: str, make_platform: MakePlatform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_ledger, "BULK_CHUNK", 1000)  # three chunks: three audit entries, one lot
    platform = make_platform(database_url)
    seed(platform)
    path = write(tmp_path, _many(2500))
    result = import_events(platform.ledger, open_event_file(path), str(path), "test")
    assert (result.rows, result.first, result.last) == (2500, 5, 2504)
    assert len(platform.ledger.events_for("s7")) == 9
    assert [e.subject for e in platform.ledger.events_for("hanako")][:1] == ["hanako"]
    assert platform.ledger.verify_audit() is None
    if database_url.startswith("postgresql"):
        assert _partitions(database_url, platform) == ["consent_events_live", "consent_events_lot_5"]
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), platform.ledger.engine.begin() as c:
            c.execute(sa.text("UPDATE consent_events_lot_5 SET channel = 'forged' WHERE seq = 2000"))
    tamper(platform, "UPDATE consent_events SET channel = 'forged' WHERE seq = 2000")
    broken = platform.ledger.verify_audit()
    assert broken is not None
    assert broken.tampering == Tampering.CHANGED


def test_a_bad_row_after_streamed_chunks_leaves_nothing(
    database_url: str, make_platform: MakePlatform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_ledger, "BULK_CHUNK", 1000)
    monkeypatch.setattr(consent_stream, "BLOCK_BYTES", 4096)
    platform = make_platform(database_url)
    seed(platform)
    path = write(tmp_path, _many(2500) + "s1,analysis,agree,2022-02-01T10:00:00+09:00,v1,self,web\n")
    with pytest.raises(InputError) as error:
        import_events(platform.ledger, open_event_file(path), str(path), "test")
    assert (error.value.line, error.value.field) == (2502, "action")
    assert platform.ledger.position() == 4
    assert _partitions(database_url, platform) in ([], ["consent_events_live"])
    assert platform.ledger.verify_audit() is None
