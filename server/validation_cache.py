"""Validate each distinct query text once against the rules that ignore variables (strawberry's own included); re-run only the variable-dependent ones.

graphql-core's validation walks the whole document with every rule on every request (≈ a third
of a small dashboard request here). The specified rules and our depth and alias limits depend only
on the document, so their errors are cached per query text (bounded LRU); rules made per request
from the variables (query cost, NUL characters: server/limits.py) run once per (query, variables)
when the variables are small, and on every request otherwise.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from threading import Lock

import orjson
from graphql import ASTValidationRule, GraphQLError, specified_rules, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

MAX_DOCUMENTS = 512
MAX_VARIABLES_BYTES = 4096  # variables worth caching the variable-dependent rules for (dashboards, lists)


class _Lru:
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, list[GraphQLError]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: str) -> list[GraphQLError] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: str, value: list[GraphQLError]) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def cached_validation(static_rules: tuple[type[ASTValidationRule], ...]) -> type[SchemaExtension]:
    """An extension class (one cache per schema) caching the outcome of `specified_rules + static_rules` per query text."""
    cache = _Lru(MAX_DOCUMENTS)
    per_variables = _Lru(MAX_DOCUMENTS)
    static = frozenset((*specified_rules, *static_rules))

    class CachedValidation(SchemaExtension):
        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            document, query = context.graphql_document, context.query
            if document is None or query is None:
                yield
                return
            rules = list(context.validation_rules)
            errors = cache.get(query)
            if errors is None:
                errors = validate_document(context.schema._schema, document, tuple(r for r in rules if r in static))
                cache.put(query, errors)
            dynamic = [r for r in rules if r not in static]
            context.pre_execution_errors = [*errors, *(_dynamic_errors(context, document, query, dynamic) if dynamic else [])]
            yield

    def _dynamic_errors(context: object, document: object, query: str, dynamic: list[type[ASTValidationRule]]) -> list[GraphQLError]:
        """The variable-dependent rules' errors, cached per (query text, variables) when the variables are small."""
        variables = orjson.dumps(getattr(context, "variables", None) or {}, option=orjson.OPT_SORT_KEYS)
        key = f"{query}\x00{variables.decode()}" if len(variables) <= MAX_VARIABLES_BYTES else None
        found = per_variables.get(key) if key is not None else None
        if found is None:
            found = validate(context.schema._schema, document, dynamic)  # type: ignore[attr-defined]
            if key is not None:
                per_variables.put(key, found)
        return found


    return CachedValidation
