"""Mistakes of the client are answered as the client's and logged as one line: a subscription sent over HTTP, a bad
variable, a syntax error (a bad port or an empty SQLite path: tests/intranet/test_cli_errors.py)."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

SUBSCRIPTION = "subscription Live { alertChanged(countyCode: \"522728\") { kind } }"
MISTAKES = {
    "bad variable": {"query": "query($c: String!) { county(code: $c) { name } }", "variables": {"c": 5}},
    "missing variable": {"query": "query($c: String!) { county(code: $c) { name } }", "variables": {}},
    "unknown enum value": {"query": "mutation($i: RecordMeetingInput!) { recordMeeting(input: $i) { __typename } }",
                           "variables": {"i": {"townshipCode": "522728109", "kind": "NOPE", "heldAt": "2024-01-01T09:00:00+08:00"}}},
    "unparsable date": {"query": "query($d: Date) { township(code: \"522728109\") { supervisor(at: $d) { name } } }", "variables": {"d": "yesterday"}},
    "syntax error": {"query": "{ county(code: \"522728\") { name "},
    "unknown field": {"query": "{ county(code: \"522728\") { nope } }"},
}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_subscription_over_http_is_a_client_error(client_for: Any, caplog: pytest.LogCaptureFixture) -> None:
    client: httpx.AsyncClient = await client_for("ADMIN")
    with caplog.at_level(logging.INFO):
        for body in ({"query": SUBSCRIPTION}, {"query": SUBSCRIPTION, "operationName": "Live"}):
            response = await client.post("/graphql", json=body)
            assert response.status_code == 400, response.text
            message = response.json()["errors"][0]["message"]
            assert "websocket" in message and "graphql-transport-ws" in message and "/graphql" in message, message
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_variable_and_syntax_errors_are_one_line_without_traceback(client_for: Any, caplog: pytest.LogCaptureFixture) -> None:
    client: httpx.AsyncClient = await client_for("ADMIN")
    for name, body in MISTAKES.items():
        caplog.clear()
        with caplog.at_level(logging.INFO):
            response = await client.post("/graphql", json=body)
        assert response.status_code in (200, 400), (name, response.text)
        errors = response.json()["errors"]
        assert "Internal server error" not in str(errors), (name, errors)
        serious = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
        assert not serious, (name, [(r.levelname, r.name, r.getMessage()) for r in serious])
        lines = [r for r in caplog.records if r.name.startswith(("strawberry", "lianxi", "server", "schema"))]
        assert len(lines) == 1 and lines[0].levelno in (logging.INFO, logging.WARNING), (name, [(r.levelname, r.name, r.getMessage()) for r in caplog.records])
        assert "\n" not in lines[0].getMessage(), lines[0].getMessage()
