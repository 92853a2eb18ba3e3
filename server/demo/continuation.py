"""Continue the 2023 demo up to its build day: rotation, staff, meetings, cases and visits after 2023."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from server.demo import plan_later
from server.demo.cases import Context
from server.demo.clock import CST, iso
from server.demo.later_cases import build_later_cases, cut, settle_open
from server.demo.later_meetings import build_later_meetings, months_until
from server.demo.names import Faker
from server.demo.units import villages_by_township

if TYPE_CHECKING:
    from server.demo.generate import Built

SUPERVISED_FROM = "2023-01-01"  # the day from which the demo's records are complete


def build_instant(today: date) -> datetime:
    """00:00 local of the build day: every deadline and period ends at a local midnight, so a check at any
    time of that day sees what a check at this instant sees."""
    return datetime.combine(today, time.min, tzinfo=CST)


def _staff_change(built: Built, today: date) -> str | None:
    """The newcomer's person id once the staff change has happened (the leaver's bureau entry then ends)."""
    leaving, last_day, name, phone, first_day = plan_later.STAFF_CHANGE
    if today < first_day:
        return None
    person = f"P{len(built.people.rows) + 1:05d}"
    built.people.rows.append({"id": person, "name": name, "phone": phone})
    for entry in built.bureau:
        if entry["person"] == leaving:
            entry["to"] = last_day.isoformat()
    built.bureau.append({"person": person, "role": "BUREAU_STAFF", "from": first_day.isoformat()})
    return person


def continue_until(built: Built, today: date) -> None:
    """Extend a built 2023 dataset in place with everything from 2024-01-01 to 00:00 of `today`."""
    instant = build_instant(today)
    built.supervised_from = SUPERVISED_FROM
    newcomer = _staff_change(built, today)
    built.supervision = plan_later.rotation_rows(today)
    conveners = {t["code"]: [t["jointMeeting"]["chiefConvener"], t["jointMeeting"]["convener"]] for t in built.townships}
    later = build_later_meetings(earlier=built.meetings, conveners=conveners, today=today, instant=instant,
                                 rows=built.supervision, newcomer=newcomer)
    built.meetings += later
    villages = villages_by_township(built.townships)
    rng = random.Random("luodian-settle-2024")
    settle_open(Context(rng, Faker(rng), villages, {}), built.cases)
    cases, visits = build_later_cases(villages=villages, meetings=built.meetings, months=months_until(today), instant=instant)
    built.cases, kept = cut(built.cases + cases, built.visits + visits, instant)
    built.visits = [{**v, "at": v["at"] if isinstance(v["at"], str) else iso(v["at"])} for v in kept]
