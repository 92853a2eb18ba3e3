"""A schema extension added to the app runs on every operation, whichever path answers it (POST, GET, websocket),
with the fast path on: the direct path declines a schema with an extension it does not do the work of
(server/fastpath/direct_execution.py), and the lean completion declines when an extension wraps resolvers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from core.settings import load_settings
from server.app import create_app
from server.auth.tokens import issue_token
from server.fastpath.direct_execution import replicates_extensions
from server.graphql import build_graphql_schema
from server.load.service import load_document
from tests.documents import county_document

QUERY = 'query Tree { county(code: "522728") { code townships { code villages { code } } } }'


class Recorded:
    """What the extensions saw: one entry per operation, and every field name a resolver was asked for."""

    operations: list[str | None] = []
    fields: list[str] = []


class Tracing(SchemaExtension):
    """An extension as a tracer would be written: a hook around the operation."""

    def on_operation(self) -> Iterator[None]:
        yield
        Recorded.operations.append(self.execution_context.operation_name)


class FieldTracing(SchemaExtension):
    """An extension with a `resolve` hook (graphql-core middleware): it must see every field, prefetched or not."""

    def resolve(self, _next: Any, root: Any, info: GraphQLResolveInfo, *args: Any, **kwargs: Any) -> Any:
        Recorded.fields.append(info.field_name)
        return _next(root, info, *args, **kwargs)


@pytest.fixture
def recorded() -> Iterator[type[Recorded]]:
    Recorded.operations, Recorded.fields = [], []
    yield Recorded
    Recorded.operations, Recorded.fields = [], []


class _Socket:
    """A graphql-transport-ws client driving the ASGI app directly."""

    def __init__(self, app: Any) -> None:
        self.app, self.inbox, self.outbox = app, asyncio.Queue[dict[str, Any]](), asyncio.Queue[dict[str, Any]]()
        self.scope = {"type": "websocket", "path": "/graphql", "raw_path": b"/graphql", "root_path": "", "query_string": b"",
                      "headers": [(b"host", b"lianxi.test"), (b"sec-websocket-protocol", b"graphql-transport-ws")],
                      "subprotocols": ["graphql-transport-ws"], "scheme": "ws", "server": ("lianxi.test", 80),
                      "client": ("127.0.0.1", 1), "asgi": {"version": "3.0"}, "state": {}}

    async def query(self, token: str, query: str) -> dict[str, Any]:
        task = asyncio.create_task(self.app(self.scope, self.inbox.get, self.outbox.put))
        await self.inbox.put({"type": "websocket.connect"})
        await self._send({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        assert (await self._receive())["type"] == "connection_ack"
        await self._send({"id": "1", "type": "subscribe", "payload": {"query": query}})
        answer = await self._receive()
        await self.inbox.put({"type": "websocket.disconnect", "code": 1000})
        await asyncio.wait_for(task, 5)
        return answer

    async def _send(self, payload: dict[str, Any]) -> None:
        await self.inbox.put({"type": "websocket.receive", "text": json.dumps(payload)})

    async def _receive(self) -> dict[str, Any]:
        while True:
            message = await asyncio.wait_for(self.outbox.get(), 5)
            if message["type"] != "websocket.accept":
                assert message["type"] == "websocket.send", message
                return dict(json.loads(message["text"]))


@pytest.fixture
async def token(orm: str) -> AsyncIterator[str]:
    await load_document(county_document(townships=2, villages=2))
    yield (await issue_token("ADMIN", name="extensions")).token


def _app(orm: str, *extensions: Any) -> Any:
    settings = load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_ENV": "test", "LIANXI_SWEEP": "false", "LIANXI_RESPONSE_CACHE_MB": "0"})
    assert settings.fastpath
    return create_app(replace(settings), manage_database=False, extensions=extensions)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_an_added_extension_runs_on_post_get_and_websocket(orm: str, token: str, recorded: type[Recorded]) -> None:
    app = _app(orm, Tracing, FieldTracing)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lianxi.test",
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        posted = await http.post("/graphql", json={"query": QUERY})
        assert recorded.operations == ["Tree"], "POST skipped the extension"
        got = await http.get("/graphql", params={"query": QUERY}, headers={"Accept": "application/json"})
        assert recorded.operations == ["Tree", "Tree"], "GET skipped the extension"
    socket = await _Socket(app).query(token, QUERY)
    assert recorded.operations == ["Tree", "Tree", "Tree"], "the websocket skipped the extension"
    assert socket["type"] == "next" and json.dumps(socket["payload"], ensure_ascii=False, separators=(",", ":")).encode() == posted.content
    assert posted.content == got.content and b'"villages":[{"code"' in posted.content
    # every field of the answer, prefetched subtrees included, went through the `resolve` hook on each of the three paths
    assert recorded.fields.count("villages") == 3 * 2 and recorded.fields.count("code") == 3 * (1 + 2 + 4)

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(orm)), base_url="http://lianxi.test",
                                 headers={"Authorization": f"Bearer {token}"}) as plain:
        assert (await plain.post("/graphql", json={"query": QUERY})).content == posted.content  # and nothing else changed


def test_the_direct_path_answers_only_for_the_extensions_it_replicates() -> None:
    settings = load_settings({})
    assert replicates_extensions(build_graphql_schema(settings))
    assert not replicates_extensions(build_graphql_schema(settings, extensions=[Tracing]))

    ours = build_graphql_schema(settings).extensions[0]

    class Subclassed(ours):  # type: ignore[misc,valid-type]  # inherits the mark, adds a hook
        def on_execute(self) -> Iterator[None]:
            yield

    assert replicates_extensions(SimpleNamespace(directives=(), extensions=(ours,)))
    assert not replicates_extensions(SimpleNamespace(directives=(), extensions=(ours, Subclassed)))
