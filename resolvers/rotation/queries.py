"""`rotationPlan(countyCode, month)`: the proposed month of supervision visits; `unavailability`: who is away when (reads only)."""

from __future__ import annotations

from datetime import date

from core.errors import BadInput, WriteRefused
from core.rotation import MonthPlan, month_plan
from core.unavailability import list_unavailability
from core.writes import Problems
from resolvers.context import Context
from resolvers.rotation.mutations.mark_unavailable import Marked


async def rotation_plan(context: Context, *, county_code: str, month: str) -> MonthPlan:
    """The plan; a query reports bad arguments as a GraphQL error (BadInput), not as userErrors."""
    try:
        return await month_plan(rules=context.settings.rules, county_code=county_code, month=month, problems=Problems())
    except WriteRefused as error:
        field, _, message = error.problems[0]
        raise BadInput(field[-1], message) from None


async def unavailability(context: Context, *, county_code: str, first_day: date, last_day: date) -> list[Marked]:
    """The county's marks overlapping the days (the root rule keeps the county within the token's jurisdiction)."""
    try:
        rows = await list_unavailability(county_code=county_code, first_day=first_day, last_day=last_day, problems=Problems())
    except WriteRefused as error:
        field, _, message = error.problems[0]
        raise BadInput(field[-1], message) from None
    return [Marked(row, row.person) for row in rows]
