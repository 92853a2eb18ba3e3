"""The Starlette application: GraphQL (HTTP + graphql-transport-ws) at /graphql and /healthz.

The lifespan opens the ORM, the alert hub (LISTEN on PostgreSQL), the webhook delivery worker
and the sweep scheduler, and closes them in reverse order.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

from server.alerting.hub import HUB
from server.alerting.receivers import load_receivers
from server.alerting.worker import DeliveryWorker
from server.auth.http import GraphQLGate
from server.db import tortoise_config
from server.graphql import LianxiGraphQL
from server.scheduler import start_scheduler
from server.settings import Settings, load_settings


async def healthz(request: Request) -> JSONResponse:
    """Liveness and database reachability, for load balancers and `make demo`."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # the probe must answer, whatever the database says
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> Starlette:
    """Build the app; with `manage_database` the lifespan opens and closes the ORM (tests may do it themselves)."""
    settings = settings or load_settings()
    load_receivers(settings.webhooks_config)  # fail fast on a bad receivers file
    graphql = LianxiGraphQL(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if not manage_database:
            yield
            return
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url)):
            await HUB.start(database_url=settings.database_url)
            worker = DeliveryWorker(settings) if settings.deliveries_enabled else None
            if worker is not None:
                HUB.on_events(worker.wake)
                worker.start()
            scheduler = start_scheduler(settings) if settings.sweep_enabled else None
            try:
                yield
            finally:
                if scheduler is not None:
                    scheduler.shutdown(wait=False)
                if worker is not None:
                    await worker.stop()
                await HUB.stop()

    routes = [
        Route("/graphql", GraphQLGate(graphql, max_body_bytes=settings.max_body_bytes), methods=["GET", "POST"]),
        WebSocketRoute("/graphql", GraphQLGate(graphql, max_body_bytes=settings.max_body_bytes)),
        Route("/healthz", healthz),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    return app
