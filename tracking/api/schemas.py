"""Request and response bodies of the ingestion API.

Field limits come from the models, so a value the API accepts always fits its column. Text
fields take null as "" (clearing the field); fields an item leaves out are not touched.
"""

from datetime import UTC, datetime
from typing import Annotated, Any

from django.db import models
from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

from tracking.choices import LifecycleStage
from tracking.models import Company, Contact
from tracking.services import UpsertStatus, normalize_domain
from tracking.validators import (
    EMAIL_MAX_LENGTH,
    InvalidValue,
    check_email,
    check_json,
    check_text,
    check_web_address,
    is_blank,
    text_pattern,
    web_address_pattern,
)

MAX_ITEMS = 1000


class _TextSchema:
    """The OpenAPI document of a text field says what it accepts: the characters (a pattern)
    and, for a field that may be blank, null (taken as "", clearing the field)."""

    def __init__(self, *, required: bool, pattern: str | None) -> None:
        self.required = required
        self.pattern = pattern or text_pattern(required=required)

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = {**handler(core_schema), "pattern": self.pattern}
        return schema if self.required else {"anyOf": [schema, {"type": "null"}]}


def _invalid(error: InvalidValue, kind: str) -> PydanticCustomError:
    """An InvalidValue as pydantic's error; `path` locates it inside a JSON value."""
    return PydanticCustomError(kind, error.reason, {"path": error.path} if error.path else None)


def _incoming_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            check_text(value)
        except InvalidValue as error:
            raise _invalid(error, "unstorable_text") from None
    return value


def in_utc(value: datetime) -> datetime:
    """An aware time in UTC: PostgreSQL takes offsets up to ±15:59 only, ISO 8601 up to
    ±23:59, and a time near year 1 or 9999 may not fit once moved to UTC."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError("invalid_timestamp", "out of range once in UTC") from None


def _strip(value: str) -> str:
    return value.strip()


def _same(value: str) -> str:
    return value


def _not_blank(value: str) -> str:
    if is_blank(value):
        raise PydanticCustomError("blank", "must not be blank")
    return value


def _text(
    model: type[models.Model],
    field: str,
    *,
    required: bool = False,
    max_length: int | None = None,
    pattern: str | None = None,
    strip: bool = True,
) -> Any:
    """A string no longer than the model field (or `max_length`) as sent, then stripped
    (unless a later validator refuses spaces around it); when required, not blank (not only
    whitespace or invisible characters); else null is "". `pattern` documents a stricter
    rule that a later validator applies."""
    text = Annotated[
        str,
        BeforeValidator(_incoming_text),
        StringConstraints(max_length=max_length or model._meta.get_field(field).max_length),
        AfterValidator(_strip if strip else _same),
    ]
    if required:
        text = Annotated[text, AfterValidator(_not_blank)]
    return Annotated[text, _TextSchema(required=required, pattern=pattern)]


def _email(value: str) -> str:
    try:
        return check_email(value)
    except InvalidValue as error:
        raise _invalid(error, "invalid_email") from None


def _properties(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    try:
        return check_json(value)
    except InvalidValue as error:
        raise _invalid(error, "unstorable_json") from None


def _lifecycle_stage(value: str) -> str:
    value = value.lower()
    if value and value not in LifecycleStage.values:
        raise PydanticCustomError(
            "unknown_lifecycle_stage",
            "unknown lifecycle stage '{stage}'; use one of: {known}",
            {"stage": value, "known": ", ".join(LifecycleStage.values)},
        )
    return value


def _domain(value: str) -> str:
    try:
        return normalize_domain(check_web_address(value)) if value else value
    except InvalidValue:
        raise PydanticCustomError("invalid_domain", "not a valid domain name") from None


def _website(value: str) -> str:
    try:
        check_web_address(value)
    except InvalidValue:
        raise PydanticCustomError("invalid_url", "not a valid http(s) URL") from None
    if value and "://" not in value:
        return f"https://{value}"
    return value


# What the website field stores gets "https://" when it has no scheme: room for that.
WEBSITE_MAX_LENGTH = Company._meta.get_field("website").max_length - len("https://")


Email = Annotated[
    _text(Contact, "email", required=True, max_length=EMAIL_MAX_LENGTH, strip=False),
    AfterValidator(_email),
    Field(
        json_schema_extra={"format": "email"},
        description="Matched in any case. As Salesforce takes it: at most 80 characters, "
        "ASCII (an internationalised domain in its xn-- form), no quoted local part, no IP "
        "address as the domain.",
    ),
]
Stage = Annotated[
    _text(Contact, "lifecycle_stage"),
    AfterValidator(_lifecycle_stage),
    Field(json_schema_extra={"enum": ["", *LifecycleStage.values, None]}),
]
Domain = Annotated[
    _text(Company, "domain", pattern=web_address_pattern(), strip=False),
    AfterValidator(_domain),
    Field(json_schema_extra={"format": "uri-reference"}),
]
Website = Annotated[
    _text(
        Company,
        "website",
        max_length=WEBSITE_MAX_LENGTH,
        pattern=web_address_pattern(),
        strip=False,
    ),
    AfterValidator(_website),
    Field(json_schema_extra={"format": "uri-reference"}),
]

# Filters of the reads (GET): the same text and address rules, but never blank, as the
# OpenAPI document says; what passes finds records or none, never a database error.
EmailFilter = Annotated[
    _text(Contact, "email", required=True),
    Field(description="Exactly this email, any case."),
]
NameFilter = Annotated[
    _text(Company, "name", required=True),
    Field(description="Exactly this name, any case."),
]
DomainFilter = Annotated[
    _text(Company, "domain", required=True, pattern=web_address_pattern(blank=False)),
    AfterValidator(_domain),
    Field(
        json_schema_extra={"format": "uri-reference"},
        description="This domain (any case; a URL is reduced to its host, without www.).",
    ),
]

# The OpenAPI document describes a property value as JSON whose every key and string holds
# storable text; the whole value is checked (before pydantic reads a key: a key that is not
# Unicode would break its error) by check_json.
_JsonText = Annotated[str, Field(json_schema_extra={"pattern": text_pattern(required=False)})]
_NO_OTHER_KEYS = Field(json_schema_extra={"additionalProperties": False})
PropertyValue = TypeAliasType(
    "PropertyValue",
    "_JsonText | int | float | bool | list[PropertyValue] | _JsonObject | None",
)
_JsonObject = Annotated[dict[_JsonText, PropertyValue], _NO_OTHER_KEYS]
Properties = Annotated[_JsonObject, BeforeValidator(_properties)]


class _Input(Schema):
    """A request object: unknown fields are refused, and so are field names that are not
    Unicode (checked first: pydantic cannot report them)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _storable_names(cls, data: Any) -> Any:
        for name in data if isinstance(data, dict) else ():
            try:
                check_text(str(name))
            except InvalidValue as error:
                raise PydanticCustomError(
                    "unstorable_name", "a field name {reason}", {"reason": error.reason}
                ) from None
        return data


class ContactIn(_Input):
    """A contact, matched by email (any case). Leave a field out to keep its value."""

    email: Email
    first_name: _text(Contact, "first_name") = ""
    last_name: _text(Contact, "last_name") = ""
    company: _text(Contact, "company") = Field(
        "", description="Company name; links the contact to the company of that name."
    )
    title: _text(Contact, "title") = ""
    phone: _text(Contact, "phone") = ""
    state: _text(Contact, "state") = ""
    country: _text(Contact, "country") = ""
    lifecycle_stage: Stage = ""
    properties: Properties = Field(
        default_factory=dict,
        description="Custom properties, merged into the stored ones; null removes a key. "
        "Numbers must be finite (no NaN or Infinity); no text may hold NUL (\\u0000) or a "
        "lone surrogate.",
    )


class ContactsIn(_Input):
    contacts: list[ContactIn] = Field(min_length=1, max_length=MAX_ITEMS)


class CompanyIn(_Input):
    """A company, matched by domain (else by name, any case). Leave a field out to keep it."""

    name: _text(Company, "name", required=True)
    domain: Domain = Field(
        "", description="e.g. acme.com; a URL is reduced to its host. Defaults to the website's."
    )
    website: Website = ""


class CompaniesIn(_Input):
    companies: list[CompanyIn] = Field(min_length=1, max_length=MAX_ITEMS)


class ContactResult(Schema):
    index: int
    email: str
    id: int
    status: UpsertStatus


class CompanyResult(Schema):
    index: int
    name: str
    domain: str
    id: int
    status: UpsertStatus


class ContactsOut(Schema):
    results: list[ContactResult]


class CompaniesOut(Schema):
    results: list[CompanyResult]


class ItemErrorOut(Schema):
    index: int | None = Field(description="The item's position in the request; null: the body.")
    field: str | None
    reason: str


class ErrorOut(Schema):
    detail: str
    errors: list[ItemErrorOut]


class DetailOut(Schema):
    detail: str
