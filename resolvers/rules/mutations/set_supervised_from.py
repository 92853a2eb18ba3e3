"""`setSupervisedFrom` (ADMIN): the day from which a county's records are complete; periods before it are not evaluated."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info

from models.units import County as CountyRow
from resolvers.context import Context
from core.periods import FIRST_YEAR, LAST_YEAR
from core.references import NO_COUNTY
from schema.errors import UserError
from schema.units import County
from core.transaction import alert_transaction
from core.audit import record_audit


@strawberry.type
class CountyPayload:
    county: County | None
    user_errors: list[UserError]


def _refused(field: str, code: str, message: str) -> CountyPayload:
    return CountyPayload(county=None, user_errors=[UserError(field=[field], code=code, message=message)])


@strawberry.type
class SetSupervisedFromMutation:
    @strawberry.mutation(description=(
        "ADMIN: set (or clear, with null) the county's supervision start. Alerts of periods that are no longer "
        "evaluated are left as they are; rebuild them with `lianxi replay`."
    ))
    async def set_supervised_from(
        self, info: Info[Context, None], county_code: str, date: date | None = None  # noqa: A002 — the API's name
    ) -> CountyPayload:
        row = await CountyRow.get_or_none(code=county_code)
        if row is None:
            return _refused("countyCode", "NOT_FOUND", NO_COUNTY)
        if date is not None and not FIRST_YEAR <= date.year <= LAST_YEAR:
            return _refused("date", "INVALID", f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got {date}")
        if date is not None and date > datetime.now(ZoneInfo(row.timezone)).date():
            return _refused("date", "INVALID", f"{date} is in the future: the supervision start is a day records are complete from")
        async with alert_transaction(county_code=county_code):
            before = {"supervisedFrom": row.supervised_from}
            row.supervised_from = date
            await row.save(update_fields=["supervised_from"])
            await record_audit(actor=info.context.audit_actor, action="setSupervisedFrom", entity="county",
                               entity_key=county_code, county_code=county_code, before=before,
                               after={"supervisedFrom": date}, at=datetime.now(UTC))
        return CountyPayload(county=County.from_model(row), user_errors=[])
