"""The planner itself (CP-SAT): caps, half-day clashes, standing assignments, and the reason a township is left out."""

from __future__ import annotations

from datetime import date

import pytest

from rules import rotation
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


def test_a_model_not_settled_within_the_work_limit_is_a_plan_of_gaps_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rotation, "DETERMINISTIC_LIMIT", 0.0)  # no work allowed: the solver answers UNKNOWN
    towns = {f"T{i}": f"镇{i}" for i in range(15)}
    meetings = [PlanMeeting(i, f"T{i % 14}", date(2024, 1, 1 + i % 28), "AM" if i % 2 else "PM") for i in range(112)]

    plan = plan_rotation(PlanInput(townships=towns, meetings=meetings, leaders=list(range(100, 105)), staff=list(range(200, 210)),
                                   unavailable={}, standing={}))

    assert (plan.status, plan.visits) == ("UNKNOWN", [])
    assert {g.reason for g in plan.gaps if g.township != "T14"} == {"UNSOLVED"}
    assert [g.reason for g in plan.gaps if g.township == "T14"] == ["NO_SCHEDULED_MEETING"]


def test_the_same_data_gives_the_same_plan_whatever_the_load() -> None:
    towns = {f"T{i}": f"镇{i}" for i in range(15)}
    meetings = [PlanMeeting(i, f"T{i % 15}", date(2024, 1, 1 + i % 28), "AM" if i % 3 else "PM") for i in range(120)]
    data = PlanInput(townships=towns, meetings=meetings, leaders=list(range(100, 105)), staff=list(range(200, 210)),
                     unavailable={100: {date(2024, 1, 2)}}, standing={i: {100 + i % 5} for i in range(120)}, leader_cap=3)

    assert plan_rotation(data) == plan_rotation(data)  # one worker, a deterministic limit: no wall clock in the answer
