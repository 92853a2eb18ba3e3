"""Alerts as the API shows them: a finding with a lifecycle, identified by its fingerprint (DESIGN §2)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from models import alerts as rows
from resolvers.context import Context
from resolvers.people.loaders import PersonByIdLoader
from resolvers.units.loaders import TownshipByIdLoader
from schema.connections import Connection
from schema.enums import AlertStatus, Severity
from schema.errors import UserError
from schema.node import Node, to_global_id

if TYPE_CHECKING:
    from schema.people import Person
    from schema.units import Township

PersonRef = Annotated["Person", strawberry.lazy("schema.people")]
TownshipRef = Annotated["Township", strawberry.lazy("schema.units")]


@strawberry.input(description="Every given condition must hold.")
class AlertFilter:
    county_code: str | None = None
    status: list[AlertStatus] | None = None
    rule_id: str | None = None
    township_code: str | None = None
    period: str | None = strawberry.field(default=None, description="Exact period label: `2023-05` or `2023-Q2`.")
    severity: Severity | None = None
    subject_code: str | None = None


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
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledge_note: str | None
    resolved_at: datetime | None
    escalated_at: datetime | None
    waived_at: datetime | None
    waived_by: str | None
    waive_reason: str | None
    waived_until: date | None
    notify_head: bool = strawberry.field(description="Violations also notify the bureau head.")
    db_id: strawberry.Private[int]
    assignee_db_id: strawberry.Private[int | None]
    township_db_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: rows.Alert) -> Alert:
        return cls(
            id=to_global_id("Alert", row.id), db_id=row.id, assignee_db_id=row.assignee_id, township_db_id=row.township_id,
            rule_id=row.rule_id, rule_version=row.rule_version, severity=row.severity, status=row.status,
            fingerprint=row.fingerprint, period=row.period, subject_code=row.subject_code, message=row.message,
            evidence=row.evidence, raised_at=row.raised_at, acknowledged_at=row.acknowledged_at,
            acknowledged_by=row.acknowledged_by, acknowledge_note=row.acknowledge_note, resolved_at=row.resolved_at,
            escalated_at=row.escalated_at, waived_at=row.waived_at, waived_by=row.waived_by,
            waive_reason=row.waive_reason, waived_until=row.waived_until, notify_head=row.notify_head,
        )

    @strawberry.field(description="The leader assigned to the township (rotation on the period's last day; case rules: as-of day).")
    async def assignee(self, info: Info[Context, None]) -> PersonRef | None:
        from schema.people import Person

        if self.assignee_db_id is None:
            return None
        row = await info.context.loader(PersonByIdLoader).load(self.assignee_db_id)
        return Person.from_model(row) if row else None

    @strawberry.field
    async def township(self, info: Info[Context, None]) -> TownshipRef | None:
        from schema.units import Township

        if self.township_db_id is None:
            return None
        row = await info.context.loader(TownshipByIdLoader).load(self.township_db_id)
        return Township.from_model(row) if row else None


@strawberry.type(description="A page of alerts.")
class AlertConnection(Connection[Alert]):
    pass


@strawberry.type
class AlertPayload:
    alert: Alert | None
    user_errors: list[UserError]
