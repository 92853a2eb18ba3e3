"""Compose the domain query types with `merge_types` and attach the server-wide extensions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger
from strawberry.extensions import SchemaExtension
from strawberry.tools import merge_types

from resolvers.cases.queries import CasesQuery
from resolvers.errors import ExpectedError
from resolvers.meetings.queries import MeetingsQuery
from resolvers.node.queries import NodeQuery
from resolvers.units.queries import UnitsQuery
from schema import cases, meetings, people, units

Query = merge_types("Query", (NodeQuery, UnitsQuery, MeetingsQuery, CasesQuery))

# Types reachable only through `node(id)` must still be in the schema.
NODE_TYPES = (
    units.County, units.Township, units.Village, units.Grid, units.HouseholdGroup, units.PartyGroup,
    people.Person, meetings.Meeting, cases.Case,
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
    return LianxiSchema(query=Query, types=NODE_TYPES, extensions=list(extensions))
