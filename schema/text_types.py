"""The kinds of text an input can be, as Python types: `name: PersonName` declares the field's policy where the field is
declared; schema/input_policy.py applies it (core/text_policy.py says what each kind accepts). The GraphQL type of each
is `String`, as the API contract names it; an input of plain `str` is `TextKind.TEXT`."""

from __future__ import annotations

from typing import Annotated

from core.text_policy import TextKind

UnitCode = Annotated[str, TextKind.CODE]
Phone = Annotated[str, TextKind.PHONE]
IdNumber = Annotated[str, TextKind.ID_NUMBER]
PersonName = Annotated[str, TextKind.NAME]  # names of people and units
Title = Annotated[str, TextKind.NAME]  # titles of meetings and cases: the same rule as names
Note = Annotated[str, TextKind.NOTE]  # notes and reasons: free text
Month = Annotated[str, TextKind.MONTH]
