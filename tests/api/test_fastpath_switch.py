"""LIANXI_FASTPATH=on and off answer byte for byte alike: the README's queries and the direct path's hard cases, by POST and
by GET, sent to an app with the fast path (server/fastpath/) and to one with strawberry's standard path only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import orjson
import pytest

from core.settings import load_settings
from server.app import create_app
from server.auth.tokens import issue_token
from tests.intranet.test_readme import graphql_blocks
from tests.server.test_direct_execution import QUERIES

# README queries (mutations write: run twice they would not answer alike; a report records a run, whose number
# moves), the direct path's cases, and refusals
CASES: dict[str, tuple[str, dict[str, Any] | None, str | None]] = {
    **{f"README {name}": (query.replace("digest runId", "digest"), variables, None)
       for name, query, variables in graphql_blocks() if query.lstrip().startswith("query")},
    **QUERIES,
    "a syntax error": ("{ counties { code }", None, None),
    "an unknown field": ("{ counties { nope } }", None, None),
    "an unknown operation name": ("query A { counties { code } }", None, "B"),
    "a variable of the wrong type": ("query ($c: String!) { county(code: $c) { name } }", {"c": 5}, None),
}


@pytest.fixture
async def clients(demo: str) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """An ADMIN client to the app with the fast path on and one to the app with it off, on the same demo database."""
    on = load_settings({"LIANXI_DATABASE_URL": demo, "LIANXI_ENV": "test", "LIANXI_SWEEP": "false", "LIANXI_FASTPATH": "on"})
    assert on.fastpath and not replace(on, fastpath=False).fastpath
    issued = await issue_token("ADMIN", name="switch")
    headers = {"Authorization": f"Bearer {issued.token}"}
    opened = {
        mode: httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(replace(on, fastpath=mode == "on"), manage_database=False)),
                                base_url="http://lianxi.test", headers=headers)
        for mode in ("on", "off")
    }
    try:
        yield opened
    finally:
        for http in opened.values():
            await http.aclose()


async def _answers(http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None, name: str | None) -> list[tuple[int, bytes]]:
    body: dict[str, Any] = {"query": query, "variables": variables, "operationName": name}
    params = {"query": query, **({"variables": orjson.dumps(variables).decode()} if variables is not None else {}),
              **({"operationName": name} if name else {})}
    found = []
    for _ in range(2):  # the second time every cache (parse, validation, response) is warm
        posted = await http.post("/graphql", json=body)
        got = await http.get("/graphql", params=params, headers={"Accept": "application/json"})
        found += [(posted.status_code, posted.content), (got.status_code, got.content)]
    return found


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the connection layer is compared on PostgreSQL by the second run
async def test_every_case_answers_the_same_bytes_with_the_fast_path_on_and_off(clients: dict[str, httpx.AsyncClient]) -> None:
    assert len([name for name in CASES if name.startswith("README")]) >= 8
    with_data = 0
    for name, (query, variables, operation) in CASES.items():
        on = await _answers(clients["on"], query, variables, operation)
        off = await _answers(clients["off"], query, variables, operation)
        assert on == off, name
        with_data += on[0][1].startswith(b'{"data":{"')
    assert with_data >= len(CASES) - 4  # the refusals answer no data; everything else does
