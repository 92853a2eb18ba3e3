"""`updateUnit`: rename a unit or correct its figures."""

from __future__ import annotations

from core.roster import units
from core.roster.units import UnitFigures, UnitWrite
from core.writes import Problems
from resolvers.context import Context


async def update_unit(context: Context, *, code: str, name: str | None, figures: UnitFigures) -> UnitWrite:
    return await units.update_unit(actor=context.audit_actor, code=code, name=name, figures=figures, problems=Problems())
