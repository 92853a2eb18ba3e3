"""The rule catalog and rule runs as the API shows them (ids and semantics per DESIGN §2)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from core.errors import WriteRefused
from models import alerts as rows
from resolvers.context import Context
from resolvers.permissions import viewer_of
from resolvers.rules.mutations.run_compliance import run_compliance
from resolvers.rules.mutations.set_supervised_from import set_supervised_from
from resolvers.rules.queries import rule_runs_page, rules_of
from rules.catalog import ParameterSpec, RuleSpec
from schema.cost import work
from schema import units
from schema.connections import Connection
from schema.enums import Severity
from schema.errors import UserError, to_user_errors
from schema.local_time import county_time
from schema.node import Node
from schema.text_types import UnitCode

if TYPE_CHECKING:
    from schema.units import County

CountyRef = Annotated["County", strawberry.lazy("schema.units")]


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
        return self.error_list if viewer_of(info.context).is_admin else None

    @classmethod
    def from_model(cls, row: rows.RuleRun) -> RuleRun:
        return cls(
            db_id=row.id, county_db_id=row.county_id, trigger=row.trigger, scope=row.scope, as_of=row.as_of,
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


@strawberry.type
class CountyPayload:
    county: CountyRef | None
    user_errors: list[UserError]


@strawberry.type
class RuleQuery:
    @strawberry.field(description="The rule catalog; with `countyCode`, the parameter values that county's runs use.")
    async def rules(self, info: Info[Context, None], county_code: UnitCode | None = None) -> list[Rule]:
        return [Rule.from_spec(spec, values) for spec, values in rules_of(info.context, county_code=county_code)]

    @strawberry.field(description="Every recorded run, newest last: as-of, parameters, rule versions, counts, errors.")
    async def rule_runs(
        self, info: Info[Context, None], county_code: UnitCode | None = None, first: int | None = None, after: str | None = None
    ) -> RuleRunConnection:
        page = await rule_runs_page(info.context, county_code=county_code, first=first, after=after)
        return RuleRunConnection.from_page(page, RuleRun.from_model)


@strawberry.type
class RuleMutation:
    # Evaluates the whole county (facts from its history, durable rules) like a report: demo as of 2024-01-01, SQLite:
    # 22 statements, 20,506 rows = 20,946 row-equivalents. Each alias in a document runs it again.
    @strawberry.mutation(description="Run every rule for a county as of `asOf` (default now); the run is recorded. An `asOf` after the present (FUTURE_AS_OF) or earlier than the county's latest county-wide run (EARLIER_THAN_LATEST_RUN) is refused: use ruleReport to look ahead or back.",
                         metadata=work(25_000, measured="demo as of 2024-01-01: 22 statements, 20,506 rows"))
    async def run_compliance(
        self, info: Info[Context, None], county_code: UnitCode, as_of: datetime | None = None
    ) -> RuleRunPayload:
        try:
            row = await run_compliance(info.context, county_code=county_code, as_of=as_of)
        except WriteRefused as refusal:
            return RuleRunPayload(run=None, user_errors=to_user_errors(refusal))
        return RuleRunPayload(run=RuleRun.from_model(row), user_errors=[])


@strawberry.type
class SupervisedFromMutation:  # apart from RuleMutation only because the SDL lists it last among the mutations
    @strawberry.mutation(description=(
        "ADMIN: set (or clear, with null) the county's supervision start. Alerts of periods that are no longer "
        "evaluated are left as they are; rebuild them with `lianxi replay`."
    ))
    async def set_supervised_from(
        self, info: Info[Context, None], county_code: UnitCode, date: date | None = None  # noqa: A002 — the API's name
    ) -> CountyPayload:
        try:
            row = await set_supervised_from(info.context, county_code=county_code, day=date)
        except WriteRefused as refusal:
            return CountyPayload(county=None, user_errors=to_user_errors(refusal))
        return CountyPayload(county=units.County.from_model(row), user_errors=[])
