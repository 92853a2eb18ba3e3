"""`applyRotationPlan`: the bureau writes the month's plan as the attendance plan of the scheduled meetings."""

from __future__ import annotations

from core.rotation import MonthPlan, apply_month_plan
from core.writes import Problems
from resolvers.context import Context


async def apply_rotation_plan(context: Context, *, county_code: str, month: str) -> MonthPlan:
    return await apply_month_plan(actor=context.audit_actor, rules=context.settings.rules, county_code=county_code, month=month, problems=Problems())
