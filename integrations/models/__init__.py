"""Models of the Salesforce integration, one module per console section."""

from integrations.models.alerts import Alert
from integrations.models.connection import SalesforceConnection
from integrations.models.deletes import DeleteBrake, PendingDeletion, QuarantinedRecord
from integrations.models.mappings import FieldMapping, MappedObject
from integrations.models.previews import PreviewOutcome, SyncPreview, SyncPreviewItem
from integrations.models.purges import CrmDataPurge
from integrations.models.response_mappings import (
    ConditionGroup,
    FieldAssignment,
    ResponseCondition,
    ResponseRule,
    WebToLead,
)
from integrations.models.runs import SyncCursor, SyncLease, SyncRun
from integrations.models.seats import Seat, SeatRole
from integrations.models.sync_settings import InclusionRule, SyncSettings
from integrations.models.triggers import SurveyTrigger, TriggerCondition, TriggerDelivery
from integrations.models.usage import ApiUsageHour
from integrations.models.writeback_tests import WriteBackTest

__all__ = [
    "Alert",
    "ApiUsageHour",
    "ConditionGroup",
    "CrmDataPurge",
    "DeleteBrake",
    "FieldAssignment",
    "FieldMapping",
    "InclusionRule",
    "MappedObject",
    "PendingDeletion",
    "QuarantinedRecord",
    "PreviewOutcome",
    "ResponseCondition",
    "ResponseRule",
    "SalesforceConnection",
    "Seat",
    "SeatRole",
    "SyncCursor",
    "SyncLease",
    "SyncPreview",
    "SyncPreviewItem",
    "SyncRun",
    "SurveyTrigger",
    "SyncSettings",
    "TriggerCondition",
    "TriggerDelivery",
    "WebToLead",
    "WriteBackTest",
]
