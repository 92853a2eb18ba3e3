"""The terminal format: rich tables, as `lianxi check` prints them, with the compliance grid as ✓/✗ marks.

User text (names, titles, case numbers…) goes to rich as `Text` objects and lines as `markup=False`: a village
named `江亭村[/]` is shown as typed, never read as markup; control characters (ESC, BEL…) are removed so the
terminal does not act on them (formats/cells.py).
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from server.reports.formats.cells import xml_safe
from server.reports.formats.local import written
from server.reports.formats.sections import Section, sections
from core.reports.model import MET, MISSED, Report

MARKS = {MET: "✓", MISSED: "✗"}
SHOWN = ("by_rule", "by_township", "statistics", "ledger")
FINDING_COLUMNS = (0, 1, 3, 5, 6, 8, 9)  # rule, severity, subject, period, message, days overdue, alert status


def _text(value: object) -> Text:
    """A cell as plain text: never markup, no control characters."""
    return Text("" if value is None else xml_safe(str(value)))


def _table(section: Section, columns: tuple[int, ...] | None = None) -> Table:
    picked = columns or tuple(range(len(section.headers)))
    table = Table(title=section.title, show_lines=False)
    for index in picked:
        table.add_column(section.headers[index], overflow="fold")
    for row in section.rows:
        table.add_row(*(_text(row[i]) for i in picked))
    return table


def _heatmap(report: Report) -> Table:
    table = Table(title="专题会月度达标 Thematic meetings and supervision per month (✓ met, ✗ missed, · not required)")
    table.add_column("乡镇 Township", no_wrap=True)
    labels = report.month_labels
    for label in labels:
        table.add_column(label[5:], justify="center", no_wrap=True)
    cells = {(c.township_code, c.period): c.state for c in report.months}
    for code, name in report.township_rows:
        table.add_row(_text(name), *(MARKS.get(cells.get((code, label), ""), "·") for label in labels))
    return table


def render_table(report: Report, width: int = 160) -> bytes:
    """Every section as rich tables, UTF-8 text; the digest first and last."""
    console = Console(file=io.StringIO(), width=width, force_terminal=False, color_system=None)
    known = f"，已知时点 {written(report.known_at, report.timezone)}" if report.known_at else ""
    console.print(_text(f"{report.county_name}（{report.county_code}）监督报告 {report.first_day} — {report.last_day}，"
                        f"评估时点 {written(report.as_of, report.timezone)}（{report.timezone}）{known}"))
    console.print(f"digest (SHA-256): {report.digest}", markup=False)
    by_key = {s.key: s for s in sections(report)}
    console.print(_table(by_key["rules"], (0, 1, 2, 3, 4, 5)))
    console.print(_table(by_key["findings"], FINDING_COLUMNS))
    for key in SHOWN:
        console.print(_table(by_key[key]))
    console.print(_heatmap(report))
    console.print(f"{len(report.findings)} findings; digest (SHA-256): {report.digest}", markup=False)
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue().encode("utf-8")
