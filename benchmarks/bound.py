"""The lower bound for the county tree: the same rows with one hand-written SQL query per level, nested and JSON-encoded.

No GraphQL, no ORM objects, no permission checks: what any API must at least pay to read and
serialise the tree. The benchmark compares the GraphQL request against it in the same run.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import orjson
from tortoise import connections

IN_FORCE = "(ra.valid_from IS NULL OR ra.valid_from <= {d}) AND (ra.valid_to IS NULL OR {d} <= ra.valid_to)"
UNIT_CODE = (
    "COALESCE(c.code, t.code, g.code, h.code, pg.code) AS unit_code"
    " FROM role_assignment ra LEFT JOIN county c ON c.id = ra.county_id LEFT JOIN township t ON t.id = ra.township_id"
    " LEFT JOIN grid g ON g.id = ra.grid_id LEFT JOIN household_group h ON h.id = ra.household_group_id"
    " LEFT JOIN party_group pg ON pg.id = ra.party_group_id"
)
HOLDERS = (
    "SELECT ra.{key} AS parent, p.id AS pid, p.name FROM role_assignment ra JOIN person p ON p.id = ra.person_id"
    " WHERE ra.role = '{role}' AND ra.{key} IN ({ids}) AND " + IN_FORCE + " ORDER BY ra.valid_from, ra.id"
)

# name → (SQL, the level whose ids fill {ids}); {c} county code, {d} "in office" day, {s} supervisor day, {ids} parent ids.
LEVELS: tuple[tuple[str, str, str | None], ...] = (
    ("county", "SELECT id, code, name, timezone FROM county WHERE code = {c}", None),
    ("bureau", "SELECT ra.id, p.id AS pid, p.name FROM role_assignment ra JOIN person p ON p.id = ra.person_id"
     " WHERE ra.county_id IN ({ids}) AND " + IN_FORCE + " ORDER BY ra.id", "county"),
    ("roles", "SELECT ra.person_id AS pid, ra.role, " + UNIT_CODE + " WHERE ra.person_id IN (SELECT r2.person_id"
     " FROM role_assignment r2 WHERE r2.county_id IN ({ids})) ORDER BY ra.id", "county"),
    ("townships", "SELECT id, code, name, kind FROM township WHERE county_id IN ({ids}) ORDER BY code", "county"),
    ("joint", "SELECT township_id, established_on FROM joint_meeting WHERE township_id IN ({ids})", "townships"),
    ("conveners", "SELECT ra.township_id AS parent, p.id AS pid, p.name FROM role_assignment ra JOIN person p ON p.id = ra.person_id"
     " WHERE ra.township_id IN ({ids}) AND " + IN_FORCE + " ORDER BY ra.id", "townships"),
    ("supervisor", "SELECT s.township_id AS parent, p.name FROM supervision_assignment s JOIN person p ON p.id = s.leader_id"
     " WHERE s.township_id IN ({ids}) AND s.valid_from <= {s} AND (s.valid_to IS NULL OR {s} <= s.valid_to)"
     " ORDER BY s.valid_from, s.id", "townships"),
    ("villages", "SELECT id, township_id AS parent, code, name, households, population, groups FROM village"
     " WHERE township_id IN ({ids}) ORDER BY code", "townships"),
    ("grids", "SELECT id, village_id AS parent, code FROM grid WHERE village_id IN ({ids}) ORDER BY code", "villages"),
    ("workers", HOLDERS.replace("{key}", "grid_id").replace("{role}", "GRID_WORKER"), "grids"),
    ("households", "SELECT id, grid_id AS parent, code, households FROM household_group WHERE grid_id IN ({ids})"
     " ORDER BY code", "grids"),
    ("heads", HOLDERS.replace("{key}", "household_group_id").replace("{role}", "HOUSEHOLD_HEAD"), "households"),
    ("party", "SELECT id, village_id AS parent, code FROM party_group WHERE village_id IN ({ids}) ORDER BY code", "villages"),
    ("leaders", HOLDERS.replace("{key}", "party_group_id").replace("{role}", "PARTY_GROUP_LEADER"), "party"),
)


def _sql(template: str, postgres: bool, id_count: int) -> tuple[str, list[str]]:
    """Number the placeholders for the dialect and list which value each takes ("i" = the next parent id)."""
    order: list[str] = []

    def mark(name: str) -> str:
        order.append(name)
        return f"${len(order)}" if postgres else "?"

    text = template.replace("{ids}", ",".join(["\0i\0"] * max(id_count, 1)))
    text = text.replace("{c}", "\0c\0").replace("{d}", "\0d\0").replace("{s}", "\0s\0")
    parts = text.split("\0")
    out = "".join(mark(part) if i % 2 else part for i, part in enumerate(parts))
    return out, order


async def fetch_levels(*, county_code: str, on: date, supervisor_on: date) -> dict[str, list[dict[str, Any]]]:
    """One statement per level (parents' ids bound as parameters, as an application would), every row as a dict."""
    connection = connections.get("default")
    postgres = connection.capabilities.dialect == "postgres"
    result: dict[str, list[dict[str, Any]]] = {}
    for name, template, parent in LEVELS:
        ids = [row["id"] for row in result[parent]] if parent else []
        sql, order = _sql(template, postgres, len(ids))
        values = {"c": county_code, "d": on, "s": supervisor_on}
        remaining = iter(ids or [0])
        params = [next(remaining) if key == "i" else values[key] for key in order]
        result[name] = list(await connection.execute_query_dict(sql, params))
    return result


def _by_parent(rows: list[dict[str, Any]]) -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["parent"]].append(row)
    return grouped


def _last_name(rows: list[dict[str, Any]]) -> dict[Any, dict[str, str]]:
    return {row["parent"]: {"name": row["name"]} for row in rows}  # the latest-started holder wins


def nest(levels: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The rows in the shape of the GraphQL answer (same keys, same order)."""
    county = levels["county"][0]
    roles = _by_parent([{**r, "parent": r["pid"]} for r in levels["roles"]])
    people: dict[int, dict[str, Any]] = {}
    for row in levels["bureau"]:
        people.setdefault(row["pid"], {"name": row["name"], "roles": [
            {"role": r["role"], "unitCode": r["unit_code"]} for r in roles[row["pid"]]
        ]})
    joint = {row["township_id"]: row["established_on"] for row in levels["joint"]}
    conveners, supervisor = _by_parent(levels["conveners"]), _last_name(levels["supervisor"])
    villages, grids, party = _by_parent(levels["villages"]), _by_parent(levels["grids"]), _by_parent(levels["party"])
    households = _by_parent(levels["households"])
    workers, heads, leaders = _last_name(levels["workers"]), _last_name(levels["heads"]), _last_name(levels["leaders"])
    townships = [
        {
            "code": t["code"], "name": t["name"], "kind": t["kind"],
            "jointMeeting": {"establishedOn": joint[t["id"]], "conveners": [{"name": p["name"]} for p in conveners[t["id"]]]}
            if t["id"] in joint else None,
            "supervisor": supervisor.get(t["id"]),
            "villages": [
                {
                    "code": v["code"], "name": v["name"], "households": v["households"], "population": v["population"],
                    "groups": v["groups"],
                    "grids": [
                        {"code": g["code"], "worker": workers.get(g["id"]), "householdGroups": [
                            {"code": h["code"], "households": h["households"], "head": heads.get(h["id"])}
                            for h in households[g["id"]]
                        ]}
                        for g in grids[v["id"]]
                    ],
                    "partyGroups": [{"code": p["code"], "leader": leaders.get(p["id"])} for p in party[v["id"]]],
                }
                for v in villages[t["id"]]
            ],
        }
        for t in levels["townships"]
    ]
    return {"data": {"county": {"name": county["name"], "bureau": list(people.values()), "townships": townships}}}


async def county_tree_bound(*, county_code: str, on: date, supervisor_on: date) -> bytes:
    """Fetch, nest and encode: the bytes a hand-written endpoint would send."""
    return orjson.dumps(nest(await fetch_levels(county_code=county_code, on=on, supervisor_on=supervisor_on)))
