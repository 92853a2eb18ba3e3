"""Parse each distinct query text once (bounded LRU), long texts on a worker thread (server/off_loop.py).

Replaces strawberry's ParserCache, which parses on the event loop: lexing a near-1 MB body (one string
literal, one comment, or whitespace, none of which the token limit counts per character) takes ~250 ms
of pure Python, during which the server answered nothing else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import lru_cache

from graphql import DocumentNode, parse
from strawberry.extensions import SchemaExtension

from server.off_loop import THREAD_ABOVE_CHARS, off_loop

MAX_DOCUMENTS = 512

# keyed by query text and parse options (the token limit included); thread-safe; failures are not cached
_parse = lru_cache(maxsize=MAX_DOCUMENTS)(parse)


class OffLoopParserCache(SchemaExtension):
    """Sets the parsed document before strawberry's own parse step, which then skips it; syntax errors propagate as usual."""

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        query, options = context.query, dict(context.parse_options)
        if query is not None and context.graphql_document is None:
            context.graphql_document = await parsed(query, **options)
        yield


async def parsed(query: str, **options: object) -> DocumentNode:
    """The document for `query` (cached; raises GraphQLError on a syntax error or over `max_tokens`)."""
    if len(query) <= THREAD_ABOVE_CHARS:
        return _parse(query, **options)
    return await off_loop(lambda: _parse(query, **options))
