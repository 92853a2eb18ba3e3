"""The durable-rules rulesets: one module per family, each a list of `RuleDef`s (condition + finding text).

A condition is the durable-rules JSON test for one fact named `m`, built from the county's
parameters, which are injected as constants (DESIGN §7: constant comparisons only, never
comparisons between facts). `ALL_RULES` is what the engine assembles into one ruleset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Fact = Mapping[str, Any]
Params = Mapping[str, int]
Condition = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RuleDef:
    rule_id: str
    condition: Callable[[Params], Condition]
    subject: Callable[[Fact], str]
    message: Callable[[Fact, Params], str]
    evidence_keys: tuple[str, ...]  # stable fact fields kept as evidence (nothing that changes with the as-of alone)
    period: Callable[[Fact], str | None] = lambda fact: fact.get("period")


def all_of(*tests: Condition) -> Condition:
    """A conjunction of constant tests on the fact (`$and`)."""
    return {"$and": list(tests)}


def lt(field: str, value: int) -> Condition:
    return {"$lt": {field: value}}


def gt(field: str, value: int) -> Condition:
    return {"$gt": {field: value}}


def gte(field: str, value: int) -> Condition:
    return {"$gte": {field: value}}


def _all_rules() -> tuple[RuleDef, ...]:
    from rules.rulesets import cases, escalation, meetings, roster

    return (*meetings.RULES, *cases.RULES, *roster.RULES, *escalation.RULES)


ALL_RULES: tuple[RuleDef, ...] = _all_rules()
