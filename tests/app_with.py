"""An HTTP client to a real app built from given `Settings` (a test that needs its own configuration passes objects,
not environment variables)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from core.settings import Settings
from server.app import create_app
from server.auth.tokens import issue_token


def settings_for(orm: str, **overrides: object) -> Settings:
    """The settings of a test app on the test database (no sweep), with `overrides` (e.g. `rules=…`)."""
    return Settings(database_url=orm, environment="test", sweep_enabled=False, **overrides)  # type: ignore[arg-type]


@asynccontextmanager
async def client_with(settings: Settings, role: str = "ADMIN", scope: str | None = None) -> AsyncIterator[httpx.AsyncClient]:
    """A client to `create_app(settings)` (ORM already open) sending a fresh token of `role`."""
    app = create_app(settings, manage_database=False)
    issued = await issue_token(role, scope=scope, name=f"test-{role.lower()}")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://lianxi.test", headers={"Authorization": f"Bearer {issued.token}"}
    ) as http:
        yield http
