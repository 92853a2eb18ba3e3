"""State shared by the section validators: the problems so far, the stored rows, and what the document declares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from core.roster.retired import retired_problem
from rules.config import RulesConfig
from server.load.errors import Problems
from server.load.existing import Existing
from server.load.plan import Plan


@dataclass(slots=True)
class Context:
    """What a validator needs to resolve a reference: document keys first, then stored ones."""

    problems: Problems
    existing: Existing
    rules: RulesConfig  # the configuration read at start-up (the extension cap a case is checked against)
    plan: Plan = field(default_factory=Plan)
    people: set[str] = field(default_factory=set)  # person ids in the document or the database
    townships: set[str] = field(default_factory=set)
    village_township: dict[str, str] = field(default_factory=dict)  # village code → township code
    cases: set[str] = field(default_factory=set)
    _first_seen: dict[tuple[str, object], str] = field(default_factory=dict)

    def unique(self, what: str, key: object, path: str) -> bool:
        """False (and a problem) when the same key already appeared earlier in the document."""
        first = self._first_seen.setdefault((what, key), path)
        if first == path:
            return True
        self.problems.add(path, f"duplicate {what} {_show(key)} (first at {first})")
        return False

    def refuse_retired_village(self, village: str | None, at: datetime | None, path: str) -> bool:
        """A record of a stored village dated on or after its retirement (local day) is refused, as by the API."""
        stored = self.existing.villages.get(village) if village is not None else None
        if stored is None or stored.retired_on is None or at is None or village not in self.existing.retired_zones:
            return False
        day = at.astimezone(ZoneInfo(self.existing.retired_zones[village])).date()
        problem = retired_problem(code=village, retired_on=stored.retired_on, day=day)
        if problem is not None:
            self.problems.add(path, problem)
        return problem is not None

    def person(self, value: str | None, path: str) -> str | None:
        """A person reference that resolves, else None and a problem."""
        if value is not None and value not in self.people:
            self.problems.add(path, f"unknown person {value!r} (not in people[] nor in the database)")
            return None
        return value


def _show(key: object) -> str:
    if isinstance(key, tuple):
        return "(" + ", ".join(str(part) for part in key) + ")"
    return repr(key)
