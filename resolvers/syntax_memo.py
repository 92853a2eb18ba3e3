"""Values computed from parts of cached GraphQL documents, remembered between requests by the parts' identity.

Parsed documents are cached (server/parse_cache.py), so the same query text brings the same syntax-tree nodes back on
every request: what depends only on those nodes (the selection below a field, a lean execution plan, whether an
operation has directives) can be computed once. Keys are the parts' ids, and the parts themselves are kept with the
value, so an id cannot be reused by another object while its entry lives; the memo is emptied when it is full.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

V = TypeVar("V")


class SyntaxMemo(Generic[V]):
    """`found, value = memo.get(parts)`; `memo.put(parts, value)`. Parts are compared by identity, never by value."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: dict[tuple[int, ...], tuple[tuple[Any, ...], V]] = {}

    def get(self, parts: tuple[Any, ...]) -> tuple[bool, V | None]:
        known = self._entries.get(tuple(map(id, parts)))
        if known is not None and len(known[0]) == len(parts) and all(a is b for a, b in zip(known[0], parts)):
            return True, known[1]
        return False, None

    def put(self, parts: tuple[Any, ...], value: V) -> None:
        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[tuple(map(id, parts))] = (parts, value)
