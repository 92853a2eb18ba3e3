"""Shared fixtures: a migrated SQLite file and a fresh PostgreSQL database per test session (per xdist worker).

Every test that takes `db_url` runs once per backend. PostgreSQL tests skip with a reason when
no server answers, unless LIANXI_REQUIRE_POSTGRES=1 (set by `.ci/run`) turns the skip into a
failure so CI always covers PostgreSQL. A test that asks for `demo` gets its own copy of the demo
database instead (tests/demo_database.py).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import datetime, timedelta, timezone
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.contrib.test import truncate_all_models

from core import clock
from core.settings import load_settings
from server.alerting.receivers import load_receivers
from server.db import migrate_database, tortoise_config
from tests.schema_changes import dangerous_changes
from tests.demo_database import TEMPLATES, demo_document, demo_templates, later_demo_document, template_copy  # noqa: F401  (fixtures)
from tests.postgres import POSTGRES_ADMIN_URL, REQUIRE_POSTGRES, create_database, database_url, drop_database

# `make test` runs tests/api a second time with LIANXI_FASTPATH=off: the in-process apps and the ORM then take
# strawberry's and tortoise's standard paths (served processes inherit the variable)
FASTPATH_ENV = {"LIANXI_FASTPATH": os.environ["LIANXI_FASTPATH"]} if "LIANXI_FASTPATH" in os.environ else {}
FASTPATH = load_settings(FASTPATH_ENV).fastpath


# `pytestmark = pytest.mark.fixed_clock` (tests whose dates are relative to today: tests/writes.py's helpers, roster
# days): the clock starts at this instant — mid-month, mid-morning in county time, so "this month", "yesterday" and
# "an hour ago" never straddle a month's or a day's edge — and runs from there; served processes follow it (LIANXI_CLOCK)
FIXED_NOW = datetime(2026, 11, 16, 10, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _fixed_clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if request.node.get_closest_marker("fixed_clock") is None:
        yield
        return
    monkeypatch.setenv(clock.CLOCK_ENV, FIXED_NOW.isoformat())  # subprocesses (tests/serving.py passes the running instant)
    with clock.started_at(FIXED_NOW):
        yield


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite://{tmp_path_factory.mktemp('sqlite') / 'lianxi.db'}"
    asyncio.run(migrate_database(url))
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    name = f"lianxi_test_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(create_database(name))
    except (OSError, asyncpg.PostgresError, asyncio.TimeoutError) as exc:
        reason = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc}"
        if REQUIRE_POSTGRES:
            pytest.fail(f"LIANXI_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    url = database_url(name)
    asyncio.run(migrate_database(url))
    yield url
    asyncio.run(drop_database(name))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A migrated database URL for each backend; tables are emptied by the `orm` fixture."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def orm_database(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> Iterator[str]:
    """The database this test's `orm` opens: the session's (emptied by `orm`), or its own copy of a loaded demo
    if it asks for one (`demo`, `later_demo`, …: TEMPLATES in tests/demo_database.py)."""
    template = next((name for name in TEMPLATES if name in request.fixturenames), None)
    if template is None:
        yield db_url
    else:
        yield from template_copy(request, template, db_url, tmp_path)


# truncate_all_models empties model tables only; on SQLite (foreign keys off while it deletes) the
# many-to-many link tables keep stale rows, and reused ids would bring old links back. The sweep's
# claims (server/sweep_claims.py) are not a model either: a test's sweep must not find today done.
M2M_TABLES = ("meeting_attendee", "meeting_case", "sweep_claim")


def _clear_process_caches() -> None:
    EXECUTOR_CACHE.clear()
    load_receivers.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    """Process-wide caches are emptied before and after every test, whatever the test does or how it ends.

    tortoise 1.1.9 caches SQL per (connection name, table), not per dialect, and tests switch backends;
    the webhook receivers are cached per file path, and a test's receivers must not outlive it.
    """
    _clear_process_caches()
    yield
    _clear_process_caches()


@pytest.fixture
async def orm(orm_database: str, db_url: str) -> AsyncIterator[str]:
    """Tortoise initialised on this test's database (empty, or a fresh copy of the demo); yields the URL."""
    await Tortoise.init(config=tortoise_config(orm_database, fastpath=FASTPATH))
    if orm_database == db_url:  # the session's database, shared by the tests: emptied first
        await truncate_all_models()
        connection = Tortoise.get_connection("default")
        for table in M2M_TABLES:
            await connection.execute_script(f'DELETE FROM "{table}"')
    try:
        yield orm_database
    finally:
        await Tortoise.close_connections()


@pytest.fixture
async def demo(orm: str) -> str:
    """The 2023 demo in this test's own database (a copy of the session's template); yields its URL."""
    return orm


@pytest.fixture
async def later_demo(orm: str) -> str:
    """The demo built on 2026-11-30 in this test's own database (a copy of the session's template); yields its URL."""
    return orm


ClientFactory = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def client_for(orm: str) -> AsyncIterator[ClientFactory]:
    """`await client_for("TOWNSHIP", "522728109")`: an HTTP client to the real app sending a fresh token of that role.

    Each client has already made one request, so the token's first-use write is behind it and
    statement counts in tests do not depend on which request came first.
    """
    from server.app import create_app
    from server.auth.tokens import issue_token

    settings = load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_ENV": "test", "LIANXI_SWEEP": "false", **FASTPATH_ENV})
    app = create_app(settings, manage_database=False)
    opened: list[httpx.AsyncClient] = []

    async def make(role: str = "ADMIN", scope: str | None = None) -> httpx.AsyncClient:
        issued = await issue_token(role, scope=scope, name=f"test-{role.lower()}")
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://lianxi.test",
            headers={"Authorization": f"Bearer {issued.token}"},
        )
        opened.append(http)
        warm_up = await http.post("/graphql", json={"query": "{ __typename }"})
        assert warm_up.status_code == 200, warm_up.text
        return http

    try:
        yield make
    finally:
        for http in opened:
            await http.aclose()


@pytest.fixture
async def client(client_for: ClientFactory) -> httpx.AsyncClient:
    """An HTTP client speaking to the real Starlette app in-process with an ADMIN token (ORM already initialised)."""
    return await client_for("ADMIN")


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules holding a heavy test first, whole and in order (their module-scoped fixtures are built once):
    with `-n`, a long test taken last keeps one worker busy alone."""
    heavy = {item.path for item in items if item.get_closest_marker("heavy") is not None}
    items.sort(key=lambda item: item.path not in heavy)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """When the schema-change test ran: the dangerous changes since the released schema (an enum value added, a
    default changed), which do not fail but which a frontend should hear about (tests/api/test_schema_changes.py)."""
    ran = [report for reports in terminalreporter.stats.values() for report in reports if isinstance(report, pytest.TestReport)]
    if not any("test_schema_changes.py" in report.nodeid for report in ran):
        return
    lines = dangerous_changes()
    terminalreporter.section(f"dangerous schema changes since schema.released.graphql: {len(lines)}")
    for line in lines:
        terminalreporter.write_line(line)
