"""The XLSX format (openpyxl): one sheet per section, header row frozen, column widths set, plus a coloured heatmap sheet.

Sheets: 概要 Summary (digest included), 规则 Rules, 发现 Findings, 按规则 By rule, 按乡镇 By township,
月度 Months, 季度 Quarters, 统计 Statistics, 热力图 Heatmap (townships × months, filled green /
red / grey for met / missed / not required).
"""

from __future__ import annotations

import io
import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from server.reports.formats.cells import spreadsheet_cell, xml_safe
from server.reports.formats.sections import Cell, sections
from core.reports.model import MET, MISSED, NOT_REQUIRED, Report

SHEET_NAMES = {
    "summary": "概要 Summary", "rules": "规则 Rules", "findings": "发现 Findings", "by_rule": "按规则 By rule",
    "by_township": "按乡镇 By township", "months": "月度 Months", "quarters": "季度 Quarters", "statistics": "统计 Statistics",
    "visits": "调解走访 Visits", "ledger": "台账 Ledger",
}
HEATMAP_SHEET = "热力图 Heatmap"
FILLS = {
    MET: PatternFill("solid", fgColor="C6EFCE"),
    MISSED: PatternFill("solid", fgColor="FFC7CE"),
    NOT_REQUIRED: PatternFill("solid", fgColor="E7E6E6"),
}
MAX_WIDTH = 60
MAX_CELL = 32_000
BOLD = Font(bold=True)


def _display_width(value: Cell) -> int:
    """Columns a value needs; CJK characters count double."""
    text = "" if value is None else str(value)
    longest = max((line for line in text.splitlines() or [""]), key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _cell(value: Cell) -> Cell:
    """Excel holds at most 32,767 characters in a cell; text is neutralised and XML-safe (formats/cells.py)."""
    value = spreadsheet_cell(value)
    return value[:MAX_CELL] + "…" if isinstance(value, str) and len(value) > MAX_CELL else value


def _append(sheet: Worksheet, values: list[Cell]) -> None:
    """One row, every text cell stored as a string: openpyxl would store a text starting with `=` as a formula."""
    sheet.append([_cell(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _fit_columns(sheet: Worksheet, rows: list[tuple[Cell, ...]]) -> None:
    widths: dict[int, int] = {}
    for row in rows:
        for index, value in enumerate(row, start=1):
            widths[index] = max(widths.get(index, 0), _display_width(value))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(8, width + 2))


def _heatmap(book: Workbook, report: Report) -> None:
    sheet = book.create_sheet(HEATMAP_SHEET)
    labels = report.month_labels
    header: tuple[Cell, ...] = ("乡镇 Township", *labels)
    _append(sheet, list(header))
    cells = {(c.township_code, c.period): c for c in report.months}
    rows: list[tuple[Cell, ...]] = [header]
    for code, name in report.township_rows:
        values: list[Cell] = [name]
        for label in labels:
            cell = cells[(code, label)]
            values.append("—" if cell.state == NOT_REQUIRED else f"{cell.thematic_held}/{cell.thematic_required}{'督' if cell.supervised else ''}")
        _append(sheet, values)
        rows.append(tuple(values))
        for column, label in enumerate(labels, start=2):
            target = sheet.cell(row=sheet.max_row, column=column)
            target.fill = FILLS[cells[(code, label)].state]
            target.alignment = Alignment(horizontal="center")
    sheet.append([])
    sheet.append(["图例 Legend: 绿=达标 met，红=未达标 missed，灰=不要求 not required；n/2 = 召开专题会/要求，督 = 有现场督导"])
    sheet.append([f"digest (SHA-256): {report.digest}"])
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "B2"
    _fit_columns(sheet, rows)


def render_xlsx(report: Report) -> bytes:
    """The workbook as bytes (deterministic content; openpyxl stamps creation time in the package properties)."""
    book = Workbook()
    book.remove(book.active)
    for section in sections(report):
        sheet = book.create_sheet(SHEET_NAMES[section.key])
        _append(sheet, list(section.headers))
        for row in section.rows:
            _append(sheet, list(row))
        for cell in sheet[1]:
            cell.font = BOLD
        sheet.freeze_panes = "A2"
        _fit_columns(sheet, [section.headers, *section.rows])
        if section.key == "findings":
            for column in (7, 14):  # message and evidence wrap instead of running on
                for cell in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell[0].alignment = Alignment(wrap_text=True, vertical="top")
    _heatmap(book, report)
    book.properties.title = xml_safe(f"{report.county_name} {report.first_day}—{report.last_day} 监督报告")
    book.properties.subject = f"digest {report.digest}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
