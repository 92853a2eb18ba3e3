"""The compliance heatmap as inline SVG: townships (rows) × months (columns), coloured met / missed / not required.

Every cell is a `<rect class="cell met|missed|not-required">` with `data-township` and
`data-period`, and a `<title>` tooltip (held/required, supervised); the legend sits below.
Scales with the page (viewBox, width 100%), so it prints on A4.
"""

from __future__ import annotations

from html import escape

from core.reports.model import MET, MISSED, NOT_REQUIRED, MonthCell, Report

CELL_W, CELL_H, LABEL_W, HEAD_H, GAP = 34, 22, 96, 34, 2
CLASSES = {MET: "met", MISSED: "missed", NOT_REQUIRED: "not-required"}
COLOURS = {MET: "#2e9d5b", MISSED: "#d64541", NOT_REQUIRED: "#d9d9d9"}
LEGEND = ((MET, "达标 met"), (MISSED, "未达标 missed"), (NOT_REQUIRED, "不要求 not required"))


def _tooltip(cell: MonthCell) -> str:
    if cell.state == NOT_REQUIRED:
        return f"{cell.township_name} {cell.period}：不要求（未结束或联席会议尚未建立）"
    supervised = "有" if cell.supervised else "无"
    return f"{cell.township_name} {cell.period}：专题会 {cell.thematic_held}/{cell.thematic_required}，现场督导{supervised}"


def heatmap_svg(report: Report) -> str:
    """The SVG element (a string of markup, already escaped)."""
    labels = report.month_labels
    rows = report.township_rows
    cells = {(c.township_code, c.period): c for c in report.months}
    width = LABEL_W + len(labels) * (CELL_W + GAP)
    legend_y = HEAD_H + len(rows) * (CELL_H + GAP) + 12
    height = legend_y + 42
    parts = [
        f'<svg id="heatmap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" style="max-width: {width * 1.6:.0f}px" '
        f'role="img" aria-label="专题会月度达标热力图 compliance heatmap" font-size="11">'
    ]
    for column, label in enumerate(labels):
        x = LABEL_W + column * (CELL_W + GAP) + CELL_W / 2
        year = f'<tspan x="{x}" dy="-12">{label[:4]}</tspan>' if column == 0 or label.endswith("-01") else ""
        parts.append(f'<text x="{x}" y="{HEAD_H - 6}" text-anchor="middle">{year}<tspan x="{x}" dy="{12 if year else 0}">{label[5:]}月</tspan></text>')
    for row, (code, name) in enumerate(rows):
        y = HEAD_H + row * (CELL_H + GAP)
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + CELL_H * 0.7}" text-anchor="end">{escape(name)}</text>')
        for column, label in enumerate(labels):
            cell = cells[(code, label)]
            x = LABEL_W + column * (CELL_W + GAP)
            parts.append(
                f'<rect class="cell {CLASSES[cell.state]}" data-township="{escape(code)}" data-period="{label}" '
                f'data-state="{cell.state}" x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" rx="3" '
                f'fill="{COLOURS[cell.state]}"><title>{escape(_tooltip(cell))}</title></rect>'
            )
            if cell.state != NOT_REQUIRED:
                mark = f"{cell.thematic_held}{'✓' if cell.supervised else ''}"
                parts.append(f'<text x="{x + CELL_W / 2}" y="{y + CELL_H * 0.7}" text-anchor="middle" fill="#fff">{mark}</text>')
    x = LABEL_W
    for state, text in LEGEND:
        parts.append(f'<g class="legend-item"><rect x="{x}" y="{legend_y}" width="14" height="14" rx="2" fill="{COLOURS[state]}"/>'
                     f'<text x="{x + 18}" y="{legend_y + 11}">{escape(text)}</text></g>')
        x += 120
    parts.append(f'<text x="{LABEL_W}" y="{legend_y + 32}">数字 = 实际召开专题会次数，✓ = 有县信访局现场督导</text>')
    parts.append("</svg>")
    return "".join(parts)
