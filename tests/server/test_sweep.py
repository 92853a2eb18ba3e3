"""An operator starts `lianxi serve`: the compliance sweep runs at start-up and is recorded as a rule run."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from server.load.service import load_document
from tests.documents import county_document


@pytest.fixture
def server_env() -> dict[str, str]:
    return {"LIANXI_SWEEP": "true"}


@pytest.fixture
async def loaded_county(orm: str) -> str:
    await load_document(county_document(townships=2))
    return orm


async def test_startup_sweep_runs_every_county_and_raises_alerts(loaded_county: str, admin_token: str, server: str) -> None:
    auth = {"Authorization": f"Bearer {admin_token}"}
    runs: list[dict] = []
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient(base_url=server, headers=auth) as http:
        while time.monotonic() < deadline and not runs:
            answer = (await http.post("/graphql", json={"query": "{ ruleRuns { edges { node { trigger counts } } } }"})).json()
            runs = [edge["node"] for edge in answer["data"]["ruleRuns"]["edges"] if edge["node"]["trigger"] == "STARTUP"]
            if not runs:
                await asyncio.sleep(0.3)
        assert runs, "no STARTUP sweep was recorded within 30 s"
        # Every closed month since May 2023 has at most one thematic meeting: the sweep must have raised them.
        alerts = (await http.post("/graphql", json={"query": '{ alerts(filter: {ruleId: "cadence.thematic_monthly"}) { totalCount } }'})).json()
        assert alerts["data"]["alerts"]["totalCount"] >= 2
