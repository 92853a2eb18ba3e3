"""Validate each distinct query text once against the rules that ignore variables (strawberry's own included); re-run only the variable-dependent ones.

graphql-core's validation walks the whole document with every rule on every request (≈ a third
of a small dashboard request here). The specified rules and our depth and alias limits depend only
on the document, so their errors are cached per query text (bounded LRU); rules made per request
from the variables (query cost, NUL characters: server/limits.py) run once per (query, variables)
when the variables are small, and on every request otherwise.

A long document is validated on a worker thread (server/off_loop.py): even linear, graphql-core needs
~100 ms for a 4,000-token document, and the event loop must keep answering other requests meanwhile.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import AsyncIterator
from threading import Lock

import orjson
from graphql import ASTValidationRule, GraphQLError, specified_rules, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from server.off_loop import THREAD_ABOVE_CHARS, off_loop

MAX_DOCUMENTS = 512
MAX_VARIABLES_BYTES = 4096  # variables worth caching the variable-dependent rules for (dashboards, lists)


class _Lru:
    """Keyed by a digest of the text (a 1 MB query is 32 bytes here), holding errors detached from the document.

    An error keeps its nodes, and a node keeps the whole parsed document (every token, linked both ways):
    512 cached refusals of hostile documents were millions of objects for the garbage collector to walk
    while holding the GIL. A detached error keeps the source text and positions, so it reads the same.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[bytes, list[GraphQLError]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: str) -> list[GraphQLError] | None:
        digest = _digest(key)
        with self._lock:
            found = self._items.get(digest)
            if found is not None:
                self._items.move_to_end(digest)
            return found

    def put(self, key: str, value: list[GraphQLError]) -> None:
        digest = _digest(key)
        with self._lock:
            self._items[digest] = [_detached(error) for error in value]
            self._items.move_to_end(digest)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=32).digest()


def _detached(error: GraphQLError) -> GraphQLError:
    """The same message, locations and extensions, without references to the document's nodes."""
    if not error.nodes:
        return error
    return GraphQLError(error.message, source=error.source, positions=error.positions, path=error.path, extensions=error.extensions)


def cached_validation(static_rules: tuple[type[ASTValidationRule], ...], limits: tuple[type[ASTValidationRule], ...] = ()) -> type[SchemaExtension]:
    """An extension class (one cache per schema) caching the outcome of `specified_rules + static_rules` per query text.

    `limits` (among `static_rules`: depth, aliases) run first and alone; their errors stand for the whole set.
    """
    cache = _Lru(MAX_DOCUMENTS)
    per_variables = _Lru(MAX_DOCUMENTS)
    static = frozenset((*specified_rules, *static_rules))

    class CachedValidation(SchemaExtension):
        async def on_validate(self) -> AsyncIterator[None]:
            context = self.execution_context
            document, query = context.graphql_document, context.query
            if document is None or query is None:
                yield
                return
            rules = list(context.validation_rules)
            errors = cache.get(query)
            dynamic = [r for r in rules if r not in static]
            if errors is None or dynamic:
                long = len(query) > THREAD_ABOVE_CHARS or len(orjson.dumps(context.variables or {}, option=orjson.OPT_NON_STR_KEYS)) > THREAD_ABOVE_CHARS
                work = lambda: _validate(context, document, query, rules, errors, dynamic)  # noqa: E731
                if long:
                    errors, extra = await off_loop(work)
                else:
                    errors, extra = work()
            else:
                extra = []
            context.pre_execution_errors = [*errors, *extra]
            yield

    def _validate(context: object, document: object, query: str, rules: list[type[ASTValidationRule]],
                  errors: list[GraphQLError] | None, dynamic: list[type[ASTValidationRule]]) -> tuple[list[GraphQLError], list[GraphQLError]]:
        """(the static rules' errors, from the cache or computed now; the variable-dependent rules' errors)."""
        if errors is None:
            schema = context.schema._schema  # type: ignore[attr-defined]
            # the cheap, linear limits first: a document over them is refused without the full (costlier) rule set
            errors = validate(schema, document, [r for r in rules if r in limits]) if limits else []
            errors = errors or validate_document(schema, document, tuple(r for r in rules if r in static))
            cache.put(query, errors)
        return errors, (_dynamic_errors(context, document, query, dynamic) if dynamic else [])

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
