"""`updateUnit`: rename a unit or correct its figures."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from core.errors import WriteRefused
from resolvers.roster.mutations.common import unit_payload, unit_refused
from core.roster.units import UnitFigures, update_unit
from core.writes import Problems
from schema.roster import UnitPayload, UpdateUnitInput


@strawberry.type
class UpdateUnitMutation:
    @strawberry.mutation(description="Rename a village, grid or party group, or correct a unit's figures.")
    async def update_unit(self, info: Info[Context, None], input: UpdateUnitInput) -> UnitPayload:
        figures = UnitFigures(input.village_kind, input.households, input.population, input.groups)  # type: ignore[arg-type]
        try:
            written = await update_unit(actor=info.context.audit_actor, code=input.code, name=input.name, figures=figures,
                                        problems=Problems())
        except WriteRefused as error:
            return unit_refused(error)
        return await unit_payload(info.context, written)
