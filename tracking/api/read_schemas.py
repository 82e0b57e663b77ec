"""Query parameters and response bodies of the ingestion API's reads (GET).

A record comes back with the fields the write side takes (same names), its timestamps and a
`salesforce` block: the link and the sync state of tracking/sync_state.py.
"""

import re
from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from tracking.api.cursors import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from tracking.api.schemas import DomainFilter, EmailFilter, NameFilter, in_utc
from tracking.choices import LifecycleStage, NotSentReason, SyncState

_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def _not_a_number(value: Any) -> Any:
    """Pydantic reads a number as seconds since 1970; the API takes ISO 8601 only."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise PydanticCustomError("datetime_parsing", "Input should be an ISO 8601 datetime")
    return value


IsoDatetime = Annotated[AwareDatetime, BeforeValidator(_not_a_number), AfterValidator(in_utc)]


class PageQuery(Schema):
    """Paging of every list: the cursor of the previous page, the page size, a time filter."""

    updated_since: IsoDatetime | None = Field(
        None,
        description="Only records written (here or by the sync) at or after this time, "
        "ISO 8601 with a time zone, e.g. 2026-01-01T09:00:00Z.",
    )
    cursor: str | None = Field(
        None, description="`next_cursor` of the previous page; the other parameters unchanged."
    )
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Records per page.")


class ContactQuery(PageQuery):
    email: EmailFilter | None = None


class CompanyQuery(PageQuery):
    domain: DomainFilter | None = None
    name: NameFilter | None = None


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
    explanation: str = Field(
        description='Why it is in this state, in one sentence, e.g. "Waiting: the next sync '
        'run (expected around 1 Dec 2026 14:15 UTC, every 15 minutes) sends the changes."'
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
