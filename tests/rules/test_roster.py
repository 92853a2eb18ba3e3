"""Roster gaps: a grid needs a grid worker and a household group a head, in office on the as-of day."""

from __future__ import annotations

from datetime import date

from models.enums import Role
from models.people import RoleAssignment
from tests.rules import factories as f
from tests.rules.helpers import alerts, check, found

GRID = "roster.grid_worker_missing"
HEAD = "roster.household_head_missing"


async def test_a_grid_without_a_worker_and_a_group_without_a_head_are_warnings(orm: str) -> None:
    w = await f.world()
    staffed = await f.grid(w.village, "01", worker=await f.person())
    empty = await f.grid(w.village, "02")
    await f.household_group(staffed, "01", head=await f.person())
    headless = await f.household_group(staffed, "02")
    result = await check(f.local(2023, 6, 1))
    assert found(result, GRID) == [(empty.code, None)]
    assert found(result, HEAD) == [(headless.code, None)]
    alert = (await alerts(GRID))[f"{GRID}|{empty.code}"]
    assert alert.severity == "WARNING" and alert.township_id == w.township.id and alert.assignee_id == w.leader.id


async def test_a_worker_whose_term_ended_or_has_not_begun_leaves_the_grid_uncovered(orm: str) -> None:
    w = await f.world()
    ended = await f.grid(w.village, "01", worker=await f.person(), valid_to=date(2023, 5, 31))
    future = await f.grid(w.village, "02", worker=await f.person(), valid_from=date(2023, 6, 2))
    result = await check(f.local(2023, 6, 1, 12), write=False)
    assert sorted(found(result, GRID)) == [(ended.code, None), (future.code, None)]
    assert found(await check(f.local(2023, 5, 31, 12), write=False), GRID) == [(future.code, None)]


async def test_appointing_a_head_resolves_the_gap(orm: str) -> None:
    w = await f.world()
    grid = await f.grid(w.village, "01", worker=await f.person())
    group = await f.household_group(grid, "01")
    await check(f.local(2023, 6, 1))
    await RoleAssignment.create(
        person=await f.person(), role=Role.HOUSEHOLD_HEAD, household_group=group, valid_from=date(2023, 6, 5)
    )
    result = await check(f.local(2023, 6, 6))
    assert [c.kind for c in result.changes if c.alert.rule_id == HEAD] == ["RESOLVED"]
