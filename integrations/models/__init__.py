"""Models of the Salesforce integration, one module per console section."""

from integrations.models.connection import SalesforceConnection
from integrations.models.usage import ApiUsageHour

__all__ = ["ApiUsageHour", "SalesforceConnection"]
