"""Which Salesforce row a local record already has, decided from rows at hand (pure).

Matching precedes every create in both directions: an email finds a Contact before a Lead,
a company is found by name, then by its website's domain. When several rows fit, the oldest
wins, so repeated runs always pick the same one. A pulled person's company is found the same
way: a Contact's by its AccountId, a Lead's by its Company text, then its Website's domain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tracking.models.keys import match_key
from tracking.services import normalize_domain


def oldest_by(rows: Iterable[dict], key: Callable[[dict], str]) -> dict[str, dict]:
    """Rows by `key`; of rows with the same key, the oldest (CreatedDate, then Id)."""
    found: dict[str, dict] = {}
    for row in sorted(rows, key=lambda item: (item["CreatedDate"], item["Id"])):
        found.setdefault(key(row), row)
    return found


def email_key(row: dict) -> str:
    """The row's email as the local records match it (`Contact.email_key`)."""
    return match_key(row.get("Email") or "")


def name_key(row: dict) -> str:
    """The row's name as the local records match it (`Company.name_key`)."""
    return match_key(row.get("Name") or "")


def website_key(row: dict) -> str:
    return normalize_domain(row.get("Website") or "")


def lead_company_key(row: dict) -> str:
    return (row.get("Company") or "").strip().lower()


def person_company(row: dict, *, sobject: str, by_account: dict, by_name: dict, by_domain: dict):
    """The local company a pulled Lead or Contact row belongs to, or None (none we know)."""
    if sobject == "Contact":
        return by_account.get(row.get("AccountId") or "")
    return by_name.get(lead_company_key(row)) or by_domain.get(website_key(row))


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


class UnlinkedCompanies:
    """Local companies without a Salesforce link, found by an Account's name or website
    domain; each is handed out once."""

    def __init__(self, companies: Iterable):
        companies = list(companies)
        self.by_name = {match_key(company.name): company for company in companies}
        self.by_domain = {company_domain(company): company for company in companies}
        self.by_domain.pop("", None)
        self.taken: set[int] = set()

    def take(self, row: dict):
        for company in (self.by_name.get(name_key(row)), self.by_domain.get(website_key(row))):
            if company is not None and company.pk not in self.taken:
                self.taken.add(company.pk)
                return company
        return None
