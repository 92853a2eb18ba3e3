"""`ruleReport`: an auditor's reproducible compliance report for a county and a window (read-only for alerts)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from core.errors import BadInput
from schema.reports import RuleReport
from core.reports.service import run_report
from core.reports.window import ReportInputError


@strawberry.type
class ReportsQuery:
    @strawberry.field(description="Findings of [from, to] (local days, inclusive) evaluated at asOf (default now), with evidence, "
                      "alerts, summaries, compliance grid, statistics and a SHA-256 digest. Writes no alert; the run is recorded.")
    async def rule_report(
        self,
        info: Info[Context, None],
        county_code: str,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        as_of: datetime | None = None,
        rules: list[str] | None = None,
        known_at: datetime | None = None,
    ) -> RuleReport:
        viewer = info.context.viewer
        try:
            report = await run_report(
                county_code=county_code, first_day=from_, last_day=to, as_of=as_of, rule_ids=rules, known_at=known_at,
                actor=info.context.actor, token_id=viewer.token_id if viewer else None,
            )
        except ReportInputError as error:
            raise BadInput(error.argument, error.message) from None
        return RuleReport.from_report(report)
