"""An operator runs `lianxi serve`: health, GraphiQL and GraphQL answer on a real uvicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def admin_token(db_url: str) -> str:
    """An ADMIN token made the way an operator makes one: `lianxi token create` prints it alone on stdout."""
    env = {**os.environ, "LIANXI_DATABASE_URL": db_url}
    created = subprocess.run(
        [sys.executable, "-m", "server.cli", "token", "create", "--role", "ADMIN", "--name", "serve test"],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )
    return created.stdout.strip()


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "LIANXI_DATABASE_URL": db_url, "LIANXI_SWEEP": "false"}
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail(f"server did not start: {(tmp_path / 'serve.log').read_text()}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_served_app_answers_health_graphiql_and_queries(server: str, admin_token: str) -> None:
    assert httpx.get(f"{server}/healthz").json() == {"status": "ok", "database": "ok"}
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
