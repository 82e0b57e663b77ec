"""Rules Salesforce enforces on particular objects, checked on every write however it comes
(single-record REST, sObject Collections, Bulk API 2.0, the control API).

- An owner must be an active user (INACTIVE_OWNER_OR_USER).
- A Task whose WhoId is a Lead cannot also have a WhatId: a lead's task goes on the lead alone.
- A ContentNote's Title must not be blank, and its Content must be HTML Notes accept
  (`notes.py`).
"""

from ..errors import ApiError
from .schema import SObjectType

LEAD_PREFIX = "00Q"


def check_object_rules(store, sobject: SObjectType, record: dict, changes: dict) -> None:
    """Raise the first ApiError the merged `record` breaks; `changes` is what this write sets."""
    _check_owner(store, sobject, changes)
    if sobject.name == "Task":
        _check_task_links(record, changes)
    elif sobject.name == "ContentNote":
        _check_note_title(record)


def _check_owner(store, sobject: SObjectType, changes: dict) -> None:
    owner_id = changes.get("OwnerId")
    owner = store.record(owner_id) if owner_id else None
    if owner is not None and not owner.get("IsActive"):
        raise ApiError(
            "INACTIVE_OWNER_OR_USER",
            f"operation performed with inactive user [{owner_id}] as owner of "
            f"{sobject.name.lower()}",
            fields=["OwnerId"],
        )


def _check_task_links(record: dict, changes: dict) -> None:
    if not ({"WhoId", "WhatId"} & changes.keys()):
        return
    who_id, what_id = record.get("WhoId"), record.get("WhatId")
    if who_id and what_id and who_id.startswith(LEAD_PREFIX):
        raise ApiError(
            "FIELD_INTEGRITY_EXCEPTION",
            f"Related To ID: a task whose Name ID is a lead cannot be related to a record: "
            f"{what_id}",
            fields=["WhatId"],
        )


def _check_note_title(record: dict) -> None:
    title = record.get("Title")
    if title is not None and not title.strip():
        raise ApiError(
            "REQUIRED_FIELD_MISSING", "Required fields are missing: [Title]", fields=["Title"]
        )
