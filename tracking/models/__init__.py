"""Local records CRM Bridge keeps and syncs with Salesforce."""

from tracking.models.activities import Activity, Document, Link, Room, Visit
from tracking.models.api_key import ApiKey
from tracking.models.company import Company
from tracking.models.contact import Contact
from tracking.models.contact_alias import ContactEmailAlias
from tracking.models.history import SyncEvent
from tracking.models.opportunity import Opportunity
from tracking.models.surveys import Invitation, Question, Response, Survey

__all__ = [
    "Activity",
    "ApiKey",
    "Company",
    "Contact",
    "ContactEmailAlias",
    "Document",
    "Invitation",
    "Link",
    "Opportunity",
    "Question",
    "Response",
    "Room",
    "Survey",
    "SyncEvent",
    "Visit",
]
