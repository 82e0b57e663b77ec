"""Alerts to the staff: the conditions that raise them (`conditions`); opening, emailing and
clearing them is `integrations.services.alerts`."""
