"""The Luodian 2023 demo, built and loaded once per test session, copied for every test that asks for `demo`.

Building the document takes a fraction of a second but loading it takes seconds per database, so
each backend gets one loaded template per session (per xdist worker): PostgreSQL copies it with
`CREATE DATABASE … TEMPLATE` (no connection may stay open on the template), SQLite copies the
file. A test that asks for `demo` gets its own copy as its `orm` database (tests/conftest.py), so it
may write to it freely.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from server.db import migrate_database, tortoise_config
from server.demo.generate import build_luodian_2023
from server.load.service import load_document
from tests.postgres import admin, create_database, database_url, drop_database


@pytest.fixture(scope="session")
def demo_document() -> dict[str, Any]:
    """The 2023 demo document, built once (tests must not mutate it: deep-copy it to change it)."""
    return build_luodian_2023()


async def _load(url: str, document: dict[str, Any]) -> None:
    await migrate_database(url)
    EXECUTOR_CACHE.clear()
    await Tortoise.init(config=tortoise_config(url))
    try:
        await load_document(document)
    finally:
        await Tortoise.close_connections()
        EXECUTOR_CACHE.clear()


@pytest.fixture(scope="session")
def demo_template_sqlite(tmp_path_factory: pytest.TempPathFactory, demo_document: dict[str, Any]) -> Path:
    """A SQLite file with the demo loaded; never opened by a test (they get copies)."""
    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    asyncio.run(_load(f"sqlite://{path}", demo_document))
    return path


@pytest.fixture(scope="session")
def demo_template_postgres(postgres_url: str, demo_document: dict[str, Any]) -> Iterator[str]:
    """The name of a PostgreSQL database with the demo loaded; never opened by a test (they get copies)."""
    name = f"lianxi_template_{uuid.uuid4().hex[:12]}"
    asyncio.run(create_database(name))
    try:
        asyncio.run(_load(database_url(name), demo_document))
        yield name
    finally:
        asyncio.run(drop_database(name))


def demo_copy(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the demo template of `db_url`'s backend; yields its URL and drops it afterwards."""
    if db_url.startswith("sqlite://"):
        template: Path = request.getfixturevalue("demo_template_sqlite")
        copy = tmp_path / "demo.db"
        shutil.copyfile(template, copy)
        yield f"sqlite://{copy}"
        return
    template_name: str = request.getfixturevalue("demo_template_postgres")
    name = f"lianxi_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    try:
        yield database_url(name)
    finally:
        asyncio.run(drop_database(name))
