"""The bureau assigns its leaders to townships (分片联系); overlaps and non-leaders are refused."""

from __future__ import annotations

import httpx

from models.supervision import SupervisionAssignment
from tests.rules.factories import world
from tests.writes import ALERT_CHANGES, USER_ERRORS, gid, mutate

ASSIGN = f"""mutation($input: AssignSupervisorInput!) {{ assignSupervisor(input: $input) {{
  assignment {{ validFrom validTo leader {{ name }} township {{ code }} }} {ALERT_CHANGES} {USER_ERRORS} }} }}"""


async def test_a_leader_is_assigned_once_per_period_and_staff_cannot_be(client: httpx.AsyncClient) -> None:
    w = await world()
    # the world's leader holds 沫阳镇 from 2023-01-01, open-ended
    overlap = await mutate(client, ASSIGN, input={"leaderId": gid("Person", w.leader.id), "townshipCode": w.township.code, "from": "2024-03-01"})
    assert [(e["field"], e["code"]) for e in overlap["userErrors"]] == [(["input", "from"], "CONFLICT")]
    staff = await mutate(client, ASSIGN, input={"leaderId": gid("Person", w.staff.id), "townshipCode": w.township.code, "from": "2024-03-01"})
    assert [(e["field"], e["code"]) for e in staff["userErrors"]] == [(["input", "leaderId"], "NOT_FOUND")]  # as a missing person
    backwards = await mutate(client, ASSIGN, input={"leaderId": gid("Person", w.head.id), "townshipCode": w.township.code, "from": "2024-03-01", "to": "2024-02-01"})
    assert [e["field"] for e in backwards["userErrors"]] == [["input", "to"]]

    head = await mutate(client, ASSIGN, input={"leaderId": gid("Person", w.head.id), "townshipCode": w.township.code, "from": "2024-03-01", "to": "2024-12-31"})
    assert head["userErrors"] == []
    assert head["assignment"] == {"validFrom": "2024-03-01", "validTo": "2024-12-31", "leader": {"name": "黄元吉"}, "township": {"code": w.township.code}}
    assert await SupervisionAssignment.all().count() == 2


async def test_a_township_token_cannot_assign_supervisors(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world()
    township = await client_for("TOWNSHIP", w.township.code)
    refused = await mutate(township, ASSIGN, input={"leaderId": gid("Person", w.head.id), "townshipCode": w.township.code, "from": "2024-03-01"})
    assert [e["code"] for e in refused["userErrors"]] == ["FORBIDDEN"] and refused["assignment"] is None
