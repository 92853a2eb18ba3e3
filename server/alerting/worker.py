"""Sends due outbox rows to their receivers, retrying failures with exponential backoff.

Runs inside `lianxi serve`. A batch is claimed in a short transaction (`FOR UPDATE SKIP LOCKED`
on PostgreSQL, so several processes never send the same row), leased for longer than a send may
take, then sent outside any transaction; an outcome is written only while the lease still holds.
Per alert and receiver, notifications go out oldest first (a resolution never overtakes its raise). A 2xx answer (and, for WeCom/DingTalk, `errcode` 0) marks the
row DELIVERED; anything else schedules the next attempt at base·2ⁿ (capped, ±10 % jitter) until
the retry horizon (≥ 24 h), after which the row is FAILED. The worker sleeps until the next row is
due or until new events arrive. Delivery is at-least-once in the face of a crash between a
receiver's answer and our update; `X-Lianxi-Delivery` carries the row id for de-duplication.
"""

from __future__ import annotations

from core import clock
import asyncio
import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import orjson
from tortoise.transactions import in_transaction

from models.deliveries import WebhookDelivery
from models.enums import DeliveryStatus
from server.alerting.receivers import Receiver, load_receivers
from server.alerting.signing import dingtalk_url, signature
from core.settings import Settings

logger = logging.getLogger("lianxi.webhooks")

BATCH = 20
IDLE_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    status_code: int | None
    error: str | None


def backoff_seconds(*, attempts: int, base: float, cap: float) -> float:
    """Delay before attempt n+1 after n failed attempts: base·2^(n-1), capped, with ±10 % jitter."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay * random.uniform(0.9, 1.1)


class DeliveryWorker:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._receivers = {r.name: r for r in load_receivers(settings.webhooks_config)}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    @property
    def alive(self) -> bool:
        """Started and not finished (a crash ends the task; /healthz then answers 503)."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="lianxi-webhook-worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def _run(self) -> None:
        async with httpx.AsyncClient(timeout=self._settings.webhook_timeout_seconds) as client:
            while True:
                self._wake.clear()
                try:
                    if await self.deliver_due(client) == BATCH:
                        continue
                    pause = await self._seconds_until_due()
                except Exception:  # the database may be briefly away: log and try again later
                    logger.exception("webhook delivery round failed")
                    pause = 5.0
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=pause)
                except TimeoutError:
                    pass

    async def _seconds_until_due(self) -> float:
        row = await WebhookDelivery.filter(status=DeliveryStatus.PENDING).order_by("next_attempt_at").first()
        if row is None:
            return IDLE_SECONDS
        return min(IDLE_SECONDS, max(0.0, (row.next_attempt_at - clock.now()).total_seconds()))

    async def deliver_due(self, client: httpx.AsyncClient) -> int:
        """Claim up to BATCH due rows, send them concurrently, record each outcome; returns how many."""
        now = clock.now()
        lease = now + timedelta(seconds=self._lease_seconds)
        async with in_transaction():
            due = await (
                WebhookDelivery.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id").limit(BATCH).select_for_update(skip_locked=True)
            )
            rows = await _oldest_per_receiver(due)
            if rows:
                await WebhookDelivery.filter(id__in=[r.id for r in rows]).update(next_attempt_at=lease)
        outcomes = await asyncio.gather(*(self._send_within(client, row) for row in rows), return_exceptions=True)
        for row, outcome in zip(rows, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                outcome = Outcome(False, None, f"{type(outcome).__name__}: {outcome}"[:500])
            await self._record(row, outcome, lease)
        return len(rows)

    @property
    def _lease_seconds(self) -> float:
        return self._settings.webhook_timeout_seconds + 30

    async def _send_within(self, client: httpx.AsyncClient, row: WebhookDelivery) -> Outcome:
        """One send with an overall deadline well inside the lease, so no other process can take the row meanwhile."""
        try:
            return await asyncio.wait_for(self._send(client, row), timeout=self._settings.webhook_timeout_seconds + 5)
        except TimeoutError:
            return Outcome(False, None, f"no answer within {self._settings.webhook_timeout_seconds + 5:.0f} s")

    async def _send(self, client: httpx.AsyncClient, row: WebhookDelivery) -> Outcome:
        receiver = self._receivers.get(row.receiver)
        if receiver is None:
            return Outcome(False, None, f"receiver {row.receiver!r} is no longer configured")
        body = orjson.dumps(row.payload)
        headers = {"Content-Type": "application/json", "User-Agent": "lianxi-webhooks/1", "X-Lianxi-Delivery": str(row.id)}
        url = receiver.url
        if receiver.secret:
            stamp = int(time.time())
            headers |= {"X-Lianxi-Timestamp": str(stamp), "X-Lianxi-Signature": signature(secret=receiver.secret, timestamp=stamp, body=body)}
            if receiver.kind == "DINGTALK":
                url = dingtalk_url(url, secret=receiver.secret, timestamp_ms=int(time.time() * 1000))
        try:
            response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
        if not response.is_success:
            return Outcome(False, response.status_code, f"HTTP {response.status_code}: {response.text[:200]}")
        return _robot_outcome(receiver, response)

    async def _record(self, row: WebhookDelivery, outcome: Outcome, lease: datetime) -> None:
        """Write the attempt's outcome, only if the row is still ours (its lease unchanged)."""
        now = clock.now()
        row.attempts += 1
        row.last_attempt_at, row.last_status_code, row.last_error = now, outcome.status_code, outcome.error
        if outcome.ok:
            row.status, row.delivered_at = DeliveryStatus.DELIVERED, now
        else:
            delay = backoff_seconds(attempts=row.attempts, base=self._settings.webhook_backoff_seconds, cap=self._settings.webhook_backoff_max_seconds)
            row.next_attempt_at = now + timedelta(seconds=delay)
            if row.next_attempt_at > row.give_up_at:
                row.status = DeliveryStatus.FAILED
                logger.error("webhook delivery %s to %s gave up after %d attempts: %s", row.id, row.receiver, row.attempts, outcome.error)
        updated = await WebhookDelivery.filter(id=row.id, next_attempt_at=lease, status=DeliveryStatus.PENDING).update(
            attempts=row.attempts, last_attempt_at=now, last_status_code=outcome.status_code, last_error=outcome.error,
            status=row.status, delivered_at=row.delivered_at, next_attempt_at=row.next_attempt_at,
        )
        if not updated:
            logger.warning("webhook delivery %s: lease lost before its outcome was recorded", row.id)


async def _oldest_per_receiver(due: list[WebhookDelivery]) -> list[WebhookDelivery]:
    """Keep a row only if no older row for the same alert and receiver is still pending: notifications stay in order.

    (A RAISED waiting out its backoff must not be overtaken by the RESOLVED that follows it.)
    """
    if not due:
        return []
    pending = await WebhookDelivery.filter(
        status=DeliveryStatus.PENDING, alert_id__in={r.alert_id for r in due}  # type: ignore[attr-defined]
    ).values_list("id", "alert_id", "receiver")
    oldest: dict[tuple[int, str], int] = {}
    for row_id, alert_id, receiver in pending:
        key = (alert_id, receiver)
        oldest[key] = min(row_id, oldest.get(key, row_id))
    return [r for r in due if oldest.get((r.alert_id, r.receiver)) == r.id]  # type: ignore[attr-defined]


def _robot_outcome(receiver: Receiver, response: httpx.Response) -> Outcome:
    """WeCom and DingTalk answer 200 with `errcode` ≠ 0 when they refuse a message."""
    if receiver.kind not in ("WECOM", "DINGTALK"):
        return Outcome(True, response.status_code, None)
    try:
        answer = response.json()
    except ValueError:
        return Outcome(False, response.status_code, "robot answered with something other than JSON")
    if isinstance(answer, dict) and answer.get("errcode", 0) == 0:
        return Outcome(True, response.status_code, None)
    return Outcome(False, response.status_code, f"robot refused: {str(answer)[:200]}")
