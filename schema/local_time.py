"""Every instant the API shows is in its county's own time zone, with the offset (stored in UTC).

Types keep the stored instant in a private attribute and expose it through `county_time(...)`,
which converts it with the zone of the object's county (one batched query per request).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import strawberry
from strawberry.dataloader import DataLoader

from resolvers.context import Context


async def _zones_by_code(codes: list[str]) -> list[ZoneInfo | None]:
    from models.units import County

    found = dict(await County.filter(code__in=codes).values_list("code", "timezone"))
    return [ZoneInfo(found[c]) if c in found else None for c in codes]


async def _zones_by_id(ids: list[int]) -> list[ZoneInfo | None]:
    from models.units import County

    found = dict(await County.filter(id__in=ids).values_list("id", "timezone"))
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


def county_time(attribute: str, *, county: Callable[[Any], dict[str, Any]], description: str, required: bool = False) -> Any:
    """A DateTime field showing `root.<attribute>` (a UTC instant) in the county named by `county(root)` (id= or code=)."""

    async def resolve(root: Any, info: strawberry.Info) -> datetime | None:
        moment = getattr(root, attribute)
        if moment is None:
            return None
        return moment.astimezone(await county_zone(info.context, **county(root)))

    resolve.__annotations__ = {"root": Any, "info": strawberry.Info, "return": datetime if required else datetime | None}
    return strawberry.field(resolver=resolve, name=strawberry_name(attribute), description=description)


def strawberry_name(attribute: str) -> str:
    """The camelCase GraphQL name of a snake_case attribute."""
    head, *rest = attribute.split("_")
    return head + "".join(part.capitalize() for part in rest)
