"""Choices of the local records."""

from django.db import models


class LifecycleStage(models.TextChoices):
    SUBSCRIBER = "subscriber", "Subscriber"
    LEAD = "lead", "Lead"
    MQL = "marketingqualifiedlead", "Marketing qualified lead"
    SQL = "salesqualifiedlead", "Sales qualified lead"
    OPPORTUNITY = "opportunity", "Opportunity"
    CUSTOMER = "customer", "Customer"
    EVANGELIST = "evangelist", "Evangelist"
    OTHER = "other", "Other"


class Origin(models.TextChoices):
    """Where a record came from, so imported data can be purged later."""

    LOCAL = "local", "Created here"
    SALESFORCE = "salesforce", "Imported from Salesforce"


class SalesforceObject(models.TextChoices):
    """What a person is in Salesforce: a Lead or a Contact (the one definition of both)."""

    LEAD = "Lead", "Lead"
    CONTACT = "Contact", "Contact"


class Direction(models.TextChoices):
    """Which way a sync history event went (models/history.py)."""

    OUTBOUND = "outbound", "To Salesforce"
    INBOUND = "inbound", "From Salesforce"


class Operation(models.TextChoices):
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    MATCH = "match", "Match"
    SKIP = "skip", "Skip"
    ERROR = "error", "Error"


class EventStatus(models.TextChoices):
    OK = "ok", "OK"
    ERROR = "error", "Error"
    RETRIED = "retried", "Retried"
