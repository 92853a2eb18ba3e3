"""`lianxi replay`: a county's alert history rebuilt day by day equals the live history of nightly sweeps."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from rules.config import RulesConfig
from models.alerts import Alert, RuleRun
from models.enums import CaseEventType, CaseKind, CaseLevel, MeetingKind, MeetingStatus
from core.replay import export_alerts, replay_county, sweep_as_of
from core.compliance import run_compliance
from tests.rules import factories as f
from tests.timemodel.test_boundary_stories import lianxi

SHANGHAI = ZoneInfo("Asia/Shanghai")
START, END = date(2023, 1, 1), date(2023, 4, 20)


async def _small_county() -> None:
    """Two townships, meetings that come and go, disputes and petitions on every path, a rotation and a roster change."""
    w = await f.world()
    other = await f.township(w.county, code="522728110", name="逢亭镇", established_on=date(2023, 2, 1))
    second = await f.bureau(w.county, f.Role.BUREAU_LEADER, await f.person("领导丁"))
    await f.supervise(second, other, date(2023, 2, 1), date(2023, 3, 15))
    await f.compliant_month(w, 2023, 1)
    await f.meeting(w.township, f.local(2023, 2, 14, 9), attendees=[second, w.staff])
    await f.meeting(w.township, f.local(2023, 3, 30, 9), status=MeetingStatus.SCHEDULED)
    await f.meeting(other, f.local(2023, 2, 20, 15), kind=MeetingKind.PLENARY)
    await f.meeting(other, f.local(2023, 3, 3, 9), attendees=[second, w.staff])
    worker = await f.person("网格员")
    grid = await f.grid(w.village, "01", worker=worker, valid_to=date(2023, 2, 10))
    await f.household_group(grid, "01", head=worker)
    for n, day in enumerate((3, 11, 20, 28)):
        await f.case(w.village, f.local(2023, 1, day, 10), number=f"D{n}")
        await f.case(w.village, f.local(2023, 2, day, 16), kind=CaseKind.PETITION, number=f"P{n}", events=[
            (CaseEventType.ACCEPTED, f.local(2023, 2, day + 1 if n < 3 else 28, 9), {}),
            (CaseEventType.EXTENDED, f.local(2023, 4, 10, 9), {"days": 10 * n + 5, "approver_id": w.head.id}),
        ][: n % 3])
    await f.case(w.village, f.local(2023, 1, 5, 10), number="E1", events=[
        (CaseEventType.ESCALATED, f.local(2023, 1, 18, 9), {"to_level": CaseLevel.TOWNSHIP}),
        (CaseEventType.RESOLVED, f.local(2023, 3, 2, 9), {"outcome": "MEDIATED"}),
        (CaseEventType.REOPENED, f.local(2023, 3, 20, 9), {}),
    ])


async def test_replay_equals_the_live_history_of_a_county_swept_every_night(orm: str) -> None:
    await _small_county()
    day = START
    while day <= END:
        await run_compliance(rules=RulesConfig(), county_code="522728", as_of=sweep_as_of(day, SHANGHAI), trigger="SWEEP")
        day += timedelta(days=1)
    live = await export_alerts(county_code="522728")
    assert {a.rule_id for a in await Alert.all()} >= {
        "cadence.thematic_monthly", "supervision.monthly_coverage", "case.overdue", "case.due_soon",
        "case.village_escalation", "case.acceptance_overdue", "cadence.thematic_at_risk", "roster.grid_worker_missing",
    }
    assert await Alert.filter(escalated_at__not_isnull=True).exists() and await Alert.filter(status="RESOLVED").exists()
    seen: list[date] = []
    result = await replay_county(rules=RulesConfig(), county_code="522728", start=START, end=END, apply=True,
                                 progress=seen.append)
    assert await export_alerts(county_code="522728") == live
    assert seen == [START + timedelta(days=n) for n in range((END - START).days + 1)]
    assert result.runs < result.days and not result.errors  # only the days on which something can change
    naive = await replay_county(rules=RulesConfig(), county_code="522728", start=START, end=END, naive=True, apply=True)
    assert naive.runs == naive.days and await export_alerts(county_code="522728") == live


async def test_a_replay_refuses_nothing_afterwards_and_keeps_runs_before_its_start(orm: str) -> None:
    await _small_county()
    await run_compliance(rules=RulesConfig(), county_code="522728", as_of=sweep_as_of(date(2022, 12, 1), SHANGHAI), trigger="SWEEP")
    await run_compliance(rules=RulesConfig(), county_code="522728", as_of=sweep_as_of(date(2023, 6, 1), SHANGHAI), trigger="SWEEP")
    await replay_county(rules=RulesConfig(), county_code="522728", start=START, end=date(2023, 2, 1), apply=True)
    assert sorted(r.as_of.date() for r in await RuleRun.filter(trigger="SWEEP")) == [date(2022, 11, 30)]
    # the history now ends 2023-02-01: the next night's sweep goes on from there
    await run_compliance(rules=RulesConfig(), county_code="522728", as_of=sweep_as_of(date(2023, 2, 2), SHANGHAI), trigger="SWEEP")


async def test_two_replays_on_the_command_line_give_byte_identical_exports(orm: str, tmp_path: Path) -> None:
    await _small_county()
    outputs = []
    for n in (1, 2):
        target = tmp_path / f"alerts-{n}.jsonl"
        done = lianxi(orm, "replay", "--county", "522728", "--from", "2023-01-01", "--to", "2023-03-31", "--apply",
                      "--export", str(target))
        assert done.returncode == 0, done.stderr
        assert "replay 522728" in done.stderr and "90/90" in done.stderr  # the progress bar, on stderr
        assert "replayed 522728 2023-01-01..2023-03-31 (applied): 90 days" in done.stdout
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") == await Alert.all().count() > 10
    bad = lianxi(orm, "replay", "--county", "522728", "--from", "2023-03-01", "--to", "2023-01-01")
    assert bad.returncode == 1 and "--to 2023-01-01 is before --from 2023-03-01" in bad.stderr
