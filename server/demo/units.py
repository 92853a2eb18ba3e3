"""The county tree: townships, 186 villages, 1,244 grids, 6,977 household groups, 835 party groups."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from server.demo import plan
from server.demo.names import Faker, chinese_numeral

TOTAL_VILLAGES = 186  # seed: 村级综治中心186个
TOTAL_GRIDS = 1244  # seed: 村级网格1244个，配备网格员1244人
TOTAL_HOUSEHOLD_GROUPS = 6977  # seed: 共设置联户6977个，配备联户长6977人
TOTAL_PARTY_GROUPS = 835  # seed: 共建立党小组835个
GROUP_HOUSEHOLDS = (5, 15)  # households per household group (联户)


@dataclass
class People:
    """The document's `people` list with sequential ids P00001…"""

    faker: Faker
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, name: str | None = None, *, person_id: str | None = None) -> str:
        """Register a person (generated name unless given) with a fake mobile number; return the id."""
        pid = person_id or f"P{len(self.rows) + 1:05d}"
        if pid != f"P{len(self.rows) + 1:05d}":
            raise ValueError(f"person ids must be sequential, got {pid}")
        self.rows.append({"id": pid, "name": name or self.faker.name(), "phone": self.faker.phone()})
        return pid


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split `total` into integers ≥ minimum proportional to weights (largest remainder)."""
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError(f"cannot give {len(weights)} shares a minimum of {minimum} out of {total}")
    scale = rest / sum(weights)
    exact = [w * scale for w in weights]
    floors = [int(x) for x in exact]
    left = rest - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [b + f for b, f in zip(base, floors, strict=True)]


def split_households(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` households split into `parts` groups of 5–15 each."""
    low, high = GROUP_HOUSEHOLDS
    if not low * parts <= total <= high * parts:
        raise ValueError(f"{total} households cannot form {parts} groups of {low}–{high}")
    sizes = [low] * parts
    left = total - low * parts
    while left:
        i = rng.randrange(parts)
        if sizes[i] < high:
            sizes[i] += 1
            left -= 1
    return sizes


@dataclass
class VillageSpec:
    township: str
    code: str
    name: str
    kind: str
    weight: float
    grids: int = 0
    groups: int = 0
    party_groups: int = 0


def _village_specs(rng: random.Random, faker: Faker) -> list[VillageSpec]:
    """Name and code every village-level unit; weights decide its size."""
    faker.reserve_village(plan.JIANGTING["name"])
    specs: list[VillageSpec] = []
    for township in plan.TOWNSHIPS:
        jiangting_at = rng.randrange(township.communities, township.villages) if township.code == plan.JIANGTING["township"] else -1
        for i in range(township.villages):
            community = i < township.communities
            if i == jiangting_at:
                name = str(plan.JIANGTING["name"])
            else:
                name = faker.village_name(community=community, town=township.base)
            # statistics convention: 居委会 001–199, 村委会 200–399
            suffix = f"{i + 1:03d}" if community else f"{200 + i - township.communities + 1:03d}"
            weight = rng.uniform(1.6, 3.0) if community else rng.lognormvariate(0.0, 0.35)
            specs.append(VillageSpec(township.code, township.code + suffix, name, "COMMUNITY" if community else "VILLAGE", weight))
    if len(specs) != TOTAL_VILLAGES:
        raise AssertionError(f"plan has {len(specs)} villages, the seed says {TOTAL_VILLAGES}")
    return specs


def _size_villages(specs: list[VillageSpec]) -> None:
    """Give every village its grids, household groups and party groups (exact seed totals)."""
    jt = next(s for s in specs if s.name == plan.JIANGTING["name"])
    others = [s for s in specs if s is not jt]
    jt.grids, jt.groups = int(plan.JIANGTING["grids"]), int(plan.JIANGTING["household_groups"])
    for spec, n in zip(others, apportion(TOTAL_HOUSEHOLD_GROUPS - jt.groups, [s.weight for s in others], 12), strict=True):
        spec.groups = n
    for spec, n in zip(others, apportion(TOTAL_GRIDS - jt.grids, [s.groups for s in others], 2), strict=True):
        spec.grids = n
    for spec, n in zip(specs, apportion(TOTAL_PARTY_GROUPS, [s.groups for s in specs], 2), strict=True):
        spec.party_groups = n


def build_townships(rng: random.Random, faker: Faker, people: People) -> list[dict[str, Any]]:
    """The `townships` list of the county, people registered as they are needed."""
    specs = _village_specs(rng, faker)
    _size_villages(specs)
    by_township: dict[str, list[VillageSpec]] = {}
    for spec in specs:
        by_township.setdefault(spec.township, []).append(spec)
    townships = []
    for township in plan.TOWNSHIPS:
        chief = people.add()
        convener = people.add()
        townships.append({
            "code": township.code,
            "name": township.name,
            "kind": township.kind,
            "jointMeeting": {"establishedOn": plan.ESTABLISHED_ON, "chiefConvener": chief, "convener": convener},
            "villages": [_village(rng, people, spec) for spec in by_township[township.code]],
        })
    return townships


def _village(rng: random.Random, people: People, spec: VillageSpec) -> dict[str, Any]:
    """One village with its grids, household groups and party groups."""
    is_jt = spec.name == plan.JIANGTING["name"]
    if is_jt:
        sizes = split_households(rng, int(plan.JIANGTING["households"]), spec.groups)
    else:
        sizes = [rng.randint(*GROUP_HOUSEHOLDS) for _ in range(spec.groups)]
    households = sum(sizes)
    population = int(plan.JIANGTING["population"]) if is_jt else round(households * rng.uniform(3.7, 4.6))
    groups = int(plan.JIANGTING["groups"]) if is_jt else max(3, min(18, round(households / rng.uniform(40, 60))))
    per_grid = apportion(spec.groups, [rng.uniform(0.7, 1.3) for _ in range(spec.grids)], 1)
    grids, start = [], 0
    for g, count in enumerate(per_grid, start=1):
        grid_code = f"{spec.code}{g:02d}"
        grids.append({
            "code": grid_code,
            "name": f"第{chinese_numeral(g)}网格",
            "worker": people.add(),
            "householdGroups": [
                {"code": f"{grid_code}{h:02d}", "head": people.add(), "households": sizes[start + h - 1]}
                for h in range(1, count + 1)
            ],
        })
        start += count
    party_groups = []
    for n in range(1, spec.party_groups + 1):
        # the first party group of a village is led by its first grid worker (one person, two roles)
        leader = grids[0]["worker"] if n == 1 else people.add()
        party_groups.append({"code": f"{spec.code}P{n}", "name": f"第{chinese_numeral(n)}党小组", "leader": leader})
    return {
        "code": spec.code, "name": spec.name, "kind": spec.kind,
        "households": households, "population": population, "groups": groups,
        "grids": grids, "partyGroups": party_groups,
    }


def villages_by_township(townships: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Township code → its village dicts, in document order."""
    return {t["code"]: t["villages"] for t in townships}
