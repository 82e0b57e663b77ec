"""Request and response bodies of the ingestion API.

Field limits come from the models, so a value the API accepts always fits its column. Text
fields take null as "" (clearing the field); fields an item leaves out are not touched.
"""

from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import DomainNameValidator, URLValidator, validate_email
from django.db import models
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from tracking.choices import LifecycleStage
from tracking.models import Company, Contact
from tracking.services import UpsertStatus, normalize_domain

MAX_ITEMS = 1000


def _blank_if_null(value: Any) -> Any:
    return "" if value is None else value


def _text(model: type[models.Model], field: str, *, required: bool = False) -> Any:
    """A stripped string no longer than the model field (non-blank when required)."""
    return Annotated[
        str,
        BeforeValidator(_blank_if_null),
        StringConstraints(
            strip_whitespace=True,
            min_length=1 if required else 0,
            max_length=model._meta.get_field(field).max_length,
        ),
    ]


def _email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        raise PydanticCustomError("invalid_email", "not a valid email address") from None
    return value


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
    if not value:
        return value
    try:
        domain = normalize_domain(value)
        DomainNameValidator()(domain)
    except (ValueError, DjangoValidationError):
        raise PydanticCustomError("invalid_domain", "not a valid domain name") from None
    return domain


def _website(value: str) -> str:
    if not value:
        return value
    url = value if "://" in value else f"https://{value}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except DjangoValidationError:
        raise PydanticCustomError("invalid_url", "not a valid http(s) URL") from None
    max_length = Company._meta.get_field("website").max_length
    if len(url) > max_length:
        raise PydanticCustomError("string_too_long", "too long", {"max_length": max_length})
    return url


Email = Annotated[_text(Contact, "email", required=True), AfterValidator(_email)]
Stage = Annotated[
    _text(Contact, "lifecycle_stage"),
    AfterValidator(_lifecycle_stage),
    Field(json_schema_extra={"enum": ["", *LifecycleStage.values]}),
]
Domain = Annotated[_text(Company, "domain"), AfterValidator(_domain)]
Website = Annotated[_text(Company, "website"), AfterValidator(_website)]


class ContactIn(Schema):
    """A contact, matched by email (any case). Leave a field out to keep its value."""

    model_config = ConfigDict(extra="forbid")

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
    properties: dict[str, Any] = Field(
        default_factory=dict,
        description="Custom properties, merged into the stored ones; null removes a key.",
    )


class ContactsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    contacts: list[ContactIn] = Field(min_length=1, max_length=MAX_ITEMS)


class CompanyIn(Schema):
    """A company, matched by domain (else by name, any case). Leave a field out to keep it."""

    model_config = ConfigDict(extra="forbid")

    name: _text(Company, "name", required=True)
    domain: Domain = Field(
        "", description="e.g. acme.com; a URL is reduced to its host. Defaults to the website's."
    )
    website: Website = ""


class CompaniesIn(Schema):
    model_config = ConfigDict(extra="forbid")

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
