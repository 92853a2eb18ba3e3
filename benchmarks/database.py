"""Benchmark databases: a fresh one per run for the demo import, and a cached province database keyed by `data_key()`.

SQLite databases are files under the cache directory; PostgreSQL databases are created on the
server named by LIANXI_BENCH_POSTGRES_URL (default: the test server) and a province database is
kept there between runs (its name carries `data_key()`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from tortoise import connections

from benchmarks.data import ImportFigure, data_key, documents, import_document
from server.db import database, migrate_database

POSTGRES_ADMIN_URL = os.environ.get("LIANXI_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@dataclass(frozen=True, slots=True)
class Target:
    backend: str  # "sqlite" | "postgres"
    cache_dir: Path

    def url(self, name: str) -> str:
        if self.backend == "sqlite":
            return f"sqlite://{self.cache_dir / (name + '.db')}"
        return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


async def _admin(sql: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    try:
        return list(await connection.fetch(sql))
    finally:
        await connection.close()


async def _exists(target: Target, name: str) -> bool:
    if target.backend == "sqlite":
        return (target.cache_dir / f"{name}.db").exists() and (target.cache_dir / f"{name}.done").exists()
    rows = await _admin(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    return bool(rows) and (target.cache_dir / f"{name}.pg.done").exists()


async def _create(target: Target, name: str) -> str:
    """An empty, migrated database (replacing any leftover of the same name)."""
    await drop(target, name)
    if target.backend == "postgres":
        await _admin(f'CREATE DATABASE "{name}"')
    url = target.url(name)
    await migrate_database(url)
    return url


async def drop(target: Target, name: str) -> None:
    if target.backend == "sqlite":
        for suffix in (".db", ".db-wal", ".db-shm", ".done"):
            (target.cache_dir / f"{name}{suffix}").unlink(missing_ok=True)
    else:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        (target.cache_dir / f"{name}.pg.done").unlink(missing_ok=True)


@asynccontextmanager
async def fresh_county(target: Target) -> AsyncIterator[tuple[str, list[ImportFigure]]]:
    """A new database holding the demo county, imported (and timed) now; dropped afterwards."""
    name = f"lianxi_bench_{uuid.uuid4().hex[:8]}"
    url = await _create(target, name)
    try:
        async with database(url, apply_migrations=False):
            figures = [await import_document(document) for document in documents("county")]
        yield url, figures
    finally:
        await drop(target, name)


async def province(target: Target, *, rebuild: bool = False) -> tuple[str, list[ImportFigure]]:
    """The cached province database (88 counties); built through the importer when missing (figures empty on a hit)."""
    name = f"lianxi_bench_province_{data_key()}"
    target.cache_dir.mkdir(parents=True, exist_ok=True)
    if not rebuild and await _exists(target, name):
        return target.url(name), []
    url = await _create(target, name)
    async with database(url, apply_migrations=False):
        figures = [await import_document(document) for document in documents("province")]
        if target.backend == "postgres":  # after a bulk load, as an operator would (autovacuum may be off, or not yet run)
            await connections.get("default").execute_script("ANALYZE")
    (target.cache_dir / (f"{name}.done" if target.backend == "sqlite" else f"{name}.pg.done")).write_text("ok\n")
    return url, figures
