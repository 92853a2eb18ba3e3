"""What a replay changed (or, in a dry run, would change), alert by alert, counted per rule.

The comparison is between the county's alerts before the replay and after it, by fingerprint, so
it says what a person looking at the alerts would see change — whatever path the engine took to
get there. Each alert falls in at most one lifecycle kind (raised, reopened, resolved, escalated,
retimed, updated) and is counted once under its rule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.enums import AlertStatus
from core.replay_state import Action, Row

KINDS = ("raised", "reopened", "resolved", "escalated", "retimed", "updated")
_EXAMPLES = 3
_DETAIL = ("severity", "rule_version", "message", "evidence", "assignee_id", "notify_head", "township_id")


@dataclass(slots=True)
class ReplayChanges:
    """Per rule, per kind: how many alerts; a few examples per kind; the vanished alerts and the
    acknowledgements of an earlier raising; and the status counts before and after."""

    per_rule: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    vanished: list[str] = field(default_factory=list)
    superseded: list[dict[str, Any]] = field(default_factory=list)
    statuses_before: Counter[str] = field(default_factory=Counter)
    statuses_after: Counter[str] = field(default_factory=Counter)

    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.per_rule.values():
            total.update(counts)
        return total

    @property
    def changed(self) -> int:
        return sum(self.totals().values()) + len(self.superseded)

    def as_record(self) -> dict[str, Any]:
        """For the audit entry and `--json`-like uses: plain values only."""
        return {
            "changes": {kind: self.totals().get(kind, 0) for kind in KINDS},
            "perRule": {rule: dict(counts) for rule, counts in sorted(self.per_rule.items())},
            "vanished": self.vanished,
            "acknowledgementsOfAnEarlierRaising": self.superseded,
            "statusesBefore": dict(self.statuses_before),
            "statusesAfter": dict(self.statuses_after),
        }


def _open(row: Row) -> bool:
    return row["status"] != AlertStatus.RESOLVED


def _kind(old: Row | None, new: Row) -> str | None:
    if old is None:
        return "raised"
    if not _open(old) and _open(new):
        return "reopened"
    if _open(old) and not _open(new):
        return "resolved"
    if old["escalated_at"] is None and new["escalated_at"] is not None:
        return "escalated"
    if any(old[k] != new[k] for k in ("raised_at", "resolved_at", "escalated_at")):
        return "retimed"
    if old["status"] != new["status"] or any(old[k] != new[k] for k in _DETAIL):
        return "updated"
    return None


def _when(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment is not None else "—"


def _describe(row: Row | None, tz: ZoneInfo) -> str:
    if row is None:
        return "absent"
    text = f"{row['status']} raised {_when(row['raised_at'], tz)}"
    if row["escalated_at"] is not None:
        text += f", escalated {_when(row['escalated_at'], tz)}"
    if row["resolved_at"] is not None:
        text += f", resolved {_when(row['resolved_at'], tz)}"
    return text


def compare(
    *, before: dict[str, Row], after: dict[str, Row], vanished: list[str], superseded: list[Action], tz: ZoneInfo
) -> ReplayChanges:
    """Classify every alert of `after` against `before` (a replay never removes one)."""
    changes = ReplayChanges(vanished=vanished)
    changes.statuses_before.update(str(row["status"]) for row in before.values())
    changes.statuses_after.update(str(row["status"]) for row in after.values())
    for fp, new in sorted(after.items()):
        old = before.get(fp)
        if (kind := _kind(old, new)) is None:
            continue
        changes.per_rule[new["rule_id"]][kind] += 1
        if len(changes.examples[kind]) < _EXAMPLES:
            changes.examples[kind].append(f"{fp} (id {new['id']}): {_describe(old, tz)} → {_describe(new, tz)}")
    changes.superseded = [
        {"alertId": a.alert_id, "fingerprint": a.fingerprint, "acknowledgedAt": a.at.isoformat(),
         "acknowledgedBy": a.fields["by"], "note": a.fields["note"]}
        for a in superseded
    ]
    return changes


__all__ = ["KINDS", "ReplayChanges", "compare"]
