"""Alerts as the API shows them: a finding with a lifecycle, identified by its fingerprint (DESIGN §2)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from core.errors import WriteRefused
from core.reports.model import ALERT_LIFECYCLE
from models import alerts as rows
from models import deliveries as delivery_rows
from resolvers.alerts.events import Change, alert_changes
from resolvers.alerts.loaders import DeliveriesByAlertLoader
from resolvers.alerts.mutations.acknowledge_alert import acknowledge_alert
from resolvers.alerts.mutations.waive_alert import waive_alert
from resolvers.alerts.queries import alerts_page
from resolvers.alerts.subscriptions import alert_changed
from resolvers import permissions
from resolvers.context import Context
from resolvers.people.loaders import PersonByIdLoader
from resolvers.units.loaders import TownshipByIdLoader
from schema import people, units
from schema.connections import Connection
from schema.enums import AlertEventKind, AlertStatus, DeliveryStatus, Severity
from schema.errors import UserError, to_user_errors
from schema.local_time import county_time
from schema.node import Node
from schema.text_types import Note, UnitCode

if TYPE_CHECKING:
    from schema.people import Person
    from schema.units import Township

PersonRef = Annotated["Person", strawberry.lazy("schema.people")]
TownshipRef = Annotated["Township", strawberry.lazy("schema.units")]


@strawberry.input(description="Every given condition must hold.")
class AlertFilter:
    county_code: UnitCode | None = None
    status: list[AlertStatus] | None = None
    rule_id: str | None = None
    township_code: UnitCode | None = None
    period: str | None = strawberry.field(default=None, description="Exact period label: `2023-05` or `2023-Q2`.")
    severity: Severity | None = None
    subject_code: str | None = None


def _alert_county(alert: Any) -> dict[str, Any]:
    return {"county_id": alert.county_db_id}


@strawberry.type
class Alert(Node):
    rule_id: str
    rule_version: int
    severity: Severity
    status: AlertStatus
    fingerprint: str
    period: str | None
    subject_code: str = strawberry.field(description="Township code, case number, or grid / household-group code.")
    message: str
    evidence: JSON = strawberry.field(description="The facts that made the rule fire: ids, counts, dates, attendees, parameters.")
    raised_at: strawberry.Private[datetime]
    acknowledged_at: strawberry.Private[datetime | None]
    acknowledged_by: str | None
    acknowledge_note: str | None
    resolved_at: strawberry.Private[datetime | None]
    escalated_at: strawberry.Private[datetime | None]
    waived_at: strawberry.Private[datetime | None]
    waived_by: str | None
    waive_reason: str | None
    waived_until: date | None
    notify_head: bool = strawberry.field(description="Violations also notify the bureau head.")
    db_id: strawberry.Private[int]
    assignee_db_id: strawberry.Private[int | None]
    township_db_id: strawberry.Private[int | None]
    county_db_id: strawberry.Private[int]

    raised_local = county_time("raised_at", county=_alert_county, required=True,
                               description="When the alert was raised (首次预警时间), in the county's time zone.")
    acknowledged_local = county_time("acknowledged_at", county=_alert_county, description="When it was acknowledged (签收时间), county time.")
    resolved_local = county_time("resolved_at", county=_alert_county, description="When the finding stopped holding (解除时间), county time.")
    escalated_local = county_time("escalated_at", county=_alert_county,
                                  description="When it was escalated to the bureau head, unacknowledged (升级时间), county time.")
    waived_local = county_time("waived_at", county=_alert_county, description="When a bureau head waived it (豁免时间), county time.")

    @classmethod
    def from_model(cls, row: rows.Alert) -> Alert:
        return cls(
            db_id=row.id, county_db_id=row.county_id, assignee_db_id=row.assignee_id, township_db_id=row.township_id,
            rule_id=row.rule_id, rule_version=row.rule_version, severity=row.severity, fingerprint=row.fingerprint,
            period=row.period, subject_code=row.subject_code, message=row.message, evidence=row.evidence,
            notify_head=row.notify_head, **{name: getattr(row, name) for name in ALERT_LIFECYCLE},
        )

    @strawberry.field(description="The leader assigned to the township (rotation on the period's last day; case rules: as-of day).")
    async def assignee(self, info: Info[Context, None]) -> PersonRef | None:
        if self.assignee_db_id is None:
            return None
        row = await info.context.loader(PersonByIdLoader).load(self.assignee_db_id)
        return people.Person.from_model(row) if row else None

    @strawberry.field(description="Null for county-level alerts, and outside the token's jurisdiction (a village token's roster alerts).")
    async def township(self, info: Info[Context, None]) -> TownshipRef | None:
        if self.township_db_id is None:
            return None
        row = await info.context.loader(TownshipByIdLoader).load(self.township_db_id)
        # a village sees its roster alerts, not their township (as `Case.township`): null outside the jurisdiction
        return units.Township.from_model(row) if row and permissions.sees(info.context, row.code) else None

    @strawberry.field(description="Webhook notifications of this alert's changes and how each delivery went.")
    async def deliveries(self, info: Info[Context, None]) -> list[WebhookDelivery]:
        rows = await info.context.loader(DeliveriesByAlertLoader).load(self.db_id)
        return [WebhookDelivery.from_model(row) for row in rows]


def _delivery_county(delivery: Any) -> dict[str, Any]:
    return {"county_code": delivery.county_code}


@strawberry.type(description="One notification owed to one webhook receiver: retried with backoff until delivered.")
class WebhookDelivery:
    receiver: str
    receiver_kind: str = strawberry.field(description="ALERTMANAGER, WECOM or DINGTALK.")
    event: AlertEventKind
    status: DeliveryStatus
    attempts: int
    created_at: strawberry.Private[datetime]
    last_attempt_at: strawberry.Private[datetime | None]
    next_attempt_at: strawberry.Private[datetime | None]
    last_status_code: int | None
    last_error: str | None
    delivered_at: strawberry.Private[datetime | None]
    county_code: strawberry.Private[str]

    created_local = county_time("created_at", county=_delivery_county, required=True,
                                description="When the change was committed and the notification queued, county time.")
    last_attempt_local = county_time("last_attempt_at", county=_delivery_county, description="The latest attempt, county time.")
    next_attempt_local = county_time("next_attempt_at", county=_delivery_county, description="When the next attempt is due (PENDING only), county time.")
    delivered_local = county_time("delivered_at", county=_delivery_county, description="When the receiver accepted it, county time.")

    @classmethod
    def from_model(cls, row: delivery_rows.WebhookDelivery) -> WebhookDelivery:
        pending = row.status == DeliveryStatus.PENDING
        return cls(
            receiver=row.receiver, receiver_kind=row.receiver_kind, event=AlertEventKind(row.event), status=row.status,
            attempts=row.attempts, created_at=row.created_at, last_attempt_at=row.last_attempt_at,
            next_attempt_at=row.next_attempt_at if pending else None, last_status_code=row.last_status_code,
            last_error=row.last_error, delivered_at=row.delivered_at, county_code=row.county_code,
        )


@strawberry.type(description="Something happened to an alert: raised, reopened, resolved, escalated, acknowledged or waived.")
class AlertEvent:
    kind: AlertEventKind
    at: strawberry.Private[datetime]
    alert: Alert

    at_local = county_time("at", county=lambda event: _alert_county(event.alert), required=True,
                           description="When it happened, in the county's time zone.")

    @classmethod
    def from_change(cls, change: Change) -> AlertEvent:
        event, row = change
        return cls(kind=event.kind, at=event.at, alert=Alert.from_model(row))


async def alert_events(context: Context, changes: list[Change]) -> list[AlertEvent]:
    """A write payload's `alertChanges`: what the write did to alerts, as far as the viewer may see."""
    return [AlertEvent.from_change(change) for change in await alert_changes(context.viewer, changes)]


@strawberry.type(description="A page of alerts.")
class AlertConnection(Connection[Alert]):
    pass


@strawberry.type
class AlertPayload:
    alert: Alert | None
    user_errors: list[UserError]


@strawberry.type
class AlertQuery:
    @strawberry.field(description="Alerts raised by the rules, oldest first; filter by status, rule, township, period, severity.")
    async def alerts(
        self, info: Info[Context, None], filter: AlertFilter | None = None, first: int | None = None, after: str | None = None
    ) -> AlertConnection:
        page = await alerts_page(info.context, filter=filter, first=first, after=after)
        return AlertConnection.from_page(page, Alert.from_model)


@strawberry.type
class AlertMutation:
    @strawberry.mutation(description="Acknowledge an OPEN alert (stops its escalation clock).")
    async def acknowledge_alert(self, info: Info[Context, None], id: strawberry.ID, note: Note | None = None) -> AlertPayload:
        try:
            row = await acknowledge_alert(info.context, id=str(id), note=note)
        except WriteRefused as refusal:
            return AlertPayload(alert=None, user_errors=to_user_errors(refusal))
        return AlertPayload(alert=Alert.from_model(row), user_errors=[])

    @strawberry.mutation(description="Waive an OPEN or ACKNOWLEDGED alert until a date (or indefinitely).")
    async def waive_alert(
        self, info: Info[Context, None], id: strawberry.ID, reason: Note, until: date | None = None
    ) -> AlertPayload:
        try:
            row = await waive_alert(info.context, id=str(id), reason=reason, until=until)
        except WriteRefused as refusal:
            return AlertPayload(alert=None, user_errors=to_user_errors(refusal))
        return AlertPayload(alert=Alert.from_model(row), user_errors=[])


@strawberry.type
class AlertSubscription:
    @strawberry.subscription(description="Alerts of a county as they are raised, reopened, resolved, escalated, acknowledged or waived.")
    async def alert_changed(self, info: Info[Context, None], county_code: UnitCode) -> AsyncGenerator[AlertEvent, None]:
        async for change in alert_changed(info.context, county_code=county_code):
            yield AlertEvent.from_change(change)
