"""Post a GraphQL query over HTTP and fail loudly on errors, as a frontend would see them."""

from __future__ import annotations

from typing import Any

import httpx


async def query(client: httpx.AsyncClient, document: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": document, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


async def query_errors(client: httpx.AsyncClient, document: str, **variables: Any) -> list[dict[str, Any]]:
    response = await client.post("/graphql", json={"query": document, "variables": variables})
    body = response.json()
    assert body.get("errors"), body
    return body["errors"]
