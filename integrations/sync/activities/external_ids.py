"""The external-id field on Task that makes activity writes upserts (a documented set-up step).

With `CRMBridge_Id__c` (Text(64), External ID, Unique) on Activity, every Task CRM Bridge
writes carries its record's reference there, so sending one again updates the Task instead of
creating a second. Without it, a create whose answer was lost is reconciled by looking for
the Task before anything is sent again (`reconcile`).
"""

from __future__ import annotations

from integrations.salesforce.client import SalesforceClient

TASK_EXTERNAL_ID = "CRMBridge_Id__c"


def task_external_id_field(client: SalesforceClient) -> str:
    """The Task external-id field's name when the org has it (and we may write it), else ""."""
    field = client.fields("Task").get(TASK_EXTERNAL_ID)
    usable = (
        field and field.get("externalId") and field.get("createable") and field.get("updateable")
    )
    return TASK_EXTERNAL_ID if usable else ""


def reference(record) -> str:
    """The stable reference of a tracked record: `visit-12`, `link-3`, `activity-40`."""
    return f"{type(record)._meta.model_name}-{record.pk}"


REFERENCE_LABEL = "CRM Bridge reference:"


DESCRIPTION_LENGTH = 32_000  # a Task's Description


def with_reference(description: str | None, record) -> str:
    """The Description with the record's reference as its last line (orgs without the
    external id find their Tasks by it), shortened to leave room for it."""
    line = f"{REFERENCE_LABEL} {reference(record)}"
    if not description:
        return line
    room = DESCRIPTION_LENGTH - len(line) - 2
    return f"{description[:room]}\n\n{line}"


def without_reference(description: str | None) -> str:
    """The Description as it was before its reference line was added."""
    text = description or ""
    if text.startswith(REFERENCE_LABEL):
        return ""
    return text.partition(f"\n\n{REFERENCE_LABEL}")[0]
