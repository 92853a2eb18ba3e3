"""`updatePerson`: correct a person's name or work phone (validated as case parties are; masked in the audit trail)."""

from __future__ import annotations

from core.roster import service
from core.writes import Problems
from models.people import Person
from resolvers.context import Context
from resolvers.roster.mutations.common import db_id


async def update_person(context: Context, *, person_id: str, name: str | None, phone: str | None) -> Person:
    written = await service.update_person(
        actor=context.audit_actor, viewer=context.viewer, person_id=db_id(person_id, "Person"), name=name, phone=phone,
        problems=Problems(),
    )
    return written.person
