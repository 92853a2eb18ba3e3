"""Evaluate facts with durable-rules, one isolated ruleset per evaluation (DESIGN §7).

durable-rules 2.0.28 keeps rulesets in a process-global C registry, starts timer threads in
every `Host`, leaks ~2 MB per evaluation unless state and ruleset are deleted, swallows
consequence exceptions and raises on facts no rule matches. So each evaluation:

1. builds a ruleset dict (stable rule names = rule ids, parameters injected as constants,
   a catch-all rule) under a unique name (`lianxi_eval_<pid>_<n>`);
2. registers it as a `_LeanRuleset`: no `Host` (so no timer threads), and an action loop that
   calls our consequence with the matched fact and skips what we never use (a `Closure` per action
   and a JSON round trip of the session state: consequences do not change the state). With a
   catch-all rule every fact fires one action, so this loop is most of an evaluation's cost;
3. asserts the facts in batches (only scalar fields go into the engine, encoded with orjson; the
   consequence looks the full fact up by id), collecting findings and errors inside the consequences;
4. deletes every state (one sid: "0") and the ruleset handle, whatever happened.

The C core never releases the GIL and is not documented as thread-safe, so evaluations are
serialised by a lock and run off the event loop (`evaluate_async` → `asyncio.to_thread`).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import durable_rules_engine
import orjson
from durable import engine as durable_engine

from rules.catalog import CATALOG
from rules.config import CountyRules
from rules.deadlines import epoch, shift_days
from rules.periods import local_date
from rules.rulesets import RuleDef, rule_registry
from rules.workdays import day_number

Fact = Mapping[str, Any]
CATCH_ALL = "lianxi.catch_all"
SID = "0"
BATCH_SIZE = 2_000
_SCALARS = (str, int, float, bool, type(None))

_counter = itertools.count(1)
_lock = threading.Lock()


Consequence = Callable[[dict[str, Any]], None]


class _LeanRuleset(durable_engine.Ruleset):  # type: ignore[misc]
    # A ruleset driven synchronously without a Host; each action calls `consequences[rule](fact)`.

    def __init__(self, name: str, definition: dict[str, Any], consequences: dict[str, Consequence]) -> None:
        self._consequences = consequences
        super().__init__(name, None, definition)

    def assert_facts(self, facts: list[dict[str, Any]]) -> Any:
        return self._handle_result(durable_rules_engine.assert_facts(self._handle, orjson.dumps(facts).decode()), facts)

    def _flush_actions(self, state: Any, result_container: dict[str, Any], state_offset: Any, complete: Any) -> None:
        message = result_container.get("message")
        while message:
            for action_name, payload in message.items():
                self._consequences[action_name](payload["m"])
                break
            following = durable_rules_engine.complete_and_start_action(self._handle, state_offset)
            message = orjson.loads(following) if following else None
        complete(None, state)

    def run_actions(self, state_handle: Any) -> None:
        """Run every queued action (our consequences catch their own errors; engine errors raise)."""
        failure: list[BaseException] = []
        self.do_actions(state_handle, lambda error, state: failure.append(error) if error else None)
        if failure:
            raise failure[0]


@dataclass(slots=True)
class Evaluation:
    findings: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    fact_count: int = 0
    duration_ms: float = 0.0
    ruleset_name: str = ""


def _engine_view(fact: Fact) -> dict[str, Any]:
    """The scalar fields of a fact: all the rules test; lists and objects stay on the Python side."""
    return {key: value for key, value in fact.items() if isinstance(value, _SCALARS)}


def make_finding(
    rule_def: RuleDef, fact: Fact, params: Mapping[str, int], constant: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """A finding (DESIGN §4 `Finding`) for one fact that matched one rule (evidence keeps the rule's own parameters,
    never the as-of, so it changes only when the facts do)."""
    spec = CATALOG[rule_def.rule_id]
    evidence = {key: fact.get(key) for key in rule_def.evidence_keys}
    evidence["parameters"] = dict(params)
    evidence["ruleVersion"] = spec.version
    return {
        "ruleId": spec.id,
        "ruleVersion": spec.version,
        "severity": str(spec.severity) if spec.severity else None,
        "subjectCode": rule_def.subject(fact),
        "period": rule_def.period(fact),
        "townshipCode": fact.get("township"),
        "assigneeId": fact.get("assignee_id"),
        "message": rule_def.message(fact, constant if constant is not None else params),
        "evidence": evidence,
    }


def constants(settings: CountyRules, rule_id: str, as_of: datetime, tz: ZoneInfo) -> dict[str, int]:
    """What a rule's condition may compare facts with: its parameters, `AS_OF` (epoch seconds), the as-of moved
    forward by each parameter in calendar days (`AS_OF_PLUS_<name>`), the as-of's local day as a day number
    (`AS_OF_DAY`) and that day plus each parameter (`AS_OF_DAY_PLUS_<name>`: day counts such as "L − d ≤ W"
    compare a fact's day number with it), and every rule's parameters (`"<rule id>:<name>"`)."""
    own = dict(settings.params(rule_id))
    values = {f"{other}:{name}": value for other, params in settings.parameters.items() for name, value in params.items()}
    values.update(own)
    values["AS_OF"] = epoch(as_of)
    today = day_number(local_date(as_of, tz))
    values["AS_OF_DAY"] = today
    for name, value in own.items():
        values[f"AS_OF_PLUS_{name}"] = epoch(shift_days(as_of, value, tz))
        values[f"AS_OF_DAY_PLUS_{name}"] = today + value
    return values


def build_ruleset(
    settings: CountyRules,
    facts_by_id: Mapping[str, Fact],
    result: Evaluation,
    rule_ids: Iterable[str] | None = None,
    *,
    as_of: datetime,
    tz: ZoneInfo,
) -> tuple[dict[str, Any], dict[str, Consequence]]:
    """The ruleset dict (one rule per catalog id, as-of and parameters as constants, plus the catch-all) and its
    consequences."""
    wanted = set(rule_ids) if rule_ids is not None else None
    definition: dict[str, Any] = {}
    consequences: dict[str, Consequence] = {}
    for rule_def in rule_registry():
        if wanted is not None and rule_def.rule_id not in wanted:
            continue
        params = dict(settings.params(rule_def.rule_id))
        constant = constants(settings, rule_def.rule_id, as_of, tz)
        definition[rule_def.rule_id] = {"all": [{"m": rule_def.condition(constant)}], "run": _ignore}
        consequences[rule_def.rule_id] = _consequence(rule_def, params, constant, facts_by_id, result)
    definition[CATCH_ALL] = {"all": [{"m": {"$ex": {"kind": 1}}}], "run": _ignore}
    consequences[CATCH_ALL] = _ignore
    return definition, consequences


def _ignore(c: Any) -> None:
    # Every fact must match some rule or durable-rules raises MessageNotHandledException.
    return None


def _consequence(
    rule_def: RuleDef, params: dict[str, int], constant: dict[str, int], facts_by_id: Mapping[str, Fact], result: Evaluation
) -> Consequence:
    def run(matched: dict[str, Any]) -> None:
        fact_id = None
        try:
            fact_id = matched["id"]
            result.findings.append(make_finding(rule_def, facts_by_id[fact_id], params, constant))
        except Exception as exc:  # durable-rules would swallow it into the state: record it instead
            error = f"{type(exc).__name__}: {exc}"
            result.errors.append({"ruleId": rule_def.rule_id, "factId": fact_id, "error": error})

    return run


def evaluate(
    *, facts: list[Fact], settings: CountyRules, as_of: datetime, tz: ZoneInfo, rule_ids: Iterable[str] | None = None
) -> Evaluation:
    """Run the catalog over the facts in a fresh, isolated ruleset and return findings (sorted) and errors."""
    started = time.perf_counter()
    result = Evaluation(fact_count=len(facts))
    facts_by_id = {str(fact["id"]): fact for fact in facts}
    if len(facts_by_id) != len(facts):
        raise ValueError("fact ids must be unique within an evaluation")
    with _lock:
        name = f"lianxi_eval_{os.getpid()}_{next(_counter)}"
        result.ruleset_name = name
        definition, consequences = build_ruleset(settings, facts_by_id, result, rule_ids, as_of=as_of, tz=tz)
        ruleset = _LeanRuleset(name, definition, consequences)
        try:
            views = [_engine_view(fact) for fact in facts]
            for start in range(0, len(views), BATCH_SIZE):
                try:
                    ruleset.run_actions(ruleset.assert_facts(views[start : start + BATCH_SIZE]))
                except (durable_engine.MessageNotHandledException, durable_engine.MessageObservedException) as exc:
                    result.errors.append({"ruleId": None, "factId": None, "error": exc.message[:500]})
            state = ruleset.get_state(SID) if facts else {}
            if "exception" in state:
                result.errors.append({"ruleId": None, "factId": None, "error": str(state["exception"])[:500]})
        finally:
            try:
                if facts:  # with no fact asserted there is no state, and deleting it raises (error 309)
                    ruleset.delete_state(SID)
            finally:
                durable_rules_engine.delete_ruleset(ruleset._handle)
    result.findings.sort(key=lambda f: (f["ruleId"], f["subjectCode"], f["period"] or ""))
    result.duration_ms = (time.perf_counter() - started) * 1000
    return result


async def evaluate_async(
    *, facts: list[Fact], settings: CountyRules, as_of: datetime, tz: ZoneInfo, rule_ids: Iterable[str] | None = None
) -> Evaluation:
    """`evaluate` in a worker thread, because the C core blocks and never releases the GIL."""
    return await asyncio.to_thread(
        lambda: evaluate(facts=facts, settings=settings, as_of=as_of, tz=tz, rule_ids=rule_ids)
    )
