"""`rotationPlan(countyCode, month)`: the proposed month of supervision visits (reads only)."""

from __future__ import annotations

from core.errors import BadInput, WriteRefused
from core.rotation import MonthPlan, month_plan
from core.writes import Problems
from resolvers.context import Context


async def rotation_plan(context: Context, *, county_code: str, month: str) -> MonthPlan:
    """The plan; a query reports bad arguments as a GraphQL error (BadInput), not as userErrors."""
    try:
        return await month_plan(rules=context.settings.rules, county_code=county_code, month=month, problems=Problems())
    except WriteRefused as error:
        field, _, message = error.problems[0]
        raise BadInput(field[-1], message) from None
