"""`lianxi token create|list|revoke`: API tokens for the GraphQL endpoint.

`create` prints the token alone on stdout (so `TOKEN=$(lianxi token create …)` works); it is
shown once and stored only as a hash. `list` never shows secrets.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

from models.enums import TokenRole
from models.units import County
from core.settings import Settings
from server.auth.tokens import TokenInputError, issue_token, list_tokens, revoke_token
from server.cli.commands import help_of
from server.db import database


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "token", help=help_of("token"), description="API bearer tokens for /graphql."
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser(
        "create",
        help="create a token and print it (only once)",
        description="Roles: ADMIN (everything, no scope); BUREAU and AUDITOR (a 6-digit county code); "
        "TOWNSHIP (a 9-digit township code); VILLAGE (a 12-digit village code). AUDITOR is read-only, personal data masked.",
    )
    create.add_argument("--role", required=True, type=str.upper, choices=[r.value for r in TokenRole])
    create.add_argument("--scope", metavar="CODE", help="the county, township or village code the token is limited to")
    create.add_argument("--name", metavar="TEXT", help="what the token is for (shown by `token list`)")
    create.add_argument("--expires", metavar="DAYS", type=int, help="expire after this many days (default: never)")
    create.set_defaults(handler=_create)
    listing = actions.add_parser("list", help="list tokens (never their secrets)")
    listing.set_defaults(handler=_list)
    revoke = actions.add_parser("revoke", help="revoke a token by its id (from `token list`)")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=_revoke)


def _run(settings: Settings, work: Callable[[], Awaitable[int]]) -> int:
    async def main() -> int:
        async with database(settings.database_url):
            return await work()

    try:
        return asyncio.run(main())
    except TokenInputError as exc:
        print(f"lianxi token: {exc}", file=sys.stderr)
        return 1


def _create(args: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        issued = await issue_token(args.role, scope=args.scope, name=args.name, expires_days=args.expires)
        print(issued.token, flush=True)
        print(f"token {issued.id} created: keep it now, it cannot be shown again", file=sys.stderr)
        return 0

    return _run(settings, work)


def _when(value: datetime | None, zone: ZoneInfo) -> str:
    """`2026-11-30 14:32+08:00`: the token's county time (its scope's county; the server's default zone for ADMIN)."""
    return value.astimezone(zone).isoformat(sep=" ", timespec="minutes") if value else "—"


def _list(args: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        rows = await list_tokens()
        zones = {code: ZoneInfo(name) for code, name in await County.all().values_list("code", "timezone")}
        default = ZoneInfo(settings.default_timezone)
        table = Table(title=f"{len(rows)} API token(s)")
        for column in ("id", "name", "role", "scope", "created", "expires", "last used", "revoked"):
            table.add_column(column, justify="right" if column == "id" else "left")
        for row in rows:
            zone = zones.get((row["scope_code"] or "")[:6], default)
            table.add_row(
                str(row["id"]), Text(row["name"]), str(row["role"]), row["scope_code"] or "—",  # a name is typed text, not markup
                *(_when(row[key], zone) for key in ("created_at", "expires_at", "last_used_at", "revoked_at")),
            )
        Console(width=160).print(table)
        return 0

    return _run(settings, work)


def _revoke(args: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        row = await revoke_token(args.id)
        print(f"token {row.id} ({row.name}) revoked", file=sys.stderr)
        return 0

    return _run(settings, work)
