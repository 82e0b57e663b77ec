"""Choices shared by the integration models, with their terminal sets in one place."""

from django.db import models

# The history events' choices live with SyncEvent in tracking; the sync names them from here.
from tracking.choices import Direction, EventStatus, Operation  # noqa: F401


class LoginEnvironment(models.TextChoices):
    PRODUCTION = "https://login.salesforce.com", "Production (login.salesforce.com)"
    SANDBOX = "https://test.salesforce.com", "Sandbox (test.salesforce.com)"


class AuthMethod(models.TextChoices):
    OAUTH = "oauth", "OAuth 2.0 web-server flow (Connect Salesforce button)"
    PASSWORD = "password", "Username, password and security token"
    CLIENT_CREDENTIALS = "client_credentials", "Client credentials (integration user)"


class ConnectionStatus(models.TextChoices):
    NOT_CONNECTED = "not_connected", "Not connected"
    CONNECTED = "connected", "Connected"
    ERROR = "error", "Error"
    PAUSED = "paused", "Paused (API limit)"


class InclusionMode(models.TextChoices):
    NONE = "none", "No inclusion list: sync every contact"
    ALL = "all", "Contacts matching all rules"
    ANY = "any", "Contacts matching any rule"


class RuleOperator(models.TextChoices):
    EQUALS = "equals", "is"
    NOT_EQUALS = "not_equals", "is not"
    CONTAINS = "contains", "contains"
    NOT_CONTAINS = "not_contains", "does not contain"
    STARTS_WITH = "starts_with", "starts with"
    ENDS_WITH = "ends_with", "ends with"
    IN = "in", "is one of (comma-separated)"
    IS_SET = "is_set", "is known"
    IS_NOT_SET = "is_not_set", "is unknown"


class ActivityStorage(models.TextChoices):
    DESCRIPTION = "description", "Task Description (Comments)"
    CUSTOM_FIELDS = "custom_fields", "Mapped custom Task fields"


class MappingRule(models.TextChoices):
    TWO_WAY = "two_way", "Two-way: the most recent change wins"
    PREFER_SALESFORCE = "prefer_salesforce", "Prefer Salesforce unless blank"
    ALWAYS_SALESFORCE = "always_salesforce", "Always Salesforce"
    TO_SALESFORCE = "to_salesforce", "To Salesforce only"
    OFF = "off", "Off"


class RunStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    PARTIAL = "partial", "Finished with record errors"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


RUN_TERMINAL_STATUSES = frozenset(
    {RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED, RunStatus.SKIPPED}
)


class BrakeStatus(models.TextChoices):
    """Where a hold of the mass-delete brake stands (models/deletes.py)."""

    HOLDING = "holding", "Holding: waiting for an admin"
    CONFIRMED = "confirmed", "Confirmed: deleted into quarantine"
    CANCELLED = "cancelled", "Cancelled: records kept"


class PurgeStatus(models.TextChoices):
    """Where a purge of imported CRM data stands (models/purges.py)."""

    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


PURGE_TERMINAL_STATUSES = frozenset({PurgeStatus.SUCCEEDED, PurgeStatus.FAILED})


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    MANUAL = "manual", "Sync now (admin)"
    COMMAND = "command", "Command line"
    EVENT = "event", "New or changed activities"


class Lane(models.TextChoices):
    """Which work a run does; each lane has its own lease, so one never waits for the other."""

    SYNC = "sync", "Full sync"
    ACTIVITIES = "activities", "Activities push"
