"""Alert lifecycle: idempotent runs, auto-resolve, reopen, replay, escalation, waivers and scopes."""

from __future__ import annotations

from datetime import date

from models.alerts import Alert, RuleRun
from models.enums import AlertStatus, CaseLevel, MeetingStatus
from models.meetings import Meeting
from tests.rules import factories as f
from tests.rules.helpers import alerts, check, found, snapshot

THEMATIC = "cadence.thematic_monthly"
TOWN = "522728109"
JAN = f"{THEMATIC}|{TOWN}|2023-01"


async def _january_one_meeting_short() -> f.World:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=w.team)
    await f.compliant_month(w, 2023, 2)
    return w


async def test_running_the_same_check_twice_changes_nothing(orm: str) -> None:
    await _january_one_meeting_short()
    first = await check(f.local(2023, 3, 1))
    assert [c.kind for c in first.changes] == ["RAISED"]
    before = await snapshot()
    second = await check(f.local(2023, 3, 1))
    assert second.changes == [] and second.findings == first.findings
    assert await snapshot() == before
    assert await RuleRun.all().count() == 2


async def test_a_later_run_keeps_an_alert_without_touching_it(orm: str) -> None:
    await _january_one_meeting_short()
    await check(f.local(2023, 3, 1))
    before = await snapshot()
    result = await check(f.local(2023, 3, 2))
    assert result.changes == []
    assert await snapshot() == before


async def test_a_backdated_meeting_resolves_the_cadence_alert_and_cancelling_it_reopens(orm: str) -> None:
    w = await _january_one_meeting_short()
    await check(f.local(2023, 3, 1))
    late = await f.meeting(w.township, f.local(2023, 1, 28, 15), attendees=w.team)  # recorded after the fact
    resolved = await check(f.local(2023, 3, 5))
    assert [(c.alert.fingerprint, c.kind) for c in resolved.changes] == [(JAN, "RESOLVED")]
    alert = (await alerts())[JAN]
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_at == f.local(2023, 3, 5)

    await Meeting.filter(id=late.id).update(status=MeetingStatus.CANCELLED)
    reopened = await check(f.local(2023, 3, 9))
    assert [(c.alert.fingerprint, c.kind) for c in reopened.changes] == [(JAN, "REOPENED")]
    alert = (await alerts())[JAN]
    assert alert.status == AlertStatus.OPEN and alert.resolved_at is None
    assert alert.raised_at == f.local(2023, 3, 9) and alert.id == resolved.changes[0].alert.id


async def test_replaying_history_at_the_same_as_of_gives_identical_alerts(orm: str) -> None:
    w = await _january_one_meeting_short()
    await f.case(w.village, f.local(2023, 1, 2, 10), number="JF-1")
    await f.grid(w.village, "01")
    for as_of in (f.local(2023, 2, 1), f.local(2023, 2, 20), f.local(2023, 3, 1)):
        await check(as_of)
    first = await snapshot()
    await Alert.all().delete()
    await RuleRun.all().delete()
    for as_of in (f.local(2023, 2, 1), f.local(2023, 2, 20), f.local(2023, 3, 1)):
        await check(as_of)
    assert await snapshot() == first
    assert {a["rule_id"] for a in first} >= {THEMATIC, "case.overdue", "case.village_escalation", "roster.grid_worker_missing"}


async def test_an_alert_not_acknowledged_within_3_days_is_escalated_once(orm: str) -> None:
    await _january_one_meeting_short()
    raised = f.local(2023, 3, 1, 8)
    await check(raised)
    # three calendar days, the raise day not counted: late from 03-05 00:00 local, not at 72 hours
    assert [c.kind for c in (await check(f.local(2023, 3, 4, 23, 59, 59))).changes] == []
    result = await check(f.local(2023, 3, 5))
    assert [(c.alert.fingerprint, c.kind) for c in result.changes] == [(JAN, "ESCALATED")]
    assert (await alerts())[JAN].escalated_at == f.local(2023, 3, 5)
    assert (await check(f.local(2023, 3, 6))).changes == []  # no new alert, no second escalation
    assert await Alert.all().count() == 1


async def test_an_acknowledged_alert_is_not_escalated_and_still_resolves(orm: str) -> None:
    w = await _january_one_meeting_short()
    await check(f.local(2023, 3, 1))
    await Alert.filter(fingerprint=JAN).update(
        status=AlertStatus.ACKNOWLEDGED, acknowledged_at=f.local(2023, 3, 2), acknowledged_by="token:乡镇"
    )
    assert (await check(f.local(2023, 3, 10))).changes == []
    await f.meeting(w.township, f.local(2023, 1, 28, 15))
    result = await check(f.local(2023, 3, 11))
    assert [c.kind for c in result.changes] == ["RESOLVED"]


async def test_a_waived_alert_is_left_alone_until_its_waiver_expires(orm: str) -> None:
    w = await _january_one_meeting_short()
    await check(f.local(2023, 3, 1))
    await Alert.filter(fingerprint=JAN).update(
        status=AlertStatus.WAIVED, waived_at=f.local(2023, 3, 2), waive_reason="春节", waived_until=date(2023, 3, 31)
    )
    await f.meeting(w.township, f.local(2023, 1, 28, 15))  # the finding disappears …
    still = (await check(f.local(2023, 3, 31, 23))).changes
    assert [c for c in still if c.alert.fingerprint == JAN] == []  # … but the waiver still holds
    assert (await alerts())[JAN].status == AlertStatus.WAIVED
    result = await check(f.local(2023, 4, 1, 1))
    assert [c.kind for c in result.changes if c.alert.fingerprint == JAN] == ["RESOLVED"]


async def test_an_expired_waiver_reopens_an_alert_whose_finding_still_holds(orm: str) -> None:
    await _january_one_meeting_short()
    await check(f.local(2023, 3, 1))
    await Alert.filter(fingerprint=JAN).update(status=AlertStatus.WAIVED, waived_until=date(2023, 3, 10))
    assert (await check(f.local(2023, 3, 10, 12))).changes == []
    result = await check(f.local(2023, 3, 11))
    assert [(c.alert.fingerprint, c.kind) for c in result.changes] == [(JAN, "REOPENED")]


async def test_a_township_run_leaves_other_townships_alerts_alone(orm: str) -> None:
    w = await _january_one_meeting_short()
    other = await f.township(w.county, code="522728110", name="逢亭镇")
    await f.compliant_month(w, 2023, 2, unit=other)
    await check(f.local(2023, 3, 1))
    assert f"{THEMATIC}|522728110|2023-01" in await alerts(THEMATIC)
    await f.meeting(w.township, f.local(2023, 1, 28, 15))
    await f.compliant_month(w, 2023, 1, unit=other)
    result = await check(f.local(2023, 3, 2), township_code=TOWN)
    assert [(c.alert.fingerprint, c.kind) for c in result.changes] == [(JAN, "RESOLVED")]
    assert (await alerts(THEMATIC))[f"{THEMATIC}|522728110|2023-01"].status == AlertStatus.OPEN
    run = await RuleRun.get(id=result.run_id)
    assert run.scope == {"county": "522728", "township": TOWN}


async def test_a_case_run_touches_only_that_case(orm: str) -> None:
    w = await _january_one_meeting_short()
    await f.case(w.village, f.local(2023, 1, 2, 10), level=CaseLevel.TOWNSHIP, number="JF-1")
    await f.case(w.village, f.local(2023, 1, 2, 10), level=CaseLevel.TOWNSHIP, number="JF-2")
    result = await check(f.local(2023, 3, 1), case_number="JF-1")
    assert sorted(c.alert.fingerprint for c in result.changes) == ["case.overdue|JF-1"]
    assert {x["ruleId"] for x in result.findings} == {"case.overdue"}


async def test_a_read_only_run_reports_findings_and_writes_nothing(orm: str) -> None:
    await _january_one_meeting_short()
    result = await check(f.local(2023, 3, 1), write=False, trigger="REPORT")
    assert found(result, THEMATIC) == [(TOWN, "2023-01")]
    assert result.run_id is None and result.changes == []
    assert await Alert.all().count() == 0 and await RuleRun.all().count() == 0


async def test_the_run_records_what_it_used_and_found(orm: str) -> None:
    await _january_one_meeting_short()
    result = await check(f.local(2023, 3, 1), actor="tester")
    run = await RuleRun.get(id=result.run_id)
    assert run.as_of == f.local(2023, 3, 1) and run.trigger == "MANUAL" and run.actor == "tester"
    assert run.parameters["rules"]["case.overdue"] == {"D": 30, "petition_days": 60, "max_extension_days": 30}
    assert run.rule_versions[THEMATIC] == 1
    assert run.counts[THEMATIC] == {
        "findings": 1, "raised": 1, "resolved": 0, "reopened": 0, "escalated": 0, "updated": 0
    }
    assert run.errors == [] and run.duration_ms > 0
    assert (await alerts())[JAN].last_run_id == run.id


async def test_an_unknown_scope_is_a_clear_error(orm: str) -> None:
    import pytest

    from rules.facts import ScopeError

    await _january_one_meeting_short()
    with pytest.raises(ScopeError, match="unknown county"):
        await check(f.local(2023, 3, 1), county_code="999999")
    with pytest.raises(ScopeError, match="522728999"):
        await check(f.local(2023, 3, 1), township_code="522728999")
    with pytest.raises(ValueError, match="aware"):
        await check(f.local(2023, 3, 1).replace(tzinfo=None))


async def test_an_alert_before_the_supervision_start_is_kept_not_resolved(orm: str) -> None:
    w = await _january_one_meeting_short()
    await check(f.local(2023, 3, 1))
    w.county.supervised_from = date(2023, 4, 1)
    await w.county.save()
    result = await check(f.local(2023, 6, 1))  # evaluation now starts 2023-04-01
    assert all(p >= "2023-04" for _, p in found(result, THEMATIC))
    assert [c.kind for c in result.changes if c.alert.fingerprint == JAN] == ["ESCALATED"]  # still open, and late
    assert (await alerts())[JAN].status == AlertStatus.OPEN
