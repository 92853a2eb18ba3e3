"""A writing run may not look ahead (DESIGN §2, issue 23): a future as-of is refused by the API, the CLI, the sweep and
the replay, with nothing written, and the county's next sweep still runs.

The clock is fixed (`clock.frozen` in-process, `LIANXI_CLOCK` for a real subprocess): "the future" is after
2026-12-07 10:00 in Luodian (UTC+8), whatever day the suite runs on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core import clock
from core.compliance import RunRefused, RunResult, run_compliance, sweep
from models.alerts import Alert, RuleRun
from rules.config import RulesConfig
from server.scheduler import run_sweep
from tests.rules import factories as f
from tests.timemodel.test_boundary_stories import RUN, lianxi
from tests.writes import mutate

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 10:00 in Luodian (UTC+8)
LOCAL_NOW = "2026-12-07T10:00:00+08:00"


async def _written() -> tuple[int, int]:
    """(alerts, writing runs): what a refused run must leave as it was."""
    return await Alert.all().count(), await RuleRun.exclude(trigger="REPORT").count()


async def _a_county_with_history() -> None:
    w = await f.world()
    await f.compliant_month(w, 2026, 10)
    await f.case(w.village, f.local(2026, 11, 20, 10), number="D1")


async def test_a_future_as_of_through_the_api_is_refused_and_the_next_sweep_still_runs(client_for, orm: str) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen(NOW):
        await _a_county_with_history()
        bureau = await client_for("BUREAU", "522728")
        before = await _written()
        payload = await mutate(bureau, RUN, code="522728", asOf="2036-12-07T00:00:00+08:00")  # a typo in the year
        assert payload["run"] is None
        [error] = payload["userErrors"]
        assert (error["code"], error["field"]) == ("FUTURE_AS_OF", ["asOf"])
        assert LOCAL_NOW in error["message"] and "ruleReport" in error["message"], error["message"]
        assert await _written() == before  # no alert, no run
        # nothing was frozen: today's sweep (as of 00:00) runs, then a run as of the present
        assert await run_sweep("SWEEP", RulesConfig(), NOW) == ["522728"]
        assert await RuleRun.filter(trigger="SWEEP").count() == 1
        assert (await mutate(bureau, RUN, code="522728", asOf=LOCAL_NOW))["userErrors"] == []


async def test_an_as_of_a_second_after_the_present_is_refused_and_the_present_itself_is_not(orm: str) -> None:
    with clock.frozen(NOW):
        await _a_county_with_history()
        with pytest.raises(RunRefused) as refused:
            await run_compliance(rules=RulesConfig(), county_code="522728", as_of=NOW.replace(second=1))
        assert getattr(refused.value, "code", None) == "FUTURE_AS_OF" and "lianxi report" in str(refused.value)
        assert await _written() == (0, 0)
        report = await run_compliance(rules=RulesConfig(), county_code="522728", as_of=NOW.replace(year=2027), write=False)
        assert report.findings  # a report looks ahead and writes nothing
        assert (await run_compliance(rules=RulesConfig(), county_code="522728", as_of=NOW)).run_id is not None


async def test_lianxi_check_with_a_future_as_of_exits_2_and_writes_nothing(orm: str) -> None:
    """As a shell sees it: a real process whose clock starts at 2026-12-07 10:00 in Luodian (LIANXI_CLOCK)."""
    with clock.frozen(NOW):
        await _a_county_with_history()
    env = {**os.environ, "LIANXI_DATABASE_URL": orm, "LIANXI_CLOCK": LOCAL_NOW, "COLUMNS": "140"}
    refused = subprocess.run([sys.executable, "-m", "server.cli", "check", "--county", "522728", "--as-of", "2027-01-05"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    message = refused.stderr.strip()
    assert len(message.splitlines()) == 1 and "2027-01-05T00:00:00+08:00" in message and "lianxi report" in message, message
    assert "2026-12-07T10:00" in message and refused.stdout == ""
    assert await _written() == (0, 0)
    present = subprocess.run([sys.executable, "-m", "server.cli", "check", "--county", "522728"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert present.returncode == 0, present.stderr  # nothing was frozen: the present is checked
    assert await RuleRun.filter(trigger="MANUAL").count() == 1


async def test_a_sweep_of_a_future_day_is_refused_writes_nothing_and_is_not_marked_done(orm: str) -> None:
    with clock.frozen(NOW):
        await _a_county_with_history()
        future = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
        results: list[RunResult] = [r async for r in sweep(rules=RulesConfig(), as_of=future)]
        assert [r.run_id for r in results] == [None] and "after the present" in results[0].errors[0]["error"]
        assert await run_sweep("SWEEP", RulesConfig(), future) == ["522728"]  # attempted, refused
        assert await _written() == (0, 0)
        assert await run_sweep("SWEEP", RulesConfig(), NOW) == ["522728"]  # today's sweep is not blocked
        assert [r.as_of for r in await RuleRun.filter(trigger="SWEEP")] == [datetime(2026, 12, 6, 16, 0, tzinfo=UTC)]


async def test_a_replay_to_a_future_day_is_refused_and_writes_nothing(orm: str) -> None:
    with clock.frozen(NOW):
        await _a_county_with_history()
        await run_compliance(rules=RulesConfig(), county_code="522728", as_of=NOW, trigger="SWEEP")
        before = await _written()
        refused = lianxi(orm, "replay", "--county", "522728", "--from", "2026-12-01", "--to", "2026-12-09")
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "2026-12-09" in refused.stderr and "Traceback" not in refused.stderr, refused.stderr
        assert await _written() == before


async def test_a_demo_built_for_a_future_day_is_refused_before_anything_is_written(orm: str, tmp_path: Path) -> None:
    """Its replay and build-day check are writing runs: a future build day would be a future as-of (exit 2, one line)."""
    with clock.frozen(NOW):
        refused = lianxi(orm, "demo", "--output", str(tmp_path / "demo.json"), "--today", "2026-12-08", "--keep-database")
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "2026-12-08" in refused.stderr and "LIANXI_CLOCK" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "demo.json").exists() and await _written() == (0, 0)
