"""The user's language: MAMORI_LANG, else the locale; Japanese first."""

from __future__ import annotations

import os


def current_lang() -> str:
    """Return "ja" or "en" for messages, from MAMORI_LANG or the locale (default Japanese)."""
    for var in ("MAMORI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").lower()
        if value.startswith("en"):
            return "en"
        if value.startswith("ja"):
            return "ja"
        if var == "MAMORI_LANG" and value:
            break
    return "ja"


def t(ja: str, en: str) -> str:
    """Pick the message for the user's language."""
    return en if current_lang() == "en" else ja
