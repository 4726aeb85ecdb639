"""Server-rendered SVG charts: bars and lines, no scripts, no style attributes (strict CSP).

Each chart is an image with a title and a description for screen readers; the page always
puts the same numbers in a table beside it. A suppressed value (None) draws no bar and is
labelled "fewer than 5".
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 72
SERIES_CLASSES = ("tio-chart__series-1", "tio-chart__series-2", "tio-chart__series-3")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return float(top)
    return float(10 * magnitude)  # pragma: no cover


def _fmt(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 1e-9 or value >= 100 else f"{value:.1f}"


def _frame(chart_id: str, title: str, description: str, body: list[str]) -> SafeString:
    svg = [
        f'<svg class="tio-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("\n".join(svg))  # noqa: S308 - every text above is escaped


def _axis(top: float, unit: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'class="tio-chart__grid" stroke="#b1b4b6" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tio-chart__label" '
            f'font-size="12" fill="#0b0c0c">{escape(_fmt(value))}{escape(unit)}</text>'
        )
    return parts


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    unit: str = "",
    description: str = "",
) -> SafeString:
    """Vertical bars, one per label; None is a suppressed value."""
    shown = [v for v in values if v is not None]
    top = _nice_max(max(shown, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(labels), 1)
    slot = plot_w / n
    body = _axis(top, unit)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + i * slot + slot * 0.15
        width = slot * 0.7
        cx = LEFT + i * slot + slot / 2
        if value is None:
            body.append(
                f'<text x="{cx:.1f}" y="{TOP + plot_h - 6:.1f}" text-anchor="middle" '
                f'font-size="11" fill="#0b0c0c">&lt;5</text>'
            )
        else:
            h = plot_h * value / top
            y = TOP + plot_h - h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" '
                f'class="tio-chart__bar" fill="#1d70b8"><title>{escape(label)}: '
                f"{escape(_fmt(value))}{escape(unit)}</title></rect>"
            )
            body.append(
                f'<text x="{cx:.1f}" y="{max(y - 4, TOP + 10):.1f}" text-anchor="middle" '
                f'font-size="11" fill="#0b0c0c">{escape(_fmt(value))}{escape(unit)}</text>'
            )
        body.append(
            f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="end" font-size="11" '
            f'fill="#0b0c0c" transform="rotate(-30 {cx:.1f} {HEIGHT - BOTTOM + 16})">'
            f"{escape(label)}</text>"
        )
    return _frame(chart_id, title, description or title, body)


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    unit: str = "",
    description: str = "",
) -> SafeString:
    """One line per series over the labels (months); None breaks the line."""
    shown = [v for _name, values in series for v in values if v is not None]
    top = _nice_max(max(shown, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(labels)
    step = plot_w / max(n - 1, 1)
    body = _axis(top, unit)
    colours = ("#1d70b8", "#d4351c", "#00703c")
    dashes = ("", ' stroke-dasharray="6 4"', ' stroke-dasharray="2 3"')
    for s, (name, values) in enumerate(series):
        segments: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                segments.append([])
                continue
            x = LEFT + i * step
            y = TOP + plot_h - plot_h * value / top
            segments[-1].append(f"{x:.1f},{y:.1f}")
        for points in segments:
            if len(points) > 1:
                body.append(
                    f'<polyline points="{" ".join(points)}" fill="none" '
                    f'stroke="{colours[s % 3]}" stroke-width="2.5"{dashes[s % 3]} '
                    f'class="{SERIES_CLASSES[s % 3]}"/>'
                )
            elif points:
                px, py = points[0].split(",")
                body.append(f'<circle cx="{px}" cy="{py}" r="3" fill="{colours[s % 3]}"/>')
        ly = HEIGHT - 14
        lx = LEFT + s * 200
        body.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{ly - 4}" y2="{ly - 4}" '
            f'stroke="{colours[s % 3]}" stroke-width="2.5"{dashes[s % 3]}/>'
        )
        body.append(
            f'<text x="{lx + 30}" y="{ly}" font-size="12" fill="#0b0c0c">{escape(name)}</text>'
        )
    every = max(1, n // 8)
    for i, label in enumerate(labels):
        if i % every and i != n - 1:
            continue
        x = LEFT + i * step
        body.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="11" '
            f'fill="#0b0c0c">{escape(label)}</text>'
        )
    return _frame(chart_id, title, description or title, body)
