"""DataLoaders for alerts and the rule runs that wrote them."""

from __future__ import annotations

from models.alerts import Alert, RuleRun
from resolvers.loading import RowLoader


class AlertByIdLoader(RowLoader[int, Alert]):
    model = Alert


class RuleRunByIdLoader(RowLoader[int, RuleRun]):
    model = RuleRun
