"""An auditor runs `lianxi report` over the demo county for 2023 in all five formats and opens each file as its program would."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from models.alerts import Alert, RuleRun
from models.audit import AuditEntry
from server.reports.formats.xlsx import HEATMAP_SHEET, SHEET_NAMES
from tests.reports.conftest import AS_OF_ISO, COUNTY, REPO, digest_of, lianxi

SCHEMA = json.loads((REPO / "server/reports/report.schema.json").read_text(encoding="utf-8"))
FINDINGS_2023 = 65  # the demo's findings for 2023 as of 2024-01-01 (see the demo generator's plan)


def _report(url: str, tmp_path: Path, fmt: str, *extra: str) -> tuple[str, Path]:
    output = tmp_path / f"report.{fmt}"
    result = lianxi(url, "report", "--county", COUNTY, "--from", "2023-01-01", "--to", "2023-12-31",
                    "--as-of", AS_OF_ISO, "--format", fmt, "--output", str(output), *extra)
    assert result.returncode == 0, result.stderr.decode()
    return digest_of(result), output


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # one backend is enough here; PostgreSQL: digest and known-at tests
async def test_all_five_formats_carry_the_same_digest_and_open_correctly(demo: str, tmp_path: Path) -> None:
    files = {}
    digests = set()
    for fmt in ("table", "json", "csv", "xlsx", "html"):
        digest, files[fmt] = _report(demo, tmp_path, fmt)
        digests.add(digest)
    assert len(digests) == 1
    digest = digests.pop()

    # JSON: valid against the documented schema; the digest recomputes from the findings as documented
    document = json.loads(files["json"].read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)
    canonical = [{k: v for k, v in f.items() if k != "alert"} for f in document["findings"]]
    recomputed = hashlib.sha256(json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
    assert document["digest"] == digest == recomputed.hexdigest()
    assert len(document["findings"]) == FINDINGS_2023
    assert all(f["evidence"] and f["subjectName"] for f in document["findings"])

    # table: the digest is printed, the grid drawn
    table = files["table"].read_text(encoding="utf-8")
    assert digest in table and "✗" in table and "沫阳镇" in table

    # CSV: UTF-8 with BOM, Chinese text intact, sections one after another
    raw = files["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["## 报告概要 Summary"]
    assert ["摘要 SHA-256 digest", digest] in rows
    start = rows.index(["## 发现 Findings"])
    findings = rows[start + 2 : rows.index([], start)]
    assert len(findings) == FINDINGS_2023
    assert any("实际召开专题会" in row[6] for row in findings)

    # XLSX: one sheet per section, header frozen, widths set, digest in the summary, coloured heatmap
    book = load_workbook(files["xlsx"])
    assert book.sheetnames == [*SHEET_NAMES.values(), HEATMAP_SHEET]
    for name in SHEET_NAMES.values():
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert all(cell.font.bold for cell in sheet[1]), name
        assert sheet.column_dimensions["A"].width and sheet.column_dimensions["A"].width >= 8, name
    sheet = book["发现 Findings"]
    assert [c.value for c in sheet[1]][:4] == ["规则 Rule", "级别 Severity", "对象代码 Subject code", "对象 Subject"]
    assert sheet.max_row == FINDINGS_2023 + 1
    summary = {row[0]: row[1] for row in book["概要 Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["摘要 SHA-256 digest"] == digest
    heatmap = book[HEATMAP_SHEET]
    assert heatmap.freeze_panes == "B2" and heatmap.max_column == 13
    assert {heatmap.cell(row=r, column=c).fill.fgColor.rgb[-6:] for r in range(2, 12) for c in range(2, 14)} == {"C6EFCE", "FFC7CE"}

    # HTML: self-contained, printable on A4, digest shown
    html = files["html"].read_text(encoding="utf-8")
    assert digest in html and "@page { size: A4" in html and 'id="heatmap"' in html
    assert "<script" not in html and "<link" not in html
    assert html.replace('xmlns="http://www.w3.org/2000/svg"', "").count("http") == 0

    # the report wrote no alert and recorded five REPORT runs with the digest, each with an audit entry
    assert await Alert.all().count() == 0
    runs = await RuleRun.filter(trigger="REPORT").order_by("id")
    assert [r.digest for r in runs] == [digest] * 5
    assert runs[0].actor.startswith("cli:") and runs[0].scope == {"county": COUNTY, "from": "2023-01-01", "to": "2023-12-31"}
    entries = await AuditEntry.filter(action="ruleReport").order_by("id")
    assert len(entries) == 5 and entries[0].after["digest"] == digest and entries[0].after["asOf"] == AS_OF_ISO


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_rules_option_stdout_and_bad_arguments_named(demo: str, tmp_path: Path) -> None:
    digest, output = _report(demo, tmp_path, "json", "--rules", "cadence.plenary_quarterly")
    document = json.loads(output.read_text(encoding="utf-8"))
    assert {f["ruleId"] for f in document["findings"]} == {"cadence.plenary_quarterly"}
    assert [r["id"] for r in document["rules"]] == ["cadence.plenary_quarterly"]

    cases = [
        (("--county", "999999", "--from", "2023-01-01", "--to", "2023-12-31"), "--county: unknown county code"),
        (("--county", COUNTY, "--from", "2023-12-01", "--to", "2023-01-31"), "--from: 2023-12-01 is after to"),
        (("--county", COUNTY, "--from", "2023-02-30", "--to", "2023-03-31"), "--from is not a date"),
        (("--county", COUNTY, "--from", "2023-01-01", "--to", "2023-03-31", "--format", "xlsx"), "--output"),
    ]
    for args, message in cases:
        result = lianxi(demo, "report", *args)
        assert result.returncode == 1, (args, result.stderr)
        assert message in result.stderr.decode(), (args, result.stderr)

    table = lianxi(demo, "report", "--county", COUNTY, "--from", "2023-06-01", "--to", "2023-06-30", "--as-of", "2023-07-01")
    assert table.returncode == 0, table.stderr.decode()
    assert digest_of(table) in table.stdout.decode() and "2023-06" in table.stdout.decode()
