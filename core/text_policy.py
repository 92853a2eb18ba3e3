"""One policy for the text and dates users type, by kind: the API's inputs (schema/input_policy.py) and the
`lianxi/v1` import (server/load/validate*.py) both ask these functions, so an import accepts what the API accepts.

Why each rule exists:
- codes and phones are compared and dialled as ASCII digits: `\\d` (and `str.isdigit`) also match Arabic-Indic
  `٣` or full-width `３`, which look right and never match a stored code, so only `[0-9]` counts;
- a phone has at least `MIN_PHONE_DIGITS` digits (`-----` is not a phone);
- names and titles are shown in tables, terminals and spreadsheets: no control characters (ESC, BEL, NUL, line
  breaks…), no bidirectional overrides (U+202A–U+202E, U+2066–U+2069, which make `txt.exe` read `exe.txt`), and
  not made only of zero-width characters and spaces (a name no one can see; only spaces is an empty text, which
  each write treats as empty);
- free text (notes, reasons) may hold tabs and line breaks, nothing else of the kind;
- every text has a length limit (`LIMITS`), so 30 aliased reads of one alert cannot return 18 MB;
- dates and months lie within the API's years (core/periods.py: 1900–2100).

The limits are documented in README ("Input policy").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum

from core.periods import FIRST_YEAR, LAST_YEAR


class TextKind(Enum):
    """What a text input is; each kind has its rule (`text_problem`)."""

    CODE = "code"  # a unit code: ASCII digits (a party group's: its village's code, P, digits)
    PHONE = "phone"  # ASCII digits, optionally a leading +, spaces and hyphens
    ID_NUMBER = "idNumber"  # a resident ID number: 17 ASCII digits and a check digit or X
    NAME = "name"  # a person's or unit's name, a title: one visible line
    NOTE = "note"  # free text: notes, reasons; tabs and line breaks allowed
    MONTH = "month"  # a local month YYYY-MM
    TEXT = "text"  # any other text (filters, numbers, keys): one line


LIMITS: dict[TextKind, int] = {
    TextKind.CODE: 32, TextKind.PHONE: 32, TextKind.ID_NUMBER: 18, TextKind.NAME: 200, TextKind.NOTE: 2000, TextKind.MONTH: 7, TextKind.TEXT: 200,
}
MIN_PHONE_DIGITS = 5

CODE = re.compile(r"[0-9]+(?:P[0-9]+)?")
PHONE = re.compile(r"\+?[0-9][0-9 \-]*")
ID_NUMBER = re.compile(r"[0-9]{17}[0-9Xx]")
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# control characters (Unicode category Cc: C0, DEL, C1), bidirectional controls, surrogates and the non-characters XML forbids
FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
# spaces, zero-width and filler characters (U+200B–U+200F, U+2060–U+2064, BOM, soft hyphen, Hangul fillers…): a text of
# only these is invisible
VISIBLE = re.compile("[^\\s\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u2060-\u2064\u3164\ufe00-\ufe0f\ufeff\uffa0]")
NO_DIGITS = str.maketrans("", "", "0123456789")
NOTE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def _forbidden(character: str) -> str:
    """What is wrong with a character no input may hold."""
    if character in BIDI_CONTROLS:
        return f"must not contain bidirectional control characters (U+{ord(character):04X})"
    if unicodedata.category(character) == "Cc":
        return f"must not contain control characters (U+{ord(character):04X})"
    return f"must not contain the non-character U+{ord(character):04X}"


def invisible(text: str) -> bool:
    """Only spaces and zero-width or filler characters: nothing a reader would see."""
    return VISIBLE.search(text) is None


def _phone_problem(text: str) -> str | None:
    if PHONE.fullmatch(text) is None or len(text) - len(text.translate(NO_DIGITS)) < MIN_PHONE_DIGITS:
        return f"a phone number has at least {MIN_PHONE_DIGITS} ASCII digits 0-9 (and + - or spaces) only"
    return None


def _code_problem(text: str) -> str | None:
    if CODE.fullmatch(text) is None:
        return f"a unit code has ASCII digits 0-9 only (a party group's: its village's code, P, digits); got {text!r}"
    return None


def _id_number_problem(text: str) -> str | None:
    return "a resident ID number has 17 digits and a check digit or X" if ID_NUMBER.fullmatch(text) is None else None


SHAPES: dict[TextKind, Callable[[str], str | None]] = {
    TextKind.CODE: _code_problem, TextKind.PHONE: _phone_problem, TextKind.ID_NUMBER: _id_number_problem,
}
INVISIBLE = "must contain visible characters (not only spaces or zero-width characters)"


def checker(kind: TextKind) -> Callable[[str], str | None]:
    """The rule of one kind as a function of the text alone (made once per kind: the schema calls it per value,
    and a request may carry 30,000 values)."""
    limit, visible, shape = LIMITS[kind], kind in (TextKind.NAME, TextKind.NOTE), SHAPES.get(kind)
    forbidden = NOTE_FORBIDDEN if kind is TextKind.NOTE else FORBIDDEN
    if kind is TextKind.MONTH:
        shape = month_problem

    def check(text: str) -> str | None:
        if len(text) > limit:
            return f"at most {limit} characters (got {len(text)})"
        if not (text.isascii() and text.isprintable()):  # the usual case needs no look at each character
            if (found := forbidden.search(text)) is not None:
                return _forbidden(found.group())
            if visible and text.strip() and invisible(text):  # only spaces is empty: the write's "must not be empty"
                return INVISIBLE
        return shape(text) if shape is not None and (text or kind is TextKind.MONTH) else None

    return check


def text_problem(kind: TextKind, text: str) -> str | None:
    """Why `text` is not acceptable as a `kind` (None: it is). Emptiness is the caller's (an empty optional text clears)."""
    return CHECKERS[kind](text)


def month_problem(text: str) -> str | None:
    """Why `text` is not a month `YYYY-MM` in ASCII digits within the API's years (None: it is)."""
    matched = MONTH.fullmatch(text)
    if matched is None or not 1 <= int(matched.group(2)) <= 12:
        return f"expected a month YYYY-MM in ASCII digits, e.g. 2026-12; got {text!r}"
    return year_problem(int(matched.group(1)))


def year_problem(year: int) -> str | None:
    """Why a date of `year` is outside the API's years (None: it is inside)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got the year {year}"
    return None


def date_problem(day: date) -> str | None:
    """A date or an instant (`datetime` is a `date`) outside the API's years (the words of core/periods.py)."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    if isinstance(day, datetime):
        return f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got {day.isoformat()}"
    return f"must be a date between {FIRST_YEAR} and {LAST_YEAR}; got {day.isoformat()}"


CHECKERS: dict[TextKind, Callable[[str], str | None]] = {kind: checker(kind) for kind in TextKind}
