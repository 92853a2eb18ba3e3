"""Reading the rule catalog (with a county's parameter values) and the record of rule runs."""

from __future__ import annotations

from models.alerts import RuleRun
from resolvers.context import Context
from resolvers.pagination import Page, paginate
from rules.catalog import RULES, RuleSpec


def rules_of(context: Context, *, county_code: str | None) -> list[tuple[RuleSpec, dict[str, int]]]:
    """Every rule of the catalog with the parameter values a county's runs use (the defaults without a county)."""
    parameters = context.settings.rules.for_county(county_code or "").parameters
    return [(spec, dict(parameters.get(spec.id, {}))) for spec in RULES]


async def rule_runs_page(context: Context, *, county_code: str | None, first: int | None, after: str | None) -> Page[RuleRun]:
    """One page of recorded runs, oldest first, of one county or all."""
    query = RuleRun.all() if county_code is None else RuleRun.filter(county__code=county_code)
    return await paginate(query, sort_fields=("id",), parse=(int,), first=first, after=after)
