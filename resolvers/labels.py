"""`enumLabels`: the Chinese label of every enum value, for clients that display them."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.labels import EnumLabel, enum_labels


@strawberry.type
class LabelsQuery:
    @strawberry.field(description="Chinese labels (中文名称) of every enum value; with `enum`, of that enum only.")
    def enum_labels(
        self, enum: Annotated[str | None, strawberry.argument(description="An enum's name, e.g. CaseStatus.")] = None
    ) -> list[EnumLabel]:
        return enum_labels(enum)
