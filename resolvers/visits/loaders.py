"""DataLoaders for who went on each mediation visit and which cases it worked on."""

from __future__ import annotations

from models.meetings import MediationVisit
from resolvers.loading import RowLoader
from resolvers.meetings.loaders import _PairsLoader
from models.visits import VisitCase, VisitStaff


class StaffIdsByVisitLoader(_PairsLoader):
    source = VisitStaff
    key_field = "visit_id"
    far_field = "person_id"


class CaseIdsByVisitLoader(_PairsLoader):
    source = VisitCase
    key_field = "visit_id"
    far_field = "case_id"


class VisitByIdLoader(RowLoader[int, MediationVisit]):
    model = MediationVisit
