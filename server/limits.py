"""Query cost, in the spirit of GitHub's node limit: how many objects could this query return?

Every field that returns objects costs the number of objects it may return, multiplied down the
tree: a connection's `edges` count its `first` (default 50), and a plain list counts an estimate
of its usual length (`LIST_ESTIMATES`, else `DEFAULT_LIST`). The estimates are static, so a query
costs the same whatever the data. They are close to a real county (罗甸县: 10 townships, 186 villages,
1,244 grids, 6,977 household groups) rounded up, so the whole county tree (≈ 40,000) fits the
default limit of 50,000 while one more trip round a cycle (townships → villages → … → county →
townships) multiplies it by ~15,000 and is refused before anything runs.

Fields whose work is not their objects (reports, ledgers, counts, the rotation plan) declare a weight beside their
definition (`metadata=work(...)`, schema/cost.py), read here from the field's strawberry definition and added per
call, times the multiplier the field is reached with: aliases and nesting multiply hidden work as they multiply objects.
"""

from __future__ import annotations


from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    ExecutableDefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
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
    value_from_ast_untyped,
)
import orjson

from schema.cost import declared_work
from graphql.validation.rules import overlapping_fields_can_be_merged

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

# graphql-core bounds the work of its field-merging rule (pairs of fields with one response name) by this budget;
# its default (500,000 units, ~1.5 s here) lets one request of repeated fields hold the event loop. Real queries
# spend nothing from it (they do not repeat response names); 10,000 units is ~30 ms.
MERGE_BUDGET = 10_000
overlapping_fields_can_be_merged.MAX_COMPLEXITY_BUDGET = MERGE_BUDGET


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
    """The cost walk: linear in the document, because each fragment is costed once per page size and then multiplied.

    A field's cost is proportional to the multiplier it is reached with, so a fragment's cost at multiplier 1 is
    memoized and scaled; a fragment spread a million times over (`F1 { ...F0 ...F0 } F2 { ...F1 ...F1 } …`) costs
    one walk of each fragment.
    """

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.memo: dict[tuple[str, int | None], int] = {}
        self.active: set[str] = set()

    def selection(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None, multiplier: int, page: int | None) -> int:
        if selection_set is None or parent is None:
            return 0
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(node, parent, multiplier, page)
            elif isinstance(node, InlineFragmentNode):
                target = self.schema.get_type(node.type_condition.name.value) if node.type_condition else parent
                total += self.selection(node.selection_set, target, multiplier, page)
            elif isinstance(node, FragmentSpreadNode):
                total += multiplier * self.fragment(node.name.value, page)
        return total

    def fragment(self, name: str, page: int | None) -> int:
        """A fragment's cost at multiplier 1 (0 for unknown or cyclic ones: validation reports those)."""
        key = (name, page)
        if key in self.memo:
            return self.memo[key]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.active:
            return 0
        self.active.add(name)
        try:
            cost = self.selection(fragment.selection_set, self.schema.get_type(fragment.type_condition.name.value), 1, page)
        finally:
            self.active.discard(name)
        self.memo[key] = cost
        return cost

    def work(self, node: FieldNode, definition: GraphQLField, multiplier: int) -> int:
        """The field's declared work (schema/cost.py) at this multiplier, from the arguments it is called with: its
        weight per call times the multiplier, plus what its batch sends once (a fragment's is multiplied: an over-count)."""
        strawberry_field = (definition.extensions or {}).get("strawberry-definition")
        declared = declared_work(getattr(strawberry_field, "metadata", None))
        return 0 if declared is None else multiplier * declared.weight(_arguments(node, self.variables)) + declared.once

    def field(self, node: FieldNode, parent: GraphQLNamedType, multiplier: int, page: int | None) -> int:
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 0
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 0
        output = get_nullable_type(definition.type)
        named = get_named_type(output)
        if not isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)) and node.selection_set is None:
            return self.work(node, definition, multiplier)  # scalars and enums are free unless they declare work
        first = _first(node, self.variables)
        if isinstance(output, GraphQLList):
            if page is not None and node.name.value in ("edges", "nodes"):
                size = page
            else:
                size = LIST_ESTIMATES.get(f"{parent.name}.{node.name.value}", DEFAULT_LIST)
        else:
            size = 1
        count = multiplier * size
        weight = self.work(node, definition, multiplier)
        child_page = (first or DEFAULT_PAGE) if "first" in definition.args else None
        return count + weight + self.selection(node.selection_set, named, count, child_page)


def _arguments(node: FieldNode, variables: dict[str, Any]) -> dict[str, Any]:
    """The field's arguments as sent (GraphQL names; variables resolved, unreadable values as None)."""
    found: dict[str, Any] = {}
    for argument in node.arguments or ():
        try:
            found[argument.name.value] = value_from_ast_untyped(argument.value, variables)
        except (TypeError, ValueError):
            found[argument.name.value] = None
    return found


def _with_defaults(operation: OperationDefinitionNode, variables: dict[str, Any]) -> dict[str, Any]:
    """The variables as the operation will see them: given values, else the declared defaults."""
    effective = {}
    for definition in operation.variable_definitions or ():
        if definition.default_value is not None:
            effective[definition.variable.name.value] = value_from_ast_untyped(definition.default_value)
    return {**effective, **variables}


def query_cost(schema: GraphQLSchema, definitions: Iterator[ExecutableDefinitionNode] | list[Any], operation_name: str | None, variables: dict[str, Any] | None) -> int:
    """The cost of the operation that would run (the largest one when the name is not given)."""
    definitions = list(definitions)
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    costs = []
    for definition in definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if operation_name and (definition.name is None or definition.name.value != operation_name):
            continue
        costing = _Costing(schema, fragments, _with_defaults(definition, variables or {}))
        root = schema.get_root_type(definition.operation)
        costs.append(costing.selection(definition.selection_set, root, 1, None))
    return max(costs, default=0)


def cost_error(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: dict[str, Any] | None,
               max_cost: int) -> GraphQLError | None:
    """The refusal of an operation costing more than `max_cost` (None when it fits)."""
    cost = query_cost(schema, document.definitions, operation_name, variables)
    if cost <= max_cost:
        return None
    return GraphQLError(f"Query cost {cost} exceeds the limit of {max_cost}: ask for fewer items "
                        "(a smaller `first`, fewer nested lists, fewer aliases of reports, ledgers, counts or plans, "
                        "shorter periods) or split the query.", extensions={"code": "QUERY_COST", "limit": max_cost})



def _walk_has_nul(value: Any) -> bool:
    """Iterative (no recursion limit), and pure Python: a worker thread running it gives the GIL back to the loop."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return False


def _has_nul(value: Any) -> bool:
    """Does any string (key or value) hold U+0000? orjson always escapes it as \\u0000, so its absence from one
    dump (a memchr-speed search) settles most requests; otherwise walk (the lookbehind regex this replaced held the
    GIL ~70 ms on 800 KB of variables)."""
    try:
        if b"\\u0000" not in orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS):
            return False
    except TypeError:  # not JSON (in-process callers only)
        pass
    return _walk_has_nul(value)


class NoNulInDocument(ValidationRule):
    """Refuse string literals containing U+0000: no database column can store it (PostgreSQL rejects it outright).
    (The variables are checked by `variable_errors`.)"""

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if "\x00" in node.value:
            self.report_error(GraphQLError("Strings must not contain the NUL character (U+0000).", node))


MAX_VARIABLE_VALUES = 2000  # graphql-core coerces each value in pure Python on the event loop (~10 µs each here)


def _count_values(value: Any, limit: int) -> int:
    """How many JSON values (scalars and containers) `value` holds, counting stops past `limit`."""
    count, pending = 0, [value]
    while pending and count <= limit:
        item = pending.pop()
        count += 1
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return count


def variable_errors(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                    variables: dict[str, Any] | None, max_cost: int) -> list[GraphQLError]:
    """The checks that need the request's variables: query cost, NUL characters, and how many values they hold.

    Too many values: their coercion happens at execution, on the event loop (a list of 99,000 IDs took a
    second), and no write or filter of this API needs that many. Plain functions, not validation rules: a rule
    class made per request (to carry the variables) cost more than the checks themselves.
    """
    errors = []
    if (cost := cost_error(schema, document, operation_name, variables, max_cost)) is not None:
        errors.append(cost)
    if _has_nul(variables):
        errors.append(GraphQLError("Variables must not contain the NUL character (U+0000)."))
    if _count_values(variables or {}, MAX_VARIABLE_VALUES + 1) - 1 > MAX_VARIABLE_VALUES:  # the dict itself is no value
        errors.append(GraphQLError(f"The variables hold more than {MAX_VARIABLE_VALUES} values; send fewer items per request."))
    return errors


class _FragmentMeasure:
    """A per-document measure summed or maxed over selections, each fragment measured once (linear, whatever the fan-out)."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode], combine: Callable[[list[int]], int],
                 field: Callable[[FieldNode, Callable[[SelectionSetNode | None], int]], int]) -> None:
        self.fragments, self.combine, self.field_measure = fragments, combine, field
        self.memo: dict[str, int] = {}
        self.active: set[str] = set()

    def selection(self, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        parts = []
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                parts.append(self.field_measure(node, self.selection))
            elif isinstance(node, InlineFragmentNode):
                parts.append(self.selection(node.selection_set))
            elif isinstance(node, FragmentSpreadNode):
                parts.append(self.fragment(node.name.value))
        return self.combine(parts)

    def fragment(self, name: str) -> int:
        if name in self.memo:
            return self.memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.active:  # unknown or cyclic: the specified rules report it
            return 0
        self.active.add(name)
        try:
            self.memo[name] = self.selection(fragment.selection_set)
        finally:
            self.active.discard(name)
        return self.memo[name]


def _operations(context: ValidationContext) -> tuple[dict[str, FragmentDefinitionNode], list[OperationDefinitionNode]]:
    definitions = context.document.definitions
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    return fragments, [d for d in definitions if isinstance(d, OperationDefinitionNode)]


def _depth_of_field(node: FieldNode, inner: Callable[[SelectionSetNode | None], int]) -> int:
    if node.name.value.startswith("__") or node.selection_set is None:
        return 0  # leaves and introspection fields add no depth
    return 1 + inner(node.selection_set)


def _aliases_of_field(node: FieldNode, inner: Callable[[SelectionSetNode | None], int]) -> int:
    return (1 if node.alias else 0) + inner(node.selection_set)


def depth_rule(max_depth: int) -> type[ValidationRule]:
    """Refuse operations nested deeper than `max_depth` fields (fragments expanded, each measured once)."""

    class QueryDepthRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            fragments, operations = _operations(context)
            measure = _FragmentMeasure(fragments, lambda parts: max(parts, default=0), _depth_of_field)
            for operation in operations:
                if measure.selection(operation.selection_set) > max_depth:
                    name = operation.name.value if operation.name else "anonymous"
                    context.report_error(GraphQLError(f"'{name}' exceeds maximum operation depth of {max_depth}", operation))

    return QueryDepthRule


def aliases_rule(max_aliases: int) -> type[ValidationRule]:
    """Refuse documents with more than `max_aliases` aliased fields, counted with fragments expanded (each measured once)."""

    class MaxAliasesRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            fragments, operations = _operations(context)
            measure = _FragmentMeasure(fragments, sum, _aliases_of_field)
            total = sum(measure.selection(operation.selection_set) for operation in operations)
            if total > max_aliases:
                context.report_error(GraphQLError(f"{total} aliases found. Allowed: {max_aliases}"))

    return MaxAliasesRule
