"""Settings from the environment; read once by `bootstrap`, never at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mamori.domain.config import DEFAULT_CONFIG, PolicyConfig


@dataclass(frozen=True, slots=True)
class Settings:
    """Where mamori keeps its data and which database it uses."""

    home: Path
    database_url: str
    lang: str = "ja"
    policy: PolicyConfig = DEFAULT_CONFIG

    @property
    def lake_dir(self) -> Path:
        """Return the folder of the data plane's Parquet datasets."""
        return self.home / "lake"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read MAMORI_HOME (default ./mamori-data) and MAMORI_DATABASE_URL (default SQLite there)."""
        env = dict(os.environ if environ is None else environ)
        home = Path(env.get("MAMORI_HOME", "mamori-data")).resolve()
        url = env.get("MAMORI_DATABASE_URL") or f"sqlite:///{home / 'ledger.sqlite3'}"
        from mamori.i18n import current_lang

        return cls(home=home, database_url=url, lang=current_lang())
