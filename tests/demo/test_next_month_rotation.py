"""The bureau office opens the demo built on 2026-11-30 and plans December's rotation: every township has
already scheduled its sessions, so one plan covers all ten with a leader and a staff member."""

from __future__ import annotations

from tests.api.graphql import query
from tests.conftest import ClientFactory

PLAN = """{ rotationPlan(countyCode: "522728", month: "2026-12") { townships covered complete leaderCap
  visits { townshipCode keepsStanding leader { name } staff { name } } gaps { townshipCode reason } } }"""


async def test_the_demo_next_month_gets_a_plan_that_covers_all_ten_townships(later_demo: str, client_for: ClientFactory) -> None:
    bureau = await client_for("BUREAU", "522728")
    plan = (await query(bureau, PLAN))["rotationPlan"]
    assert (plan["townships"], plan["covered"], plan["complete"], plan["gaps"]) == (10, 10, True, [])
    assert all(v["leader"] and v["staff"] for v in plan["visits"])
    assert sum(v["keepsStanding"] for v in plan["visits"]) >= 8  # the standing 分片 leaders, where the cap allows
