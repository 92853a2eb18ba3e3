"""Query cost, in the spirit of GitHub's node limit: how many objects could this query return?

Every field that returns objects costs the number of objects it may return, multiplied down the
tree: a connection's `edges` count its `first` (default 50), and a plain list counts an estimate
of its usual length (`LIST_ESTIMATES`, else `DEFAULT_LIST`). The estimates are static, so a query
costs the same whatever the data. They are close to a real county (罗甸县: 10 townships, 186 villages,
1,244 grids, 6,977 household groups) rounded up, so the whole county tree (≈ 40,000) fits the
default limit of 50,000 while one more trip round a cycle (townships → villages → … → county →
townships) multiplies it by ~15,000 and is refused before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    ExecutableDefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLInterfaceType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_nullable_type,
)
from strawberry.extensions import SchemaExtension

LIST_ESTIMATES = {
    "County.townships": 15,
    "Township.villages": 20,
    "Village.grids": 8,
    "Grid.householdGroups": 6,
    "Village.partyGroups": 5,
}
DEFAULT_LIST = 10
DEFAULT_PAGE = 50
MAX_PAGE = 100


def _first(field: FieldNode, variables: dict[str, Any]) -> int | None:
    """The `first` argument's value (a literal or a variable), clamped to the page limit."""
    for argument in field.arguments or ():
        if argument.name.value != "first":
            continue
        value: Any = None
        if isinstance(argument.value, IntValueNode):
            value = int(argument.value.value)
        elif isinstance(argument.value, VariableNode):
            value = variables.get(argument.value.name.value)
        return min(value, MAX_PAGE) if isinstance(value, int) and value > 0 else DEFAULT_PAGE
    return None


class _Costing:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def selection(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None, multiplier: int,
        page: int | None, seen: frozenset[str],
    ) -> int:
        if selection_set is None or parent is None:
            return 0
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(node, parent, multiplier, page, seen)
            elif isinstance(node, InlineFragmentNode):
                target = self.schema.get_type(node.type_condition.name.value) if node.type_condition else parent
                total += self.selection(node.selection_set, target, multiplier, page, seen)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:  # unknown or cyclic: validation reports it
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                total += self.selection(fragment.selection_set, target, multiplier, page, seen | {name})
        return total

    def field(self, node: FieldNode, parent: GraphQLNamedType, multiplier: int, page: int | None, seen: frozenset[str]) -> int:
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 0
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 0
        output = get_nullable_type(definition.type)
        named = get_named_type(output)
        if not isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)) and node.selection_set is None:
            return 0  # scalars and enums are free
        first = _first(node, self.variables)
        if isinstance(output, GraphQLList):
            if page is not None and node.name.value in ("edges", "nodes"):
                size = page
            else:
                size = LIST_ESTIMATES.get(f"{parent.name}.{node.name.value}", DEFAULT_LIST)
        else:
            size = 1
        count = multiplier * size
        child_page = (first or DEFAULT_PAGE) if "first" in definition.args else None
        return count + self.selection(node.selection_set, named, count, child_page, seen)


def query_cost(schema: GraphQLSchema, definitions: Iterator[ExecutableDefinitionNode] | list[Any], operation_name: str | None, variables: dict[str, Any] | None) -> int:
    """The cost of the operation that would run (the largest one when the name is not given)."""
    definitions = list(definitions)
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    costing = _Costing(schema, fragments, variables or {})
    costs = []
    for definition in definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if operation_name and (definition.name is None or definition.name.value != operation_name):
            continue
        root = schema.get_root_type(definition.operation)
        costs.append(costing.selection(definition.selection_set, root, 1, None, frozenset()))
    return max(costs, default=0)


def cost_rule(max_cost: int, operation_name: str | None, variables: dict[str, Any] | None) -> type[ValidationRule]:
    """A validation rule (made per request, to know the variables) refusing operations above `max_cost`."""

    class QueryCostRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            cost = query_cost(context.schema, context.document.definitions, operation_name, variables)
            if cost > max_cost:
                context.report_error(
                    GraphQLError(
                        f"Query cost {cost} exceeds the limit of {max_cost}: ask for fewer items "
                        "(a smaller `first`, fewer nested lists) or split the query."
                    )
                )

    return QueryCostRule


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def nul_rule(variables: dict[str, Any] | None) -> type[ValidationRule]:
    """Refuse strings containing U+0000: no database column can store it (PostgreSQL rejects it outright)."""

    class NoNulCharacters(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            if _has_nul(variables):
                context.report_error(GraphQLError("Variables must not contain the NUL character (U+0000)."))

        def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
            if "\x00" in node.value:
                self.report_error(GraphQLError("Strings must not contain the NUL character (U+0000).", node))

    return NoNulCharacters


def query_cost_limiter(max_cost: int) -> Callable[[], SchemaExtension]:
    """A schema-extension factory adding, per operation, the rules that need its variables: cost and NUL characters."""

    class QueryCostLimiter(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            context = self.execution_context
            variables = context.variables if isinstance(context.variables, dict) else None
            rules = (cost_rule(max_cost, context.operation_name, variables), nul_rule(variables))
            context.validation_rules = (*context.validation_rules, *rules)
            yield

    return QueryCostLimiter
