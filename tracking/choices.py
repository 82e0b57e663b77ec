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
    LEAD = "Lead", "Lead"
    CONTACT = "Contact", "Contact"
