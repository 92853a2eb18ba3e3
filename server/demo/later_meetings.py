"""Joint meetings from 2024-01-01 to the build day: two thematic a month, one plenary a quarter, supervised.

Each (township, month) draws from its own random stream, so a month looks the same whatever the
build day; meetings after the build instant are SCHEDULED (the open month's rest and the next month).
"""

from __future__ import annotations

import calendar
import random
from datetime import date, datetime

from server.demo import plan, plan_later
from server.demo.clock import OFFICE_SLOTS, at, working_days
from server.demo.meetings import Meeting


def months_until(today: date) -> list[tuple[int, int]]:
    """(year, month) from January 2024 to the month after the build day's: the townships have already put next
    month's sessions in the calendar (SCHEDULED), so the bureau can plan its rotation (`rotationPlan`)."""
    out, year, month = [], 2024, 1
    following = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    while (year, month) <= following:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _free_days(year: int, month: int, first: int, last: int | None, taken: set[date]) -> list[date]:
    """Working days of a month between two days that are no holiday and not taken yet."""
    return [d for d in working_days(year, month, first, last) if d not in taken]


def _month(rng: random.Random, township: str, year: int, month: int, reuse: Meeting | None) -> list[Meeting]:
    """The month's planned thematic meetings (and the plenary when this is the quarter's chosen month)."""
    taken: set[date] = set()
    planned = 1 if (township, year, month) in plan_later.ONE_THEMATIC else 2
    halves = [(1, 14), (15, None)]
    meetings = []
    for first, last in halves:
        when = at(rng.choice(_free_days(year, month, first, last, taken)), rng.choice(OFFICE_SLOTS))
        if reuse is not None and first == 1:  # the session already planned in 2023 for this January
            when = reuse.when
        taken.add(when.date())
        meetings.append(reuse if reuse is not None and first == 1 else Meeting(township, "THEMATIC", when))
    if planned == 1:
        dropped = meetings.pop()
        if plan_later.ONE_THEMATIC[(township, year, month)] == "cancelled":
            dropped.status = "CANCELLED"
            meetings.append(dropped)
    quarter = (month - 1) // 3 + 1
    plenary_month = random.Random(f"luodian-plenary-{township}-{year}-Q{quarter}").randint(quarter * 3 - 2, quarter * 3)
    if month == plenary_month and (township, year, quarter) not in plan_later.NO_PLENARY:
        last_day = min(28, calendar.monthrange(year, month)[1])
        when = at(rng.choice(_free_days(year, month, 5, last_day, taken)), rng.choice(OFFICE_SLOTS[::3]))
        meetings.append(Meeting(township, "PLENARY", when))
    return meetings


def _supervise(rng: random.Random, township: str, year: int, month: int, meetings: list[Meeting],
               rows: list[tuple[str, str, str, str | None]], newcomer: str | None) -> None:
    """Put the assigned leader and their staff member on one thematic meeting of the month."""
    # number 0: not the 2023 plan's January 2024 session, which keeps the attendees planned in 2023
    thematic = [m for m in meetings if m.kind == "THEMATIC" and m.status != "CANCELLED" and m.number == 0]
    if not thematic:
        return
    chosen = rng.choice(thematic)
    day = chosen.when.date()
    leader = plan_later.leader_on(rows, township, day)
    kind, other = plan_later.SUPERVISION_EXCEPTIONS.get((township, year, month), ("", None))
    if kind == "leader" and other is not None:
        leader = other
    team = [leader] if kind == "no_staff" else [leader, plan_later.staff_on(leader, day, newcomer)]
    chosen.attendees.extend(team)
    chosen.supervised = True


def build_later_meetings(*, earlier: list[Meeting], conveners: dict[str, list[str]], today: date, instant: datetime,
                         rows: list[tuple[str, str, str, str | None]], newcomer: str | None) -> list[Meeting]:
    """Every meeting from 2024-01 to the build month, numbered after the 2023 ones; the 2023 plan's January
    2024 sessions are held (or stay scheduled) as the first session of that month."""
    later: list[Meeting] = []
    for township in plan.TOWNSHIPS:
        code = township.code
        mine = [m for m in earlier if m.township == code]
        planned = [m for m in mine if m.status == "SCHEDULED" and m.when.year == 2024]
        for year, month in months_until(today):
            rng = random.Random(f"luodian-meetings-{code}-{year}-{month:02d}")
            reuse = next((m for m in planned if (m.when.year, m.when.month) == (year, month)), None)
            meetings = _month(rng, code, year, month, reuse)
            for meeting in meetings:
                if meeting is reuse:
                    continue
                present = [p for p in conveners[code] if rng.random() < 0.92] if meeting.kind == "THEMATIC" else []
                meeting.attendees.extend(present or conveners[code])
            _supervise(rng, code, year, month, meetings, rows, newcomer)
            later.extend(m for m in meetings if m is not reuse)
        for kind in ("THEMATIC", "PLENARY"):
            number = max((m.number for m in mine if m.kind == kind), default=0)
            for meeting in sorted((m for m in later if m.township == code and m.kind == kind), key=lambda m: m.when):
                number += 1
                meeting.number = number
        for meeting in mine + [m for m in later if m.township == code]:
            if meeting.when >= instant and meeting.status in ("HELD", "CANCELLED"):  # not happened yet
                meeting.status = "SCHEDULED"
                meeting.attendees[:] = [p for p in meeting.attendees if p in conveners[code]] or conveners[code]
            elif meeting in planned and meeting.when < instant:
                meeting.status = "HELD"
    return later
