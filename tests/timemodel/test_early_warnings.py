"""Early warnings (黄牌, NOTICE): a case deadline coming up, and an open month short of thematic meetings."""

from __future__ import annotations

from models.enums import CaseEventType, CaseKind, CaseLevel, MeetingStatus
from tests.rules import factories as f
from tests.rules.helpers import alerts, check, found

TOWN = "522728109"
SOON, AT_RISK = "case.due_soon", "cadence.thematic_at_risk"


async def test_a_dispute_is_flagged_five_days_before_its_deadline_and_the_violation_takes_over(orm: str) -> None:
    """DESIGN §2: the last day L at most W days after the as-of's local day d (L − d ≤ W), not W×24 hours."""
    w = await f.world()
    await f.case(w.village, f.local(2023, 5, 2, 10), level=CaseLevel.TOWNSHIP, number="JF-S")  # last day 06-01 (Thu)
    assert found(await check(f.local(2023, 5, 26, 23, 59)), SOON) == []  # 6 days before the last day
    raised = await check(f.local(2023, 5, 27))  # 06-01 − 05-27 = 5
    assert found(raised, SOON) == [("JF-S", None)]
    assert found(await check(f.local(2023, 5, 27, 23, 59)), SOON) == [("JF-S", None)]  # the hour does not matter
    alert = (await alerts(SOON))[f"{SOON}|JF-S"]
    assert alert.severity == "NOTICE" and not alert.notify_head and "2023-06-01 24:00" in alert.message
    late = await check(f.local(2023, 6, 2))
    assert found(late, SOON) == [] and found(late, "case.overdue") == [("JF-S", None)]
    assert (await alerts(SOON))[f"{SOON}|JF-S"].status == "RESOLVED"


async def test_a_petition_accepted_in_time_drops_its_acceptance_warning(orm: str) -> None:
    w = await f.world()
    petition = await f.case(w.village, f.local(2023, 5, 2, 10), kind=CaseKind.PETITION, number="XF-S")  # 05-18 00:00
    assert found(await check(f.local(2023, 5, 13)), SOON) == [("XF-S", None)]
    await f.add_event(petition, CaseEventType.ACCEPTED, f.local(2023, 5, 14, 9))
    moved = await check(f.local(2023, 5, 15))
    assert found(moved, SOON) == [] and (await alerts(SOON))[f"{SOON}|XF-S"].status == "RESOLVED"


async def test_an_open_month_short_of_meetings_is_flagged_in_its_last_seven_days(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=w.team)
    assert found(await check(f.local(2023, 1, 23, 23)), AT_RISK) == []  # 8 days after the 23rd
    result = await check(f.local(2023, 1, 24))  # 7 days after the 24th (25 … 31), one meeting
    assert found(result, AT_RISK) == [(TOWN, "2023-01")]
    assert (await alerts(AT_RISK))[f"{AT_RISK}|{TOWN}|2023-01"].severity == "NOTICE"
    await f.meeting(w.township, f.local(2023, 1, 30, 9), status=MeetingStatus.SCHEDULED)  # scheduled: resolves
    assert found(await check(f.local(2023, 1, 26)), AT_RISK) == []
    assert (await alerts(AT_RISK))[f"{AT_RISK}|{TOWN}|2023-01"].status == "RESOLVED"


async def test_the_early_warning_ends_when_the_month_closes_and_the_violation_takes_over(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=w.team)
    await check(f.local(2023, 1, 28))
    assert (await alerts(AT_RISK))[f"{AT_RISK}|{TOWN}|2023-01"].status == "OPEN"
    closed = await check(f.local(2023, 2, 1))
    assert found(closed, "cadence.thematic_monthly") == [(TOWN, "2023-01")]
    assert (await alerts(AT_RISK))[f"{AT_RISK}|{TOWN}|2023-01"].status == "RESOLVED"
    assert found(closed, AT_RISK) == []  # February has 28 days left


async def test_june_checked_on_the_23rd_has_seven_days_left(orm: str) -> None:
    """DESIGN §2's example: June, as-of on the 23rd: 7 days left (24 … 30), whatever the hour."""
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 6, 5, 9), attendees=w.team)
    assert found(await check(f.local(2023, 6, 22, 23, 59), write=False), AT_RISK) == []  # 8 days left
    assert found(await check(f.local(2023, 6, 23, 10), write=False), AT_RISK) == [(TOWN, "2023-06")]
    assert found(await check(f.local(2023, 6, 23, 0), write=False), AT_RISK) == [(TOWN, "2023-06")]


async def test_a_deadline_moved_past_a_holiday_warns_from_its_moved_last_day(orm: str) -> None:
    """The warning reads the deadline as the calendar moved it: 2023-10-01 → Saturday 10-07 (调休 working day)."""
    w = await f.world()
    await f.case(w.village, f.local(2023, 9, 1, 10), level=CaseLevel.TOWNSHIP, number="JF-OCT")  # + 30 → 10-01
    assert found(await check(f.local(2023, 10, 1, 12), write=False), SOON) == []  # 10-07 − 10-01 = 6
    assert found(await check(f.local(2023, 10, 2), write=False), SOON) == [("JF-OCT", None)]
    assert found(await check(f.local(2023, 10, 7, 23, 59), write=False), SOON) == [("JF-OCT", None)]
    assert found(await check(f.local(2023, 10, 8), write=False), "case.overdue") == [("JF-OCT", None)]
