"""`updatePerson`: correct a person's name or work phone (validated as case parties are; masked in the audit trail)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from core.errors import WriteRefused
from core.roster.service import update_person
from core.writes import Problems
from schema.errors import to_user_errors
from core.global_ids import from_global_id
from schema.people import Person
from schema.roster import PersonPayload, UpdatePersonInput


@strawberry.type
class UpdatePersonMutation:
    @strawberry.mutation(description="Correct a person's name or work phone.")
    async def update_person(self, info: Info[Context, None], input: UpdatePersonInput) -> PersonPayload:
        problems = Problems()
        decoded = from_global_id(str(input.id))  # a blank or foreign id names nothing: NOT_FOUND, as a person out of reach
        viewer = info.context.viewer
        try:
            written = await update_person(actor=info.context.audit_actor, person_id=decoded[1] if decoded and decoded[0] == "Person" else 0, name=input.name, phone=input.phone,
                                          county_code=viewer.county_code if viewer else None, problems=problems)
        except WriteRefused as error:
            return PersonPayload(person=None, user_errors=to_user_errors(error))
        return PersonPayload(person=Person.from_model(written.person), user_errors=[])
