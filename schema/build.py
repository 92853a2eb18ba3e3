"""Compose the domain query types with `merge_types` and attach the server-wide extensions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger
from strawberry.extensions import SchemaExtension
from strawberry.tools import merge_types

from core.errors import ExpectedError
from schema import alerts, audit, cases, meetings, people, rules, units, visits
from schema.alerts import AlertMutation, AlertQuery, AlertSubscription
from schema.audit import AuditQuery
from schema.cases import CaseMutation, CaseQuery
from schema.describe import describe
from schema.labels import LabelsQuery
from schema.meetings import MeetingMutation, MeetingQuery
from schema.nodes import NodeQuery
from schema.reports import ReportQuery
from schema.roster import RosterMutation
from schema.rotation import RotationMutation, RotationQuery
from schema.rules import RuleMutation, RuleQuery, SupervisedFromMutation
from schema.supervision import SupervisionMutation
from schema.units import UnitsQuery
from schema.visits import VisitsMutation, VisitsQuery

# The root types, composed from each domain's root classes (the order is the SDL's field order).
Query = merge_types(
    "Query",
    (
        NodeQuery,
        UnitsQuery,
        MeetingQuery,
        CaseQuery,
        AlertQuery,
        RuleQuery,
        ReportQuery,
        AuditQuery,
        VisitsQuery,
        RotationQuery,
        LabelsQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        MeetingMutation,
        CaseMutation,
        SupervisionMutation,
        AlertMutation,
        RuleMutation,
        RosterMutation,
        VisitsMutation,
        RotationMutation,
        SupervisedFromMutation,
    ),
)
Subscription = merge_types("Subscription", (AlertSubscription,))

# Types reachable only through `node(id)` must still be in the schema.
NODE_TYPES = (
    units.County, units.Township, units.Village, units.Grid, units.HouseholdGroup, units.PartyGroup,
    people.Person, meetings.Meeting, cases.Case, alerts.Alert, rules.RuleRun, audit.AuditEntry, visits.MediationVisit,
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
    schema = LianxiSchema(query=Query, mutation=Mutation, subscription=Subscription, types=NODE_TYPES, extensions=list(extensions))
    describe(schema._schema)
    return schema
