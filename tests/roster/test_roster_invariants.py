"""The roster invariants (DESIGN §1) hold whatever the clerks do: handOverRole and endRole refuse, naming the
field, what would leave a unit with two holders or an assignment that ends before it starts; two clerks
handing over at once get one success and one refusal; the database itself refuses such rows."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import clock
from core.roster import service
from models.enums import Role
from models.people import DAYS_IN_ORDER_CONSTRAINT, MULTI_HOLDER_ROLES, ONE_HOLDER_CONSTRAINT, RoleAssignment
from models.supervision import SupervisionAssignment
from tests.roster.invariants import audit_rows, roster_problems, roster_state
from tests.roster.test_roster_api import ASSIGN_ROLE, END_ROLE, HAND_OVER, UPDATE_PERSON
from tests.rules.factories import grid, household_group, person, world
from tests.writes import SHANGHAI, gid, mutate

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


async def _grid_with_worker():  # type: ignore[no-untyped-def]
    """沫阳镇 江亭村 grid 01, worked by 赵旧 since 2026-01-01; 钱新 and 孙三 head household groups (the township may name them)."""
    w = await world()
    old = await person("赵旧")
    unit = await grid(w.village, "01", worker=old, valid_from=date(2026, 1, 1))
    new, third = await person("钱新"), await person("孙三")
    await household_group(unit, "01", head=new)
    await household_group(unit, "02", head=third)
    return w, unit, old, new, third


def _errors(payload: dict) -> list[tuple[tuple[str, ...], str]]:  # type: ignore[type-arg]
    return [(tuple(e["field"]), e["code"]) for e in payload["userErrors"]]


async def test_a_second_handover_on_the_same_day_is_refused_and_changes_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    w, unit, old, new, third = await _grid_with_worker()
    township = await client_for("TOWNSHIP", w.township.code)
    first = await mutate(township, HAND_OVER, input={"role": "GRID_WORKER", "unitCode": unit.code, "on": "2026-12-05",
                                                    "personId": gid("Person", new.id)})
    assert first["userErrors"] == [] and first["assignment"]["validFrom"] == "2026-12-05"
    state, audit = await roster_state(), await audit_rows()

    second = await mutate(township, HAND_OVER, input={"role": "GRID_WORKER", "unitCode": unit.code, "on": "2026-12-05",
                                                     "personId": gid("Person", third.id)})
    assert _errors(second) == [(("input", "on"), "CONFLICT")], second
    assert "钱" in second["userErrors"][0]["message"] and "2026-12-05" in second["userErrors"][0]["message"]
    assert second["assignment"] is None
    assert await roster_state() == state and await audit_rows() == audit
    assert await roster_problems() == []


async def test_a_handover_after_the_holder_has_already_ended_is_refused(client_for) -> None:  # type: ignore[no-untyped-def]
    w, unit, old, new, _ = await _grid_with_worker()
    township = await client_for("TOWNSHIP", w.township.code)
    ended = await mutate(township, END_ROLE, input={"id": gid("RoleAssignment", (await RoleAssignment.get(person_id=old.id)).id),
                                                   "lastDay": "2026-12-04"})
    assert ended["userErrors"] == []
    state, audit = await roster_state(), await audit_rows()
    late = await mutate(township, HAND_OVER, input={"role": "GRID_WORKER", "unitCode": unit.code, "on": "2026-12-05",
                                                   "personId": gid("Person", new.id)})
    assert _errors(late) == [(("input", "on"), "INVALID")], late
    assert "assignRole" in late["userErrors"][0]["message"]
    assert await roster_state() == state and await audit_rows() == audit
    assert await roster_problems() == []


async def test_end_role_after_the_successor_starts_is_refused_and_later_handovers_still_work(client_for) -> None:  # type: ignore[no-untyped-def]
    w, unit, old, new, third = await _grid_with_worker()
    township = await client_for("TOWNSHIP", w.township.code)
    old_id = gid("RoleAssignment", (await RoleAssignment.get(person_id=old.id)).id)
    handed = await mutate(township, HAND_OVER, input={"role": "GRID_WORKER", "unitCode": unit.code, "on": "2026-12-05",
                                                     "personId": gid("Person", new.id)})
    assert handed["userErrors"] == []
    state, audit = await roster_state(), await audit_rows()

    reopened = await mutate(township, END_ROLE, input={"id": old_id, "lastDay": "2026-12-10"})
    assert _errors(reopened) == [(("input", "lastDay"), "CONFLICT")], reopened
    before_start = await mutate(township, END_ROLE, input={"id": old_id, "lastDay": "2025-12-31"})
    assert _errors(before_start) == [(("input", "lastDay"), "INVALID")], before_start
    unchanged = await mutate(township, END_ROLE, input={"id": old_id, "lastDay": "2026-12-04"})
    assert _errors(unchanged) == [(("input", "lastDay"), "INVALID")], unchanged
    assert await roster_state() == state and await audit_rows() == audit
    assert await roster_problems() == []

    later = await mutate(township, HAND_OVER, input={"role": "GRID_WORKER", "unitCode": unit.code, "on": "2026-12-20",
                                                    "personId": gid("Person", third.id)})
    assert later["userErrors"] == [], later
    assert (later["ended"]["person"]["name"], later["ended"]["validTo"]) == ("钱新", "2026-12-19")
    assert await roster_problems() == []


async def test_two_clerks_handing_over_at_once_get_one_success_and_one_refusal(client_for) -> None:  # type: ignore[no-untyped-def]
    w, unit, old, new, _ = await _grid_with_worker()
    clerks = [await client_for("TOWNSHIP", w.township.code), await client_for("TOWNSHIP", w.township.code)]
    audit = len(await audit_rows())
    handover = {"role": "GRID_WORKER", "unitCode": unit.code, "on": "2026-12-05", "personId": gid("Person", new.id)}
    answers = await asyncio.gather(*(mutate(clerk, HAND_OVER, input=handover) for clerk in clerks))
    assert sorted(bool(a["userErrors"]) for a in answers) == [False, True], answers
    refused = next(a for a in answers if a["userErrors"])
    assert refused["assignment"] is None and {e["code"] for e in refused["userErrors"]} <= {"CONFLICT", "INVALID"}
    assert [a for a, _ in (await audit_rows())[audit:]] == ["handOverRole"]
    assert await roster_problems() == []
    rows = await RoleAssignment.filter(role=Role.GRID_WORKER, grid_id=unit.id).order_by("id").values_list("person_id", "valid_from", "valid_to")
    assert rows == [(old.id, date(2026, 1, 1), date(2026, 12, 4)), (new.id, date(2026, 12, 5), None)]


async def test_a_constraint_the_service_missed_is_a_user_error_not_a_500(client_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The database is the backstop: with the service's own overlap check switched off, the constraint still refuses."""
    w, unit, old, new, _ = await _grid_with_worker()
    township = await client_for("TOWNSHIP", w.township.code)

    async def no_check(*args: object, **kwargs: object) -> None:
        return None

    monkeypatch.setattr(service, "_conflicts", no_check)
    audit = await audit_rows()
    answer = await mutate(township, END_ROLE, input={"id": gid("RoleAssignment", (await RoleAssignment.get(person_id=old.id)).id),
                                                    "lastDay": "2026-12-31"})
    assert answer["userErrors"] == []  # no successor yet: an end date is fine
    from_ = {"role": "GRID_WORKER", "unitCode": unit.code, "from": "2026-12-20", "personId": gid("Person", new.id)}
    clash = await mutate(township, ASSIGN_ROLE, input=from_)
    assert [e["code"] for e in clash["userErrors"]] == ["CONFLICT"], clash
    assert clash["assignment"] is None
    assert len(await audit_rows()) == len(audit) + 1 and await roster_problems() == []


async def test_the_database_refuses_two_holders_and_reversed_days(orm: str) -> None:
    """Whatever writes (a script, an import, a future service), the database keeps the invariants."""
    w, unit, old, new, _ = await _grid_with_worker()
    bad_rows = [
        {"person_id": new.id, "role": Role.GRID_WORKER, "grid_id": unit.id, "valid_from": date(2026, 12, 1)},  # 赵旧 holds it, open-ended
        {"person_id": new.id, "role": Role.GRID_WORKER, "grid_id": unit.id, "valid_from": None, "valid_to": date(2026, 1, 1)},
        {"person_id": new.id, "role": Role.CHIEF_CONVENER, "township_id": w.township.id, "valid_from": date(2026, 3, 2), "valid_to": date(2026, 3, 1)},
    ]
    for values in bad_rows:
        with pytest.raises(IntegrityError):
            async with in_transaction():
                await RoleAssignment.create(**values)
    with pytest.raises(IntegrityError):
        async with in_transaction():
            await SupervisionAssignment.create(leader=w.leader, township=w.township, valid_from=date(2026, 3, 2), valid_to=date(2026, 3, 1))
    moved = await RoleAssignment.create(person_id=new.id, role=Role.GRID_WORKER, grid_id=unit.id, valid_from=None, valid_to=date(2025, 12, 31))
    moved.valid_to = date(2026, 1, 1)  # one day into 赵旧's
    with pytest.raises(IntegrityError):
        async with in_transaction():
            await moved.save(update_fields=["valid_to"])
    # several leadership members and business staff at once are the rule, not a breach
    await RoleAssignment.create(person_id=new.id, role=Role.BUREAU_STAFF, county_id=w.county.id, valid_from=date(2026, 1, 1))
    assert await roster_problems() == []


def test_the_migration_and_the_code_agree_on_which_roles_have_one_holder() -> None:
    """Migration 0005 freezes the multi-holder roles and the constraint names the service recognises."""
    frozen = importlib.import_module("models.migrations.0005_roster_invariants")  # a module name starting with a digit
    assert frozenset(Role(r) for r in frozen.MULTI_HOLDER) == MULTI_HOLDER_ROLES
    assert (frozen.ONE_HOLDER, frozen.DAYS_IN_ORDER) == (ONE_HOLDER_CONSTRAINT, DAYS_IN_ORDER_CONSTRAINT)


async def test_an_update_person_that_changes_nothing_is_refused(client_for) -> None:  # type: ignore[no-untyped-def]
    w, unit, old, new, _ = await _grid_with_worker()
    township = await client_for("TOWNSHIP", w.township.code)
    audit = await audit_rows()
    same = await mutate(township, UPDATE_PERSON, input={"id": gid("Person", old.id), "name": old.name})
    assert same["userErrors"] and await audit_rows() == audit
