"""An operator manages tokens with `lianxi token`; clients without a valid one are turned away (HTTP and websocket)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from models.tokens import ApiToken
from server.auth.tokens import authenticate, create_demo_tokens, issue_token
from tests.auth.conftest import COUNTY, TOWNSHIP, VILLAGE
from tests.cli import run_cli
from tests.conftest import ClientFactory

QUERY = {"query": "{ counties { code } }"}


def _lianxi(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIANXI_DATABASE_URL": db_url, "COLUMNS": "200"}
    return run_cli("token", *args, env=env, text=True)


async def test_token_cli_create_list_revoke(world: None, orm: str, client_for: ClientFactory) -> None:
    created = _lianxi(orm, "create", "--role", "township", "--scope", TOWNSHIP, "--name", "沫阳镇 clerk", "--expires", "30")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert created.stdout == token + "\n" and token.startswith("lx_") and len(token) > 50
    row = await ApiToken.get(name="沫阳镇 clerk")
    assert row.scope_code == TOWNSHIP and row.token_hash != token and token.split("_", 2)[2] not in row.token_hash
    assert row.expires_at is not None and timedelta(days=29) < row.expires_at - datetime.now(UTC) <= timedelta(days=30)

    app_client = await client_for("ADMIN")
    headers = {"Authorization": f"Bearer {token}"}
    answer = await app_client.post("/graphql", json={"query": '{ township(code: "%s") { name } }' % TOWNSHIP}, headers=headers)
    assert answer.status_code == 200 and answer.json()["data"]["township"] is not None
    assert (await ApiToken.get(id=row.id)).last_used_at is not None

    listed = _lianxi(orm, "list")
    assert listed.returncode == 0 and "沫阳镇 clerk" in listed.stdout and TOWNSHIP in listed.stdout
    assert token.split("_", 2)[2] not in listed.stdout and row.token_hash not in listed.stdout

    revoked = _lianxi(orm, "revoke", str(row.id))
    assert revoked.returncode == 0, revoked.stderr
    # the server caches token rows; another process's revocation reaches it within seconds (server/auth/revocation.py)
    for _ in range(50):
        refused = await app_client.post("/graphql", json=QUERY, headers=headers)
        if refused.status_code == 401:
            break
        await asyncio.sleep(0.1)
    assert refused.status_code == 401 and refused.json()["errors"][0]["message"] == "token revoked"
    again = _lianxi(orm, "revoke", str(row.id))
    assert again.returncode == 1 and f"token {row.id} (沫阳镇 clerk) was already revoked at" in again.stderr
    unknown = _lianxi(orm, "revoke", "999999")
    assert unknown.returncode == 1 and "no token with id 999999" in unknown.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "ADMIN", "--scope", COUNTY], "ADMIN tokens have no scope"),
        (["--role", "BUREAU"], "BUREAU tokens need --scope"),
        (["--role", "BUREAU", "--scope", TOWNSHIP], "must be a 6-digit county code"),
        (["--role", "TOWNSHIP", "--scope", "522728999"], "no township with code 522728999"),
        (["--role", "VILLAGE", "--scope", TOWNSHIP], "must be a 12-digit village code"),
        (["--role", "AUDITOR", "--scope", "999999"], "no county with code 999999"),
        (["--role", "ADMIN", "--expires", "0"], "--expires must be a positive number of days"),
    ],
)
async def test_token_cli_rejects_bad_scopes_clearly(world: None, orm: str, args: list[str], message: str) -> None:
    result = _lianxi(orm, "create", *args)
    assert result.returncode == 1 and result.stdout == ""
    assert message in result.stderr, result.stderr


def test_token_cli_rejects_unknown_roles(sqlite_url: str) -> None:
    result = _lianxi(sqlite_url, "create", "--role", "KING")
    assert result.returncode == 2 and "invalid choice" in result.stderr


async def test_requests_without_a_valid_token_get_401(world: None, client_for: ClientFactory) -> None:
    app_client = await client_for("ADMIN")
    good = app_client.headers["Authorization"]
    expired = await issue_token("ADMIN", name="old")
    await ApiToken.filter(id=expired.id).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    cases = {
        None: "missing bearer token",
        "Basic dXNlcjpwYXNz": "must be `Bearer <token>`",
        "Bearer": "must be `Bearer <token>`",
        "Bearer nonsense": "invalid token",
        good[:-4] + "AAAA": "invalid token",  # right lookup, wrong secret
        "Bearer lx_000000000000_" + "A" * 43: "invalid token",  # unknown lookup
        f"Bearer {expired.token}": "token expired",
        "Bearer ' OR 1=1 --": "invalid token",
    }
    for header, message in cases.items():
        headers = {"Authorization": header} if header is not None else {}
        async with httpx.AsyncClient(transport=app_client._transport, base_url="http://lianxi.test", headers=headers) as anonymous:
            response = await anonymous.post("/graphql", json=QUERY)
            assert response.status_code == 401, (header, response.text)
            assert response.headers["www-authenticate"].startswith('Bearer realm="lianxi"')
            assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            assert message in response.json()["errors"][0]["message"], (header, response.text)
            get = await anonymous.get("/graphql", params={"query": "{ counties { code } }"})
            assert get.status_code == 401
            page = await anonymous.get("/graphql", headers={"Accept": "text/html"})
            assert page.status_code == 200 and "graphiql" in page.text.lower()
            health = await anonymous.get("/healthz")
            assert health.status_code == 200


async def test_last_used_is_written_at_most_once_a_minute(world: None) -> None:
    issued = await issue_token("BUREAU", scope=COUNTY)
    start = datetime.now(UTC)
    viewer = await authenticate(f"Bearer {issued.token}", now=start)
    assert (viewer.role.value, viewer.scope_code, viewer.county_code) == ("BUREAU", COUNTY, COUNTY)
    await authenticate(f"Bearer {issued.token}", now=start + timedelta(seconds=30))
    assert (await ApiToken.get(id=issued.id)).last_used_at == start
    await authenticate(f"Bearer {issued.token}", now=start + timedelta(seconds=61))
    assert (await ApiToken.get(id=issued.id)).last_used_at == start + timedelta(seconds=61)


async def test_demo_tokens_cover_every_role(world: None) -> None:
    tokens = await create_demo_tokens(COUNTY)
    assert set(tokens) == {"ADMIN", "BUREAU", "AUDITOR", "TOWNSHIP", "VILLAGE"}
    scopes = {role: (await authenticate(f"Bearer {token}")).scope_code for role, token in tokens.items()}
    assert scopes == {"ADMIN": None, "BUREAU": COUNTY, "AUDITOR": COUNTY, "TOWNSHIP": TOWNSHIP, "VILLAGE": VILLAGE}


class _WebSocket:
    """A graphql-transport-ws client driving the ASGI app directly (no network, no test-client shims)."""

    def __init__(self, app: object, subprotocol: str = "graphql-transport-ws") -> None:
        self.app = app
        self.inbox: asyncio.Queue[dict] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict] = asyncio.Queue()
        self.scope = {
            "type": "websocket", "path": "/graphql", "raw_path": b"/graphql", "root_path": "", "query_string": b"",
            "headers": [(b"host", b"lianxi.test"), (b"sec-websocket-protocol", subprotocol.encode())],
            "subprotocols": [subprotocol], "scheme": "ws", "server": ("lianxi.test", 80), "client": ("127.0.0.1", 1),
            "asgi": {"version": "3.0"}, "state": {},
        }

    async def __aenter__(self) -> _WebSocket:
        self.task = asyncio.create_task(self.app(self.scope, self.inbox.get, self.outbox.put))  # type: ignore[operator]
        await self.inbox.put({"type": "websocket.connect"})
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.inbox.put({"type": "websocket.disconnect", "code": 1000})
        await asyncio.wait_for(self.task, 5)

    async def receive(self) -> dict:
        while True:
            message = await asyncio.wait_for(self.outbox.get(), 5)
            if message["type"] == "websocket.accept":
                continue
            if message["type"] == "websocket.close":
                return {"closed": message.get("code")}
            return json.loads(message["text"])

    async def send(self, payload: dict) -> None:
        await self.inbox.put({"type": "websocket.receive", "text": json.dumps(payload)})


async def _ws_query(app: object, connection_payload: object) -> dict:
    async with _WebSocket(app) as ws:
        await ws.send({"type": "connection_init", "payload": connection_payload})
        ack = await ws.receive()
        if ack.get("type") != "connection_ack":
            return ack
        await ws.send({"id": "1", "type": "subscribe", "payload": {"query": '{ county(code: "%s") { code } }' % COUNTY}})
        return await ws.receive()


async def test_websocket_authenticates_in_connection_init(world: None, orm: str) -> None:
    from server.app import create_app
    from core.settings import load_settings

    township = (await issue_token("TOWNSHIP", scope=TOWNSHIP)).token
    bureau = (await issue_token("BUREAU", scope=COUNTY)).token
    app = create_app(load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_SWEEP": "false"}), manage_database=False)
    answer = await _ws_query(app, {"Authorization": f"Bearer {bureau}"})
    assert answer["payload"] == {"data": {"county": {"code": COUNTY}}}
    answer = await _ws_query(app, {"Authorization": f"Bearer {township}"})
    assert answer["payload"] == {"data": {"county": None}}
    for payload in ({}, {"Authorization": "Bearer lx_nope"}, {"Authorization": 42}):
        assert await _ws_query(app, payload) == {"closed": 4403}, payload
    async with _WebSocket(app, "graphql-ws") as legacy:  # the legacy protocol (no connection_init check) is refused
        assert (await legacy.receive())["closed"] is not None
