"""The Luodian demo documents, built once per test session, and loaded databases copied for the tests that ask for them.

Building a document takes under a second but loading it takes seconds per database, so each
(document, backend) pair is loaded once per session (per xdist worker) into a template, the first
time a test asks for it: PostgreSQL copies it with `CREATE DATABASE … TEMPLATE` (no connection may
stay open on the template), SQLite copies the file. A test that asks for `demo` (the 2023 demo),
`later_demo` (the demo built on 2026-11-30) or another name in TEMPLATES gets its own copy as its
`orm` database (tests/conftest.py), so it may write to it freely.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from server.db import migrate_database, tortoise_config
from server.demo.generate import build_luodian, build_luodian_2023
from server.load.service import load_document
from tests.postgres import admin, create_database, database_url, drop_database

LATER_BUILD_DAY = date(2026, 11, 30)
# fixture a test asks for → the fixture holding the document its database is loaded with (resolved where the test is:
# a module may define the document of its own template, as tests/intranet/test_county_time.py does)
TEMPLATES = {
    "demo": "demo_document",
    "later_demo": "later_demo_document",
    "march_2024_demo": "march_2024_demo_document",  # tests/api/test_demo_figures.py
    "urumqi": "urumqi_demo_document",  # tests/intranet/test_county_time.py
}


@pytest.fixture(scope="session")
def demo_document() -> dict[str, Any]:
    """The 2023 demo document, built once (tests must not mutate it: deep-copy it to change it)."""
    return build_luodian_2023()


@pytest.fixture(scope="session")
def later_demo_document() -> dict[str, Any]:
    """The demo built on 2026-11-30 (2023, then generated activity up to 00:00 of that day), built once."""
    return build_luodian(LATER_BUILD_DAY)


async def _load(url: str, document: dict[str, Any]) -> None:
    await migrate_database(url)
    EXECUTOR_CACHE.clear()
    await Tortoise.init(config=tortoise_config(url))
    try:
        await load_document(document)
    finally:
        await Tortoise.close_connections()
        EXECUTOR_CACHE.clear()


class Templates:
    """Loaded template databases by (template, backend), made on first use and dropped at the end of the session."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[tuple[str, str], str] = {}  # → SQLite file path or PostgreSQL database name

    def template(self, name: str, backend: str, document: dict[str, Any]) -> str:
        if (name, backend) not in self.made:
            if backend == "sqlite":
                path = str(self.folder / f"{name}.db")
                asyncio.run(_load(f"sqlite://{path}", document))
                self.made[name, backend] = path
            else:
                database = f"lianxi_template_{uuid.uuid4().hex[:12]}"
                asyncio.run(create_database(database))
                try:
                    asyncio.run(_load(database_url(database), document))
                except BaseException:
                    asyncio.run(drop_database(database))
                    raise
                self.made[name, backend] = database
        return self.made[name, backend]

    def drop(self) -> None:
        for (_, backend), made in self.made.items():
            if backend == "postgres":
                asyncio.run(drop_database(made))


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    templates = Templates(tmp_path_factory.mktemp("demo-templates"))
    try:
        yield templates
    finally:
        templates.drop()


def template_copy(request: pytest.FixtureRequest, name: str, db_url: str, tmp_path: Path) -> Iterator[str]:
    """A fresh copy of template `name` on `db_url`'s backend; yields its URL and drops it afterwards."""
    templates: Templates = request.getfixturevalue("demo_templates")
    document: dict[str, Any] = request.getfixturevalue(TEMPLATES[name])
    if db_url.startswith("sqlite://"):
        copy = tmp_path / f"{name}.db"
        shutil.copyfile(templates.template(name, "sqlite", document), copy)
        yield f"sqlite://{copy}"
        return
    template = templates.template(name, "postgres", document)
    copied = f"lianxi_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(admin(f'CREATE DATABASE "{copied}" TEMPLATE "{template}"'))
    try:
        yield database_url(copied)
    finally:
        asyncio.run(drop_database(copied))
