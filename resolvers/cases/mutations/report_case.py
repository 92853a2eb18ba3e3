"""`reportCase`: a village (or township) opens a dispute or petition; its deadlines start counting."""

from __future__ import annotations

from datetime import datetime

from core import cases
from core.cases import CaseWrite, PartyInput
from core.writes import Problems
from models.enums import CaseCategory, CaseChannel, CaseKind, CaseLevel
from resolvers.context import Context


async def report_case(
    context: Context, *, number: str | None, kind: CaseKind, category: CaseCategory, channel: CaseChannel, village_code: str,
    level: CaseLevel, reported_at: datetime, title: str, parties: list[PartyInput],
) -> CaseWrite:
    """The reported case and the alerts its evaluation changed; refuses (`WriteRefused`) with every problem of the input."""
    return await cases.report_case(
        actor=context.audit_actor, rules=context.settings.rules, number=number, kind=kind, category=category, channel=channel, village_code=village_code,
        level=level, reported_at=reported_at, title=title, parties=parties, problems=Problems(),
        scope_code=context.viewer.scope_code if context.viewer is not None else None,
    )
