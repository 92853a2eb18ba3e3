"""`addCaseEvent`: accept, reject, escalate, extend, resolve, close or reopen a case — if its state allows it."""

from __future__ import annotations

from datetime import datetime

from core import cases
from core.cases import CaseWrite, EventInput
from core.writes import Problems
from models.enums import CaseEventType, CaseLevel, CaseOutcome
from resolvers.context import Context


async def add_case_event(
    context: Context, *, case_number: str, type: CaseEventType, at: datetime, to_level: CaseLevel | None, days: int | None,
    approver_id: str | None, outcome: CaseOutcome | None, note: str | None,
) -> CaseWrite:
    """The case with its new event and the alerts it changed; refuses (`WriteRefused`) what its state does not allow."""
    problems = Problems()
    approver = problems.ids([approver_id], "Person", ["input", "approverId"]) if approver_id else []
    event = EventInput(
        type=type, at=at, to_level=to_level, days=days, approver_id=approver[0] if approver else None, outcome=outcome, note=note,
    )
    return await cases.add_case_event(actor=context.audit_actor, rules=context.settings.rules, case_number=case_number, event=event, problems=problems)
