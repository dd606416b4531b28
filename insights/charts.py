"""Horizontal bar charts as inline SVG, drawn on the server (no script, no CDN)."""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from mizban.persian import to_persian_digits


def bar_chart(rows: list[tuple[str, float | None]], *, title: str, width: int = 640, bar: int = 22) -> str:
    """One bar per (label, value); right to left, the label on the right."""
    values = [v or 0 for _, v in rows]
    top = max(values, default=0) or 1
    label_w, height = 200, bar * len(rows) + 10
    parts = [format_html('<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" xmlns="http://www.w3.org/2000/svg">',
                         title, width, height)]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * bar
        length = int((width - label_w - 60) * (value or 0) / top)
        x = width - label_w - length
        parts.append(format_html(
            '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#2b6cb0"></rect>'
            '<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>',
            width - 4, y + bar - 8, label[:40], x, y + 3, length, bar - 6,
            x - 4, y + bar - 8, to_persian_digits("—" if value is None else value)))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


__all__ = ["bar_chart", "escape"]
