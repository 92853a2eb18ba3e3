"""The demo's tokens, kept beside its SQLite file between builds (development only), and the table that prints them.

Every `make demo` rebuilds the database; without this a token saved in GraphiQL or a script got 401 after
each build. `<database>.tokens.json` (mode 0600, git-ignored) holds role → scope and token; the next build
inserts them again with the same hash. In production nothing is read or written: a production database is
never a demo, and its tokens are issued with `lianxi token create` only.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from rich.table import Table

from core.settings import Settings

SUFFIX = ".tokens.json"


def tokens_file(database: Path, settings: Settings) -> Path | None:
    """Where the demo database's tokens are kept; None in production (never kept there)."""
    return None if settings.production else database.with_name(database.name + SUFFIX)


def read_kept(path: Path | None) -> dict[str, tuple[str | None, str]]:
    """role → (scope, token) from the previous build; empty when there is none or it cannot be read."""
    if path is None or not path.is_file():
        return {}
    try:
        raw = orjson.loads(path.read_bytes())
        return {str(role): (entry.get("scope"), str(entry["token"])) for role, entry in raw.items()}
    except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError):
        return {}  # a damaged file: new tokens are issued and the file is written again


def write_kept(path: Path | None, tokens: dict[str, str], scopes: dict[str, str | None]) -> None:
    """Write the tokens for the next build, readable by the owner only (created 0600, never widened)."""
    if path is None:
        return
    body = orjson.dumps({role: {"scope": scopes.get(role), "token": token} for role, token in tokens.items()}, option=orjson.OPT_INDENT_2)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(body)
    os.chmod(path, 0o600)  # an older file of wider mode is narrowed


def tokens_table(tokens: dict[str, str], scopes: dict[str, str | None], *, kept: Path | None = None) -> Table:
    """One bearer token per role with the unit it is scoped to, so GraphiQL (headers panel) and curl can be tried at once."""
    caption = f"kept in {kept}: the next `make demo` keeps them" if kept is not None else "new tokens (not kept)"
    table = Table(title='Demo tokens — in GraphiQL\'s Headers panel: {"Authorization": "Bearer <token>"}', caption=caption)
    table.add_column("role", no_wrap=True)
    table.add_column("scope", no_wrap=True)
    table.add_column("token", no_wrap=True, overflow="ignore")
    for role, token in tokens.items():
        table.add_row(role, scopes.get(role) or "(all counties)", token)
    return table
