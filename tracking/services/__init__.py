"""Writes to the local records: the ingestion API's upserts, admin edits and API keys.

An upsert checks the whole batch before writing anything, then writes it in one transaction
with a bounded number of queries (one read of the existing rows, bulk inserts, bulk updates).
`local_modified_at` moves only on records whose values changed here: it is what tells the
outbound sync that a record needs sending.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from tracking.choices import Origin
from tracking.models import ApiKey, Company, Contact
from tracking.models.keys import match_key, with_key_fields
from tracking.selectors import (
    api_key_active,
    companies_by_domain,
    companies_by_name,
    contacts_by_email,
)

Values = Mapping[str, Any]
Record = TypeVar("Record", Contact, Company)
# The existing row (None: create one) and the values the item gives it, by attribute name.
Plan = tuple[models.Model | None, dict[str, Any]]


class UpsertStatus(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class UpsertResult:
    index: int
    record: Contact | Company  # as written
    status: UpsertStatus


@dataclass(frozen=True)
class ItemError:
    index: int | None
    field: str | None
    reason: str


class RecordValidationError(Exception):
    """Items of a batch are invalid; nothing of the batch was written."""

    def __init__(self, errors: Sequence[ItemError]) -> None:
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} invalid item(s)")


@dataclass(frozen=True)
class IssuedApiKey:
    api_key: ApiKey
    key: str  # shown once; only its hash is stored


def contacts_upsert(*, items: Sequence[Values]) -> list[UpsertResult]:
    """Create or update contacts by email (any case), from field values already validated.

    An email no contact has, but one is known by since its Salesforce record was merged away
    (`ContactEmailAlias`), updates that contact: it keeps its own email, the other fields
    given are written.

    Only the fields an item gives are written. `properties` are merged: given keys are set,
    keys given as null are removed. Giving `company` links `company_record` to the company of
    that name (any case), or unlinks it when there is none.
    """
    _raise_for_duplicates(items, key=lambda item: ("email", match_key(item["email"])))
    return _upsert(Contact, items, _plan_contacts)


def companies_upsert(*, items: Sequence[Values]) -> list[UpsertResult]:
    """Create or update companies by domain (normalised, any case), else by name (any case).

    An item without a domain takes it from its website. A company found by name is the same
    company only when one of the two has no domain.
    """
    items = [_with_domain(item) for item in items]
    _raise_for_duplicates(items, key=_company_key)
    return _upsert(Company, items, _plan_companies)


def normalize_domain(value: str) -> str:
    """The bare host name of a domain or URL: 'https://www.Acme.com/about' → 'acme.com'."""
    value = value.strip().lower()
    if "//" not in value:
        value = f"//{value}"
    host = urlsplit(value).hostname or ""
    return host.removeprefix("www.").rstrip(".")


def contact_save(*, contact: Contact, changed_fields: Collection[str]) -> Contact:
    """Save an edit made here (the admin); any change marks it for the outbound sync."""
    return _record_save(record=contact, changed_fields=changed_fields)


def company_save(*, company: Company, changed_fields: Collection[str]) -> Company:
    """Save an edit made here (the admin); any change marks it for the outbound sync."""
    return _record_save(record=company, changed_fields=changed_fields)


def api_key_create(*, name: str) -> IssuedApiKey:
    """A new key for the ingestion API; the caller shows `key` once, it is not kept."""
    key = ApiKey.KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        name=name, prefix=key[: ApiKey.PREFIX_LENGTH], key_hash=ApiKey.hash_key(key)
    )
    return IssuedApiKey(api_key=api_key, key=key)


def api_key_authenticate(*, key: str) -> ApiKey | None:
    """The unrevoked key matching `key`, its use recorded; None for any other key."""
    api_key = api_key_active(key=key)
    if api_key is not None:
        api_key.last_used_at = timezone.now()
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=api_key.last_used_at)
    return api_key


def api_keys_revoke(*, api_keys: models.QuerySet[ApiKey]) -> list[ApiKey]:
    """Revoke these keys; the ones that were still active."""
    revoked = list(api_keys.filter(revoked=False))
    ApiKey.objects.filter(pk__in=[api_key.pk for api_key in revoked]).update(revoked=True)
    return revoked


def _upsert(
    model: type[models.Model],
    items: Sequence[Values],
    plan: Callable[[Sequence[Values]], list[Plan]],
) -> list[UpsertResult]:
    try:
        with transaction.atomic():
            return _write(model, plan(items))
    except IntegrityError:
        # A concurrent request inserted one of these rows first (on PostgreSQL); planning
        # again finds it. A second conflict is a real error.
        with transaction.atomic():
            return _write(model, plan(items))


def _plan_contacts(items: Sequence[Values]) -> list[Plan]:
    existing = contacts_by_email(emails=[item["email"] for item in items], for_update=True)
    companies = companies_by_name(names=[item.get("company", "") for item in items])
    plans: list[Plan] = []
    claimed: dict[int, int] = {}
    errors = []
    for index, item in enumerate(items):
        # An email merged away in Salesforce finds the contact that follows the master.
        contact = existing.get(match_key(item["email"]))
        if contact is not None and claimed.setdefault(contact.pk, index) != index:
            reason = f"matches the same contact as item {claimed[contact.pk]}"
            errors.append(ItemError(index=index, field="email", reason=reason))
        # The email is the identity: an existing contact keeps the one it has.
        values = {name: value for name, value in item.items() if name != "email" or not contact}
        if "properties" in item:
            current = contact.properties if contact else {}
            values["properties"] = _merge_properties(current, item["properties"])
        if "company" in item:
            company = companies.get(match_key(item["company"]))
            values["company_record_id"] = company.pk if company else None
        plans.append((contact, values))
    if errors:
        raise RecordValidationError(errors)
    return plans


def _plan_companies(items: Sequence[Values]) -> list[Plan]:
    by_domain = companies_by_domain(
        domains=[item.get("domain", "") for item in items], for_update=True
    )
    by_name = companies_by_name(names=[item["name"] for item in items], for_update=True)
    plans: list[Plan] = []
    claimed: dict[int, int] = {}
    errors = []
    for index, item in enumerate(items):
        company = _company_match(item, by_domain=by_domain, by_name=by_name)
        if company is not None and claimed.setdefault(company.pk, index) != index:
            reason = f"matches the same company as item {claimed[company.pk]}"
            errors.append(ItemError(index=index, field="name", reason=reason))
        plans.append((company, dict(item)))
    if errors:
        raise RecordValidationError(errors)
    return plans


def _company_match(
    item: Values, *, by_domain: dict[str, Company], by_name: dict[str, Company]
) -> Company | None:
    domain = item.get("domain", "")
    if domain in by_domain:
        return by_domain[domain]
    company = by_name.get(match_key(item["name"]))
    if company is not None and not (domain and company.domain):
        return company
    return None


def _with_domain(item: Values) -> dict[str, Any]:
    item = dict(item)
    source = item.get("domain") or item.get("website")
    if source:
        item["domain"] = normalize_domain(source)
    return item


def _company_key(item: Values) -> tuple[str, str]:
    if item.get("domain"):
        return "domain", item["domain"]
    return "name", match_key(item["name"])


def _raise_for_duplicates(
    items: Sequence[Values], *, key: Callable[[Values], tuple[str, str]]
) -> None:
    """Two items for one record would race each other: reject the later ones."""
    first_index: dict[tuple[str, str], int] = {}
    errors = []
    for index, item in enumerate(items):
        field, value = key(item)
        first = first_index.setdefault((field, value), index)
        if first != index:
            reason = f"duplicate {field} in this request (same as item {first})"
            errors.append(ItemError(index=index, field=field, reason=reason))
    if errors:
        raise RecordValidationError(errors)


def _merge_properties(current: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(current)
    for name, value in given.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return merged


def _write(model: type[models.Model], plans: list[Plan]) -> list[UpsertResult]:
    now = timezone.now()
    created, updated, outcomes = [], [], []
    changed_fields: set[str] = set()
    for row, values in plans:
        if row is None:
            row = model(**values, origin=Origin.LOCAL, local_modified_at=now)
            created.append(row)
            outcomes.append((row, UpsertStatus.CREATED))
            continue
        changed = _set_changed(row, values)
        if changed:
            row.local_modified_at = row.updated_at = now
            updated.append(row)
            changed_fields |= changed
        outcomes.append((row, UpsertStatus.UPDATED if changed else UpsertStatus.UNCHANGED))
    model.objects.bulk_create(created)
    if updated:
        fields = with_key_fields(model, sorted(changed_fields))
        model.objects.bulk_update(updated, [*fields, "local_modified_at", "updated_at"])
    return [
        UpsertResult(index=index, record=row, status=status)
        for index, (row, status) in enumerate(outcomes)
    ]


def _set_changed(row: models.Model, values: Mapping[str, Any]) -> set[str]:
    """Set the values that differ on `row`; the names of the fields that changed."""
    changed = set()
    for attname, value in values.items():
        if getattr(row, attname) != value:
            setattr(row, attname, value)
            changed.add(row._meta.get_field(attname).name)
    return changed


def _record_save(*, record: Record, changed_fields: Collection[str]) -> Record:
    if record.pk is None or changed_fields:
        record.local_modified_at = timezone.now()
    record.save()
    return record
