"""Reading the hierarchy: counties, single units by their code (None outside the jurisdiction), and "today" in a unit's county.

A root lookup reads the unit with its county joined in and primes the county loaders, so the
county's time zone ("today" for role holders) costs no statement of its own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
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


async def _unit(context: Context, model: Any, code: str, county_path: str) -> Any:
    if not sees(context, code):
        return None
    row = await model.filter(code=code).select_related(county_path).first()
    if row is not None:
        county_row = row
        for step in county_path.split("__"):
            county_row = getattr(county_row, step)
        _prime(context, county_row)
    return row


async def township(context: Context, *, code: str) -> rows.Township | None:
    return await _unit(context, rows.Township, code, "county")  # type: ignore[no-any-return]


async def village(context: Context, *, code: str) -> rows.Village | None:
    return await _unit(context, rows.Village, code, "township__county")  # type: ignore[no-any-return]


async def grid(context: Context, *, code: str) -> rows.Grid | None:
    return await _unit(context, rows.Grid, code, "village__township__county")  # type: ignore[no-any-return]


async def today_at(context: Context, unit_code: str, *, now: datetime | None = None) -> date:
    """Today (or `now`'s day) in the time zone of the unit's county: the day role holders are "in office" there.

    Each county keeps its own midnight (issue 14): at 01:30 in Shanghai a county in Asia/Urumqi is
    still on the day before, whatever the server's default zone.
    """
    row = await context.loader(CountyByCodeLoader).load(unit_code[:COUNTY_CODE_LENGTH])
    zone = ZoneInfo(row.timezone) if row is not None else context.default_zone
    return (now or datetime.now(UTC)).astimezone(zone).date()
