"""`lianxi serve`: migrate the database, then run the app under uvicorn."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import tempfile

import uvicorn
from starlette.applications import Starlette

from core.settings import Settings, SettingsError
from server.app import create_app
from server.cli.commands import help_of
from server.cli.problems import check_port_free
from server.database_lock import serving
from server.db import migrate_database
from server.logs import logging_config


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help=help_of("serve"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1, help="server processes (PostgreSQL only; default 1)")
    parser.set_defaults(handler=lambda args, settings: serve_forever(settings, host=args.host, port=args.port, workers=args.workers))


def serve_forever(settings: Settings, *, host: str, port: int, workers: int = 1) -> int:
    """Apply migrations, then serve until interrupted (several uvicorn worker processes on PostgreSQL).

    Each extra worker process is a new interpreter: it reads the same environment once in
    `server.app.create_app` (the uvicorn factory), as this process did in `lianxi`'s entry point."""
    if not 0 < port < 65536:  # the socket layer would raise OverflowError, a traceback for a typo
        raise SettingsError(f"--port must be between 1 and 65535; got {port}")
    if workers < 1:
        raise SettingsError(f"--workers must be at least 1; got {workers}")
    if workers > 1 and not settings.is_postgres:
        raise SettingsError(
            "--workers above 1 needs PostgreSQL: processes share live alerts through LISTEN/NOTIFY, "
            "and SQLite has a single writer"
        )

    app = create_app(settings)  # reads the receivers file: a bad entry is named before any resource is claimed
    check_port_free(host, port)
    with serving(settings.database_url):  # a SQLite file stays locked while served: `lianxi demo` will not replace it
        return _serve(settings, app, host=host, port=port, workers=workers)


def _serve(settings: Settings, app: Starlette, *, host: str, port: int, workers: int) -> int:
    """Migrate, then run uvicorn until interrupted."""
    asyncio.run(migrate_database(settings.database_url))

    banner = f"GraphiQL: http://{host}:{port}/graphql   health: http://{host}:{port}/healthz"
    log_config = logging_config(settings.log_format)
    if workers > 1:  # each worker builds its own app from the same environment; the parent binds the port first
        # Request metrics of every worker are added up through files (prometheus_client's multi-process mode).
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="lianxi-metrics-"))
        print(banner, flush=True)
        uvicorn.run("server.app:create_app", factory=True, workers=workers, host=host, port=port, log_config=log_config,
                    access_log=settings.access_log)
        return 0
    server = _AnnouncingServer(uvicorn.Config(app, host=host, port=port, log_config=log_config, access_log=settings.access_log), banner)
    server.run()
    return 0 if server.started else 2


class _AnnouncingServer(uvicorn.Server):
    """Prints where to point a browser only once the socket is listening (a port taken meanwhile prints uvicorn's error instead)."""

    def __init__(self, config: uvicorn.Config, banner: str) -> None:
        super().__init__(config)
        self.banner = banner

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            print(self.banner, flush=True)
