"""Completing an in-memory subtree without graphql-core's per-field machinery (see server/fastpath/lean_fields.py).

When every field selected on an object is an attribute or a relation already prefetched, the object
is built here directly: values read, leaves serialised by their GraphQL type, lists and objects
recursed. Not at all when a schema extension wraps resolvers (a `resolve` hook: graphql-core middleware), which
must see every field. Anything else — a field that must run its resolver, an abstract type, `@defer`, a null
where the schema says non-null, a value a scalar refuses — hands the object back to graphql-core,
which then does exactly what it always did (errors included), so answers never differ.
"""

from __future__ import annotations

from typing import Any

from graphql import (GraphQLEnumType, GraphQLID, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString,
                     OperationDefinitionNode, is_leaf_type)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from core.global_ids import to_global_id
from resolvers.syntax_memo import SyntaxMemo

# TEXT: String/ID, a str passes as it is; NUMBER: Int, an int in 32 bits passes as it is; ENUM: names memoized per value
LEAF, OBJECT, LIST, TEXT, ENUM, NUMBER = 0, 1, 2, 3, 4, 5
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
ATTRIBUTE, PREFETCHED, GLOBAL_ID = "attribute", "prefetched", "global id"  # how server/fastpath/lean_fields.py marks its resolvers


# enum type → {value: name}, filled as values are met (bounded by the enum's members)
_ENUM_NAMES: dict[GraphQLEnumType, dict[Any, str]] = {}


class _Fallback(Exception):
    """The fast path cannot complete this object; graphql-core will."""


Step = tuple[str, str | None, str, bool, int, Any]  # response key, how, key, non-null, shape, leaf type or (object type, details)
Plan = tuple[list[Step], bool]  # the steps, and whether any reads a prefetched relation


# Plans shared between requests, for operations without directives (@skip/@include/@defer make the selection depend
# on the variables): by the parent type and the selected field nodes of the cached document. Making a village's plan
# again on every request was ~7 % of it.
_SHARED_PLANS: SyntaxMemo[Plan | None] = SyntaxMemo()
_STATIC: SyntaxMemo[bool] = SyntaxMemo()  # operation → has no directive in it or its fragments


def _has_directives(node: Any) -> bool:
    if getattr(node, "directives", None):
        return True
    selection_set = getattr(node, "selection_set", None)
    return selection_set is not None and any(_has_directives(selection) for selection in selection_set.selections)


def _is_static(operation: OperationDefinitionNode, fragments: dict[str, Any]) -> bool:
    """Whether the operation selects the same fields whatever its variables (no directive anywhere in it)."""
    found, static = _STATIC.get((operation,))
    if not found:
        static = not _has_directives(operation) and not any(_has_directives(fragment) for fragment in fragments.values())
        _STATIC.put((operation,), static)
    return bool(static)


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution context with a fast path for fully prefetched objects."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[Any, Plan | None]] = {}
        manager = self.middleware_manager  # an extension's `resolve` hook: every field must go through its resolver
        self._lean = manager is None or not manager.middlewares

    def collect_and_execute_subfields(self, return_type: Any, field_details_list: Any, path: Any, result: Any, position_context: Any) -> Any:
        plan = self._plan(return_type, field_details_list) if self._lean else None
        if plan is not None:
            try:
                return self._build(plan, result)
            except _Fallback:
                pass
        return super().collect_and_execute_subfields(return_type, field_details_list, path, result, position_context)

    def _plan(self, parent: GraphQLObjectType, field_details_list: Any) -> Plan | None:
        key = (parent, id(field_details_list))
        cached = self._plans.get(key)
        if cached is not None:
            return cached[1]
        static = _is_static(self.operation, self.fragment_definitions)
        parts = (parent, *(details.node for details in field_details_list)) if static else None
        found, plan = _SHARED_PLANS.get(parts) if parts is not None else (False, None)
        if not found:
            steps = self._make_plan(parent, field_details_list)
            plan = (steps, any(step[1] == PREFETCHED for step in steps)) if steps is not None else None
            if parts is not None:
                _SHARED_PLANS.put(parts, plan)
        self._plans[key] = (field_details_list, plan)  # the list is kept alive so its id is not reused
        return plan

    def _make_plan(self, parent: GraphQLObjectType, field_details_list: Any) -> list[Step] | None:
        grouped, defers, _ = self.collect_subfields(parent, field_details_list)
        if defers:
            return None
        plan: list[Step] = []
        for response_key, details in grouped.items():
            name = details[0].node.name.value
            if name == "__typename":
                plan.append((response_key, None, parent.name, True, LEAF, None))
                continue
            field = parent.fields.get(name)
            lean = getattr(field.resolve, "lean", None) if field is not None else None
            if lean is None:
                return None
            kind, non_null = field.type, False
            if isinstance(kind, GraphQLNonNull):
                kind, non_null = kind.of_type, True
            if kind is GraphQLString or kind is GraphQLID:
                plan.append((response_key, lean[0], lean[1], non_null, TEXT, kind))
            elif kind is GraphQLInt:
                plan.append((response_key, lean[0], lean[1], non_null, NUMBER, kind))
            elif isinstance(kind, GraphQLEnumType):
                plan.append((response_key, lean[0], lean[1], non_null, ENUM, (kind, _ENUM_NAMES.setdefault(kind, {}))))
            elif is_leaf_type(kind):
                plan.append((response_key, lean[0], lean[1], non_null, LEAF, kind))
            elif isinstance(kind, GraphQLObjectType):
                plan.append((response_key, lean[0], lean[1], non_null, OBJECT, (kind, details)))
            elif isinstance(kind, GraphQLList):
                item = kind.of_type
                if isinstance(item, GraphQLNonNull):
                    item = item.of_type
                if not isinstance(item, GraphQLObjectType):
                    return None
                plan.append((response_key, lean[0], lean[1], non_null, LIST, (item, details)))
            else:
                return None
        return plan

    def _build(self, plan: Plan, source: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        steps, reads_prefetched = plan
        prefetched = getattr(source, "prefetched", None) if reads_prefetched else None
        if reads_prefetched and prefetched is None:
            raise _Fallback  # nothing was prefetched on this object: its relations need their resolvers
        for response_key, how, key, non_null, shape, target in steps:
            if how is None:
                out[response_key] = key  # __typename
                continue
            if how == ATTRIBUTE:
                value = getattr(source, key)
            elif how == GLOBAL_ID:
                value = to_global_id(key, source.db_id)
            elif prefetched is not None and key in prefetched:
                value = prefetched[key]
            else:
                raise _Fallback
            if value is None:
                if non_null:
                    raise _Fallback
                out[response_key] = None
            elif shape == TEXT and type(value) is str:
                out[response_key] = value  # what String/ID's serialize returns for a str
            elif shape == NUMBER and type(value) is int and INT_MIN <= value <= INT_MAX:
                out[response_key] = value  # what Int's serialize returns for such an int
            elif shape == ENUM:
                kind, names = target
                name = names.get(value)
                if name is None:
                    name = kind.serialize(value)
                    if name is None:
                        raise _Fallback
                    names[value] = name  # an enum member always serializes to the same name (strawberry loops over all)
                out[response_key] = name
            elif shape in (LEAF, TEXT, NUMBER):
                serialized = target.serialize(value)
                if serialized is None:
                    raise _Fallback
                out[response_key] = serialized
            else:
                sub_type, details = target
                sub_plan = self._plan(sub_type, details)
                if sub_plan is None:
                    raise _Fallback
                if shape == OBJECT:
                    out[response_key] = self._build(sub_plan, value)
                else:
                    out[response_key] = [self._build(sub_plan, item) for item in value]
        return out
