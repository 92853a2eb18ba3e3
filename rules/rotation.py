"""The monthly rotation planner (分片联系): which bureau leader and staff member attend each township's thematic meeting.

A small assignment problem solved with OR-Tools CP-SAT. The answer depends on the data only: one search
worker, a fixed seed and a limit on deterministic work (`max_deterministic_time`), never on wall-clock
time, so the same month gives the same plan on an idle or a loaded machine. The caller runs it in a
worker process (`core.solver_pool`): a solve never holds the event loop.

- each township gets at most one of its SCHEDULED thematic meetings of the month, attended by exactly
  one leader (BUREAU_LEADER or BUREAU_HEAD) and one staff member (BUREAU_STAFF);
- nobody is planned on a day they are unavailable, nor at two meetings in the same half-day;
- no leader gets more than `leader_cap` meetings in the month (catalog parameter
  `supervision.monthly_coverage.leader_cap`, overridable per county);
- objective, in this order: cover as many townships as possible; keep the standing 分片 leader
  (and anyone already planned on the meeting); balance the load (smallest maximum per person).

What cannot be covered is explained per township (no scheduled meeting, nobody free that day, or
the caps and half-day clashes leave nobody). A model the solver cannot settle within its limit
(UNKNOWN, or INFEASIBLE, which the model's all-zero assignment rules out) is answered as a plan
without visits whose gaps say so, never as an error.

The model's size is bounded by what can legitimately exist: DESIGN asks for two thematic meetings a
township-month (一月两次专题会); the caller considers at most `MAX_MEETINGS_PER_TOWNSHIP` SCHEDULED
ones per township-month (the earliest), which leaves room for rescheduled and extra sessions, and
says how many it left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

W_COVER, W_KEEP, W_BALANCE = 10_000, 100, 1
# Deterministic work units (about seconds of one core, but counted, not timed): the capped model of a real
# county (15 townships × 8 meetings × ~15 bureau members) solves to optimality in well under 0.1 of them.
DETERMINISTIC_LIMIT = 2.0
MAX_MEETINGS_PER_TOWNSHIP = 8  # four times the two thematic meetings a month DESIGN asks for


@dataclass(frozen=True, slots=True)
class PlanMeeting:
    id: int
    township: str
    day: date  # local
    half: str  # AM | PM (local)


@dataclass(frozen=True, slots=True)
class PlanInput:
    townships: dict[str, str]  # code → name, every township of the county
    meetings: list[PlanMeeting]  # SCHEDULED thematic meetings of the month
    leaders: list[int]
    staff: list[int]
    unavailable: dict[int, set[date]]
    standing: dict[int, set[int]]  # meeting id → leaders assigned to its township on its day
    planned: dict[int, set[int]] = field(default_factory=dict)  # meeting id → bureau people already attending it
    leader_cap: int = 3


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    township: str
    meeting_id: int
    leader_id: int
    staff_id: int
    keeps_standing: bool


@dataclass(frozen=True, slots=True)
class Gap:
    township: str
    reason: str  # NO_SCHEDULED_MEETING | NO_LEADER_AVAILABLE | NO_STAFF_AVAILABLE | NO_CAPACITY | UNSOLVED
    message: str


@dataclass(frozen=True, slots=True)
class Plan:
    visits: list[PlannedVisit]
    gaps: list[Gap]
    status: str


def _free(person: int, meeting: PlanMeeting, data: PlanInput) -> bool:
    return meeting.day not in data.unavailable.get(person, set())


def _gap(township: str, name: str, meetings: list[PlanMeeting], data: PlanInput) -> Gap:
    """Why a township stays uncovered, from the simplest reason to the combined one."""
    if not meetings:
        return Gap(township, "NO_SCHEDULED_MEETING", f"{name} has no SCHEDULED thematic meeting this month: schedule one")
    days = ", ".join(sorted({m.day.isoformat() for m in meetings}))
    if not any(_free(p, m, data) for m in meetings for p in data.leaders):
        return Gap(township, "NO_LEADER_AVAILABLE", f"no bureau leader is available on {days}")
    if not any(_free(p, m, data) for m in meetings for p in data.staff):
        return Gap(township, "NO_STAFF_AVAILABLE", f"no bureau staff member is available on {days}")
    return Gap(township, "NO_CAPACITY", f"every free leader or staff member on {days} is at the cap of {data.leader_cap} "
               "meetings or at another meeting in the same half-day: move the meeting or raise the cap")


def _unsolved(data: PlanInput, by_township: dict[str, list[PlanMeeting]], status: str) -> Plan:
    """No solution within the work limit: every township gets a gap, with its own reason where it has one."""
    gaps = []
    for code, name in sorted(data.townships.items()):
        gap = _gap(code, name, by_township.get(code, []), data)
        if gap.reason == "NO_CAPACITY":
            gap = Gap(code, "UNSOLVED", f"the planner found no plan within its work limit ({status}): "
                                        "schedule fewer meetings this month or ask again after changing them")
        gaps.append(gap)
    return Plan([], gaps, status)


def plan_rotation(data: PlanInput) -> Plan:
    """The best assignment of the month's scheduled thematic meetings (see the module docstring).

    Picklable in and out: `core.solver_pool` calls it in a worker process."""
    model = cp_model.CpModel()
    by_township: dict[str, list[PlanMeeting]] = defaultdict(list)
    for meeting in sorted(data.meetings, key=lambda m: (m.day, m.half, m.id)):
        by_township[meeting.township].append(meeting)
    lead: dict[tuple[int, int], cp_model.IntVar] = {}
    aide: dict[tuple[int, int], cp_model.IntVar] = {}
    chosen: dict[int, cp_model.IntVar] = {}
    slots: dict[tuple[int, date, str], list[cp_model.IntVar]] = defaultdict(list)
    load: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for meeting in data.meetings:
        chosen[meeting.id] = model.new_bool_var(f"m{meeting.id}")
        for people, table, prefix in ((data.leaders, lead, "l"), (data.staff, aide, "s")):
            free = [p for p in people if _free(p, meeting, data)]
            variables = [model.new_bool_var(f"{prefix}{meeting.id}_{p}") for p in free]
            for person, var in zip(free, variables, strict=True):
                table[(meeting.id, person)] = var
                slots[(person, meeting.day, meeting.half)].append(var)  # the meeting is at hand: no lookup by id
                load[person].append(var)
            model.add(sum(variables) == chosen[meeting.id])
    for meetings in by_township.values():
        model.add(sum(chosen[m.id] for m in meetings) <= 1)
    for variables in slots.values():
        model.add(sum(variables) <= 1)
    for person in data.leaders:
        model.add(sum(load[person]) <= data.leader_cap)
    most_led = model.new_int_var(0, len(data.meetings), "most_led")
    most_aided = model.new_int_var(0, len(data.meetings), "most_aided")
    for person in data.leaders:
        model.add(sum(load[person]) <= most_led)
    for person in data.staff:
        model.add(sum(load[person]) <= most_aided)
    kept = [var for (meeting_id, person), var in {**lead, **aide}.items()
            if person in data.standing.get(meeting_id, set()) | data.planned.get(meeting_id, set())]
    model.maximize(W_COVER * sum(chosen.values()) + W_KEEP * sum(kept) - W_BALANCE * (most_led + most_aided))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = DETERMINISTIC_LIMIT
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _unsolved(data, by_township, solver.status_name(status))
    visits: list[PlannedVisit] = []
    gaps: list[Gap] = []
    for code, name in sorted(data.townships.items()):
        picked = [m for m in by_township.get(code, []) if solver.value(chosen[m.id])]
        if not picked:
            gaps.append(_gap(code, name, by_township.get(code, []), data))
            continue
        meeting = picked[0]
        leader = next(p for p in data.leaders if (meeting.id, p) in lead and solver.value(lead[(meeting.id, p)]))
        staff = next(p for p in data.staff if (meeting.id, p) in aide and solver.value(aide[(meeting.id, p)]))
        visits.append(PlannedVisit(code, meeting.id, leader, staff, leader in data.standing.get(meeting.id, set())))
    return Plan(visits, gaps, solver.status_name(status))
