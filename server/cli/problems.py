"""Failures a person can fix, as one line each: a bad setting, a database that cannot be reached, a busy port.

`lianxi` prints the line on stderr and exits 2 (no traceback); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import socket
import sqlite3
from collections.abc import Iterator
from urllib.parse import urlsplit

import asyncpg
from tortoise.exceptions import DBConnectionError

from rules.config import RulesConfigError
from core.settings import SettingsError
from server.database_lock import DatabaseInUse


class PortInUse(OSError):
    """The address `lianxi serve` was asked to listen on is taken."""


def check_port_free(host: str, port: int) -> None:
    """Bind and release host:port, so a busy port is reported before anything claims to serve."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                problem = f"port {port} on {host} is in use: stop the program using it or choose another port"
            else:
                problem = f"cannot listen on {host} port {port} ({exc.strerror}): choose another host or port"
            raise PortInUse(f"{problem} with --host/--port (make demo PORT=…)") from None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _where(database_url: str) -> str:
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite":
        return f"the SQLite file {database_url.removeprefix('sqlite://')}"
    database = parts.path.lstrip("/") or "postgres"
    return f"PostgreSQL database {database!r} at {parts.hostname or 'localhost'}:{parts.port or 5432}"


def _database_problem(exc: BaseException, database_url: str) -> str | None:
    where = _where(database_url)
    fix = "check LIANXI_DATABASE_URL"
    causes = list(_chain(exc))  # most telling first: tortoise's DBConnectionError is itself a ConnectionError

    def found(*kinds: type[BaseException]) -> BaseException | None:
        return next((cause for cause in causes if isinstance(cause, kinds)), None)

    if found(asyncpg.InvalidCatalogNameError):
        name = urlsplit(database_url).path.lstrip("/")
        return f"{where} does not exist: create it (createdb {name}) or {fix}"
    if cause := found(asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError):
        return f"{where} refused the login ({cause}): {fix} (user and password)"
    if found(socket.gaierror):
        return f"cannot resolve the host of {where}: {fix}"
    if cause := found(sqlite3.OperationalError):
        return f"cannot open {where} ({cause}): is the folder writable? Or {fix}"
    if cause := found(ConnectionError, TimeoutError, asyncpg.CannotConnectNowError, DBConnectionError):
        return f"cannot reach {where} ({cause}): start the database server there or {fix}"
    return None


def explain(exc: BaseException, database_url: str | None) -> str | None:
    """The one line to print for a failure a person can fix, or None for a bug (keep the traceback)."""
    if isinstance(exc, (SettingsError, RulesConfigError, PortInUse, DatabaseInUse)):
        return str(exc)
    if database_url is not None and isinstance(exc, (OSError, DBConnectionError, asyncpg.PostgresError, sqlite3.Error)):
        problem = _database_problem(exc, database_url)
        if problem is not None:
            return problem
    if isinstance(exc, (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)) and exc.filename:
        return f"{exc.filename}: {exc.strerror}: check the path (does the folder exist?) and its permissions"
    return None
