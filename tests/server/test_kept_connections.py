"""Released PostgreSQL connections are kept at hand for the next borrower (server/fastpath/kept_connections.py) — without
ever starving a borrower waiting in the pool, and never handing out a connection that is broken or mid-transaction."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import httpx
import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from benchmarks.dashboard import DASHBOARD
from server.fastpath import kept_connections
from server.fastpath.kept_connections import KeptConnections
from server.load.service import load_document
from tests.documents import county_document


def _pool(orm: str) -> KeptConnections:
    if not orm.startswith("postgres"):
        pytest.skip("SQLite has one connection and no pool")
    pool = connections.get("default")._pool  # type: ignore[attr-defined]
    assert isinstance(pool, KeptConnections)
    return pool


async def test_more_concurrent_dashboards_than_pool_connections_all_answer(orm: str, client: httpx.AsyncClient) -> None:
    """Four times as many dashboards at once as the pool has connections, then a transaction: nobody waits forever
    on a connection kept idle while it queued in the pool."""
    pool = _pool(orm)
    await load_document(county_document(townships=2, villages=2))
    body = {"query": DASHBOARD, "variables": {"code": "522728001", "month": "2023-05"}}
    answers = await asyncio.wait_for(asyncio.gather(*(client.post("/graphql", json=body) for _ in range(4 * pool.get_max_size()))), 20)
    assert all(answer.status_code == 200 and "errors" not in answer.json() for answer in answers)
    async with in_transaction() as connection:
        await asyncio.wait_for(connection.execute_query("SELECT 1"), 10)


async def test_a_connection_released_inside_a_transaction_goes_back_to_the_pool(orm: str) -> None:
    pool = _pool(orm)
    connection = await pool.acquire()
    await connection.execute("BEGIN")
    await pool.release(connection)
    again = await pool.acquire()
    try:
        assert not again.is_in_transaction()  # the pool rolled it back before anyone could have it
        assert await again.fetchval("SELECT 1") == 1
    finally:
        await pool.release(again)


async def test_a_kept_connection_that_broke_is_not_handed_out(orm: str) -> None:
    pool = _pool(orm)
    connection = await pool.acquire()
    pid = connection.get_server_pid()
    await pool.release(connection)
    other = await asyncpg.connect(orm)  # not from the pool: the server ends that session (a restart, an administrator)
    try:
        assert await other.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await other.close()
    for _ in range(100):  # until asyncpg notices (it then hands the connection back to its pool by itself)
        if not kept_connections._open(connection):
            break
        await asyncio.sleep(0.02)
    again = await pool.acquire()
    try:
        assert not again.is_closed()
        assert await again.fetchval("SELECT 1") == 1
    finally:
        await pool.release(again)


async def test_a_connection_kept_too_long_is_checked_by_the_pool(orm: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = _pool(orm)
    connection = await pool.acquire()
    await pool.release(connection)
    monkeypatch.setattr(kept_connections, "KEEP_SECONDS", 0.0)
    handed_back: list[Any] = []
    release = type(pool._pool).release

    async def counted(self: Any, connection: Any, **kwargs: Any) -> None:
        handed_back.append(connection)
        await release(self, connection, **kwargs)

    monkeypatch.setattr(type(pool._pool), "release", counted)
    again = await pool.acquire()
    try:
        assert handed_back == [connection]  # stale: given to the pool (its inactivity rule and health check) first
        assert await again.fetchval("SELECT 1") == 1
    finally:
        await pool.release(again)
