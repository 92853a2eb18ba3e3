"""DataLoaders for alerts, the rule runs that wrote them and their webhook deliveries."""

from __future__ import annotations

from models.alerts import Alert, RuleRun
from models.deliveries import WebhookDelivery
from resolvers.loading import RowLoader, RowsLoader


class AlertByIdLoader(RowLoader[int, Alert]):
    model = Alert


class RuleRunByIdLoader(RowLoader[int, RuleRun]):
    model = RuleRun


class DeliveriesByAlertLoader(RowsLoader[int, WebhookDelivery]):
    model = WebhookDelivery
    key = "alert_id"
