"""Two counties for access tests: 罗甸县 522728 (four townships, 沫阳镇 522728109 among them) and a neighbour 522701."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from server.load.service import load_document
from tests.conftest import ClientFactory
from tests.documents import county_document

COUNTY = "522728"
OTHER_COUNTY = "522701"
TOWNSHIP = "522728109"  # 沫阳镇
OTHER_TOWNSHIP = "522728107"
VILLAGE = "522728109201"  # 江亭村's code in the demo
SIBLING_VILLAGE = "522728109202"

# role → scope, for one token of each role inside 522728
SCOPES: dict[str, str | None] = {
    "ADMIN": None,
    "BUREAU": COUNTY,
    "AUDITOR": COUNTY,
    "TOWNSHIP": TOWNSHIP,
    "VILLAGE": VILLAGE,
}


def neighbour_document() -> dict[str, Any]:
    """The same shape for county 522701, with its own people, cases and meetings."""
    text = json.dumps(county_document(townships=2, villages=1, grids=1, households=1), ensure_ascii=False)
    for person in ("HEAD", "LEADER", "STAFF"):
        text = text.replace(f'"{person}"', f'"{person}2"')
    return json.loads(text.replace(COUNTY, OTHER_COUNTY).replace("罗甸县", "惠水县"))


@pytest.fixture
async def world(orm: str) -> None:
    await load_document(county_document(townships=4, villages=2, grids=1, households=1))
    await load_document(neighbour_document())


@pytest.fixture
async def clients(world: None, client_for: ClientFactory) -> dict[str, httpx.AsyncClient]:
    """One client per role, scoped as in SCOPES."""
    return {role: await client_for(role, scope) for role, scope in SCOPES.items()}


async def post(client: httpx.AsyncClient, document: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": document, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()
