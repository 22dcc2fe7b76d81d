"""The ageing chart's geometry: one stacked bar per state and due kind, drawn as inline SVG.

A planner: it returns numbers, the template only draws them (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from .selectors import AGE_BUCKETS, AgeingRow

ROW_HEIGHT = 44  # each row: its label on one line, its bar below, so a phone shows both whole
BAR_OFFSET = 18


@dataclass(frozen=True)
class Segment:
    x: float  # % of the width
    width: float  # % of the width
    bucket: int
    title: str


@dataclass(frozen=True)
class Bar:
    y: int
    bar_y: int
    label: str
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class AgeingChart:
    bars: list[Bar]
    height: int
    bar_offset: int
    legend: list[tuple[int, str]]
    description: str


def ageing_chart(rows: list[AgeingRow]) -> AgeingChart:
    """Bars scaled to the largest row, each split by age; the widest bar fills the plot."""
    largest = max((row.total for row in rows), default=0) or 1
    plot = 100
    bars = []
    for index, row in enumerate(rows):
        x, segments = 0.0, []
        for bucket, count in enumerate(row.counts):
            if count:
                width = round(plot * count / largest, 2)
                title = f"{row.status_label}, {row.due_kind_label}: {count} {AGE_BUCKETS[bucket][0]} old"
                segments.append(Segment(round(x, 2), width, bucket, title))
                x += width
        y = index * ROW_HEIGHT + 4
        bars.append(Bar(y, y + BAR_OFFSET, f"{row.status_label} · {row.due_kind_label}", row.total, segments))
    total = sum(row.total for row in rows)
    return AgeingChart(
        bars=bars,
        height=max(len(rows), 1) * ROW_HEIGHT + 8,
        bar_offset=BAR_OFFSET,
        legend=[(index, label) for index, (label, _, _) in enumerate(AGE_BUCKETS)],
        description=f"{total} open cases by state and due kind, each bar split by days in that state.",
    )
