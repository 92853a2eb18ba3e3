"""Compose the domain query types with `merge_types` and attach the server-wide extensions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger
from strawberry.extensions import SchemaExtension
from strawberry.tools import merge_types

from resolvers.alerts.mutations.acknowledge_alert import AcknowledgeAlertMutation
from resolvers.alerts.mutations.waive_alert import WaiveAlertMutation
from resolvers.alerts.queries import AlertsQuery
from resolvers.cases.queries import CasesQuery
from resolvers.errors import ExpectedError
from resolvers.meetings.queries import MeetingsQuery
from resolvers.node.queries import NodeQuery
from resolvers.rules.mutations.run_compliance import RunComplianceMutation
from resolvers.rules.queries import RulesQuery
from resolvers.units.queries import UnitsQuery
from schema import alerts, cases, meetings, people, rules, units

Query = merge_types("Query", (NodeQuery, UnitsQuery, MeetingsQuery, CasesQuery, AlertsQuery, RulesQuery))
Mutation = merge_types("Mutation", (AcknowledgeAlertMutation, WaiveAlertMutation, RunComplianceMutation))

# Types reachable only through `node(id)` must still be in the schema.
NODE_TYPES = (
    units.County, units.Township, units.Village, units.Grid, units.HouseholdGroup, units.PartyGroup,
    people.Person, meetings.Meeting, cases.Case, alerts.Alert, rules.RuleRun,
)


class LianxiSchema(strawberry.Schema):
    """Logs only unexpected errors: bad input and validation errors are the client's business."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            original = error.original_error
            if original is not None and not isinstance(original, ExpectedError):
                StrawberryLogger.error(error, execution_context)


def build_schema(extensions: Sequence[Callable[[], SchemaExtension] | type[SchemaExtension]] = ()) -> strawberry.Schema:
    """The GraphQL schema; the server passes its limits and error masking as extensions."""
    return LianxiSchema(query=Query, mutation=Mutation, types=NODE_TYPES, extensions=list(extensions))
