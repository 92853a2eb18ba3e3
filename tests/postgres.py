"""The PostgreSQL server the tests use: where it is, and creating or dropping one uniquely named database on it."""

from __future__ import annotations

import os

import asyncpg

POSTGRES_ADMIN_URL = os.environ.get(
    "LIANXI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("LIANXI_REQUIRE_POSTGRES") == "1"


async def admin(sql: str) -> None:
    """Run one statement on the maintenance database (CREATE/DROP DATABASE cannot run inside one)."""
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def database_url(name: str) -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


async def create_database(name: str) -> None:
    await admin(f'CREATE DATABASE "{name}"')


async def drop_database(name: str) -> None:
    await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
