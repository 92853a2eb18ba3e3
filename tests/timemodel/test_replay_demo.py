"""The Done-when story of issue 23 on the Luodian demo: a bureau acknowledges five alerts through the API,
then an operator replays the county's history — as a dry run, applied, and from a later day."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core import clock
from core.replay import export_alerts
from models.alerts import Alert, RuleRun
from models.audit import AuditEntry
from models.enums import AlertStatus
from tests.timemodel.test_boundary_stories import lianxi
from tests.writes import gid, mutate

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2024, 1, 10, 10, tzinfo=SHANGHAI)
ACK = 'mutation($id: ID!, $note: String) { acknowledgeAlert(id: $id, note: $note) { alert { status } userErrors { code } } }'
NO_CHANGE = "would change: 0 raised, 0 reopened, 0 resolved, 0 escalated, 0 retimed, 0 updated; 0 vanished; 0 acknowledgements"


async def rows() -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in await Alert.filter(county__code="522728").values()}


def replay(db: str, *args: str) -> str:
    done = lianxi(db, "replay", "--county", "522728", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


async def test_a_replay_after_five_acknowledgements_keeps_them_and_leaves_the_past_alone(
    demo: str, client_for  # type: ignore[no-untyped-def]
) -> None:
    with clock.frozen(TODAY):
        replay(demo, "--from", "2023-01-01", "--apply")  # the history, as `lianxi demo` builds it
        bureau = await client_for("BUREAU", "522728")
        five = await Alert.filter(status=AlertStatus.OPEN).order_by("raised_at", "id").limit(5).values_list("id", flat=True)
        for n, alert_id in enumerate(five):
            payload = await mutate(bureau, ACK, id=gid("Alert", alert_id), note=f"已督办 {n}")
            assert payload["userErrors"] == [] and payload["alert"]["status"] == "ACKNOWLEDGED"
        before, exported = await rows(), await export_alerts(county_code="522728")
        runs, audit = await RuleRun.all().count(), await AuditEntry.filter(entity="replay").count()

        dry = replay(demo, "--from", "2023-01-01")
        assert "dry run, nothing written" in dry and NO_CHANGE in dry, dry
        assert await rows() == before and await RuleRun.all().count() == runs
        assert await AuditEntry.filter(entity="replay").count() == audit

        applied = replay(demo, "--from", "2023-01-01", "--apply")
        assert "(applied)" in applied and NO_CHANGE.replace("would change", "changed") in applied, applied
        after = await rows()
        assert set(after) == set(before) and await export_alerts(county_code="522728") == exported
        for n, alert_id in enumerate(five):
            assert after[alert_id]["status"] == AlertStatus.ACKNOWLEDGED and after[alert_id]["acknowledge_note"] == f"已督办 {n}"
            assert after[alert_id]["acknowledged_at"] == before[alert_id]["acknowledged_at"] == TODAY
            assert after[alert_id]["acknowledged_by"] == before[alert_id]["acknowledged_by"] == "test-bureau"
        assert await AuditEntry.filter(entity="replay").count() == audit + 1

        later = datetime(2023, 10, 1, tzinfo=SHANGHAI)
        replay(demo, "--from", "2023-10-01", "--apply")
        again = await rows()
        assert set(again) == set(after) and await export_alerts(county_code="522728") == exported
        past = [i for i, row in after.items() if row["status"] == AlertStatus.RESOLVED and row["resolved_at"] < later]
        assert len(past) > 10 and all(again[i] == after[i] for i in past)  # wholly before --from: every column as it was
        assert await AuditEntry.filter(entity="replay").count() == audit + 2
    [entry] = await AuditEntry.filter(entity="replay").order_by("-id").limit(1).values()
    assert entry["county_code"] == "522728" and entry["after"]["alerts"] == len(before)
    assert date.fromisoformat(entry["before"]["from"]) == date(2023, 10, 1)
