"""The delivery worker's schedule: exponential backoff, and FAILED once the retry horizon has passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from models.alerts import Alert
from models.deliveries import WebhookDelivery
from models.enums import AlertStatus, DeliveryStatus, Severity
from server.alerting.worker import DeliveryWorker, backoff_seconds
from core.settings import load_settings
from tests.rules.factories import world
from tests.serving import free_port


def test_backoff_doubles_up_to_the_cap_with_jitter() -> None:
    delays = [backoff_seconds(attempts=n, base=30, cap=3600) for n in range(1, 10)]
    for n, delay in enumerate(delays, start=1):
        expected = min(3600, 30 * 2 ** (n - 1))
        assert expected * 0.9 <= delay <= expected * 1.1
    # 48 hours of retries at most an hour apart: more than 50 attempts before giving up
    assert sum(min(3600, 30 * 2 ** (n - 1)) for n in range(1, 60)) > 48 * 3600


async def test_an_unreachable_receiver_is_retried_then_marked_failed_after_the_horizon(orm: str, tmp_path: Path) -> None:
    w = await world()
    config = tmp_path / "receivers.toml"
    config.write_text(f'[[receivers]]\nname = "down"\ncounty = "522728"\nkind = "ALERTMANAGER"\nurl = "http://127.0.0.1:{free_port()}/"\n', encoding="utf-8")
    settings = load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_WEBHOOKS_CONFIG": str(config), "LIANXI_WEBHOOK_BACKOFF_SECONDS": "60"})
    now = datetime.now(UTC)
    alert, other = [
        await Alert.create(
            fingerprint=f"x|522728109|2023-0{month}", rule_id="cadence.thematic_monthly", severity=Severity.VIOLATION, status=AlertStatus.OPEN,
            county=w.county, subject_code="522728109", period=f"2023-0{month}", message="专题会不足", raised_at=now, updated_at=now,
        )
        for month in (5, 6)
    ]
    retried = await WebhookDelivery.create(alert=alert, county_code="522728", receiver="down", receiver_kind="ALERTMANAGER", event="RAISED",
                                           payload={}, created_at=now, next_attempt_at=now, give_up_at=now + timedelta(hours=48))
    expired = await WebhookDelivery.create(alert=other, county_code="522728", receiver="down", receiver_kind="ALERTMANAGER", event="RAISED",
                                           payload={}, created_at=now - timedelta(hours=48), next_attempt_at=now, give_up_at=now + timedelta(seconds=1))
    worker = DeliveryWorker(settings)
    async with httpx.AsyncClient(timeout=2) as client:
        assert await worker.deliver_due(client) == 2
        assert await worker.deliver_due(client) == 0  # nothing else is due yet
    await retried.refresh_from_db()
    await expired.refresh_from_db()
    assert retried.status == DeliveryStatus.PENDING and retried.attempts == 1 and "ConnectError" in (retried.last_error or "")
    assert 50 <= (retried.next_attempt_at - retried.last_attempt_at).total_seconds() <= 70  # type: ignore[operator]
    assert expired.status == DeliveryStatus.FAILED and expired.attempts == 1
    # a later notification of the same alert waits for the earlier one: receivers see them in order
    later = await WebhookDelivery.create(alert=alert, county_code="522728", receiver="down", receiver_kind="ALERTMANAGER", event="RESOLVED",
                                         payload={}, created_at=now, next_attempt_at=now, give_up_at=now + timedelta(hours=48))
    async with httpx.AsyncClient(timeout=2) as client:
        assert await worker.deliver_due(client) == 0
    await later.refresh_from_db()
    assert later.attempts == 0
