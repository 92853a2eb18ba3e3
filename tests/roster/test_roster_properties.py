"""A stateful property test of the roster: random sequences of clerks' writes through the GraphQL API.

Hypothesis (`RuleBasedStateMachine`) draws sequences of assignRole, handOverRole, endRole,
retireUnit and updatePerson on a small township (its chief convener, two grids, two household
groups, a few people, days within a month of the frozen present, so writes collide often) and
after every step checks:

- the roster invariants, read back from the database (tests/roster/invariants.py): no assignment
  ends before it starts, no single-holder role has two holders on one day;
- a success answer changed the roster and wrote exactly one audit row;
- a refusal (userErrors) changed nothing and wrote no audit row;
- no write answers with a GraphQL error or an HTTP error.

Hypothesis state machines are synchronous: the test owns an event loop (`asyncio.Runner`) and runs
each step's requests on it. `make test` runs a bounded number of sequences per database;
`LIANXI_PROPERTY_EXAMPLES=2000 make property` runs a long one (README, "The practice: roster").
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test
from starlette.applications import Starlette
from tortoise import Tortoise
from tortoise.contrib.test import truncate_all_models

from core import clock
from core.settings import load_settings
from models.enums import Role
from models.people import Person, RoleAssignment
from server.app import create_app
from server.auth.tokens import issue_token
from server.db import tortoise_config
from tests.conftest import M2M_TABLES
from tests.roster.invariants import audit_rows, roster_problems, roster_state
from tests.roster.test_roster_api import ASSIGN_ROLE, END_ROLE, HAND_OVER, RETIRE_UNIT, UPDATE_PERSON
from tests.rules.factories import grid, household_group, person, world
from tests.writes import SHANGHAI, gid

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
FIRST_DAY = date(2026, 11, 20)  # days are drawn from FIRST_DAY … FIRST_DAY + DAYS: few enough that writes collide
DAYS = 30
EXAMPLES = int(os.environ.get("LIANXI_PROPERTY_EXAMPLES", "16"))
STEPS = int(os.environ.get("LIANXI_PROPERTY_STEPS", "12"))
NAMES = ("赵一", "钱二", "孙三")

days = st.integers(0, DAYS).map(lambda n: FIRST_DAY + timedelta(days=n))
# (role, index of the unit among the machine's grids or household groups)
posts = st.sampled_from([(Role.GRID_WORKER, 0), (Role.GRID_WORKER, 1), (Role.HOUSEHOLD_HEAD, 0), (Role.HOUSEHOLD_HEAD, 1),
                         (Role.CHIEF_CONVENER, 0)])
DRIVEN = (Role.GRID_WORKER, Role.HOUSEHOLD_HEAD, Role.CHIEF_CONVENER)
# an index into the people recorded so far, or -1: a new person
holders = st.integers(-1, 5)


class RosterMachine(RuleBasedStateMachine):
    """One township's roster driven by a TOWNSHIP clerk; the runner and app are set by the test for each database."""

    runner: ClassVar[asyncio.Runner]
    app: ClassVar[Starlette]

    def __init__(self) -> None:
        super().__init__()
        self.http: httpx.AsyncClient | None = None
        self.grids: list[str] = []
        self.groups: list[str] = []
        self.townships: list[str] = []
        self.log: list[str] = []
        self.runner.run(self._set_up())

    async def _set_up(self) -> None:
        await truncate_all_models()
        connection = Tortoise.get_connection("default")
        for table in M2M_TABLES:
            await connection.execute_script(f'DELETE FROM "{table}"')
        w = await world()
        self.townships.append(w.township.code)  # no chief convener yet: assignRole fills it
        for suffix in ("01", "02"):
            unit = await grid(w.village, suffix, worker=await person(f"网格{suffix}"), valid_from=date(2026, 1, 1))
            group = await household_group(unit, "01", head=await person(f"联户{suffix}"), valid_from=date(2026, 1, 1))
            self.grids.append(unit.code)
            self.groups.append(group.code)
        issued = await issue_token("TOWNSHIP", scope=w.township.code, name="clerk")
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://lianxi.test",
                                      headers={"Authorization": f"Bearer {issued.token}"})
        assert (await self.http.post("/graphql", json={"query": "{ __typename }"})).status_code == 200

    def teardown(self) -> None:
        if self.http is not None:
            self.runner.run(self.http.aclose())

    def _unit(self, role: Role, index: int) -> str:
        return {Role.GRID_WORKER: self.grids, Role.HOUSEHOLD_HEAD: self.groups, Role.CHIEF_CONVENER: self.townships}[role][index]

    async def _person(self, who: int) -> dict[str, Any]:
        if who < 0:
            return {"newPerson": {"name": "新人", "phone": None}}
        ids = await Person.all().order_by("id").values_list("id", flat=True)
        return {"personId": gid("Person", ids[who % len(ids)])}

    async def _write(self, document: str, values: dict[str, Any]) -> None:
        """One write, and what must hold after it whatever the answer."""
        state, audit = await roster_state(), await audit_rows()
        assert self.http is not None
        response = await self.http.post("/graphql", json={"query": document, "variables": {"input": values}})
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, (self.log, body["errors"])
        payload = next(iter(body["data"].values()))
        name = next(iter(body["data"]))
        self.log.append(f"{name}({values}) -> {[(e['field'], e['code']) for e in payload['userErrors']] or 'ok'}")
        after, audit_after = await roster_state(), await audit_rows()
        assert await roster_problems() == [], self.log
        if payload["userErrors"]:
            assert after == state, ("a refusal changed the roster", self.log)
            assert audit_after == audit, ("a refusal wrote an audit row", self.log)
        else:
            assert after != state, ("a success changed nothing", self.log)
            assert len(audit_after) == len(audit) + 1 and audit_after[:len(audit)] == audit, ("a success is audited once", self.log)
            assert audit_after[-1][0] == name, self.log

    @rule(post=posts, who=holders, first=days, length=st.one_of(st.none(), st.integers(-2, 12)))
    def assign(self, post: tuple[Role, int], who: int, first: date, length: int | None) -> None:
        role, index = post
        async def step() -> None:
            values = {"role": role.value, "unitCode": self._unit(role, index), "from": first.isoformat(),
                      "to": (first + timedelta(days=length)).isoformat() if length is not None else None} | await self._person(who)
            await self._write(ASSIGN_ROLE, values)
        self.runner.run(step())

    @rule(post=posts, who=holders, on=days)
    def hand_over(self, post: tuple[Role, int], who: int, on: date) -> None:
        role, index = post
        async def step() -> None:
            values = {"role": role.value, "unitCode": self._unit(role, index), "on": on.isoformat()} | await self._person(who)
            await self._write(HAND_OVER, values)
        self.runner.run(step())

    @rule(pick=st.integers(0, 50), last=days)
    def end(self, pick: int, last: date) -> None:
        async def step() -> None:
            ids = await RoleAssignment.filter(role__in=DRIVEN).order_by("id").values_list("id", flat=True)
            await self._write(END_ROLE, {"id": gid("RoleAssignment", ids[pick % len(ids)]), "lastDay": last.isoformat()})
        self.runner.run(step())

    @rule(grid_unit=st.booleans(), index=st.integers(0, 1), on=days)
    def retire(self, grid_unit: bool, index: int, on: date) -> None:
        self.runner.run(self._write(RETIRE_UNIT, {"code": (self.grids if grid_unit else self.groups)[index], "on": on.isoformat()}))

    @rule(who=st.integers(0, 5), name=st.sampled_from(NAMES))
    def update_person(self, who: int, name: str) -> None:
        async def step() -> None:
            people = await Person.all().order_by("id")
            chosen = people[who % len(people)]
            # a new name each time: updatePerson with the values a person already has still answers success and is
            # audited (test_an_update_person_that_changes_nothing_is_refused, xfail: core/roster update_person is another change's)
            fresh = name if name != chosen.name else f"{name}改"
            await self._write(UPDATE_PERSON, {"id": gid("Person", chosen.id), "name": fresh})
        self.runner.run(step())


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def test_random_roster_writes_keep_the_invariants_and_the_audit_log(db_url: str, frozen_clock: None) -> None:
    """`LIANXI_PROPERTY_EXAMPLES` sequences of up to `LIANXI_PROPERTY_STEPS` writes each, on this database."""
    app_settings = load_settings({"LIANXI_DATABASE_URL": db_url, "LIANXI_ENV": "test", "LIANXI_SWEEP": "false"})
    with asyncio.Runner() as runner:
        runner.run(Tortoise.init(config=tortoise_config(db_url)))
        try:
            RosterMachine.runner = runner
            RosterMachine.app = create_app(app_settings, manage_database=False)
            run_state_machine_as_test(RosterMachine, settings=settings(
                max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ))
        finally:
            runner.run(Tortoise.close_connections())
