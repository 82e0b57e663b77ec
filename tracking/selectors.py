"""Reads of the local records, shaped for the services that write them and the pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, Q, QuerySet
from django.db.models.functions import Lower

from tracking.models import (
    Activity,
    ApiKey,
    Company,
    Contact,
    ContactEmailAlias,
    Link,
    SyncEvent,
    Visit,
)
from tracking.models.keys import match_key
from tracking.ownership import LOCAL_OWNERS


def contacts_by_email(*, emails: Iterable[str], for_update: bool = False) -> dict[str, Contact]:
    """The contacts with these emails (any case), keyed by their `match_key`: one query, and
    one more for the emails no contact has: a contact is found by an email it is known by
    since its Salesforce record was merged away (`ContactEmailAlias`) too."""
    keys = {match_key(email) for email in emails}
    queryset = Contact.objects.filter(email_key__in=keys)
    if for_update:
        queryset = queryset.select_for_update()
    found = {contact.email_key: contact for contact in queryset}
    if keys - found.keys():
        aliases = ContactEmailAlias.objects.filter(email_key__in=keys - found.keys())
        if for_update:
            aliases = aliases.select_for_update()
        found |= {alias.email_key: alias.contact for alias in aliases.select_related("contact")}
    return found


def companies_by_domain(*, domains: Iterable[str], for_update: bool = False) -> dict[str, Company]:
    """The companies with these (normalised) domains, keyed by lower-cased domain: one query."""
    queryset = Company.objects.annotate(domain_lower=Lower("domain")).filter(
        domain_lower__in={domain.lower() for domain in domains if domain}
    )
    if for_update:
        queryset = queryset.select_for_update()
    return {company.domain_lower: company for company in queryset}


def companies_by_name(*, names: Iterable[str], for_update: bool = False) -> dict[str, Company]:
    """The companies with these names (any case), keyed by their `match_key`: one query.

    Names are not unique; of several companies with one name the oldest wins, so the answer
    is stable.
    """
    keys = {match_key(name) for name in names if name}
    queryset = Company.objects.filter(name_key__in=keys - {""}).order_by("-pk")
    if for_update:
        queryset = queryset.select_for_update()
    return {company.name_key: company for company in queryset}


def api_key_active(*, key: str) -> ApiKey | None:
    """The unrevoked key matching this plaintext key, if any."""
    return ApiKey.objects.filter(key_hash=ApiKey.hash_key(key), revoked=False).first()


def unresolved_count_for_owner(*, user) -> int:
    """How many of `user`'s links, visits and activities (their own, as the unresolved
    activities report lists them for a member) wait for a match: one count per model."""
    return sum(
        model.objects.filter(
            unresolved_since__isnull=False, **{f"{LOCAL_OWNERS[model]}_id": user.pk}
        ).count()
        for model in (Link, Visit, Activity)
    )


def sync_events_for_record(*, record: Model) -> QuerySet[SyncEvent]:
    """The record's history, newest first (no joins: one query per page)."""
    return SyncEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).order_by("-created_at", "-id")


def contacts_for_reading(
    *, email: str | None = None, updated_since: datetime | None = None
) -> QuerySet[Contact]:
    """Contacts as the read API lists them (with their linked company): by email, any case,
    else by an email the contact is known by since a Salesforce merge (`ContactEmailAlias`)."""
    queryset = Contact.objects.select_related("company_record")
    if email is not None:
        key = match_key(email)
        aliased = ContactEmailAlias.objects.filter(email_key=key).values("contact_id")
        own = Contact.objects.filter(email_key=key)
        queryset = queryset.filter(Q(email_key=key) | Q(pk__in=aliased) & ~Exists(own))
    return _updated_since(queryset, updated_since)


def companies_for_reading(
    *, domain: str | None = None, name: str | None = None, updated_since: datetime | None = None
) -> QuerySet[Company]:
    """Companies as the read API lists them: by (normalised) domain and/or name, any case."""
    queryset = Company.objects.all()
    if domain is not None:
        queryset = queryset.annotate(domain_lower=Lower("domain")).filter(
            domain_lower=domain.lower()
        )
    if name is not None:
        queryset = queryset.annotate(name_lower=Lower("name")).filter(name_lower=name.lower())
    return _updated_since(queryset, updated_since)


def _updated_since(queryset: QuerySet, updated_since: datetime | None) -> QuerySet:
    return queryset if updated_since is None else queryset.filter(updated_at__gte=updated_since)
