"""Looking up the Salesforce rows local records may already have, before creating any.

The queries live here; which row wins is decided by `rules.matching`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.db.models.functions import Lower

from integrations.salesforce.client import SalesforceClient
from integrations.sync.rules.matching import (
    UnlinkedCompanies,
    email_key,
    name_key,
    oldest_by,
    website_key,
    website_variants,
)
from tracking.models import Company
from tracking.models.keys import match_key


def rows_by_email(
    client: SalesforceClient, sobject: str, fields: Sequence[str], emails: Iterable[str]
) -> dict[str, dict]:
    """Salesforce rows by `match_key` of their email: Contacts, or unconverted Leads."""
    wanted = _with_keys(emails)
    if not wanted:
        return {}
    columns = ["Id", "Email", "CreatedDate", *fields]
    extra = "IsConverted = false" if sobject == "Lead" else ""
    rows = client.query_in(sobject, columns, field="Email", values=wanted, extra_where=extra)
    return oldest_by(rows, email_key)


def rows_by_name(
    client: SalesforceClient, sobject: str, fields: Sequence[str], names: Iterable[str]
) -> dict[str, dict]:
    """Salesforce rows (e.g. Accounts) by `match_key` of their Name."""
    wanted = _with_keys(name.strip() for name in names if name)
    if not wanted:
        return {}
    columns = ["Id", "Name", "CreatedDate", *fields]
    return oldest_by(client.query_in(sobject, columns, field="Name", values=wanted), name_key)


def rows_by_domain(
    client: SalesforceClient, sobject: str, fields: Sequence[str], domains: Iterable[str]
) -> dict[str, dict]:
    """Salesforce rows (Accounts) by the domain of their Website."""
    wanted = sorted({domain for domain in domains if domain})
    if not wanted:
        return {}
    variants = [variant for domain in wanted for variant in website_variants(domain)]
    columns = ["Id", "Website", "CreatedDate", *fields]
    rows = client.query_in(sobject, columns, field="Website", values=variants)
    return oldest_by(rows, website_key)


def unlinked_companies(rows: list[dict]) -> UnlinkedCompanies:
    """Local companies without a link whose name or domain one of the Account rows has."""
    names = {name_key(row) for row in rows} - {""}
    domains = {website_key(row) for row in rows} - {""}
    companies = (
        Company.objects.annotate(domain_lower=Lower("domain"))
        .filter(salesforce_id="")
        .filter(Q(name_key__in=names) | Q(domain_lower__in=domains))
    )
    return UnlinkedCompanies(companies)


def _with_keys(values: Iterable[str]) -> list[str]:
    """The values and their keys: SOQL compares text in any case, but does not fold it as
    `match_key` does (`ß` and `ss`), so both forms are asked for."""
    return sorted({form for value in values if value for form in (value, match_key(value))})
