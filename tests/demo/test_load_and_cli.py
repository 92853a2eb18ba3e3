"""The demo loaded into each backend gives back every seed figure; `lianxi demo` end to end."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from models.meetings import Meeting
from models.units import Village
from server.cli import demo as demo_cli
from core.settings import Settings
from core.statistics import SEED_FIGURES, seed_figures
from server.load.service import load_document
from tests.cli import run_cli

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


async def test_figures_of_another_year_are_not_the_seed(demo: str) -> None:
    figures = {f.key: f.computed for f in await seed_figures(county_code="522728", year=2024)}

    assert figures["thematic_meetings"] == 0 and figures["disputes_collected"] == 1
    assert figures["mediation_visits"] == 2 and figures["villages"] == 186


def _lianxi(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`lianxi ARGS` as its own process, the way `make demo` runs it."""
    env = {**os.environ, "LIANXI_DATABASE_URL": database_url, "LIANXI_ENV": "test", "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def _in_process(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`lianxi ARGS` in this process (tests/cli.py), where starting a process is not the point."""
    env = {**os.environ, "LIANXI_DATABASE_URL": database_url, "LIANXI_ENV": "test", "COLUMNS": "120"}
    return run_cli(*args, env=env, cwd=REPO, text=True)


@pytest.mark.heavy
async def test_lianxi_demo_writes_loads_and_checks(orm: str, tmp_path: Path) -> None:
    output = tmp_path / "demo.json"

    result = _in_process(orm, "demo", "--output", str(output), "--today", "2024-02-01", "--keep-database")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "all 15 seed figures reproduced" in result.stdout
    assert result.stdout.count("✗") == 1 and result.stdout.count("✓") == 16  # the header has both
    assert "as of 2024-02-01T00:00:00+08:00" in result.stdout  # the rules run at the build day
    assert "✔ load (" in result.stderr and "✔ build document (2023 → 2024-02-01) (" in result.stderr  # progress, timed
    document = orjson.loads(output.read_bytes())
    assert document["format"] == "lianxi/v1" and document["counties"][0]["supervisedFrom"] == "2023-01-01"
    meetings = len(document["meetings"])
    # the 2023 document's 251 (two January 2024 sessions among them), 18 more January sessions, February's 20
    # planned, the Q1 plenaries that fall in January (3, held) or February (2, scheduled), and next month's
    # calendar, already scheduled for the rotation planner (March: 20 thematic sessions and 5 plenaries)
    assert meetings == 251 + 18 + 20 + 3 + 2 + 20 + 5
    assert await Meeting.all().count() == meetings

    again = _in_process(orm, "demo", "--output", str(output), "--today", "2024-02-01", "--keep-database")
    assert again.returncode == 0, again.stdout + again.stderr  # loading twice changes nothing
    assert await Meeting.all().count() == meetings


def _args(tmp_path: Path, **extra: Any) -> argparse.Namespace:
    values = {"output": tmp_path / "demo.json", "no_load": True, "serve": False, "host": "127.0.0.1", "port": 8000,
              "today": date(2024, 1, 15)}
    return argparse.Namespace(**{**values, **extra})


def test_no_load_counts_the_document_and_serve_starts_afterwards(tmp_path: Path) -> None:
    calls: list[dict[str, Any]] = []

    code = demo_cli._run(_args(tmp_path, serve=True, port=8123), Settings(), serve=lambda settings, **kw: calls.append(kw))

    assert code == 0
    assert calls == [{"host": "127.0.0.1", "port": 8123}]
    assert (tmp_path / "demo.json").stat().st_size > 1_000_000


def test_a_figure_that_differs_exits_1_and_does_not_serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = dict(SEED_FIGURES)
    wrong["plenary_meetings"] = SEED_FIGURES["plenary_meetings"].__class__("召开全体会议", "plenary meetings held", 40)
    monkeypatch.setattr(demo_cli, "SEED_FIGURES", wrong)
    calls: list[dict[str, Any]] = []

    code = demo_cli._run(_args(tmp_path, serve=True), Settings(), serve=lambda settings, **kw: calls.append(kw))

    assert code == 1 and calls == []


async def _record_a_2023_meeting_through_the_api(database_url: str) -> None:
    """What a user of the served demo might do: record one more 2023 thematic meeting (GraphQL, ADMIN)."""
    import httpx

    from models.units import Township
    from server.app import create_app
    from server.auth.tokens import issue_token
    from server.db import database
    from core.settings import load_settings
    from tests.writes import RECORD_MEETING, mutate

    settings = load_settings({"LIANXI_DATABASE_URL": database_url, "LIANXI_ENV": "test", "LIANXI_SWEEP": "false"})
    async with database(database_url):
        app = create_app(settings, manage_database=False)
        token = (await issue_token("ADMIN", name="readme-user")).token
        township = await Township.get(code="522728109")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lianxi.test",
                                     headers={"Authorization": f"Bearer {token}"}) as http:
            payload = await mutate(http, RECORD_MEETING, input={
                "townshipCode": township.code, "kind": "THEMATIC", "heldAt": "2023-05-20T09:00:00+08:00", "title": "专题会",
            })
    assert payload["userErrors"] == [], payload


@pytest.mark.heavy
async def test_make_demo_again_after_using_the_api_rebuilds_the_database(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'demo.db'}"
    args = ("demo", "--output", str(tmp_path / "demo.json"), "--today", "2024-01-20")
    first = _lianxi(url, *args)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"created the demo database {tmp_path / 'demo.db'}" in first.stdout
    kept_file = tmp_path / "demo.db.tokens.json"  # the tokens, kept for the next build (development)
    assert kept_file.stat().st_mode & 0o777 == 0o600
    first_tokens = orjson.loads(kept_file.read_bytes())
    assert first_tokens["ADMIN"]["token"] in first.stdout and "522728109" in first.stdout  # the table's scope column
    await _record_a_2023_meeting_through_the_api(url)  # 2023 now has 223 thematic meetings in this database
    kept = _lianxi(url, *args, "--keep-database")  # loading over it, as `make demo` used to, drifts
    assert kept.returncode == 1 and "1 figure(s) differ from the seed report" in kept.stdout, kept.stdout

    second = _lianxi(url, *args)

    assert second.returncode == 0, second.stdout + second.stderr
    assert f"rebuilt the demo database {tmp_path / 'demo.db'}" in second.stdout
    assert not (tmp_path / "demo.db.building").exists()
    assert "all 15 seed figures reproduced" in second.stdout
    assert orjson.loads(kept_file.read_bytes()) == first_tokens  # a token saved from the first build still works
    assert first_tokens["VILLAGE"]["token"] in second.stdout


def test_the_build_day_can_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANXI_DEMO_TODAY", "2024-01-10")

    code = demo_cli._run(_args(tmp_path, today=None), Settings())

    assert code == 0
    document = orjson.loads((tmp_path / "demo.json").read_bytes())
    assert max(e["at"] for c in document["cases"] for e in c["events"]) < "2024-01-10T00:00:00+08:00"
    assert {m["status"] for m in document["meetings"] if m["heldAt"] >= "2024-01-10"} == {"SCHEDULED"}


def test_no_serve_wins_when_given_after_serve_as_make_demo_passes_it() -> None:
    parser = argparse.ArgumentParser()
    demo_cli.register(parser.add_subparsers())

    served = parser.parse_args(["demo", "--serve", "--port", "8123"])
    not_served = parser.parse_args(["demo", "--serve", "--port", "8123", "--no-serve"])

    assert (served.serve, served.port) == (True, 8123)
    assert not_served.serve is False and not_served.today is None and not not_served.keep_database


async def test_the_county_s_supervised_from_is_read_as_a_date(orm: str, document: dict[str, Any]) -> None:
    from server.load.errors import LoadError

    county = document["counties"][0]
    bad = {**document, "counties": [{**county, "supervisedFrom": "2023-13-01"}]}

    with pytest.raises(LoadError) as raised:
        await load_document(bad)

    assert [problem.path for problem in raised.value.problems] == ["counties[0].supervisedFrom"]
    assert await Meeting.all().count() == 0
    await load_document({**document, "counties": [{**county, "supervisedFrom": "2023-01-01"}]})
    assert await Meeting.all().count() == 251


def test_a_document_the_loader_refuses_exits_1_naming_the_bad_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], document: dict[str, Any]
) -> None:
    bad = {**document, "counties": [{**document["counties"][0], "supervisedFrom": "someday"}]}
    monkeypatch.setattr(demo_cli, "build_luodian", lambda today: bad)

    code = demo_cli._run(_args(tmp_path, no_load=False), Settings(database_url=f"sqlite://{tmp_path / 'demo.db'}"))

    assert code == 1
    assert "counties[0].supervisedFrom" in capsys.readouterr().out
