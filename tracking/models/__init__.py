"""Local records CRM Bridge keeps and syncs with Salesforce."""

from tracking.models.api_key import ApiKey
from tracking.models.company import Company
from tracking.models.contact import Contact
from tracking.models.history import SyncEvent
from tracking.models.opportunity import Opportunity

__all__ = ["ApiKey", "Company", "Contact", "Opportunity", "SyncEvent"]
