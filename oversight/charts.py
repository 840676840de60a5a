"""Server-rendered SVG charts of the dashboard, in the manner of assessments/charts.py:
strings built from aggregated numbers, every text escaped, no script, no remote asset.
The same numbers are always also in a table beside the chart (the accessible reading)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from assessments.charts import FONT, TIER_COLOURS

UNSCORED_COLOUR = "#adb5bd"
WIDTH = 640
LABEL_W = 130
BAR_W = 440
ROW_H = 22
TOP = 24


def _svg(height: int, title: str, parts: list[str], css: str) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<text x="{LABEL_W}" y="15" font-size="12" fill="#495057">{escape(title)}</text>'
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308 - texts escaped


def stacked_bars(rows, columns, labels: dict[str, str], *, title: str) -> SafeString:
    """One horizontal bar per row, split by tier (`rows`: (label, {tier: n}, total))."""
    peak = max((total for _l, _c, total in rows), default=0) or 1
    parts = []
    for index, (label, counts, total) in enumerate(rows):
        y = TOP + index * ROW_H
        x = float(LABEL_W)
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 15}" font-size="11" text-anchor="end" '
            f'fill="#212529">{escape(labels.get(label, label))}</text>'
        )
        for column in columns:
            n = counts.get(column, 0)
            if not n:
                continue
            width = BAR_W * n / peak
            fill = TIER_COLOURS.get(column, (UNSCORED_COLOUR, ""))[0]
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{ROW_H - 6}" '
                f'fill="{fill}" data-tier="{escape(column)}"><title>{escape(label)} '
                f"{escape(labels.get(column, column))}: {n}</title></rect>"
            )
            x += width
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 15}" font-size="11" fill="#495057">{total}</text>'
        )
    return _svg(TOP + ROW_H * max(1, len(rows)) + 6, title, parts, "dashboard-chart")


def bars(items, *, title: str, fill: str = "#0d6efd") -> SafeString:
    """Simple horizontal bars (`items`: (label, n))."""
    peak = max((n for _l, n in items), default=0) or 1
    parts = []
    for index, (label, n) in enumerate(items):
        y = TOP + index * ROW_H
        width = BAR_W * n / peak
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 15}" font-size="11" text-anchor="end" '
            f'fill="#212529">{escape(label)}</text>'
            f'<rect x="{LABEL_W}" y="{y + 3}" width="{width:.1f}" height="{ROW_H - 6}" '
            f'fill="{fill}"/>'
            f'<text x="{LABEL_W + width + 4:.1f}" y="{y + 15}" font-size="11" '
            f'fill="#495057">{n}</text>'
        )
    return _svg(TOP + ROW_H * max(1, len(items)) + 6, title, parts, "dashboard-chart")


def heat_level(n: int, peak: int) -> int:
    """0–5: the shade of a heat-table cell (a CSS class, no inline style under the CSP)."""
    if not n or not peak:
        return 0
    return min(5, 1 + (5 * n - 1) // peak)


def history_chart(points, *, title: str) -> SafeString:
    """An organisation's submissions over time: the compliance index as a line, each point
    coloured by its tier (`points`: dicts with label, index (0–100 or None) and tier)."""
    height, left, plot_w, plot_h = 200, 40, WIDTH - 60, 140
    parts = []
    for edge in (0, 50, 75, 90, 100):
        y = TOP + plot_h * (1 - edge / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#495057">{edge}</text>'
        )
    step = plot_w / max(1, len(points) - 1) if len(points) > 1 else 0
    line = []
    for n, point in enumerate(points):
        x = left + (step * n if len(points) > 1 else plot_w / 2)
        index = point.get("index")
        y = TOP + plot_h * (1 - float(index if index is not None else 0) / 100)
        if index is not None:
            line.append(f"{x:.1f},{y:.1f}")
        fill = TIER_COLOURS.get(point.get("tier") or "", (UNSCORED_COLOUR, ""))[0]
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" '
            f'data-tier="{escape(point.get("tier") or "")}"><title>{escape(point["label"])}: '
            f"{escape(str(index if index is not None else '—'))}</title></circle>"
            f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" font-size="10" text-anchor="middle" '
            f'fill="#495057">{escape(point["label"])}</text>'
        )
    if len(line) > 1:
        parts.insert(0, f'<polyline points="{" ".join(line)}" fill="none" stroke="#6c757d"/>')
    return _svg(height, title, parts, "history-chart")
