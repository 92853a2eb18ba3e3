"""What an import did, per kind of row, so a second load of the same file visibly changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITIES = (
    "people",
    "counties",
    "townships",
    "jointMeetings",
    "villages",
    "grids",
    "householdGroups",
    "partyGroups",
    "roles",
    "supervision",
    "cases",
    "caseEvents",
    "meetings",
    "mediationVisits",
)


@dataclass(slots=True)
class EntityCounts:
    """Rows created, updated (some value changed), unchanged, and removed (roles no longer listed)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


@dataclass(slots=True)
class LoadSummary:
    """Counts per entity, in the order the document nests them."""

    entities: dict[str, EntityCounts] = field(default_factory=lambda: {name: EntityCounts() for name in ENTITIES})
    seconds: float = 0.0

    def __getitem__(self, entity: str) -> EntityCounts:
        return self.entities[entity]

    @property
    def changed(self) -> bool:
        """True when the load wrote anything at all."""
        return any(counts.changed for counts in self.entities.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        """Plain counts, for JSON output and tests."""
        return {
            name: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged, "removed": c.removed}
            for name, c in self.entities.items()
        }
