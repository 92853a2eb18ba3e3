"""Relay-style connections: `edges {node cursor}`, `pageInfo`, and a `totalCount` counted only when asked."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, Self, TypeVar

import strawberry

from resolvers.pagination import Page
from resolvers.selection import SelectionTree

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count_rows: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Rows matching the filter, over all pages.")
    async def total_count(self) -> int:
        return await self.count_rows()

    @classmethod
    def from_page(cls, page: Page[Any], to_node: Callable[[Any], T], selected: SelectionTree | None = None) -> Self:
        """A domain `Page` as this connection, each row mapped by `to_node`; edges' cursors are encoded only when
        `selected` (what the query asks below the connection, if known) asks for them."""
        if selected is None or "cursor" in selected.get("edges", {}):
            edges = [Edge(node=to_node(row), cursor=cursor) for row, cursor in zip(page.rows, page.cursors, strict=True)]
        else:
            edges = [Edge(node=to_node(row), cursor="") for row in page.rows]
        return cls(edges=edges, page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor), count_rows=page.count_rows)
