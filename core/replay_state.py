"""The alert rows a replay starts from, and the people's actions it carries across (DESIGN §2 "Human actions are never lost").

A replay from day S (first evaluation T0 = 00:00 local of S) rebuilds the machine-made lifecycle of
the county's alerts — raised, escalated, resolved, reopened, evidence, assignee — from T0 on, on the
very rows that hold them, so every alert keeps its id. Before the first evaluation `rewind` puts each
row in its state at T0, as far as the row tells it:

- **wholly before T0** (RESOLVED with `resolved_at` < T0): not touched. The replay reopens it only if
  it finds the finding again (as the nightly sweep would have);
- **open at T0** (raised before T0, not resolved before it): open again, `resolved_at` cleared,
  `escalated_at` kept only if before T0;
- **raised at or after T0**: dormant (RESOLVED, no `resolved_at`): the replay reopens it, same id, on
  the day it finds the finding; one it never finds has *vanished*: it stays RESOLVED, resolved at its
  own `raised_at` (an empty life; a `raised_at` after the replay's last evaluation, left by a
  future-dated run, is brought back to that evaluation).

People's actions are not part of that rebuild: the acknowledgement (at, by, note) and the waiver (at,
by, reason, until) on each row are taken aside and put back at their instants while the replay runs
(`HumanActions.apply`), so an acknowledged alert is not escalated and a waived one is left alone, as
they were live. Waiver fields are never written by a replay. An acknowledgement stays on its alert
unless the rebuilt history raises that alert again after it (resolved, then reopened, after the
person acknowledged it): then, exactly as a live reopen does, the alert is OPEN with a new
acknowledgement period and its row no longer shows the acknowledgement of the earlier raising — the
acknowledgement itself is kept in the audit log (the person's `acknowledgeAlert` entry is never
touched, and the replay's own entry lists it). A row's status is ACKNOWLEDGED or WAIVED after the
replay exactly when the person's action applies to the raising that is open at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import F

from models.alerts import Alert
from models.enums import AlertStatus

MACHINE_FIELDS = (
    "status", "raised_at", "resolved_at", "escalated_at", "severity", "rule_version", "message", "evidence",
    "assignee_id", "notify_head", "township_id",
)
HUMAN_FIELDS = (
    "acknowledged_at", "acknowledged_by", "acknowledge_note", "waived_at", "waived_by", "waive_reason", "waived_until",
)
_ACK_CLEARED = {"acknowledged_at": None, "acknowledged_by": None, "acknowledge_note": None}
_CHUNK = 500

Row = dict[str, Any]


async def snapshot(*, county_id: int) -> dict[str, Row]:
    """Every alert of the county by fingerprint: its id, rule, subject and period, machine and human fields."""
    rows = await Alert.filter(county_id=county_id).values(
        "id", "fingerprint", "rule_id", "subject_code", "period", *MACHINE_FIELDS, *HUMAN_FIELDS
    )
    return {row["fingerprint"]: row for row in rows}


@dataclass(frozen=True, slots=True)
class Action:
    """One person's action on one alert, at its instant: `ack` (fields: by, note) or `waive`."""

    at: datetime
    kind: str
    alert_id: int
    fingerprint: str
    fields: dict[str, Any]


@dataclass(slots=True)
class HumanActions:
    """The acknowledgements and waivers of the rows the replay rebuilds, applied as the replay passes their instants."""

    pending: list[Action]

    async def apply(self, as_of: datetime | None) -> None:
        """Apply, in order, the actions made at or before `as_of` (None: all that remain) to the rows as the
        replay has them now; an action that found its alert resolved or raised again later is not applied."""
        due = [a for a in self.pending if as_of is None or a.at <= as_of]
        if not due:
            return
        self.pending = [a for a in self.pending if not (as_of is None or a.at <= as_of)]
        for action in due:
            alert = await Alert.get(id=action.alert_id)
            if alert.raised_at > action.at:
                continue  # made in an earlier raising than the rebuilt one: see `finish`
            if action.kind == "ack" and alert.status == AlertStatus.OPEN:
                alert.status, alert.acknowledged_at = AlertStatus.ACKNOWLEDGED, action.at
                alert.acknowledged_by, alert.acknowledge_note = action.fields["by"], action.fields["note"]
                await alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "acknowledge_note"])
            elif action.kind == "waive" and alert.status in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED):
                alert.status = AlertStatus.WAIVED  # the waiver's own fields were never taken off the row
                await alert.save(update_fields=["status"])


@dataclass(slots=True)
class Rewound:
    """What `rewind` did: the rows left alone, those open at the start, the dormant ones, and the actions taken aside."""

    untouched: set[int]
    open_at_start: set[int]
    dormant: set[int]
    actions: HumanActions


def _actions(row: Row) -> list[Action]:
    found = []
    if row["acknowledged_at"] is not None:
        found.append(Action(row["acknowledged_at"], "ack", row["id"], row["fingerprint"],
                            {"by": row["acknowledged_by"], "note": row["acknowledge_note"]}))
    if row["waived_at"] is not None:  # it applies if the rebuilt alert is open then (a waiver is made on an open one)
        found.append(Action(row["waived_at"], "waive", row["id"], row["fingerprint"], {"by": row["waived_by"]}))
    return found


async def _update(ids: Iterable[int], **values: Any) -> None:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        await Alert.filter(id__in=ordered[start : start + _CHUNK]).update(**values)


async def _rows(ids: Iterable[int], **conditions: Any) -> list[Alert]:
    """The rows among `ids` that meet `conditions` (read in chunks: SQLite bounds a statement's parameters)."""
    ordered, found = sorted(ids), []
    for start in range(0, len(ordered), _CHUNK):
        found += await Alert.filter(id__in=ordered[start : start + _CHUNK], **conditions)
    return found


async def rewind(*, before: dict[str, Row], first: datetime) -> Rewound:
    """Put every row that is not wholly before `first` (the replay's first evaluation) in its state at `first`."""
    untouched, open_at_start, dormant, actions = set(), set(), set(), []
    for row in before.values():
        if row["status"] == AlertStatus.RESOLVED and row["resolved_at"] is not None and row["resolved_at"] < first:
            untouched.add(row["id"])
            continue
        (open_at_start if row["raised_at"] < first else dormant).add(row["id"])
        actions += _actions(row)
    await _update(open_at_start, status=AlertStatus.OPEN, resolved_at=None, **_ACK_CLEARED)
    late = [before_row["id"] for before_row in before.values() if before_row["id"] in open_at_start
            and before_row["escalated_at"] is not None and before_row["escalated_at"] >= first]
    await _update(late, escalated_at=None)
    await _update(dormant, status=AlertStatus.RESOLVED, resolved_at=None, escalated_at=None, **_ACK_CLEARED)
    actions.sort(key=lambda a: (a.at, a.kind, a.alert_id))
    return Rewound(untouched, open_at_start, dormant, HumanActions(actions))


@dataclass(frozen=True, slots=True)
class Settled:
    """The fingerprints that vanished, and the acknowledgements of an earlier raising (no longer on their rows)."""

    vanished: list[str]
    superseded: list[Action]


async def finish(*, rewound: Rewound, before: dict[str, Row], last: datetime) -> Settled:
    """After the last evaluation (`last`): apply the actions made since, settle the vanished rows, and put back
    every acknowledgement made in the raising each row ends with."""
    await rewound.actions.apply(None)
    never_found = await _rows(rewound.dormant, status=AlertStatus.RESOLVED, resolved_at=None)
    await _update([a.id for a in never_found if a.raised_at > last], raised_at=last)  # left by a future-dated run
    await _update([a.id for a in never_found], resolved_at=F("raised_at"))
    vanished = [a.fingerprint for a in never_found]
    by_id = {row["id"]: row for row in before.values()}
    superseded = []
    acknowledged = {i for i in rewound.open_at_start | rewound.dormant if by_id[i]["acknowledged_at"] is not None}
    for alert in await _rows(acknowledged, acknowledged_at=None):
        row = by_id[alert.id]
        if row["acknowledged_at"] >= alert.raised_at:  # acknowledged in the raising it ends with: it stays
            alert.acknowledged_at, alert.acknowledged_by = row["acknowledged_at"], row["acknowledged_by"]
            alert.acknowledge_note = row["acknowledge_note"]
            if alert.status == AlertStatus.OPEN:  # an OPEN row never carries an acknowledgement (it would not escalate)
                alert.status = AlertStatus.ACKNOWLEDGED
            await alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "acknowledge_note"])
        else:
            superseded.append(Action(row["acknowledged_at"], "ack", alert.id, alert.fingerprint,
                                     {"by": row["acknowledged_by"], "note": row["acknowledge_note"]}))
    return Settled(sorted(vanished), superseded)


__all__ = ["Action", "Settled", "HUMAN_FIELDS", "HumanActions", "MACHINE_FIELDS", "Rewound", "Row", "finish", "rewind", "snapshot"]
