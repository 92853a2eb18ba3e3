"""Reading the hierarchy: counties, and single units by their code (null outside the jurisdiction), subtree prefetched."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from models import units as rows
from resolvers.context import Context
from resolvers.permissions import only_visible, sees
from resolvers.units import loaders, tree
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
        if row is None:
            return None
        info.context.loader(loaders.CountyByIdLoader).prime(row.id, row)  # Person.roles' unitCode reads it again
        return County.from_model(row)

    @strawberry.field(description="A township by its 9-digit code, e.g. 522728109 (沫阳镇).")
    async def township(self, info: Info[Context, None], code: str) -> Township | None:
        if not sees(info, code):
            return None
        row = await rows.Township.get_or_none(code=code)
        if row is None:
            return None
        township = Township.from_model(row)
        await tree.prefetch_townships(info, [township], info.selected_fields)
        return township

    @strawberry.field(description="A village or community by its 12-digit code.")
    async def village(self, info: Info[Context, None], code: str) -> Village | None:
        if not sees(info, code):
            return None
        row = await rows.Village.get_or_none(code=code)
        if row is None:
            return None
        village = Village.from_model(row)
        await tree.prefetch_villages(info, [village], info.selected_fields)
        return village

    @strawberry.field
    async def grid(self, info: Info[Context, None], code: str) -> Grid | None:
        if not sees(info, code):
            return None
        row = await rows.Grid.get_or_none(code=code)
        if row is None:
            return None
        grid = Grid.from_model(row)
        await tree.prefetch_grids(info, [grid], info.selected_fields)
        return grid
