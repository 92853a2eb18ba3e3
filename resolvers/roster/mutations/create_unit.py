"""`createUnit`: a township adds a village, a village adds a grid, household group or party group."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from core.errors import WriteRefused
from resolvers.roster.mutations.common import unit_payload, unit_refused
from core.roster.units import UnitFigures, create_unit
from core.roster.units_of import UnitKind
from core.writes import Problems
from schema.roster import CreateUnitInput, UnitPayload


@strawberry.type
class CreateUnitMutation:
    @strawberry.mutation(description="Create a unit under its parent; the code follows the import's rules.")
    async def create_unit(self, info: Info[Context, None], input: CreateUnitInput) -> UnitPayload:
        figures = UnitFigures(input.village_kind, input.households, input.population, input.groups)  # type: ignore[arg-type]
        try:
            written = await create_unit(actor=info.context.audit_actor, kind=UnitKind(input.kind), parent_code=input.parent_code,
                                        code=input.code, name=input.name, figures=figures, problems=Problems())
        except WriteRefused as error:
            return unit_refused(error)
        return await unit_payload(info.context, written)
