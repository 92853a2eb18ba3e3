"""Every instant the API shows is in its county's own time zone, with the offset (stored in UTC).

Types keep the stored instant in a private attribute and expose it through `county_time(...)`,
which converts it with the zone of the object's county (`resolvers.zones`: one batched query per request).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import strawberry

from resolvers.zones import county_zone


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
