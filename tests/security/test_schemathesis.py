"""A bounded schemathesis run: generated GraphQL documents for every query and mutation, sent to a real server with
each role's token. None may answer 5xx, "Internal server error." or show a traceback or SQL.

Small by default (CI: `LIANXI_FUZZ_EXAMPLES` examples per operation, 3); set it higher for a longer run.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis.graphql
from graphql import get_introspection_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.auth.conftest import SCOPES
from tests.serving import cli_token, served

EXAMPLES = int(os.environ.get("LIANXI_FUZZ_EXAMPLES", "3"))
LEAKS = ("Traceback", 'File "/', "Internal server error", "SELECT ", "INSERT INTO", "UPDATE \"", "sqlite3.", "asyncpg", "tortoise.exceptions")

_offsets = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_instants = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.one_of(st.none(), _offsets))
_dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
schemathesis.graphql.scalar("Date", st.one_of(_dates.map(date.isoformat), st.text(max_size=12)).map(schemathesis.graphql.nodes.String))
schemathesis.graphql.scalar("DateTime", st.one_of(_instants.map(datetime.isoformat), st.text(max_size=12)).map(schemathesis.graphql.nodes.String))
schemathesis.graphql.scalar("JSON", st.text(max_size=8).map(schemathesis.graphql.nodes.String))


def _check(role: str, query: str, response: httpx.Response) -> None:
    assert response.status_code < 500, (role, query, response.text[:500])
    leaked = [marker for marker in LEAKS if marker in response.text]
    assert not leaked, (role, query, leaked, response.text[:1000])


async def test_generated_documents_get_no_server_error_for_any_role(world: None, orm: str, tmp_path: Path) -> None:
    tokens = {role: cli_token(orm, role, scope) for role, scope in SCOPES.items()}
    sent = 0
    with served(orm, tmp_path / "serve.log") as base:
        clients = {role: httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {t}"}) for role, t in tokens.items()}
        introspection = clients["ADMIN"].post("/graphql", json={"query": get_introspection_query()}).json()
        schema = schemathesis.graphql.from_dict(introspection)
        for result in schema.get_all_operations():
            operation = result.ok()

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def exercise(case: Any) -> None:
                nonlocal sent
                document = case.body if isinstance(case.body, str) else case.body["query"]
                for role, client in clients.items():
                    _check(role, document, client.post("/graphql", json={"query": document}))
                    sent += 1

            exercise()
        for client in clients.values():
            client.close()
    print(f"schemathesis: {sent} requests over {len(SCOPES)} roles")
    assert sent >= EXAMPLES * len(SCOPES)


pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # one backend: the server process is the subject
