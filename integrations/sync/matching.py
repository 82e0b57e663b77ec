"""Finding the Salesforce record a local record already has, before creating one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from integrations.salesforce.client import SalesforceClient
from tracking.services import normalize_domain


def rows_by_email(
    client: SalesforceClient, sobject: str, fields: Sequence[str], emails: Iterable[str]
) -> dict[str, dict]:
    """Salesforce rows by lower-cased email: Contacts, or unconverted Leads.

    When several records share an email the oldest wins, so repeated runs pick the same one.
    """
    wanted = sorted({email.lower() for email in emails if email})
    if not wanted:
        return {}
    columns = ["Id", "Email", "CreatedDate", *fields]
    extra = "IsConverted = false" if sobject == "Lead" else ""
    found: dict[str, dict] = {}
    rows = client.query_in(sobject, columns, field="Email", values=wanted, extra_where=extra)
    for row in sorted(rows, key=lambda item: (item["CreatedDate"], item["Id"])):
        found.setdefault((row["Email"] or "").lower(), row)
    return found


def rows_by_name(
    client: SalesforceClient, sobject: str, fields: Sequence[str], names: Iterable[str]
) -> dict[str, dict]:
    """Salesforce rows (e.g. Accounts) by lower-cased Name; the oldest wins."""
    wanted = sorted({name.strip() for name in names if name and name.strip()})
    if not wanted:
        return {}
    columns = ["Id", "Name", "CreatedDate", *fields]
    found: dict[str, dict] = {}
    rows = client.query_in(sobject, columns, field="Name", values=wanted)
    for row in sorted(rows, key=lambda item: (item["CreatedDate"], item["Id"])):
        found.setdefault((row["Name"] or "").lower(), row)
    return found


def company_domain(company) -> str:
    """The bare domain a company is known by: its domain, else its website's host."""
    return normalize_domain(company.domain or company.website or "")


def website_variants(domain: str) -> list[str]:
    """The ways a Website field commonly holds a domain (Salesforce compares them as text)."""
    hosts = [domain, f"www.{domain}"]
    return hosts + [
        f"{scheme}://{host}{slash}"
        for scheme in ("http", "https")
        for host in hosts
        for slash in ("", "/")
    ]


def rows_by_domain(
    client: SalesforceClient, sobject: str, fields: Sequence[str], domains: Iterable[str]
) -> dict[str, dict]:
    """Salesforce rows (Accounts) by the domain of their Website; the oldest wins."""
    wanted = sorted({domain for domain in domains if domain})
    if not wanted:
        return {}
    variants = [variant for domain in wanted for variant in website_variants(domain)]
    columns = ["Id", "Website", "CreatedDate", *fields]
    found: dict[str, dict] = {}
    rows = client.query_in(sobject, columns, field="Website", values=variants)
    for row in sorted(rows, key=lambda item: (item["CreatedDate"], item["Id"])):
        found.setdefault(normalize_domain(row["Website"] or ""), row)
    return found
