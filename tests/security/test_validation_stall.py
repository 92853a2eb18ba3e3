"""No request within the body limit may hold the event loop: the worst documents we can build are parsed and validated
on the loop only when they are short (bounded work), and on a worker thread otherwise (server/off_loop.py).

Checked by where the work runs and how large it is, not by a wall-clock threshold: the stall itself (the longest
/healthz wait while a hostile document is served) is measured by benchmarks/adversarial.py. Before the worker
thread, a near-1 MB string literal of escapes held the loop 440 ms and the repeated-field document 87–109 ms."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
import pytest

from core.settings import Settings
from server import parse_cache
from server.off_loop import THREAD_ABOVE_CHARS
from server.validation_cache import Validation
from tests.security.hostile_documents import documents


def _on_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool, int]]:
    """(what, on the event loop, characters of text and variables) for every parse and validation from now on."""
    seen: list[tuple[str, bool, int]] = []
    parse, validate = parse_cache._parse, Validation._validate

    def parsing(query: str, options: dict[str, object]) -> Any:
        seen.append(("parse", _on_loop(), len(query)))
        return parse(query, options)

    def validating(self: Validation, schema: Any, document: Any, query: str, static: Any, operation_name: str | None,
                   variables: dict[str, Any] | None, key: str | None) -> Any:
        seen.append(("validate", _on_loop(), max(len(query), len(orjson.dumps(variables or {})))))
        return validate(self, schema, document, query, static, operation_name, variables, key)

    monkeypatch.setattr(parse_cache, "_parse", parsing)
    monkeypatch.setattr(Validation, "_validate", validating)
    return seen


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_hostile_documents_do_long_work_only_off_the_event_loop(client: httpx.AsyncClient, work: list[tuple[str, bool, int]]) -> None:
    refused_after_work = 0
    for name, (query, variables) in documents().items():
        body = httpx.Request("POST", "/", json={"query": query, "variables": variables}).content
        assert len(body) <= Settings().max_body_bytes, name
        work.clear()
        response = await client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code in (200, 400, 413), (name, response.text[:300])
        answer = response.json()
        assert answer.get("errors"), (name, answer)  # every one is refused by a limit or a rule
        assert "Internal server error" not in str(answer), (name, answer)
        on_loop = [(what, size) for what, loop, size in work if loop]
        assert all(size <= THREAD_ABOVE_CHARS for _, size in on_loop), (name, on_loop)
        refused_after_work += any(not loop for _, loop, _ in work)
    assert refused_after_work >= 5  # the long ones really were parsed or validated, on a worker thread
