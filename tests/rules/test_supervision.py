"""County supervision: a leadership member (or the head) plus a staff member at a HELD thematic meeting, by the assigned leader."""

from __future__ import annotations

from datetime import date

from models.enums import MeetingKind, MeetingStatus, Role
from tests.rules import factories as f
from tests.rules.helpers import alerts, check, found

COVERAGE = "supervision.monthly_coverage"
ASSIGNED = "supervision.assigned_leader"
TOWN = "522728109"


async def test_a_leader_without_staff_is_not_coverage(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=[w.leader])
    await f.meeting(w.township, f.local(2023, 1, 20, 9), attendees=[w.staff])
    result = await check(f.local(2023, 2, 1))
    assert found(result, COVERAGE) == [(TOWN, "2023-01")]
    assert found(result, ASSIGNED) == []
    assert found(result, "cadence.thematic_monthly") == []


async def test_a_cancelled_meeting_with_the_team_is_not_coverage(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9), status=MeetingStatus.CANCELLED, attendees=w.team)
    await f.meeting(w.township, f.local(2023, 1, 20, 9), attendees=[w.leader])
    result = await check(f.local(2023, 2, 1), write=False)
    assert found(result, COVERAGE) == [(TOWN, "2023-01")]


async def test_the_team_at_one_thematic_meeting_covers_the_month(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=w.team)
    await f.meeting(w.township, f.local(2023, 1, 20, 9))
    result = await check(f.local(2023, 2, 1), write=False)
    assert found(result, COVERAGE) == [] and found(result, ASSIGNED) == []


async def test_the_team_at_a_plenary_does_not_cover_the_thematic_meetings(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9))
    await f.meeting(w.township, f.local(2023, 1, 20, 9))
    await f.meeting(w.township, f.local(2023, 1, 25, 9), MeetingKind.PLENARY, attendees=w.team)
    result = await check(f.local(2023, 2, 1), write=False)
    assert found(result, COVERAGE) == [(TOWN, "2023-01")]


async def test_a_staff_member_who_left_the_bureau_no_longer_counts(orm: str) -> None:
    w = await f.world()
    former = await f.bureau(w.county, Role.BUREAU_STAFF, valid_to=date(2022, 12, 31))
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=[w.leader, former])
    result = await check(f.local(2023, 2, 1), write=False)
    assert found(result, COVERAGE) == [(TOWN, "2023-01")]


async def test_coverage_by_a_leader_not_assigned_to_the_township_is_a_warning(orm: str) -> None:
    w = await f.world()
    other = await f.bureau(w.county, Role.BUREAU_LEADER, await f.person("领导丙"))
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=[other, w.staff])
    await f.meeting(w.township, f.local(2023, 1, 20, 9))
    result = await check(f.local(2023, 2, 1))
    assert found(result, COVERAGE) == []
    assert found(result, ASSIGNED) == [(TOWN, "2023-01")]
    alert = (await alerts(ASSIGNED))[f"{ASSIGNED}|{TOWN}|2023-01"]
    assert alert.severity == "WARNING" and not alert.notify_head
    assert alert.evidence["covering_leader_ids"] == [other.id]
    assert alert.evidence["assigned_leader_ids"] == [w.leader.id]
    assert alert.assignee_id == w.leader.id


async def test_the_bureau_head_with_staff_is_coverage_but_not_the_assigned_leader(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=[w.head, w.staff])
    result = await check(f.local(2023, 2, 1), write=False)
    assert found(result, COVERAGE) == []
    assert found(result, ASSIGNED) == [(TOWN, "2023-01")]


async def test_rotation_mid_quarter_assigns_alerts_to_the_leader_in_office_on_the_periods_last_day(orm: str) -> None:
    w = await f.world()
    successor = await f.bureau(w.county, Role.BUREAU_LEADER, await f.person("领导丁"))
    # the first leader's assignment ends on 02-14; the successor takes over from 02-15
    from models.supervision import SupervisionAssignment

    await SupervisionAssignment.filter(leader=w.leader).update(valid_to=date(2023, 2, 14))
    await f.supervise(successor, w.township, date(2023, 2, 15))
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=w.team)  # January: one meeting, no plenary all quarter
    await f.meeting(w.township, f.local(2023, 2, 10, 9), attendees=[w.leader, w.staff])
    await f.meeting(w.township, f.local(2023, 2, 20, 9), attendees=[successor, w.staff])
    result = await check(f.local(2023, 4, 1))
    by_fp = await alerts()
    assert by_fp[f"cadence.thematic_monthly|{TOWN}|2023-01"].assignee_id == w.leader.id
    assert by_fp[f"cadence.plenary_quarterly|{TOWN}|2023-Q1"].assignee_id == successor.id
    assert by_fp[f"cadence.thematic_monthly|{TOWN}|2023-03"].assignee_id == successor.id
    # February was covered by both leaders, each assigned for part of the month: no warning
    assert (TOWN, "2023-02") not in found(result, ASSIGNED)
