"""One pool connection per API query instead of one per statement (PostgreSQL).

asyncpg's pool costs ≈ 37 µs of CPU to acquire and release a connection (measured: 88 µs per statement
through tortoise, 51 µs on a held connection), and the ORM does it around every statement: a dashboard's
12 statements paid it 12 times. Inside `one_connection()` (server/fastpath/direct_execution.py wraps each query's
execution in it) the first statement takes a connection from the pool and the others reuse it, one at a
time (root fields run concurrently; a lock keeps their statements in turn on the one connection); it goes
back to the pool when the block ends. Transactions are untouched: tortoise gives each its own connection.
A task that outlives the block (none should) falls back to the pool.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from types import TracebackType
from typing import Any

from tortoise.backends.asyncpg.client import AsyncpgDBClient

from server.fastpath.kept_connections import KeptConnections


class _Held:
    """The request's connection: taken on first use, shared in turn, returned at the end.

    The client is the first `PinnedAsyncpgClient` that asks (a query that reads nothing never looks one up)."""

    __slots__ = ("client", "lock", "connection", "closed")

    def __init__(self) -> None:
        self.client: PinnedAsyncpgClient | None = None
        self.lock, self.connection, self.closed = asyncio.Lock(), None, False

    async def close(self) -> None:
        if self.client is None:  # nothing was read
            self.closed = True
            return
        async with self.lock:
            self.closed = True
            connection, self.connection = self.connection, None
        if connection is not None:
            await self.client._pool.release(connection)


class _Use:
    """One statement's use of the held connection (or, once the block has ended, of a pool connection)."""

    __slots__ = ("held", "pooled")

    def __init__(self, held: _Held) -> None:
        self.held, self.pooled = held, None

    async def __aenter__(self) -> Any:
        held = self.held
        client = held.client
        assert client is not None  # bound by PinnedAsyncpgClient.acquire_connection
        await held.lock.acquire()
        if held.closed:  # a task that outlived the block: the pool, as without it
            held.lock.release()
            self.pooled = AsyncpgDBClient.acquire_connection(client)
            return await self.pooled.__aenter__()
        try:
            if held.connection is None:
                wrapper = AsyncpgDBClient.acquire_connection(client)
                await wrapper.ensure_connection()  # the pool is made on first use
                held.connection = await client._pool.acquire()
        except BaseException:
            held.lock.release()
            raise
        return held.connection

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self.pooled is not None:
            await self.pooled.__aexit__(kind, error, trace)
        else:
            self.held.lock.release()


_HELD: ContextVar[_Held | None] = ContextVar("lianxi_request_connection", default=None)


class PinnedAsyncpgClient(AsyncpgDBClient):
    """tortoise's asyncpg client, statements of a `one_connection()` block sharing one connection, released
    connections kept at hand (server/fastpath/kept_connections.py)."""

    async def create_pool(self, **kwargs: Any) -> Any:
        # at most half the pool kept: an idle process holds that many connections open (the rest the pool closes
        # after its inactivity lifetime), a busy one still finds most of its borrowers served from the list
        return KeptConnections(await super().create_pool(**kwargs), keep=max(1, self.pool_maxsize // 2))

    def acquire_connection(self) -> Any:
        held = _HELD.get()
        if held is not None and not held.closed:
            if held.client is None:
                held.client = self
            if held.client is self:
                return _Use(held)
        return super().acquire_connection()


class one_connection:  # noqa: N801 - used as `async with one_connection():`, like the function it replaced
    """Statements inside share one pool connection (PostgreSQL; elsewhere nothing changes).

    A class rather than an `@asynccontextmanager` generator: it wraps every query, and the generator's
    machinery cost as much as the rest of a `{ __typename }` request's connection handling."""

    __slots__ = ("held", "token")

    async def __aenter__(self) -> None:
        self.held = _Held()
        self.token = _HELD.set(self.held)

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        _HELD.reset(self.token)
        await self.held.close()
