"""The code rules of every unit, shared by the import (`lianxi load`) and the roster mutations.

Codes follow the statistical division codes and extend their parent's code, so a jurisdiction is
a code prefix (ASCII digits only: `\\d` would also match full-width digits): county 6 digits, township 9, village 12; grids add 2 digits to their village,
household groups 2 to their grid, party groups `P` + digits to their village.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CodeShape:
    pattern: str  # the whole code, or only the part after the parent's code when `suffix_only`
    shape: str
    suffix_only: bool = False


UNIT_CODES: dict[str, CodeShape] = {
    "county": CodeShape(r"[0-9]{6}", "6 digits"),
    "township": CodeShape(r"[0-9]{9}", "9 digits"),
    "village": CodeShape(r"[0-9]{12}", "12 digits"),
    "grid": CodeShape(r"[0-9]{2}", "its village code + 2 digits", suffix_only=True),
    "household group": CodeShape(r"[0-9]{2}", "its grid code + 2 digits", suffix_only=True),
    "party group": CodeShape(r"P[0-9]{1,7}", "its village code + P + digits", suffix_only=True),
}


def code_problem(what: str, code: str, parent: str | None) -> str | None:
    """Why `code` is not a valid code for a unit of kind `what` under `parent` (None: it is)."""
    rule = UNIT_CODES[what]
    if rule.suffix_only:
        if parent is None:
            return None  # the parent's code is reported as wrong on its own
        ok = code.startswith(parent) and re.fullmatch(rule.pattern, code[len(parent) :]) is not None
        expected = f"{rule.shape} ({parent}…)"
    else:
        ok = re.fullmatch(rule.pattern, code) is not None and (parent is None or code.startswith(parent))
        expected = rule.shape if parent is None else f"{rule.shape} starting with its parent's code {parent}"
    return None if ok else f"{what} code must be {expected}, got {code!r}"
