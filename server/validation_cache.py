"""Validate each distinct query text once against the rules that ignore variables (strawberry's own included); re-run only the variable-dependent ones.

graphql-core's validation walks the whole document with every rule on every request (≈ a third
of a small dashboard request here). The specified rules and our depth and alias limits depend only
on the document, so their errors are cached per query text (bounded LRU); the checks that need the
variables (query cost, NUL characters, size: server/limits.py) run once per (query, operation, variables)
when the variables are small, and on every request otherwise.

A long document is validated on a worker thread (server/off_loop.py): even linear, graphql-core needs
~100 ms for a 4,000-token document, and the event loop must keep answering other requests meanwhile.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from threading import Lock
from typing import Any

import orjson
from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, validate
from strawberry.schema.schema import validate_document

from server.limits import variable_errors
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


class Validation:
    """Validation with its outcome cached: the static rules per query text, the variable checks per (query, operation,
    variables) when the variables are small (server/limits.py `variable_errors`)."""

    def __init__(self, static_rules: tuple[type[ASTValidationRule], ...], *, limits: tuple[type[ASTValidationRule], ...] = (),
                 max_cost: int) -> None:
        """`limits` (among `static_rules`: depth, aliases) run first and alone; their errors stand for the whole set."""
        self.static_rules, self.limits, self.max_cost = static_rules, limits, max_cost
        self._static = _Lru(MAX_DOCUMENTS)
        self._per_variables = _Lru(MAX_DOCUMENTS)

    async def errors(self, schema: GraphQLSchema, document: DocumentNode, query: str, operation_name: str | None,
                     variables: dict[str, Any] | None) -> list[GraphQLError]:
        """The document's validation errors, then those of its variables; long inputs are checked off the event loop."""
        encoded = orjson.dumps(variables or {}, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SORT_KEYS)
        key = f"{query}\x00{operation_name or ''}\x00{encoded.decode()}" if len(encoded) <= MAX_VARIABLES_BYTES else None
        static = self._static.get(query)
        dynamic = self._per_variables.get(key) if key is not None else None
        if static is not None and dynamic is not None:
            return [*static, *dynamic]
        work = lambda: self._validate(schema, document, query, static, operation_name, variables, key)  # noqa: E731
        return await off_loop(work) if len(query) > THREAD_ABOVE_CHARS or len(encoded) > THREAD_ABOVE_CHARS else work()

    def _validate(self, schema: GraphQLSchema, document: DocumentNode, query: str, static: list[GraphQLError] | None,
                  operation_name: str | None, variables: dict[str, Any] | None, key: str | None) -> list[GraphQLError]:
        if static is None:
            # the cheap, linear limits first: a document over them is refused without the full (costlier) rule set
            static = validate(schema, document, list(self.limits)) if self.limits else []
            static = static or validate_document(schema, document, self.static_rules)
            self._static.put(query, static)
        dynamic = variable_errors(schema, document, operation_name, variables if isinstance(variables, dict) else None, self.max_cost)
        if key is not None:
            self._per_variables.put(key, dynamic)
        return [*static, *dynamic]
