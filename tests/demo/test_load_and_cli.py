"""The demo loaded into each backend gives back every seed figure; `lianxi demo` end to end."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from models.meetings import Meeting
from models.units import Village
from server.cli import demo as demo_cli
from server.statistics import SEED_FIGURES, seed_figures
from server.load.service import load_document

REPO = Path(__file__).resolve().parents[2]
EXPECTED = {key: seed.value for key, seed in SEED_FIGURES.items()}


async def test_loaded_document_gives_back_every_seed_figure(orm: str, document: dict[str, Any]) -> None:
    await load_document(document)

    figures = await seed_figures(county_code="522728", year=2023)

    assert {f.key: f.computed for f in figures} == EXPECTED
    assert all(f.ok for f in figures)
    jiangting = await Village.get(name="江亭村").prefetch_related("township")
    assert (jiangting.township.code, jiangting.households, jiangting.population, jiangting.groups) == (
        "522728109", 444, 1929, 9
    )
    assert await Meeting.filter(status="HELD").count() == 247


async def test_figures_of_another_year_are_not_the_seed(orm: str, document: dict[str, Any]) -> None:
    await load_document(document)

    figures = {f.key: f.computed for f in await seed_figures(county_code="522728", year=2024)}

    assert figures["thematic_meetings"] == 0 and figures["disputes_collected"] == 1
    assert figures["mediation_visits"] == 2 and figures["villages"] == 186


def _lianxi(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIANXI_DATABASE_URL": database_url, "LIANXI_ENV": "test", "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


async def test_lianxi_demo_writes_loads_and_checks(orm: str, tmp_path: Path) -> None:
    output = tmp_path / "demo.json"

    result = _lianxi(orm, "demo", "--output", str(output))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "all 15 seed figures reproduced" in result.stdout
    assert result.stdout.count("✗") == 1 and result.stdout.count("✓") == 16  # the header has both
    assert orjson.loads(output.read_bytes())["format"] == "lianxi/v1"
    assert await Meeting.all().count() == 251

    again = _lianxi(orm, "demo", "--output", str(output))  # loading twice changes nothing
    assert again.returncode == 0, again.stdout + again.stderr
    assert await Meeting.all().count() == 251


def _args(tmp_path: Path, **extra: Any) -> argparse.Namespace:
    values = {"output": tmp_path / "demo.json", "no_load": True, "serve": False, "host": "127.0.0.1", "port": 8000}
    return argparse.Namespace(**{**values, **extra})


def test_no_load_counts_the_document_and_serve_starts_afterwards(tmp_path: Path) -> None:
    calls: list[dict[str, Any]] = []

    code = demo_cli._run(_args(tmp_path, serve=True, port=8123), serve=lambda **kw: calls.append(kw))

    assert code == 0
    assert calls == [{"host": "127.0.0.1", "port": 8123}]
    assert (tmp_path / "demo.json").stat().st_size > 1_000_000


def test_a_figure_that_differs_exits_1_and_does_not_serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = dict(SEED_FIGURES)
    wrong["plenary_meetings"] = SEED_FIGURES["plenary_meetings"].__class__("召开全体会议", "plenary meetings held", 40)
    monkeypatch.setattr(demo_cli, "SEED_FIGURES", wrong)
    calls: list[dict[str, Any]] = []

    code = demo_cli._run(_args(tmp_path, serve=True), serve=lambda **kw: calls.append(kw))

    assert code == 1 and calls == []
