"""The HTML report opened in a real browser (headless Chromium): the heatmap is drawn, one cell per township × month, and it prints on A4."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from rules.config import RulesConfig
from server.reports.formats import render
from core.reports.service import run_report
from tests.reports.conftest import AS_OF, COUNTY

CHROMIUM = next((path for name in ("chromium", "chromium-browser", "google-chrome") if (path := shutil.which(name))), None)
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)"),
    pytest.mark.parametrize("db_url", ["sqlite"], indirect=True),
]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
               f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


async def test_the_heatmap_is_rendered_with_one_cell_per_township_and_month(demo: str, tmp_path: Path) -> None:
    report = await run_report(rules=RulesConfig(), county_code=COUNTY, first_day=date(2023, 1, 1), last_day=date(2023, 12, 31), as_of=AS_OF, actor="test")
    page = tmp_path / "report.html"
    page.write_bytes(render(report, "html"))

    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert '<svg id="heatmap"' in dom.stdout
    cells = re.findall(r'<rect class="cell (met|missed|not-required)" data-township="(\d{9})" data-period="(\d{4}-\d{2})"', dom.stdout)
    assert len(cells) == 10 * 12 == len({(t, p) for _, t, p in cells})
    missed = {(t, p) for state, t, p in cells if state == "missed"}
    assert missed == {(c.township_code, c.period) for c in report.months if c.state == "MISSED"} and missed
    assert report.digest in dom.stdout

    pdf = tmp_path / "report.pdf"
    printed = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert printed.returncode == 0 and pdf.exists(), printed.stderr[-2000:]
    boxes = {tuple(round(float(v)) for v in box) for box in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())}
    assert boxes == {(595, 842)}  # A4 in points
