"""The built schema's root resolvers, each wrapped with its `resolvers.root_rules.ROOT_RULES` check.

The table (who may use each root field, on which unit) is `resolvers.root_rules`; this module is the
mapping of a refusal into the API: a mutation whose payload carries `userErrors` answers a FORBIDDEN
user error and never runs; every other root field raises `Forbidden`.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLResolveInfo, default_field_resolver

from resolvers.permissions import Forbidden
from resolvers.root_rules import Refusal, role_refusal, root_refusal
from schema.errors import UserError


def payload_class(schema: strawberry.Schema, info: GraphQLResolveInfo) -> type | None:
    """The strawberry class of a mutation's payload, if it carries `userErrors`."""
    output = info.return_type.of_type if isinstance(info.return_type, GraphQLNonNull) else info.return_type
    if not isinstance(output, GraphQLObjectType) or "userErrors" not in output.fields:
        return None
    definition = schema.get_type_by_name(output.name)
    return getattr(definition, "origin", None)


def refused_payload(payload: type, errors: list[UserError]) -> Any:
    """The payload of a mutation that did not run: its object fields null, `errors` as its `userErrors`."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(payload):
        has_default = field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
        if field.init and not has_default:
            values[field.name] = None
    values["user_errors"] = errors
    return payload(**values)


# Checks the client's own arguments once the role may make the call (schema/input_policy.py): None, or the answer to
# give instead of running the field (it may raise). It runs before references are looked up or arguments constrained.
InputCheck = Callable[[GraphQLResolveInfo, dict[str, Any]], Any]


def _no_check(info: GraphQLResolveInfo, args: dict[str, Any]) -> None:
    return None


def _guard_resolver(schema: strawberry.Schema, key: str, resolve: Callable[..., Any], check: InputCheck) -> Callable[..., Any]:
    is_mutation = key.startswith("Mutation.")

    def forbidden(info: GraphQLResolveInfo, refusal: Refusal) -> Any:
        payload = payload_class(schema, info) if is_mutation else None
        if payload is not None:
            return refused_payload(payload, [UserError(field=None, code="FORBIDDEN", message=f"Forbidden: {refusal.message}.")])
        raise Forbidden(f"Forbidden: {refusal.message}.")

    async def guarded(root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        if (refusal := role_refusal(info, key)) is not None:
            return forbidden(info, refusal)
        if (answer := check(info, args)) is not None:  # before the references are looked up with the values sent
            return answer
        refusal, allowed = await root_refusal(info, key, args)
        if refusal is not None:
            return forbidden(info, refusal)
        result = resolve(root, info, **allowed)
        return await result if inspect.isawaitable(result) else result

    return guarded


def _guard_subscribe(key: str, subscribe: Callable[..., Any], check: InputCheck) -> Callable[..., Any]:
    async def guarded(root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        if (refusal := role_refusal(info, key)) is not None:
            raise Forbidden(f"Forbidden: {refusal.message}.")
        check(info, args)  # raises on a refused value: a subscription has no payload to carry it
        refusal, allowed = await root_refusal(info, key, args)
        if refusal is not None:
            raise Forbidden(f"Forbidden: {refusal.message}.")
        result = subscribe(root, info, **allowed)
        return await result if inspect.isawaitable(result) else result

    return guarded


def root_field_keys(schema: strawberry.Schema) -> list[str]:
    """Every root field of a schema as `Type.field` (what ROOT_RULES must cover)."""
    gql = schema._schema
    keys = []
    for root in (gql.query_type, gql.mutation_type, gql.subscription_type):
        if root is not None:
            keys += [f"{root.name}.{name}" for name in root.fields if not name.startswith("__")]
    return keys


def guard_root_fields(schema: strawberry.Schema, checks: dict[str, InputCheck] | None = None) -> strawberry.Schema:
    """Wrap every root resolver of a built schema with its ROOT_RULES check (fail closed without one), then the input
    check of `checks` (by `Type.field`), so a caller who may not use a field learns that before anything else."""
    gql = schema._schema
    checks = checks or {}
    for root in (gql.query_type, gql.mutation_type):
        if root is None:
            continue
        for name, field in root.fields.items():
            if not name.startswith("__"):
                key = f"{root.name}.{name}"
                field.resolve = _guard_resolver(schema, key, field.resolve or default_field_resolver, checks.get(key, _no_check))
    if gql.subscription_type is not None:
        for name, field in gql.subscription_type.fields.items():
            if field.subscribe is not None:
                key = f"{gql.subscription_type.name}.{name}"
                field.subscribe = _guard_subscribe(key, field.subscribe, checks.get(key, _no_check))
    return schema
