"""The org's schema: every emulated object, put together from `objects.py`, `content.py` and
`task_fields.py`, shaped by the org's settings (state and country picklists, and whether Task
has the `CRMBridge_Id__c` external-id field)."""

from .content import content_document_link, content_note
from .objects import (
    account,
    case,
    contact,
    lead,
    note,
    opportunity,
    opportunity_contact_role,
    opportunity_stage,
    organization,
    survey_response,
    task,
    user,
)
from .schema import Schema
from .task_fields import tracking_task_fields


def build_schema(*, state_country_picklists: bool, task_external_id: bool = True) -> Schema:
    return Schema([
        organization(), user(), account(state_country_picklists),
        contact(state_country_picklists), lead(state_country_picklists), opportunity(),
        opportunity_contact_role(), opportunity_stage(),
        task(external_id=task_external_id, custom_fields=tracking_task_fields()), note(),
        content_note(), content_document_link(), case(), survey_response(),
    ])  # fmt: skip
