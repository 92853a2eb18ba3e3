"""A revoked or expired token loses its live sockets (and its cached lookups) within seconds, on every server process."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import websockets

from models.tokens import ApiToken
from server.load.service import load_document
from tests.alerts.wsclient import Subscriber, subscriber
from tests.cli import run_cli
from tests.documents import county_document
from tests.serving import cli_token, served

WATCH = "subscription { alertChanged(countyCode: \"522728\") { kind } }"
WITHIN = 6.0  # seconds: the poll runs every 2 s; PostgreSQL's NOTIFY is at once


async def _closed(ws: Subscriber) -> int | None:
    """Wait until the server closes the socket; its close code."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await asyncio.wait_for(ws.receive(), WITHIN)
    return closed.value.rcvd.code if closed.value.rcvd else None


async def _refused_over_http(base: str, token: str) -> str:
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http:
        for _ in range(int(WITHIN * 10)):
            response = await http.post("/graphql", json={"query": "{ counties { code } }"})
            if response.status_code == 401:
                return str(response.json()["errors"][0]["message"])
            await asyncio.sleep(0.1)
    raise AssertionError("the revoked token still works over HTTP")


def _revoke(db_url: str, token_id: int) -> None:
    env = {**os.environ, "LIANXI_DATABASE_URL": db_url}
    done = run_cli("token", "revoke", str(token_id), env=env)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_revoking_a_token_closes_its_subscriptions_on_every_process(orm: str, tmp_path: Path) -> None:
    await load_document(county_document(townships=1, villages=1, grids=1, households=1))
    token = cli_token(orm, "BUREAU", "522728")
    token_id = (await ApiToken.get(name="served bureau")).id
    with served(orm, tmp_path / "one.log") as one, served(orm, tmp_path / "two.log") as two:
        async with subscriber(one, token) as first, subscriber(two, token) as second:
            for ws in (first, second):
                await ws.subscribe(WATCH)
                await ws.subscribed()
            for base in (one, two):  # each process has the token cached now
                async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http:
                    assert (await http.post("/graphql", json={"query": "{ counties { code } }"})).status_code == 200
            started = asyncio.get_running_loop().time()
            _revoke(orm, token_id)
            assert await _closed(first) == 4403 and await _closed(second) == 4403
            print(f"both sockets closed {asyncio.get_running_loop().time() - started:.2f} s after the revoke command")
        for base in (one, two):
            assert await _refused_over_http(base, token) == "token revoked"


@pytest.mark.parametrize("db_url", ["postgres", "sqlite"], indirect=True)
async def test_an_expiring_token_loses_its_subscription_when_it_expires(orm: str, tmp_path: Path) -> None:
    await load_document(county_document(townships=1, villages=1, grids=1, households=1))
    token = cli_token(orm, "BUREAU", "522728")
    with served(orm, tmp_path / "serve.log") as base:
        await ApiToken.filter(name="served bureau").update(expires_at=datetime.now(UTC) + timedelta(seconds=3))
        async with subscriber(base, token) as ws:
            await ws.subscribe(WATCH)
            await ws.subscribed()
            assert await _closed(ws) == 4403
        assert await _refused_over_http(base, token) == "token expired"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_revocation_by_another_process_reaches_a_sqlite_server(orm: str, tmp_path: Path) -> None:
    await load_document(county_document(townships=1, villages=1, grids=1, households=1))
    token = cli_token(orm, "BUREAU", "522728")
    with served(orm, tmp_path / "serve.log") as base:
        async with subscriber(base, token) as ws:
            await ws.subscribe(WATCH)
            await ws.subscribed()
            _revoke(orm, (await ApiToken.get(name="served bureau")).id)
            assert await _closed(ws) == 4403
        assert await _refused_over_http(base, token) == "token revoked"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_websocket_message_larger_than_the_body_limit_closes_the_socket(orm: str, tmp_path: Path) -> None:
    token = cli_token(orm)
    with served(orm, tmp_path / "serve.log", {"LIANXI_MAX_BODY_BYTES": "20000"}) as base:
        async with subscriber(base, token) as ws:
            await ws.connection.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "{ __typename }", "variables": {"x": "y" * 30_000}}}))
            assert await _closed(ws) == 1009
