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


class SyncState(models.TextChoices):
    """Where a record stands with Salesforce (tracking/sync_state.py decides it)."""

    SYNCED = "synced", "Synced"
    PENDING = "pending", "Waiting to be sent"
    ERROR = "error", "Failed to sync"
    NOT_SENT = "not_sent", "Not sent"
    DELETED = "deleted_in_salesforce", "Deleted in Salesforce"


class NotSentReason(models.TextChoices):
    """Why the sync leaves a record out (the label completes "not sent: …")."""

    OUTSIDE_INCLUSION_LIST = "outside_inclusion_list", "outside the inclusion list"
    SYNC_OFF = "sync_off", "sync with Salesforce is off"
    ACCOUNT_SYNC_OFF = "account_sync_off", "account sync is off"
    NEEDS_LAST_NAME = "needs_last_name", "needs a last name (Salesforce requires one)"


class LinkKind(models.TextChoices):
    """What a shared link opens: a document or a (data) room."""

    DOCUMENT = "document", "Document"
    ROOM = "room", "Room"


class ActivityKind(models.TextChoices):
    """A sales user's activity (Sales Navigator): InMail, message, note or call."""

    INMAIL = "inmail", "InMail"
    MESSAGE = "message", "Message"
    NOTE = "note", "Note"
    CALL = "call", "Call"


class NotSyncedYet(models.TextChoices):
    """Why a record that no sync handles yet is not sent (the history page's "not sent: …");
    apart from NotSentReason, whose codes the read API documents."""

    NOT_BUILT = "sync_not_built", "their sync to Salesforce is not built yet"
