"""The write transaction every alert change happens in, and the events it emits when it commits.

`alert_transaction(county_code=…)` opens one transaction, takes the county's advisory lock on
PostgreSQL (so writes, rule runs and sweeps of one county serialise across processes), and
collects the alert events emitted inside it. Before the commit it runs the registered
`before` hooks (the server's webhook outbox writes its rows in this transaction) and, on
PostgreSQL, `pg_notify`s the events — PostgreSQL delivers a notification only if the transaction
commits, so subscribers never hear of a change that was rolled back. After the commit it runs
the `after` hooks (the server's in-process hub: on SQLite, one process, that is how events reach
subscribers). Nested scopes join the outermost one: it alone runs the hooks and notifies.

The hooks are registered at start-up with `on_commit` (by `server.app`; the command line registers
the outbox only), so this layer never imports the server. A process that registers nothing (a
script, a test of a service) still commits and notifies.
"""

from __future__ import annotations

import inspect
import zlib
from collections.abc import AsyncIterator, Awaitable, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import orjson
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.alerts import Alert
from models.enums import AlertEventKind

CHANNEL = "lianxi_alert_events"
_MAX_NOTIFY_BYTES = 7000  # PostgreSQL refuses payloads of 8000 bytes or more


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """An alert changed: which, how, when (subscribers and webhooks re-read the alert row)."""

    alert_id: int
    county_code: str
    kind: AlertEventKind
    at: datetime

    def as_wire(self) -> list[object]:
        return [self.alert_id, self.county_code, self.kind.value, self.at.isoformat()]

    @classmethod
    def from_wire(cls, raw: list[object]) -> AlertEvent:
        alert_id, county_code, kind, at = raw
        return cls(int(str(alert_id)), str(county_code), AlertEventKind(str(kind)), datetime.fromisoformat(str(at)))


@dataclass(slots=True)
class WriteScope:
    """The open write: its connection and the alert events emitted so far (a mutation returns them)."""

    county_code: str
    events: list[AlertEvent]
    alerts: dict[int, Alert]
    connection: BaseDBAsyncClient | None = None

    def changed(self) -> list[tuple[AlertEvent, Alert]]:
        """Each event with the alert row as the event left it."""
        return [(event, self.alerts[event.alert_id]) for event in self.events]


class BeforeCommit(Protocol):
    """Runs inside the transaction, before the commit, with the events and the alert rows they refer to."""

    def __call__(self, *, events: Sequence[AlertEvent], alerts: dict[int, Alert]) -> Awaitable[object]: ...


class AfterCommit(Protocol):
    """Runs after the commit; `notified`: PostgreSQL has already told every listening process."""

    def __call__(self, events: list[AlertEvent], *, notified: bool) -> None: ...


_before_commit: list[BeforeCommit] = []
_after_commit: list[AfterCommit] = []


def on_commit(*, before: BeforeCommit | None = None, after: AfterCommit | None = None) -> None:
    """Register what a committing write with alert events also does (each callable once, in order).

    A hook object (not a function) replaces an earlier one of its class: a process has one outbox,
    built from the settings of the latest app (tests build several apps in one process)."""
    if before is not None:
        _register(_before_commit, before)
    if after is not None:
        _register(_after_commit, after)


def _register(hooks: list[Any], hook: Any) -> None:
    for index, known in enumerate(hooks):
        if known == hook or (not inspect.isroutine(hook) and type(known) is type(hook)):
            hooks[index] = hook
            return
    hooks.append(hook)


_current: ContextVar[WriteScope | None] = ContextVar("lianxi_alert_scope", default=None)


def county_lock_key(county_code: str) -> int:
    """The advisory-lock key of a county (stable across processes and versions)."""
    return zlib.crc32(f"lianxi.rules.{county_code}".encode())


async def lock_county(connection: BaseDBAsyncClient, county_code: str) -> None:
    """Serialise the county's writers on PostgreSQL (transaction-scoped; SQLite has one writer anyway)."""
    if connection.capabilities.dialect == "postgres":
        await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [county_lock_key(county_code)])


def emit(alert: Alert, kind: AlertEventKind, *, at: datetime) -> None:
    """Record that an alert changed, inside the current `alert_transaction`."""
    scope = _current.get()
    if scope is None:
        raise RuntimeError("alert events must be emitted inside alert_transaction()")
    scope.events.append(AlertEvent(alert.id, scope.county_code, kind, at))
    scope.alerts[alert.id] = alert


@asynccontextmanager
async def alert_transaction(*, county_code: str) -> AsyncIterator[WriteScope]:
    """One transaction for a county's write; its alert events reach the outbox and subscribers on commit."""
    outer = _current.get()
    if outer is not None:
        if outer.county_code != county_code:
            raise RuntimeError(f"a {outer.county_code} write cannot also change county {county_code}")
        mark = len(outer.events)
        try:
            async with in_transaction():  # a savepoint inside the outer transaction
                yield outer
        except BaseException:
            del outer.events[mark:]  # the savepoint rolled back: its events never happened
            raise
        return
    scope = WriteScope(county_code=county_code, events=[], alerts={})
    token = _current.set(scope)
    try:
        async with in_transaction() as connection:
            scope.connection = connection
            await lock_county(connection, county_code)
            yield scope
            if scope.events:
                for hook in _before_commit:
                    await hook(events=scope.events, alerts=scope.alerts)
                if connection.capabilities.dialect == "postgres":
                    await _notify(connection, scope.events)
    finally:
        _current.reset(token)
    if scope.events:
        for listener in _after_commit:
            listener(scope.events, notified=connection.capabilities.dialect == "postgres")


async def _notify(connection: BaseDBAsyncClient, events: Iterable[AlertEvent]) -> None:
    """pg_notify the events in payloads under PostgreSQL's size limit."""
    batch: list[list[object]] = []
    size = 2
    for event in events:
        wire = event.as_wire()
        length = len(orjson.dumps(wire)) + 1
        if batch and size + length > _MAX_NOTIFY_BYTES:
            await connection.execute_query("SELECT pg_notify($1, $2)", [CHANNEL, orjson.dumps(batch).decode()])
            batch, size = [], 2
        batch.append(wire)
        size += length
    if batch:
        await connection.execute_query("SELECT pg_notify($1, $2)", [CHANNEL, orjson.dumps(batch).decode()])


def decode_notification(payload: str) -> list[AlertEvent]:
    """The events of one NOTIFY payload."""
    return [AlertEvent.from_wire(raw) for raw in orjson.loads(payload)]
