"""`ruleReport`: an auditor's reproducible compliance report for a county and a window (read-only for alerts)."""

from __future__ import annotations

from datetime import date, datetime

from core.errors import BadInput
from core.reports.model import Report
from core.reports.service import run_report
from core.reports.window import ReportInputError
from resolvers.context import Context


async def rule_report(
    context: Context, *, county_code: str, first_day: date, last_day: date, as_of: datetime | None, rule_ids: list[str] | None,
    known_at: datetime | None,
) -> Report:
    """The report of [first_day, last_day] evaluated at `as_of` (default now); the run is recorded, no alert is written."""
    viewer = context.viewer
    try:
        return await run_report(
            rules=context.settings.rules, county_code=county_code, first_day=first_day, last_day=last_day, as_of=as_of, rule_ids=rule_ids, known_at=known_at,
            actor=context.actor, token_id=viewer.token_id if viewer else None,
        )
    except ReportInputError as error:
        raise BadInput(error.argument, error.message) from None
