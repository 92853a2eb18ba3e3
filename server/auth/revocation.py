"""Revoked and expired tokens stop working everywhere within seconds: cached lookups are dropped, live sockets closed.

Each process keeps (a) a small cache of token rows, so a request does not read `api_token` every time,
and (b) the websockets open under each token. Both are kept honest three ways:

- revocation here: `forget` at once (the CLI process and tests revoke in-process);
- revocation in another process on PostgreSQL: `lianxi token revoke` sends NOTIFY on `TOKEN_CHANNEL`,
  heard by every server process on the alert hub's LISTEN connection (server/alerting/hub.py);
- a poll every `POLL_SECONDS` of the tokens this process holds (cached or with a socket open) — the
  only path on SQLite, where the CLI is another process, and the fallback when a notification is
  missed (LISTEN connection down). Expiry needs no message: each entry and socket knows its instant.
"""

from __future__ import annotations

from core import clock
import asyncio
import contextlib
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.types import Message, Receive, Send
from tortoise import connections

from models.tokens import ApiToken
from server.json_shape import json_shape_refusal

logger = logging.getLogger("lianxi.auth")

TOKEN_CHANNEL = "lianxi_tokens"
POLL_SECONDS = 2.0
CACHE_SIZE = 10_000
CLOSE_REVOKED = 4403  # graphql-transport-ws leaves 4400–4499 to the application: "Forbidden"


@dataclass(frozen=True, slots=True)
class CachedToken:
    id: int
    token_hash: str
    role: str
    scope_code: str | None
    name: str
    expires_at: datetime | None
    last_used_at: datetime | None


class SocketGuard:
    """Wraps one websocket's ASGI channels: closes it on demand (revocation, expiry) and bounds message size."""

    def __init__(self, receive: Receive, send: Send, *, max_message_bytes: int) -> None:
        self._receive, self._send = receive, send
        self.max_message_bytes = max_message_bytes
        self.token_id: int | None = None
        self.expires_at: datetime | None = None
        self._closed = asyncio.Event()

    async def receive(self) -> Message:
        if self._closed.is_set():
            return {"type": "websocket.disconnect", "code": CLOSE_REVOKED}
        incoming = asyncio.ensure_future(self._receive())
        stop = asyncio.ensure_future(self._closed.wait())
        done, _ = await asyncio.wait({incoming, stop}, return_when=asyncio.FIRST_COMPLETED)
        if incoming not in done:
            incoming.cancel()
            return {"type": "websocket.disconnect", "code": CLOSE_REVOKED}
        stop.cancel()
        message = incoming.result()
        if message["type"] == "websocket.receive" and self._too_large(message):
            await self.close(1009, f"message larger than {self.max_message_bytes} bytes or too intricate")
            return {"type": "websocket.disconnect", "code": 1009}
        return message

    def _too_large(self, message: Message) -> bool:
        data = message.get("bytes") or message.get("text") or b""
        size = len(data.encode()) if isinstance(data, str) else len(data)
        return size > self.max_message_bytes or json_shape_refusal(data) is not None

    async def send(self, message: Message) -> None:
        if not self._closed.is_set():
            await self._send(message)

    async def close(self, code: int, reason: str) -> None:
        """Close the socket (once); whatever the app sends afterwards is dropped."""
        if self._closed.is_set():
            return
        self._closed.set()
        WATCH.untrack(self)
        try:
            await self._send({"type": "websocket.close", "code": code, "reason": reason})
        except Exception:  # already gone: nothing to close
            logger.debug("websocket already closed", exc_info=True)


@dataclass
class TokenWatch:
    cache: OrderedDict[str, CachedToken] = field(default_factory=OrderedDict)
    sockets: set[SocketGuard] = field(default_factory=set)
    _task: asyncio.Task[None] | None = None

    # --- the cache ------------------------------------------------------------------------------

    def cached(self, lookup: str) -> CachedToken | None:
        entry = self.cache.get(lookup)
        if entry is not None:
            self.cache.move_to_end(lookup)
            self._ensure_polling()
        return entry

    def remember(self, lookup: str, entry: CachedToken) -> None:
        self.cache[lookup] = entry
        self.cache.move_to_end(lookup)
        while len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)
        self._ensure_polling()

    # --- sockets --------------------------------------------------------------------------------

    def track(self, guard: SocketGuard, *, token_id: int | None, expires_at: datetime | None) -> None:
        guard.token_id, guard.expires_at = token_id, expires_at
        self.sockets.add(guard)
        self._ensure_polling()

    def untrack(self, guard: SocketGuard) -> None:
        self.sockets.discard(guard)

    # --- revocation -----------------------------------------------------------------------------

    async def forget(self, token_ids: set[int]) -> None:
        """These tokens are revoked: drop their cache entries and close their sockets now."""
        for lookup in [k for k, v in self.cache.items() if v.id in token_ids]:
            del self.cache[lookup]
        for guard in [g for g in self.sockets if g.token_id in token_ids]:
            await guard.close(CLOSE_REVOKED, "token revoked")

    def notified(self, payload: str) -> None:
        """A TOKEN_CHANNEL notification (the revoked token's id), from the hub's LISTEN connection."""
        try:
            token_id = int(payload)
        except ValueError:
            logger.error("ignored a malformed token notification")
            return
        asyncio.get_running_loop().create_task(self.forget({token_id}))

    async def check(self, now: datetime | None = None) -> None:
        """One poll: close sockets of expired tokens; forget tokens revoked (or gone) since they were read."""
        now = now or clock.now()
        for guard in [g for g in self.sockets if g.expires_at is not None and g.expires_at <= now]:
            await guard.close(CLOSE_REVOKED, "token expired")
        for lookup in [k for k, v in self.cache.items() if v.expires_at is not None and v.expires_at <= now]:
            del self.cache[lookup]
        held = {v.id for v in self.cache.values()} | {g.token_id for g in self.sockets if g.token_id is not None}
        if not held:
            return
        alive = set(await ApiToken.filter(id__in=list(held), revoked_at=None).values_list("id", flat=True))
        if held - alive:
            await self.forget(held - alive)

    def _ensure_polling(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._task = loop.create_task(self._poll(), name="lianxi-token-watch")

    async def stop(self) -> None:
        """Stop polling (at shutdown, before the database closes: a poll then would only log a closed pool)."""
        task, self._task = self._task, None
        if task is not None and not task.done() and task.get_loop() is asyncio.get_running_loop():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _poll(self) -> None:
        while self.cache or self.sockets:
            await asyncio.sleep(POLL_SECONDS)
            try:
                await self.check()
            except Exception:  # the database may be briefly away; the next poll tries again
                logger.warning("token revocation check failed", exc_info=True)


WATCH = TokenWatch()


async def announce_revocation(token_id: int) -> None:
    """Tell every process (NOTIFY on PostgreSQL) and this one that a token is revoked."""
    connection: Any = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        await connection.execute_query("SELECT pg_notify($1, $2)", [TOKEN_CHANNEL, str(token_id)])
    await WATCH.forget({token_id})
