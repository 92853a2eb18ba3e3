"""Fact shapes, county time zones, sweeps, and what protects alerts from concurrent runs."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from rules.config import RulesConfig
from models.alerts import Alert, RuleRun
from models.enums import CaseKind
from rules.facts import Scope, build_facts
from rules.reconciler import ChangeKind, _insert, _new_alert, fingerprint
from core.compliance import sweep
from tests.rules import factories as f
from tests.rules.helpers import check, found

TOWN = "522728109"


async def test_facts_are_json_safe_flat_records_with_their_source_ids(orm: str) -> None:
    w = await f.world()
    held = await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=w.team)
    await f.case(w.village, f.local(2023, 1, 5, 10), kind=CaseKind.PETITION, number="XF-9")
    await f.grid(w.village, "01")
    facts = await build_facts(scope=Scope("522728"), as_of=f.local(2023, 2, 1), settings=RulesConfig().for_county("522728"))
    json.dumps(facts.facts, allow_nan=False)  # no datetime objects anywhere
    by_kind = {x["kind"]: x for x in facts.facts}
    assert set(by_kind) == {"township_month", "township_open_month", "case", "grid"}  # Q1 is still open
    month = by_kind["township_month"]
    assert month["id"] == f"township_month|{TOWN}|2023-01" and month["thematic_held"] == 1
    assert month["supervised_meetings"] == 1 and month["supervised_meeting_ids"] == [held.id]
    assert month["assigned_leader_meetings"] == 1 and month["assignee_id"] == w.leader.id
    assert month["period_start"] == "2023-01-01T00:00:00+08:00" and month["period_end"] == "2023-02-01T00:00:00+08:00"
    case = by_kind["case"]
    assert case["case_number"] == "XF-9" and case["status"] == "REPORTED" and case["decision_count"] == 0
    assert case["acceptance_due"] == "2023-01-21T00:00:00+08:00"
    assert case["acceptance_due_epoch"] == int(f.local(2023, 1, 21).timestamp())
    assert "due_at" not in case and case["days_open"] == 27
    assert not any(isinstance(v, bool) for fact in facts.facts for v in fact.values())  # measurements, not verdicts
    assert by_kind["grid"]["worker_count"] == 0 and by_kind["grid"]["township"] == TOWN


async def test_periods_follow_the_countys_own_time_zone(orm: str) -> None:
    urumqi = ZoneInfo("Asia/Urumqi")  # UTC+6
    county = await f.county(code="652301", name="昌吉市", timezone="Asia/Urumqi")
    town = await f.township(county, code="652301001", name="宁边路街道")
    await f.meeting(town, datetime(2023, 1, 10, 9, tzinfo=urumqi))
    await f.meeting(town, datetime(2023, 1, 31, 23, 30, tzinfo=urumqi))  # 2023-02-01 01:30 in Beijing time
    await f.meeting(town, datetime(2023, 2, 10, 9, tzinfo=urumqi))
    result = await check(datetime(2023, 3, 1, tzinfo=urumqi), county_code="652301", write=False)
    assert found(result, "cadence.thematic_monthly") == [("652301001", "2023-02")]
    assert result.findings[0]["evidence"]["period_end"] == "2023-03-01T00:00:00+06:00"


async def test_a_sweep_runs_every_county(orm: str) -> None:
    w = await f.world()
    other = await f.county(code="522701", name="都匀市")
    await f.township(other, code="522701001", name="文峰街道")
    await f.compliant_month(w, 2023, 1)
    results = [r async for r in sweep(rules=RulesConfig(), as_of=f.local(2023, 2, 1))]
    assert [r.county_code for r in results] == ["522701", "522728"]
    assert all(r.trigger == "SWEEP" and r.run_id and not r.errors for r in results)
    assert found(results[0], "cadence.thematic_monthly") == [("522701001", "2023-01")]
    assert await RuleRun.filter(trigger="SWEEP").count() == 2


async def test_an_insert_that_loses_a_race_re_reads_the_winner_instead_of_duplicating(orm: str) -> None:
    await f.world()
    result = await check(f.local(2023, 2, 1))
    (finding,) = [x for x in result.findings if x["ruleId"] == "cadence.thematic_monthly"]
    facts = await build_facts(scope=Scope("522728"), as_of=f.local(2023, 2, 2), settings=RulesConfig().for_county("522728"))
    finding = {**finding, "message": finding["message"] + "（更新）"}
    loser = _new_alert(fingerprint(finding), finding, facts, None)  # as if our read had missed the row
    changes = await _insert([loser], {loser.fingerprint: finding}, facts, None)
    assert [c.kind for c in changes] == [ChangeKind.UPDATED]
    assert await Alert.filter(fingerprint=loser.fingerprint).count() == 1


@pytest.mark.postgres
async def test_concurrent_runs_of_one_county_on_postgresql_raise_each_alert_once(orm: str) -> None:
    if not orm.startswith("postgres"):
        pytest.skip("SQLite has a single writer; the advisory lock is PostgreSQL's")
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=w.team)
    results = await asyncio.gather(*(check(f.local(2023, 2, 1)) for _ in range(4)))
    raised = sorted(sum(c.kind == ChangeKind.RAISED for c in r.changes) for r in results)
    assert raised == [0, 0, 0, len(results[0].findings)]  # the advisory lock let one run write, the rest saw its alerts
    assert await Alert.all().count() == len(results[0].findings) > 0
