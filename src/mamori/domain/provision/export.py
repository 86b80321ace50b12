"""Cells safe to open in a spreadsheet: no formula injection (CWE-1236).

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before reading a formula) is run as a formula when a recipient
opens the CSV. OWASP's advice, followed here: prefix such a cell with a single quote.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Return the value, quoted with a leading apostrophe when a spreadsheet would run it."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
