"""Queries generated from the schema itself, so a new type or field is covered without editing a test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLField, GraphQLNamedType, GraphQLObjectType, GraphQLSchema, Undefined, get_named_type, is_leaf_type, is_non_null_type

from schema import build_schema


def graphql_schema() -> GraphQLSchema:
    """The graphql-core schema strawberry builds (what clients introspect)."""
    return build_schema()._schema


def _reaches(schema: GraphQLSchema, scalar: str) -> set[str]:
    """Object types from which a field of the named scalar can be reached."""
    reach: set[str] = set()
    changed = True
    while changed:
        changed = False
        for type_ in schema.type_map.values():
            if not isinstance(type_, GraphQLObjectType) or type_.name in reach or type_.name.startswith("__"):
                continue
            for field in type_.fields.values():
                target = get_named_type(field.type)
                if target.name == scalar or target.name in reach:
                    reach.add(type_.name)
                    changed = True
                    break
    return reach


def field_arguments(field: GraphQLField, given: dict[str, str]) -> str | None:
    """The argument list for a field: required ones from `given` (None when one is missing), `first` kept small."""
    parts = []
    for name, argument in field.args.items():
        if name in given:
            parts.append(f"{name}: {given[name]}")
        elif name == "first":
            parts.append("first: 5")
        elif is_non_null_type(argument.type) and argument.default_value in (None, Undefined):  # required, none given
            return None
    return f"({', '.join(parts)})" if parts else ""


def selection(schema: GraphQLSchema, type_: GraphQLNamedType, scalar: str, given: dict[str, str], depth: int, path: tuple[str, ...] = ()) -> str:
    """Every field of `scalar` type under `type_`, through object fields that lead to one (each type once per path)."""
    reach = _reaches(schema, scalar)
    assert isinstance(type_, GraphQLObjectType)
    parts: list[str] = []
    for name, field in type_.fields.items():
        target = get_named_type(field.type)
        arguments = field_arguments(field, given)
        if arguments is None:
            continue
        if target.name == scalar:
            parts.append(f"{name}{arguments}")
        elif not is_leaf_type(target) and target.name in reach and target.name not in path and depth > 0:
            inner = selection(schema, target, scalar, given, depth - 1, (*path, target.name))
            if inner:
                parts.append(f"{name}{arguments} {inner}")
    return "{ " + " ".join(parts) + " }" if parts else ""


def values_of(data: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) of every leaf in a GraphQL answer."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from values_of(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for item in data:
            yield from values_of(item, f"{path}[]")
    else:
        yield path, data
