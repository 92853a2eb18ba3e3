"""Parsed documents must not pile up for the garbage collector: a full collection walks every live object while
holding the GIL, so whatever the caches keep is a stall on every later collection (server/parse_cache.py)."""

from __future__ import annotations

import asyncio
import gc

from graphql import GraphQLError

from server.parse_cache import MAX_CACHED_CHARS, MAX_QUERY_CHARS, parsed
from tests.security.hostile_documents import same_field_many_times, wide_aliases


async def test_a_parsed_document_is_freed_by_refcounting_not_by_the_collector() -> None:
    """The lexer links tokens both ways (one cycle per document); unlinked, dropping the document frees it at once."""
    gc.collect()
    gc.disable()  # no collection in between: whatever the document leaves in cycles is found by the one below
    try:
        assert await asyncio.create_task(_parse_and_drop())  # its own task: the loop keeps no reference after it
        await asyncio.sleep(0)
        assert gc.collect() < 1000  # ~40,000 objects (4,000 tokens with their nodes) when the chain stays linked
    finally:
        gc.enable()


async def _parse_and_drop() -> bool:
    document = await parsed(same_field_many_times() + " # not cached: too long " + "x" * 20_000)
    return document.loc is not None and document.loc.start_token.next is not None


async def test_the_parse_cache_keeps_at_most_its_character_budget() -> None:
    """Distinct documents of 10 kB each: the cache holds ~MAX_CACHED_CHARS of them, the rest are dropped."""
    gc.collect()
    before = len(gc.get_objects())
    for i in range(100):
        await parsed(wide_aliases(500) + " " * i)
    gc.collect()
    kept = len(gc.get_objects()) - before
    per_char = 5  # objects a cached document keeps per character of wide aliases, roughly (tokens, nodes, locations)
    assert kept < MAX_CACHED_CHARS * per_char, kept


async def test_a_syntax_error_still_says_where() -> None:
    try:
        await parsed("query { a: }")
    except GraphQLError as error:
        assert error.locations and error.locations[0].column == 12
    else:
        raise AssertionError("no syntax error")


async def test_a_query_text_longer_than_the_bound_is_refused_before_lexing() -> None:
    """A 1 MB string literal is a single token: only the character bound keeps its lexing (250 ms) from happening."""
    try:
        await parsed('query { a(x: "' + "x" * MAX_QUERY_CHARS + '") }')
    except GraphQLError as error:
        assert error.message == f"The query text is {MAX_QUERY_CHARS + 18:,} characters long; at most {MAX_QUERY_CHARS:,} are accepted (pass long values as variables)."
    else:
        raise AssertionError("not refused")
    assert (await parsed('query { a(x: "' + "x" * (MAX_QUERY_CHARS - 18) + '") }')).definitions
