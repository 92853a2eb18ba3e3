"""The response cache on a shared database server: keyed on this database's own data version, single-flight, right across processes."""

from __future__ import annotations

import asyncio
import importlib
import sqlite3
import threading
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import orjson
import pytest
from tortoise import connections

from benchmarks.hierarchy import TREE
from server.load.service import load_document
from tests.conftest import POSTGRES_ADMIN_URL
from tests.documents import county_document
from tests.load.test_cli import lianxi_load
from tests.serving import cli_token, served
from tests.sql import count_statements

SMALL = {"townships": 1, "villages": 1, "grids": 1, "households": 1}
TREE_BODY = {"query": TREE, "variables": {"code": "522728"}}


async def _write_postgres_neighbour(stop: asyncio.Event) -> None:
    name = f"lianxi_neighbour_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        neighbour = await asyncpg.connect(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
        await neighbour.execute("CREATE TABLE noise (id serial PRIMARY KEY, payload text)")
        while not stop.is_set():  # a commit every few milliseconds, as a busy neighbour's application would
            await neighbour.execute("INSERT INTO noise (payload) VALUES (repeat('x', 2000))")
            await asyncio.sleep(0.002)
        await neighbour.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def _write_sqlite_neighbour(path: Path, stop: threading.Event) -> None:
    with sqlite3.connect(path) as neighbour:
        neighbour.execute("CREATE TABLE noise (id INTEGER PRIMARY KEY, payload TEXT)")
        while not stop.wait(0.002):
            neighbour.execute("INSERT INTO noise (payload) VALUES (?)", ("x" * 2000,))
            neighbour.commit()


@pytest.fixture
async def busy_neighbour(orm: str, tmp_path: Path) -> AsyncIterator[None]:
    """Another database on the same server (PostgreSQL) or another file (SQLite), written to throughout the test."""
    if orm.startswith("postgres"):
        stop = asyncio.Event()
        writer = asyncio.create_task(_write_postgres_neighbour(stop))
        await asyncio.sleep(0.3)
        yield
        stop.set()
        await writer
    else:
        halt = threading.Event()
        thread = threading.Thread(target=_write_sqlite_neighbour, args=(tmp_path / "neighbour.db", halt))
        thread.start()
        yield
        halt.set()
        thread.join()


async def _tree(client: httpx.AsyncClient) -> tuple[int, dict]:
    with count_statements() as statements:
        response = await client.post("/graphql", json=TREE_BODY)
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    return len(statements), response.json()["data"]


async def test_a_neighbour_database_being_written_does_not_empty_the_cache(client: httpx.AsyncClient, busy_neighbour: None) -> None:
    await load_document(county_document(**SMALL))
    first, _ = await _tree(client)
    repeats = []
    for _ in range(5):
        await asyncio.sleep(0.05)  # the neighbour commits several times in between
        repeats.append(await _tree(client))
    # Keyed on the server-wide WAL position, no repeat was a hit while the neighbour wrote. A stray commit to this
    # database by the suite's own background work (seen once in CI) may cost one miss; the neighbour's must not.
    hits = [again for again, _ in repeats if again < first]
    assert len(hits) >= 4, f"statements per repeat {[again for again, _ in repeats]}, {first} on the first ask: not cached"


async def test_eight_identical_misses_at_once_compute_the_tree_once(client: httpx.AsyncClient) -> None:
    await load_document(county_document(**SMALL))
    with count_statements() as statements:
        answers = await asyncio.gather(*(client.post("/graphql", json=TREE_BODY) for _ in range(8)))
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.content for answer in answers}) == 1
    village_reads = [sql for sql in statements if 'FROM "village"' in sql]
    assert len(village_reads) == 1, f"the tree was computed {len(village_reads)} times for 8 identical requests"


async def test_a_load_by_another_process_changes_the_next_answer_of_a_served_process(orm: str, tmp_path: Path) -> None:
    await load_document(county_document(**SMALL))
    token = cli_token(orm)
    with served(orm, tmp_path / "serve.log", {"LIANXI_RESPONSE_CACHE_MB": "64"}) as base:
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http:
            before = (await http.post("/graphql", json=TREE_BODY)).json()
            assert (await http.post("/graphql", json=TREE_BODY)).json() == before  # now a cache hit
            document = tmp_path / "more.json"
            document.write_bytes(orjson.dumps(county_document(**{**SMALL, "households": 2})))
            assert lianxi_load(orm, document).returncode == 0
            after = (await http.post("/graphql", json=TREE_BODY)).json()
    groups = after["data"]["county"]["townships"][0]["villages"][0]["grids"][0]["householdGroups"]
    assert len(groups) == 2 and after != before


async def test_every_table_a_query_reads_moves_the_data_version(orm: str) -> None:
    """A table added later without the trigger would let the cache serve stale answers (PostgreSQL; SQLite uses its pragma)."""
    unversioned = importlib.import_module("models.migrations.0004_speed").UNVERSIONED  # a module name starting with a digit
    if not orm.startswith("postgres"):
        pytest.skip("SQLite's data_version pragma covers every table of the file")
    connection = connections.get("default")
    tables = {r["tablename"] for r in await connection.execute_query_dict("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
    triggered = {r["table"] for r in await connection.execute_query_dict(
        "SELECT tgrelid::regclass::text AS table FROM pg_trigger WHERE tgname LIKE '%_data_version'")}
    assert {t.strip('"') for t in triggered} == tables - set(unversioned)
