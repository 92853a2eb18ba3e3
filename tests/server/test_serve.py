"""An operator runs `lianxi serve`: health, GraphiQL and GraphQL answer on a real uvicorn."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.serving import cli_token, served


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def served_database(request: pytest.FixtureRequest) -> str:
    """The session database of each backend; the tests here only read it, so one server per backend serves them all."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture(scope="module")
def server(served_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(served_database, tmp_path_factory.mktemp("serve") / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def admin_token(served_database: str) -> str:
    return cli_token(served_database)


def test_served_app_answers_health_graphiql_and_queries(server: str, admin_token: str) -> None:
    health = httpx.get(f"{server}/healthz").json()
    assert health["status"] == "ok" and health["database"] == "ok" and health["migrations"]["state"] == "current"
    page = httpx.get(f"{server}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    anonymous = httpx.post(f"{server}/graphql", json={"query": "{ counties { code } }"})
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer")
    auth = {"Authorization": f"Bearer {admin_token}"}
    answer = httpx.post(f"{server}/graphql", json={"query": "{ counties { code } }"}, headers=auth)
    assert answer.status_code == 200 and "errors" not in answer.json()


def test_broken_requests_get_clear_errors_without_internals(server: str, admin_token: str) -> None:
    auth = {"Authorization": f"Bearer {admin_token}"}
    syntax = httpx.post(f"{server}/graphql", json={"query": "{ counties { code "}, headers=auth)
    assert syntax.status_code == 200 and "Syntax Error" in syntax.json()["errors"][0]["message"]
    not_json = httpx.post(f"{server}/graphql", content=b"{not json", headers={"Content-Type": "application/json", **auth})
    assert not_json.status_code == 400
    unknown = httpx.post(f"{server}/graphql", json={"query": "{ nothing }"}, headers=auth)
    assert "Cannot query field 'nothing'" in unknown.json()["errors"][0]["message"]
    for response in (syntax, not_json, unknown):
        assert "Traceback" not in response.text and "SELECT" not in response.text


def test_several_workers_need_postgresql(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    env = {**os.environ, "LIANXI_DATABASE_URL": f"sqlite://{tmp_path / 'x.db'}"}
    result = subprocess.run([sys.executable, "-m", "server.cli", "serve", "--workers", "2", "--port", "1"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--workers above 1 needs PostgreSQL" in result.stderr
