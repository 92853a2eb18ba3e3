"""Case building blocks: the DemoCase record, titles, parties, and event helpers."""

from __future__ import annotations

import random
from itertools import accumulate
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from server.demo.clock import iso
from server.demo.names import Faker, chinese_numeral

# Relative frequencies (the seed names these categories and channels; the mix is invented).
DISPUTE_CATEGORIES = {
    "NEIGHBOUR": 28, "LAND": 22, "MARRIAGE_FAMILY": 14, "INFRASTRUCTURE": 10, "POLICY": 10,
    "ROAD_SAFETY": 6, "HISTORICAL": 3, "OTHER": 7,
}
DISPUTE_CHANNELS = {
    "HOME_VISIT": 30, "COURTYARD_MEETING": 12, "MASS_MEETING": 7, "PARTY_BRANCH_MEETING": 6,
    "HOUSEHOLD_CHAT": 24, "ONLINE": 8, "WALK_IN": 10, "LETTER": 3,
}
PETITION_CATEGORIES = {"POLICY": 30, "LAND": 25, "HISTORICAL": 15, "INFRASTRUCTURE": 15, "OTHER": 15}
PETITION_CHANNELS = {"WALK_IN": 50, "LETTER": 25, "ONLINE": 25}

TITLES: dict[str, tuple[str, ...]] = {
    "NEIGHBOUR": ("第{g}组邻里排水沟纠纷", "第{g}组相邻通行纠纷", "第{g}组宅基地滴水纠纷", "第{g}组邻里口角纠纷",
                  "第{g}组牲畜损坏庄稼纠纷"),
    "MARRIAGE_FAMILY": ("第{g}组赡养老人纠纷", "第{g}组婚姻家庭矛盾", "第{g}组彩礼返还纠纷", "第{g}组家庭财产分割纠纷"),
    "LAND": ("第{g}组土地承包经营权纠纷", "第{g}组山林地界纠纷", "第{g}组耕地边界纠纷", "第{g}组土地流转租金纠纷"),
    "INFRASTRUCTURE": ("通组路施工占地纠纷", "饮水工程管网施工纠纷", "产业路建设补偿纠纷", "农田水利施工纠纷"),
    "POLICY": ("第{g}组低保政策咨询", "第{g}组医保缴费政策不理解", "易地搬迁政策咨询", "第{g}组危房改造补助政策不理解"),
    "ROAD_SAFETY": ("通村公路临崖路段安全隐患", "第{g}组农用车载人安全隐患", "村道塌方安全隐患"),
    "HISTORICAL": ("集体林权历史遗留问题", "原村办企业欠款历史遗留问题", "水库移民后期扶持遗留问题"),
    "OTHER": ("第{g}组务工工资拖欠纠纷", "第{g}组民间借贷纠纷", "第{g}组噪音扰民纠纷"),
}
PETITION_TITLES: dict[str, tuple[str, ...]] = {
    "POLICY": ("群众反映养老保险待遇问题", "群众反映低保评定问题", "群众反映易地扶贫搬迁安置房问题"),
    "LAND": ("群众反映征地补偿款发放问题", "群众反映林地确权问题", "群众反映土地调整问题"),
    "HISTORICAL": ("群众反映原民办教师待遇历史遗留问题", "群众反映集体林场分红历史遗留问题"),
    "INFRASTRUCTURE": ("群众反映道路建设占地补偿问题", "群众反映安置点配套设施问题"),
    "OTHER": ("群众反映农民工工资拖欠问题", "群众反映项目施工扰民问题"),
}
MEDIATED_NOTES = ("经村人民调解委员会调解，双方达成协议", "入户调解，当事人握手言和", "在矛盾纠纷化解室座谈化解",
                  "经网格员、联户长协调化解", "政策宣传解读后当事人表示理解")


def weighted(rng: random.Random, table: dict[str, int]) -> str:
    """A key of a frequency table."""
    return rng.choices(list(table), weights=list(table.values()))[0]


@dataclass
class DemoCase:
    """A case while it is being built; `number` is given once all cases exist."""

    kind: str
    category: str
    channel: str
    village: dict[str, Any]
    township: str
    level: str
    reported: datetime
    title: str
    parties: list[dict[str, str]]
    events: list[dict[str, Any]] = field(default_factory=list)
    number: str = ""
    discussed_in: list[Any] = field(default_factory=list)  # Meeting objects

    def add(self, type_: str, when: datetime, **extra: Any) -> None:
        """Append an event; they must stay in time order and after the report."""
        if when <= self.reported or (self.events and when < self.events[-1]["when"]):
            raise AssertionError(f"event {type_} at {when} out of order for a case reported {self.reported}")
        self.events.append({"type": type_, "when": when, **extra})

    @property
    def resolved_at(self) -> datetime | None:
        """When the last RESOLVED event happened, if any."""
        times = [e["when"] for e in self.events if e["type"] == "RESOLVED"]
        return times[-1] if times else None

    @property
    def open(self) -> bool:
        """True while no resolution, rejection or closure is in force."""
        state = "open"
        for event in self.events:
            if event["type"] in ("RESOLVED", "REJECTED", "CLOSED"):
                state = "done"
            elif event["type"] == "REOPENED":
                state = "open"
        return state == "open"

    def discuss(self, meeting: Any) -> None:
        """Link the case to a meeting that studied it."""
        if meeting in self.discussed_in or meeting.township != self.township or meeting.when <= self.reported:
            raise AssertionError("bad discussion link")
        self.discussed_in.append(meeting)
        meeting.cases.append(self)

    def to_json(self) -> dict[str, Any]:
        """The lianxi/v1 case entry."""
        events = []
        for event in self.events:
            out = {"type": event["type"], "at": iso(event["when"])}
            out.update({k: v for k, v in event.items() if k not in ("type", "when")})
            events.append(out)
        return {
            "number": self.number, "kind": self.kind, "category": self.category, "channel": self.channel,
            "village": self.village["code"], "level": self.level, "reportedAt": iso(self.reported),
            "title": self.title, "parties": self.parties, "events": events,
        }


def parties(rng: random.Random, faker: Faker, count: int) -> list[dict[str, str]]:
    """`count` fake parties with names, mobile numbers and valid ID numbers."""
    out = []
    for _ in range(count):
        female = rng.random() < 0.4
        out.append({"name": faker.name(female=female), "phone": faker.phone(), "idNumber": faker.id_number(female=female)})
    return out


def dispute_title(rng: random.Random, village: dict[str, Any], category: str) -> str:
    """A title naming the village and group, never a person."""
    template = rng.choice(TITLES[category])
    return village["name"] + template.format(g=chinese_numeral_group(rng, village))


def petition_title(rng: random.Random, village: dict[str, Any], category: str) -> str:
    """A petition title: village plus what the petitioners raise."""
    return village["name"] + rng.choice(PETITION_TITLES[category])


def chinese_numeral_group(rng: random.Random, village: dict[str, Any]) -> str:
    """A village group number written in Chinese (第三组)."""
    return chinese_numeral(rng.randint(1, max(1, village["groups"])))


MONTH_WEIGHTS = (1.3, 1.25, 1.0, 0.9, 0.9, 0.95, 0.9, 0.85, 0.9, 1.05, 1.0, 1.0)  # after Spring Festival, harvest


_WEIGHTS: dict[int, tuple[Any, ...]] = {}


def _weights(key: int, villages: dict[str, list[dict[str, Any]]]) -> tuple[list[str], list[int], dict[str, list[int]]]:
    """Cumulative household weights per township and for the county (what `random.choices` computes from
    `weights=`, so the draws are the same), cached per villages mapping."""
    cached = _WEIGHTS.get(key)
    if cached is None or cached[0] is not villages:
        codes = list(villages)
        county = list(accumulate(sum(v["households"] for v in villages[c]) for c in codes))
        per_township = {c: list(accumulate(v["households"] for v in villages[c])) for c in codes}
        _WEIGHTS.clear()  # one dataset at a time
        cached = _WEIGHTS[key] = (villages, codes, county, per_township)
    return cached[1], cached[2], cached[3]


@dataclass
class Context:
    """What every case builder needs: the random source, villages and the HELD 2023 meetings."""

    rng: random.Random
    faker: Faker
    villages: dict[str, list[dict[str, Any]]]  # township code → villages
    held: dict[str, list[Any]]  # township code → HELD 2023 meetings in time order

    def pick_village(self, township: str | None = None) -> dict[str, Any]:
        """A village (of a township, or of the county) weighted by households."""
        codes, county_weights, township_weights = _weights(id(self.villages), self.villages)
        if township is None:
            township = self.rng.choices(codes, cum_weights=county_weights)[0]
        return self.rng.choices(self.villages[township], cum_weights=township_weights[township])[0]

    def township_of(self, village: dict[str, Any]) -> str:
        """The township code of a village (its code's first nine digits)."""
        return str(village["code"])[:9]

    def meetings(self, township: str, after: datetime, before: datetime) -> list[Any]:
        """HELD 2023 meetings of a township strictly between two instants."""
        return [m for m in self.held[township] if after < m.when < before]

    def dispute(self, village: dict[str, Any], reported: datetime, *, channel: str | None = None,
                category: str | None = None, level: str | None = None) -> DemoCase:
        """A new dispute with parties and a title."""
        channel = channel or weighted(self.rng, DISPUTE_CHANNELS)
        category = category or weighted(self.rng, DISPUTE_CATEGORIES)
        level = level or ("TOWNSHIP" if channel in ("WALK_IN", "LETTER") else "VILLAGE")
        count = 1 if category in ("POLICY", "ROAD_SAFETY") else (3 if category == "LAND" and self.rng.random() < 0.2 else 2)
        return DemoCase("DISPUTE", category, channel, village, self.township_of(village), level, reported,
                        dispute_title(self.rng, village, category), parties(self.rng, self.faker, count))

    def petition(self, village: dict[str, Any], reported: datetime, *, category: str | None = None) -> DemoCase:
        """A new petition item (信访事项) at township or county level."""
        category = category or weighted(self.rng, PETITION_CATEGORIES)
        channel = weighted(self.rng, PETITION_CHANNELS)
        level = "COUNTY" if self.rng.random() < 0.3 else "TOWNSHIP"
        count = self.rng.randint(3, 6) if category == "HISTORICAL" else 1
        return DemoCase("PETITION", category, channel, village, self.township_of(village), level, reported,
                        petition_title(self.rng, village, category), parties(self.rng, self.faker, count))
