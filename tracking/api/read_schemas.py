"""Query parameters and response bodies of the ingestion API's reads (GET).

A record comes back with the fields the write side takes (same names), its timestamps and a
`salesforce` block: the link and the sync state of tracking/sync_state.py.
"""

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import AwareDatetime, Field

from tracking.api.cursors import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from tracking.choices import LifecycleStage, NotSentReason, SyncState
from tracking.models import Company, Contact


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


class PageQuery(Schema):
    """Paging of every list: the cursor of the previous page, the page size, a time filter."""

    updated_since: AwareDatetime | None = Field(
        None,
        description="Only records written (here or by the sync) at or after this time, "
        "ISO 8601 with a time zone, e.g. 2026-01-01T09:00:00Z.",
    )
    cursor: str | None = Field(
        None, description="`next_cursor` of the previous page; the other parameters unchanged."
    )
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Records per page.")


class ContactQuery(PageQuery):
    email: str | None = Field(
        None, max_length=_max_length(Contact, "email"), description="Exactly this email, any case."
    )


class CompanyQuery(PageQuery):
    domain: str | None = Field(
        None,
        max_length=_max_length(Company, "domain"),
        description="This domain (any case; a URL is reduced to its host, without www.).",
    )
    name: str | None = Field(
        None, max_length=_max_length(Company, "name"), description="Exactly this name, any case."
    )


class NotSentOut(Schema):
    code: NotSentReason
    message: str = Field(description='Completes "not sent: …", e.g. "outside the inclusion list".')


class SyncErrorOut(Schema):
    code: str = Field(description="Salesforce's error code, e.g. REQUIRED_FIELD_MISSING.")
    message: str
    hint: str = Field(description="What to do about it.")
    at: datetime = Field(description="When the failed attempt was made.")


class SalesforceOut(Schema):
    id: str | None = Field(description="The Salesforce record's id; null when not linked.")
    object: str | None = Field(description="Lead, Contact or Account; null when not linked.")
    url: str | None = Field(description="The record in Salesforce; null when not linked.")
    synced_at: datetime | None
    state: SyncState = Field(
        description="synced; pending (the next run sends it); error (see `error`); not_sent "
        "(the sync leaves it out, see `not_sent`); deleted_in_salesforce."
    )
    not_sent: NotSentOut | None = Field(description="Why, when the state is not_sent.")
    error: SyncErrorOut | None = Field(description="The failed attempt, when the state is error.")


class LinkedCompanyOut(Schema):
    id: int
    name: str
    domain: str
    salesforce_id: str | None


class ContactOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    company: str = Field(description="The company name as given.")
    linked_company: LinkedCompanyOut | None = Field(
        description="The company record the contact is linked to (by that name)."
    )
    title: str
    phone: str
    state: str
    country: str
    lifecycle_stage: str = Field(json_schema_extra={"enum": ["", *LifecycleStage.values]})
    properties: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    salesforce: SalesforceOut


class CompanyOut(Schema):
    id: int
    name: str
    domain: str
    website: str
    created_at: datetime
    updated_at: datetime
    salesforce: SalesforceOut


class ContactsPage(Schema):
    results: list[ContactOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: done.")


class CompaniesPage(Schema):
    results: list[CompanyOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: done.")
