"""A per-process cache of whole GraphQL query responses, keyed so that it can never serve another viewer's or stale data.

Key: the request body (query text, variables, operation name), the viewer's role and scope (what
permissions and masking depend on), the database's data version read *before* the query runs,
and a 15-minute time bucket ("today" and closed periods depend on the clock). Only queries are
cached, only answers without errors, only outside a transaction, bounded in bytes (LRU).

Data version: PostgreSQL's current WAL position (every commit, by any process, moves it);
SQLite's `data_version` pragma (commits by other connections, e.g. `lianxi load`) together with
`total_changes()` of this process's connection (its own writes). A response computed while a write
commits may be stored under the older version, but then the version has moved and nothing reads it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from tortoise import connections

from resolvers.permissions import Viewer

BUCKET_SECONDS = 900
SQLITE_VERSION = "SELECT total_changes() AS changes, (SELECT data_version FROM pragma_data_version) AS version"
POSTGRES_VERSION = "SELECT pg_current_wal_lsn()::text AS version"


@dataclass(frozen=True, slots=True)
class CachedResponse:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@lru_cache(maxsize=1024)
def _is_query(query: str, operation_name: str | None) -> bool:
    try:
        operation = get_operation_ast(parse(query, max_tokens=100_000), operation_name)
    except GraphQLError:
        return False
    return operation is not None and operation.operation is OperationType.QUERY


def request_key(body: bytes) -> tuple[str, str | None, bytes] | None:
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
    if not _is_query(payload["query"], operation):
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
