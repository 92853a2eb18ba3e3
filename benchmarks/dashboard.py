"""A township dashboard under concurrent HTTP load against a real uvicorn, beside /healthz (one SELECT 1) under the same load."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

import httpx

from benchmarks.figures import Figure, median, percentile

DASHBOARD = """
query Dashboard($code: String!, $month: String!) {
  township(code: $code) {
    code name kind
    villages { code name kind households population }
    meetings(filter: {period: $month}, first: 50) {
      totalCount
      edges { node { number kind status heldAt title attendees { name } cases { number status } } }
    }
  }
  openAlerts: alerts(filter: {townshipCode: $code, status: [OPEN, ACKNOWLEDGED]}, first: 50) {
    totalCount
    edges { node { id ruleId severity period subjectCode message raisedAt assignee { name } } }
  }
  overdueCases: alerts(filter: {townshipCode: $code, ruleId: "case.overdue", status: [OPEN, ACKNOWLEDGED]}, first: 50) {
    totalCount
    edges { node { subjectCode message raisedAt } }
  }
}
"""
TARGET_P50_MS = 50.0

Request = Callable[[httpx.AsyncClient], Coroutine[Any, Any, httpx.Response]]


async def _load(*, base: str, token: str, request: Request, clients: int, per_client: int) -> list[float]:
    """`clients` concurrent clients, each sending `per_client` requests back to back; latency of each."""
    latencies: list[float] = []

    async def client_loop() -> None:
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
            await request(client)  # connect and warm up
            for _ in range(per_client):
                started = time.perf_counter()
                response = await request(client)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200 or (response.headers.get("content-type", "").startswith("application/json")
                                                   and "errors" in response.json()):
                    raise RuntimeError(f"dashboard request failed: {response.text[:500]}")

    await asyncio.gather(*(client_loop() for _ in range(clients)))
    return latencies


async def measure(
    *, base: str, token: str, township_code: str, month: str, clients: int, per_client: int, cached: bool, workers: int = 1
) -> list[Figure]:
    payload = {"query": DASHBOARD, "variables": {"code": township_code, "month": month}}

    async def dashboard(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post("/graphql", json=payload)

    async def healthz(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get("/healthz")

    started = time.perf_counter()
    latencies = await _load(base=base, token=token, request=dashboard, clients=clients, per_client=per_client)
    wall = time.perf_counter() - started
    floor = await _load(base=base, token=token, request=healthz, clients=clients, per_client=per_client)
    p50 = median(latencies) * 1000
    figure = Figure(
        name=f"township dashboard p50 ({clients} clients, {'response cache hit' if cached else 'no response cache'}"
             + (f", {workers} workers)" if workers > 1 else ")"),
        value=p50, unit="ms",
        bound=median(floor) * 1000, bound_name="/healthz p50, same load", target="p50 ≤ 50 ms", met=p50 <= TARGET_P50_MS,
        extra={
            "p95": round(percentile(latencies, 95) * 1000, 2), "boundP95": round(percentile(floor, 95) * 1000, 2),
            "requests": len(latencies), "throughput": round(len(latencies) / wall, 1), "township": township_code,
        },
    )
    return [figure]
