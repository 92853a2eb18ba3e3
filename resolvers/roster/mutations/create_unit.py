"""`createUnit`: a township adds a village, a village adds a grid, household group or party group."""

from __future__ import annotations

from core.roster import units
from core.roster.units import UnitFigures, UnitWrite
from core.roster.units_of import UnitKind
from core.writes import Problems
from resolvers.context import Context


async def create_unit(
    context: Context, *, kind: UnitKind, parent_code: str, code: str, name: str | None, figures: UnitFigures
) -> UnitWrite:
    return await units.create_unit(
        actor=context.audit_actor, rules=context.settings.rules, kind=kind, parent_code=parent_code, code=code, name=name, figures=figures, problems=Problems()
    )
