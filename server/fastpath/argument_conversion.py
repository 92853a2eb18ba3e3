"""Argument values turned into what a resolver expects, by a function made once per argument type.

strawberry converts a field's arguments on every call by walking their annotations (`convert_argument`: resolving
lazy and generic types, naming each input field through the name converter, checking leaf types). For the
township dashboard's three `filter:` inputs that walk was ≈ 15 % of the request's CPU. `conversion(type_)` walks the
annotation once, at start-up, and returns a function doing the same conversion: leaves (scalars, enums — graphql-core
has already parsed them) as they are, lists copied, input objects built with the same implicit `None` defaults. Types
it does not cover (`Maybe`, global ids, inputs that build themselves with `from_input`) return None, and the caller
lets strawberry convert those (server/fastpath/lean_fields.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING
from typing import Any

from strawberry.relay.types import GlobalID
from strawberry.types.arguments import _is_leaf_type
from strawberry.types.base import StrawberryList, StrawberryMaybe, StrawberryOptional, has_object_definition
from strawberry.types.enum import has_enum_definition
from strawberry.types.lazy_type import LazyType
from strawberry.types.unset import UNSET

Convert = Callable[[Any], Any]


def _leaf(value: Any) -> Any:
    return value


def conversion(type_: Any, scalar_registry: Mapping[object, Any], config: Any) -> Convert | None:
    """What strawberry's `convert_argument(value, type_, …)` does for this type, as one function; None when not covered."""
    if isinstance(type_, StrawberryMaybe) or type_ is GlobalID:
        return None
    if isinstance(type_, StrawberryOptional):
        return conversion(type_.of_type, scalar_registry, config)  # None and UNSET pass through every conversion below
    if isinstance(type_, LazyType):
        return conversion(type_.resolve_type(), scalar_registry, config)
    if isinstance(type_, StrawberryList):
        item = conversion(type_.of_type, scalar_registry, config)
        if item is None:
            return None
        if item is _leaf:  # copied: graphql-core hands the same default list to every request that omits the value
            return lambda value: value if value is None or value is UNSET else list(value)
        return lambda value: value if value is None or value is UNSET else [item(entry) for entry in value]
    if _is_leaf_type(type_, scalar_registry) or has_enum_definition(type_):
        return _leaf
    if has_object_definition(type_):
        definition = type_.__strawberry_definition__
        if not definition.is_input or definition.from_input is not None:
            return None
        defaults = {f.python_name: None for f in definition.fields if f.default_value is MISSING and f.default_factory is MISSING}
        fields = []
        for field in definition.fields:
            converted = conversion(field.resolve_type(type_definition=definition), scalar_registry, config)
            if converted is None:
                return None
            fields.append((config.name_converter.from_field(field), field.python_name, converted))

        def build(value: Any) -> Any:
            if value is None or value is UNSET:
                return value
            kwargs = dict(defaults)
            for graphql_name, python_name, convert in fields:
                if graphql_name in value:
                    kwargs[python_name] = convert(value[graphql_name])
            return type_(**kwargs)

        return build
    return None
