"""Arguments converted by functions made once per type (server/fastpath/argument_conversion.py) equal what strawberry's own
per-call `convert_argument` makes, for every argument of every field of the API, with every input field set or none."""

from __future__ import annotations

from datetime import date, datetime, UTC
from typing import Any

from graphql import (GraphQLBoolean, GraphQLEnumType, GraphQLFloat, GraphQLID, GraphQLInputObjectType, GraphQLInt, GraphQLList,
                     GraphQLNonNull, GraphQLScalarType, GraphQLString)
from strawberry.types.arguments import convert_argument

from core.settings import load_settings
from server.fastpath.argument_conversion import conversion
from server.graphql import build_graphql_schema

DEFINITION = "strawberry-definition"


def _sample(kind: Any, filled: bool) -> Any:
    """A value graphql-core could hand a resolver for `kind` (every input field set when `filled`)."""
    if isinstance(kind, GraphQLNonNull):
        return _sample(kind.of_type, filled)
    if isinstance(kind, GraphQLList):
        return [_sample(kind.of_type, filled)]
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values.values())).value
    if isinstance(kind, GraphQLInputObjectType):
        return {name: _sample(field.type, filled) for name, field in kind.fields.items()
                if filled or isinstance(field.type, GraphQLNonNull)}
    samples = {GraphQLString: "522728001", GraphQLID: "TWVldGluZzox", GraphQLInt: 3, GraphQLFloat: 1.5, GraphQLBoolean: True}
    if kind in samples:
        return samples[kind]
    assert isinstance(kind, GraphQLScalarType)
    return {"Date": date(2023, 5, 1), "DateTime": datetime(2023, 5, 1, 1, tzinfo=UTC), "Month": "2023-05"}.get(kind.name, {"k": 1})


def test_every_argument_converts_as_strawberry_converts_it() -> None:
    schema = build_graphql_schema(load_settings({"LIANXI_DATABASE_URL": "sqlite://:memory:"}))
    registry, config = schema.schema_converter.scalar_registry, schema.config
    compared = 0
    for named in schema._schema.type_map.values():
        for field in getattr(named, "fields", {}).values() if not isinstance(named, GraphQLInputObjectType) else ():
            definition = (field.extensions or {}).get(DEFINITION)
            if definition is None:
                continue
            for graphql_name, argument in zip(field.args, definition.arguments, strict=True):
                convert = conversion(argument.type, registry, config)
                if convert is None:
                    continue
                for filled in (True, False):
                    value = _sample(field.args[graphql_name].type, filled)
                    expected = convert_argument(value, argument.type, registry, config)
                    assert convert(value) == expected, (named.name, field, graphql_name, filled)
                assert convert(None) is None
                compared += 1
    assert compared > 50
