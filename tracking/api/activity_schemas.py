"""Request and response bodies of the links, visits and activities endpoints.

The same rules as the contacts' (tracking/api/schemas.py): text fits its column and is
storable, null text is "", fields an item leaves out are not touched, unknown fields are
refused. Numbers and booleans must be JSON numbers and booleans (no "3" or "true" strings);
timestamps are ISO 8601 strings with a zone.
"""

import re
from typing import Annotated, Any

from django.db import models
from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, Strict
from pydantic_core import PydanticCustomError

from tracking.api.schemas import MAX_ITEMS, _email, _Input, _text, _website, in_utc
from tracking.choices import ActivityKind, LinkKind
from tracking.models import Activity, Document, Link, Visit
from tracking.models.activities import MAX_SECONDS
from tracking.services import UpsertStatus
from tracking.validators import EMAIL_MAX_LENGTH, text_pattern, web_address_pattern

# RFC 3339 (what JSON schema's date-time format means): ISO 8601 with a zone, to the second.
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


def _timestamp_text(value: Any) -> str:
    """Only a string: pydantic would also read a number as seconds since 1970."""
    if not isinstance(value, str) or not _TIMESTAMP.fullmatch(value):
        raise PydanticCustomError(
            "invalid_timestamp", "not an ISO 8601 timestamp with a zone, e.g. 2026-05-01T09:30:00Z"
        )
    return value


def _whole_number(value: Any) -> Any:
    """A JSON number with nothing after the point (3.0) is an integer, as JSON schema says."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _choice(choices: type[models.TextChoices], what: str):
    def check(value: str) -> str:
        if value not in choices.values:
            raise PydanticCustomError(
                "unknown_kind",
                "unknown {what} '{value}'; use one of: {known}",
                {"what": what, "value": value, "known": ", ".join(choices.values)},
            )
        return value

    return check


class _OptionalEmailSchema:
    """The OpenAPI document of an email that may be left blank: an address, "" or null."""

    def __get_pydantic_json_schema__(self, core_schema, handler):
        address = {
            "type": "string",
            "format": "email",
            "maxLength": EMAIL_MAX_LENGTH,
            "pattern": text_pattern(required=True),
        }
        return {"anyOf": [address, {"type": "string", "maxLength": 0}, {"type": "null"}]}


def _optional_email(value: str) -> str:
    return _email(value) if value else value


def _optional_email_type(model: type[models.Model], field: str) -> Any:
    return Annotated[
        _text(model, field, max_length=EMAIL_MAX_LENGTH, strip=False),
        AfterValidator(_optional_email),
        _OptionalEmailSchema(),
    ]


def _url(model: type[models.Model], field: str, *, required: bool = False) -> Any:
    """An http(s) URL (or a host name, taken as https://), as a company's website."""
    room = model._meta.get_field(field).max_length - len("https://")
    pattern = web_address_pattern(blank=not required)
    return Annotated[
        _text(model, field, required=required, max_length=room, pattern=pattern, strip=False),
        AfterValidator(_website),
        Field(json_schema_extra={"format": "uri-reference"}),
    ]


Timestamp = Annotated[
    AwareDatetime,
    BeforeValidator(_timestamp_text),
    AfterValidator(in_utc),
    Field(description="ISO 8601 with a zone, e.g. 2026-05-01T09:30:00Z."),
]
Seconds = Annotated[int, Strict(), Field(ge=0, le=MAX_SECONDS), BeforeValidator(_whole_number)]
Flag = Annotated[bool, Strict()]
LinkKindField = Annotated[
    _text(Link, "kind", required=True),
    AfterValidator(_choice(LinkKind, "kind")),
    Field(json_schema_extra={"enum": LinkKind.values}),
]
ActivityKindField = Annotated[
    _text(Activity, "kind", required=True),
    AfterValidator(_choice(ActivityKind, "kind")),
    Field(json_schema_extra={"enum": ActivityKind.values}),
]


class LinkIn(_Input):
    """A link to a document or a room, matched by `external_id`. Leave a field out to keep it."""

    external_id: _text(Link, "external_id", required=True)
    kind: LinkKindField
    url: _url(Document, "url", required=True) = Field(
        description="The document's or room's URL: links with one URL share the document or room."
    )
    name: _text(Link, "name") = Field("", description="The document's or room's name.")
    account_name: _text(Link, "account_name") = ""
    internal_url: _url(Link, "internal_url") = ""
    external_url: _url(Link, "external_url") = Field("", description="Documents.")
    owner_email: _optional_email_type(Link, "owner_email") = Field(
        "", description="The sales user who shared it; a local user with this email may read it."
    )
    created_at: Timestamp | None = Field(None, description="When the host product created it.")


class VisitIn(_Input):
    """A visit of a link, matched by `external_id`: post it as it starts, progresses, ends."""

    external_id: _text(Visit, "external_id", required=True)
    link_id: _text(Link, "external_id", required=True) = Field(
        description="The external_id of a link posted before; an unknown one is refused."
    )
    visitor_email: _optional_email_type(Visit, "visitor_email") = ""
    visitor_name: _text(Visit, "visitor_name") = ""
    company: _text(Visit, "company") = ""
    started_at: Timestamp
    last_activity_at: Timestamp | None = None
    duration_seconds: Seconds = 0
    percent_viewed: Annotated[float, Strict(), Field(ge=0, le=100, allow_inf_nan=False)] = 0
    statistics_url: _url(Visit, "statistics_url") = ""
    ended: Flag = False


class ActivityIn(_Input):
    """A sales user's InMail, message, note or call, matched by `external_id`."""

    external_id: _text(Activity, "external_id", required=True)
    kind: ActivityKindField
    author_email: _optional_email_type(Activity, "author_email") = Field(
        "", description="The sales user; a local user with this email may read it."
    )
    contact_email: _optional_email_type(Activity, "contact_email") = ""
    contact_name: _text(Activity, "contact_name") = ""
    company: _text(Activity, "company") = ""
    subject: _text(Activity, "subject") = ""
    body: _text(Activity, "body", max_length=Activity.BODY_MAX_LENGTH) = ""
    occurred_at: Timestamp
    duration_seconds: Seconds | None = Field(None, description="Calls.")
    copy_to_crm: Flag = Field(False, description="Write it back even if its kind is not selected.")


class LinksIn(_Input):
    links: list[LinkIn] = Field(min_length=1, max_length=MAX_ITEMS)


class VisitsIn(_Input):
    visits: list[VisitIn] = Field(min_length=1, max_length=MAX_ITEMS)


class ActivitiesIn(_Input):
    activities: list[ActivityIn] = Field(min_length=1, max_length=MAX_ITEMS)


class ExternalResult(Schema):
    index: int
    external_id: str
    id: int
    status: UpsertStatus


class ExternalResultsOut(Schema):
    results: list[ExternalResult]
