"""County time zones by county id or code, batched per request: what `schema.local_time.county_time` shows instants in."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from strawberry.dataloader import DataLoader

from models.select_any import select_any
from models.units import County
from resolvers.context import Context


async def _zones_by_code(codes: list[str]) -> list[ZoneInfo | None]:
    found = {row["code"]: row["timezone"] for row in await select_any(County, ("code", "timezone"), "code", codes)}
    return [ZoneInfo(found[c]) if c in found else None for c in codes]


async def _zones_by_id(ids: list[int]) -> list[ZoneInfo | None]:
    # a plain statement (models/select_any.py): the ORM's query building was most of this loader's cost
    found = {row["id"]: row["timezone"] for row in await select_any(County, ("id", "timezone"), "id", ids)}
    return [ZoneInfo(found[i]) if i in found else None for i in ids]


class CountyZoneByCode(DataLoader[str, ZoneInfo | None]):
    """County code → its time zone, batched per request."""

    def __init__(self) -> None:
        super().__init__(load_fn=_zones_by_code)


class CountyZoneById(DataLoader[int, ZoneInfo | None]):
    """County row id → its time zone, batched per request."""

    def __init__(self) -> None:
        super().__init__(load_fn=_zones_by_id)


async def county_zone(context: Context, *, county_id: int | None = None, county_code: str | None = None) -> ZoneInfo:
    """The zone of a county given by id or code; the server's default zone when there is none (e.g. an ADMIN-wide run)."""
    zone = None
    if county_id is not None:
        zone = await context.loader(CountyZoneById).load(county_id)
    elif county_code is not None:
        zone = await context.loader(CountyZoneByCode).load(county_code)
    return zone or context.default_zone
