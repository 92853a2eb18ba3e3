"""The GraphiQL page, served offline from server/static/graphiql (a pinned copy; scripts/refresh-graphiql.sh).

The page pre-fills the Headers editor with the bearer-token placeholder and opens one tab per
example below; the examples run against the demo dataset (tests/intranet/test_graphiql_examples.py).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from starlette.responses import HTMLResponse

STATIC_DIR = Path(__file__).resolve().parent / "static"
ASSETS_DIR = STATIC_DIR / "graphiql"
ASSETS_PATH = "/static/graphiql"

EXAMPLES: tuple[dict[str, Any], ...] = (
    {
        "query": """# The county tree: townships (乡镇) and their villages (村/社区)
query CountyTree($county: String!) {
  county(code: $county) {
    name timezone
    townships { code name kind villages { code name households population } }
  }
}
""",
        "variables": {"county": "522728"},
    },
    {
        "query": """# A township's meetings in one quarter (沫阳镇, 2023 Q2), with who attended
query TownshipQuarter($township: String!, $period: String!) {
  township(code: $township) { name }
  meetings(filter: {townshipCode: $township, period: $period}, first: 20) {
    totalCount
    edges { node { number kind status heldAt title attendees { name } } }
  }
}
""",
        "variables": {"township": "522728109", "period": "2023-Q2"},
    },
    {
        "query": """# Open alerts (预警) of the county, with the leader each is assigned to
query OpenAlerts($county: String!) {
  alerts(filter: {countyCode: $county, status: [OPEN, ACKNOWLEDGED]}, first: 20) {
    totalCount
    edges { node { id ruleId severity period subjectCode message raisedAt assignee { name } } }
  }
}
""",
        "variables": {"county": "522728"},
    },
    {
        "query": """# Record a thematic meeting (专题会); the payload shows the alerts it changed
mutation RecordMeeting($input: RecordMeetingInput!) {
  recordMeeting(input: $input) {
    meeting { id number heldAt title }
    alertChanges { kind alert { ruleId period status } }
    userErrors { field code message }
  }
}
""",
        "variables": {
            "input": {"townshipCode": "522728109", "kind": "THEMATIC", "heldAt": "2024-01-10T09:30:00+08:00", "title": "2024年第一次专题会"}
        },
    },
)


@cache
def graphiql_html(endpoint: str = "/graphql") -> str:
    """The page: local assets only, the examples as tabs, the Authorization header pre-filled."""
    config = json.dumps({"endpoint": endpoint, "examples": EXAMPLES}, ensure_ascii=False).replace("</", "<\\/")
    template = (STATIC_DIR / "graphiql.html").read_text(encoding="utf-8")
    return template.replace("__STATIC__", ASSETS_PATH).replace("__CONFIG__", config)


def graphiql_response() -> HTMLResponse:
    """The page as a response (no-cache: it is small and names the current assets)."""
    return HTMLResponse(graphiql_html(), headers={"Cache-Control": "no-cache"})
