"""`runCompliance`: evaluate a county's rules now (or as of a past instant) and reconcile its alerts."""

from __future__ import annotations

from core import clock
from datetime import datetime

from core import compliance
from core.compliance import RunRefused, ScopeError
from core.errors import WriteRefused
from core.periods import FIRST_YEAR, LAST_YEAR
from core.references import NO_COUNTY
from models.alerts import RuleRun
from resolvers.context import Context


async def run_compliance(context: Context, *, county_code: str, as_of: datetime | None) -> RuleRun:
    """The recorded run; refuses (`WriteRefused`) a naive or out-of-range `asOf`, an unknown county, an as-of after the
    present (FUTURE_AS_OF: only reports look ahead) and one earlier than the county's latest county-wide run
    (EARLIER_THAN_LATEST_RUN: the live state moves forward only); a refused run changed nothing."""
    if as_of is not None and as_of.tzinfo is None:
        raise WriteRefused.one(["asOf"], "INVALID", "asOf needs a time zone offset")
    if as_of is not None and not FIRST_YEAR <= as_of.year <= LAST_YEAR:  # in its own offset: year 9999+14:00 overflows UTC
        raise WriteRefused.one(["asOf"], "INVALID", f"asOf must lie between the years {FIRST_YEAR} and {LAST_YEAR}")
    try:
        result = await compliance.run_compliance(
            rules=context.settings.rules, county_code=county_code, as_of=as_of or clock.now(), trigger="MANUAL", actor=context.actor, audit=context.audit_actor,
        )
    except ScopeError as error:
        unknown = not county_code or str(error).startswith("unknown county")
        raise WriteRefused.one(["countyCode"], "NOT_FOUND" if unknown else "INVALID", NO_COUNTY if unknown else str(error)) from None
    except RunRefused as error:
        raise WriteRefused.one(["asOf"], error.code, str(error)) from None
    return await RuleRun.get(id=result.run_id)
