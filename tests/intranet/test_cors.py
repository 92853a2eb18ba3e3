"""A browser app on another origin calls the API: the listed origins get CORS headers, others do not, and nothing works without the bearer token."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from server.app import create_app
from server.auth.tokens import issue_token
from core.settings import SettingsError, load_settings

APP_ORIGIN = "https://app.county.example"
MUTATION = {"query": 'mutation { runCompliance(countyCode: "522728") { userErrors { code message } } }'}


@pytest.fixture
async def browser_for(orm: str) -> AsyncIterator[Callable[[dict[str, str]], httpx.AsyncClient]]:
    """An HTTP client to the real app built from the given environment (no token unless a test adds one)."""
    opened: list[httpx.AsyncClient] = []

    def make(env: dict[str, str]) -> httpx.AsyncClient:
        settings = load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_SWEEP": "false", **env})
        app = create_app(settings, manage_database=False)
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lianxi.test")
        opened.append(http)
        return http

    yield make
    for http in opened:
        await http.aclose()


def _preflight(origin: str) -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}


async def test_a_listed_origin_passes_the_preflight_and_reads_answers(browser_for: Callable[[dict[str, str]], httpx.AsyncClient]) -> None:
    http = browser_for({"LIANXI_ENV": "production", "LIANXI_CORS_ORIGINS": f"{APP_ORIGIN}, https://other.example"})
    preflight = await http.options("/graphql", headers=_preflight(APP_ORIGIN))
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers

    token = (await issue_token("ADMIN", name="browser app")).token
    answer = await http.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": APP_ORIGIN, "Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == APP_ORIGIN


async def test_production_allows_no_origin_unless_listed(browser_for: Callable[[dict[str, str]], httpx.AsyncClient]) -> None:
    http = browser_for({"LIANXI_ENV": "production"})
    for origin in (APP_ORIGIN, "http://localhost:3000"):
        preflight = await http.options("/graphql", headers=_preflight(origin))
        assert preflight.status_code == 400 and "access-control-allow-origin" not in preflight.headers


async def test_development_allows_this_machine_on_any_port(browser_for: Callable[[dict[str, str]], httpx.AsyncClient]) -> None:
    http = browser_for({"LIANXI_ENV": "development"})
    for origin in ("http://localhost:5173", "http://127.0.0.1:3000"):
        preflight = await http.options("/graphql", headers=_preflight(origin))
        assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == origin
    refused = await http.options("/graphql", headers=_preflight("http://localhost.evil.example"))
    assert refused.status_code == 400


async def test_a_cross_site_mutation_without_the_token_is_refused(browser_for: Callable[[dict[str, str]], httpx.AsyncClient]) -> None:
    http = browser_for({"LIANXI_ENV": "development", "LIANXI_CORS_ORIGINS": APP_ORIGIN})
    for headers in ({"Origin": APP_ORIGIN}, {"Origin": "https://evil.example", "Cookie": "session=anything"}):
        answer = await http.post("/graphql", json=MUTATION, headers=headers)
        assert answer.status_code == 401 and answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert "access-control-allow-credentials" not in answer.headers
    as_form = await http.post("/graphql", data={"query": MUTATION["query"]}, headers={"Origin": "https://evil.example"})
    assert as_form.status_code == 401


@pytest.mark.parametrize("raw", ["app.county.example", "https://app.county.example/graphql", "ftp://x"])
def test_a_malformed_origin_is_named(raw: str) -> None:
    with pytest.raises(SettingsError, match="LIANXI_CORS_ORIGINS"):
        load_settings({"LIANXI_CORS_ORIGINS": raw})
