"""Reading the hierarchy: counties, and single units by their code (null outside the jurisdiction)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from models import units as rows
from resolvers.context import Context
from resolvers.permissions import only_visible, sees
from schema.units import County, Grid, Township, Village


@strawberry.type
class UnitsQuery:
    @strawberry.field
    async def counties(self, info: Info[Context, None]) -> list[County]:
        return [County.from_model(row) for row in only_visible(info, await rows.County.all(), lambda c: c.code)]

    @strawberry.field(description="A county by its 6-digit code, e.g. 522728 (罗甸县).")
    async def county(self, info: Info[Context, None], code: str) -> County | None:
        if not sees(info, code):
            return None
        row = await rows.County.get_or_none(code=code)
        return County.from_model(row) if row else None

    @strawberry.field(description="A township by its 9-digit code, e.g. 522728109 (沫阳镇).")
    async def township(self, info: Info[Context, None], code: str) -> Township | None:
        if not sees(info, code):
            return None
        row = await rows.Township.get_or_none(code=code)
        return Township.from_model(row) if row else None

    @strawberry.field(description="A village or community by its 12-digit code.")
    async def village(self, info: Info[Context, None], code: str) -> Village | None:
        if not sees(info, code):
            return None
        row = await rows.Village.get_or_none(code=code)
        return Village.from_model(row) if row else None

    @strawberry.field
    async def grid(self, info: Info[Context, None], code: str) -> Grid | None:
        if not sees(info, code):
            return None
        row = await rows.Grid.get_or_none(code=code)
        return Grid.from_model(row) if row else None
