"""`compare --chart FILE.svg`: one small bar chart per metric (its own scale), values printed on the bars.

Plain SVG written by hand (no plotting dependency); every text from a document is XML-escaped.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from .compare import Series

PANEL_W, PANEL_H, COLUMNS = 260, 190, 3
TOP, BOTTOM, SIDE = 34, 40, 16
BAR_COLOURS = {"预算": "#4C78A8", "决算": "#F58518"}


def _panel(s: Series, x0: int, y0: int) -> list[str]:
    title = f"{escape(s.metric)}（{escape(s.unit)}）"
    out = [f'<g transform="translate({x0},{y0})">', f'<text x="{PANEL_W / 2}" y="18" class="t">{title}</text>']
    points = s.points
    top = max((p.value for p in points), default=Decimal(0))
    low = min((p.value for p in points), default=Decimal(0))
    span = max(top, Decimal(0)) - min(low, Decimal(0)) or Decimal(1)
    plot_h = PANEL_H - TOP - BOTTOM
    zero_y = TOP + float(max(top, Decimal(0)) / span) * plot_h
    width = (PANEL_W - 2 * SIDE) / max(len(points), 1)
    for i, p in enumerate(points):
        h = float(abs(p.value) / span) * plot_h
        y = zero_y - h if p.value >= 0 else zero_y
        x = SIDE + i * width + width * 0.15
        colour = BAR_COLOURS.get(p.kind, "#999999")
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width * 0.7:.1f}" height="{max(h, 0.5):.1f}" fill="{colour}"/>')
        value_y = y - 4 if p.value >= 0 else y + h + 12
        out.append(f'<text x="{x + width * 0.35:.1f}" y="{value_y:.1f}" class="v">{escape(format(p.value, "f"))}</text>')
        label = f"{p.year or ''}{p.kind}{p.scope}"
        out.append(f'<text x="{x + width * 0.35:.1f}" y="{PANEL_H - BOTTOM + 16}" class="l">{escape(label)}</text>')
    out.append(f'<line x1="{SIDE}" x2="{PANEL_W - SIDE}" y1="{zero_y:.1f}" y2="{zero_y:.1f}" stroke="#333" stroke-width="0.6"/>')
    out.append("</g>")
    return out


def chart_svg(department: str, series: list[Series]) -> str:
    rows = (len(series) + COLUMNS - 1) // COLUMNS
    width, height = PANEL_W * COLUMNS, PANEL_H * rows + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        "<style>text{font-family:sans-serif;text-anchor:middle}.t{font-size:12px;font-weight:bold}"
        ".v{font-size:10px}.l{font-size:10px;fill:#555}.h{font-size:15px;font-weight:bold;text-anchor:start}</style>",
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="10" y="24" class="h">{escape(department)}</text>',
    ]
    for i, s in enumerate(series):
        parts.extend(_panel(s, (i % COLUMNS) * PANEL_W, 40 + (i // COLUMNS) * PANEL_H))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def write_chart(path: Path, department: str, series: list[Series]) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(chart_svg(department, series), encoding="utf-8")
    partial.replace(path)
