"""One check of personal data, used by every write of it: `reportCase`, `lianxi load` (case parties and people).

A party has a name; a phone has digits (and `+ - ` spaces) only; a resident ID number has 17 digits
and a check digit or X (stored upper-case). No text may hold U+0000 (PostgreSQL cannot store it).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.text_policy import TextKind, text_problem

MAX_NAME, MAX_PHONE, MAX_ID_NUMBER = 64, 32, 18


@dataclass(frozen=True, slots=True)
class PartyProblem:
    field: str  # "name", "phone" or "idNumber"
    message: str


def phone_problem(phone: str | None) -> str | None:
    """The input policy's rule for phones (core/text_policy.py), for the writes that check a party as a whole."""
    return text_problem(TextKind.PHONE, phone) if phone else None


def id_number_problem(id_number: str | None) -> str | None:
    """The input policy's rule for resident ID numbers (core/text_policy.py)."""
    return text_problem(TextKind.ID_NUMBER, id_number) if id_number else None


def party_problems(*, name: str | None, phone: str | None, id_number: str | None) -> list[PartyProblem]:
    """Every problem of a party's (trimmed) name, phone and ID number; lengths and emptiness are the caller's reader's."""
    problems = []
    for field, value in (("name", name), ("phone", phone), ("idNumber", id_number)):
        if value is not None and "\x00" in value:
            problems.append(PartyProblem(field, "must not contain NUL characters"))
    if (why := phone_problem(phone)) is not None:
        problems.append(PartyProblem("phone", why))
    if (why := id_number_problem(id_number)) is not None:
        problems.append(PartyProblem("idNumber", why))
    return problems


def normal_id_number(id_number: str | None) -> str | None:
    return id_number.upper() if id_number else None
