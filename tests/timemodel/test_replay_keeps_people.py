"""A replay rebuilds the machine's alert history and keeps what people did (DESIGN §2 "Human actions are never lost").

The bureau of 罗甸县 acknowledges and waives alerts while the nightly sweeps run; an operator then
replays part or all of the history from the command line. Every alert keeps its row, its id and
the people's actions; a dry run writes nothing; `--apply` writes once, with one audit entry.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from core import clock
from core.alerts import acknowledge_alert, waive_alert
from core.audit import Actor
from core.compliance import run_compliance
from core.replay import export_alerts, sweep_as_of
from models.alerts import Alert, RuleRun
from models.audit import AuditEntry
from models.enums import AlertStatus, CaseEventType
from rules.config import RulesConfig
from tests.rules import factories as f
from tests.timemodel.test_boundary_stories import lianxi
from tests.timemodel.test_replay import _small_county

SHANGHAI = ZoneInfo("Asia/Shanghai")
START, END = date(2023, 1, 1), date(2023, 4, 20)
BUREAU = Actor("bureau-clerk")


def local(day: date, hour: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


async def sweep(first: date, last: date) -> None:
    """The nightly sweeps of these days, as the server runs them."""
    day = first
    while day <= last:
        await run_compliance(rules=RulesConfig(), county_code="522728", as_of=sweep_as_of(day, SHANGHAI), trigger="SWEEP")
        day += timedelta(days=1)


async def rows() -> dict[str, dict[str, Any]]:
    """Every alert row by fingerprint, every column (id included)."""
    return {row["fingerprint"]: row for row in await Alert.all().values()}


def differences(old: bytes, new: bytes) -> list[tuple[str, dict[str, Any]]]:
    """The fields of two exports that differ, by fingerprint (an assertion's message)."""
    found = []
    for a, b in zip(old.splitlines(), new.splitlines(), strict=True):
        was, now = orjson.loads(a), orjson.loads(b)
        if was != now:
            found.append((now["fingerprint"], {k: (was[k], now[k]) for k in was if was[k] != now[k]}))
    return found[:5]


def last_month(period: str) -> tuple[int, int]:
    """(year, month) of a period's last month: `2023-05` → (2023, 5), `2023-Q2` → (2023, 6)."""
    year, part = period.split("-")
    return int(year), int(part[1]) * 3 if part.startswith("Q") else int(part)


async def acknowledge(count: int, at: datetime, note: str) -> list[int]:
    """The bureau acknowledges the `count` oldest open alerts at `at`."""
    ids = await Alert.filter(status=AlertStatus.OPEN).order_by("raised_at", "id").limit(count).values_list("id", flat=True)
    for alert_id in ids:
        await acknowledge_alert(alert_id=alert_id, actor=BUREAU, note=note, at=at)
    return list(ids)


async def _history_with_people() -> tuple[list[int], int]:
    """Nightly sweeps from January to 04-20; acknowledgements on 03-10 and 04-20, a waiver on 03-12 that runs out on
    04-05, and one without expiry on 04-20."""
    await _small_county()
    await sweep(START, date(2023, 3, 10))
    early = await acknowledge(2, local(date(2023, 3, 10), 10), "已督办")
    await sweep(date(2023, 3, 11), date(2023, 3, 12))
    waived = await Alert.filter(status=AlertStatus.OPEN).order_by("id").first()
    assert waived is not None
    await waive_alert(alert_id=waived.id, actor=Actor("bureau-head"), reason="乡镇合并过渡期", until=date(2023, 4, 5),
                      at=local(date(2023, 3, 12), 11))
    await sweep(date(2023, 3, 13), END)
    late = await acknowledge(3, local(END, 10), "收到")
    lasting = await Alert.filter(status=AlertStatus.OPEN).order_by("-id").first()
    assert lasting is not None
    await waive_alert(alert_id=lasting.id, actor=Actor("bureau-head"), reason="已报县委同意", until=None, at=local(END, 11))
    return early + late, waived.id


async def test_a_replay_of_part_or_all_of_the_history_keeps_every_alert_its_id_and_what_people_did(orm: str) -> None:
    """The reproduction of "a replay destroys history": it deleted every alert and rebuilt them with new ids,
    later raisedAt and no acknowledgement."""
    acknowledged, waived = await _history_with_people()
    before, live = await rows(), await export_alerts(county_code="522728")
    assert len(before) > 20 and before  # a history worth keeping
    with clock.frozen(local(END, 12)):
        for first in ("2023-03-01", "2023-01-01", "2023-04-10"):
            previous = await rows()
            done = lianxi(orm, "replay", "--county", "522728", "--from", first, "--apply")
            assert done.returncode == 0, done.stdout + done.stderr
            assert "(applied)" in done.stdout and "would change" not in done.stdout
            after = await rows()
            assert {fp: row["id"] for fp, row in after.items()} == {fp: row["id"] for fp, row in before.items()}
            exported = await export_alerts(county_code="522728")
            assert exported == live, differences(live, exported)  # the same history, people's actions included
            for fp, row in previous.items():
                if row["status"] == AlertStatus.RESOLVED and row["resolved_at"] < local(date.fromisoformat(first)):
                    assert after[fp] == row, fp  # wholly before --from: not touched at all
    now = await rows()
    for alert_id in acknowledged:
        row = next(r for r in now.values() if r["id"] == alert_id)
        assert row["acknowledged_by"] == "bureau-clerk" and row["acknowledge_note"] in ("已督办", "收到")
    assert next(r for r in now.values() if r["id"] == waived)["waive_reason"] == "乡镇合并过渡期"
    assert [r["waive_reason"] for r in now.values() if r["status"] == AlertStatus.WAIVED] == ["已报县委同意"]
    assert await AuditEntry.filter(entity="replay").count() == 3


async def test_a_dry_run_prints_what_would_change_and_writes_nothing(orm: str) -> None:
    acknowledged, _ = await _history_with_people()
    # the petition was settled on 03-01 after all: recorded now, backdated, without its re-evaluation
    petition = await f.Case.get(number="P3")
    await f.add_event(petition, CaseEventType.RESOLVED, local(date(2023, 3, 1), 9), outcome="MEDIATED")
    before, runs, audit = await rows(), await RuleRun.all().count(), await AuditEntry.all().count()
    with clock.frozen(local(END, 12)):
        dry = lianxi(orm, "replay", "--county", "522728", "--from", "2023-02-01")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "dry run, nothing written (--apply to write)" in dry.stdout
    assert "would change: 0 raised, 0 reopened, 1 resolved" in dry.stdout and "2 vanished" in dry.stdout
    assert "e.g. resolved: case.acceptance_overdue|P3" in dry.stdout
    assert "vanished (never found from 2023-02-01 on; resolved, kept): case.acceptance_overdue|P3" in dry.stdout
    assert await rows() == before and await RuleRun.all().count() == runs and await AuditEntry.all().count() == audit
    with clock.frozen(local(END, 12)):
        applied = lianxi(orm, "replay", "--county", "522728", "--from", "2023-02-01", "--apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    after = await rows()
    assert set(after) == set(before) and all(after[fp]["id"] == before[fp]["id"] for fp in before)
    settled = after["case.acceptance_overdue|P3"]  # raised 03-16 live; the rebuilt history never raises it
    assert settled["status"] == AlertStatus.RESOLVED and settled["raised_at"] == settled["resolved_at"] == local(date(2023, 3, 16))
    [entry] = await AuditEntry.filter(entity="replay").values()
    assert entry["county_code"] == "522728" and entry["entity_key"] == "522728" and entry["actor"] == "cli:replay"
    assert entry["before"]["alerts"] == len(before) and entry["after"]["alerts"] == len(after)
    assert entry["after"]["perRule"]["case.acceptance_overdue"] == {"resolved": 1}
    assert entry["after"]["vanished"] == ["case.acceptance_overdue|P3", "case.due_soon|P3"]
    for alert_id in acknowledged:
        assert next(r for r in after.values() if r["id"] == alert_id)["acknowledged_by"] == "bureau-clerk"


async def test_a_replay_to_a_day_after_today_is_refused_and_changes_nothing(orm: str) -> None:
    await _small_county()
    await sweep(START, date(2023, 1, 20))
    before = await rows()
    with clock.frozen(local(date(2023, 1, 20), 12)):
        refused = lianxi(orm, "replay", "--county", "522728", "--from", "2023-01-01", "--to", "2023-01-21", "--apply")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    message = refused.stderr.strip()
    assert len(message.splitlines()) == 1 and "--to 2023-01-21 is after today (2023-01-20" in message
    with clock.frozen(local(date(2023, 1, 20), 12)):
        later = lianxi(orm, "replay", "--county", "522728", "--from", "2023-01-21", "--apply")  # --to: today
    assert later.returncode == 2 and later.stderr.strip().startswith("lianxi replay: --from 2023-01-21 is after today")
    assert await rows() == before and not await AuditEntry.filter(entity="replay").exists()


async def test_a_county_frozen_by_a_future_dated_run_is_brought_back_by_a_replay(orm: str) -> None:
    """An older bug accepted a check dated in the future (2100-12-31 in the report; here 2023-12-31 on 2023-04-03):
    alerts for months that have not happened, and every later sweep or check refused as earlier than the latest
    run. `lianxi replay --from D --apply` brings the county back."""
    await _small_county()
    await sweep(START, date(2023, 3, 31))
    with clock.frozen(local(date(2024, 1, 1))):  # how the run got in (today such an as-of is refused)
        await run_compliance(rules=RulesConfig(), county_code="522728", as_of=local(date(2023, 12, 31)), trigger="MANUAL")
    frozen = await rows()
    assert any(row["period"] == "2023-11" for row in frozen.values())
    today = local(date(2023, 4, 3), 10)
    with clock.frozen(today):
        refused = lianxi(orm, "check", "--county", "522728")
        assert refused.returncode == 2 and "2023-12-31" in refused.stderr, refused.stdout + refused.stderr
        done = lianxi(orm, "replay", "--county", "522728", "--from", "2023-03-01", "--apply")
        assert done.returncode == 0, done.stdout + done.stderr
        after = await rows()
        assert {fp: row["id"] for fp, row in after.items()} == {fp: row["id"] for fp, row in frozen.items()}  # none lost
        assert not await RuleRun.filter(as_of__gt=today).exists()
        for row in after.values():
            assert all(row[k] is None or row[k] <= today for k in ("raised_at", "resolved_at", "escalated_at")), row
            if row["period"] is not None and last_month(row["period"]) > (2023, 4) and row["rule_id"] != "cadence.thematic_at_risk":
                assert row["status"] == AlertStatus.RESOLVED, row  # a month that has not closed yet
        assert lianxi(orm, "check", "--county", "522728").returncode == 0  # the sweep and the checks go on


async def test_an_acknowledgement_of_a_raising_the_rebuilt_history_closes_stays_in_the_audit_log(orm: str) -> None:
    """The bureau acknowledged D2's overdue alert on 02-25. Later the township records, backdated, that the dispute
    was settled on 03-01 and came back on 03-15. The rebuilt history resolves the alert on 03-02 and raises it
    again on 03-16: as a live reopen does, the new raising is OPEN and unacknowledged (it escalates after A days);
    the acknowledgement of the earlier raising stays in the audit log and is listed by the replay."""
    await _small_county()
    await sweep(START, date(2023, 2, 25))
    overdue = await Alert.get(fingerprint="case.overdue|D2")
    await acknowledge_alert(alert_id=overdue.id, actor=BUREAU, note="已督办", at=local(date(2023, 2, 25), 10))
    await sweep(date(2023, 2, 26), date(2023, 3, 20))
    dispute = await f.Case.get(number="D2")
    await f.add_event(dispute, CaseEventType.RESOLVED, local(date(2023, 3, 1), 9), outcome="MEDIATED")
    await f.add_event(dispute, CaseEventType.REOPENED, local(date(2023, 3, 15), 9))
    with clock.frozen(local(date(2023, 3, 20), 12)):
        done = lianxi(orm, "replay", "--county", "522728", "--from", "2023-02-01", "--apply")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "acknowledgement of an earlier raising (kept in the audit log): case.overdue|D2 by bureau-clerk" in done.stdout
    alert = await Alert.get(fingerprint="case.overdue|D2")
    assert alert.id == overdue.id and alert.status == AlertStatus.OPEN and alert.acknowledged_at is None
    assert alert.raised_at == local(date(2023, 3, 16)) and alert.escalated_at == local(date(2023, 3, 20))
    acknowledged = await AuditEntry.get(action="acknowledgeAlert", entity_key="case.overdue|D2")
    assert acknowledged.after["acknowledgedBy"] == "bureau-clerk" and acknowledged.after["acknowledgeNote"] == "已督办"
    [entry] = await AuditEntry.filter(entity="replay").values_list("after", flat=True)
    assert [(a["fingerprint"], a["acknowledgedBy"], a["note"]) for a in entry["acknowledgementsOfAnEarlierRaising"]] == [
        ("case.overdue|D2", "bureau-clerk", "已督办")
    ]
