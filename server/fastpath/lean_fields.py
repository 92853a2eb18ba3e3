"""Per-field work taken out of execution: plain attributes read directly, prefetched relations returned as they are.

strawberry wraps every field's resolver (a strawberry `Info` per field, argument conversion,
extension hooks, awaitable checks) and gives every object type an `is_type_of` check; on a county
tree that is tens of thousands of wrapper calls for values that are already in memory. After the
schema is built, for fields without permission classes, field extensions or directives:

- a field with no resolver of its own reads the attribute (what strawberry's wrapper ends up doing);
- `id` (schema/node.py's `Node.id`) is computed from the object's `db_id`, as that resolver does;
- any other resolver (root query fields included) is called directly, as strawberry would call it, its arguments
  converted by functions made once per type (server/fastpath/argument_conversion.py) rather than strawberry's per-call walk;
- a relation in PREFETCHED_RELATIONS first looks in the object's `prefetched` dict under the field's
  GraphQL name (schema/units/tree.py hangs there what resolvers/units/tree.py read, schema/meetings.py a page's attendees and cases, and the schema/units/types.py resolvers return
  `prefetched[name]` unchanged when it is there) and calls the resolver otherwise — only those: other
  keys hold raw data for another field (`supervision` feeds `supervisor(at:)`);
- objects whose selected fields are all of the first two kinds (and present) are completed by
  `server.fastpath.lean_execution` in one tight loop instead of graphql-core's per-field machinery;
- `is_type_of` is dropped from object types that are not members of a union (interfaces resolve the
  type from the strawberry class itself), so graphql-core skips that check per object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLField, GraphQLObjectType, GraphQLResolveInfo, GraphQLUnionType

from core.global_ids import to_global_id
from schema.node import is_global_id
from server.fastpath.argument_conversion import conversion
from server.fastpath.lean_execution import ATTRIBUTE, GLOBAL_ID, PREFETCHED, LeanExecutionContext

DEFINITION = "strawberry-definition"

# (type, field) whose resolver returns `self.prefetched[field]` as it is when the key is present (schema/units/types.py).
PREFETCHED_RELATIONS = frozenset({
    ("Township", "jointMeeting"), ("Township", "villages"), ("JointMeeting", "conveners"),
    ("Village", "grids"), ("Village", "partyGroups"), ("Grid", "worker"), ("Grid", "householdGroups"),
    ("HouseholdGroup", "head"), ("PartyGroup", "leader"), ("Meeting", "attendees"), ("Meeting", "cases"),
})

Resolver = Callable[..., Any]


def _attribute(name: str) -> Resolver:
    def resolve(source: Any, _info: GraphQLResolveInfo) -> Any:
        return getattr(source, name)

    resolve.lean = (ATTRIBUTE, name)  # type: ignore[attr-defined]
    return resolve


def _global_id(type_name: str) -> Resolver:
    def resolve(source: Any, _info: GraphQLResolveInfo) -> Any:
        return to_global_id(type_name, source.db_id)

    resolve.lean = (GLOBAL_ID, type_name)  # type: ignore[attr-defined]
    return resolve


def _prefetched_or(name: str, resolver: Resolver) -> Resolver:
    def resolve(source: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        prefetched = getattr(source, "prefetched", None)
        if prefetched is not None and name in prefetched:
            return prefetched[name]
        return resolver(source, info, **kwargs)

    resolve.lean = (PREFETCHED, name)  # type: ignore[attr-defined]
    return resolve


def _plain(field: GraphQLField) -> Any | None:
    """The strawberry field behind `field` when nothing but the resolver itself runs for it, else None."""
    definition = (field.extensions or {}).get(DEFINITION)
    if definition is None or definition.permission_classes or definition.extensions or definition.directives:
        return None
    return definition


def _direct_call(definition: Any, field: GraphQLField, schema: strawberry.Schema) -> Resolver | None:
    """The field's Python function called as strawberry would call it, its arguments converted by functions made once
    (server/fastpath/argument_conversion.py) instead of strawberry's per-call walk of their annotations; an argument of a type
    those do not cover, when given, takes strawberry's resolver. strawberry's wrapper (argument conversion, extension
    chain, partials) was ≈ 4 % of a one-village lookup and ≈ 20 % of the township dashboard."""
    resolver, converting = definition.base_resolver, field.resolve
    if resolver is None or converting is None or resolver.parent_parameter or resolver.root_parameter:
        return None
    config, registry = schema.config, schema.schema_converter.scalar_registry
    if [config.name_converter.get_graphql_name(argument) for argument in definition.arguments] != list(field.args):
        return None
    arguments = {graphql: (argument.python_name, conversion(argument.type, registry, config))
                 for graphql, argument in zip(field.args, definition.arguments, strict=True)}
    function = resolver.wrapped_func
    takes_self = resolver.self_parameter is not None
    info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None
    info_class = config.info_class

    def resolve(source: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        call = {}
        for name, value in kwargs.items():
            python_name, convert = arguments[name]
            if value is None:
                call[python_name] = None
            elif convert is None:
                return converting(source, info, **kwargs)
            else:
                call[python_name] = convert(value)
        if info_name is not None:
            call[info_name] = info_class(_raw_info=info, _field=definition)
        return function(source, **call) if takes_self else function(**call)

    return resolve


def lean_fields(schema: strawberry.Schema) -> strawberry.Schema:
    """Rewire the built graphql-core schema in place and return it (before the root fields are guarded:
    schema/root_guard.py wraps what this leaves)."""
    gql = schema._schema
    in_unions = {member.name for t in gql.type_map.values() if isinstance(t, GraphQLUnionType) for member in t.types}
    for named in gql.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named in (gql.mutation_type, gql.subscription_type) or named.name.startswith("__"):
            continue
        if named.name not in in_unions and named is not gql.query_type:
            named.is_type_of = None
        for name, field in named.fields.items():
            definition = _plain(field)
            if definition is None or field.subscribe is not None:
                continue
            if definition.base_resolver is None:
                field.resolve = _attribute(definition.python_name)
            elif is_global_id(definition.base_resolver):
                field.resolve = _global_id(named.name)
            else:
                direct = _direct_call(definition, field, schema)
                if (named.name, name) in PREFETCHED_RELATIONS and not field.args and field.resolve is not None:
                    field.resolve = _prefetched_or(name, direct or field.resolve)
                elif direct is not None:
                    field.resolve = direct
    schema.execution_context_class = LeanExecutionContext
    return schema
