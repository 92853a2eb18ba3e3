"""The hierarchy's root fields: counties, and single units by their code (null outside the jurisdiction), subtree prefetched."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from resolvers.units import queries
from schema.units import tree
from schema.units.types import County, Grid, Township, Village
from schema.text_types import UnitCode


@strawberry.type
class UnitsQuery:
    @strawberry.field
    async def counties(self, info: Info[Context, None]) -> list[County]:
        return [County.from_model(row) for row in await queries.counties(info.context)]

    @strawberry.field(description="A county by its 6-digit code, e.g. 522728 (罗甸县).")
    async def county(self, info: Info[Context, None], code: UnitCode) -> County | None:
        row = await queries.county(info.context, code=code)
        return County.from_model(row) if row is not None else None

    @strawberry.field(description="A township by its 9-digit code, e.g. 522728109 (沫阳镇).")
    async def township(self, info: Info[Context, None], code: UnitCode) -> Township | None:
        row = await queries.township(info.context, code=code)
        return (await tree.townships_with_subtree(info, [row]))[0] if row is not None else None

    @strawberry.field(description="A village or community by its 12-digit code.")
    async def village(self, info: Info[Context, None], code: UnitCode) -> Village | None:
        row = await queries.village(info.context, code=code)
        return await tree.village_with_subtree(info, row) if row is not None else None

    @strawberry.field
    async def grid(self, info: Info[Context, None], code: UnitCode) -> Grid | None:
        row = await queries.grid(info.context, code=code)
        return await tree.grid_with_subtree(info, row) if row is not None else None
