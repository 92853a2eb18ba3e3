"""Case deadlines follow the national working calendar (Civil Code art. 203), from the `chinesecalendar` package.

A last day on a statutory rest day (weekend or public holiday as the State Council arranged it)
moves to the next working day; a make-up working day (调休) is a working day. A county may choose
`plain` days or add and remove days; a year the package does not cover falls back to weekends and
the run and `/healthz` say so. Each story is told through a real run on both databases.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core import clock
from models.enums import CaseEventType, CaseKind, CaseLevel
from rules.config import RulesConfig, RulesConfigError, parse_rules_config
from rules.deadlines import due_at
from rules.workdays import NATIONAL_CALENDAR, NATIONAL_LAST_YEAR, PLAIN_CALENDAR, WorkCalendar
from tests.app_with import client_with, settings_for
from tests.rules import factories as f
from tests.rules.helpers import check, found

OVERDUE, ACCEPTANCE = "case.overdue", "case.acceptance_overdue"
SECOND = timedelta(seconds=1)


def county(calendar: dict[str, object]) -> RulesConfig:
    """A rules file whose 罗甸县 section sets the calendar."""
    return parse_rules_config({"counties": {"522728": {"calendar": calendar}}})


async def test_a_petition_due_on_a_sunday_is_due_on_monday(orm: str) -> None:
    w = await f.world()
    await f.case(w.village, f.local(2023, 3, 4, 10), kind=CaseKind.PETITION, number="XF-SUN")  # + 15 → Sun 03-19
    monday = await check(f.local(2023, 3, 20, 0, 0, 1))
    assert found(monday, ACCEPTANCE) == []  # the Sunday moved to Monday 03-20
    late = await check(f.local(2023, 3, 21, 0, 0, 1))
    assert found(late, ACCEPTANCE) == [("XF-SUN", None)]
    finding = next(x for x in late.findings if x["ruleId"] == ACCEPTANCE)
    assert "2023-03-20 24:00" in finding["message"]


async def test_a_petition_due_on_national_day_2023_is_due_on_the_make_up_saturday(orm: str) -> None:
    """2023: rest days 09-29 … 10-06; Saturday 10-07 and Sunday 10-08 were make-up working days."""
    w = await f.world()
    petition = await f.case(w.village, f.local(2023, 7, 31, 10), kind=CaseKind.PETITION, number="XF-NAT")
    await f.add_event(petition, CaseEventType.ACCEPTED, f.local(2023, 8, 2, 10))  # + 60 days → 10-01
    assert found(await check(f.local(2023, 10, 2, 0, 0, 1), write=False), OVERDUE) == []
    assert found(await check(f.local(2023, 10, 7, 23, 59, 59), write=False), OVERDUE) == []
    assert found(await check(f.local(2023, 10, 8, 0, 0, 1), write=False), OVERDUE) == [("XF-NAT", None)]


async def test_a_deadline_before_a_make_up_working_day_moves_onto_it(orm: str) -> None:
    """Saturday 2023-06-24 closed the Dragon Boat holiday; Sunday 06-25 was a working day (调休)."""
    w = await f.world()
    await f.case(w.village, f.local(2023, 5, 25, 10), level=CaseLevel.TOWNSHIP, number="JF-DB")  # + 30 → 06-24
    assert found(await check(f.local(2023, 6, 25, 0, 0, 1), write=False), OVERDUE) == []
    assert found(await check(f.local(2023, 6, 26, 0, 0, 1), write=False), OVERDUE) == [("JF-DB", None)]


async def test_a_plain_calendar_counts_calendar_days_only(orm: str) -> None:
    w = await f.world()
    await f.case(w.village, f.local(2023, 3, 4, 10), kind=CaseKind.PETITION, number="XF-PLAIN")  # Sun 03-19
    rules = county({"kind": "plain"})
    result = await check(f.local(2023, 3, 20, 0, 0, 1), rules=rules, write=False)
    assert found(result, ACCEPTANCE) == [("XF-PLAIN", None)]
    assert result.parameters["calendar"]["kind"] == "plain"


async def test_a_county_adds_and_removes_days(orm: str) -> None:
    w = await f.world()
    await f.case(w.village, f.local(2023, 3, 4, 10), kind=CaseKind.PETITION, number="XF-LOCAL")  # Sun 03-19
    added = county({"add": ["2023-03-20"]})  # a county rest day after the Sunday: Tuesday 03-21
    assert found(await check(f.local(2023, 3, 21, 0, 0, 1), rules=added, write=False), ACCEPTANCE) == []
    assert found(await check(f.local(2023, 3, 22, 0, 0, 1), rules=added, write=False), ACCEPTANCE) == [("XF-LOCAL", None)]
    removed = county({"remove": ["2023-03-19"]})  # that Sunday worked: the deadline stays on it
    result = await check(f.local(2023, 3, 20, 0, 0, 1), rules=removed, write=False)
    assert found(result, ACCEPTANCE) == [("XF-LOCAL", None)]
    assert result.parameters["calendar"] == {
        "kind": "national", "add": [], "remove": ["2023-03-19"], "source": result.parameters["calendar"]["source"],
        "covers": [2004, NATIONAL_LAST_YEAR],
    }


async def test_a_year_the_package_does_not_cover_falls_back_to_weekends_and_the_run_says_so(orm: str) -> None:
    year = NATIONAL_LAST_YEAR + 1
    assert NATIONAL_CALENDAR.falls_back(date(year, 10, 1))
    w = await f.world()
    first_saturday = next(date(year, 10, d) for d in range(1, 8) if date(year, 10, d).weekday() == 5)
    reported = first_saturday - timedelta(days=30)
    await f.case(w.village, f.local(reported.year, reported.month, reported.day, 10), level=CaseLevel.TOWNSHIP, number="JF-FB")
    monday = first_saturday + timedelta(days=2)
    on_monday = await check(f.local(monday.year, monday.month, monday.day, 0, 0, 1), write=False)
    assert found(on_monday, OVERDUE) == []  # Saturday → Monday (weekends only: National Day unknown)
    assert on_monday.parameters["calendar"]["fallbackYears"] == [year]
    assert str(year) in on_monday.parameters["calendar"]["note"]
    after = monday + timedelta(days=1)
    assert found(await check(f.local(after.year, after.month, after.day, 0, 0, 1), write=False), OVERDUE) == [("JF-FB", None)]
    covered = await check(f.local(2023, 3, 1), write=False)
    assert "fallbackYears" not in covered.parameters["calendar"]


async def test_healthz_says_which_years_fall_back_to_weekends(orm: str) -> None:
    async with client_with(settings_for(orm)) as http:
        with clock.frozen(f.local(2025, 3, 1, 12)):
            covered = (await http.get("/healthz")).json()
        with clock.frozen(f.local(NATIONAL_LAST_YEAR, 12, 7, 12)):
            fallback = (await http.get("/healthz")).json()
    assert covered["calendar"]["state"] == "covered" and covered["calendar"]["kind"] == "national"
    assert covered["calendar"]["covers"] == [2004, NATIONAL_LAST_YEAR]
    assert fallback["calendar"]["state"] == "fallback"
    assert fallback["calendar"]["fallbackYears"] == [NATIONAL_LAST_YEAR + 1]
    assert fallback["status"] == covered["status"]  # informational: the probe's verdict does not change


def test_the_calendar_moves_only_past_rest_days() -> None:
    tz = f.local(2023, 1, 1).tzinfo
    start = f.local(2023, 9, 7, 10)  # + 30 → Saturday 10-07, a make-up working day: it stays
    assert due_at(start, 30, tz, calendar=NATIONAL_CALENDAR) == f.local(2023, 10, 8)
    assert due_at(f.local(2023, 9, 1, 10), 30, tz, calendar=NATIONAL_CALENDAR) == f.local(2023, 10, 8)  # 10-01 → 10-07
    assert due_at(f.local(2023, 9, 1, 10), 30, tz, calendar=PLAIN_CALENDAR) == f.local(2023, 10, 2)
    assert due_at(f.local(2023, 9, 1, 10), 30, tz) == f.local(2023, 10, 2)  # Lianxi's own counts: calendar days
    weekends_only = WorkCalendar(add=frozenset({date(2023, 10, 9)}))
    assert weekends_only.working_day_from(date(2023, 10, 8)) == date(2023, 10, 8)  # make-up Sunday
    assert weekends_only.working_day_from(date(2023, 10, 6)) == date(2023, 10, 7)


def test_the_rules_file_reads_the_calendar_and_keeps_the_older_holidays_key() -> None:
    config = parse_rules_config({
        "calendar": {"remove": ["2023-10-02"]},
        "counties": {"522728": {"holidays": ["2023-10-09"]}, "520000": {"calendar": {"kind": "plain"}}},
    })
    luodian, plain, other = config.for_county("522728"), config.for_county("520000"), config.for_county("520100")
    assert luodian.calendar == WorkCalendar(add=frozenset({date(2023, 10, 9)}), remove=frozenset({date(2023, 10, 2)}))
    assert plain.calendar.kind == "plain" and plain.calendar.remove == {date(2023, 10, 2)}
    assert other.calendar == WorkCalendar(remove=frozenset({date(2023, 10, 2)}))
    assert RulesConfig().for_county("522728").calendar == NATIONAL_CALENDAR


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"calendar": {"kind": "lunar"}}, "calendar.kind must be one of national, plain"),
        ({"calendar": {"days": []}}, "calendar.days: unknown key"),
        ({"counties": {"522728": {"calendar": {"add": ["2023-13-01"]}}}}, "counties.522728.calendar.add[0] is not a date"),
        ({"calendar": {"add": ["2023-10-09"], "remove": ["2023-10-09"]}}, "2023-10-09 is both in add and in remove"),
        ({"holidays": ["2023-10-09"], "calendar": {"add": []}}, "holidays: the older name of calendar.add"),
    ],
)
def test_a_bad_calendar_names_its_key(document: dict, message: str) -> None:
    with pytest.raises(RulesConfigError) as info:
        parse_rules_config(document)
    assert message in str(info.value)
