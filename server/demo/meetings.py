"""Joint meetings of 2023: 222 HELD thematic and 25 HELD plenary, numbered, with bureau attendance."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from server.demo import plan
from server.demo.clock import OFFICE_SLOTS, at, iso, parse, working_days
from server.demo.names import chinese_numeral


@dataclass
class Meeting:
    township: str
    kind: str  # THEMATIC / PLENARY
    when: datetime
    status: str = "HELD"
    number: int = 0
    attendees: list[str] = field(default_factory=list)
    cases: list[Any] = field(default_factory=list)  # DemoCase objects (numbers are given late)
    supervised: bool = False

    @property
    def id(self) -> str:
        """The lianxi/v1 id, e.g. M522728109-T025."""
        return f"M{self.township}-{self.kind[0]}{self.number:03d}"

    def to_json(self) -> dict[str, Any]:
        """The lianxi/v1 meeting entry."""
        township = plan.TOWNSHIP_BY_CODE[self.township]
        label = "专题会" if self.kind == "THEMATIC" else "全体会"
        title = f"{township.name}信访工作联席会议第{chinese_numeral(self.number)}次{label}"
        if self.status == "CANCELLED":
            title += "（取消）"
        return {
            "id": self.id, "township": self.township, "kind": self.kind, "status": self.status,
            "number": self.number, "heldAt": iso(self.when), "title": title,
            "attendees": list(self.attendees), "cases": [case.number for case in self.cases],
        }


def _day_in(rng: random.Random, month: int, first: int, last: int | None, taken: set[date]) -> date:
    """A free working day of a 2023 month between two days."""
    choices = [d for d in working_days(plan.YEAR, month, first, last) if d not in taken]
    return rng.choice(choices)


def _thematic(rng: random.Random, township: plan.TownshipPlan, taken: set[date]) -> list[Meeting]:
    """The HELD thematic meetings of one township in 2023 (two a month unless the plan says less)."""
    meetings = []
    for month, count in enumerate(township.thematic, start=1):
        halves = [(1, 14), (15, None)] if count == 2 else [(1, None)] * count
        for first, last in halves:
            edge = plan.EDGE_MEETINGS.get((township.code, "THEMATIC", month))
            forced = plan.ROTATION_MONTH_DAY.get((township.code, month))
            if edge and first <= parse(edge).day <= (last or 31):
                when = parse(edge)
            elif forced and first <= forced <= (last or 31):
                when = at(date(plan.YEAR, month, forced), rng.choice(OFFICE_SLOTS))
            else:
                when = at(_day_in(rng, month, first, last, taken), rng.choice(OFFICE_SLOTS))
            taken.add(when.date())
            meetings.append(Meeting(township.code, "THEMATIC", when))
    return meetings


def _plenary(rng: random.Random, township: plan.TownshipPlan, taken: set[date]) -> list[Meeting]:
    """The HELD plenary meetings of one township in 2023 (quarters from the plan)."""
    meetings = []
    for quarter in township.plenary_quarters:
        edge = plan.EDGE_MEETINGS.get((township.code, "PLENARY", quarter * 3 - 2))
        if edge:
            when = parse(edge)
        else:
            month = plan.PLENARY_MONTH.get((township.code, quarter)) or rng.randint(quarter * 3 - 2, quarter * 3)
            when = at(_day_in(rng, month, 5, 28, taken), rng.choice(OFFICE_SLOTS[::3]))
        taken.add(when.date())
        meetings.append(Meeting(township.code, "PLENARY", when))
    return meetings


def assigned_leader(township: str, day: date) -> str:
    """The bureau leader assigned to a township on a day (the plan has exactly one)."""
    for leader, code, start, end in plan.SUPERVISION:
        if code == township and date.fromisoformat(start) <= day and (end is None or day <= date.fromisoformat(end)):
            return leader
    raise LookupError(f"no leader assigned to {township} on {day}")


def staff_for(leader: str, day: date) -> str:
    """The business staff member who goes with a leader on a day."""
    staff = plan.STAFF_OF_LEADER[leader]
    old, new, since = plan.STAFF_REPLACED
    return new if staff == old and day >= since else staff


def _supervise(rng: random.Random, township: str, month: int, meetings: list[Meeting], plenaries: list[Meeting]) -> None:
    """Put the month's county team on one thematic meeting (or not, where the plan says so)."""
    if not meetings:
        return
    forced = plan.ROTATION_MONTH_DAY.get((township, month))
    regular = [m for m in meetings if m.when.hour < 18] or meetings
    chosen = next((m for m in meetings if m.when.day == forced), None) if forced else rng.choice(regular)
    assert chosen is not None
    day = chosen.when.date()
    leader = assigned_leader(township, day)
    kind, other = plan.SUPERVISION_EXCEPTIONS.get((township, month), ("", None))
    team = [leader, staff_for(leader, day)]
    if kind == "leader":
        assert other is not None
        team = [other, staff_for(other, day)]
    elif kind == "no_staff":
        team = [leader]
    elif kind == "no_leader":
        team = [staff_for(leader, day)]
    elif kind == "with_head":
        team = [plan.BUREAU_HEAD[0], leader, staff_for(leader, day)]
    elif kind == "nobody":
        team = []
        for plenary in plenaries:  # the team came to the plenary instead, which does not count
            if plenary.when.month == month:
                plenary.attendees.extend([leader, staff_for(leader, plenary.when.date())])
    chosen.attendees.extend(team)
    chosen.supervised = bool(team)


def _extras(township: str, conveners: list[str]) -> list[Meeting]:
    """Meetings that must not count: a cancelled one, a stale SCHEDULED one, next year's."""
    extras: list[Meeting] = []
    if township == "522728111":  # 罗悃镇: August's session was cancelled (the team had come)
        extras.append(Meeting(township, "THEMATIC", parse("2023-08-10T09:30:00+08:00"), "CANCELLED",
                              attendees=[*conveners, "P00003", "P00007"]))
    if township == "522728114":  # 木引镇: planned for 12-27, never recorded as held
        extras.append(Meeting(township, "THEMATIC", parse("2023-12-27T09:30:00+08:00"), "SCHEDULED",
                              attendees=list(conveners)))
    if township in ("522728109", "522728001"):  # already planned for January 2024
        extras.append(Meeting(township, "THEMATIC", parse("2024-01-09T09:30:00+08:00"), "SCHEDULED",
                              attendees=list(conveners)))
    return extras


def build_meetings(rng: random.Random, townships: list[dict[str, Any]]) -> list[Meeting]:
    """Every meeting of the demo, numbered per township and kind in time order."""
    conveners = {t["code"]: [t["jointMeeting"]["chiefConvener"], t["jointMeeting"]["convener"]] for t in townships}
    everything: list[Meeting] = []
    for township in plan.TOWNSHIPS:
        taken: set[date] = set()
        thematic = _thematic(rng, township, taken)
        plenary = _plenary(rng, township, taken)
        for meeting in thematic:
            present = [p for p in conveners[township.code] if rng.random() < 0.92]
            meeting.attendees.extend(present or conveners[township.code][:1])
        for meeting in plenary:
            meeting.attendees.extend(conveners[township.code])
        for month in range(1, 13):
            _supervise(rng, township.code, month, [m for m in thematic if m.when.month == month], plenary)
        extras = _extras(township.code, conveners[township.code])
        for kind, offset in (("THEMATIC", township.thematic_before), ("PLENARY", township.plenary_before)):
            ordered = sorted((m for m in thematic + plenary + extras if m.kind == kind), key=lambda m: m.when)
            for n, meeting in enumerate(ordered, start=offset + 1):
                meeting.number = n
        everything.extend(thematic + plenary + extras)
    everything.sort(key=lambda m: (m.when, m.township, m.kind))
    return everything
