"""Fill in the built schema's missing descriptions, so introspection, GraphiQL's docs and schema.graphql show them.

The tables are schema/descriptions.py (and its practice part); enum values are described by their labels
(schema/labels.py). A description written on the strawberry definition wins; tests/intranet/test_schema_docs.py
fails, listing the paths, when anything is left undocumented.
"""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema

from schema.descriptions import DESCRIPTIONS
from schema.labels import LABELS

# Relay-style plumbing: the same meaning wherever it appears.
GENERIC_FIELDS = {
    "Connection.edges": "The rows of this page, each with its cursor.",
    "Connection.pageInfo": "Whether more rows follow and the cursor to continue from.",
    "Connection.totalCount": "How many rows match, on all pages together.",
    "Edge.node": "The row.",
    "Edge.cursor": "Opaque cursor of this row: pass it as `after` to continue after it.",
    "Payload.userErrors": "Why the write was refused (nothing was written); empty when it succeeded.",
    "Payload.alertChanges": "The alerts this write raised, resolved or reopened, in the same transaction.",
}
GENERIC_ARGUMENTS = {
    "first": "How many rows to return: 1 to 100 (default 50).",
    "after": "Continue after the row with this cursor (an edge's `cursor`, or `pageInfo.endCursor`).",
    "filter": "Conditions every returned row meets (all of them).",
    "input": "The write's input; every problem in it is reported at once in `userErrors`.",
}
ID_FIELD = "Opaque global ID, for `node(id:)`; stable for the record's life."


def _generic_type(name: str) -> str | None:
    if name.endswith("Edge"):
        return f"One row of a page of {name.removesuffix('Edge')} and its cursor."
    return None


def _generic_field(type_name: str, field: str) -> str | None:
    for suffix in ("Connection", "Edge", "Payload"):
        if type_name.endswith(suffix):
            return GENERIC_FIELDS.get(f"{suffix}.{field}")
    return ID_FIELD if field == "id" else None


def describe(schema: GraphQLSchema) -> GraphQLSchema:
    """Fill in every missing description from the tables above (in place); returns the schema."""
    for name, type_ in schema.type_map.items():
        if name.startswith("__"):
            continue
        type_.description = type_.description or DESCRIPTIONS.get(name) or _generic_type(name)
        if isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                zh, en = LABELS.get(name, {}).get(value_name, (None, None))
                if not value.description and en:
                    value.description = f"{en.rstrip('.')} ({zh})." if zh else en
        elif isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in type_.fields.items():
                path = f"{name}.{field_name}"
                field.description = field.description or DESCRIPTIONS.get(path) or _generic_field(name, field_name)
                for arg_name, argument in getattr(field, "args", {}).items():
                    argument.description = (
                        argument.description or DESCRIPTIONS.get(f"{path}({arg_name})") or GENERIC_ARGUMENTS.get(arg_name)
                    )
    return schema
