"""The CSV format: UTF-8 with a byte-order mark (so Excel reads the Chinese text), the sections one after another.

Each section starts with a title row (`## 发现 Findings`), then its header row and data rows,
then an empty row. The first section is the summary, whose last row is the digest. A program
that wants one table can take the rows between `## 发现 Findings` and the next empty row.
"""

from __future__ import annotations

import csv
import io

from server.reports.formats.cells import spreadsheet_cell
from server.reports.formats.sections import sections
from core.reports.model import Report


def render_csv(report: Report) -> bytes:
    """All sections, CRLF line ends (RFC 4180), encoded as utf-8-sig; text cells neutralised (formats/cells.py)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for section in sections(report):
        writer.writerow([f"## {section.title}"])
        writer.writerow(section.headers)
        writer.writerows(["" if cell is None else spreadsheet_cell(cell) for cell in row] for row in section.rows)
        writer.writerow([])
    return buffer.getvalue().encode("utf-8-sig")
