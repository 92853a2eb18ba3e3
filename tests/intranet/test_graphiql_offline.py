"""A county intranet has no CDN: GraphiQL loads from the app's own files, takes a token in its Headers editor and runs a query.

Headless Chromium (driven by Playwright) with every host name but 127.0.0.1 unresolvable and every
request elsewhere aborted and recorded: the page must never ask for one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from server.auth.tokens import issue_token
from server.graphiql import ASSETS_DIR

CHROMIUM = next((path for name in ("chromium", "chromium-browser", "google-chrome") if (path := shutil.which(name))), None)
OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-proxy-server", "--disable-background-networking"]

chromium_only = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)")
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_shipped_assets_match_their_manifest_and_keep_their_licences() -> None:
    manifest = json.loads((ASSETS_DIR / "MANIFEST.json").read_text())
    assert set(manifest["packages"]) == {"graphiql", "react", "react-dom"}
    on_disk = {p.name for p in ASSETS_DIR.iterdir()} - {"MANIFEST.json"}
    assert on_disk == set(manifest["files"]), "run scripts/refresh-graphiql.sh"
    for name, digest in manifest["files"].items():
        assert digest == "sha256:" + hashlib.sha256((ASSETS_DIR / name).read_bytes()).hexdigest(), name
    assert {"LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom"} <= on_disk


@sqlite_only
async def test_the_graphiql_page_names_only_local_assets(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"Accept": "text/html", "Authorization": ""})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "unpkg" not in page.text and "cdn" not in page.text.lower() and "https://" not in page.text
    assert '"Bearer " + PLACEHOLDER' in page.text and "lianxi token create" in page.text
    for asset in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"):
        assert f"/static/graphiql/{asset}" in page.text
        served = await client.get(f"/static/graphiql/{asset}")
        assert served.status_code == 200 and served.content == (ASSETS_DIR / asset).read_bytes()


@chromium_only
@sqlite_only
async def test_a_clerk_offline_sets_a_token_runs_a_query_and_reads_the_docs(demo_server: str, tmp_path: Path) -> None:
    from playwright.async_api import Route, async_playwright

    token = (await issue_token("BUREAU", scope="522728", name="graphiql clerk")).token
    elsewhere: list[str] = []

    async def only_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort("internetdisconnected")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", *OFFLINE])
        page = await browser.new_page(viewport={"width": 1400, "height": 900})
        await page.route("**/*", only_local)
        await page.goto(f"{demo_server}/graphql")
        await page.wait_for_selector(".graphiql-execute-button", timeout=30_000)
        tabs = await page.locator(".graphiql-tab").all_inner_texts()
        assert [t.strip() for t in tabs] == ["CountyTree", "TownshipQuarter", "OpenAlerts", "RecordMeeting"]

        assert json.loads(await page.evaluate(_HEADERS, None)) == {"Authorization": "Bearer <token>"}
        await page.wait_for_timeout(1_000)  # the schema fetch on opening has had its time: no stale "invalid token"
        assert "invalid token" not in await page.evaluate(_RESULT)
        await page.evaluate(_HEADERS, json.dumps({"Authorization": f"Bearer {token}"}))
        await page.locator(".graphiql-execute-button").click()
        await page.wait_for_function(f"({_RESULT})().includes('罗甸县')", timeout=30_000)
        result = json.loads(await page.evaluate(_RESULT))
        assert result["data"]["county"]["name"] == "罗甸县" and len(result["data"]["county"]["townships"]) == 10

        await page.locator(".graphiql-tab", has_text="TownshipQuarter").click()  # its Headers still hold the placeholder
        await page.wait_for_function(f"({_EDITORS})().join().includes('522728109')", timeout=30_000)
        await page.locator(".graphiql-execute-button").click()
        await page.wait_for_function(f"({_RESULT})().includes('totalCount')", timeout=30_000)
        assert json.loads(await page.evaluate(_RESULT))["data"]["meetings"]["totalCount"] > 0

        await page.get_by_label("Re-fetch GraphQL schema").click()
        await page.get_by_label("Show Documentation Explorer").click()
        await page.wait_for_selector(".graphiql-doc-explorer-root-type", timeout=30_000)
        docs = await page.locator(".graphiql-doc-explorer").inner_text()
        assert "query: Query" in docs and "mutation: Mutation" in docs
        await page.screenshot(path=str(tmp_path / "graphiql.png"))  # what a person sees: docs, tabs, the answer
        await browser.close()
    assert elsewhere == [], f"the page asked for the network: {elsewhere}"


# The Headers editor (CodeMirror 5): set its text when given one, answer its text.
_HEADERS = """(text) => {
  const editor = [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')]
    .map((node) => node.CodeMirror).find((cm) => cm.getValue().includes('Authorization'));
  if (text !== null) editor.setValue(text);
  return editor.getValue();
}"""
_EDITORS = "() => [...document.querySelectorAll('.CodeMirror')].map((node) => node.CodeMirror.getValue().slice(0, 300))"
_RESULT = "() => document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()"


@sqlite_only
async def test_a_missing_variable_is_named_not_masked(client: httpx.AsyncClient) -> None:
    answer = await client.post("/graphql", json={"query": "query CountyTree($county: String!) { county(code: $county) { name } }"})
    assert answer.json()["errors"][0]["message"].startswith("Variable '$county' has invalid value")
