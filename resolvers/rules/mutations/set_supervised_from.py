"""`setSupervisedFrom` (ADMIN): the day from which a county's records are complete; periods before it are not evaluated."""

from __future__ import annotations

from core import clock
from datetime import date

from core.audit import record_audit
from core.errors import WriteRefused
from core.periods import FIRST_YEAR, LAST_YEAR
from core.references import NO_COUNTY
from core.transaction import alert_transaction
from models.units import County
from resolvers.context import Context


async def set_supervised_from(context: Context, *, county_code: str, day: date | None) -> County:
    """The county with its new supervision start (None clears it); refuses (`WriteRefused`) unknown counties and bad days."""
    row = await County.get_or_none(code=county_code)
    if row is None:
        raise WriteRefused.one(["countyCode"], "NOT_FOUND", NO_COUNTY)
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise WriteRefused.one(["date"], "INVALID", f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got {day}")
    if day is not None and day > clock.local_today(row.timezone):
        raise WriteRefused.one(["date"], "INVALID", f"{day} is in the future: the supervision start is a day records are complete from")
    async with alert_transaction(county_code=county_code):
        before = {"supervisedFrom": row.supervised_from}
        row.supervised_from = day
        await row.save(update_fields=["supervised_from"])
        await record_audit(actor=context.audit_actor, action="setSupervisedFrom", entity="county", entity_key=county_code,
                           county_code=county_code, before=before, after={"supervisedFrom": day}, at=clock.now())
    return row
