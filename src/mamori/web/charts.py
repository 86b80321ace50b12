"""A line chart of consent coverage, drawn server-side as SVG (no script, works offline)."""

from __future__ import annotations

from dataclasses import dataclass

from mamori.services.coverage import CoveragePoint

WIDTH, HEIGHT, PAD = 720, 300, 48
# Okabe–Ito colours (distinguishable with colour-vision deficiencies), each also dashed
# differently so lines differ without colour (WCAG 1.4.1).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00", "#56B4E9", "#000000")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 2", "12 6")


@dataclass(frozen=True, slots=True)
class Line:
    """One purpose's coverage line."""

    purpose: str
    points: str  # the SVG polyline's points
    colour: str
    dash: str
    last: float  # share granted at the last point, 0..1


def lines(points: list[CoveragePoint]) -> list[Line]:
    """Place each purpose's share granted over time in the chart's box."""
    if not points:
        return []
    purposes = sorted({p for point in points for p in point.granted})
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)
    drawn: list[Line] = []
    for n, purpose in enumerate(purposes):
        shares = [pt.granted.get(purpose, 0) / pt.subjects if pt.subjects else 0.0 for pt in points]
        xy = " ".join(
            f"{PAD + i * step:.1f},{HEIGHT - PAD - share * (HEIGHT - 2 * PAD):.1f}"
            for i, share in enumerate(shares)
        )
        drawn.append(Line(purpose, xy, PALETTE[n % len(PALETTE)], DASHES[n % len(DASHES)], shares[-1]))
    return drawn
