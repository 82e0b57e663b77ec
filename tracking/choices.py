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
    TASK_SYNC_OFF = "task_sync_off", "task sync is off"
    KIND_OFF = "kind_off", "the sync of this kind of record is off"
    WRITE_BACK_OFF = "write_back_off", "write-back is off, or this kind is not written back"
    NO_SEAT = "no_seat", "the author has no seat with CRM sync"
    NO_MATCH = "no_match", "no matching Contact, Lead or Account yet (retried automatically)"
    VIA_LINKS = "via_links", "written to Salesforce as part of its links' Tasks"


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


class MatchMethod(models.TextChoices):
    """How an activity record found the Salesforce record its Task or note goes on."""

    CONTACT_EMAIL = "contact_email", "Contact with the same email"
    LEAD_EMAIL = "lead_email", "Lead with the same email"
    ACCOUNT_NAME = "account_name", "Account with the company's name"
    CREATED_LEAD = "created_lead", "new Lead created for the email"
    OPEN_TASK = "open_task", "no match: open follow-up Task for the owner"
    MANUAL = "manual", "matched by hand"
