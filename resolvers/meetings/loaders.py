"""DataLoaders for meetings, who attended them and which cases they studied."""

from __future__ import annotations

from collections import defaultdict

from models.meetings import Meeting
from resolvers.loading import MAX_BATCH, RowLoader
from strawberry.dataloader import DataLoader


class MeetingByIdLoader(RowLoader[int, Meeting]):
    model = Meeting


class _PairsLoader(DataLoader[int, list[int]]):
    """Ids on the far side of a many-to-many link, per key, from one join query."""

    source: type
    key_field: str
    far_field: str

    def __init__(self) -> None:
        super().__init__(load_fn=self.batch_load, max_batch_size=MAX_BATCH)

    async def batch_load(self, keys: list[int]) -> list[list[int]]:
        pairs = await self.source.filter(**{f"{self.key_field}__in": keys}).values_list(self.key_field, self.far_field)
        grouped: dict[int, list[int]] = defaultdict(list)
        for key, far in pairs:
            if far is not None:
                grouped[key].append(far)
        return [sorted(grouped.get(key, [])) for key in keys]


class AttendeeIdsByMeetingLoader(_PairsLoader):
    source = Meeting
    key_field = "id"
    far_field = "attendees__id"


class CaseIdsByMeetingLoader(_PairsLoader):
    source = Meeting
    key_field = "id"
    far_field = "cases__id"


class MeetingIdsByCaseLoader(_PairsLoader):
    source = Meeting
    key_field = "cases__id"
    far_field = "id"
