"""The stored enumerations (models/enums.py) exposed as GraphQL enums under the same names."""

from __future__ import annotations

import strawberry

from models import enums

TownshipKind = strawberry.enum(enums.TownshipKind)
VillageKind = strawberry.enum(enums.VillageKind)
Role = strawberry.enum(enums.Role)
MeetingKind = strawberry.enum(enums.MeetingKind)
MeetingStatus = strawberry.enum(enums.MeetingStatus)
CaseKind = strawberry.enum(enums.CaseKind)
CaseLevel = strawberry.enum(enums.CaseLevel)
CaseCategory = strawberry.enum(enums.CaseCategory)
CaseChannel = strawberry.enum(enums.CaseChannel)
CaseStatus = strawberry.enum(enums.CaseStatus)
CaseEventType = strawberry.enum(enums.CaseEventType)
CaseOutcome = strawberry.enum(enums.CaseOutcome)
Severity = strawberry.enum(enums.Severity)
AlertStatus = strawberry.enum(enums.AlertStatus)
AlertEventKind = strawberry.enum(enums.AlertEventKind)
DeliveryStatus = strawberry.enum(enums.DeliveryStatus)
