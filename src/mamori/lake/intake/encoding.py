"""Which encoding a text file is in: UTF-8 (with or without BOM) or CP932 (Windows Shift_JIS).

Detected per line over a sample, because real files are mixed: a UTF-8 export with a few
rows pasted from a Shift_JIS system. The majority decides; the lines that do not decode are
quarantined later as invalid_encoding. A declared encoding is checked the same way and
refused when most lines do not decode in it (a wrong declaration would otherwise quarantine
the whole file row by row).
"""

from __future__ import annotations

import codecs
from pathlib import Path

from mamori.errors import InputError

SAMPLE_BYTES = 4 * 1024 * 1024
_ALIASES = {"utf8": "utf-8", "utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "utf8-sig": "utf-8-sig",
            "sjis": "cp932", "shift_jis": "cp932", "shift-jis": "cp932", "cp932": "cp932", "ms932": "cp932",
            "windows-31j": "cp932"}  # fmt: skip


def canonical(name: str) -> str:
    """Return the codec mamori uses for a declared encoding name (Shift_JIS is read as CP932)."""
    key = name.strip().lower()
    found = _ALIASES.get(key) or _ALIASES.get(key.replace("_", "-"))
    if found is None:
        raise InputError(
            f"対応していない文字コードです: {name}（utf-8, utf-8-sig, cp932/shift_jis）",
            f"unsupported encoding: {name} (utf-8, utf-8-sig, cp932/shift_jis)",
            field="--encoding",
        )
    return found


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        codecs.decode(line, encoding)
    except UnicodeDecodeError:
        return False
    return True


def detect(path: Path, declared: str | None = None) -> str:
    """Return the file's encoding ("utf-8", "utf-8-sig" or "cp932"), checking a declared one."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if len(sample) == SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n")]  # never judge a line cut in half
    lines = [line for line in sample.split(b"\n") if line.strip()]
    bom = sample.startswith(codecs.BOM_UTF8)
    if declared is not None:
        chosen = canonical(declared)
        if chosen == "utf-8" and bom:
            chosen = "utf-8-sig"
        ok = sum(_decodes(line, chosen) for line in lines)
        if lines and (ok * 2 < len(lines) or not _decodes(lines[0], chosen)):
            guess = detect(path)
            raise InputError(
                f"宣言された文字コード {declared} では読めません（推定: {guess}）。--encoding {guess} を指定してください",
                f"the file does not decode as the declared {declared} (it looks like {guess}); use --encoding {guess}",
                file=str(path),
                line=1,
            )
        return chosen
    if bom:
        return "utf-8-sig"
    # Only lines with non-ASCII bytes say anything; UTF-8 wins ties (modern exports use it).
    telling = [line for line in lines if not line.isascii()]
    utf8 = sum(_decodes(line, "utf-8") for line in telling)
    cp932 = sum(_decodes(line, "cp932") for line in telling)
    return "utf-8" if utf8 >= cp932 else "cp932"


def transcode_to_utf8(source: Path, target: Path, encoding: str) -> None:
    """Write a UTF-8 copy of a CP932 file; undecodable bytes become U+FFFD (then quarantined).

    Line by line is safe: in Shift_JIS a newline byte never occurs inside a character.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with source.open("rb") as reader, target.open("wb") as writer:
        while chunk := reader.read(16 * 1024 * 1024):
            writer.write(decoder.decode(chunk).encode("utf-8"))
        writer.write(decoder.decode(b"", final=True).encode("utf-8"))
