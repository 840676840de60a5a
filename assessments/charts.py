"""Server-rendered SVG charts: the same markup works in the browser and in the PDF.

No JavaScript, no remote assets: a chart is a string built from the stored result.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TIER_COLOURS = {
    "low": ("#198754", "#ffffff"),
    "medium": ("#ffc107", "#000000"),
    "high": ("#fd7e14", "#000000"),
    "critical": ("#dc3545", "#ffffff"),
}
FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
# Likelihood band edges of the method (compliance ≥ 90% low, ≥ 75% medium, ≥ 50% high).
BAND_EDGES = (50, 75, 90)

WIDTH = 640
LABEL_W = 110
BAR_W = 380
BADGE_W = 70
ROW_H = 30
TOP = 28
BOTTOM = 22


def _x(percent: float) -> float:
    return LABEL_W + BAR_W * max(0.0, min(100.0, percent)) / 100


def _axis(height: int) -> list[str]:
    parts = []
    for edge in (0, *BAND_EDGES, 100):
        x = _x(edge)
        dash = "" if edge in (0, 100) else ' stroke-dasharray="3 3"'
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - BOTTOM}" '
            f'stroke="#adb5bd" stroke-width="1"{dash}/>'
            f'<text x="{x:.1f}" y="{height - 6}" font-size="11" text-anchor="middle" '
            f'fill="#495057">{edge}%</text>'
        )
    return parts


def _row(index: int, module: dict) -> str:
    y = TOP + index * ROW_H
    fill, ink = TIER_COLOURS.get(module["tier"], ("#6c757d", "#ffffff"))
    compliance = module.get("compliance")
    width = 0.0 if compliance is None else _x(compliance * 100) - LABEL_W
    shown = "—" if compliance is None else escape(module.get("compliance_percent", ""))
    code, tier = escape(module["code"]), escape(module.get("tier_label", module["tier"]))
    badge_x = LABEL_W + BAR_W + 12
    return (
        f'<g class="chart-row" data-module="{code}" data-tier="{escape(module["tier"])}">'
        f'<text x="{LABEL_W - 8}" y="{y + 19}" font-size="13" text-anchor="end" '
        f'fill="#212529">{code}</text>'
        f'<rect x="{LABEL_W}" y="{y + 5}" width="{BAR_W}" height="{ROW_H - 10}" fill="#f1f3f5"/>'
        f'<rect x="{LABEL_W}" y="{y + 5}" width="{width:.1f}" height="{ROW_H - 10}" '
        f'fill="{fill}"/>'
        f'<text x="{LABEL_W + 6}" y="{y + 19}" font-size="11" fill="#212529">{shown}</text>'
        f'<rect x="{badge_x}" y="{y + 4}" width="{BADGE_W - 12}" height="{ROW_H - 8}" rx="4" '
        f'fill="{fill}"/>'
        f'<text x="{badge_x + (BADGE_W - 12) / 2}" y="{y + 19}" font-size="12" '
        f'text-anchor="middle" fill="{ink}">{tier}</text>'
        "</g>"
    )


def module_chart_svg(modules: list[dict], *, title: str = "") -> SafeString:
    """Horizontal bars of each module's compliance, coloured by tier, with the tier beside.

    `modules` are dicts with code, tier, tier_label, compliance (0–1 or None) and
    compliance_percent; dashed lines mark the likelihood band edges.
    """
    height = TOP + ROW_H * max(1, len(modules)) + BOTTOM
    heading = escape(title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="module-chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="{FONT}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LABEL_W}" y="16" font-size="12" fill="#495057">{heading}</text>',
        *_axis(height),
        *(_row(n, module) for n, module in enumerate(modules)),
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
