"""Helpers for write tests: the months around now in county time, and the mutations as a frontend sends them.

"Now" is the clock's (core/clock.py), as the server reads it: a module using these marks itself
`pytestmark = pytest.mark.fixed_clock` and its dates no longer depend on the day the suite runs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from core import clock
from core.global_ids import to_global_id
from tests.api.graphql import query

SHANGHAI = ZoneInfo("Asia/Shanghai")

ALERT_CHANGES = "alertChanges { kind alert { ruleId period status subjectCode } }"
USER_ERRORS = "userErrors { field code message }"
RECORD_MEETING = f"""mutation($input: RecordMeetingInput!) {{ recordMeeting(input: $input) {{
  meeting {{ id extId number kind status heldAt title township {{ code }} attendees {{ name }} cases {{ number }} }}
  {ALERT_CHANGES} {USER_ERRORS} }} }}"""
REPORT_CASE = f"""mutation($input: ReportCaseInput!) {{ reportCase(input: $input) {{
  case {{ id number status level kind parties {{ name phone idNumber }} }} {ALERT_CHANGES} {USER_ERRORS} }} }}"""
ADD_CASE_EVENT = f"""mutation($input: AddCaseEventInput!) {{ addCaseEvent(input: $input) {{
  case {{ number status level events {{ seq type at toLevel days outcome }} }} {ALERT_CHANGES} {USER_ERRORS} }} }}"""


def month_start(months_ago: int) -> date:
    """The first local day of the month `months_ago` before this one (county time)."""
    today = clock.local_today(SHANGHAI)
    index = today.year * 12 + today.month - 1 - months_ago
    return date(index // 12, index % 12 + 1, 1)


def label(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def at(day: date, hour: int = 9) -> str:
    """A local instant on that day, as a frontend sends it (with its offset)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI).isoformat()


def recently(hours: int = 1) -> str:
    """An instant `hours` before now, as a frontend sends it (local offset). Not "this month's first day at 09:00":
    in the first hours of a month (county time) that is still in the future, and a report there is refused."""
    return (clock.now().astimezone(SHANGHAI) - timedelta(hours=hours)).isoformat()


def gid(type_name: str, pk: int) -> str:
    return str(to_global_id(type_name, pk))


async def mutate(client: httpx.AsyncClient, document: str, **variables: Any) -> dict[str, Any]:
    """The payload of the (single) mutation in `document`."""
    data = await query(client, document, **variables)
    return next(iter(data.values()))


def changes(payload: dict[str, Any], rule_id: str) -> set[tuple[str, str | None]]:
    """(kind, period) of the payload's alert changes for one rule."""
    return {(c["kind"], c["alert"]["period"]) for c in payload["alertChanges"] if c["alert"]["ruleId"] == rule_id}
