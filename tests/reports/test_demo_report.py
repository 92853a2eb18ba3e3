"""`lianxi demo` writes the 2023 Luodian report as one HTML page and prints where it is."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from core.settings import Settings
from server.cli import demo as demo_cli


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_demo_writes_the_2023_html_report(demo: str, tmp_path: Path) -> None:
    output = io.StringIO()
    path = tmp_path / demo_cli.REPORT_NAME

    await demo_cli._write_report(path, Console(file=output, width=200), Settings(database_url=demo))

    assert demo_cli.REPORT_NAME == "lianxi-report-522728-2023.html"
    html = path.read_text(encoding="utf-8")
    printed = output.getvalue()
    assert str(path) in printed and "65 findings" in printed
    digest = printed.split("sha256:")[1].split(")")[0]
    assert f"sha256:{digest}" in html and '<svg id="heatmap"' in html
