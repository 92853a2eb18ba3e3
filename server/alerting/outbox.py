"""The webhook outbox: alert events become delivery rows in the same transaction as the change.

A receiver that is down loses nothing: the row stays PENDING and the worker
(`server.alerting.worker`) retries it with backoff until it is delivered or its retry horizon
passes. Each row's state is shown on its alert (`Alert.deliveries`).
"""

from __future__ import annotations

from core import clock
from collections.abc import Sequence
from datetime import timedelta

from models.alerts import Alert
from models.deliveries import WebhookDelivery
from models.people import Person
from models.units import County, Township
from core.transaction import AlertEvent
from server.alerting.payloads import AlertNotice, build_payload
from server.alerting.receivers import Receiver, load_receivers
from core.settings import Settings


async def _notices(events: Sequence[AlertEvent], alerts: dict[int, Alert]) -> list[AlertNotice]:
    """Each event with the names its message needs, read in three small queries."""
    county_ids = {a.county_id for a in alerts.values()}  # type: ignore[attr-defined]
    counties = {c.id: c for c in await County.filter(id__in=county_ids)}
    township_ids = {a.township_id for a in alerts.values() if a.township_id}  # type: ignore[attr-defined]
    townships = {t.id: t for t in await Township.filter(id__in=township_ids)} if township_ids else {}
    person_ids = {a.assignee_id for a in alerts.values() if a.assignee_id}  # type: ignore[attr-defined]
    people = dict(await Person.filter(id__in=person_ids).values_list("id", "name")) if person_ids else {}
    notices = []
    for event in events:
        alert = alerts[event.alert_id]
        county = counties[alert.county_id]  # type: ignore[attr-defined]
        township = townships.get(alert.township_id)  # type: ignore[attr-defined]
        notices.append(
            AlertNotice(
                alert_id=alert.id, fingerprint=alert.fingerprint, rule_id=alert.rule_id, severity=str(alert.severity),
                status=str(alert.status), event=event.kind, at=event.at, county_code=county.code,
                county_name=county.name, township_code=township.code if township else None,
                township_name=township.name if township else None, subject_code=alert.subject_code,
                period=alert.period, message=alert.message, assignee=people.get(alert.assignee_id),  # type: ignore[attr-defined]
                raised_at=alert.raised_at, resolved_at=alert.resolved_at, timezone=county.timezone,
            )
        )
    return notices


class Outbox:
    """The commit hook (`core.transaction.on_commit(before=…)`) that writes the deliveries, built once per
    process from its settings: the receivers file is read here, at start-up (a bad entry fails fast), not at
    every commit. Registering a new one replaces the previous one (one outbox per process)."""

    __slots__ = ("settings", "receivers")

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.receivers: tuple[Receiver, ...] = load_receivers(settings.webhooks_config)

    async def __call__(self, *, events: Sequence[AlertEvent], alerts: dict[int, Alert]) -> int:
        return await enqueue_deliveries(self.settings, self.receivers, events=events, alerts=alerts)


async def enqueue_deliveries(
    settings: Settings, receivers: Sequence[Receiver], *, events: Sequence[AlertEvent], alerts: dict[int, Alert]
) -> int:
    """Write one PENDING delivery per (event, interested receiver); returns how many."""
    if not receivers or not events:
        return 0
    now = clock.now()
    give_up = now + timedelta(hours=settings.webhook_retry_hours)
    rows = []
    for notice in await _notices(events, alerts):
        for receiver in receivers:
            if not receiver.wants(county_code=notice.county_code, severity=alerts[notice.alert_id].severity, kind=notice.event):
                continue
            payload = build_payload(notice, receiver_kind=receiver.kind, receiver=receiver.name, public_url=settings.public_url)
            rows.append(
                WebhookDelivery(
                    alert_id=notice.alert_id, county_code=notice.county_code, receiver=receiver.name,
                    receiver_kind=receiver.kind, event=notice.event.value, payload=payload,
                    created_at=now, next_attempt_at=now, give_up_at=give_up,
                )
            )
    if rows:
        await WebhookDelivery.bulk_create(rows, batch_size=500)
    return len(rows)
