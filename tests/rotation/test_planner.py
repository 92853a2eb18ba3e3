"""The planner itself (CP-SAT): caps, half-day clashes, standing assignments, and the reason a township is left out."""

from __future__ import annotations

from datetime import date

from rules.rotation import PlanInput, PlanMeeting, plan_rotation

DAY = date(2024, 1, 10)
TOWNS = {"T1": "一镇", "T2": "二镇", "T3": "三镇"}


def test_the_cap_and_half_day_clashes_leave_a_township_out_with_the_reason() -> None:
    meetings = [PlanMeeting(1, "T1", DAY, "AM"), PlanMeeting(2, "T2", DAY, "AM"), PlanMeeting(3, "T3", date(2024, 1, 11), "PM")]
    plan = plan_rotation(PlanInput(townships=TOWNS, meetings=meetings, leaders=[10], staff=[20, 21], unavailable={},
                                   standing={1: {10}}, leader_cap=1))
    assert [(v.township, v.leader_id, v.keeps_standing) for v in plan.visits] == [("T1", 10, True)]
    assert [(g.township, g.reason) for g in plan.gaps] == [("T2", "NO_CAPACITY"), ("T3", "NO_CAPACITY")]


def test_standing_leaders_are_kept_and_load_is_balanced() -> None:
    meetings = [PlanMeeting(i, f"T{i}", date(2024, 1, 10 + i), "AM") for i in (1, 2, 3)]
    plan = plan_rotation(PlanInput(townships=TOWNS, meetings=meetings, leaders=[10, 11], staff=[20, 21, 22], unavailable={22: {date(2024, 1, 11)}},
                                   standing={1: {11}, 2: {11}, 3: {10}}, leader_cap=3))
    assert [(v.township, v.leader_id) for v in plan.visits] == [("T1", 11), ("T2", 11), ("T3", 10)]
    assert max([v.staff_id for v in plan.visits].count(s) for s in (20, 21, 22)) == 1  # three staff, three meetings
    assert all(v.staff_id != 22 for v in plan.visits if v.township == "T1")


def test_nobody_free_is_named_before_capacity() -> None:
    plan = plan_rotation(PlanInput(townships={"T1": "一镇"}, meetings=[PlanMeeting(1, "T1", DAY, "AM")], leaders=[10], staff=[20],
                                   unavailable={10: {DAY}}, standing={}))
    assert [(g.reason, g.message) for g in plan.gaps] == [("NO_LEADER_AVAILABLE", "no bureau leader is available on 2024-01-10")]
