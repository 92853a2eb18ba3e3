"""GraphiQL's scripts go out gzip-compressed (3.5 MB → about 1 MB on a county's slow link); nothing else changes:
/graphql answers are never compressed by it (their ETag and streaming are the GraphQL layer's), and the page
does not fetch the schema with the token placeholder (the stale "invalid token" error on opening)."""

from __future__ import annotations

import httpx
import pytest

from server.graphiql import ASSETS_DIR, ASSETS_PATH

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@sqlite_only
async def test_the_graphiql_script_is_sent_gzip_compressed(client: httpx.AsyncClient) -> None:
    size = (ASSETS_DIR / "graphiql.min.js").stat().st_size
    compressed = await client.get(f"{ASSETS_PATH}/graphiql.min.js", headers={"Accept-Encoding": "gzip"})
    assert compressed.status_code == 200 and compressed.headers["content-encoding"] == "gzip"
    assert compressed.num_bytes_downloaded < size / 2 and len(compressed.content) == size
    assert "accept-encoding" in compressed.headers["vary"].lower()
    plain = await client.get(f"{ASSETS_PATH}/graphiql.min.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.num_bytes_downloaded == size


@sqlite_only
async def test_graphql_answers_are_not_compressed_by_it(client: httpx.AsyncClient) -> None:
    answer = await client.post("/graphql", json={"query": "{ counties { code name townships { code name } } }"},
                               headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200 and "content-encoding" not in answer.headers
    page = await client.get("/graphql", headers={"Accept": "text/html", "Accept-Encoding": "gzip", "Authorization": ""})
    assert page.status_code == 200 and "content-encoding" not in page.headers


@sqlite_only
async def test_the_page_waits_for_a_token_before_fetching_the_schema(client: httpx.AsyncClient) -> None:
    page = (await client.get("/graphql", headers={"Accept": "text/html", "Authorization": ""})).text
    assert 'params.operationName === "IntrospectionQuery") return new Promise(() => {})' in page
