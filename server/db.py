"""Tortoise ORM configuration and the database lifecycle shared by the app, the CLI and tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import importlib
from typing import Any

import sqlite3
from datetime import UTC, datetime

import asyncpg
import tortoise.backends.sqlite.executor  # noqa: F401  (registers tortoise's adapters, which we refine below)
from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.migrations.api import migrate

from core.settings import load_settings
from server.auth.revocation import WATCH



def _sqlite_datetime(value: datetime) -> str:
    """SQLite compares datetimes as text, so every aware value (filters included) is written in UTC.

    tortoise stores rows in UTC but passes filter values through as given: `held_at < 2023-06-01
    00:00+08:00` would compare against the local text and shift month and year edges by eight hours.
    """
    return (value.astimezone(UTC) if value.tzinfo is not None else value).isoformat(" ")


sqlite3.register_adapter(datetime, _sqlite_datetime)

MODEL_MODULES = [
    "models.units",
    "models.people",
    "models.supervision",
    "models.meetings",
    "models.cases",
    "models.alerts",
    "models.audit",
    "models.deliveries",
    "models.tokens",
    "models.visits",
    "models.rotation",
]


POOL_SIZE = 10  # PostgreSQL connections per server process (LIANXI_DATABASE_URL's `?maxsize=` overrides it)


class PooledConnection(asyncpg.Connection):  # type: ignore[misc]
    """A pool connection released without asyncpg's reset query (one round trip per ORM statement).

    The reset (`pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`) undoes session state, and
    lianxi creates none on pool connections: advisory locks are transaction-scoped, no cursors or
    session settings, LISTEN runs on the hub's own connection. asyncpg still rolls back an open
    transaction on release.
    """

    def get_reset_query(self) -> str:
        return ""


def _connection(database_url: str, fastpath: bool) -> str | dict[str, Any]:
    if not database_url.startswith(("postgres://", "postgresql://")):
        return database_url
    config = expand_db_url(database_url)
    if fastpath:  # asyncpg, a query's statements on one connection (server/fastpath/request_connection.py); else tortoise's own
        config["engine"] = "server.fastpath.pg_engine"
    config["credentials"]["connection_class"] = PooledConnection
    # A query holds one connection from its first statement to its end (server/fastpath/request_connection.py): with tortoise's
    # default of 5, eight concurrent queries queued in the pool. `?maxsize=N` in the URL overrides it.
    config["credentials"].setdefault("maxsize", POOL_SIZE)
    return config


def tortoise_config(database_url: str, *, fastpath: bool = True) -> dict[str, Any]:
    """Build the Tortoise config; times are stored in UTC (use_tz) and shown in county time.

    `fastpath` (Settings.fastpath, LIANXI_FASTPATH) picks the PostgreSQL client: ours (server/fastpath/pg_engine.py),
    or tortoise's asyncpg client as it ships."""
    return {
        "connections": {"default": _connection(database_url, fastpath)},
        "apps": {
            "lianxi": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "models.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _default_config() -> dict[str, Any]:
    return tortoise_config(load_settings().database_url)


def __getattr__(name: str) -> Any:
    """`TORTOISE_ORM`, read by `tortoise makemigrations` ([tool.tortoise] in pyproject.toml), built on first use:
    importing this module must not read the settings (a bad one is reported by the CLI, not as an import traceback)."""
    if name == "TORTOISE_ORM":
        return _default_config()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


async def migrate_database(database_url: str) -> None:
    """Apply every migration in models/migrations to the database (idempotent), then make sure every table moves the data version."""
    await migrate(config=tortoise_config(database_url))
    if database_url.startswith(("postgres://", "postgresql://")):
        await Tortoise.init(config=tortoise_config(database_url))
        await ensure_version_triggers()
    await Tortoise.close_connections()


async def ensure_version_triggers() -> None:
    """Add the data-version trigger (migration 0004_speed) to any table created after it, so no table is ever missed."""
    speed = importlib.import_module("models.migrations.0004_speed")  # a module name starting with a digit
    connection = Tortoise.get_connection("default")
    rows = await connection.execute_query_dict(
        "SELECT t.tablename FROM pg_tables t WHERE t.schemaname = current_schema() AND NOT EXISTS ("
        " SELECT 1 FROM pg_trigger g WHERE g.tgrelid = (quote_ident(t.tablename))::regclass AND g.tgname LIKE '%_data_version')"
    )
    for row in rows:
        if row["tablename"] not in speed.UNVERSIONED:
            await connection.execute_script(speed.version_trigger_sql(row["tablename"]))


@asynccontextmanager
async def database(database_url: str, *, apply_migrations: bool = True) -> AsyncIterator[None]:
    """Open the ORM for a CLI command or a test: migrate, init, yield, close."""
    if apply_migrations:
        await migrate_database(database_url)
    await Tortoise.init(config=tortoise_config(database_url))
    try:
        yield
    finally:
        await WATCH.stop()  # a poll of the token watch (started by any authentication inside) must not outlive the pool
        await Tortoise.close_connections()
