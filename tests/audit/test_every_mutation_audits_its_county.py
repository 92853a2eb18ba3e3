"""Every mutation of the schema, as ADMIN and as the narrowest token that may use it, leaves audit rows that carry
the county of what it touched: a county's BUREAU and AUDITOR read their trail by county, so a row without one
(an ADMIN `updatePerson` used to be) is a change nobody in the county ever sees."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core import clock
from models.audit import AuditEntry
from models.enums import TokenRole
from tests.mutation_catalog import MUTATIONS, NOW, SCOPE_OF, VALID, call, scoped_role, stage

CASES = [(name, TokenRole.ADMIN) for name in MUTATIONS] + [
    (name, role) for name in MUTATIONS if (role := scoped_role(name) if name in VALID else None) is not None
]


@pytest.fixture(autouse=True)
def _fixed_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def test_every_mutation_has_a_valid_input_in_the_catalog() -> None:
    missing = sorted(set(MUTATIONS) - set(VALID))
    assert not missing, f"mutations without a valid input in tests/mutation_catalog.py VALID: {missing}"


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{name}-{role.value}" for name, role in CASES])
async def test_every_mutation_audits_the_county_it_touched(client_for, name: str, role: TokenRole) -> None:  # type: ignore[no-untyped-def]
    assert name in VALID, f"{name} has no valid input in tests/mutation_catalog.py VALID"
    staged = await stage()
    client = await client_for(role.value, SCOPE_OF[role])
    last = await AuditEntry.all().order_by("-id").first()
    payload = await call(client, name, VALID[name](staged))
    assert payload["userErrors"] == [], payload
    written = await AuditEntry.filter(id__gt=last.id if last else 0).values_list("action", "county_code")
    assert written, f"{name} as {role.value} wrote no audit row"
    assert {county for _, county in written} == {staged.county.code}, written
