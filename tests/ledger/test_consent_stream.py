"""The streaming reader of consent files gives exactly the rows and errors of the thorough reader."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mamori.errors import InputError
from mamori.lake import consent_stream
from mamori.lake.consent_files import read_event_file
from mamori.lake.consent_stream import open_event_file

GOOD = {
    "plain": "subject,purpose,action,at,terms,by,channel\n"
    "M1,analysis,grant,2019-01-01T08:11:35+09:00,v1,self,web\n"
    "M2,analysis,withdraw,2019-01-01T08:11:35,v1,guardian,store\n",
    "aliases, BOM, spaces, quotes, missing optional columns": "\ufeffSubject_ID,purpose_id,action,at,terms_version\n"
    ' M1 ,analysis,grant,2019-01-01 08:11:35.5Z,v1\n"M2","analysis","object","2019-01-01T08:11:35-0500",v1\n',
    "empty optional values take their defaults": "subject,purpose,action,at,terms,by,channel,text_hash\n"
    "M1,analysis,grant,2019-01-01T08:11:35+09:00,v1,,,\n"
    'M2,analysis,grant,2019-01-01T08:11:35+09:00,v1,self,"",' + "ab" * 32 + "\n",
    "time forms only DuckDB reads": "subject,purpose,action,at,terms\n"
    "M1,analysis,grant,2019-01-01T08:11:35,v1\n"
    "M2,analysis,grant,2019-01-01T08:11:35.1234567+09:00,v1\n",
    "commas inside quotes": 'subject,purpose,action,at,terms,by,channel\nM1,analysis,grant,2019-01-01T08:11:35,v1,self,"paper, signed"\n',
}


def _write(tmp_path: Path, text: str, name: str = "events.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _streamed(path: Path) -> pa.Table:
    return pa.concat_tables(list(open_event_file(path)))


@pytest.mark.parametrize("text", GOOD.values(), ids=GOOD.keys())
def test_streamed_rows_equal_the_thorough_reader(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    assert _streamed(path).equals(read_event_file(path))


def test_tsv_and_parquet(tmp_path: Path) -> None:
    tsv = _write(tmp_path, GOOD["plain"].replace(",", "\t"), "events.tsv")
    assert _streamed(tsv).equals(read_event_file(tsv))
    parquet = tmp_path / "events.parquet"
    pq.write_table(pa.csv.read_csv(_write(tmp_path, GOOD["plain"])), parquet)  # type: ignore[attr-defined]
    assert _streamed(parquet).equals(read_event_file(parquet))


BAD = {
    "unknown action": ("M1,analysis,agree,2019-01-01T08:11:35,v1,self,web\n", "action"),
    "impossible date": ("M1,analysis,grant,2022-02-30T10:00:00+09:00,v1,self,web\n", "at"),
    "empty subject": (",analysis,grant,2019-01-01T08:11:35,v1,self,web\n", "subject"),
    "unknown actor": ("M1,analysis,grant,2019-01-01T08:11:35,v1,parent,web\n", "by"),
    "backslash": ("M\\1,analysis,grant,2019-01-01T08:11:35,v1,self,web\n", "subject"),
    "ragged row": ("M1,analysis\n", None),
}


@pytest.mark.parametrize(("bad", "field"), BAD.values(), ids=BAD.keys())
def test_a_bad_row_in_a_later_batch_gets_the_thorough_readers_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: str, field: str | None
) -> None:
    monkeypatch.setattr(consent_stream, "BLOCK_BYTES", 4096)  # many batches; the bad row is in the last
    good = "M0,analysis,grant,2019-01-01T08:11:35+09:00,v1,self,web\n" * 500
    path = _write(tmp_path, "subject,purpose,action,at,terms,by,channel\n" + good + bad)
    with pytest.raises(InputError) as thorough:
        read_event_file(path)
    given: list[int] = []

    def stream() -> None:
        for batch in open_event_file(path):
            given.append(batch.num_rows)

    with pytest.raises(InputError) as streamed:
        stream()
    assert sum(given) > 0  # earlier batches did stream before the bad one was met
    assert (streamed.value.file, streamed.value.line, streamed.value.field) == (str(path), 502, field)
    assert str(streamed.value) == str(thorough.value)


def test_estimated_rows_count_lines(tmp_path: Path) -> None:
    assert open_event_file(_write(tmp_path, GOOD["plain"])).estimated_rows() == 2


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        open_event_file(tmp_path / "nope.csv")
    assert error.value.file == str(tmp_path / "nope.csv")
