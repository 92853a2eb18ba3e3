"""Render a report: `render(report, "html")` → bytes. Every format carries the digest.

table (rich, for terminals), json (`lianxi-report/v1`, schema in server/reports/report.schema.json),
csv (UTF-8 with BOM, the sections one after another), xlsx (one sheet per section), html
(self-contained, SVG heatmap, A4 print CSS).
"""

from __future__ import annotations

from collections.abc import Callable

from core.reports.model import Report

FORMATS = ("table", "json", "csv", "xlsx", "html")


def renderer(fmt: str) -> Callable[[Report], bytes]:
    """The render function of a format (imported lazily: openpyxl is only loaded for xlsx)."""
    if fmt == "table":
        from server.reports.formats.table import render_table as render
    elif fmt == "json":
        from server.reports.formats.json import render_json as render
    elif fmt == "csv":
        from server.reports.formats.csv import render_csv as render
    elif fmt == "xlsx":
        from server.reports.formats.xlsx import render_xlsx as render
    elif fmt == "html":
        from server.reports.formats.html import render_html as render
    else:
        raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")
    return render


def render(report: Report, fmt: str) -> bytes:
    """The report in one format, as the bytes a file of that format holds (times in the county's zone)."""
    from server.reports.formats.local import localized

    return renderer(fmt)(localized(report))
