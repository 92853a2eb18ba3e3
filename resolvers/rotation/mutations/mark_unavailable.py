"""`markUnavailable`: a bureau member is away on some days; the rotation planner leaves them out then."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from core.errors import WriteRefused
from resolvers.people.loaders import PersonByIdLoader
from core.rotation import mark_unavailable
from core.writes import Problems
from schema.errors import to_user_errors
from schema.people import Person
from schema.rotation import MarkUnavailableInput, Unavailability, UnavailabilityPayload


@strawberry.type
class MarkUnavailableMutation:
    @strawberry.mutation(description="Record days a bureau member cannot attend meetings (leave, training, another duty).")
    async def mark_unavailable(self, info: Info[Context, None], input: MarkUnavailableInput) -> UnavailabilityPayload:
        problems = Problems()
        ids = problems.ids([input.person_id], "Person", ["input", "personId"])
        try:
            problems.check()
            row = await mark_unavailable(actor=info.context.audit_actor, county_code=input.county_code, person_id=ids[0],
                                         first_day=input.from_, last_day=input.to, reason=input.reason, problems=problems)
        except WriteRefused as error:
            return UnavailabilityPayload(unavailability=None, user_errors=to_user_errors(error))
        person = await info.context.loader(PersonByIdLoader).load(ids[0])
        assert person is not None
        return UnavailabilityPayload(
            unavailability=Unavailability(person=Person.from_model(person), from_=row.first_day, to=row.last_day, reason=row.reason),
            user_errors=[],
        )
