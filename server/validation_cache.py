"""Validate each distinct query text once against the rules that ignore variables (strawberry's own included); re-run only the variable-dependent ones.

graphql-core's validation walks the whole document with every rule on every request (≈ a third
of a small dashboard request here). The specified rules and our depth and alias limits depend only
on the document, so their errors are cached per query text (bounded LRU); rules made per request
from the variables (query cost, NUL characters: server/limits.py) still run on every request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from threading import Lock

from graphql import ASTValidationRule, GraphQLError, specified_rules, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

MAX_DOCUMENTS = 512


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
            context.pre_execution_errors = [*errors, *(validate(context.schema._schema, document, dynamic) if dynamic else [])]
            yield

    return CachedValidation
