"""DataLoaders for cases, their parties and their event timelines."""

from __future__ import annotations

from models.cases import Case, CaseEvent, CaseParty
from resolvers.loading import RowLoader, RowsLoader


class CaseByIdLoader(RowLoader[int, Case]):
    model = Case


class PartiesByCaseLoader(RowsLoader[int, CaseParty]):
    model = CaseParty
    key = "case_id"


class EventsByCaseLoader(RowsLoader[int, CaseEvent]):
    model = CaseEvent
    key = "case_id"
