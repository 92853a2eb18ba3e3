"""Dashboards watch alerts arrive over graphql-transport-ws while the township records meetings."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tests.alerts.wsclient import subscriber
from tests.rules.factories import township, world
from tests.serving import cli_token, served
from tests.writes import RECORD_MEETING, at, gid, label, month_start

pytestmark = pytest.mark.fixed_clock  # dates relative to "now" start at tests/conftest.py's FIXED_NOW

WATCH = "subscription($county: String!) { alertChanged(countyCode: $county) { kind at alert { id ruleId period status township { code } } } }"
ACK = 'mutation($id: ID!) { acknowledgeAlert(id: $id, note: "收到") { alert { status } userErrors { code } } }'


async def _record(http: httpx.AsyncClient, township_code: str, day, team) -> dict:  # type: ignore[no-untyped-def]
    response = await http.post("/graphql", json={"query": RECORD_MEETING, "variables": {"input": {
        "townshipCode": township_code, "kind": "THEMATIC", "heldAt": at(day), "attendeeIds": team,
    }}})
    body = response.json()
    assert "errors" not in body and body["data"]["recordMeeting"]["userErrors"] == [], body
    return body["data"]["recordMeeting"]


async def _events(ws, count: int, timeout: float = 10.0) -> list[dict]:  # type: ignore[no-untyped-def]
    events = []
    while len(events) < count:
        message = await asyncio.wait_for(ws.receive(), timeout)
        assert message["type"] == "next" and not message["payload"].get("errors"), message
        events.append(message["payload"]["data"]["alertChanged"])
    return events


@pytest.mark.heavy
async def test_a_bureau_dashboard_sees_alerts_raised_and_acknowledged_as_they_happen(orm: str, tmp_path: Path) -> None:
    w = await world(established_on=month_start(3))
    team = [gid("Person", p.id) for p in w.team]
    with served(orm, tmp_path / "serve.log") as base:
        bureau = cli_token(orm, "BUREAU", w.county.code)
        async with subscriber(base, bureau) as ws, httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {bureau}"}) as http:
            await ws.subscribe(WATCH, county=w.county.code)
            await ws.subscribed()
            sent = time.perf_counter()
            recorded = await _record(http, w.township.code, month_start(1) + timedelta(days=9), team)
            raised = await _events(ws, len(recorded["alertChanges"]))
            latency_ms = (time.perf_counter() - sent) * 1000
            print(f"write → subscriber (mutation sent → last of {len(raised)} events received): {latency_ms:.1f} ms")
            assert {(e["kind"], e["alert"]["ruleId"], e["alert"]["period"]) for e in raised} >= {
                ("RAISED", "cadence.thematic_monthly", label(month_start(1))),
            }
            assert all(e["alert"]["township"]["code"] == w.township.code for e in raised)

            target = next(e["alert"]["id"] for e in raised if e["alert"]["period"] == label(month_start(1)))
            acked = (await http.post("/graphql", json={"query": ACK, "variables": {"id": target}})).json()
            assert acked["data"]["acknowledgeAlert"]["alert"]["status"] == "ACKNOWLEDGED"
            [event] = await _events(ws, 1)
            assert event["kind"] == "ACKNOWLEDGED" and event["alert"]["id"] == target and event["alert"]["status"] == "ACKNOWLEDGED"


async def test_a_township_dashboard_hears_only_its_own_township_and_villages_cannot_listen(orm: str, tmp_path: Path) -> None:
    w = await world(established_on=month_start(3))
    other = await township(w.county, code="522728110", name="龙坪镇")
    team = [gid("Person", p.id) for p in w.team]
    with served(orm, tmp_path / "serve.log") as base:
        admin = cli_token(orm)
        async with subscriber(base, cli_token(orm, "TOWNSHIP", other.code)) as neighbour, \
                subscriber(base, cli_token(orm, "TOWNSHIP", w.township.code)) as own, \
                httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {admin}"}) as http:
            await neighbour.subscribe(WATCH, county=w.county.code)
            await own.subscribe(WATCH, county=w.county.code)
            await neighbour.subscribed()
            await own.subscribed()
            recorded = await _record(http, w.township.code, month_start(1) + timedelta(days=9), team)
            assert len(await _events(own, len(recorded["alertChanges"]))) == len(recorded["alertChanges"]) > 0
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(neighbour.receive(), 1.0)
        async with subscriber(base, cli_token(orm, "VILLAGE", w.village.code)) as village:
            await village.subscribe(WATCH, county=w.county.code)
            message = await asyncio.wait_for(village.receive(), 5)
            assert message["type"] == "error" and "Forbidden" in str(message["payload"])


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
@pytest.mark.heavy
async def test_with_two_server_processes_every_subscriber_hears_every_change(orm: str, tmp_path: Path) -> None:
    w = await world(established_on=month_start(3))
    team = [gid("Person", p.id) for p in w.team]
    with served(orm, tmp_path / "a.log") as first, served(orm, tmp_path / "b.log") as second:
        admin = cli_token(orm)
        async with subscriber(first, admin) as on_first, subscriber(second, admin) as on_second, \
                httpx.AsyncClient(base_url=second, headers={"Authorization": f"Bearer {admin}"}) as http:
            await on_first.subscribe(WATCH, county=w.county.code)
            await on_second.subscribe(WATCH, county=w.county.code)
            await on_first.subscribed()
            await on_second.subscribed()
            recorded = await _record(http, w.township.code, month_start(1) + timedelta(days=9), team)
            expected = sorted((c["kind"], c["alert"]["ruleId"], c["alert"]["period"] or "") for c in recorded["alertChanges"])
            assert expected, recorded  # a write that changed no alert would make the loop below pass trivially
            for ws in (on_first, on_second):
                heard = await _events(ws, len(expected))
                assert sorted((e["kind"], e["alert"]["ruleId"], e["alert"]["period"] or "") for e in heard) == expected
                with pytest.raises(TimeoutError):  # and nothing twice
                    await asyncio.wait_for(ws.receive(), 0.5)


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_a_dropped_listen_connection_is_re_established_and_subscribers_hear_again(orm: str, tmp_path: Path) -> None:
    import asyncpg

    from tests.conftest import POSTGRES_ADMIN_URL

    w = await world(established_on=month_start(3))
    team = [gid("Person", p.id) for p in w.team]
    database = orm.rsplit("/", 1)[1]
    with served(orm, tmp_path / "serve.log") as base:
        admin = cli_token(orm)
        async with subscriber(base, admin) as ws, httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {admin}"}) as http:
            await ws.subscribe(WATCH, county=w.county.code)
            await ws.subscribed()
            connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
            try:
                killed = await connection.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN %'", database)
                assert killed == 1
                for _ in range(50):  # the hub checks its connection every half second
                    await asyncio.sleep(0.2)
                    if await connection.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN %'", database):
                        break
                else:
                    pytest.fail("the LISTEN connection was not re-established")
            finally:
                await connection.close()
            recorded = await _record(http, w.township.code, month_start(1) + timedelta(days=9), team)
            assert len(await _events(ws, len(recorded["alertChanges"]))) == len(recorded["alertChanges"]) > 0
    assert "alert LISTEN connection re-established" in (tmp_path / "serve.log").read_text()
