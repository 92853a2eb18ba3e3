"""`reportCase`: a village (or township) opens a dispute or petition; its deadlines start counting."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.cases.mutations.common import case_payload, refused
from core.cases import PartyInput, report_case
from resolvers.context import Context
from core.errors import WriteRefused
from core.writes import Problems
from schema.cases import CasePayload, ReportCaseInput


@strawberry.type
class ReportCaseMutation:
    @strawberry.mutation(description="Report a case; the payload shows the alerts its evaluation changed.")
    async def report_case(self, info: Info[Context, None], input: ReportCaseInput) -> CasePayload:
        parties = [PartyInput(p.name, p.phone, p.id_number) for p in input.parties or []]
        try:
            written = await report_case(
                actor=info.context.audit_actor, number=input.number, kind=input.kind, category=input.category,
                channel=input.channel, village_code=input.village_code, level=input.level, reported_at=input.reported_at,
                title=input.title, parties=parties, problems=Problems(),
            )
        except WriteRefused as error:
            return refused(error)
        return await case_payload(info.context, written)
