"""Meeting cadence: months and quarters are county-local, closed, and only after the joint meeting existed."""

from __future__ import annotations

from datetime import date

from models.enums import MeetingKind, MeetingStatus
from rules.config import parse_rules_config
from tests.rules import factories as f
from tests.rules.helpers import alerts, check, found

THEMATIC = "cadence.thematic_monthly"
PLENARY = "cadence.plenary_quarterly"
TOWN = "522728109"


async def test_a_meeting_at_23_30_on_the_last_evening_counts_for_that_month_and_00_30_for_the_next(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=w.team)
    await f.meeting(w.township, f.local(2023, 1, 31, 23, 30), attendees=w.team)  # 15:30 UTC, still January
    await f.meeting(w.township, f.local(2023, 2, 1, 0, 30), attendees=w.team)  # Jan 31 16:30 UTC, but February here
    await f.meeting(w.township, f.local(2023, 2, 15, 9), attendees=w.team)
    result = await check(f.local(2023, 3, 1))
    assert found(result, THEMATIC) == []
    assert found(result, "supervision.monthly_coverage") == []


async def test_a_month_one_meeting_short_raises_a_violation_with_its_evidence(orm: str) -> None:
    w = await f.world()
    held = await f.meeting(w.township, f.local(2023, 1, 31, 23, 30), attendees=w.team)
    await f.meeting(w.township, f.local(2023, 2, 1, 0, 30), attendees=w.team)
    await f.compliant_month(w, 2023, 2)
    result = await check(f.local(2023, 3, 1))
    assert found(result, THEMATIC) == [(TOWN, "2023-01")]
    alert = (await alerts(THEMATIC))[f"{THEMATIC}|{TOWN}|2023-01"]
    assert alert.severity == "VIOLATION" and alert.status == "OPEN" and alert.notify_head
    assert alert.raised_at == f.local(2023, 3, 1)
    assert alert.evidence["thematic_held"] == 1
    assert [m["id"] for m in alert.evidence["thematic_meetings"]] == [held.id]
    assert alert.evidence["thematic_meetings"][0]["held_at"] == "2023-01-31T23:30:00+08:00"
    assert alert.evidence["parameters"] == {"N": 2} and alert.evidence["ruleVersion"] == 1
    assert {a["name"] for a in alert.evidence["thematic_meetings"][0]["attendees"]} == {"领导甲", "业务员乙"}
    assert "2023-01" in alert.message and "1次" in alert.message


async def test_plenaries_on_quarter_edges_count_in_local_time(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 3, 31, 23, 30), MeetingKind.PLENARY)  # Q1
    await f.meeting(w.township, f.local(2023, 7, 1, 0, 30), MeetingKind.PLENARY)  # Q3, not Q2
    result = await check(f.local(2023, 10, 1))
    assert found(result, PLENARY) == [(TOWN, "2023-Q2")]


async def test_cancelled_and_scheduled_meetings_do_not_count(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 5, 9), attendees=w.team)
    cancelled = await f.meeting(w.township, f.local(2023, 1, 15, 9), status=MeetingStatus.CANCELLED, attendees=w.team)
    await f.meeting(w.township, f.local(2023, 1, 25, 9), status=MeetingStatus.SCHEDULED)
    await f.meeting(w.township, f.local(2023, 2, 1, 9), MeetingKind.PLENARY, status=MeetingStatus.CANCELLED)
    result = await check(f.local(2023, 2, 1))
    assert found(result, THEMATIC) == [(TOWN, "2023-01")]
    evidence = (await alerts(THEMATIC))[f"{THEMATIC}|{TOWN}|2023-01"].evidence
    assert evidence["thematic_held"] == 1
    assert cancelled.id in [m["id"] for m in evidence["thematic_not_held"]]


async def test_periods_before_the_joint_meeting_was_established_are_not_evaluated(orm: str) -> None:
    w = await f.world(established_on=date(2023, 2, 15))
    await f.meeting(w.township, f.local(2023, 1, 20, 9))  # data starts in January
    result = await check(f.local(2023, 7, 1))
    assert [p for _, p in found(result, THEMATIC)] == ["2023-03", "2023-04", "2023-05", "2023-06"]
    assert [p for _, p in found(result, PLENARY)] == ["2023-Q2"]  # Q1 began before 02-15


async def test_a_joint_meeting_established_on_the_first_day_is_evaluated_from_that_month(orm: str) -> None:
    w = await f.world(established_on=date(2023, 3, 1))
    await f.meeting(w.township, f.local(2023, 1, 20, 9))
    result = await check(f.local(2023, 4, 1))
    assert [p for _, p in found(result, THEMATIC)] == ["2023-03"]


async def test_open_periods_are_not_evaluated_until_their_end(orm: str) -> None:
    w = await f.world()
    await f.compliant_month(w, 2023, 1)
    await f.compliant_month(w, 2023, 2)
    before = await check(f.local(2023, 3, 31, 23, 59, 59), write=False)
    assert found(before, THEMATIC) == [] and found(before, PLENARY) == []
    after = await check(f.local(2023, 4, 1), write=False)
    assert found(after, THEMATIC) == [(TOWN, "2023-03")]
    assert found(after, PLENARY) == [(TOWN, "2023-Q1")]


async def test_evaluation_starts_at_the_establishment_not_at_the_first_meeting(orm: str) -> None:
    w = await f.world(established_on=date(2021, 11, 1))
    await f.compliant_month(w, 2023, 1)
    result = await check(f.local(2023, 3, 1), write=False)
    assert [p for _, p in found(result, THEMATIC)] == [f"{y}-{m:02d}" for y, m in [(2021, 11), (2021, 12)]] + [
        f"2022-{m:02d}" for m in range(1, 13)
    ] + ["2023-02"]


async def test_the_county_supervision_start_is_the_first_period_evaluated(orm: str) -> None:
    w = await f.world(established_on=date(2021, 11, 1))
    w.county.supervised_from = date(2023, 1, 1)
    await w.county.save()
    await f.compliant_month(w, 2023, 1)
    result = await check(f.local(2023, 3, 1), write=False)
    assert [p for _, p in found(result, THEMATIC)] == ["2023-02"]


async def test_a_township_without_a_joint_meeting_is_not_checked_for_cadence(orm: str) -> None:
    w = await f.world()
    await f.township(w.county, code="522728110", name="逢亭镇", established_on=None)
    await f.compliant_month(w, 2023, 1)
    result = await check(f.local(2023, 2, 1), write=False)
    assert found(result, THEMATIC) == []


async def test_a_county_can_require_more_meetings_in_its_rules_file(orm: str) -> None:
    rules = parse_rules_config({"counties": {"522728": {"parameters": {"cadence.thematic_monthly": {"N": 3}}}}})
    w = await f.world()
    await f.compliant_month(w, 2023, 1)
    result = await check(f.local(2023, 2, 1), rules=rules)
    assert found(result, THEMATIC) == [(TOWN, "2023-01")]
    assert result.parameters["rules"][THEMATIC] == {"N": 3}
    assert (await alerts(THEMATIC))[f"{THEMATIC}|{TOWN}|2023-01"].evidence["parameters"] == {"N": 3}
