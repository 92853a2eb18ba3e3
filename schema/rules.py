"""The rule catalog and rule runs as the API shows them (ids and semantics per DESIGN §2)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from models import alerts as rows
from rules.catalog import ParameterSpec, RuleSpec
from schema.connections import Connection
from schema.enums import Severity
from schema.errors import UserError
from schema.local_time import county_time
from schema.node import Node
from core.global_ids import to_global_id


@strawberry.type
class RuleParameter:
    name: str
    value: int = strawberry.field(description="The value runs for this county use (default unless overridden).")
    default: int
    minimum: int
    maximum: int
    description: str

    @classmethod
    def from_spec(cls, spec: ParameterSpec, value: int) -> RuleParameter:
        return cls(
            name=spec.name, value=value, default=spec.default, minimum=spec.minimum, maximum=spec.maximum,
            description=spec.description,
        )


@strawberry.type
class Rule:
    id: str
    version: int
    severity: Severity | None = strawberry.field(description="Null for `alert.unacknowledged`, which escalates instead of raising.")
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    basis: str = strawberry.field(description="The seed sentence or the article the rule encodes.")
    subject: str
    period: str | None
    parameters: list[RuleParameter]

    @classmethod
    def from_spec(cls, spec: RuleSpec, values: dict[str, int]) -> Rule:
        return cls(
            id=spec.id, version=spec.version, severity=spec.severity, title_zh=spec.title_zh, title_en=spec.title_en,
            description_zh=spec.description_zh, description_en=spec.description_en, basis=spec.basis,
            subject=spec.subject, period=spec.period,
            parameters=[RuleParameter.from_spec(p, values.get(p.name, p.default)) for p in spec.parameters],
        )


@strawberry.type(description="One evaluation of the catalog: what it used, what it found, how long it took.")
class RuleRun(Node):
    trigger: str
    scope: JSON
    as_of: strawberry.Private[datetime]
    started_at: strawberry.Private[datetime]
    county_db_id: strawberry.Private[int | None]
    as_of_local = county_time("as_of", county=lambda run: {"county_id": run.county_db_id}, required=True,
                              description="The instant the run evaluated at (评估时点), in the county's time zone.")
    started_local = county_time("started_at", county=lambda run: {"county_id": run.county_db_id}, required=True,
                                description="When the run started, in the county's time zone.")
    duration_ms: float
    parameters: JSON
    rule_versions: JSON
    counts: JSON = strawberry.field(description="Per rule: findings, raised, resolved, reopened, escalated, updated.")
    error_list: strawberry.Private[list[dict[str, object]]]
    actor: str | None
    digest: str | None = strawberry.field(description="REPORT runs: SHA-256 of the report's findings (same inputs, same digest).")

    @strawberry.field(description=(
        "ADMIN only (null for other tokens): engine errors of this run, {ruleId, factId, error}; a rule with an "
        "error changed none of its alerts in this run (ruleId null: the whole run changed nothing)."
    ))
    def errors(self, info: strawberry.Info) -> JSON | None:
        from resolvers.permissions import viewer_of

        return self.error_list if viewer_of(info).is_admin else None

    @classmethod
    def from_model(cls, row: rows.RuleRun) -> RuleRun:
        return cls(
            id=to_global_id("RuleRun", row.id), county_db_id=row.county_id, trigger=row.trigger, scope=row.scope, as_of=row.as_of,
            started_at=row.started_at, duration_ms=row.duration_ms, parameters=row.parameters,
            rule_versions=row.rule_versions, counts=row.counts, error_list=list(row.errors or []), actor=row.actor,
            digest=row.digest,
        )


@strawberry.type(description="A page of rule runs.")
class RuleRunConnection(Connection[RuleRun]):
    pass


@strawberry.type
class RuleRunPayload:
    run: RuleRun | None
    user_errors: list[UserError]
