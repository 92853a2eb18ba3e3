"""`addCaseEvent`: accept, reject, escalate, extend, resolve, close or reopen a case — if its state allows it."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.cases.mutations.common import case_payload, refused
from core.cases import EventInput, add_case_event
from resolvers.context import Context
from core.errors import WriteRefused
from core.writes import Problems
from schema.cases import AddCaseEventInput, CasePayload


@strawberry.type
class AddCaseEventMutation:
    @strawberry.mutation(description="Append an event to a case's timeline (append-only; the state machine is enforced).")
    async def add_case_event(self, info: Info[Context, None], input: AddCaseEventInput) -> CasePayload:
        problems = Problems()
        approver = [i for i in problems.ids([input.approver_id], "Person", ["input", "approverId"])] if input.approver_id else []
        event = EventInput(
            type=input.type, at=input.at, to_level=input.to_level, days=input.days,
            approver_id=approver[0] if approver else None, outcome=input.outcome, note=input.note,
        )
        try:
            written = await add_case_event(actor=info.context.audit_actor, case_number=input.case_number, event=event, problems=problems)
        except WriteRefused as error:
            return refused(error)
        return await case_payload(info.context, written)
