"""The durable-rules rulesets: one module per family, each a list of `RuleDef`s (condition + finding text).

A condition is the durable-rules JSON test for one fact named `m`, built from the run's
constants: the rule's parameters, `AS_OF` (the as-of in epoch seconds), the horizons derived
from it by calendar days (`AS_OF_PLUS_<param>`, e.g. `AS_OF_PLUS_W`), the as-of's local day as a
day number (`AS_OF_DAY`) and that day plus a parameter (`AS_OF_DAY_PLUS_<param>`), and every rule's
parameters as `"<rule id>:<name>"` (DESIGN §7: facts carry measurements; every comparison of a
measurement with the as-of or a parameter happens here, against constants, never between facts).

Every module of this package that defines `RULES` is a ruleset file and is picked up by
`ALL_RULES`: a new rule is a catalog entry (`rules.catalog`) plus one file here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

Fact = Mapping[str, Any]
Params = Mapping[str, int]  # the run's constants (see the module docstring)
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


def lte(field: str, value: int) -> Condition:
    return {"$lte": {field: value}}


def any_of(*tests: Condition) -> Condition:
    """A disjunction of constant tests on the fact (`$or`)."""
    return {"$or": list(tests)}


def _all_rules() -> tuple[RuleDef, ...]:
    """Every `RULES` of every module in this package, in module-name order."""
    found: list[RuleDef] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        found += getattr(importlib.import_module(f"{__name__}.{module.name}"), "RULES", ())
    return tuple(found)


ALL_RULES: tuple[RuleDef, ...] = _all_rules()
_registry: list[RuleDef] = list(ALL_RULES)


def rule_registry() -> tuple[RuleDef, ...]:
    """The rule definitions the engine evaluates (ALL_RULES unless a rule was replaced with `replace_rule`)."""
    return tuple(_registry)


@contextmanager
def replace_rule(rule_def: RuleDef) -> Iterator[None]:
    """Evaluate `rule_def` instead of the registered rule with the same id while the block runs.

    The hook for a county-specific variant of a rule, and for tests that need a real ruleset whose
    consequence fails (the engine must then leave that rule's alerts as they are).
    """
    index = next(i for i, known in enumerate(_registry) if known.rule_id == rule_def.rule_id)
    previous, _registry[index] = _registry[index], rule_def
    try:
        yield
    finally:
        _registry[index] = previous
