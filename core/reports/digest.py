"""The report digest: SHA-256 over a canonical JSON of the findings, identical on SQLite and PostgreSQL.

Canonical: the findings in report order, each `ReportFinding.canonical()` (no alert state, no run
id, no generation time; evidence with natural keys only), serialised with sorted keys, no
whitespace, UTF-8 (not ASCII-escaped). Anyone can recompute it from the JSON format:
`sha256(json.dumps([f minus "alert" for f in findings], sort_keys=True, separators=(",", ":"),
ensure_ascii=False).encode())` (tests/reports check exactly that).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from core.reports.model import ReportFinding


def canonical_json(findings: Iterable[dict[str, Any]]) -> bytes:
    """The exact bytes the digest is taken over."""
    return json.dumps(list(findings), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def findings_digest(findings: Iterable[ReportFinding]) -> str:
    """Hex SHA-256 of the canonical findings."""
    return hashlib.sha256(canonical_json(f.canonical() for f in findings)).hexdigest()
