"""The case state machine: which timeline event may follow which state (DESIGN §1, the petition rules).

One definition used by the import (`server/load`) and by `addCaseEvent`: only petitions are
accepted or rejected, and only while just reported; escalation goes strictly upward on an open
case; extensions only on an accepted petition, with an approver, at most the county's `max_extension_days`
(catalog parameter of `case.overdue`, default 30) in all;
nothing but REOPENED follows CLOSED; only open cases are resolved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from models.enums import LEVEL_RANK, OPEN_CASE_STATUSES, CaseEventType, CaseKind, CaseLevel, CaseStatus


@dataclass(frozen=True, slots=True)
class TimelineState:
    status: CaseStatus
    level: CaseLevel
    accepted: bool
    extended_days: int


def refusal(*, kind: CaseKind, status: CaseStatus, level: CaseLevel, event_type: CaseEventType, to_level: CaseLevel | None) -> str:
    """Why this event cannot happen to a case in this state ('' when it can)."""
    name = event_type.value
    if status is CaseStatus.CLOSED and event_type is not CaseEventType.REOPENED:
        return f"{name} on a closed case: only REOPENED may follow CLOSED"
    match event_type:
        case CaseEventType.ACCEPTED | CaseEventType.REJECTED:
            if kind is not CaseKind.PETITION:
                return f"{name} applies to petitions only; this case is a {kind}"
            if status is not CaseStatus.REPORTED:
                return f"{name} on a petition that is already {status}"
        case CaseEventType.ESCALATED:
            if status not in OPEN_CASE_STATUSES:
                return f"ESCALATED on a {status} case: only open cases are escalated"
            if to_level and LEVEL_RANK[to_level] <= LEVEL_RANK[level]:
                return f"ESCALATED to {to_level}, which is not above the current level {level}"
        case CaseEventType.EXTENDED:
            if kind is not CaseKind.PETITION or status is not CaseStatus.ACCEPTED:
                return f"EXTENDED applies only to an accepted petition; this {kind} is {status}"
        case CaseEventType.RESOLVED:
            if status not in OPEN_CASE_STATUSES:
                return f"RESOLVED on a {status} case: only open cases are resolved"
        case CaseEventType.REOPENED:
            if status in OPEN_CASE_STATUSES:
                return f"REOPENED on an open ({status}) case: only resolved, rejected or closed cases are reopened"
    return ""


def extension_refusal(*, extended_days: int, days: int, cap: int) -> str:
    """Why an extension of `days` on top of `extended_days` already granted is not allowed ('' when it is)."""
    total = extended_days + days
    if total > cap:
        return f"extensions would total {total} days; at most {cap} are allowed (the county's max_extension_days)"
    return ""


def advance(state: TimelineState, event_type: CaseEventType, *, to_level: CaseLevel | None, days: int | None) -> TimelineState:
    """The state after one (allowed) event."""
    status, level, accepted, extended = state.status, state.level, state.accepted, state.extended_days
    match event_type:
        case CaseEventType.ACCEPTED:
            status, accepted = CaseStatus.ACCEPTED, True
        case CaseEventType.REJECTED:
            status = CaseStatus.REJECTED
        case CaseEventType.ESCALATED:
            level = to_level or level
        case CaseEventType.EXTENDED:
            extended += days or 0
        case CaseEventType.RESOLVED:
            status = CaseStatus.RESOLVED
        case CaseEventType.CLOSED:
            status = CaseStatus.CLOSED
        case CaseEventType.REOPENED:
            status = CaseStatus.ACCEPTED if accepted else CaseStatus.REPORTED
    return TimelineState(status, level, accepted, extended)


def replay(reported_level: CaseLevel, events: Iterable[tuple[CaseEventType, CaseLevel | None, int | None]]) -> TimelineState:
    """The state a timeline of (type, toLevel, days) leaves a case in."""
    state = TimelineState(CaseStatus.REPORTED, reported_level, False, 0)
    for event_type, to_level, days in events:
        state = advance(state, event_type, to_level=to_level, days=days)
    return state


def derive_state(reported_level: CaseLevel, events: Iterable[tuple[CaseEventType, CaseLevel | None]]) -> TimelineState:
    """Replay a timeline of (type, toLevel): the status and level it leaves the case in (the cached columns)."""
    return replay(reported_level, ((event_type, to_level, None) for event_type, to_level in events))
