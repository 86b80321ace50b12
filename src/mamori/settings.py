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
    smtp_host: str | None = None  # None: mail goes to the outbox table (the embedded default)
    smtp_port: int = 25
    mail_from: str = "mamori@example.com"

    @property
    def lake_dir(self) -> Path:
        """Return the folder of the data plane's Parquet datasets."""
        return self.home / "lake"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read MAMORI_HOME (default ./mamori-data), MAMORI_DATABASE_URL (default SQLite there), MAMORI_SMTP_*."""
        env = dict(os.environ if environ is None else environ)
        home = Path(env.get("MAMORI_HOME", "mamori-data")).resolve()
        url = env.get("MAMORI_DATABASE_URL") or f"sqlite:///{home / 'ledger.sqlite3'}"
        from mamori.i18n import current_lang

        return cls(
            home=home,
            database_url=url,
            lang=current_lang(),
            smtp_host=env.get("MAMORI_SMTP_HOST") or None,
            smtp_port=int(env.get("MAMORI_SMTP_PORT", "25")),
            mail_from=env.get("MAMORI_MAIL_FROM", "mamori@example.com"),
        )
