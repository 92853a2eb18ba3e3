""""Today" (who is in office) is the unit's county's day, not the server's: each county keeps its own midnight."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.settings import load_settings
from models.enums import Role
from models.people import RoleAssignment
from resolvers.context import Context
from resolvers.units.queries import today_at
from server.app import create_app
from server.auth.tokens import issue_token
from server.load.service import load_document
from tests.api.graphql import query
from tests.documents import county_document

GRID = "52272800120101"


def _county_in(zone: str) -> dict:  # type: ignore[type-arg]
    document = county_document(townships=1, villages=1, grids=1, households=1)
    document["counties"][0]["timezone"] = zone
    return document


async def test_at_half_past_one_in_shanghai_a_county_in_urumqi_is_still_on_the_day_before(orm: str) -> None:
    await load_document(_county_in("Asia/Urumqi"))
    context = Context(request=None, response=None, settings=load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_ENV": "test"}))
    assert context.default_zone == ZoneInfo("Asia/Shanghai")
    now = datetime(2024, 3, 1, 1, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # 23:30 on 29 February in Urumqi
    assert await today_at(context, GRID, now=now) == date(2024, 2, 29)
    assert await today_at(context, "522728", now=now) == date(2024, 2, 29)


@pytest.fixture
async def far_server(orm: str) -> AsyncIterator[httpx.AsyncClient]:
    """An ADMIN client of a server whose default zone (UTC-11) is always a day or more behind the county's (UTC+14)."""
    settings = load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_ENV": "test", "LIANXI_SWEEP": "false", "LIANXI_TIMEZONE": "Pacific/Pago_Pago"})
    issued = await issue_token("ADMIN", name="test-far")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings, manage_database=False)),
                                 base_url="http://lianxi.test", headers={"Authorization": f"Bearer {issued.token}"}) as http:
        yield http


async def test_a_holder_from_the_countys_today_is_in_office_whatever_the_servers_zone(far_server: httpx.AsyncClient) -> None:
    await load_document(_county_in("Pacific/Kiritimati"))
    today = datetime.now(UTC).astimezone(ZoneInfo("Pacific/Kiritimati")).date()  # the server's zone is still on an earlier day
    await RoleAssignment.filter(role=Role.GRID_WORKER).update(valid_from=today)
    tree = await query(far_server, "query($code: String!) { grid(code: $code) { id worker { name } } }", code=GRID)
    assert tree["grid"]["worker"] == {"name": "网格员0"}  # prefetched with the subtree
    loaded = await query(far_server, "query($id: ID!) { node(id: $id) { ... on Grid { worker { name } } } }", id=tree["grid"]["id"])
    assert loaded["node"]["worker"] == {"name": "网格员0"}  # through the DataLoader
