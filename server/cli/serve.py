"""`lianxi serve`: migrate the database, then run the app under uvicorn."""

from __future__ import annotations

import argparse
import asyncio

import uvicorn

from server.db import migrate_database
from server.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="serve GraphQL (and GraphiQL) at /graphql")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.set_defaults(handler=lambda args: serve_forever(host=args.host, port=args.port))


def serve_forever(*, host: str, port: int) -> int:
    """Apply migrations, then serve until interrupted."""
    settings = load_settings()
    asyncio.run(migrate_database(settings.database_url))
    from server.app import create_app

    print(f"GraphiQL: http://{host}:{port}/graphql   health: http://{host}:{port}/healthz", flush=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    return 0
