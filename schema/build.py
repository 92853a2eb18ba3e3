"""Compose the domain query types with `merge_types` and attach the server-wide extensions."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger
from strawberry.extensions import SchemaExtension
from strawberry.tools import merge_types

from core.errors import ExpectedError
from core.text_policy import FORBIDDEN
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


CLIENT_LOG = logging.getLogger("lianxi.graphql")
MAX_LOGGED = 500  # characters of a client's mistakes in the log line


def is_variable_error(error: GraphQLError) -> bool:
    """A variable's value refused before anything ran (wrong type, missing, unknown enum or field, unparsable scalar)."""
    return error.path is None and error.message.startswith("Variable '$")


def is_client_error(error: GraphQLError) -> bool:
    """The client's mistake, found before anything ran: a syntax or validation error, or a refused variable."""
    return error.original_error is None or isinstance(error.original_error, GraphQLError) or is_variable_error(error)


def _one_line(text: str) -> str:
    """Text a client chose, fit for one log line: whitespace collapsed, control characters replaced, cut short."""
    flat = FORBIDDEN.sub("\ufffd", " ".join(text.split()))
    return flat if len(flat) <= MAX_LOGGED else flat[:MAX_LOGGED] + "…"


class LianxiSchema(strawberry.Schema):
    """Logs unexpected errors with their traceback; a client's mistakes (syntax, validation, variables) as one INFO
    line per request, without a traceback: they are the client's business, not the server's."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        mistakes = []
        for error in errors:
            original = error.original_error
            if is_client_error(error):
                mistakes.append(error.message)
            elif not isinstance(original, ExpectedError):
                StrawberryLogger.error(error, execution_context)
        if mistakes:
            operation = execution_context.operation_name if execution_context is not None else None
            where = f" in {_one_line(str(operation))}" if operation else ""  # a badly typed request may name it with a number
            CLIENT_LOG.info("client error%s: %s", where, _one_line(" | ".join(mistakes)))


def build_schema(extensions: Sequence[Callable[[], SchemaExtension] | type[SchemaExtension]] = ()) -> strawberry.Schema:
    """The GraphQL schema; the server passes its limits and error masking as extensions."""
    schema = LianxiSchema(query=Query, mutation=Mutation, subscription=Subscription, types=NODE_TYPES, extensions=list(extensions))
    describe(schema._schema)
    return schema
