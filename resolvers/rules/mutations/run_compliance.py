"""`runCompliance`: evaluate a county's rules now (or as of a past instant) and reconcile its alerts."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from models.alerts import RuleRun as RuleRunRow
from resolvers.context import Context
from core.periods import FIRST_YEAR, LAST_YEAR
from core.references import NO_COUNTY
from core.compliance import RunRefused, ScopeError, run_compliance
from schema.errors import UserError
from schema.rules import RuleRun, RuleRunPayload


@strawberry.type
class RunComplianceMutation:
    @strawberry.mutation(description="Run every rule for a county as of `asOf` (default now); the run is recorded.")
    async def run_compliance(
        self, info: Info[Context, None], county_code: str, as_of: datetime | None = None
    ) -> RuleRunPayload:
        if as_of is not None and as_of.tzinfo is None:
            return RuleRunPayload(run=None, user_errors=[UserError(field=["asOf"], code="INVALID", message="asOf needs a time zone offset")])
        if as_of is not None and not FIRST_YEAR <= as_of.year <= LAST_YEAR:  # in its own offset: year 9999+14:00 overflows UTC
            message = f"asOf must lie between the years {FIRST_YEAR} and {LAST_YEAR}"
            return RuleRunPayload(run=None, user_errors=[UserError(field=["asOf"], code="INVALID", message=message)])
        try:
            result = await run_compliance(
                county_code=county_code, as_of=as_of or datetime.now(UTC), trigger="MANUAL",
                actor=info.context.actor, audit=info.context.audit_actor,
            )
        except ScopeError as error:
            code = "NOT_FOUND" if not county_code or str(error).startswith("unknown county") else "INVALID"
            message = NO_COUNTY if code == "NOT_FOUND" else str(error)
            return RuleRunPayload(run=None, user_errors=[UserError(field=["countyCode"], code=code, message=message)])
        except RunRefused as error:  # the live state moves forward only; nothing was changed
            return RuleRunPayload(run=None, user_errors=[UserError(field=["asOf"], code="EARLIER_THAN_LATEST_RUN", message=str(error))])
        row = await RuleRunRow.get(id=result.run_id)
        return RuleRunPayload(run=RuleRun.from_model(row), user_errors=[])
