"""PostGraphile 5 beside Lianxi on the same PostgreSQL database: same answers (object by object), p50, req/s and CPU per request.

PostGraphile is installed from the npm registry, pinned by `benchmarks/peer/package.json` and its
lockfile, into `benchmarks/.peer/` (gitignored) with `npm ci`; `benchmarks/peer/server.mjs` serves
it (amber preset; node 20 gets a `Promise.withResolvers` polyfill). Both servers are measured in
one interleaved run: every round asks each query of each server at 1 and at 8 connections, and the
CPU a server process used (utime + stime from /proc/PID/stat) — and, separately, the CPU of the
PostgreSQL backends serving it — is divided by the requests it answered in that phase.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import orjson

from benchmarks.figures import Figure, median
from benchmarks.load import Client, run_clients

HERE = Path(__file__).resolve().parent
SOURCE, INSTALL = HERE / "peer", HERE / ".peer"
TICKS = os.sysconf("SC_CLK_TCK")

LIANXI_TREE = """query Tree($code: String!) { county(code: $code) { name townships { code name kind villages {
  code name households population groups grids { code worker { name } householdGroups { code households head { name } } }
  partyGroups { code leader { name } } } } } }"""
PEER_HOLDER = "roleAssignmentsBy{key}(condition: {{role: \"{role}\"}}, orderBy: [VALID_FROM_ASC, PRIMARY_KEY_ASC]) {{ nodes {{ validFrom validTo personByPersonId {{ name }} }} }}"
PEER_TREE = """query Tree($code: String!) { countyByCode(code: $code) { name townshipsByCountyId(orderBy: CODE_ASC) { nodes {
  code name kind villagesByTownshipId(orderBy: CODE_ASC) { nodes { code name households population groups
    gridsByVillageId(orderBy: CODE_ASC) { nodes { code WORKER
      householdGroupsByGridId(orderBy: CODE_ASC) { nodes { code households HEAD } } } }
    partyGroupsByVillageId(orderBy: CODE_ASC) { nodes { code LEADER } } } } } } } }""".replace(
    "WORKER", PEER_HOLDER.format(key="GridId", role="GRID_WORKER")).replace(
    "HEAD", PEER_HOLDER.format(key="HouseholdGroupId", role="HOUSEHOLD_HEAD")).replace(
    "LEADER", PEER_HOLDER.format(key="PartyGroupId", role="PARTY_GROUP_LEADER"))
LIANXI_DASHBOARD = """query Dashboard($code: String!) { township(code: $code) { code name
  meetings(first: 20) { edges { node { number kind status heldAt attendees { name } } } } } }"""
PEER_DASHBOARD = """query Dashboard($code: String!) { townshipByCode(code: $code) { code name
  meetingsByTownshipId(first: 20, orderBy: [HELD_AT_ASC, PRIMARY_KEY_ASC]) { nodes { number kind status heldAt
    meetingAttendeesByMeetingId { nodes { personByPersonId { name } } } } } } }"""
LIANXI_VILLAGE = "query Village($code: String!) { village(code: $code) { code name kind households population groups } }"
PEER_VILLAGE = "query Village($code: String!) { villageByCode(code: $code) { code name kind households population groups } }"


def missing() -> str | None:
    """Why the peer cannot run here, or None."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not on PATH (PostGraphile needs Node.js 20+)"
    return None


def install() -> None:
    """`npm ci` the pinned PostGraphile into benchmarks/.peer when the lockfile changed (or nothing is there)."""
    INSTALL.mkdir(exist_ok=True)
    lock = (SOURCE / "package-lock.json").read_bytes()
    if (INSTALL / "package-lock.json").exists() and (INSTALL / "package-lock.json").read_bytes() == lock and (INSTALL / "node_modules").exists():
        shutil.copy(SOURCE / "server.mjs", INSTALL / "server.mjs")
        return
    for name in ("package.json", "package-lock.json", "server.mjs"):
        shutil.copy(SOURCE / name, INSTALL / name)
    # npm reports ("added 185 packages") on stdout: sent to stderr, so `run.py --json` prints only JSON
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=INSTALL, check=True, timeout=600, stdout=sys.stderr)


@contextmanager
def served_peer(*, database_url: str, port: int, pids: list[int]) -> Iterator[str]:
    """PostGraphile on `port` against `database_url`; its pid is appended to `pids`."""
    log = (INSTALL / "server.log").open("w+")
    process = subprocess.Popen(["node", "server.mjs", database_url, str(port)], cwd=INSTALL, stdout=log, stderr=subprocess.STDOUT)
    pids.append(process.pid)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            log.seek(0)
            raise RuntimeError(f"PostGraphile did not start:\n{log.read()}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def _holder(nodes: list[dict[str, Any]], today: date) -> dict[str, str] | None:
    """The assignment in force today, the last by (start, id) — what Lianxi's holder fields answer."""
    chosen = None
    for node in nodes:
        start = date.fromisoformat(node["validFrom"]) if node["validFrom"] else date.min
        end = date.fromisoformat(node["validTo"]) if node["validTo"] else date.max
        if start <= today <= end:
            chosen = {"name": node["personByPersonId"]["name"]}
    return chosen


def _peer_tree(data: dict[str, Any], today: date) -> dict[str, Any]:
    county = data["countyByCode"]
    return {"county": {"name": county["name"], "townships": [{
        "code": t["code"], "name": t["name"], "kind": t["kind"], "villages": [{
            **{k: v[k] for k in ("code", "name", "households", "population", "groups")},
            "grids": [{
                "code": g["code"], "worker": _holder(g["roleAssignmentsByGridId"]["nodes"], today),
                "householdGroups": [{"code": h["code"], "households": h["households"],
                                     "head": _holder(h["roleAssignmentsByHouseholdGroupId"]["nodes"], today)}
                                    for h in g["householdGroupsByGridId"]["nodes"]],
            } for g in v["gridsByVillageId"]["nodes"]],
            "partyGroups": [{"code": p["code"], "leader": _holder(p["roleAssignmentsByPartyGroupId"]["nodes"], today)}
                            for p in v["partyGroupsByVillageId"]["nodes"]],
        } for v in t["villagesByTownshipId"]["nodes"]],
    } for t in county["townshipsByCountyId"]["nodes"]]}}


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _lianxi_dashboard(data: dict[str, Any], _: date) -> dict[str, Any]:
    township = data["township"]
    return {"code": township["code"], "name": township["name"], "meetings": [{
        **{k: m["node"][k] for k in ("number", "kind", "status")}, "heldAt": _instant(m["node"]["heldAt"]),
        "attendees": sorted(a["name"] for a in m["node"]["attendees"]),
    } for m in township["meetings"]["edges"]]}


def _peer_dashboard(data: dict[str, Any], _: date) -> dict[str, Any]:
    township = data["townshipByCode"]
    return {"code": township["code"], "name": township["name"], "meetings": [{
        **{k: m[k] for k in ("number", "kind", "status")}, "heldAt": _instant(m["heldAt"]),
        "attendees": sorted(a["personByPersonId"]["name"] for a in m["meetingAttendeesByMeetingId"]["nodes"]),
    } for m in township["meetingsByTownshipId"]["nodes"]]}


Shape = Callable[[dict[str, Any], date], Any]
LOGGED = "lianxi with access log"


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    lianxi: str
    peer: str
    variables: dict[str, str]
    lianxi_shape: Shape
    peer_shape: Shape
    # per phase: enough that each 8-connection phase uses a second or more of CPU (/proc counts CPU in 10 ms ticks:
    # 80 one-millisecond requests were 8 ticks, ±12 % from rounding alone)
    requests: int = 80


@dataclass(slots=True)
class Samples:
    latencies: dict[int, list[float]] = field(default_factory=dict)  # clients → p50 per round
    rates: dict[int, list[float]] = field(default_factory=dict)  # clients → req/s per round
    cpu: list[float] = field(default_factory=list)  # server CPU seconds, per 8-client round
    db_cpu: list[float] = field(default_factory=list)  # PostgreSQL backend CPU seconds, per 8-client round
    requests: list[int] = field(default_factory=list)  # requests answered, per 8-client round

    def per_request(self, seconds: list[float]) -> float:
        """CPU seconds per request over all rounds together (a ratio of sums: no round's rounding dominates)."""
        return sum(seconds) / max(1, sum(self.requests))


def queries(*, county: str, township: str, village: str) -> list[Query]:
    return [
        Query("full county tree", LIANXI_TREE, PEER_TREE, {"code": county}, lambda d, _: d, _peer_tree, requests=16),
        Query("township dashboard (meetings + attendees, first 20)", LIANXI_DASHBOARD, PEER_DASHBOARD, {"code": township},
              _lianxi_dashboard, _peer_dashboard, requests=800),
        Query("one village by code", LIANXI_VILLAGE, PEER_VILLAGE, {"code": village},
              lambda d, _: d["village"], lambda d, _: d["villageByCode"], requests=1600),
    ]


def _compare(lianxi: Any, peer: Any, path: str = "") -> None:
    """Object by object; the first difference is named with its path."""
    if isinstance(lianxi, dict) and isinstance(peer, dict):
        if lianxi.keys() != peer.keys():
            raise AssertionError(f"{path or '/'}: fields {sorted(lianxi)} vs {sorted(peer)}")
        for key in lianxi:
            _compare(lianxi[key], peer[key], f"{path}/{key}")
    elif isinstance(lianxi, list) and isinstance(peer, list):
        if len(lianxi) != len(peer):
            raise AssertionError(f"{path}: {len(lianxi)} items vs {len(peer)}")
        for index, (a, b) in enumerate(zip(lianxi, peer, strict=True)):
            _compare(a, b, f"{path}[{index}]")
    elif lianxi != peer:
        raise AssertionError(f"{path}: {lianxi!r} vs {peer!r}")


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """utime + stime (seconds) of each of these processes that is still there."""
    found: dict[int, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return found


def cpu_seconds(pids: list[int]) -> float:
    return sum(cpu_by_pid(pids).values())


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two readings by processes alive at the second (new ones counted from 0)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


async def backend_pids(admin_url: str, database: str) -> list[int]:
    connection = await asyncpg.connect(admin_url)
    try:
        rows = await connection.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", database)
    finally:
        await connection.close()
    return [row["pid"] for row in rows]


async def check_answers(*, query: Query, lianxi: Client, peer: Client, today: date) -> int:
    """Both answers, shaped alike and compared object by object; returns the response size."""
    ours, theirs = await lianxi.ask(query.lianxi, query.variables), await peer.ask(query.peer, query.variables)
    _compare(query.lianxi_shape(orjson.loads(ours)["data"], today), query.peer_shape(orjson.loads(theirs)["data"], today))
    return len(ours)


async def measure(
    *, lianxi_base: str, lianxi_token: str, lianxi_pids: list[int], peer_base: str, peer_pids: list[int],
    database_url: str, admin_url: str, county: str, township: str, village: str, rounds: int,
    logged: tuple[str, list[int]] | None = None,
) -> list[Figure]:
    """`rounds` interleaved rounds: per query, per server, 1 then 8 connections; medians over rounds. `logged` is a second
    Lianxi (base, pids) writing its access log, measured at 8 connections only, for its CPU per request."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    database = database_url.rsplit("/", 1)[1]
    bearer = {"Authorization": f"Bearer {lianxi_token}"}
    servers = {"lianxi": (lianxi_base, bearer, lianxi_pids), "postgraphile": (peer_base, {}, peer_pids)}
    if logged is not None:
        servers[LOGGED] = (logged[0], bearer, logged[1])
    samples = {(q.name, s): Samples() for q in queries(county=county, township=township, village=village) for s in servers}
    for query in queries(county=county, township=township, village=village):
        async with Client.open(lianxi_base, servers["lianxi"][1]) as ours, Client.open(peer_base, {}) as theirs:
            await check_answers(query=query, lianxi=ours, peer=theirs, today=today)
    for _ in range(rounds):
        for query in queries(county=county, township=township, village=village):
            for name, (base, headers, pids) in servers.items():
                document = query.peer if name == "postgraphile" else query.lianxi
                sample = samples[(query.name, name)]
                for clients in (8,) if name == LOGGED else (1, 8):
                    cpu_before, db_before = cpu_seconds(pids), cpu_by_pid(await backend_pids(admin_url, database))
                    latencies, seconds = await run_clients(
                        base=base, headers=headers, query=document, variables=query.variables, clients=clients,
                        per_client=max(2, query.requests // clients),
                    )
                    cpu = cpu_seconds(pids) - cpu_before
                    db_cpu = cpu_used(db_before, cpu_by_pid(await backend_pids(admin_url, database)))
                    sample.latencies.setdefault(clients, []).append(median(latencies))
                    sample.rates.setdefault(clients, []).append(len(latencies) / seconds)
                    if clients == 8:
                        sample.cpu.append(cpu)
                        sample.db_cpu.append(db_cpu)
                        sample.requests.append(len(latencies))
    return _figures(samples, [q.name for q in queries(county=county, township=township, village=village)])


def _figures(samples: dict[tuple[str, str], Samples], names: list[str]) -> list[Figure]:
    figures: list[Figure] = []
    for name in names:
        ours, theirs = samples[(name, "lianxi")], samples[(name, "postgraphile")]
        for clients in (1, 8):
            figures.append(Figure(
                f"peer: {name}, p50 at {clients} connection{'s' if clients > 1 else ''}", median(ours.latencies[clients]) * 1000, "ms",
                bound=median(theirs.latencies[clients]) * 1000, bound_name="PostGraphile 5",
            ))
            figures.append(Figure(
                f"peer: {name}, req/s at {clients} connection{'s' if clients > 1 else ''}", median(ours.rates[clients]), "req/s",
                bound=median(theirs.rates[clients]), bound_name="PostGraphile 5",
            ))
        cpu = Figure(f"peer: {name}, server CPU per request (8 connections)", ours.per_request(ours.cpu) * 1000, "ms",
                     bound=theirs.per_request(theirs.cpu) * 1000, bound_name="PostGraphile 5", target="≤ 1.0× PostGraphile",
                     extra={"requests": sum(ours.requests), "peerRequests": sum(theirs.requests)})
        cpu.met = cpu.ratio is not None and cpu.ratio <= 1.0
        figures.append(cpu)
        ours_total = ours.per_request([a + b for a, b in zip(ours.cpu, ours.db_cpu)])
        theirs_total = theirs.per_request([a + b for a, b in zip(theirs.cpu, theirs.db_cpu)])
        figures.append(Figure(f"peer: {name}, server + PostgreSQL CPU per request", ours_total * 1000, "ms",
                              bound=theirs_total * 1000, bound_name="PostGraphile 5"))
        logged = samples.get((name, LOGGED))
        if logged is not None and logged.requests:
            figures.append(Figure(f"peer: {name}, server CPU per request with Lianxi's access log on (8 connections)",
                                  logged.per_request(logged.cpu) * 1000, "ms", bound=theirs.per_request(theirs.cpu) * 1000,
                                  bound_name="PostGraphile 5 (no access log)"))
    return figures

