"""One member's lifestyle scores with the features behind each (the portal's RecordSource port)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mamori.lake.insight.profiles import ParquetScores


class ScoresOfSubject:
    """Read a member's scores from the last profile refresh (empty before the first)."""

    def __init__(self, path: Path) -> None:
        self.reader = ParquetScores(path)

    def for_subject(self, subject: str) -> list[dict[str, Any]]:
        """Return each score with its value and the features that contributed to it."""
        return [
            {
                "name": score_id,
                "value": round(score, 3),
                "features": ", ".join(f"{feature} ({weight:+.2f})" for feature, weight in contributions),
            }
            for score_id, score, contributions in self.reader.rows_for(subject)
        ]
