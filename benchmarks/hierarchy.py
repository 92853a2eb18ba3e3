"""Full county tree over HTTP (real uvicorn) against one hand-written SQL query per level + JSON; and SQL statements per request."""

from __future__ import annotations

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import httpx

from benchmarks.bound import county_tree_bound
from benchmarks.figures import Figure, median

TREE = """
query Tree($code: String!) {
  county(code: $code) {
    name
    bureau { name roles { role unitCode } }
    townships {
      code name kind
      jointMeeting { establishedOn conveners { name } }
      supervisor(at: "2023-06-30") { name }
      villages {
        code name households population groups
        grids { code worker { name } householdGroups { code households head { name } } }
        partyGroups { code leader { name } }
      }
    }
  }
}
"""
TARGET_RATIO = 10.0


async def tree_over_http(*, base: str, token: str, county_code: str, runs: int) -> tuple[list[float], int]:
    """Seconds per request (after one warm-up) and the response size."""
    headers = {"Authorization": f"Bearer {token}"}
    payload = {"query": TREE, "variables": {"code": county_code}}
    times: list[float] = []
    size = 0
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:
        for attempt in range(runs + 1):
            started = time.perf_counter()
            response = await client.post("/graphql", json=payload)
            elapsed = time.perf_counter() - started
            body = response.json()
            if response.status_code != 200 or "errors" in body:
                raise RuntimeError(f"tree query failed: {response.text[:500]}")
            size = len(response.content)
            if attempt:
                times.append(elapsed)
    return times, size


async def tree_statements(*, county_code: str) -> int:
    """SQL statements of one tree request, counted in-process over the same ASGI app (ADMIN token)."""
    from server.app import create_app
    from server.auth.tokens import issue_token
    from core.settings import load_settings
    from tests.sql import count_statements

    app = create_app(load_settings({"LIANXI_SWEEP": "false"}), manage_database=False)
    issued = await issue_token("ADMIN", name="bench statements")
    headers = {"Authorization": f"Bearer {issued.token}"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers, timeout=120) as client:
        await client.post("/graphql", json={"query": "{ __typename }"})  # the token's first use writes last_used
        with count_statements() as statements:
            response = await client.post("/graphql", json={"query": TREE, "variables": {"code": county_code}})
        if response.status_code != 200:
            raise RuntimeError(response.text[:500])
    return len(statements)


async def bound_times(*, county_code: str, runs: int) -> tuple[list[float], int]:
    """The lower bound: same rows, one SQL statement per level, nested and encoded with orjson."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    times: list[float] = []
    size = 0
    for attempt in range(runs + 1):
        started = time.perf_counter()
        body = await county_tree_bound(county_code=county_code, on=today, supervisor_on=date(2023, 6, 30))
        elapsed = time.perf_counter() - started
        size = len(body)
        if attempt:
            times.append(elapsed)
    return times, size


async def measure(*, base: str, token: str, county_code: str, runs: int, cached: bool) -> list[Figure]:
    """Uncached: every request executes (a new data version each time would do the same); cached: repeats hit the cache."""
    http, size = await tree_over_http(base=base, token=token, county_code=county_code, runs=runs)
    bound, bound_size = await bound_times(county_code=county_code, runs=runs)
    statements = await tree_statements(county_code=county_code)
    tree = Figure(
        name=f"county tree over HTTP (uvicorn, {'response cache hit' if cached else 'no response cache'})",
        value=median(http) * 1000, unit="ms",
        bound=median(bound) * 1000, bound_name="SQL per level + orjson", target="≤ 10× bound",
        extra={"bytes": size, "boundBytes": bound_size, "runs": runs},
    )
    tree.met = tree.ratio is not None and tree.ratio <= TARGET_RATIO
    if cached:
        return [tree]
    return [tree, Figure(name="SQL statements per tree request", value=statements, unit="statements",
                         target="independent of data size (tests/api/test_statement_counts.py)")]
