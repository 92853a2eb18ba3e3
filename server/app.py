"""The Starlette application: GraphQL (HTTP + graphql-transport-ws) at /graphql and /healthz.

The lifespan opens the ORM, the alert hub (LISTEN on PostgreSQL), the webhook delivery worker
and the sweep scheduler, and closes them in reverse order.
"""

from __future__ import annotations

import asyncio
import gc
import pkgutil
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

import models.migrations
from core import clock, solver_pool
from core.settings import Settings, load_settings
from core.transaction import on_commit
from rules.config import calendar_status
from server.alerting.hub import HUB
from server.auth.revocation import WATCH
from server.alerting.outbox import Outbox
from server.alerting.worker import DeliveryWorker
from server.auth.http import GraphQLGate
from server.db import tortoise_config
from server.graphiql import ASSETS_DIR, ASSETS_PATH
from server.graphql import Extension, LianxiGraphQL
from server.logs import lean_log_records
from server.metrics import metrics
from server.scheduler import start_scheduler
from server.sweep_claims import days_behind

try:
    VERSION = version("lianxi")
except PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "unknown"


def _available_migrations() -> list[str]:
    """The migration modules shipped in models/migrations (0001_initial, …)."""
    return sorted(m.name for m in pkgutil.iter_modules(models.migrations.__path__) if m[1][:4].isdigit())


async def _migrations(db: Any) -> dict[str, Any]:
    _, rows = await db.execute_query("SELECT name FROM tortoise_migrations WHERE app = 'lianxi'")
    applied = {row["name"] for row in rows}
    pending = [name for name in _available_migrations() if name not in applied]
    return {"state": "pending" if pending else "current", "applied": len(applied), "pending": pending}


def _service(request: Request, name: str) -> str:
    """`running`, `stopped` (expected but not alive), `disabled` (turned off) or `external` (a test app: not started here)."""
    services: dict[str, Any] = request.app.state.services
    if name not in services:
        return "external"
    probe = services[name]
    if probe is None:
        return "disabled"
    return "running" if probe() else "stopped"


async def healthz(request: Request) -> JSONResponse:
    """Version, database, migrations, sweep and delivery worker; 503 when any of them is not as it should be.

    `sweepDays` lists the counties whose latest sweep day is not done (refused or failed days wait for the next
    tick, with their last error). It does not make the probe fail: the server answers, and a county frozen by a
    future run needs an operator (the error says what to run), not a restart."""
    body: dict[str, Any] = {"status": "ok", "version": VERSION}
    try:
        db = connections.get("default")
        await db.execute_query("SELECT 1")
        body["database"] = "ok"
        body["migrations"] = await _migrations(db)
    except Exception:  # the probe must answer, whatever the database says
        body["database"], body["migrations"] = "unreachable", {"state": "unknown"}
    body["sweepDays"] = await _sweep_days() if body["database"] == "ok" else {"state": "unknown"}
    body["sweep"], body["deliveryWorker"] = _service(request, "sweep"), _service(request, "deliveryWorker")
    settings: Settings = request.app.state.settings
    # informational: a year without national data falls back to weekends (status stays ok)
    body["calendar"] = calendar_status(settings.rules, today=clock.local_today(settings.default_timezone))
    healthy = body["database"] == "ok" and body["migrations"]["state"] == "current" and "stopped" not in (body["sweep"], body["deliveryWorker"])
    body["status"] = "ok" if healthy else "error"
    return JSONResponse(body, status_code=200 if healthy else 503)


async def _sweep_days() -> dict[str, Any]:
    """`{"state": "ok" | "behind", "behind": [{county, day, attempts, lastAttemptAt, error}]}` (server/sweep_claims.py)."""
    try:
        behind = await days_behind()
    except Exception:  # e.g. migrations pending (no retry columns yet): the probe still answers
        return {"state": "unknown"}
    return {"state": "behind" if behind else "ok", "behind": behind}


def cors(settings: Settings) -> Middleware:
    """Browser apps on the listed origins may call the API; they authenticate with the bearer token only (no cookies)."""
    return Middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_origin_regex=settings.cors_origin_regex,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "Accept"],
        allow_credentials=False,
        max_age=600,
    )


def _freeze_startup_heap() -> None:
    """Move everything built at startup (schema, ORM, modules) out of the garbage collector's reach.

    A full collection walks every tracked object while holding the GIL: with the startup heap in it,
    one took ~110 ms here, and any request allocating enough (a long document) triggered one, stalling
    the event loop whatever thread it ran on. Frozen objects are never scanned (CPython's gc.freeze).
    """
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, *, manage_database: bool = True, extensions: Sequence[Extension] = ()) -> Starlette:
    """Build the app; with `manage_database` the lifespan opens and closes the ORM (tests may do it themselves).
    `extensions` are strawberry schema extensions run on every operation, whichever path answers it.

    `settings` (the environment and the rules file, read and validated once) are passed down to every
    run, write and loader through the request context; without them (the uvicorn factory of
    `lianxi serve --workers N`) the environment is read here, once per process."""
    settings = settings or load_settings()
    lean_log_records()
    # alert writes reach the outbox (its receivers file read now: a bad entry fails start-up) and the hub
    on_commit(before=Outbox(settings), after=HUB.committed)
    graphql = LianxiGraphQL(settings, extensions=extensions)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if not manage_database:
            _freeze_startup_heap()
            try:
                yield
            finally:
                await WATCH.stop()  # before whoever opened the database closes it
            return
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url, fastpath=settings.fastpath)):
            await HUB.start(database_url=settings.database_url)
            worker = DeliveryWorker(settings) if settings.deliveries_enabled else None
            if worker is not None:
                HUB.on_events(worker.wake)
                worker.start()
            scheduler = start_scheduler(settings) if settings.sweep_enabled else None
            app.state.services = {
                "sweep": (lambda: bool(scheduler.running)) if scheduler is not None else None,
                "deliveryWorker": (lambda: worker.alive) if worker is not None else None,
            }
            solver_pool.warm()
            _freeze_startup_heap()
            try:
                yield
            finally:
                if scheduler is not None:
                    scheduler.shutdown(wait=False)
                if worker is not None:
                    await worker.stop()
                await WATCH.stop()
                await HUB.stop()
                await asyncio.to_thread(solver_pool.shutdown)  # the planner's worker process, if one was started

    routes = [
        Route("/graphql", GraphQLGate(graphql, max_body_bytes=settings.max_body_bytes), methods=["GET", "POST"]),
        WebSocketRoute("/graphql", GraphQLGate(graphql, max_body_bytes=settings.max_body_bytes)),
        Route("/healthz", healthz),
        Route("/metrics", metrics),
        # GraphiQL's 3.5 MB script goes out gzip-compressed (~1 MB); only these files: /graphql answers and the
        # websocket never pass through the compressor (their streaming and ETags stay as they are).
        Mount(ASSETS_PATH, GZipMiddleware(StaticFiles(directory=ASSETS_DIR), minimum_size=1024), name="graphiql-assets"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[cors(settings)])
    app.state.settings = settings
    app.state.services = {}
    return app
