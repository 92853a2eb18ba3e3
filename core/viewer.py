"""Who is calling (a token's role and jurisdiction) and what that lets them see and change.

Jurisdiction is a code prefix (see `resolvers.permissions` for the rules the API applies); the
services below the API use the same `Viewer` for references and masking, and the token store
(`server.auth.tokens`) builds it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from models.enums import TokenRole

# The code length a token's scope must have, per role (ADMIN has no scope).
SCOPE_LENGTH: dict[TokenRole, int | None] = {
    TokenRole.ADMIN: None,
    TokenRole.BUREAU: 6,
    TokenRole.AUDITOR: 6,
    TokenRole.TOWNSHIP: 9,
    TokenRole.VILLAGE: 12,
}


@dataclass(frozen=True, slots=True)
class Viewer:
    """The authenticated caller: a token's role and jurisdiction."""

    role: TokenRole
    scope_code: str | None  # None only for ADMIN
    token_id: int | None = None
    name: str = "api"
    expires_at: datetime | None = None  # the token's expiry: live sockets close then

    @property
    def county_code(self) -> str | None:
        """The county the jurisdiction lies in (codes start with it); None for ADMIN."""
        return self.scope_code[:6] if self.scope_code else None

    @property
    def is_admin(self) -> bool:
        return self.role is TokenRole.ADMIN

    @property
    def read_only(self) -> bool:
        return self.role is TokenRole.AUDITOR

    def sees(self, code: str | None) -> bool:
        """Is the unit with this code (or anything under it) inside the jurisdiction?"""
        if self.is_admin:
            return True
        return bool(code) and self.scope_code is not None and code.startswith(self.scope_code)  # type: ignore[union-attr]

    def describe(self) -> str:
        return f"{self.role.value} token" + (f" for {self.scope_code}" if self.scope_code else "")


def alert_visible(viewer: Viewer, *, county_code: str, township_code: str | None, subject_code: str | None = None) -> bool:
    """The rule `alerts` applies in SQL, for one alert: county roles their county's, a township its own.

    A village sees only the roster alerts of its own grids and household groups (their subject codes
    extend its code), in the payload of its own roster writes.
    """
    if viewer.is_admin:
        return True
    if viewer.role is TokenRole.VILLAGE:
        return subject_code is not None and viewer.sees(subject_code)
    if viewer.role is TokenRole.TOWNSHIP:
        return township_code == viewer.scope_code
    return county_code == viewer.scope_code


# People who serve in several places: one row that every place shows.
SHARED_PERSON = ("this person also serves outside this token's jurisdiction: the county bureau edits people "
                 "who serve in more than one place")


def person_edit_refusal(viewer: Viewer | None, places: Iterable[str]) -> str | None:
    """Why this viewer may not edit a person serving in these places (unit codes); None: it may.

    A person row is shared by every place they serve (DESIGN §1: "a township sees and edits only the
    people of its own roster"), so only a token whose jurisdiction covers every one of them may change
    it — the county bureau, or ADMIN across counties. The message never names the other places.
    """
    if viewer is None:
        return "not authenticated"
    if viewer.read_only:
        return f"an {viewer.describe()} is read-only"
    if all(viewer.sees(code) for code in places):
        return None
    return SHARED_PERSON


# --- Personal data --------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """张三 → 张*, 王小明 → 王**: the family name stays, the given name goes."""
    return name[:1] + "*" * (len(name) - 1) if name else name


def mask_phone(phone: str | None) -> str | None:
    """13912340000 → 139****0000."""
    if not phone:
        return phone
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(id_number: str | None) -> str | None:
    """522728199001011234 → 5227**********1234."""
    if not id_number:
        return id_number
    if len(id_number) < 9:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def sees_personal_data(viewer: Viewer | None, unit_code: str | None) -> bool:
    """Clear names, phones and ID numbers: ADMIN; BUREAU, TOWNSHIP and VILLAGE inside their jurisdiction; never AUDITOR."""
    if viewer is None or viewer.read_only:
        return False
    return viewer.sees(unit_code)


def sees_contact_phones(viewer: Viewer | None) -> bool:
    """Officials' phones (Person.phone): people are reachable only through objects in scope, so only the role decides."""
    return viewer is not None and not viewer.read_only
