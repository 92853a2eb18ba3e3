"""Write → alert visible to a subscriber: `acknowledgeAlert` over HTTP, `alertChanged(countyCode)` over graphql-transport-ws.

Latency is from sending the mutation to receiving the event; the bound is the same mutation's
HTTP round trip (the write itself), measured in the same loop.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx
import websockets

from benchmarks.figures import Figure, median, percentile

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"
TARGET_MS = 100.0
SUBSCRIBE = "subscription Changed($county: String!) { alertChanged(countyCode: $county) { kind at alert { id status } } }"
OPEN_ALERTS = """query Open($county: String!) { alerts(filter: {countyCode: $county, status: [OPEN]}, first: 100) {
  edges { node { id } } } }"""
ACKNOWLEDGE = "mutation Ack($id: ID!) { acknowledgeAlert(id: $id, note: \"bench\") { alert { id status } userErrors { code message } } }"


def available() -> bool:
    """The subscription exists in the committed schema (issue 4)."""
    return SCHEMA_FILE.exists() and "alertChanged(" in SCHEMA_FILE.read_text(encoding="utf-8")


async def measure(*, base: str, token: str, county_code: str, runs: int) -> list[Figure]:
    """The figure, or a row saying why it could not be taken (the subscription is issue 4's, still moving)."""
    if not available():
        return [Figure(name="write → subscriber", value=float("nan"), unit="ms", target="pending (issue 4)")]
    try:
        return await _measure(base=base, token=token, county_code=county_code, runs=runs)
    except (RuntimeError, TimeoutError, OSError, KeyError, websockets.WebSocketException) as exc:
        failed = Figure(name="write → subscriber", value=float("nan"), unit="ms", target="≤ 100 ms", met=False)
        failed.extra["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        return [failed]


async def _measure(*, base: str, token: str, county_code: str, runs: int) -> list[Figure]:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
        listed = (await client.post("/graphql", json={"query": OPEN_ALERTS, "variables": {"county": county_code}})).json()
        ids = [edge["node"]["id"] for edge in listed["data"]["alerts"]["edges"]][:runs]
        if not ids:
            return [Figure(name="write → subscriber", value=float("nan"), unit="ms", target="no OPEN alert to acknowledge")]
        ws_url = base.replace("http://", "ws://") + "/graphql"
        async with websockets.connect(ws_url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
            ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if ack.get("type") != "connection_ack":
                raise RuntimeError(f"websocket refused: {ack}")
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"county": county_code}}}))
            await asyncio.sleep(0.3)  # let the server register the subscription
            latencies, writes = [], []
            for alert_id in ids:
                started = time.perf_counter()
                receive = asyncio.ensure_future(_event_for(ws, alert_id))
                response = await client.post("/graphql", json={"query": ACKNOWLEDGE, "variables": {"id": alert_id}})
                writes.append(time.perf_counter() - started)
                await asyncio.wait_for(receive, 10)
                latencies.append(receive.result() - started)
                if "errors" in response.json():
                    raise RuntimeError(response.text[:500])
    value = median(latencies) * 1000
    return [Figure(
        name="write → event at subscriber", value=value, unit="ms", bound=median(writes) * 1000,
        bound_name="the mutation's HTTP round trip", target="≤ 100 ms", met=value <= TARGET_MS,
        extra={"p95": round(percentile(latencies, 95) * 1000, 2), "events": len(latencies)},
    )]


async def _event_for(ws: websockets.ClientConnection, alert_id: str) -> float:
    """perf_counter when the event about this alert arrives."""
    while True:
        message = json.loads(await ws.recv())
        data = message.get("payload", {}).get("data") if message.get("type") == "next" else None
        if data and data["alertChanged"]["alert"]["id"] == alert_id:
            return time.perf_counter()
        if message.get("type") in ("error", "complete") or (message.get("type") == "next" and not data):
            raise RuntimeError(f"subscription ended: {message}")
