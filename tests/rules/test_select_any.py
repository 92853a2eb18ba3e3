"""`models.select_any`: the fact builders' bulk reads bind a list of ids as one parameter, typed as the ORM types them."""

from __future__ import annotations

from datetime import date

from models.enums import Role
from models.people import RoleAssignment
from models.select_any import select_any
from models.units import Grid
from tests.rules import factories as f


async def test_forty_thousand_ids_are_one_statement_and_rows_come_typed(orm: str) -> None:
    """More ids than SQLite (32,766) or asyncpg (32,767) accept as separate bound values: one array parameter."""
    w = await f.world()
    grid = await f.grid(w.village, "01", worker=await f.person(), valid_from=date(2023, 2, 1))
    await Grid.filter(id=grid.id).update(retired_on=date(2024, 3, 1))
    ids = [grid.id, *range(10**7, 10**7 + 40_000)]
    assert await select_any(Grid, ("id", "retired_on"), "id", ids) == [{"id": grid.id, "retired_on": date(2024, 3, 1)}]
    columns = ("grid_id", "valid_from", "valid_to")
    assert await select_any(RoleAssignment, columns, "grid_id", ids, role=Role.GRID_WORKER.value) == [
        {"grid_id": grid.id, "valid_from": date(2023, 2, 1), "valid_to": None}
    ]
    assert await select_any(RoleAssignment, columns, "grid_id", ids, role=Role.HOUSEHOLD_HEAD.value) == []
    assert await select_any(Grid, ("id",), "id", []) == []
