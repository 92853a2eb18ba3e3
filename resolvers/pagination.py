"""Keyset pagination: cursors carry the last row's sort key, so pages stay stable while tables grow."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import orjson
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from core.errors import BadInput
from schema.connections import Connection, Edge, PageInfo

M = TypeVar("M")
N = TypeVar("N")
C = TypeVar("C", bound=Connection[Any])

DEFAULT_PAGE = 50
MAX_PAGE = 100


def _encode(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(orjson.dumps(plain)).decode()


def _decode(cursor: str, sort_fields: Sequence[str]) -> list[Any]:
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, orjson.JSONDecodeError, ValueError) as exc:
        raise BadInput("after", "not a cursor returned by this connection") from exc
    if not isinstance(values, list) or len(values) != len(sort_fields):
        raise BadInput("after", "not a cursor returned by this connection")
    return values


def page_size(first: int | None) -> int:
    """Check `first` against the connection limit (1..100, default 50)."""
    if first is None:
        return DEFAULT_PAGE
    if not 1 <= first <= MAX_PAGE:
        raise BadInput("first", f"must be between 1 and {MAX_PAGE}; got {first}")
    return first


def _after(sort_fields: Sequence[str], values: Sequence[Any], parse: Sequence[Callable[[Any], Any]]) -> Q:
    """(a > x) OR (a = x AND b > y) … for ascending keyset order."""
    parsed = [convert(value) for convert, value in zip(parse, values, strict=True)]
    condition: Q | None = None
    for index, field_name in enumerate(sort_fields):
        equal = {f: parsed[i] for i, f in enumerate(sort_fields[:index])}
        clause = Q(**equal, **{f"{field_name}__gt": parsed[index]})
        condition = clause if condition is None else condition | clause
    assert condition is not None
    return condition


async def paginate(
    queryset: QuerySet[Any],
    *,
    sort_fields: Sequence[str],
    parse: Sequence[Callable[[Any], Any]],
    first: int | None,
    after: str | None,
    connection_type: type[C],
    to_node: Callable[[Any], N],
    prepare: Callable[[list[Any]], Awaitable[object]] | None = None,
) -> C:
    """Return one page of `queryset` ordered by `sort_fields` (the last one unique); `prepare` reads what
    `to_node` needs for the page's rows (e.g. their time zones) before they are mapped."""
    size = page_size(first)
    page_query = queryset
    if after is not None:
        try:
            page_query = queryset.filter(_after(sort_fields, _decode(after, sort_fields), parse))
        except (TypeError, ValueError) as exc:
            raise BadInput("after", "not a cursor returned by this connection") from exc
    rows = await page_query.order_by(*sort_fields).limit(size + 1)
    has_next = len(rows) > size
    rows = rows[:size]
    if prepare is not None:
        await prepare(rows)
    edges = [Edge(node=to_node(row), cursor=_encode([getattr(row, f) for f in sort_fields])) for row in rows]
    return connection_type(
        edges=edges,
        page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
        count_rows=queryset.count,
    )
