"""A per-process cache of whole GraphQL query responses, keyed so that it can never serve another viewer's or stale data.

Key: the request body (query text, variables, operation name), the viewer's role and scope (what
permissions and masking depend on), the database's data version read *before* the query runs,
and a 15-minute time bucket ("today" and closed periods depend on the clock). Only queries are
cached, only answers without errors, only outside a transaction, bounded in bytes (LRU).

Data version: on PostgreSQL the `data_version` counter of *this* database, which every write
transaction (any process, any table but tokens and sweep claims) bumps at its commit through
triggers (models/migrations/0004_speed.py) — writes to other databases on the same server leave it
alone. It is read before the query runs, so a write that committed before a response is asked for
always changes the key, in every process. On SQLite the `data_version` pragma (commits by other
connections, e.g. `lianxi load`) together with `total_changes()` of this process's connection. A
response computed while a write commits may be stored under the older version, but then the version
has moved and nothing reads it.

Single flight: concurrent requests for the same key wait for the first one's answer instead of
computing it again (`ResponseCache.flight`).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import GraphQLError, OperationType, get_operation_ast
from tortoise import connections

from core.viewer import Viewer
from server.parse_cache import parsed

BUCKET_SECONDS = 900
SQLITE_VERSION = "SELECT total_changes() AS changes, (SELECT data_version FROM pragma_data_version) AS version"
POSTGRES_VERSION = "SELECT version FROM data_version WHERE id = 1"


@dataclass(frozen=True, slots=True)
class CachedResponse:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


async def _is_query(query: str, operation_name: str | None, max_tokens: int) -> bool:
    """Parsed as the endpoint will parse it (same options, so the same cache entry), long texts off the loop."""
    try:
        operation = get_operation_ast(await parsed(query, max_tokens=max_tokens), operation_name)
    except GraphQLError:
        return False
    return operation is not None and operation.operation is OperationType.QUERY


async def request_key(body: bytes, max_tokens: int) -> tuple[str, str | None, bytes] | None:
    """(query, operation name, canonical variables) when the body is a single query operation, else None."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return None
    operation = payload.get("operationName")
    if operation is not None and not isinstance(operation, str):
        return None
    if not await _is_query(payload["query"], operation, max_tokens):
        return None
    variables = orjson.dumps(payload.get("variables") or {}, option=orjson.OPT_SORT_KEYS)
    return payload["query"], operation, variables


async def data_version() -> str | None:
    """The database's data version now, or None when caching would be unsafe (inside an open transaction)."""
    connection: Any = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        rows = await connection.execute_query_dict(POSTGRES_VERSION)
        return str(rows[0]["version"])
    raw = getattr(connection, "_connection", None)
    if raw is not None and getattr(raw, "in_transaction", False):
        return None
    rows = await connection.execute_query_dict(SQLITE_VERSION)
    return f"{rows[0]['version']}:{rows[0]['changes']}"


def viewer_key(viewer: Viewer) -> tuple[str, str | None]:
    return viewer.role.value, viewer.scope_code


class ResponseCache:
    """A byte-bounded LRU of encoded responses."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[Any, ...], CachedResponse] = OrderedDict()
        self._bytes = 0
        self._flights: dict[tuple[Any, ...], asyncio.Event] = {}

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @staticmethod
    def key(request: tuple[str, str | None, bytes], viewer: Viewer, version: str) -> tuple[Any, ...]:
        return (*request, *viewer_key(viewer), version, int(time.time() // BUCKET_SECONDS))

    def get(self, key: tuple[Any, ...]) -> CachedResponse | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    @asynccontextmanager
    async def flight(self, key: tuple[Any, ...]) -> AsyncIterator[CachedResponse | None]:
        """Yields the cached answer (after waiting for an identical request in flight), or None: compute it and `put` it."""
        while True:
            found = self.get(key)
            if found is not None:
                yield found
                return
            running = self._flights.get(key)
            if running is None:
                break
            await running.wait()
            if self.get(key) is None:  # the first answer was not cacheable (an error): compute our own
                break
        done = self._flights[key] = asyncio.Event()
        try:
            yield None
        finally:
            if self._flights.get(key) is done:
                del self._flights[key]
            done.set()

    def put(self, key: tuple[Any, ...], response: CachedResponse) -> None:
        size = len(response.body)
        if size > self.max_bytes // 4:
            return
        if key in self._items:
            self._bytes -= len(self._items.pop(key).body)
        self._items[key] = response
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, dropped = self._items.popitem(last=False)
            self._bytes -= len(dropped.body)


def cacheable(status: int, body: bytes) -> bool:
    """A successful answer with data and no error anywhere in it."""
    return status == 200 and body.startswith(b'{"data":') and b'"errors":' not in body
