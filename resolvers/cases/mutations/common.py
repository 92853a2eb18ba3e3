"""Shared by the case mutations: the payload of a write, or of a refusal."""

from __future__ import annotations

from resolvers.alerts.events import alert_changes
from core.cases import CaseWrite
from resolvers.context import Context
from core.errors import WriteRefused
from schema.errors import to_user_errors
from schema.cases import Case, CasePayload


async def case_payload(context: Context, written: CaseWrite) -> CasePayload:
    zone = await context.zone_for_township(written.case.township_id)  # type: ignore[attr-defined]
    return CasePayload(
        case=Case.from_model(written.case, zone),
        alert_changes=await alert_changes(context.viewer, written.alert_changes),
        user_errors=[],
    )


def refused(error: WriteRefused) -> CasePayload:
    return CasePayload(case=None, alert_changes=[], user_errors=to_user_errors(error))
