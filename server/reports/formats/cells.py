"""Text that users typed, made safe for the file it is written into: spreadsheets, XML and terminals.

A report carries names, titles, case numbers and reasons as users typed them (or as an old import
stored them). Three readers would otherwise act on that text instead of showing it:

- a spreadsheet reads a cell that begins with `=`, `+`, `-`, `@`, tab or CR as a formula
  (OWASP "CSV injection"): such a text cell is written with a leading `'`, which Excel and LibreOffice
  show as text; a text that is a plain number (`-3`, `+1.5`) is left as it is, and numbers stay numbers;
- XML (XLSX parts, and HTML as a backstop) cannot hold control characters other than tab, LF and CR:
  they are removed here, so old data never makes an export fail (new input refuses them: core/text_policy.py);
- rich reads `[...]` as markup: the terminal format passes user text as `Text` objects, never markup strings.
"""

from __future__ import annotations

import re

from server.reports.formats.sections import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?", re.ASCII)
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (control characters other than tab, LF and CR)."""
    return XML_FORBIDDEN.sub("", text)


def neutral_text(text: str) -> str:
    """A text a spreadsheet shows as typed: one that would start a formula gets a leading `'`."""
    if text.startswith(FORMULA_STARTS) and PLAIN_NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def spreadsheet_cell(value: Cell) -> Cell:
    """A cell for CSV or XLSX: numbers and empty cells as they are, text neutralised and XML-safe."""
    if isinstance(value, str):
        return neutral_text(xml_safe(value))
    return value
