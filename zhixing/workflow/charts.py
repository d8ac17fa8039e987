"""Server-rendered SVG bar charts (no JavaScript, no CDN; fits the strict CSP)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: int
    width: int
    text_x: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int
    bar_x: int
    bar_height: int
    unit: str
    color: str


def bar_chart(
    data: Sequence[tuple[str, float]], *, unit: str = "", color: str = "#a61b1b", width: int = 640
) -> BarChart:
    """Horizontal bars scaled to the largest value; labels on the left, values at the bar end."""
    label_w, bar_h, gap = 180, 22, 10
    span = width - label_w - 70
    top = max((float(v) for _, v in data), default=0.0) or 1.0
    bars = []
    for i, (label, value) in enumerate(data):
        w = round(span * float(value) / top) if value else 0
        bars.append(Bar(label=str(label), value=value, y=i * (bar_h + gap), width=w, text_x=label_w + w + 6))
    return BarChart(
        bars=bars,
        height=max(len(bars) * (bar_h + gap), bar_h),
        width=width,
        bar_x=label_w,
        bar_height=bar_h,
        unit=unit,
        color=color,
    )
