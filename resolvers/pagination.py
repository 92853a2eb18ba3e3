"""Keyset pagination: cursors carry the last row's sort key, so pages stay stable while tables grow.

`paginate` returns a domain `Page` (rows, their cursors, whether more follow, how to count them all);
`schema.connections.Connection.from_page` maps it into the API's connection type.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Generic, TypeVar

import orjson
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from core.errors import BadInput

R = TypeVar("R")
S = TypeVar("S")

DEFAULT_PAGE = 50
MAX_PAGE = 100


@dataclass(frozen=True)
class Page(Generic[R]):
    """One page of rows in keyset order; `cursor(i)` continues after `rows[i]` (encoded only when asked for)."""

    rows: list[R]
    keys: list[list[Any]]  # each row's sort values, which its cursor encodes
    has_next_page: bool
    count_rows: Callable[[], Awaitable[int]]  # all matching rows, over all pages (only when asked)

    def cursor(self, index: int) -> str:
        return _encode(self.keys[index])

    @property
    def cursors(self) -> list[str]:
        return [_encode(key) for key in self.keys]

    @property
    def end_cursor(self) -> str | None:
        return _encode(self.keys[-1]) if self.keys else None

    def with_rows(self, rows: list[S]) -> Page[S]:
        """The same page carrying other rows (one per row, in order), e.g. each row with its time zone."""
        assert len(rows) == len(self.rows)
        return replace(self, rows=rows)  # type: ignore[return-value]


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


def after_values(after: str | None, sort_fields: Sequence[str], parse: Sequence[Callable[[Any], Any]]) -> list[Any] | None:
    """The sort values a cursor carries, parsed (None without a cursor; BadInput for one this API did not return)."""
    if after is None:
        return None
    try:
        return [convert(value) for convert, value in zip(parse, _decode(after, sort_fields), strict=True)]
    except (TypeError, ValueError) as exc:
        raise BadInput("after", "not a cursor returned by this connection") from exc


def page_of(rows: Sequence[Any], *, size: int, sort_fields: Sequence[str], count_rows: Callable[[], Awaitable[int]]) -> Page[Any]:
    """The page made of up to `size + 1` rows read in keyset order (one more than shown tells that more follow)."""
    shown = list(rows[:size])
    keys = [[getattr(row, f) for f in sort_fields] for row in shown]
    return Page(rows=shown, keys=keys, has_next_page=len(rows) > size, count_rows=count_rows)


async def _no_rows() -> int:
    return 0


def empty_page() -> Page[Any]:
    """No rows (e.g. nothing of it inside the viewer's jurisdiction)."""
    return Page(rows=[], keys=[], has_next_page=False, count_rows=_no_rows)


async def paginate(
    queryset: QuerySet[Any],
    *,
    sort_fields: Sequence[str],
    parse: Sequence[Callable[[Any], Any]],
    first: int | None,
    after: str | None,
) -> Page[Any]:
    """One page of `queryset` ordered by `sort_fields` (the last one unique)."""
    size = page_size(first)
    page_query = queryset
    if after is not None:
        try:
            page_query = queryset.filter(_after(sort_fields, _decode(after, sort_fields), parse))
        except (TypeError, ValueError) as exc:
            raise BadInput("after", "not a cursor returned by this connection") from exc
    rows = await page_query.order_by(*sort_fields).limit(size + 1)
    return page_of(rows, size=size, sort_fields=sort_fields, count_rows=queryset.count)
