"""The demo county's next month (2024-01): with a thematic meeting scheduled in every township, the plan covers all ten."""

from __future__ import annotations

import httpx

from tests.api.graphql import query
from tests.writes import RECORD_MEETING, mutate

PLAN = """{ rotationPlan(countyCode: "522728", month: "2024-01") { townships covered complete leaderCap
  visits { townshipCode keepsStanding leader { name } staff { name } } gaps { townshipCode reason } } }"""


async def test_the_demo_january_plan_covers_all_ten_townships_once_each_has_a_scheduled_meeting(demo: str, client: httpx.AsyncClient) -> None:
    first = (await query(client, PLAN))["rotationPlan"]
    assert first["townships"] == 10
    assert {g["reason"] for g in first["gaps"]} <= {"NO_SCHEDULED_MEETING"}
    for day, gap in enumerate(first["gaps"], start=8):
        scheduled = await mutate(client, RECORD_MEETING, input={"townshipCode": gap["townshipCode"], "kind": "THEMATIC",
                                                                "status": "SCHEDULED", "heldAt": f"2024-01-{day:02d}T09:30:00+08:00"})
        assert scheduled["userErrors"] == []
    plan = (await query(client, PLAN))["rotationPlan"]
    assert (plan["covered"], plan["complete"]) == (10, True)
    loads: dict[str, int] = {}
    for visit in plan["visits"]:
        loads[visit["leader"]["name"]] = loads.get(visit["leader"]["name"], 0) + 1
    assert max(loads.values()) <= plan["leaderCap"]
    assert sum(v["keepsStanding"] for v in plan["visits"]) >= 8  # the standing 分片 leaders, where the cap allows
