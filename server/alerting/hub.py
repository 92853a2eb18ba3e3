"""Fans committed alert events out to this process's subscribers; on PostgreSQL, hears every process.

On PostgreSQL each server process keeps one LISTEN connection (asyncpg) on the alert channel;
the notifications written by `alert_transaction` arrive there from whichever process made the
change — this one included — and are fanned out once per process. The same connection hears token
revocations (`TOKEN_CHANNEL`, server/auth/revocation.py). On SQLite there is one
process and events are handed over directly after the commit. Live subscribers get what happens
while they are connected; the webhook outbox is the durable path.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from models.alerts import Alert
from core.transaction import CHANNEL, AlertEvent, decode_notification
from server.auth.revocation import TOKEN_CHANNEL, WATCH

logger = logging.getLogger("lianxi.alerts")

QUEUE_SIZE = 10_000
RECONNECT_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)


@dataclass(slots=True, eq=False)  # identity semantics: kept in a set
class Subscription:
    """One subscriber's queue of (event, alert row) for one county."""

    county_code: str
    queue: asyncio.Queue[tuple[AlertEvent, Alert] | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))

    async def __aiter__(self) -> AsyncIterator[tuple[AlertEvent, Alert]]:
        while (item := await self.queue.get()) is not None:
            yield item


class AlertHub:
    def __init__(self) -> None:
        self._subscriptions: set[Subscription] = set()
        self._wake: list[Callable[[], None]] = []
        self._inbox: asyncio.Queue[list[AlertEvent]] = asyncio.Queue()
        self._consumer: asyncio.Task[None] | None = None
        self._listener: asyncpg.Connection | None = None
        self._dsn: str | None = None
        self._supervisor: asyncio.Task[None] | None = None

    @property
    def listening(self) -> bool:
        return self._listener is not None and not self._listener.is_closed()

    async def start(self, *, database_url: str) -> None:
        """LISTEN on PostgreSQL (kept alive by a supervisor task); nothing to do on SQLite."""
        if not database_url.startswith("postgres://"):
            return
        self._dsn = "postgresql://" + database_url.removeprefix("postgres://")
        await self._connect()
        self._supervisor = asyncio.create_task(self._keep_listening())

    async def stop(self) -> None:
        if self._consumer is not None:
            self._consumer.cancel()
            self._consumer = None
        if self._supervisor is not None:
            self._supervisor.cancel()
            self._supervisor = None
        if self._listener is not None:
            await self._listener.close()
            self._listener = None
        for subscription in list(self._subscriptions):
            subscription.queue.put_nowait(None)

    def on_events(self, callback: Callable[[], None]) -> None:
        """Call `callback` whenever events arrive (the webhook worker wakes up on it)."""
        self._wake.append(callback)

    def committed(self, events: list[AlertEvent], *, notified: bool) -> None:
        """A transaction committed these events; deliver them unless our LISTEN connection will."""
        if notified and self.listening:
            return
        self._enqueue(events)

    def _enqueue(self, events: list[AlertEvent]) -> None:
        """One consumer per process handles batches in arrival order, so a RAISED is never overtaken by its ACKNOWLEDGED."""
        loop = asyncio.get_running_loop()
        if self._consumer is None or self._consumer.done() or self._consumer.get_loop() is not loop:
            self._inbox = asyncio.Queue()  # a queue belongs to one event loop (tests run several in turn)
            self._consumer = loop.create_task(self._consume(self._inbox), name="lianxi-alert-hub")
        self._inbox.put_nowait(events)

    async def _consume(self, inbox: asyncio.Queue[list[AlertEvent]]) -> None:
        while True:
            await self._dispatch(await inbox.get())

    @asynccontextmanager
    async def subscribe(self, county_code: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(county_code)
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)

    async def _connect(self) -> None:
        assert self._dsn is not None
        connection = await asyncpg.connect(self._dsn, timeout=10)
        await connection.add_listener(CHANNEL, self._on_notification)
        await connection.add_listener(TOKEN_CHANNEL, self._on_token_revoked)
        self._listener = connection

    async def _keep_listening(self) -> None:
        """Reconnect the LISTEN connection after it drops, with a growing pause."""
        attempt = 0
        while True:
            await asyncio.sleep(RECONNECT_SECONDS[0])
            if self.listening:
                attempt = 0
                continue
            try:
                await self._connect()
                logger.warning("alert LISTEN connection re-established")
                attempt = 0
            except (OSError, asyncpg.PostgresError, asyncio.TimeoutError) as exc:
                delay = RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)]
                logger.warning("alert LISTEN connection down (%s); retrying in %.1f s", exc, delay)
                attempt += 1
                await asyncio.sleep(delay)

    def _on_token_revoked(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        """A token was revoked in some process: its cache entries and sockets go here too."""
        WATCH.notified(payload)

    def _on_notification(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        try:
            events = decode_notification(payload)
        except (ValueError, TypeError):
            logger.error("ignored a malformed alert notification")
            return
        self._enqueue(events)

    async def _dispatch(self, events: list[AlertEvent]) -> None:
        """Read the changed alerts once, then queue them for the subscribers of their county."""
        for callback in self._wake:
            callback()
        counties = {event.county_code for event in events}
        if not any(s.county_code in counties for s in self._subscriptions):
            return
        try:
            rows = {a.id: a for a in await Alert.filter(id__in={e.alert_id for e in events}).select_related("county", "township")}
        except Exception:  # a failed read must not kill the listener; subscribers miss this batch only
            logger.exception("could not read changed alerts for subscribers")
            return
        for event in events:
            alert = rows.get(event.alert_id)
            if alert is None:
                continue
            for subscription in list(self._subscriptions):
                if subscription.county_code != event.county_code:
                    continue
                try:
                    subscription.queue.put_nowait((event, alert))
                except asyncio.QueueFull:
                    logger.error("subscriber for %s fell %d events behind; disconnecting it", event.county_code, QUEUE_SIZE)
                    self._subscriptions.discard(subscription)
                    subscription.queue.get_nowait()
                    subscription.queue.put_nowait(None)


HUB = AlertHub()
