"""Replay the eight numbered examples of issue 13 (and issue 24's flooded rotation month, example 9, and aliased work, example 10) against a served instance on PostgreSQL holding the demo.

    python -m benchmarks.adversarial          # every example
    python -m benchmarks.adversarial --cost   # issue 24's aliased ledgers, visit counts and knownAt reports only

A fresh PostgreSQL database gets the Luodian demo (benchmarks.database.fresh_county), `lianxi serve`
runs on it, tokens are made with `lianxi token create`, and each example is sent as the adversarial run
sent it; the answer (shortened) and its time are printed. The database is dropped afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import websockets

from benchmarks.database import Target, fresh_county
from core.global_ids import to_global_id
from tests.documents import county_document
from tests.serving import cli_token, served

ROOT = Path(__file__).resolve().parent.parent
ONLY_COST = "--cost" in sys.argv  # `python -m benchmarks.adversarial --cost`: example 10 only
TOWNSHIP, VILLAGE = "522728109", "522728109201"  # 沫阳镇 and its 江亭村
WATCH = 'subscription { alertChanged(countyCode: "522728") { kind } }'


def short(value: object, size: int = 220) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= size else text[:size] + "…"


class Client:
    def __init__(self, base: str, token: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"})

    def post(self, query: str, variables: dict[str, Any] | None = None) -> tuple[float, int, Any]:
        started = time.perf_counter()
        response = self.http.post("/graphql", json={"query": query, "variables": variables or {}})
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        return time.perf_counter() - started, response.status_code, body


def longest_health_wait(base: str, work: Callable[[], Any]) -> tuple[Any, float]:
    """Run `work` while another client polls /healthz back to back; (work's result, longest /healthz wait)."""
    longest, stop = [0.0], threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            while not stop.is_set():
                started = time.perf_counter()
                http.get("/healthz")
                longest[0] = max(longest[0], time.perf_counter() - started)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    time.sleep(0.05)
    try:
        return work(), longest[0]
    finally:
        stop.set()
        thread.join()


def show(label: str, seconds: float, status: int, body: Any) -> None:
    print(f"  {label}: HTTP {status} in {seconds * 1000:.0f} ms → {short(body)}")


async def facts(url: str) -> dict[str, Any]:
    """Ids and numbers the examples need, read from the demo database."""
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        worker = await connection.fetchval(
            "SELECT r.person_id FROM role_assignment r JOIN grid g ON g.id = r.grid_id WHERE r.role = 'GRID_WORKER' "
            "AND g.code NOT LIKE $1 ORDER BY r.id LIMIT 1", TOWNSHIP + "%")
        outsider = await connection.fetchval(
            "SELECT r.person_id FROM role_assignment r JOIN township t ON t.id = r.township_id WHERE t.code <> $1 ORDER BY r.id LIMIT 1", TOWNSHIP)
        other_case = await connection.fetchval(
            "SELECT c.number FROM \"case\" c JOIN township t ON t.id = c.township_id WHERE t.code <> $1 ORDER BY c.id LIMIT 1", TOWNSHIP)
        village_case = await connection.fetchval(
            "SELECT c.number FROM \"case\" c JOIN village v ON v.id = c.village_id WHERE v.code = $1 ORDER BY c.id LIMIT 1", VILLAGE)
        token_id = await connection.fetchval("SELECT max(id) FROM api_token")
    finally:
        await connection.close()
    return {"worker": worker, "outsider": outsider, "other_case": other_case, "village_case": village_case, "token_id": token_id}


def lianxi(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIANXI_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "server.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


MEETING = """mutation($input: RecordMeetingInput!) { recordMeeting(input: $input) {
  meeting { attendees { name phone } cases { number } } userErrors { field code message } } }"""
EVENT = """mutation($input: AddCaseEventInput!) { addCaseEvent(input: $input) { case { number } userErrors { field code message } } }"""
REPORT = """query($asOf: DateTime) { ruleReport(countyCode: "522728", from: "2023-01-01", to: "2023-12-31", asOf: $asOf) { digest } }"""


def example_1(base: str, admin: Client) -> None:
    fragments = " ".join(["fragment F0 on Query { __typename }"] + [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 22)])
    (seconds, status, body), wait = longest_health_wait(base, lambda: admin.post(f"query {{ ...F21 }} {fragments}"))
    show("F21 fragment fan-out", seconds, status, body)
    print(f"  longest /healthz wait meanwhile: {wait * 1000:.0f} ms")


def example_2(township: Client, village: Client, ids: dict[str, Any]) -> None:
    meeting = {"townshipCode": TOWNSHIP, "kind": "THEMATIC", "heldAt": "2024-05-10T10:00:00+08:00",
               "attendeeIds": [to_global_id("Person", ids["worker"])]}
    show("TOWNSHIP: another township's grid worker as attendee", *township.post(MEETING, {"input": meeting}))
    event = {"caseNumber": ids["village_case"], "type": "EXTENDED", "at": "2024-05-10T10:00:00+08:00", "days": 30,
             "approverId": to_global_id("Person", ids["outsider"])}
    show("VILLAGE: EXTENDED with an outsider as approver", *village.post(EVENT, {"input": event}))
    show("TOWNSHIP: node(id) of that grid worker", *township.post("query($id: ID!) { node(id: $id) { id } }", {"id": to_global_id("Person", ids["worker"])}))


def example_3(township: Client, ids: dict[str, Any]) -> None:
    for label, number in (("another township's case", ids["other_case"]), ("a missing case", "522728-NOPE-0001")):
        meeting = {"townshipCode": TOWNSHIP, "kind": "THEMATIC", "heldAt": "2024-05-10T10:00:00+08:00", "caseNumbers": [number]}
        show(f"TOWNSHIP recordMeeting(caseNumbers: {label})", *township.post(MEETING, {"input": meeting}))
        event = {"caseNumber": number, "type": "ACCEPTED", "at": "2024-05-10T10:00:00+08:00"}
        show(f"TOWNSHIP addCaseEvent on {label}", *township.post(EVENT, {"input": event}))


def example_4(base: str, admin: Client) -> None:
    for as_of in ("2999-12-31T00:00:00+08:00", "9999-12-31T23:59:59+14:00", "2024-01-01T00:00:00+08:00", "2028-12-31T00:00:00+08:00"):
        (seconds, status, body), wait = longest_health_wait(base, lambda: admin.post(REPORT, {"asOf": as_of}))
        show(f"ruleReport 2023 asOf {as_of}", seconds, status, body)
        print(f"    longest /healthz wait meanwhile: {wait * 1000:.0f} ms")


async def example_5(base: str, url: str) -> None:
    token = cli_token(url, "BUREAU", "522728")
    token_id = (await facts(url))["token_id"]
    async with websockets.connect(base.replace("http", "ws") + "/graphql", subprotocols=[websockets.Subprotocol("graphql-transport-ws")]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        print(f"  connection: {await ws.recv()}")
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": WATCH}}))
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        revoked = lianxi(url, "token", "revoke", str(token_id))
        print(f"  lianxi token revoke {token_id}: exit {revoked.returncode} {short(revoked.stdout + revoked.stderr, 100)}")
        try:
            while True:
                await asyncio.wait_for(ws.recv(), 60)
        except websockets.ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
            print(f"  socket closed with {code} {time.perf_counter() - started:.2f} s after the revoke command started")
        except TimeoutError:
            print("  socket still open 60 s after revocation")
    again = lianxi(url, "token", "revoke", str(token_id))
    print(f"  (8) revoking it again: exit {again.returncode} {short(again.stdout + again.stderr, 120)}")


def example_6(admin: Client) -> None:
    cases = [
        ("a string for Int", "query($f: Int) { cases(first: $f) { totalCount } }", {"f": "ten"}),
        ("a missing non-null variable", "query($code: String!) { county(code: $code) { code } }", {}),
        ("an unknown enum value", "query($k: CaseKind) { cases(filter: {kind: $k}) { totalCount } }", {"k": "NOPE"}),
        ("an unknown input field", "query($f: CaseFilter) { cases(filter: $f) { totalCount } }", {"f": {"nope": 1}}),
        ('"not-a-date" for a Date', "query($d: Date) { cases(filter: {reportedFrom: $d}) { totalCount } }", {"d": "not-a-date"}),
    ]
    for label, query, variables in cases:
        show(label, *admin.post(query, variables))


def example_7(url: str) -> None:
    for label, edit in (
        ("a NUL in a name", lambda d: d["people"][0].__setitem__("name", "黄\x00元吉")),
        ("party phone <script>", lambda d: d["cases"][0]["parties"][0].__setitem__("phone", "<script>")),
        ("party ID number ' OR 1=1 --", lambda d: d["cases"][0]["parties"][0].__setitem__("idNumber", "' OR 1=1 --")),
    ):
        document = county_document(townships=1, villages=1, grids=1, households=1)
        for case in document["cases"]:
            case.setdefault("parties", [{"name": "张三"}])
        edit(document)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump(document, file, ensure_ascii=False)
        done = lianxi(url, "load", file.name)
        Path(file.name).unlink()
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        print(f"  lianxi load with {label}: exit {done.returncode}, traceback: {'Traceback' in done.stderr} → {short(' | '.join(lines[-3:]), 260)}")


async def example_8(base: str, url: str, admin: Client, township: Client) -> None:
    query = "query($f: Int = 100) { cases(first: $f) { edges { node { number } } } }"
    with served(url, Path(tempfile.gettempdir()) / "lianxi-adversarial-cost.log", {"LIANXI_MAX_QUERY_COST": "150"}) as small:
        low = Client(small, admin.http.headers["Authorization"].removeprefix("Bearer "))
        show("cost limit 150, default $f = 100 (cost 201)", *low.post(query))
        show("cost limit 150, $f = 5 (cost 11)", *low.post(query, {"f": 5}))
    token = admin.http.headers["Authorization"].removeprefix("Bearer ")
    async with websockets.connect(base.replace("http", "ws") + "/graphql", subprotocols=[websockets.Subprotocol("graphql-transport-ws")], max_size=None) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        await ws.recv()
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "{ __typename }", "variables": {"x": "y" * 1_100_000}}}))
        try:
            while True:
                await asyncio.wait_for(ws.recv(), 10)
        except websockets.ConnectionClosed as closed:
            print(f"  websocket message of 1.1 MB: closed with {closed.rcvd.code if closed.rcvd else None}")
        except TimeoutError:
            print("  websocket message of 1.1 MB: socket still open")
    show("TOWNSHIP rules(countyCode: another county)", *township.post('{ rules(countyCode: "522701") { id } }'))
    show("TOWNSHIP rules(countyCode: its own county)", *township.post('{ rules(countyCode: "522728") { id } }'))


FLOOD, FLOOD_MONTH = 4005, "2027-01"
PLAN = f"""{{ rotationPlan(countyCode: "522728", month: "{FLOOD_MONTH}") {{ covered meetingsLeftOut
  visits {{ townshipCode meeting {{ id }} leader {{ name }} staff {{ name }} }} gaps {{ townshipCode reason }} }} }}"""


async def flood_month(url: str) -> None:
    """4,005 SCHEDULED thematic meetings of 沫阳镇 in one month, written straight to the database (a township
    could record them one by one through the API, ~10 ms each)."""
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        township_id = await connection.fetchval("SELECT id FROM township WHERE code = $1", TOWNSHIP)
        first = await connection.fetchval("SELECT coalesce(max(number), 0) FROM meeting WHERE township_id = $1 AND kind = 'THEMATIC'", township_id)
        start = datetime(2027, 1, 1, tzinfo=UTC)
        await connection.executemany(
            "INSERT INTO meeting (ext_id, township_id, kind, status, number, held_at, created_at, updated_at) "
            "VALUES ($1, $2, 'THEMATIC', 'SCHEDULED', $3, $4, now(), now())",
            [(f"FLOOD{n}", township_id, first + n + 1, start + timedelta(days=n % 31, minutes=(n // 31) * 5)) for n in range(FLOOD)])
    finally:
        await connection.close()


async def example_9(base: str, url: str, auditor: Client) -> None:
    """Issue 24: the rotation planner with 4,005 scheduled meetings in a township-month (AUDITOR token)."""
    await flood_month(url)
    answers = []
    for attempt in (1, 2, 3):  # each spelled differently, so the response cache answers none of them: three solves
        document = PLAN if attempt == 1 else f"query Attempt{attempt} {PLAN}"
        (seconds, status, body), wait = longest_health_wait(base, lambda: auditor.post(document))  # noqa: B023
        answers.append(body)
        show(f"rotationPlan, {FLOOD:,} meetings, attempt {attempt} (/healthz waited at most {wait * 1000:.0f} ms)", seconds, status, body)
    print(f"  the same plan each time: {answers[0] == answers[1] == answers[2]}")
    five = "{ " + " ".join(f'p{n}: rotationPlan(countyCode: "522728", month: "{FLOOD_MONTH}") {{ covered }}' for n in range(5)) + " }"
    (seconds, status, body), wait = longest_health_wait(base, lambda: auditor.post(five))
    show(f"5 aliases of rotationPlan (/healthz waited at most {wait * 1000:.0f} ms)", seconds, status, body)


LEDGERS = 'county(code: "522728") { townships { villages { ledger(period: "2023") { collected mediated open } } } }'
VISIT_COUNTS = "mediationVisitCounts { villageCode month visits }"
KNOWN_AT = ('ruleReport(countyCode: "522728", from: "2023-01-01", to: "2023-12-31", asOf: "2024-01-01T00:00:00+08:00", '
            'knownAt: "2023-12-01T00:00:00+08:00") { digest }')


def aliased(count: int, field: str, name: str) -> str:
    """`count` aliases of one field in one document (named, so the response cache holds no earlier answer)."""
    return f"query {name} {{ " + " ".join(f"a{n}: {field}" for n in range(count)) + " }"


def example_10(base: str, auditor: Client, township: Client) -> None:
    """Issue 24: fields whose work is not their objects, aliased by an AUDITOR token (each alias within the object limit)."""
    for label, document in (
        ("1 county-wide Village.ledger", aliased(1, LEDGERS, "OneLedger")),
        ("30 aliases of county-wide Village.ledger", aliased(30, LEDGERS, "Ledgers")),
        ("1 mediationVisitCounts", aliased(1, VISIT_COUNTS, "OneCount")),
        ("30 aliases of mediationVisitCounts", aliased(30, VISIT_COUNTS, "Counts")),
        ("1 ruleReport with knownAt", aliased(1, KNOWN_AT, "OneKnownAt")),
        ("5 aliases of ruleReport with knownAt", aliased(5, KNOWN_AT, "KnownAt")),
    ):
        (seconds, status, body), wait = longest_health_wait(base, lambda: auditor.post(document))  # noqa: B023
        show(f"{label} (/healthz waited at most {wait * 1000:.0f} ms)", seconds, status, body)
    # a township's write while an auditor's knownAt report runs
    meeting = {"townshipCode": TOWNSHIP, "kind": "THEMATIC", "heldAt": "2024-05-10T10:00:00+08:00"}
    report = threading.Thread(target=lambda: auditor.post(aliased(1, KNOWN_AT, "Beside")))
    report.start()
    time.sleep(0.3)
    show("TOWNSHIP recordMeeting while a knownAt report runs", *township.post(MEETING, {"input": meeting}))
    report.join()


async def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        async with fresh_county(Target("postgres", Path(cache))) as (url, _):
            tokens = {role: cli_token(url, role, scope) for role, scope in (("ADMIN", None), ("TOWNSHIP", TOWNSHIP), ("VILLAGE", VILLAGE),
                                                                             ("AUDITOR", "522728"))}
            ids = await facts(url)
            print(f"demo on {url}; ids: {ids}")
            with served(url, Path(tempfile.gettempdir()) / "lianxi-adversarial.log") as base:
                admin, township, village = (Client(base, tokens[r]) for r in ("ADMIN", "TOWNSHIP", "VILLAGE"))
                admin.post("{ __typename }")  # warm up
                if ONLY_COST:
                    print("10. work that is not objects (issue 24)")
                    example_10(base, Client(base, tokens["AUDITOR"]), township)
                    return
                print("1. exponential validation")
                example_1(base, admin)
                print("2. personal data through write paths")
                example_2(township, village, ids)
                print("3. writes outside jurisdiction, existence oracles")
                example_3(township, ids)
                print("4. report cost")
                example_4(base, admin)
                print("5. revoked token's subscription")
                await example_5(base, url)
                print("6. bad variables")
                example_6(admin)
                print("7. lianxi load")
                example_7(url)
                print("8. default values in the cost, websocket size, rules of another county, revoking twice")
                await example_8(base, url, admin, township)
                print("9. the rotation planner and a flooded month (issue 24)")
                await example_9(base, url, Client(base, tokens["AUDITOR"]))
                print("10. work that is not objects (issue 24)")
                example_10(base, Client(base, tokens["AUDITOR"]), township)


if __name__ == "__main__":
    asyncio.run(main())
