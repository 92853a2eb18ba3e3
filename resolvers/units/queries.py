"""Reading the hierarchy: counties, single units by their code (None outside the jurisdiction), and "today" in a unit's county.

A root lookup reads the unit with its county's zone joined in (one statement) and remembers the
zone, so "today" for role holders and local times of meetings and cases cost no statement of their own.
"""

from __future__ import annotations

from core import clock
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from models import units as rows
from resolvers.context import Context
from resolvers.permissions import sees
from resolvers.units.loaders import CountyByCodeLoader, CountyByIdLoader

COUNTY_CODE_LENGTH = 6  # every unit's code starts with its county's (resolvers/permissions.py)


def _prime(context: Context, county: rows.County) -> None:
    """Only the by-code loader ("today" reads it): priming another loader would make other fields' statement counts
    depend on which root field ran first."""
    context.loader(CountyByCodeLoader).prime(county.code, county)


async def counties(context: Context) -> list[rows.County]:
    """The counties the viewer may see."""
    found = [county for county in await rows.County.all() if sees(context, county.code)]
    for county in found:
        _prime(context, county)
    return found


async def county(context: Context, *, code: str) -> rows.County | None:
    """A county by its code (Person.roles' unitCode and "today" read it again: primed)."""
    if not sees(context, code):
        return None
    row = await rows.County.get_or_none(code=code)
    if row is not None:
        context.loader(CountyByIdLoader).prime(row.id, row)
        _prime(context, row)
    return row


# unit table → the joins from it up to its county (a root lookup reads the county's zone with the unit)
_UP_TO_COUNTY = {
    "township": 'JOIN "county" ON "county"."id" = "township"."county_id"',
    "village": 'JOIN "township" ON "township"."id" = "village"."township_id" JOIN "county" ON "county"."id" = "township"."county_id"',
    "grid": 'JOIN "village" ON "village"."id" = "grid"."village_id" JOIN "township" ON "township"."id" = "village"."township_id" '
            'JOIN "county" ON "county"."id" = "township"."county_id"',
}
_BY_CODE: dict[tuple[str, str], str] = {}


def _by_code_sql(model: Any, dialect: str) -> str:
    """The unit's columns, its township's id and its county's zone, by code: SQL built once per model (the ORM's
    query builder cost more than the database did for this one-row read)."""
    table = model._meta.db_table
    key = (table, dialect)
    if key not in _BY_CODE:
        columns = ", ".join(f'"{table}"."{column}"' for column in model._meta.fields_db_projection.values())
        mark = "$1" if dialect == "postgres" else "?"
        _BY_CODE[key] = (f'SELECT {columns}, "township"."id" AS "_township_id", "county"."timezone" AS "_county_timezone" '
                         f'FROM "{table}" {_UP_TO_COUNTY[table]} WHERE "{table}"."code" = {mark} LIMIT 1')
    return _BY_CODE[key]


async def _unit(context: Context, model: Any, code: str) -> Any:
    """The unit with this code if the viewer sees it; its county's zone is remembered for "today" and local times."""
    if not sees(context, code):
        return None
    db: Any = model._meta.db
    found = await db.execute_query_dict(_by_code_sql(model, db.capabilities.dialect), [code])
    if not found:
        return None
    values = dict(found[0])
    township_id, timezone = values.pop("_township_id"), values.pop("_county_timezone")
    context.prime_zone(township_id, timezone)  # meetings and cases under it show their times without a zone lookup
    context.prime_county_zone(code[:COUNTY_CODE_LENGTH], timezone)
    return model._init_from_db(**values)


async def township(context: Context, *, code: str) -> rows.Township | None:
    return await _unit(context, rows.Township, code)  # type: ignore[no-any-return]


async def village(context: Context, *, code: str) -> rows.Village | None:
    return await _unit(context, rows.Village, code)  # type: ignore[no-any-return]


async def grid(context: Context, *, code: str) -> rows.Grid | None:
    return await _unit(context, rows.Grid, code)  # type: ignore[no-any-return]


async def today_at(context: Context, unit_code: str, *, now: datetime | None = None) -> date:
    """Today (or `now`'s day) in the time zone of the unit's county: the day role holders are "in office" there.

    Each county keeps its own midnight (issue 14): at 01:30 in Shanghai a county in Asia/Urumqi is
    still on the day before, whatever the server's default zone.
    """
    zone = context.county_zone(unit_code[:COUNTY_CODE_LENGTH])
    if zone is None:
        row = await context.loader(CountyByCodeLoader).load(unit_code[:COUNTY_CODE_LENGTH])
        zone = ZoneInfo(row.timezone) if row is not None else context.default_zone
    return (now or clock.now()).astimezone(zone).date()
