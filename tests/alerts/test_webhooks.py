"""The county bureau's receivers get every alert change exactly once, even when they are down for a while."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from models.deliveries import WebhookDelivery
from server.alerting.signing import dingtalk_url, verify
from tests.alerts.receiver import Receiver
from tests.rules.factories import world
from tests.serving import cli_token, free_port, served
from tests.writes import RECORD_MEETING, at, gid, label, month_start

pytestmark = pytest.mark.fixed_clock  # dates relative to "now" start at tests/conftest.py's FIXED_NOW

SECRET = "s3cret-县信访局"
DELIVERIES = """query($filter: AlertFilter) { alerts(filter: $filter) { edges { node { period status
  deliveries { receiver receiverKind event status attempts lastError deliveredAt } } } } }"""


def _config(path: Path, port: int, county: str) -> Path:
    path.write_text(f"""
[[receivers]]
name = "alertmanager"
county = "{county}"
kind = "ALERTMANAGER"
url = "http://127.0.0.1:{port}/am"
secret = "{SECRET}"

[[receivers]]
name = "bureau-wecom"
county = "{county}"
kind = "WECOM"
url = "http://127.0.0.1:{port}/wecom?key=abc"
severities = ["VIOLATION"]

[[receivers]]
name = "bureau-dingtalk"
county = "{county}"
kind = "DINGTALK"
url = "http://127.0.0.1:{port}/ding?access_token=xyz"
secret = "{SECRET}"
events = ["RAISED", "RESOLVED"]
""", encoding="utf-8")
    return path


async def _until(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.1)


async def _record(http: httpx.AsyncClient, township: str, day, team) -> dict:  # type: ignore[no-untyped-def]
    body = (await http.post("/graphql", json={"query": RECORD_MEETING, "variables": {"input": {
        "townshipCode": township, "kind": "THEMATIC", "heldAt": at(day), "attendeeIds": team}}})).json()
    assert body["data"]["recordMeeting"]["userErrors"] == [], body
    return body["data"]["recordMeeting"]


async def test_a_receiver_down_then_up_gets_every_notification_exactly_once(orm: str, tmp_path: Path) -> None:
    w = await world(established_on=month_start(3))
    team = [gid("Person", p.id) for p in w.team]
    port = free_port()
    env = {
        "LIANXI_WEBHOOKS_CONFIG": str(_config(tmp_path / "receivers.toml", port, w.county.code)),
        "LIANXI_WEBHOOK_BACKOFF_SECONDS": "0.2", "LIANXI_WEBHOOK_BACKOFF_MAX_SECONDS": "1",
    }
    receiver = Receiver(port=port, refuse_first=2)
    with served(orm, tmp_path / "serve.log", env) as base:
        admin = cli_token(orm)
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {admin}"}) as http:
            last = month_start(1)
            recorded = await _record(http, w.township.code, last + timedelta(days=9), team)
            raised = [c for c in recorded["alertChanges"] if c["kind"] == "RAISED"]
            assert raised, recorded
            # the receiver is down: deliveries wait, retried with backoff, their errors shown on the alert
            await _until(lambda: WebhookDelivery.filter(attempts__gte=2).exists())
            shown = (await http.post("/graphql", json={"query": DELIVERIES, "variables": {"filter": {"period": label(last)}}})).json()
            pending = [d for e in shown["data"]["alerts"]["edges"] for d in e["node"]["deliveries"]]
            assert pending and all(d["status"] == "PENDING" and d["lastError"] for d in pending), pending

            await receiver.start()
            try:
                expected = await WebhookDelivery.all().count()
                await _until(lambda: _all_delivered(expected))
                # the month is made good: the resolution is sent too
                resolved = await _record(http, w.township.code, last + timedelta(days=19), team)
                assert any(c["kind"] == "RESOLVED" for c in resolved["alertChanges"])
                expected = await WebhookDelivery.all().count()
                await _until(lambda: _all_delivered(expected))
                await asyncio.sleep(1.5)  # any duplicate would arrive within a few backoff periods
            finally:
                await receiver.stop()

            ids = [r.headers["x-lianxi-delivery"] for r in receiver.received]
            assert len(ids) == len(set(ids)) == expected, "each delivery exactly once"
            assert receiver.refused == 2
            _check_formats(receiver)
            final = (await http.post("/graphql", json={"query": DELIVERIES, "variables": {"filter": {"period": label(last)}}})).json()
            deliveries = [d for e in final["data"]["alerts"]["edges"] for d in e["node"]["deliveries"]]
            assert {d["status"] for d in deliveries} == {"DELIVERED"} and max(d["attempts"] for d in deliveries) >= 2
            assert {d["event"] for d in deliveries} == {"RAISED", "RESOLVED"}


async def _all_delivered(expected: int) -> bool:
    return expected > 0 and await WebhookDelivery.filter(status="DELIVERED").count() == expected


def _check_formats(receiver: Receiver) -> None:
    by_path: dict[str, list] = {}
    for request in receiver.received:
        by_path.setdefault(request.path, []).append(request)
    am = [json.loads(r.body) for r in by_path["/am"]]
    assert {p["status"] for p in am} == {"firing", "resolved"}
    for request in by_path["/am"]:
        payload = json.loads(request.body)
        assert payload["version"] == "4" and payload["receiver"] == "alertmanager" and len(payload["alerts"]) == 1
        alert = payload["alerts"][0]
        assert alert["labels"]["alertname"].startswith(("cadence.", "supervision.")) and len(alert["fingerprint"]) == 16
        assert alert["endsAt"] == "0001-01-01T00:00:00Z" if payload["status"] == "firing" else alert["endsAt"].endswith("Z")
        assert verify(secret=SECRET, timestamp=request.headers["x-lianxi-timestamp"], body=request.body, header=request.headers["x-lianxi-signature"])
        assert not verify(secret="wrong", timestamp=request.headers["x-lianxi-timestamp"], body=request.body, header=request.headers["x-lianxi-signature"])
    for request in by_path["/wecom"]:
        payload = json.loads(request.body)
        assert payload["msgtype"] == "markdown" and "罗甸县" in payload["markdown"]["content"]
        assert "x-lianxi-signature" not in request.headers  # no secret configured for this receiver
    for request in by_path["/ding"]:
        payload = json.loads(request.body)
        assert payload["msgtype"] == "markdown" and payload["markdown"]["title"]
        stamp = int(request.query["timestamp"])
        expected = dingtalk_url("http://x/ding?access_token=xyz", secret=SECRET, timestamp_ms=stamp)
        assert httpx.URL(expected).params["sign"] == request.query["sign"]


@pytest.mark.parametrize("kind", ["ALERTMANAGER"])
def test_a_bad_receivers_file_stops_the_server_with_the_entry_named(tmp_path: Path, kind: str) -> None:
    import subprocess
    import sys

    bad = tmp_path / "receivers.toml"
    bad.write_text(f'[[receivers]]\nname = "x"\ncounty = "5227"\nkind = "{kind}"\nurl = "http://127.0.0.1:1/"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--port", "1"], capture_output=True, text=True, timeout=60,
        env={**__import__("os").environ, "LIANXI_WEBHOOKS_CONFIG": str(bad), "LIANXI_DATABASE_URL": f"sqlite://{tmp_path / 'x.db'}"},
    )
    assert result.returncode == 2 and "receivers[0].county must be a 6-digit county code" in result.stderr
