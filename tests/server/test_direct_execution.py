"""POSTed queries are executed directly (server/fastpath/direct_execution.py); the same query sent by GET takes strawberry's
whole path. Both must answer byte for byte alike — data, errors, masking — and refusals stay strawberry's."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from resolvers.units import queries as unit_queries
from server.fastpath.direct_execution import DirectQueries
from server.load.service import load_document
from tests.documents import county_document

QUERIES: dict[str, tuple[str, dict[str, Any] | None, str | None]] = {
    "tree with fragments, aliases and __typename": ("""query ($code: String!) { county(code: $code) { __typename name ...T } }
      fragment T on County { townships { code alias: name villages { code grids { code worker { name phone } } } } }""",
      {"code": "522728"}, None),
    "meetings with a filter in variables": ("""query ($f: MeetingFilter) { meetings(filter: $f, first: 3) { totalCount
      pageInfo { hasNextPage endCursor } edges { cursor node { id number kind heldAt attendees { name } cases { number } } } } }""",
      {"f": {"countyCode": "522728", "period": "2023"}}, None),
    "the named operation of two": ("query A { counties { code } } query B { township(code: \"522728001\") { code name } }", None, "B"),
    "an error a resolver raises on purpose (BadInput), beside data": (
      '{ counties { code } township(code: "522728001") { code meetings(first: 500) { totalCount } } }', None, None),
    "nothing outside the jurisdiction, with @skip and @include": (
      'query ($no: Boolean!) { village(code: "522728001201") { code name @skip(if: $no) households @include(if: $no) } }',
      {"no": True}, None),
}


async def _both(client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None, name: str | None) -> tuple[bytes, bytes]:
    body: dict[str, Any] = {"query": query, "variables": variables, "operationName": name}
    posted = await client.post("/graphql", json=body)
    params = {"query": query, **({"variables": orjson.dumps(variables).decode()} if variables is not None else {}),
              **({"operationName": name} if name else {})}
    got = await client.get("/graphql", params=params, headers={"Accept": "application/json"})
    assert posted.status_code == got.status_code == 200, (posted.text, got.text)
    assert posted.headers["content-type"] == got.headers["content-type"] == "application/json"
    return posted.content, got.content


@pytest.fixture
def direct_answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each POST was answered by the direct path (True) or handed to strawberry (False)."""
    seen: list[bool] = []
    answer = DirectQueries.answer

    async def watched(self: DirectQueries, *args: Any) -> bytes | None:
        found = await answer(self, *args)
        seen.append(found is not None)
        return found

    monkeypatch.setattr(DirectQueries, "answer", watched)
    return seen


@pytest.mark.parametrize("name", sorted(QUERIES))
async def test_a_posted_query_answers_exactly_like_strawberrys_path(client: httpx.AsyncClient, name: str, direct_answers: list[bool]) -> None:
    await load_document(county_document(townships=2, villages=2))
    query, variables, operation = QUERIES[name]
    for _ in range(2):  # the second time every cache is warm
        posted, got = await _both(client, query, variables, operation)
        assert posted == got
    assert orjson.loads(posted)["data"] is not None
    assert direct_answers and all(direct_answers)  # (a repeat may come from the response cache)


async def test_an_unexpected_error_is_masked_alike_on_both_paths(client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    """A fault injected where no input can cause one: the client reads "Internal server error.", the log has the rest."""
    await load_document(county_document())

    async def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError('relation "village" does not exist at character 42')

    monkeypatch.setattr(unit_queries, "village", broken)
    posted, got = await _both(client, '{ village(code: "522728001201") { code } counties { code } }', None, None)
    assert posted == got
    answer = orjson.loads(posted)
    assert answer["errors"] == [{"message": "Internal server error.", "locations": [{"line": 1, "column": 3}], "path": ["village"]}]
    assert answer["data"] == {"village": None, "counties": [{"code": "522728"}]}
    assert "does not exist" not in posted.decode()
    assert sum("does not exist" in record.getMessage() or "does not exist" in str(record.exc_info) for record in caplog.records) == 2


async def test_refusals_and_writes_keep_strawberrys_answers(client: httpx.AsyncClient, direct_answers: list[bool]) -> None:
    """Syntax and validation errors, a mutation and a body that is not an operation are answered by strawberry."""
    await load_document(county_document())
    syntax = await client.post("/graphql", json={"query": "{ counties { code }"})
    assert syntax.status_code == 200 and "Syntax Error" in syntax.json()["errors"][0]["message"]
    unknown = await client.post("/graphql", json={"query": "{ counties { nope } }"})
    assert "Cannot query field 'nope'" in unknown.json()["errors"][0]["message"]
    written = await client.post("/graphql", json={"query": 'mutation { acknowledgeAlert(id: "QWxlcnQ6OTk5", note: "x") { userErrors { code } } }'})
    assert written.json()["data"]["acknowledgeAlert"]["userErrors"][0]["code"] == "NOT_FOUND"
    batch = await client.post("/graphql", json=[{"query": "{ counties { code } }"}])
    assert batch.status_code == 400
    assert direct_answers == [False, False, False, False]


async def test_a_querys_statements_share_one_pool_connection(orm: str, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: a dashboard of a dozen statements takes one connection from the pool, not one per statement
    (server/fastpath/request_connection.py); the answer is the same as strawberry's path, which takes one per statement."""
    if not orm.startswith("postgres"):
        pytest.skip("SQLite has one connection and no pool")
    from benchmarks.dashboard import DASHBOARD
    from tortoise import connections

    await load_document(county_document(townships=2, villages=2))
    pool = connections.get("default")._pool  # type: ignore[attr-defined]
    taken: list[int] = []
    acquire = type(pool).acquire

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        taken.append(1)
        return acquire(self, *args, **kwargs)

    monkeypatch.setattr(type(pool), "acquire", counted)
    variables = {"code": "522728001", "month": "2023-05"}
    posted = await client.post("/graphql", json={"query": DASHBOARD, "variables": variables})
    by_post = len(taken)
    taken.clear()
    got = await client.get("/graphql", params={"query": DASHBOARD, "variables": orjson.dumps(variables).decode()})
    assert posted.content == got.content and "errors" not in posted.json()
    assert by_post == 2, by_post  # the response cache's data-version read, then the query's one connection
    assert len(taken) >= 9  # strawberry's path: one per statement
