"""`retireUnit`: a unit is merged or dissolved from a day; its history stays."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from core.errors import WriteRefused
from resolvers.roster.mutations.common import unit_payload, unit_refused
from core.roster.units import retire_unit
from core.writes import Problems
from schema.roster import RetireUnitInput, UnitPayload


@strawberry.type
class RetireUnitMutation:
    @strawberry.mutation(description="Retire a unit from a day (its live children must be retired first).")
    async def retire_unit(self, info: Info[Context, None], input: RetireUnitInput) -> UnitPayload:
        try:
            written = await retire_unit(actor=info.context.audit_actor, code=input.code, on=input.on, problems=Problems())
        except WriteRefused as error:
            return unit_refused(error)
        return await unit_payload(info.context, written)
