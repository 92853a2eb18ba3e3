"""The figures the README quotes are read out of it and compared with what the demo produces, so they cannot go stale:
the 2023 report's findings and digest, the ledgers it lists, `/healthz`'s migrations, and the demo tokens' scopes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from core.reports.service import run_report
from core.settings import Settings
from server.app import _available_migrations
from server.auth.tokens import demo_scopes
from server.cli.demo import REPORT_AS_OF
from server.demo.plan import COUNTY_CODE, YEAR

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def quoted(pattern: str) -> tuple[str, ...]:
    """The groups of the one place in the README that matches `pattern` (spaces match any whitespace, line breaks too)."""
    found = re.findall(pattern.replace(" ", r"\s+"), README)
    assert len(found) == 1, f"README: expected one match of {pattern!r}, found {len(found)}"
    return found[0] if isinstance(found[0], tuple) else (found[0],)


def number(text: str) -> int:
    return int(text.replace(",", ""))


async def test_the_report_figures_are_the_demo_s(demo: str) -> None:
    findings, digest = quoted(r"has (\d+) findings and digest `([0-9a-f]{64})`")
    ledgers, collected, succeeded, failed, still_open = quoted(
        r"demo's (\d+) ledgers add up to ([\d,]+) collected and ([\d,]+) mediated successfully \((\d+) failed, (\d+) still")
    report = await run_report(rules=Settings().rules, county_code=COUNTY_CODE, first_day=date(YEAR, 1, 1), last_day=date(YEAR, 12, 31),
                              as_of=REPORT_AS_OF, actor="test")
    produced = {"findings": len(report.findings), "digest": report.digest, "ledgers": len(report.ledger),
                "collected": sum(r.collected for r in report.ledger), "resolved": sum(r.resolved for r in report.ledger),
                "mediated": sum(r.mediated for r in report.ledger), "open": sum(r.open for r in report.ledger)}
    assert (number(findings), digest) == (produced["findings"], produced["digest"])
    assert (number(ledgers), number(collected), number(succeeded), number(still_open)) == (
        produced["ledgers"], produced["collected"], produced["resolved"], produced["open"])
    assert number(failed) == produced["collected"] - produced["resolved"] - produced["open"]


async def test_healthz_sample_counts_the_migrations_there_are(demo: str, client_for: Callable[..., Any]) -> None:
    (applied,) = quoted(r'"migrations": \{"state": "current", "applied": (\d+), "pending": \[\]\}')
    health = (await (await client_for("ADMIN")).get("/healthz")).json()
    assert health["migrations"] == {"state": "current", "applied": number(applied), "pending": []}
    assert number(applied) == len(_available_migrations())


async def test_the_access_table_codes_are_the_demo_tokens_scopes(demo: str) -> None:
    """`| VILLAGE | village code 522728109201 |`: a reader trying the example with the demo's VILLAGE token must be covered."""
    scopes = await demo_scopes(COUNTY_CODE)
    for role, scope in scopes.items():
        codes = re.findall(rf"^\| `{role.value}` \| [^|`]*`(\d+)`", README, re.M)
        assert codes in ([], [scope]), f"README's access table scopes {role.value} to {codes}; the demo's token is scoped to {scope}"
    assert re.findall(r"^\| `VILLAGE` \| [^|`]*`(\d+)`", README, re.M), "the access table names the VILLAGE code"
