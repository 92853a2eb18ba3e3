"""`retireUnit`: a unit is merged or dissolved from a day; its history stays."""

from __future__ import annotations

from datetime import date

from core.roster import units
from core.roster.units import UnitWrite
from core.writes import Problems
from resolvers.context import Context


async def retire_unit(context: Context, *, code: str, on: date) -> UnitWrite:
    return await units.retire_unit(actor=context.audit_actor, rules=context.settings.rules, code=code, on=on, problems=Problems())
