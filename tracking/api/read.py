"""Records as the read API returns them: their fields plus the `salesforce` block.

A page is serialised with a fixed number of queries: the records (with their linked
companies) come from one query, their sync states from `sync_states_for_records`, which
answers for the whole page at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracking.models import Company, Contact
from tracking.sync_state import RecordSyncState, sync_states_for_records

CONTACT_FIELDS = (
    "id", "email", "first_name", "last_name", "company", "title", "phone", "state", "country",
    "lifecycle_stage", "properties", "created_at", "updated_at",
)  # fmt: skip
COMPANY_FIELDS = ("id", "name", "domain", "website", "created_at", "updated_at")


def contacts_out(contacts: Sequence[Contact]) -> list[dict[str, Any]]:
    states = sync_states_for_records(records=contacts)
    return [
        {
            **{name: getattr(contact, name) for name in CONTACT_FIELDS},
            "linked_company": _linked_company(contact.company_record),
            "salesforce": salesforce_out(states[contact.pk]),
        }
        for contact in contacts
    ]


def companies_out(companies: Sequence[Company]) -> list[dict[str, Any]]:
    states = sync_states_for_records(records=companies)
    return [
        {
            **{name: getattr(company, name) for name in COMPANY_FIELDS},
            "salesforce": salesforce_out(states[company.pk]),
        }
        for company in companies
    ]


def salesforce_out(state: RecordSyncState) -> dict[str, Any]:
    error = state.error
    return {
        "id": state.salesforce_id or None,
        "object": state.salesforce_object or None,
        "url": state.url or None,
        "synced_at": state.synced_at,
        "state": state.state,
        "explanation": state.explanation,
        "not_sent": (
            {"code": state.reason, "message": state.reason.label} if state.reason else None
        ),
        "error": (
            {
                "code": error.error_code,
                "message": error.error_message,
                "hint": error.hint,
                "at": error.created_at,
            }
            if error
            else None
        ),
    }


def _linked_company(company: Company | None) -> dict[str, Any] | None:
    if company is None:
        return None
    return {
        "id": company.pk,
        "name": company.name,
        "domain": company.domain,
        "salesforce_id": company.salesforce_id or None,
    }
