"""mamori's one error hierarchy; every message is in Japanese first and English second.

    MamoriError
    ├── InputError          bad user input: names the file, the line/row and the field
    │   └── ScenarioError   a conformance scenario that cannot be read
    ├── RefusedError        the law or policy refuses the operation; names the rule ids
    ├── LedgerError         the system of record failed (driver errors wrapped with context)
    │   └── TamperedError   the audit chain does not verify
    └── ConfigError         settings that cannot work

Adapters translate driver errors with ``raise ... from exc`` and add context.
"""

from __future__ import annotations


class MamoriError(Exception):
    """Base of every error mamori raises on purpose."""

    def __init__(self, ja: str, en: str | None = None) -> None:
        self.ja = ja
        self.en = en or ja
        super().__init__(self.en)

    def message(self, lang: str = "ja") -> str:
        """Return the message in a language ("ja" or "en")."""
        return self.en if lang.startswith("en") else self.ja


class InputError(MamoriError):
    """A user-supplied file or value is malformed; says where (file, line/row, field)."""

    def __init__(
        self,
        ja: str,
        en: str | None = None,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file, self.line, self.field = file, line, field
        where = ":".join(str(p) for p in (file, line) if p is not None)
        prefix = f"{where}: " if where else ""
        field_ja = f"項目 {field}: " if field else ""
        field_en = f"field {field}: " if field else ""
        super().__init__(f"{prefix}{field_ja}{ja}", f"{prefix}{field_en}{en or ja}")


class ScenarioError(InputError):
    """A conformance scenario file cannot be read."""


class RefusedError(MamoriError):
    """The law or mamori's policy refuses an operation."""

    def __init__(self, ja: str, en: str | None = None, *, rules: tuple[str, ...] = ()) -> None:
        self.rules = rules
        cited = f" [{', '.join(rules)}]" if rules else ""
        super().__init__(f"{ja}{cited}", f"{en or ja}{cited}")


class LedgerError(MamoriError):
    """The system of record failed."""


class TamperedError(LedgerError):
    """The audit chain does not verify."""


class ConfigError(MamoriError):
    """Settings that cannot work."""
