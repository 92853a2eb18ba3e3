"""Reading the rule catalog (with a county's parameter values) and the record of rule runs."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from models.alerts import RuleRun as RuleRunRow
from resolvers.context import Context
from resolvers.pagination import paginate
from rules.catalog import RULES
from core.county_rules import county_rules
from schema.rules import Rule, RuleRun, RuleRunConnection


@strawberry.type
class RulesQuery:
    @strawberry.field(description="The rule catalog; with `countyCode`, the parameter values that county's runs use.")
    async def rules(self, info: Info[Context, None], county_code: str | None = None) -> list[Rule]:
        parameters = county_rules(county_code or "").parameters
        return [Rule.from_spec(spec, dict(parameters.get(spec.id, {}))) for spec in RULES]

    @strawberry.field(description="Every recorded run, newest last: as-of, parameters, rule versions, counts, errors.")
    async def rule_runs(
        self, info: Info[Context, None], county_code: str | None = None, first: int | None = None, after: str | None = None
    ) -> RuleRunConnection:
        query = RuleRunRow.all() if county_code is None else RuleRunRow.filter(county__code=county_code)
        page = await paginate(query, sort_fields=("id",), parse=(int,), first=first, after=after)
        return RuleRunConnection.from_page(page, RuleRun.from_model)
