"""`lianxi check` against the test database (run in-process: tests/cli.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from models.alerts import Alert, RuleRun
from tests.cli import run_cli
from tests.rules import factories as f

ROOT = Path(__file__).resolve().parents[2]


def _lianxi(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIANXI_DATABASE_URL": db_url, "COLUMNS": "140"}
    env.pop("LIANXI_RULES_CONFIG", None)
    return run_cli(*args, env=env, cwd=ROOT, text=True)


async def test_check_prints_a_table_per_rule_and_writes_the_alerts(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=w.team)
    done = _lianxi(orm, "check", "--county", "522728", "--as-of", "2023-02-01")
    assert done.returncode == 0, done.stderr
    assert "罗甸县 522728" in done.stdout and "2023-02-01T00:00:00+08:00" in done.stdout
    cells = [c.strip() for c in next(r for r in done.stdout.splitlines() if "cadence.thematic_monthly" in r).split("│")]
    assert cells[1:-1] == ["cadence.thematic_monthly", "VIOLATION", "1", "1", "0", "0", "0", "1"]
    assert "run " in done.stdout and " ms" in done.stdout
    assert [a.fingerprint for a in await Alert.all()] == ["cadence.thematic_monthly|522728109|2023-01"]
    run = await RuleRun.get()
    assert run.actor == "cli" and run.as_of == f.local(2023, 2, 1)
    again = _lianxi(orm, "check", "--county", "522728", "--as-of", "2023-02-01T00:00:00+08:00")
    assert again.returncode == 0 and "0 alert changes" in again.stdout


async def test_check_without_a_county_runs_every_county(orm: str) -> None:
    w = await f.world()
    await f.county(code="522701", name="都匀市")
    await f.compliant_month(w, 2023, 1)
    done = _lianxi(orm, "check", "--as-of", "2023-02-01T08:00:00+08:00")
    assert done.returncode == 0, done.stderr
    assert "罗甸县 522728" in done.stdout and "都匀市 522701" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--county", "999999"), "unknown county code '999999'"),
        (("--county", "522728", "--as-of", "2023-02-30"), "--as-of is not an ISO date"),
        (("--county", "522728", "--as-of", "2023-02-01T08:00:00"), "--as-of needs an offset"),
    ],
)
async def test_check_rejects_bad_input_with_exit_status_1(orm: str, args: tuple[str, ...], message: str) -> None:
    await f.world()
    done = _lianxi(orm, "check", *args)
    assert done.returncode == 1
    assert message in done.stderr
    assert await RuleRun.all().count() == 0
