"""Early warnings (黄牌, NOTICE): a case deadline coming up, and an open month short of thematic meetings."""

from __future__ import annotations

from models.enums import CaseEventType, CaseKind, CaseLevel, MeetingStatus
from tests.rules import factories as f
from tests.rules.helpers import alerts, check, found

TOWN = "522728109"
SOON, AT_RISK = "case.due_soon", "cadence.thematic_at_risk"


async def test_a_dispute_is_flagged_five_days_before_its_deadline_and_the_violation_takes_over(orm: str) -> None:
    w = await f.world()
    await f.case(w.village, f.local(2023, 5, 2, 10), level=CaseLevel.TOWNSHIP, number="JF-S")  # due 06-02 00:00
    assert found(await check(f.local(2023, 5, 27, 23, 59)), SOON) == []
    raised = await check(f.local(2023, 5, 28))
    assert found(raised, SOON) == [("JF-S", None)]
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
    assert found(await check(f.local(2023, 1, 24, 23)), AT_RISK) == []  # 8 days left
    result = await check(f.local(2023, 1, 25))  # 7 days left, one meeting
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
