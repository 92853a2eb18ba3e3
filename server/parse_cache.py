"""Parse each distinct query text once (an LRU bounded by total characters), long texts on a worker thread.

Replaces strawberry's ParserCache, which parses on the event loop: lexing a near-1 MB body (one string
literal, one comment, or whitespace, none of which the token limit counts per character) takes ~250 ms
of pure Python, during which the server answered nothing else (server/off_loop.py).

Bounded by characters, not entries: a parsed document keeps every token (linked both ways) and node
alive, ~10 garbage-collected objects per token. 512 cached 4,000-token documents were millions of
objects, and each full collection walked them all while holding the GIL (237 ms for 385,000 objects
here); the budget keeps the cache to some 30,000 objects, and large one-off documents, which
hostile clients send and real ones rarely repeat, are not cached at all.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from graphql import DocumentNode, GraphQLError, parse

from server.off_loop import THREAD_ABOVE_CHARS, off_loop

MAX_QUERY_CHARS = 100_000  # lexing is ~0.25 µs a character in pure Python: a 1 MB text held a worker 250 ms
MAX_CACHED_CHARS = 32_000  # all cached query texts together (some 30,000 objects: a few dashboards' queries)
MAX_ENTRY_CHARS = 12_000  # a longer text is parsed each time (off the loop)

_Key = tuple[str, tuple[tuple[str, object], ...]]


class _Documents:
    """Thread-safe LRU of parsed documents whose query texts add up to at most MAX_CACHED_CHARS."""

    def __init__(self) -> None:
        self._items: OrderedDict[_Key, DocumentNode] = OrderedDict()
        self._chars = 0
        self._lock = Lock()

    def get(self, key: _Key) -> DocumentNode | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: _Key, document: DocumentNode) -> None:
        if len(key[0]) > MAX_ENTRY_CHARS:
            return
        with self._lock:
            if key not in self._items:
                self._chars += len(key[0])
            self._items[key] = document
            while self._chars > MAX_CACHED_CHARS:
                old, _ = self._items.popitem(last=False)
                self._chars -= len(old[0])


_CACHE = _Documents()


async def parsed(query: str, **options: object) -> DocumentNode:
    """The document for `query` (cached; raises GraphQLError on a syntax error, over `max_tokens` or MAX_QUERY_CHARS).

    The token limit does not bound the text: one string literal, comment or run of whitespace is one token or
    none. Long values belong in variables, which are JSON (decoded in C); the query text itself is bounded.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise GraphQLError(f"The query text is {len(query):,} characters long; at most {MAX_QUERY_CHARS:,} are accepted "
                           "(pass long values as variables).")
    key = (query, tuple(sorted(options.items())))
    found = _CACHE.get(key)
    if found is None:
        found = _parse(query, options) if len(query) <= THREAD_ABOVE_CHARS else await off_loop(lambda: _parse(query, options))
        _CACHE.put(key, found)
    return found


def _parse(query: str, options: dict[str, object]) -> DocumentNode:
    """Parsed, with the token chain unlinked: doubly linked tokens make every document one big reference cycle,
    which only a full garbage collection (GIL held throughout) can free; unlinked, refcounting frees it at once."""
    document = parse(query, **options)  # type: ignore[arg-type]
    token = document.loc.start_token if document.loc is not None else None
    while token is not None:
        token.prev, token = None, token.next
    return document
